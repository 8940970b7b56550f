"""Ingest of the 29 real PDFs (23 documents) in ../shared/corpus/real, checked against their pages."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

DATA = Path(__file__).parent / "data"
DOCUMENTS: list[dict[str, Any]] = tomllib.loads((DATA / "real_documents.toml").read_text(encoding="utf-8"))["documents"]
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


def test_real_corpus_has_29_pdfs(real_corpus: Path) -> None:
    assert len(list(real_corpus.glob("*.pdf"))) == 29
    assert sum(len(d["files"]) for d in DOCUMENTS) == 29


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d["files"][0] for d in DOCUMENTS])
def test_document_identity_and_standard_tables(real_db: Path, document: dict[str, Any]) -> None:
    rows = query(
        real_db,
        "select d.document_id, d.body, d.year, d.phase, d.edition, list(f.file_name order by f.file_no) "
        "from documents d join files f using (document_id) group by all "
        "having list_contains(list(f.file_name), ?)",
        document["files"][0],
    )
    assert len(rows) == 1
    document_id, body, year, phase, edition, files = rows[0]
    assert (body, year, phase, edition) == (document["body"], document["year"], document["phase"], document["edition"])
    assert files == document["files"]  # the narrative PDF first, then the tables PDF
    kinds = {kind for (kind,) in query(real_db, "select kind from doc_tables where document_id = ?", document_id)}
    assert sorted(kinds - {"other"}) == sorted(document["kinds"])


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
