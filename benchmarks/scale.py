"""`budgetbot bench`: ingest, answers and the bot on a synthetic corpus, each against its baseline.

1. Generates N synthetic documents (samples/synthetic.py; reused when already there).
2. Ingest on the first 40 files: bare pdfplumber `extract_tables()` + `extract_text()` against ours
   (read + store), single process, then ours with all workers.
3. `budgetbot ingest` of all N files with all workers, as its own process: pages/s, database size per
   document, peak memory (the process and its workers together, sampled every 0.1 s).
4. Answers at 40 and at N documents: wall and CPU p50/p99 over the questions against the bare SQL of
   the same answers (benchmarks/answer_latency.py); `budgetbot ask` at N documents (median of 10
   processes) against the interpreter importing DuckDB.
5. The bot at N documents: updates/s and reply latency against the bare pipeline, and the serving
   process's peak memory (benchmarks/bot_throughput.py).
6. Ingest of the first 200 documents with 1 and 2 local processes and through a Dask LocalCluster of
   2 workers (benchmarks/cluster_ingest.py).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from benchmarks import answer_latency, bot_throughput, cluster_ingest
from benchmarks.answer_latency import ROOT
from benchmarks.ingest_vs_pdfplumber import bare_pdfplumber, ours
from benchmarks.processes import tree_memory_kb
from ingest.run import IngestOptions, ingest
from queries.run import Answerer

SMALL = 40
ASK_RUNS = 10
CLUSTER = 200
ITEMS = ("三公经费", "公务接待费", "基本支出", "项目支出", "收入总计", "支出总计", "人员经费", "公用经费", "住房公积金")


@dataclass(frozen=True)
class BenchOptions:
    documents: int
    folder: Path
    workers: int
    questions: int
    updates: int
    chats: int


def _tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and all its descendants, in MB."""
    return sum(tree_memory_kb(root, "VmRSS").values()) / 1024


