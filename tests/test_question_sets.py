"""The journalists' question files (tests/data/questions) against the real corpus and the sample.

Each question is its own test: it passes only when the answer gives every figure the case expects
(with its unit, role and sign) or, for a case that expects a refusal, refuses and names what is
missing. Questions the project does not answer right yet are listed, with what goes wrong, in
tests/data/questions_known_gaps.toml: they are expected failures (strict: one that starts passing
fails until it is taken off the list), and none of them may be a wrong figure about a document
the project has been fitted to (the older files); the list's size is the honest measure of what is left.
"""

from __future__ import annotations

import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from queries.run import Answerer
from tests.conftest import SAMPLE_PDF, ingest_into
from tests.question_sets import QUESTIONS, Case, Verdict, load, run_case

CASES = load()
KNOWN_GAPS: dict[str, dict[str, str]] = {
    gap["id"]: gap
    for gap in tomllib.loads((QUESTIONS.parent / "questions_known_gaps.toml").read_text(encoding="utf-8"))["gap"]
}


@pytest.fixture(scope="module")
def answerer(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    """The real corpus plus the sample (jianan-2021-budget.toml asks about it), in a real DuckDB file."""
    database = tmp_path_factory.mktemp("questions") / "budget.duckdb"
    shutil.copy(real_db, database)
    summary = ingest_into(database, SAMPLE_PDF)  # the corpus is unchanged: only the sample is read
    assert summary.failures == []
    return Answerer(database, answers_kept=0)


@pytest.fixture(scope="module")
def verdicts(answerer: Answerer) -> dict[str, Verdict]:
    return {case["id"]: run_case(answerer, case) for case in CASES}


def test_the_files_hold_enough_questions_and_no_question_twice() -> None:
    classes = Counter(case["class"] for case in CASES)
    assert len(CASES) >= 1000
    assert {"specific_item", "count", "prior_column", "concept_pair", "refuse", "change", "share", "multi"} <= set(
        classes
    )
    asked = Counter((case["document"], case.get("question") or str(case.get("turns"))) for case in CASES)
    assert [q for q, n in asked.items() if n > 1] == []


def test_every_known_gap_is_a_question() -> None:
    assert set(KNOWN_GAPS) <= {case["id"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_question(verdicts: dict[str, Verdict], case: Case) -> None:
    verdict = verdicts[case["id"]]
    gap = KNOWN_GAPS.get(case["id"])
    if gap is None:
        assert verdict.kind == "correct", f"{verdict.kind}: {verdict.why}"
        return
    if verdict.kind == "correct":
        pytest.fail(f"{case['id']} is answered right now: take it off tests/data/questions_known_gaps.toml")
    pytest.xfail(f"known gap ({gap['verdict']}): {gap['why']}")


def test_the_known_gaps_hold_no_wrong_figure_on_the_fitted_documents() -> None:
    """The documents the project was built on (every file but those added with the corpus's second round)
    get no wrong figure: a wrong answer there is a regression, never a gap to list."""
    # batches written after the fitting, run once before any fix
    later = ("operators", "conflicts", "round3", "round4", "round5", "round6", "round7", "round8", "round9")
    fitted = [gap for gap in KNOWN_GAPS.values() if not gap.get("round2") and gap.get("batch") not in later]
    assert [gap for gap in fitted if gap["verdict"] == "wrong"] == []
