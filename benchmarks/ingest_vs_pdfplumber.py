"""Ingest speed against bare pdfplumber, single process, on the same PDFs.

Baseline: pdfplumber `extract_tables()` + `extract_text()` on every page (what any pdfplumber-based
reader does at least). Ours: `read_document` (identity, tables, facts, narrative, text facts, the
figure checker) and writing the result into a DuckDB file. Each side runs twice; the faster run
counts. The checker's share is timed inside the same reading runs (issue 6's budget: at most 10%
of ingest without it).

    .venv/bin/python -m benchmarks.ingest_vs_pdfplumber [FOLDER]   (default ../shared/corpus/real)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber

import ingest.document
from checker import Finding
from checker.document import check_document
from ingest.document import inspect_file, read_document
from ingest.errors import IngestError
from ingest.run import group_documents
from ingest.store import staged_database, write_document

MAX_PAGES = 2000


def bare_pdfplumber(files: list[Path]) -> int:
    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                pages += 1
                page.close()
    return pages


def ours(files: list[Path], store: bool) -> int:
    infos = [inspect_file(path, MAX_PAGES, 200) for path in files]
    records = [read_document(group, MAX_PAGES) for group in group_documents(infos)]
    if store:
        with tempfile.TemporaryDirectory() as folder, staged_database(Path(folder) / "bench.duckdb") as con:
            for record in records:
                write_document(con, record)
    return sum(record.pages for record in records)


class CheckTimer:
    """Times every call read_document makes to the checker, without changing what it returns."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, *args: Any) -> tuple[Finding, ...]:
        start = time.perf_counter()
        found = check_document(*args)
        self.seconds += time.perf_counter() - start
        return found


def budgets(files: list[Path]) -> list[Path]:
    """The files ingest reads: one it refuses (a 绩效自评表 is no budget) is left out of both sides."""
    kept = []
    for path in files:
        try:
            inspect_file(path, MAX_PAGES, 200)
        except IngestError as error:
            print(f"left out: {error}", file=sys.stderr)
            continue
        kept.append(path)
    return kept


def best_of_two(run: Callable[[], int]) -> tuple[float, int]:
    times = []
    pages = 0
    for _ in range(2):
        start = time.perf_counter()
        pages = run()
        times.append(time.perf_counter() - start)
    return min(times), pages


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
    files = budgets(sorted(folder.glob("*.pdf")))
    if not files:
        print(f"no PDFs in {folder}", file=sys.stderr)
        return 1
    base_time, pages = best_of_two(lambda: bare_pdfplumber(files))
    timer = CheckTimer()
    setattr(ingest.document, "check_document", timer)  # noqa: B010 - the module's own name, timed
    read_time, _ = best_of_two(lambda: ours(files, store=False))
    setattr(ingest.document, "check_document", check_document)  # noqa: B010
    check_time = timer.seconds / 2  # two reading runs
    full_time, _ = best_of_two(lambda: ours(files, store=True))
    print(f"corpus: {len(files)} PDFs, {pages} pages ({folder})")
    print(f"{'':38}{'seconds':>9}{'pages/s':>9}{'ratio':>8}")
    for name, seconds in (
        ("bare pdfplumber tables+text", base_time),
        ("ours: read (tables, facts, narrative)", read_time),
        ("ours: read + store in DuckDB", full_time),
    ):
        print(f"{name:38}{seconds:9.2f}{pages / seconds:9.1f}{seconds / base_time:8.2f}")
    without = read_time - check_time
    print(f"of which the figure checker: {check_time:.2f} s, {check_time / without:.1%} of reading without it")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
