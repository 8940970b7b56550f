"""`figures` clustered by item and indexed by key at the end of every ingest that writes (ingest/store.py
cluster_figures): every figure is found by each of its keys, no key points at another figure, and answers
stay the same after a second ingest adds a document. Each figure carries its table's title and emptiness
as doc_tables has them, and the file is written in small row groups."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.kinds import NARRATIVE_PLACE
from ingest.store import ROW_GROUP_ROWS
from queries import run
from queries.run import Answerer
from tests.conftest import REAL_CORPUS, SAMPLE_PDF, ingest_into
from tests.corpus import documents_present

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
        # the title and emptiness each figure carries are its table's (answers read them without a join)
        misplaced = con.execute(
            """
            select count(*) from figures as f left join doc_tables as t using (document_id, table_no)
            where f.place is distinct from coalesce(t.title, ?)
               or f.table_empty is distinct from coalesce(t.is_empty, false)
               or (f.table_no is null) <> (f.source = 'text')
            """,
            [NARRATIVE_PLACE],
        ).fetchone()
    assert unreachable == (0,) and dangling == (0,) and misplaced == (0,)
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
    # The added document's “三公” table (page 21) and its narrative (page 22): 公务接待费 0.83 万元; beside them the
    # basic-spending table's 公务接待费 8,265 元, shown as the part of it that it is.
    justice = answerer.answer("普陀区司法局2026年公务接待费多少")
    assert {(v.printed, v.unit) for v in justice.values if "部分" not in v.label} == {("0.83", "万元")}
    assert [(v.printed, v.unit) for v in justice.values if "其中基本支出部分" in v.label] == [("8265.00", "元")]


def test_figures_are_written_in_small_row_groups(real_db: Path) -> None:
    """A question reads a few figures by row id, and DuckDB reads each row group holding one whole."""
    with duckdb.connect(str(real_db), read_only=True) as con:
        (figures,) = con.execute("select count(*) from figures").fetchone() or (0,)
        groups = con.execute(
            "select row_group_id, max(start + count) from pragma_storage_info('figures') group by all"
        ).fetchall()
    assert figures > ROW_GROUP_ROWS, "the corpus is too small to show the row groups"
    assert max(rows for _, rows in groups) == ROW_GROUP_ROWS
    assert len(groups) == -(-figures // ROW_GROUP_ROWS)


def test_printed_rows_read_one_by_one_or_all_at_once_agree(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A serving process reads every document's printed rows at once after a few one at a time: the
    names and codes a document prints are the same either way."""
    monkeypatch.setattr(run, "PRINTED_ONE_BY_ONE", 1000)
    one_by_one = Answerer(real_db, answers_kept=0)
    documents = one_by_one.snapshot().documents
    assert len(documents) == len(documents_present(REAL_CORPUS))
    names = {doc.id: one_by_one._names_of(doc.id) for doc in documents}
    codes = {doc.id: sorted(one_by_one._codes_of(doc.id)) for doc in documents}
    assert not one_by_one.snapshot().printed.complete
    monkeypatch.setattr(run, "PRINTED_ONE_BY_ONE", 0)
    at_once = Answerer(real_db, answers_kept=0)
    for doc in documents:
        assert at_once._names_of(doc.id) == names[doc.id], doc.label
        assert sorted(at_once._codes_of(doc.id)) == codes[doc.id], doc.label
    assert at_once.snapshot().printed.complete
    # js-cppcc-office 2018 prints “30217 公务接待费 15.00” in its tables
    cppcc = next(d.id for d in documents if "政协" in d.body and d.year == 2018)
    assert ("30217", "公务接待费") in codes[cppcc]
