"""Reading time of every document of the shared corpus, one process: the slowest documents and the worst
time per page, against the corpus's median per page in the same run (a quadratic step shows as a ratio far
above 1 on the document that triggers it; issue 24 asks for no document over 60 s).

    .venv/bin/python -m benchmarks.corpus_documents [FOLDER]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from ingest.document import inspect_file, read_document
from ingest.errors import IngestError
from ingest.run import group_documents

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REAL
    files = []
    for path in sorted(folder.glob("*.pdf")):
        try:
            files.append(inspect_file(path, 2000, 200))
        except IngestError as error:
            print(f"skipped {error}")
    timed: list[tuple[float, int, str]] = []
    for group in group_documents(files):
        started = time.process_time()
        record = read_document(group, 2000)
        timed.append((time.process_time() - started, record.pages, group[0].path.name))
    total, pages = sum(t for t, _, _ in timed), sum(p for _, p, _ in timed)
    median = statistics.median(t / p for t, p, _ in timed)
    print(f"{len(timed)} documents, {pages} pages, {total:.1f} s CPU ({pages / total:.1f} pages/s)")
    print(f"median {median * 1000:.1f} ms CPU per page")
    for seconds, count, name in sorted(timed, reverse=True)[:5]:
        print(f"{seconds:6.2f} s CPU  {count:4d} pages  {seconds / count * 1000:6.1f} ms/page  {name}")
    seconds, count, name = max(timed, key=lambda t: t[0] / t[1])
    ratio = seconds / count / median
    print(f"worst per page: {seconds / count * 1000:.1f} ms/page ({ratio:.2f} × the median) {name}")


if __name__ == "__main__":
    main()
