"""The figure checker's stored findings, read back per document for `budgetbot check` and /check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from checker import CHECKER_VERSION, SEVERITY_NAMES
from queries.answer import Source
from queries.frame import DocumentInfo
from queries.run import Answerer

# Run by `budgetbot check`, /check and GET /api/check (all tested), so a broken file fails the tests.
FINDINGS_SQL = resources.files("queries").joinpath("findings.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Check:
    """One finding: which rule, how sure, what it says, and where to look."""

    rule: str
    title: str  # what the rule checks
    severity: str  # error | warning | info
    message: str
    pages: tuple[int, ...]
    figures: tuple[str, ...]  # the printed numbers compared
    source: Source  # the first page, with its file and page within the file


@dataclass(frozen=True)
class Report:
    document: DocumentInfo
    checks: tuple[Check, ...]

    def count(self, severity: str) -> int:
        return sum(1 for check in self.checks if check.severity == severity)

    @property
    def tally(self) -> str:
        """错误 1 条，警告 2 条，提示 0 条"""
        return "，".join(f"{name} {self.count(severity)} 条" for severity, name in SEVERITY_NAMES.items())


def named_documents(answerer: Answerer, name: str | None) -> list[DocumentInfo]:
    """All documents when no name is given; else the one with that id, or those whose label has every word."""
    documents = answerer.snapshot().documents
    if not name:
        return documents
    exact = [d for d in documents if d.id == name]
    return exact or [d for d in documents if all(word in d.label for word in name.split())]


def reports(answerer: Answerer, documents: Sequence[DocumentInfo]) -> list[Report]:
    rows = answerer.snapshot().con.execute(FINDINGS_SQL, {"documents": [d.id for d in documents]}).fetchall()
    by_document: dict[str, list[Check]] = {}
    for document_id, rule, title, severity, message, pages, figures in rows:
        doc = next(d for d in documents if d.id == document_id)
        source = answerer.source(doc, "", pages[0])
        check = Check(rule, title, severity, message, tuple(pages), tuple(figures), source)
        by_document.setdefault(document_id, []).append(check)
    return [Report(doc, tuple(by_document.get(doc.id, []))) for doc in documents]


def stale_count(answerer: Answerer) -> int:
    """Documents whose findings an older checker computed (`budgetbot check --recheck` renews them)."""
    row = answerer.snapshot().con.execute(
        "select count(*) from documents where checker_version <> ?", [CHECKER_VERSION]
    ).fetchone()
    return int(row[0]) if row else 0
