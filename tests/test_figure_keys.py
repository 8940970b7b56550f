"""`figures` clustered by item and indexed by key at the end of every ingest that writes (ingest/store.py
cluster_figures): every figure is found by each of its keys, no key points at another figure, and answers
stay the same after a second ingest adds a document."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from queries.run import Answerer
from tests.conftest import SAMPLE_PDF, ingest_into

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"


def _check_index(database: Path) -> None:
    with duckdb.connect(str(database), read_only=True) as con:
        unreachable = con.execute(
            """
            select count(*) from figures as f
            where (f.item <> '' and not exists (
                       select 1 from figure_keys k where k.figure = f.rowid and k.key = f.item))
               or (f.code is not null and not exists (
                       select 1 from figure_keys k where k.figure = f.rowid and k.key = f.code))
               or exists (select 1 from unnest(f.concepts) as c(concept) where not exists (
                       select 1 from figure_keys k where k.figure = f.rowid and k.key = c.concept))
            """
        ).fetchone()
        dangling = con.execute(
            """
            select count(*) from figure_keys as k left join figures as f on f.rowid = k.figure
            where f.document_id is distinct from k.document_id
               or not (k.key = f.item or k.key = f.code or list_contains(f.concepts, k.key))
            """
        ).fetchone()
        items = [item for (item,) in con.execute("select item from figures order by rowid").fetchall()]
    assert unreachable == (0,) and dangling == (0,)
    assert items == sorted(items), "figures are stored clustered by item"


def test_every_figure_is_found_by_its_keys_after_each_ingest(tmp_path: Path) -> None:
    if not REAL.is_dir():
        pytest.skip(f"the real corpus is not here ({REAL}); it ships with the team's shared folder")
    database = tmp_path / "budget.duckdb"
    assert ingest_into(database, SAMPLE_PDF).documents == 1
    _check_index(database)
    first = Answerer(database).answer("三公经费多少")
    added = REAL / "sh-putuo-justice-2026-dept-budget.pdf"
    assert ingest_into(database, SAMPLE_PDF, added).documents == 1  # the sample unchanged, one more read
    _check_index(database)
    answerer = Answerer(database)
    sample = next(d for d in answerer.snapshot().documents if "建安" in d.body)
    again = answerer.answer("三公经费多少", document=sample.id)
    assert [(v.label, v.value, v.source) for v in again.values] == [(v.label, v.value, v.source) for v in first.values]
    # The added document's “三公” table (page 21) and its narrative (page 22): 公务接待费 0.83 万元.
    justice = answerer.answer("普陀区司法局2026年公务接待费多少")
    assert {(v.printed, v.unit) for v in justice.values} == {("0.83", "万元")}
