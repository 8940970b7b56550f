"""Data-driven questions about the real corpus (tests/data/questions_real.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

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
