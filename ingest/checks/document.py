"""Every check on one document just read: the tables, the narrative against them, the text."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from ingest.checks.figures import forget_lines
from ingest.checks.findings import SEVERITIES, Finding
from ingest.checks.narrative import check_narrative
from ingest.checks.tables import check_tables
from ingest.checks.text import PageText, check_text
from ingest.identify import Identity
from ingest.narrative import Statement
from ingest.tables import FoundTable

__all__ = ["check_document"]
log = logging.getLogger(__name__)


def check_document(
    identity: Identity, tables: Sequence[FoundTable], statements: Sequence[Statement], pages: Sequence[PageText]
) -> tuple[Finding, ...]:
    texts = {p.number: p.text for p in pages if not p.has_tables}
    groups: tuple[tuple[str, Callable[[], list[Finding]]], ...] = (
        ("表格", lambda: check_tables(tables)),
        ("说明与表格", lambda: check_narrative(statements, tables, texts, identity)),
        ("完整性与文字", lambda: check_text(tables, pages, identity)),
    )
    findings: list[Finding] = []
    forget_lines()
    for name, run in groups:
        try:
            findings += run()
        except Exception:  # a checker bug must cost its own findings, never the document
            log.exception("checking %s (%s) failed", identity.body, name)
            first = pages[0].number if pages else 1
            findings.append(Finding("Z01", "warning", f"核对“{name}”的规则出错，这部分没有核对", (first,)))
    forget_lines()
    order = {severity: rank for rank, severity in enumerate(SEVERITIES)}
    unique = dict.fromkeys(findings)  # two rules' readings of one sentence can word a finding alike
    return tuple(sorted(unique, key=lambda f: (order[f.severity], f.pages[0], f.rule, f.message)))
