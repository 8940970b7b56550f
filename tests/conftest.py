"""Shared fixtures: the sample PDF, a real DuckDB file ingested from it, the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.run import IngestOptions, Summary, ingest
from queries.run import Answerer
from tests.corpus import corpus_files, documents_present, not_budgets_present

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SOURCE = ROOT / "samples" / "jianan-2021"
SAMPLE_PDF = ROOT / "samples" / "jianan-2021-budget.pdf"
REAL_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SEED_TEXT = ROOT.parent / "shared" / "seeds" / "000_d1b4435c02bb35dd.txt"

OPTIONS = IngestOptions(workers=2, max_pages=2000, max_file_mb=200, timeout_seconds=300, progress=False)


def ingest_into(database: Path, *paths: Path, workers: int = 2) -> Summary:
    options = IngestOptions(workers=workers, max_pages=2000, max_file_mb=200, timeout_seconds=300, progress=False)
    return ingest(list(paths), database, options)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("sample") / "budget.duckdb"
    summary = ingest_into(database, SAMPLE_PDF)
    assert summary.failures == [], summary.failures
    return database


@pytest.fixture(scope="session")
def sample_answerer(sample_db: Path) -> Answerer:
    return Answerer(sample_db)


@pytest.fixture(scope="session")
def real_corpus() -> Path:
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"the real corpus is not here ({REAL_CORPUS}); it ships with the team's shared folder")
    return REAL_CORPUS


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED_TEXT.is_file():
        pytest.skip(f"the seed text is not here ({SEED_TEXT}); it ships with the team's shared folder")
    return SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def real_db(real_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real PDFs that tests/data/real_documents.toml describes, ingested once for the session.

    A PDF the list does not describe yet is left out here (test_real_corpus names it), so that one new
    file fails one test rather than every test that reads the corpus."""
    database = tmp_path_factory.mktemp("real") / "budget.duckdb"
    summary = ingest_into(database, *corpus_files(real_corpus))
    assert sorted(f.file for f in summary.failures) == sorted(d.files[0] for d in not_budgets_present(real_corpus))
    assert summary.documents == len(documents_present(real_corpus))
    return database
