"""Data-driven questions about the real corpus (tests/data/questions_real.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.conversation import Conversation
from queries.run import Answerer
from tests.test_questions_sample import check

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "data" / "questions_real.toml").read_text(encoding="utf-8")
)["questions"]


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


@pytest.mark.parametrize("case", CASES, ids=[c["question"] for c in CASES])
def test_question(real_answerer: Answerer, case: dict[str, Any]) -> None:
    answer = real_answerer.answer(case["question"])
    check(answer, case)


def test_choosing_a_candidate_answers_the_original_question(real_answerer: Answerer) -> None:
    chat = Conversation()
    first = chat.ask(real_answerer, "万里街道三公经费")
    assert first.status == "ambiguous"
    assert [c.label for c in first.choices] == [
        "上海市普陀区人民政府万里街道办事处 2023年部门预算",
        "上海市普陀区人民政府万里街道办事处 2025年部门预算",
    ]
    answer = chat.choose(real_answerer, 2)
    assert answer is not None and answer.status == "answered"
    assert answer.sources[0].year == 2025 and answer.sources[0].file == "sh-putuo-wanli-street-2025-dept-budget.pdf"
    # A follow-up stays with the chosen document.
    follow = chat.ask(real_answerer, "那公务接待费呢？")
    assert follow.sources[0].year == 2025 and follow.template == "item_figure"
