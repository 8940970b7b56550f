"""Ingest of the real PDFs in ../shared/corpus/real (described in tests/data/real_documents.toml), checked
against their pages."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import ingest_into
from tests.corpus import DESCRIBED_FILES, DOCUMENTS, NOT_BUDGETS, DescribedDocument, documents_present

DATA = Path(__file__).parent / "data"
TABLES: list[dict[str, Any]] = tomllib.loads((DATA / "real_tables.toml").read_text(encoding="utf-8"))["tables"]
STATEMENTS: list[dict[str, Any]] = tomllib.loads((DATA / "real_statements.toml").read_text(encoding="utf-8"))[
    "statements"
]
# Page numbers below are within a file; the database numbers pages over a document's files.
IN_FILE = """
    join files as fl on fl.document_id = {alias}.document_id
     and {alias}.page between fl.first_page and fl.first_page + fl.pages - 1
"""


def query(database: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_every_pdf_of_the_corpus_is_described(real_corpus: Path) -> None:
    undescribed = sorted(p.name for p in real_corpus.glob("*.pdf") if p.name not in DESCRIBED_FILES)
    assert not undescribed, (
        f"not described yet: {undescribed}; add an entry to tests/data/real_documents.toml "
        "(files, body, year, phase, edition and the tables its 目录 lists), read from the cover and contents pages"
    )
    missing = sorted(name for name in DESCRIBED_FILES if not (real_corpus / name).is_file())
    assert not missing, f"described in tests/data/real_documents.toml but not in {real_corpus}: {missing}"


def _document_of(database: Path, file_name: str) -> list[tuple[Any, ...]]:
    return query(
        database,
        "select d.document_id, d.body, d.year, d.phase, d.edition, list(f.file_name order by f.file_no) "
        "from documents d join files f using (document_id) group by all "
        "having list_contains(list(f.file_name), ?)",
        file_name,
    )


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.key for d in DOCUMENTS])
def test_document_identity(real_db: Path, document: DescribedDocument) -> None:
    rows = _document_of(real_db, document.files[0])
    assert len(rows) == 1, f"{document.files[0]} is in no document"
    _, body, year, phase, edition, files = rows[0]
    assert (body, year, phase, edition) == (document.body, document.year, document.phase, document.edition)
    # the narrative PDF first, then the tables PDF; and never another body's file
    assert tuple(files) == document.files


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.key for d in DOCUMENTS])
def test_document_tables_are_those_its_contents_list(real_db: Path, document: DescribedDocument) -> None:
    if document.tables_gap:
        pytest.xfail(f"known gap (issue 24): {document.tables_gap}")
    (document_id, *_), *_ = _document_of(real_db, document.files[0])
    kinds = {kind for (kind,) in query(real_db, "select kind from doc_tables where document_id = ?", document_id)}
    assert sorted(kinds - {"other"}) == sorted({*document.kinds, *document.unlisted_kinds})


def test_every_body_is_a_clean_name_and_every_document_is_there_once(real_corpus: Path, real_db: Path) -> None:
    bodies = query(real_db, "select body, count(*) from documents group by body order by body")
    for body, _ in bodies:
        assert re.fullmatch(r"[\u4e00-\u9fff][\u4e00-\u9fff()（）]{3,40}", body), f"not a clean body name: {body!r}"
        assert "本级" not in body
    expected = sorted((d.body, d.year, d.phase, d.edition) for d in documents_present(real_corpus))
    assert sorted(query(real_db, "select body, year, phase, edition from documents")) == expected


@pytest.mark.parametrize("described", NOT_BUDGETS, ids=[d.key for d in NOT_BUDGETS])
def test_a_file_that_is_no_budget_is_refused_saying_what_it_is(
    real_corpus: Path, described: DescribedDocument, tmp_path: Path
) -> None:
    summary = ingest_into(tmp_path / "budget.duckdb", *(real_corpus / f for f in described.files))
    assert summary.documents == 0
    [failure] = summary.failures
    assert failure.page == 1 and "not a budget or final account" in failure.reason


@pytest.mark.parametrize("table", TABLES, ids=[f"{t['file']}-p{t['page']}-{t['kind']}" for t in TABLES])
def test_exact_table_contents(real_db: Path, table: dict[str, Any]) -> None:
    found = query(
        real_db,
        "select t.document_id, t.table_no, t.unit, t.is_empty from doc_tables t "
        "join files fl on fl.document_id = t.document_id "
        "where fl.file_name = ? and ? + fl.first_page - 1 between t.first_page and t.last_page and t.kind = ?",
        table["file"],
        table["page"],
        table["kind"],
    )
    assert len(found) == 1, found
    document_id, table_no, unit, empty = found[0]
    assert unit == table["unit"]
    assert empty == table.get("empty", False)
    facts = query(
        real_db,
        "select row_name, column_name, printed from figures where document_id = ? and table_no = ? "
        "order by row_no, col_no",
        document_id,
        table_no,
    )
    figures = sorted(list(f) for f in facts if f[2])
    assert figures == sorted(table["figures"])
    assert sum(1 for f in facts if not f[2]) == table["blanks"]


@pytest.mark.parametrize("case", STATEMENTS, ids=[f"{s['file']}-p{s['page']}" for s in STATEMENTS])
def test_narrative_figures(real_db: Path, case: dict[str, Any]) -> None:
    stated = set(
        query(
            real_db,
            "select unnest(s.concepts), s.measure, s.value, s.unit from figures s"
            + IN_FILE.format(alias="s")
            + "where s.source = 'text' and fl.file_name = ? and s.page - fl.first_page + 1 = ?",
            case["file"],
            case["page"],
        )
    )
    for item, measure, value, unit in case["figures"]:
        assert (item, measure, Decimal(value), unit) in stated


def test_amounts_are_exact_decimals_in_both_units(real_db: Path) -> None:
    rows = query(
        real_db,
        "select f.printed, f.value, f.unit, f.value_yuan from figures f"
        + IN_FILE.format(alias="f")
        + """
        where fl.file_name = 'sh-putuo-finance-2025-dept-budget.pdf' and f.printed = '22,186,440.80'""",
    )
    assert rows and all(r == ("22,186,440.80", Decimal("22186440.8"), "元", Decimal("22186440.8")) for r in rows)
    wan = query(
        real_db,
        "select f.value_yuan from figures f"
        + IN_FILE.format(alias="f")
        + """
        where fl.file_name = 'sh-putuo-justice-2026-dept-budget.pdf' and f.column_name = '机关运行经费预算数'""",
    )
    assert wan == [(Decimal("2178300"),)]


def test_functional_codes_joined_from_split_columns(real_db: Path) -> None:
    codes = {
        code
        for (code,) in query(
            real_db,
            "select distinct f.code from figures f join doc_tables t using (document_id, table_no)"
            + IN_FILE.format(alias="f")
            + "where fl.file_name = 'sh-putuo-finance-2025-dept-budget.pdf' and t.kind = 'general_expenditure'",
        )
    }
    # pdftotext p15: 201 | 06 | 01 行政运行 …
    assert {"201", "20106", "2010601"} <= codes


def test_a_split_document_is_incomplete_until_its_tables_arrive_then_whole(real_corpus: Path, tmp_path: Path) -> None:
    """江苏省政协办公厅 2017 was published as a narrative PDF and a tables PDF. Ingested alone, the narrative is
    an incomplete document, which is no error against it; its tables ingested later join it."""
    database = tmp_path / "budget.duckdb"
    text, tables = (
        real_corpus / "js-cppcc-office-2017-budget-text.pdf",
        real_corpus / "js-cppcc-office-2017-budget-tables.pdf",
    )
    assert ingest_into(database, text).documents == 1
    alone = query(database, "select rule, severity, message from findings where rule = 'C01'")
    assert [(rule, severity) for rule, severity, _ in alone] == [("C01", "warning")]
    assert "文档不完整" in alone[0][2]
    assert query(database, "select count(*) from findings where severity = 'error'") == [(0,)]
    assert ingest_into(database, tables).documents == 1
    whole = query(database, "select d.document_id, list(f.file_name order by f.file_no) from documents d "
                            "join files f using (document_id) group by all")  # fmt: skip
    assert [files for _, files in whole] == [[text.name, tables.name]]
    assert query(database, "select count(*) from findings where rule = 'C01'") == [(0,)]
    assert sorted(
        k for (k,) in query(database, "select distinct kind from doc_tables where kind <> 'other'")
    ) == sorted(next(d for d in DOCUMENTS if d.files[0] == text.name).kinds)
