"""Every check on one stored document: the tables, the narrative against them, the text."""

from __future__ import annotations

import logging
from collections.abc import Callable

from checker.figures import forget_lines
from checker.findings import SEVERITIES, Finding, rule
from checker.narrative import check_narrative
from checker.notes import fund_tables, table_notes
from checker.performance import overall_performance
from checker.stored import StoredDocument
from checker.tables import check_tables
from checker.text import check_text
from checker.twice import printed_twice
from ingest.narrative import Statement, statements_of

__all__ = ["check_document"]
log = logging.getLogger(__name__)


rule("Z01", "warning", "核对程序本身出错时，说明哪部分规则没有运行")
def check_document(document: StoredDocument) -> tuple[Finding, ...]:
    identity, tables, pages = document.identity, document.tables, document.pages
    texts = {p.number: p.text for p in pages if not p.has_tables}
    groups: tuple[tuple[str, Callable[[], list[Finding]]], ...] = (
        ("表格", lambda: check_tables(tables)),
        ("说明与表格", lambda: check_narrative(_statements(texts), tables, texts, identity)),
        ("完整性与文字", lambda: check_text(tables, pages, identity)),
        ("表下注与基金表", lambda: [*table_notes(tables, pages), *fund_tables(tables)]),
        ("绩效目标表", lambda: list(overall_performance(tables, document.figures))),
        ("一数两印", lambda: list(printed_twice(tables, document.figures))),
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


def _statements(texts: dict[int, str]) -> list[Statement]:
    # The checker reads the narrative its own way; answers read the stated figures of `figures`.
    return [s for number, text in texts.items() for s in statements_of(number, text)]
