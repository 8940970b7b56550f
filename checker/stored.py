"""A document as the checker reads it: what the database stores of it, nothing the PDF alone has.

At ingest the checker reads the record just made through the same conversion as `load` reads the
database, so a re-check on the database gives exactly the findings ingest stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from checker.text import PageText
from ingest.figures import Figure
from ingest.identify import Identity
from ingest.numbers import parse_amount, to_yuan
from ingest.tables import Fact, FoundTable, item_of


@dataclass(frozen=True)
class StoredTable:
    """A doc_tables row."""

    table_no: int
    kind: str
    title: str
    unit: str | None
    first_page: int
    last_page: int
    header_rows: int
    is_empty: bool


@dataclass(frozen=True)
class StoredFigure:
    """What the checker needs of a table figure (a figures row with source 'table')."""

    table_no: int
    page: int
    row_no: int
    col_no: int
    code: str | None
    row_name: str
    column: str  # the column's header path: the fact's measure ('' for a project sheet's figures)
    classification: str
    printed: str
    meaning: FigureMeaning | None = None  # what ingest read it as (ingest/figures.py); None in a bare draft


@dataclass(frozen=True)
class FigureMeaning:
    """What a table figure is the value of, as `figures` stores it: rules that compare one item across tables
    (X10) read the meaning answers read, not one of their own."""

    name: str
    concepts: tuple[str, ...]
    role: str
    ref_year: int | None
    measure: str
    scope: str | None
    spending: str
    parent: str
    direction: str | None
    unit: str | None
    value_yuan: Decimal | None


def meaning_of(figure: Figure) -> FigureMeaning:
    """A table figure's meaning as `figures` stores it."""
    return FigureMeaning(
        figure.name,
        figure.concepts,
        figure.role,
        figure.ref_year,
        figure.measure,
        figure.scope,
        figure.spending,
        figure.parent,
        figure.direction,
        figure.unit,
        figure.value_yuan,
    )


@dataclass(frozen=True)
class StoredDocument:
    identity: Identity
    tables: tuple[FoundTable, ...]
    pages: tuple[PageText, ...]
    figures: tuple[StoredFigure, ...] = ()  # the table figures, with their meanings


def stored_document(
    identity: Identity, tables: Sequence[StoredTable], figures: Iterable[StoredFigure], pages: Iterable[PageText]
) -> StoredDocument:
    figures = tuple(figures)  # (read twice: once for the tables, once kept whole)
    by_table: dict[int, list[StoredFigure]] = {}
    for figure in figures:
        if figure.column:  # a project sheet's named amounts are no cells of the table's grid
            by_table.setdefault(figure.table_no, []).append(figure)
    found = []
    for table in sorted(tables, key=lambda t: t.table_no):
        rows = sorted(by_table.get(table.table_no, []), key=lambda f: (f.row_no, f.col_no))
        facts = tuple(_fact(f, table.unit) for f in rows)
        found.append(
            FoundTable(
                kind=table.kind,
                title=table.title,
                unit=table.unit,
                pages=tuple(range(table.first_page, table.last_page + 1)),
                header_rows=table.header_rows,
                cells=(),  # the checker reads facts; the raw grid stays in the cells table
                facts=facts,
                is_empty=table.is_empty,
            )
        )
    return StoredDocument(identity, tuple(found), tuple(sorted(pages, key=lambda p: p.number)), figures)


def _fact(figure: StoredFigure, unit: str | None) -> Fact:
    # Amounts from the printed text, as the table reader parsed them (the stored DECIMAL has 4 places).
    amount = parse_amount(figure.printed)
    return Fact(
        page=figure.page,
        row=figure.row_no,
        col=figure.col_no,
        item_code=figure.code,
        item_name=figure.row_name,
        item=item_of(figure.row_name),
        classification=figure.classification,
        measure=figure.column,
        header=tuple(figure.column.split("/")),
        printed=figure.printed,
        amount=amount,
        unit=unit,
        amount_yuan=to_yuan(amount, unit) if amount is not None and unit else None,
    )


def load(con: duckdb.DuckDBPyConnection, document_id: str) -> StoredDocument:
    """One stored document, read from the database alone."""
    row = con.execute(
        "select body, region, year, phase, edition from documents where document_id = ?", [document_id]
    ).fetchone()
    if row is None:
        raise KeyError(document_id)
    identity = Identity(*row)
    tables = [
        StoredTable(*r)
        for r in con.execute(
            """select table_no, kind, title, unit, first_page, last_page, header_rows, is_empty
               from doc_tables where document_id = ?""",
            [document_id],
        ).fetchall()
    ]
    figures = [
        StoredFigure(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], FigureMeaning(r[9], tuple(r[10] or ()), *r[11:])
        )
        for r in con.execute(
            """select table_no, page, row_no, col_no, code, row_name, column_name, classification, printed,
                      name, concepts, role, ref_year, measure, scope, spending, parent, direction, unit, value_yuan
               from figures where document_id = ? and source = 'table'""",
            [document_id],
        ).fetchall()
    ]
    pages = [
        PageText(*r)
        for r in con.execute("select page, text, has_tables from pages where document_id = ?", [document_id]).fetchall()
    ]
    return stored_document(identity, tables, figures, pages)
