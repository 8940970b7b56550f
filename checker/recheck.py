"""Running the checker again on the database alone: after a rule changed, no PDF is read again."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from checker import CHECKER_VERSION, Finding
from checker.document import check_document
from checker.stored import load
from ingest.store import write_findings


def stale_documents(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Documents whose findings another checker version computed."""
    rows = con.execute(
        "select document_id from documents where checker_version <> ? order by document_id", [CHECKER_VERSION]
    ).fetchall()
    return [document_id for (document_id,) in rows]


def recheck(con: duckdb.DuckDBPyConnection, document_ids: Sequence[str]) -> dict[str, tuple[Finding, ...]]:
    """Each document's findings computed again from what the database stores, and stored in place
    of the old ones (one transaction per document: a failure leaves its old findings whole)."""
    out: dict[str, tuple[Finding, ...]] = {}
    for document_id in document_ids:
        findings = check_document(load(con, document_id))
        con.execute("begin transaction")
        try:
            con.execute("delete from findings where document_id = ?", [document_id])
            write_findings(con, document_id, findings)
            con.execute(
                "update documents set checker_version = ? where document_id = ?", [CHECKER_VERSION, document_id]
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        out[document_id] = findings
    return out
