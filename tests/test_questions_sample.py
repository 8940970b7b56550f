"""Data-driven questions about the sample document (tests/data/questions_sample.toml)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.render import format_value, to_text
from queries.answer import Answer, Value
from queries.run import Answerer

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "data" / "questions_sample.toml").read_text(encoding="utf-8")
)["questions"]


@pytest.mark.parametrize("case", CASES, ids=[c["question"] for c in CASES])
def test_question(sample_answerer: Answerer, case: dict[str, Any]) -> None:
    check(sample_answerer.answer(case["question"]), case)


def check(answer: Answer, case: dict[str, Any]) -> None:
    """The answer holds what the case expects; a case with a `gap` (why it is not answered right yet) is an
    expected failure, and one that passes must lose its `gap`."""
    if "gap" not in case:
        holds(answer, case)
        return
    try:
        holds(answer, case)
    except AssertionError:
        pytest.xfail(f"known gap: {case['gap']}")
    pytest.fail(f"answered as expected now: remove the `gap` of “{case['question']}”")


def holds(answer: Answer, case: dict[str, Any]) -> None:
    """The answer holds what the case expects (see the header of the question files)."""
    assert answer.status == case["status"], to_text(answer)
    if "template" in case:
        assert answer.template == case["template"]
    shown: dict[str, list[Value]] = {}
    for value in answer.values:
        shown.setdefault(value.label, []).append(value)
    for label, printed, unit in case.get("values", []):
        assert label in shown, f"{label} not in {list(shown)}"
        assert any((v.printed or "") == printed and v.unit == unit for v in shown[label]), [
            format_value(v) for v in shown[label]
        ]
    for label, number, unit in case.get("computed", []):
        assert label in shown, f"{label} not in {list(shown)}"
        assert any(v.value == Decimal(number) and v.unit == unit for v in shown[label]), shown[label]
    texts = " ".join(v.text or "" for v in answer.values)
    for part in case.get("texts", []):
        assert part in texts
    said = to_text(answer)
    for part in case.get("says", []):  # a phrase read from the page, anywhere in the answer as shown
        assert part in said, (part, said)
    if "cites" in case:  # the page that prints it is among the answer's sources
        file, page = case["cites"]
        assert any((s.file, s.file_page) == (file, page) for s in answer.sources), answer.sources
    for part in case.get("notes", []):
        assert any(part in note for note in answer.notes), answer.notes
    if "page" in case:
        assert answer.sources[0].page == case["page"]
    if answer.status == "answered":
        assert answer.sources, "every answer names its source"
    if answer.status == "not_understood":
        assert len(answer.suggestions) == 3
