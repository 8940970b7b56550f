"""A database where questions without a document are ambiguous: the sample and two synthetic budgets,
so that "三公经费多少" offers three documents to choose from (choice buttons, numbered replies)."""

from __future__ import annotations

from pathlib import Path

from samples.synthetic import generate
from tests.conftest import SAMPLE_PDF, ingest_into

SAMPLE_CHOICE = "许昌市建安区政务服务和大数据管理局 2021年部门预算"  # the sample, one of the three choices


def three_documents(folder: Path) -> Path:
    """The DuckDB file (about 15 s to render and ingest)."""
    database = folder / "three.duckdb"
    summary = ingest_into(database, SAMPLE_PDF, *generate(folder / "pdf", 2))
    assert summary.failures == [], summary.failures
    return database
