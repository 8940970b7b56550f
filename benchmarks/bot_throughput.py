"""The Telegram bot's updates per second and reply latency, against the bare pipeline, in one run.

Ours: `budgetbot serve` as its own process (what production runs), polling the local stand-in Bot
API server (benchmarks/local_bot_api.py) in this process over HTTP. Updates are distinct benchmark
questions (benchmarks/answer_latency.py, each once) spread over many private chats, in the same order
per chat. The bot's CPU time is split by process (the bot, its answer workers, the stand-in server),
and the bare pipeline's by stage (answering, messages, charts): where the time goes.
Baseline: the bare pipeline in this process, with no Telegram layer: per chat, `Conversation.ask`
then `to_html`, for the same questions in the same order.

- throughput: all updates pushed at once; updates/s until the last reply arrived.
- latency: one update at a time; from the update being available to its first reply message.
Both sides run twice: first with fresh processes (every answer computed), then again with the
answers the first pass left in memory (a busy bot sees the same questions over and over). Every
reply the bot sends is checked against the bare pipeline's text.

    .venv/bin/python -m benchmarks.bot_throughput [--db FILE] [-n 3000] [--chats 100]
      (without --db: ingests ../shared/corpus/real and the sample into a temporary database)
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.answer_latency import REAL, ROOT, percentile, questions
from benchmarks.local_bot_api import LocalBotApi, parse_html
from benchmarks.processes import tree_cpu_seconds, tree_memory_kb
from bot.charts import chart_png
from bot.conversation import Conversation
from bot.telegram_app import outgoing
from ingest.run import IngestOptions, ingest
from queries.run import Answerer

PASSES = ("answers computed", "answers remembered")
SINGLES = 300  # questions sent one at a time, for latency


@dataclass(frozen=True)
class Stages:
    """CPU seconds of the bare pipeline's stages over a run of updates."""

    answer: float  # understanding the question, SQL, picking and composing
    html: float  # the answer as Telegram messages
    chart: float  # drawing the charts of series answers
    charts: int  # how many

    def per_update_ms(self, updates: int) -> str:
        per = 1000 / updates
        each = self.chart / max(1, self.charts) * 1000
        return (
            f"  bare pipeline CPU per update: answer {self.answer * per:.2f} ms, messages {self.html * per:.2f} ms, "
            f"charts {self.chart * per:.2f} ms ({self.charts} charts, {each:.1f} ms each)"
        )


def bare(answerer: Answerer, updates: list[tuple[int, str]]) -> tuple[float, list[float], dict[int, list[str]], Stages]:
    """The pipeline without Telegram: seconds, per-update latencies, the plain text of every
    message (or chart caption) each chat should be sent, and the CPU time of each stage."""
    conversations: dict[int, Conversation] = {}
    expected: dict[int, list[str]] = {}
    latencies = []
    cpu = {"answer": 0.0, "html": 0.0, "chart": 0.0}
    charts = 0
    start = time.perf_counter()
    for chat, question in updates:
        began, cpu_began = time.perf_counter(), time.process_time()
        answer = conversations.setdefault(chat, Conversation()).ask(answerer, question)
        answered = time.process_time()
        messages = outgoing(answer)
        shaped = time.process_time()
        for message in messages:
            if message.chart is not None:
                chart_png(message.chart)  # the bot draws it too
                charts += 1
        latencies.append(time.perf_counter() - began)
        cpu["answer"] += answered - cpu_began
        cpu["html"] += shaped - answered
        cpu["chart"] += time.process_time() - shaped
        expected.setdefault(chat, []).extend(parse_html(m.text) for m in messages)
    return time.perf_counter() - start, latencies, expected, Stages(**cpu, charts=charts)


@dataclass(frozen=True)
class CpuShare:
    """CPU seconds spent during a burst, by whom: where the time goes when the bot is the bottleneck."""

    bot: float  # the `serve` process: python-telegram-bot, its HTTP client, ordering, shaping messages
    answer_workers: float  # the answer pool's processes: understanding, SQL, composing, drawing charts
    stand_in_api: float  # this process while it only serves the stand-in Bot API

    def per_update_ms(self, updates: int) -> str:
        total = self.bot + self.answer_workers + self.stand_in_api
        cores = os.cpu_count() or 1
        per = 1000 / updates
        return (
            f"  CPU per update: bot process {self.bot * per:.2f} ms, answer workers {self.answer_workers * per:.2f} ms,"
            f" stand-in Bot API {self.stand_in_api * per:.2f} ms = {total * per:.2f} ms;"
            f" {cores} cores at 100% would do {cores * updates / total:.0f} updates/s"
        )


def _cpu(bot: int) -> tuple[float, float, float]:
    used = tree_cpu_seconds(bot)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return used.get(bot, 0.0), sum(v for pid, v in used.items() if pid != bot), own.ru_utime + own.ru_stime


def burst(
    api: LocalBotApi, updates: list[tuple[int, str]], expected: dict[int, list[str]], bot: int
) -> tuple[float, CpuShare]:
    """Seconds from pushing every update at once to the last reply, and the CPU each side used;
    replies must match `expected`."""
    total = sum(len(texts) for texts in expected.values())
    already = len(api.calls)
    before = _cpu(bot)
    start = time.perf_counter()
    for chat, question in updates:
        api.push_text(chat, question)
    api.wait_until(lambda: len(api.calls) - already >= total, timeout=900)
    seconds = max(call.at for call in api.calls[already:]) - start
    after = _cpu(bot)
    share = CpuShare(*(later - earlier for later, earlier in zip(after, before, strict=True)))
    for chat, texts in expected.items():
        shown = [reply.text for reply in api.take(chat, len(texts))]
        if shown != texts:
            raise SystemExit(f"chat {chat}: the bot's replies differ from the bare pipeline's:\n{shown}\n{texts}")
    return seconds, share


