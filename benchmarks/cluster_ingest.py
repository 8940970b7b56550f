"""Ingest on one machine against ingest through a Dask LocalCluster, on the same synthetic files.

    python -m benchmarks.cluster_ingest [--documents 200] [--folder DIR]

Runs, in one process and in this order: local ingest with 1 process, with 2 processes, and through a
LocalCluster of 2 worker processes (the cluster started beforehand; its start-up is reported on its
own line). Prints seconds, pages/s, each run's ratio to the local 2-process run (the overhead of the
cluster path), and the database's size per 1,000 documents. Every run must give the same documents.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from distributed import LocalCluster

from ingest.run import IngestOptions, ingest

WORKERS = 2


@dataclass(frozen=True)
class Run:
    name: str
    seconds: float
    documents: int


def _ingest(name: str, files: list[Path], database: Path, workers: int, cluster: str = "") -> Run:
    for stale in (database, Path(f"{database}.wal")):
        stale.unlink(missing_ok=True)
    options = IngestOptions(
        workers=workers, max_pages=2000, max_file_mb=200, timeout_seconds=600, progress=False, cluster=cluster
    )
    start = time.perf_counter()
    summary = ingest(files, database, options)
    seconds = time.perf_counter() - start
    if summary.failures:
        raise SystemExit(f"bench: ingest failed: {summary.failures[0]}")
    return Run(name, seconds, summary.documents)


def _pages(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute("select sum(pages) from documents").fetchone()
    return int(row[0]) if row and row[0] else 0


def run(files: list[Path], folder: Path) -> None:
    """Print the table for `files` (databases go to `folder`)."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "cluster-bench.duckdb"
    runs = [
        _ingest("local, 1 process", files, database, 1),
        _ingest(f"local, {WORKERS} processes", files, database, WORKERS),
    ]
    start = time.perf_counter()
    with LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        startup = time.perf_counter() - start
        runs.append(
            _ingest(f"Dask LocalCluster, {WORKERS} workers", files, database, WORKERS, cluster.scheduler_address)
        )
    pages = _pages(database)
    size = database.stat().st_size
    if len({r.documents for r in runs}) != 1:
        raise SystemExit(f"bench: the runs ingested different numbers of documents: {runs}")
    baseline = runs[1].seconds
    print(f"ingest of {len(files)} files ({runs[0].documents} documents, {pages} pages)")
    print(f"    {'':36}{'seconds':>9}{'pages/s':>9}{'ratio':>8}")
    for r in runs:
        print(f"    {r.name:36}{r.seconds:9.2f}{pages / r.seconds:9.1f}{r.seconds / baseline:8.2f}")
    print(f"    cluster start-up (scheduler + {WORKERS} workers): {startup:.2f} s, not in the ratio")
    print(f"    database: {size / 2**20:.1f} MB, {size / runs[0].documents * 1000 / 2**20:.0f} MB per 1,000 documents")


def main(argv: list[str]) -> int:
    from samples.synthetic import generate  # needs reportlab and the CJK font (scripts/setup.sh --dev)

    parser = argparse.ArgumentParser(prog="python -m benchmarks.cluster_ingest", description=__doc__)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "budgetbot-bench")
    args = parser.parse_args(argv)
    files = generate(args.folder / "pdf", args.documents, workers=WORKERS)[: args.documents]
    run(files, args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
