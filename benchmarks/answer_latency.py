"""Answer latency against the bare SQL of the same answers, in one process, on one database.

Questions: every example question of the template catalogue and every question of the test files
(tests/data/questions_*.toml and the journalists' files tests/data/questions/*.toml), repeated in a
shuffled order (fixed seed) until there are N.
Ours: `Answerer.answer` (normalising, matching, choosing documents, running the template's SQL,
composing the typed answer) plus rendering it as chat text. Baseline: executing the answer's own SQL
with its own parameters on the same read-only connection and fetching the rows.

    .venv/bin/python -m benchmarks.answer_latency [--db FILE] [-n 10000]
      (without --db: ingests ../shared/corpus/real and the sample into a temporary database)
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.render import to_text
from ingest.run import IngestOptions, ingest
from queries.run import Answerer

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"


def questions(answerer: Answerer, count: int, extra: Sequence[str] = (), distinct: bool = False) -> list[str]:
    """`count` questions shuffled with a fixed seed, the pool repeated as needed; `distinct`: each
    question once, as many as the pool holds up to `count`."""
    pool = [example for template in answerer.catalogue.values() for example in template.examples] + list(extra)
    for name in ("questions_sample.toml", "questions_real.toml"):
        data = tomllib.loads((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
        pool += [case["question"] for case in data["questions"]]
    # the journalists' files ask about the real corpus: not about a synthetic one (`extra` is its questions)
    for path in [] if extra else sorted((ROOT / "tests" / "data" / "questions").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        pool += [case["question"] for case in data.get("questions", [])]
        pool += [turn["question"] for talk in data.get("conversations", []) for turn in talk["turns"][:1]]
    rng = random.Random(7)
    if distinct:
        pool = list(dict.fromkeys(pool))
        rng.shuffle(pool)
        return pool[:count]
    out: list[str] = []
    while len(out) < count:
        rng.shuffle(pool)
        out += pool
    return out[:count]


def fresh_answerer(description: str | None) -> tuple[Answerer, int]:
    """The options of a benchmark timing answers on a database (--db FILE [--repeat N]), and an answerer that
    remembers nothing between answers, so each is timed afresh."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    return Answerer(args.db, answers_kept=0), args.repeat


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass(frozen=True)
class Latency:
    """Milliseconds at p50 and p99, ours and the bare SQL of the same answers."""

    documents: int
    ours_p50: float
    ours_p99: float
    bare_p50: float
    bare_p99: float
    ours_cpu_p50: float
    ours_cpu_p99: float
    bare_cpu_p50: float
    bare_cpu_p99: float


def run(database: Path, count: int, extra: Sequence[str] = ()) -> Latency:
    answerer = Answerer(database, answers_kept=0)  # the cost of answering, not of remembering
    asked = questions(answerer, count, extra)
    for question in asked[:200]:  # warm the caches of both sides
        answerer.answer(question)
    full: list[float] = []
    paired: list[float] = []  # ours, for the answers that run SQL
    bare: list[float] = []
    # CPU seconds of the whole process (DuckDB runs queries on threads of its own): the VM's
    # half-second freezes show in wall time, not here.
    full_cpu: list[float] = []
    paired_cpu: list[float] = []
    bare_cpu: list[float] = []
    con = answerer.snapshot().con
    for question in asked:
        start, start_cpu = time.perf_counter(), time.process_time()
        answer = answerer.answer(question)
        to_text(answer)
        middle, middle_cpu = time.perf_counter(), time.process_time()
        full.append(middle - start)
        full_cpu.append(middle_cpu - start_cpu)
        if answer.sql:
            con.execute(answer.sql, answer.params).fetchall()
            bare.append(time.perf_counter() - middle)
            bare_cpu.append(time.process_time() - middle_cpu)
            paired.append(middle - start)
            paired_cpu.append(middle_cpu - start_cpu)
    ms = 1000.0
    documents = len(answerer.snapshot().documents)
    print(f"{len(asked)} questions, {documents} documents, {len(bare)} of them run SQL")
    print(f"{'':40}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    rows = (
        ("ours, every question, wall", full),
        ("ours, questions that run SQL, wall", paired),
        ("bare SQL of those answers, wall", bare),
        ("ours, every question, CPU", full_cpu),
        ("ours, questions that run SQL, CPU", paired_cpu),
        ("bare SQL of those answers, CPU", bare_cpu),
    )
    for name, values in rows:
        print(
            f"{name:40}{percentile(values, 0.5) * ms:9.2f}{percentile(values, 0.95) * ms:9.2f}"
            f"{percentile(values, 0.99) * ms:9.2f}{statistics.fmean(values) * ms:9.2f}"
        )
    for kind, ours, base in (("wall", paired, bare), ("CPU", paired_cpu, bare_cpu)):
        print(
            f"ratio ours / bare SQL ({kind}, same questions): "
            + ", ".join(
                f"{name} {percentile(ours, share) / max(percentile(base, share), 1e-9):.2f}×"
                for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
            )
            + f", mean {statistics.fmean(ours) / max(statistics.fmean(base), 1e-9):.2f}×"
        )
    return Latency(
        documents,
        percentile(paired, 0.5) * ms,
        percentile(paired, 0.99) * ms,
        percentile(bare, 0.5) * ms,
        percentile(bare, 0.99) * ms,
        percentile(paired_cpu, 0.5) * ms,
        percentile(paired_cpu, 0.99) * ms,
        percentile(bare_cpu, 0.5) * ms,
        percentile(bare_cpu, 0.99) * ms,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    parser.add_argument("-n", type=int, default=10_000)
    args = parser.parse_args()
    if args.db is not None:
        run(args.db, args.n)
        return
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "budget.duckdb"
        options = IngestOptions(workers=2, max_pages=2000, max_file_mb=200, timeout_seconds=600, progress=False)
        ingest([*sorted(REAL.glob("*.pdf")), ROOT / "samples"], database, options)
        run(database, args.n)


if __name__ == "__main__":
    main()
