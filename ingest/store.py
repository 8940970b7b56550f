"""Writing document records into the DuckDB file.

Ingest never writes the live file: it copies it to a working file beside it, writes there (one
transaction per document), and renames the working file over the live one. A rename is atomic, so
a bot reading the database sees the old file or the new one, never half of either.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path

import duckdb

from checker import Finding
from ingest.document import DocumentRecord
from ingest.errors import IngestSetupError
from ingest.kinds import NARRATIVE_PLACE

# Rows per row group as the file is written (DuckDB's default is 122,880). A question reads a few rows
# of `figures` by row id, and DuckDB reads the row groups holding them whole: at 8,192 rows an answer
# at 1,000 documents takes ~12% less CPU; a row group is the size the file records, readers need no option.
ROW_GROUP_ROWS = 8192
SCHEMA = resources.files("ingest").joinpath("schema.sql").read_text(encoding="utf-8")


@contextmanager
def staged_database(target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a working copy of `target`, switched in when the block ends without error.

    One ingest at a time per database: two would each copy the live file and the second to finish
    would silently drop the first one's documents. A second one is refused while the first runs."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(target):
        work = target.with_name(f".{target.name}.{os.getpid()}.work")
        work.unlink(missing_ok=True)
        if target.exists():
            shutil.copyfile(target, work)
        con = duckdb.connect(":memory:")
        try:
            quoted = str(work).replace("'", "''")
            con.execute(f"attach '{quoted}' as budget (row_group_size {ROW_GROUP_ROWS})")
            con.execute("use budget")
            _create_schema(con)
            yield con
            con.execute("checkpoint budget")
            con.close()
            os.replace(work, target)
        finally:
            con.close()
            work.unlink(missing_ok=True)
            Path(f"{work}.wal").unlink(missing_ok=True)


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The current schema. A file written under another one starts empty: every document in it was
    read by another parser version (the schema is part of that version) and is read again anyway."""
    with duckdb.connect(":memory:") as fresh:
        expected = _columns(fresh, SCHEMA)
    found = _columns(con, None)
    if found and found != expected:
        for table in sorted(found):
            con.execute(f"drop table {table}")
    con.execute(SCHEMA)


def _columns(con: duckdb.DuckDBPyConnection, schema: str | None) -> dict[str, list[tuple[str, str]]]:
    if schema is not None:
        con.execute(schema)
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in con.execute(
        "select table_name, column_name, data_type from duckdb_columns() "
        "where not internal and database_name = current_database() and schema_name = 'main' "
        "order by table_name, column_index"
    ).fetchall():
        tables.setdefault(table, []).append((column, kind))
    return tables


