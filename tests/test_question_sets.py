"""The journalists' question files (tests/data/questions) against the real corpus and the sample.

Every question must not get a wrong figure; together, at least MIN_CORRECT of them must be answered
with every figure they ask for. The rest may be refusals (they name what is missing) or incomplete.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from queries.run import Answerer
from tests.conftest import SAMPLE_PDF, ingest_into
from tests.question_sets import Case, Verdict, load, run_case

MIN_CORRECT = 0.97  # issue 13's bar is 95%; measured 99.2% (633 of 638): a drop of a dozen answers fails
CASES = load()


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


def test_the_files_hold_enough_questions() -> None:
    classes = Counter(case["class"] for case in CASES)
    assert len(CASES) >= 600
    assert {"specific_item", "count", "prior_column", "concept_pair", "refuse", "change", "share", "multi"} <= set(
        classes
    )


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_no_wrong_figure(verdicts: dict[str, Verdict], case: Case) -> None:
    verdict = verdicts[case["id"]]
    assert verdict.kind != "wrong", verdict.why


def test_most_questions_are_answered_in_full(verdicts: dict[str, Verdict]) -> None:
    kinds = Counter(v.kind for v in verdicts.values())
    share = kinds["correct"] / len(verdicts)
    assert share >= MIN_CORRECT, f"{share:.1%} correct ({dict(kinds)})"


def test_a_refusal_names_the_missing_item(verdicts: dict[str, Verdict]) -> None:
    refusals = [c for c in CASES if c.get("expect") == "refuse"]
    assert refusals
    judged = Counter(verdicts[c["id"]].kind for c in refusals)
    # a refusal that does not name the missing word is "incomplete"; at most one such slip
    assert judged["correct"] >= len(refusals) - 1, dict(judged)
