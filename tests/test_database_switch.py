"""An Answerer keeps serving while ingest switches a new database file in under it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from queries.errors import DatabaseError
from queries.run import Answerer
from tests.conftest import SAMPLE_PDF, ingest_into


def test_answerer_sees_the_file_ingest_switched_in(tmp_path: Path) -> None:
    # DuckDB returns the database it already has open for a path, even after the file was
    # replaced; the Answerer must close its old connection first or it keeps answering from it.
    database = tmp_path / "budget.duckdb"
    ingest_into(database)
    answerer = Answerer(database)
    assert answerer.answer("三公经费多少").status == "no_data"
    assert ingest_into(database, SAMPLE_PDF).failures == []
    answer = answerer.answer("三公经费多少")
    assert answer.status == "answered"
    assert answer.values[0].printed == "0.20"


def test_an_unreadable_file_is_a_database_error_until_it_is_mended(sample_db: Path, tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb"
    shutil.copy(sample_db, database)
    answerer = Answerer(database)
    assert answerer.answer("三公经费多少").status == "answered"
    (tmp_path / "broken").write_bytes(b"not a database" * 100)
    os.replace(tmp_path / "broken", database)
    with pytest.raises(DatabaseError, match=f"数据库 {database} 无法读取"):
        answerer.answer("三公经费多少")
    shutil.copy(sample_db, tmp_path / "good")
    os.replace(tmp_path / "good", database)
    assert answerer.answer("三公经费多少").status == "answered"