@contextmanager
def _writer_lock(target: Path) -> Iterator[None]:
    """An exclusive lock on a file beside `target`, held while ingest writes; the OS drops it when the
    process ends, so a killed ingest never leaves the database locked."""
    lock = target.with_name(f".{target.name}.lock")
    with open(lock, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise IngestSetupError(
                f"{target}: another ingest ({holder}) is writing this database; wait for it to finish, "
                "or ingest into another --db"
            ) from None
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def cluster_figures(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite `figures` ordered by item, then document and reading order, and index it by key.

    A question's figures are then a few contiguous blocks (one item across 1,000 documents): the
    item_figures fragment finds their row ids in `figure_keys` and reads those rows whole, instead of
    every column of every document. The table is created afresh so its row ids run in that order; they
    stay as they are until the next ingest that writes, which calls this again. Answers order their rows
    by `ordinal`, never by where they are stored."""
    con.execute("begin transaction")
    try:
        con.execute("alter table figures rename to figures_unclustered")
        con.execute(SCHEMA)  # a new, empty `figures` with its declared columns and constraints
        con.execute("insert into figures select * from figures_unclustered order by item, document_id, ordinal")
        con.execute("drop table figures_unclustered")
        # Rows inserted in a transaction have provisional row ids until it commits: index them after.
        con.execute("commit")
        con.execute("begin transaction")
        con.execute("delete from figure_keys")
        con.execute(
            """
            insert into figure_keys
            select key, document_id, figure from (
                select item as key, document_id, rowid as figure from figures where item <> ''
                union all select unnest(concepts) as key, document_id, rowid as figure from figures
                union all select code as key, document_id, rowid as figure from figures where code is not null
            ) order by key, document_id, figure
            """
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def known_hashes(con: duckdb.DuckDBPyConnection, parser_version: str) -> set[str]:
    """File hashes already ingested by this parser version: those files need no work."""
    rows = con.execute(
        "select f.sha256 from files f join documents d using (document_id) where d.parser_version = ?",
        [parser_version],
    ).fetchall()
    return {sha for (sha,) in rows}


DOCUMENT_TABLES = (
    "documents",
    "files",
    "doc_tables",
    "cells",
    "figures",
    "figure_keys",
    "pages",
    "text_facts",
    "ingest_warnings",
    "findings",
)


def _delete(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> None:
    for table in DOCUMENT_TABLES:
        con.execute(f"delete from {table} where document_id in (select unnest(?))", [document_ids])


@dataclass(frozen=True)
class LoadedDocument:
    """One document as the database holds it: what `budgetbot documents` lists."""

    document_id: str
    body: str
    year: int | None
    phase: str
    edition: str
    files: tuple[str, ...]
    pages: int
    tables: int


_LOADED = """
    select d.document_id, d.body, d.year, d.phase, d.edition,
           (select list(f.file_name order by f.file_no) from files f where f.document_id = d.document_id),
           d.pages, (select count(*) from doc_tables t where t.document_id = d.document_id)
    from documents d {where} order by d.body, d.year, d.phase, d.edition
"""


def loaded_documents(con: duckdb.DuckDBPyConnection) -> list[LoadedDocument]:
    return [
        LoadedDocument(doc, body, year, phase, edition, tuple(files or ()), pages, tables)
        for doc, body, year, phase, edition, files, pages, tables in con.execute(_LOADED.format(where="")).fetchall()
    ]


class NoSuchDocument(Exception):
    """`budgetbot remove` was given an id the database does not hold."""


def remove_document(target: Path, document_id: str) -> LoadedDocument:
    """Take one document out of the database file: every row of it, in one transaction on a working copy
    switched in when done (a reader sees the file before or after, never between); nothing else changes."""
    if not target.exists():
        raise NoSuchDocument(f"{target}: no such database; nothing to remove (run budgetbot ingest first)")
    with staged_database(target) as con:
        found = con.execute(_LOADED.format(where="where d.document_id = ?"), [document_id]).fetchall()
        if not found:
            raise NoSuchDocument(f"{target}: no document with id {document_id!r}; `budgetbot documents` lists the ids")
        doc, body, year, phase, edition, files, pages, tables = found[0]
        con.execute("begin transaction")
        try:
            _delete(con, [document_id])
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        cluster_figures(con)  # figure_keys point at row ids: rebuilt, as after every ingest that writes
    return LoadedDocument(doc, body, year, phase, edition, tuple(files or ()), pages, tables)


def write_document(con: duckdb.DuckDBPyConnection, record: DocumentRecord) -> None:
    """Replace whatever the database holds for this document or its files, in one transaction."""
    names = [f.path.name for f in record.files]
    identity = record.identity
    con.execute("begin transaction")
    try:
        stale = con.execute(
            """
            select distinct document_id from files where file_name in (select unnest(?))
            union
            select document_id from documents
            where body = ? and year is not distinct from ? and phase = ? and edition = ?
            union select ?
            """,
            [names, identity.body, identity.year, identity.phase, identity.edition, record.document_id],
        ).fetchall()
        _delete(con, [doc for (doc,) in stale])
        _insert(con, record)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[object, ...]]) -> None:
    """Insert rows in one statement: each column goes over as one list and is unnested.

    (executemany runs one statement per row: a hundred times slower for a table's cells.)
    Decimals go over as text and are cast by the column's declared type.
    """
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    values = [[None if v is None else str(v) if isinstance(v, Decimal) else v for v in col] for col in columns]
    types = [
        t
        for _, t in con.execute(
            "select column_name, data_type from duckdb_columns() where table_name = ? order by column_index",
            [table],
        ).fetchall()
    ]
    selects = ", ".join(f"unnest(${i + 1})::{types[i]}" for i in range(len(columns)))
    con.execute(f"insert into {table} select {selects}", values)


def _insert(con: duckdb.DuckDBPyConnection, record: DocumentRecord) -> None:
    doc = record.document_id
    identity = record.identity
    _bulk_insert(
        con,
        "documents",
        [
            (
                doc,
                identity.body,
                identity.region,
                identity.year,
                identity.phase,
                identity.edition,
                record.pages,
                record.parser_version,
                record.checker_version,
                record.synthetic,
            )
        ],
    )
    firsts = [1]
    for info in record.files:
        firsts.append(firsts[-1] + info.pages)
    _bulk_insert(
        con,
        "files",
        [
            (
                doc,
                number,
                info.path.name,
                str(info.path.resolve()),
                info.sha256,
                info.pages,
                firsts[number - 1],
            )
            for number, info in enumerate(record.files, start=1)
        ],
    )
    _bulk_insert(
        con,
        "doc_tables",
        [
            (doc, table_no, t.kind, t.title, t.unit, t.pages[0], t.pages[-1], t.header_rows, t.is_empty)
            for table_no, t in enumerate(record.tables, start=1)
        ],
    )
    _bulk_insert(
        con,
        "cells",
        [
            (doc, table_no, c.page, c.row, c.col, c.text, *(c.box or (None, None, None, None)))
            for table_no, t in enumerate(record.tables, start=1)
            for c in t.cells
        ],
    )
    # each figure carries its table's title and emptiness, so that answers read figures without a join
    tables = {no: (t.title, t.is_empty) for no, t in enumerate(record.tables, start=1)}
    _bulk_insert(
        con,
        "figures",
        [
            (
                doc,
                ordinal,
                f.source,
                f.table_no,
                f.kind,
                *tables.get(f.table_no or 0, (NARRATIVE_PLACE, False)),  # tables count from 1
                f.page,
                f.row_no,
                f.col_no,
                f.code,
                f.name,
                f.item,
                list(f.concepts),
                f.classification,
                f.direction,
                f.role,
                f.ref_year,
                f.measure,
                f.scope,
                f.spending,
                f.row_name,
                f.column,
                f.parent,
                f.base,
                f.printed,
                f.value,
                f.unit,
                f.value_yuan,
                f.sentence,
                *(f.box or (None, None, None, None)),
            )
            for ordinal, f in enumerate(record.figures, start=1)
        ],
    )
    _bulk_insert(con, "pages", [(doc, p.number, p.text, p.has_tables) for p in record.page_texts])
    _bulk_insert(con, "text_facts", [(doc, t.page, t.kind, t.seq, t.label, t.text) for t in record.text_facts])
    _bulk_insert(con, "ingest_warnings", [(doc, w.file_name, w.page, w.message) for w in record.warnings])
    write_findings(con, doc, record.findings)


def write_findings(con: duckdb.DuckDBPyConnection, document_id: str, findings: Sequence[Finding]) -> None:
    """A document's findings, in order (the caller deletes the old ones in the same transaction)."""
    _bulk_insert(
        con,
        "findings",
        [
            (document_id, seq, f.rule, f.title, f.severity, f.message, list(f.pages), list(f.figures))
            for seq, f in enumerate(findings, start=1)
        ],
    )