class MemoryPeak(threading.Thread):
    """Samples the memory of a process and its children until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak_mb = max(self.peak_mb, _tree_rss_mb(self.pid))

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak_mb


def ingest_process(folder: Path, database: Path, workers: int) -> tuple[float, float]:
    """`budgetbot ingest` of `folder` as its own process: seconds, and peak memory of it and its workers."""
    for stale in (database, Path(f"{database}.wal")):
        stale.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bot.cli", "ingest", "--db", str(database), "--workers", str(workers)]
    start = time.perf_counter()
    process = subprocess.Popen([*command, "--quiet", str(folder)], cwd=ROOT, stdout=subprocess.DEVNULL)
    peak = MemoryPeak(process.pid)
    peak.start()
    code = process.wait()
    seconds = time.perf_counter() - start
    memory = peak.stop()
    if code != 0:
        raise SystemExit(f"bench: budgetbot ingest {folder} failed (exit {code})")
    return seconds, memory


def synthetic_questions(database: Path, per_document: int = 1) -> list[str]:
    """Questions about the documents in `database`: figures of one document (`per_document` items
    each), a body's item over the years (as many items for each of 200 bodies) and rankings across
    documents; every question is asked once, in about the same mix whatever `per_document`."""
    documents = Answerer(database, answers_kept=0).snapshot().documents
    rng = random.Random(11)
    out = [f"{doc.body}{doc.year}年{item}多少" for doc in documents for item in rng.sample(ITEMS, per_document)]
    bodies = sorted({doc.body for doc in documents})
    years = sorted({doc.year for doc in documents if doc.year})
    out += [f"{body}历年{item}" for body in bodies[:200] for item in rng.sample(ITEMS, per_document)]
    out += [f"{year}年哪个单位{item}最多" for year in years for item in ITEMS[: 3 * per_document]]
    return out


def _ingest(files: list[Path], database: Path, workers: int) -> float:
    for stale in (database, Path(f"{database}.wal")):
        stale.unlink(missing_ok=True)
    options = IngestOptions(workers=workers, max_pages=2000, max_file_mb=200, timeout_seconds=600, progress=False)
    start = time.perf_counter()
    summary = ingest(files, database, options)
    seconds = time.perf_counter() - start
    if summary.failures:
        raise SystemExit(f"bench: ingest failed: {summary.failures[0]}")
    return seconds


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def machine() -> str:
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        "0",
    )
    return f"{os.cpu_count()} cores, {int(memory) / 1024 / 1024:.0f} GiB, Python {platform.python_version()}"


def run_bench(options: BenchOptions) -> int:
    from samples.synthetic import generate  # needs reportlab and the CJK font (scripts/setup.sh --dev)

    print(f"machine: {machine()}; workers: {options.workers}")
    began = start = time.perf_counter()
    files = generate(options.folder / "pdf", options.documents, workers=options.workers)
    print(f"[1] {len(files)} synthetic documents in {options.folder / 'pdf'} ({time.perf_counter() - start:.0f} s)")

    small = files[:SMALL]
    small_db = options.folder / f"bench-{len(small)}.duckdb"
    base = _timed(lambda: bare_pdfplumber(small))
    start = time.perf_counter()
    pages = ours(small, store=True)
    single = time.perf_counter() - start
    parallel = _ingest(small, small_db, options.workers)
    print(f"[2] ingest of {len(small)} documents, {pages} pages")
    print(f"    {'':40}{'seconds':>9}{'pages/s':>9}{'ratio':>8}")
    for name, seconds in (
        ("bare pdfplumber tables+text, 1 process", base),
        ("ours (read + store), 1 process", single),
        (f"ours (budgetbot ingest), {options.workers} workers", parallel),
    ):
        print(f"    {name:40}{seconds:9.2f}{pages / seconds:9.1f}{seconds / base:8.2f}")
    print(f"    speed-up with {options.workers} workers: {single / parallel:.2f}×")

    big_db = options.folder / f"bench-{len(files)}.duckdb"
    seconds, memory = ingest_process(options.folder / "pdf", big_db, options.workers)
    all_pages = _pages(big_db)
    size = big_db.stat().st_size / len(files) / 1024
    print(f"[3] ingest of {len(files)} documents, {all_pages} pages, {options.workers} workers: {seconds:.0f} s, "
          f"{all_pages / seconds:.1f} pages/s; database {big_db.stat().st_size / 2**20:.1f} MB "
          f"({size:.0f} KB per document); peak memory of ingest {memory:.0f} MB")  # fmt: skip

    print(f"[4] answers, {options.questions} questions (wall and CPU time, against the bare SQL)")
    at_small = answer_latency.run(small_db, options.questions, synthetic_questions(small_db))
    at_big = answer_latency.run(big_db, options.questions, synthetic_questions(big_db))
    growth = at_big.ours_cpu_p99 / at_small.ours_cpu_p99
    print(f"    CPU p99 from {at_small.documents} to {at_big.documents} documents: {growth:.2f}×")

    ask, floor = ask_seconds(big_db)
    print(f"[4b] `budgetbot ask` on {len(files)} documents, median of {ASK_RUNS}: {ask:.2f} s; "
          f"`python -c \"import duckdb\"`: {floor:.2f} s; ratio {ask / floor:.1f}×")  # fmt: skip

    print(f"[5] the bot at {len(files)} documents, {options.updates} updates")
    # distinct questions: each answer computed, each chart drawn (three items per document give enough)
    bot = bot_throughput.run(big_db, options.updates, options.chats, synthetic_questions(big_db, per_document=3))

    print(f"[6] local processes against a Dask LocalCluster, the first {CLUSTER} documents")
    cluster_ingest.run(files[:CLUSTER], options.folder)

    computed = bot.updates_per_second[bot_throughput.PASSES[0]]
    remembered = bot.updates_per_second[bot_throughput.PASSES[1]]
    goals = (
        ("ingest ≤ 0.6× bare pdfplumber, 1 process", f"{single / base:.2f}×", single / base <= 0.6),
        ("`budgetbot ask` < 0.3 s", f"{ask:.2f} s (floor {floor:.2f} s)", ask < 0.3),
        ("answer CPU p99 < 20 ms at N documents", f"{at_big.ours_cpu_p99:.1f} ms", at_big.ours_cpu_p99 < 20),
        ("answer CPU p99 grows < 2× from 40 to N", f"{growth:.2f}×", growth < 2),
        ("bot ≥ 300 updates/s, answers computed", f"{computed:.0f}/s ({remembered:.0f}/s remembered)", computed >= 300),
        (
            "serving process < 300 MB",
            f"{bot.peak_memory_mb:.0f} MB ({bot.tree_memory_mb:.0f} MB with its answer workers)",
            bot.peak_memory_mb < 300,
        ),
    )
    print("goals:")
    for goal, measured, met in goals:
        print(f"    {'met    ' if met else 'NOT met'}  {goal}: {measured}")
    print(f"the whole benchmark: {(time.perf_counter() - began) / 60:.1f} minutes")
    return 0


def ask_seconds(database: Path) -> tuple[float, float]:
    """Median wall seconds of `budgetbot ask` (a fresh process, as a script calls it), and of the
    bare interpreter importing DuckDB (the floor)."""
    ask = [sys.executable, "-m", "bot.cli", "ask", "三公经费多少", "--db", str(database)]
    floor = [sys.executable, "-c", "import duckdb"]
    timings = []
    for command in (ask, floor):
        runs = []
        for _ in range(ASK_RUNS):
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
            runs.append(time.perf_counter() - start)
        timings.append(statistics.median(runs))
    return timings[0], timings[1]


def _pages(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute("select sum(pages) from documents").fetchone()
    return int(row[0]) if row and row[0] else 0