def one_at_a_time(api: LocalBotApi, updates: list[tuple[int, str]], expected: dict[int, list[str]]) -> list[float]:
    """Each update alone (a chat of its own): seconds from it being available to its first reply."""
    latencies = []
    for chat, question in updates:
        api.push_text(chat, question)
        pushed = api.pushed_at[max(api.pushed_at)]
        replies = api.take(chat, len(expected[chat]))
        if [reply.text for reply in replies] != expected[chat]:
            raise SystemExit(f"{question!r}: the bot's reply differs from the bare pipeline's")
        latencies.append(replies[0].at - pushed)
    return latencies


def serve(api: LocalBotApi, database: Path, folder: Path) -> subprocess.Popen[bytes]:
    """`budgetbot serve` in its own process, polling `api`."""
    config = folder / "config.toml"
    lines = [
        f'[database]\npath = "{database}"',
        f'[bot]\napi_base_url = "{api.base_url}"',
        "rate_limit_per_minute = 10000",
        "flood_control = false  # the bot's own limit is measured, not Telegram's 30 messages/s",
    ]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--config", str(config)],
        cwd=ROOT,
        env={**os.environ, "BUDGETBOT_TOKEN": api.token},
    )
    api.wait_until(lambda: bool(api.commands), timeout=120)
    return process


def peak_memory_mb(pid: int) -> tuple[float, float]:
    """Peak resident memory (VmHWM) of `pid`, and of it and every process under it (the answer
    workers) summed, in MB."""
    peaks = tree_memory_kb(pid, "VmHWM")
    return peaks.get(pid, 0) / 1024, sum(peaks.values()) / 1024


@dataclass(frozen=True)
class Throughput:
    updates_per_second: dict[str, float]  # pass → the bot's updates/s
    bare_per_second: dict[str, float]  # pass → the bare pipeline's
    latency_p50_ms: dict[str, float]
    peak_memory_mb: float
    tree_memory_mb: float = float("nan")


def run(database: Path, count: int, chats: int, extra: Sequence[str] = ()) -> Throughput:
    answerer = Answerer(database)
    # Distinct questions: the burst's answers are computed and its charts drawn, none remembered from
    # another update; the updates sent one at a time are other questions again.
    pool = questions(answerer, count + SINGLES, extra, distinct=True)
    asked, singles = pool[:count], pool[count:] or pool[:SINGLES]
    if len(asked) < count:
        print(f"only {len(asked)} distinct questions for {count} updates: {len(asked)} are sent")
        count = len(asked)
    result = Throughput({}, {}, {}, float("nan"))
    ms = 1000.0
    print(f"{count} distinct questions over {chats} chats, {len(answerer.snapshot().documents)} documents; "
          f"latency over {len(singles)} other questions sent one at a time")  # fmt: skip
    print(f"{'':44}{'updates/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    with tempfile.TemporaryDirectory() as folder, LocalBotApi() as api:
        process = serve(api, database, Path(folder))
        try:
            for number, label in enumerate(PASSES):
                # Fresh chats each pass, so both sides start every conversation afresh.
                first = 1_000_000 * (number + 1)
                updates = [(first + i % chats, q) for i, q in enumerate(asked)]
                alone = [(first + 500_000 + i, q) for i, q in enumerate(singles)]
                if number == 0:
                    answerer = Answerer(database)  # as fresh as the bot's process
                _, bare_latencies, expected_alone, _ = bare(answerer, alone)
                bare_seconds, _, expected, stages = bare(answerer, updates)
                bot_latencies = one_at_a_time(api, alone, expected_alone)
                bot_seconds, cpu = burst(api, updates, expected, process.pid)
                for name, seconds, latencies in (
                    (f"bot, {label}", bot_seconds, bot_latencies),
                    (f"bare pipeline, {label}", bare_seconds, bare_latencies),
                ):
                    print(
                        f"{name:44}{count / seconds:10.0f}{percentile(latencies, 0.5) * ms:9.2f}"
                        f"{percentile(latencies, 0.99) * ms:9.2f}{statistics.fmean(latencies) * ms:9.2f}"
                    )
                result.updates_per_second[label] = count / bot_seconds
                result.bare_per_second[label] = count / bare_seconds
                result.latency_p50_ms[label] = percentile(bot_latencies, 0.5) * ms
                print(
                    f"  ratio bot / bare: updates/s {bare_seconds / bot_seconds:.2f}×, latency p50 "
                    f"{percentile(bot_latencies, 0.5) / percentile(bare_latencies, 0.5):.2f}×, "
                    f"mean {statistics.fmean(bot_latencies) / statistics.fmean(bare_latencies):.2f}×"
                )
                print(cpu.per_update_ms(count))
                print(stages.per_update_ms(count))
            peak, tree = peak_memory_mb(process.pid)
            print(f"peak memory (VmHWM): the bot's process {peak:.0f} MB; with its answer workers {tree:.0f} MB")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(60)
    return replace(result, peak_memory_mb=peak, tree_memory_mb=tree)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--chats", type=int, default=100)
    args = parser.parse_args()
    if args.db is not None:
        run(args.db, args.n, args.chats)
        return
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "budget.duckdb"
        options = IngestOptions(workers=2, max_pages=2000, max_file_mb=200, timeout_seconds=600, progress=False)
        ingest([*sorted(REAL.glob("*.pdf")), ROOT / "samples"], database, options)
        run(database, args.n, args.chats)


if __name__ == "__main__":
    main()
