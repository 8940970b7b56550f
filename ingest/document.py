"""Reading one document (one or more PDF files) into a record: a pure function of the files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from checker import CHECKER_VERSION, Finding
from checker.document import check_document
from checker.stored import StoredFigure, StoredTable, meaning_of, stored_document
from checker.text import PageText
from ingest import PARSER_VERSION
from ingest.codes import coded_by_name
from ingest.described import described_figures
from ingest.errors import IngestError
from ingest.figures import Figure, document_figures
from ingest.identify import SYNTHETIC_MARK, Identity, canonical_body, identify, not_a_budget
from ingest.locate import place_of
from ingest.narrative import TextFact, text_facts_of
from ingest.pdf import Page, is_contents, page_texts, read_pages
from ingest.projects import project_figures, restated_figures
from ingest.stated import stated_figures
from ingest.tables import FoundTable, find_tables
from ingest.targets import targets_of
from ingest.units import units_of


@dataclass(frozen=True)
class FileInfo:
    path: Path
    sha256: str
    pages: int
    identity: Identity
    has_contents: bool  # prints a 目录: the narrative part, whose pages come first


@dataclass(frozen=True)
class Warning:
    file_name: str
    page: int
    message: str


@dataclass(frozen=True)
class DocumentRecord:
    document_id: str
    identity: Identity
    files: tuple[FileInfo, ...]
    pages: int
    tables: tuple[FoundTable, ...]
    figures: tuple[Figure, ...]
    text_facts: tuple[TextFact, ...]
    warnings: tuple[Warning, ...]
    page_texts: tuple[PageText, ...] = ()  # every page's text, stored for the checker
    findings: tuple[Finding, ...] = ()
    synthetic: bool = False  # generated for benchmarks (its cover says 合成数据), never real
    parser_version: str = PARSER_VERSION
    checker_version: str = CHECKER_VERSION


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inspect_file(path: Path, max_pages: int, max_file_mb: int) -> FileInfo:
    """Hash, page count and identity of one PDF; raises IngestError when it cannot be read."""
    size_mb = path.stat().st_size / (1 << 20)
    if size_mb > max_file_mb:
        raise IngestError(path.name, 0, f"the file is {size_mb:.0f} MB, more than [ingest] max_file_mb = {max_file_mb}")
    texts = [text for text, _ in page_texts(path, max_pages)]
    if not any(len(t.strip()) >= 20 for t in texts):
        raise IngestError(path.name, 1, "no page has a text layer (a scanned document?); OCR would be needed first")
    other = not_a_budget(texts)
    if other:
        raise IngestError(
            path.name, 1, f"not a budget or final account but a {other} (its first page says so); not ingested"
        )
    identity = identify(texts)
    if "XX" in identity.body.upper():
        raise IngestError(path.name, 1, f"a blank template ({identity.body}), not a published document; not ingested")
    has_contents = any(is_contents(t) for t in texts[:3])
    return FileInfo(path, sha256_of(path), len(texts), identity, has_contents)


def document_key(identity: Identity) -> tuple[str, int | None, str, str]:
    return (canonical_body(identity.body), identity.year, identity.phase, identity.edition)


def document_id(files: list[FileInfo]) -> str:
    joined = "".join(sorted(f.sha256 for f in files))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def read_document(files: list[FileInfo], max_pages: int) -> DocumentRecord:
    """Everything one document states: its tables, narrative figures and text facts."""
    # Narrative before tables, so page numbers follow the printed order of the publication.
    ordered = sorted(files, key=lambda f: (not f.has_contents, f.path.name))
    pages: list[Page] = []
    warnings: list[Warning] = []
    offset = 0
    for info in ordered:
        for page in read_pages(info.path, max_pages, offset):
            if not page.has_text:
                warnings.append(
                    Warning(info.path.name, page.number - offset, "the page has no text layer (image only)")
                )
            pages.append(page)
        offset += info.pages
    tables = find_tables(pages)
    if not any(t.kind != "other" for t in tables) and not any("预算" in p.text or "决算" in p.text for p in pages):
        names = ", ".join(f.path.name for f in ordered)
        raise IngestError(names, 0, "no budget tables or budget narrative found; is this a budget document?")
    narrative_pages = [(p.number, p.text) for p in pages if not p.tables]
    identity = _merged_identity(ordered)
    # What the narrative states is read on table pages too, outside the tables.
    explained = [(p.number, p.text_outside_tables()) for p in pages]
    figures = coded_by_name(document_figures(tables, _placed(stated_figures(explained, identity), pages), identity))
    figures += [f for number, table in enumerate(tables, start=1) for f in project_figures(number, table, identity)]
    figures += [f for number, table in enumerate(tables, start=1) for f in restated_figures(number, table, identity)]
    figures += [f for number, table in enumerate(tables, start=1) for f in described_figures(number, table, identity)]
    texts = [PageText(p.number, p.text, bool(p.tables)) for p in pages]
    facts = text_facts_of(narrative_pages) + targets_of(tables)
    facts += units_of(tables, first=1 + sum(f.kind == "unit" for f in facts))
    return DocumentRecord(
        document_id=document_id(ordered),
        identity=identity,
        files=tuple(ordered),
        pages=offset,
        tables=tuple(tables),
        figures=tuple(figures),
        text_facts=tuple(facts),
        warnings=tuple(warnings),
        page_texts=tuple(texts),
        findings=_checked(identity, tables, figures, texts),
        synthetic=any(SYNTHETIC_MARK in page.text for page in pages[:1]),
    )


def _checked(
    identity: Identity, tables: list[FoundTable], figures: list[Figure], texts: list[PageText]
) -> tuple[Finding, ...]:
    """The checker's findings, on the document in the form the database stores it (checker/stored.py)."""
    stored_tables = [
        StoredTable(no, t.kind, t.title, t.unit, t.pages[0], t.pages[-1], t.header_rows, t.is_empty)
        for no, t in enumerate(tables, start=1)
    ]
    stored_figures = [
        StoredFigure(
            f.table_no,
            f.page,
            f.row_no,
            f.col_no,
            f.code,
            f.row_name,
            f.column,
            f.classification,
            f.printed,
            meaning_of(f),
        )
        for f in figures
        if f.source == "table" and f.table_no is not None
    ]
    return check_document(stored_document(identity, stored_tables, stored_figures, texts))


def _placed(figures: list[Figure], pages: list[Page]) -> list[Figure]:
    """Narrative figures with the box of their characters on the page (for marking the source)."""
    by_number = {p.number: p for p in pages}
    seen: dict[tuple[int, int, str], int] = {}
    out = []
    for figure in figures:
        key = (figure.page, figure.row_no, figure.printed)  # the same figure printed twice in one sentence
        nth = seen.get(key, 0)
        seen[key] = nth + 1
        page = by_number.get(figure.page)
        box = place_of(page.glyphs, page.glyph_boxes, figure.printed, figure.sentence, nth) if page else None
        out.append(replace(figure, box=box) if box else figure)
    return out


def _merged_identity(files: list[FileInfo]) -> Identity:
    """The fullest identity among the files (a narrative PDF usually names the body best)."""
    best = max((f.identity for f in files), key=lambda i: (i.year is not None, len(i.body)))
    return replace(best, body=canonical_body(best.body))
