"""Replies per second and reply latency of the messenger adapters, each against its stand-in server,
beside the Telegram bot against the local Bot API server, in one run, over the same database and the
same questions.

Every adapter runs in this process on an event loop of its own thread, answering on one thread
(workers = 1, no answer processes) so that the sides differ only in their platform layer:
- Telegram: `BudgetBot` polling benchmarks/local_bot_api.py;
- 钉钉: `run_dingtalk` in Stream mode, frames over a websocket from tests/standins/dingtalk_api.py,
  replies through the sessionWebhook (the common case).
- 企业微信: `WecomBot`'s callback, called by tests/standins/wecom_api.py with signed, encrypted XML (one
  user's messages one after another, as WeCom does), answers in the encrypted passive reply when they are
  ready within 4 s, else by message/send;
- 飞书: `run_feishu` in long-connection mode, the SDK's ws.Client receiving events from
  tests/standins/feishu_api.py, replies through im/v1/messages.
- throughput: all questions pushed at once, spread over many chats; replies/s until every chat's last
  answer arrived (each chat ends with /help: the bot answers a chat in order, so its reply comes last);
- latency: one question at a time; from the push to the answer's first message; p50 and p99.

    .venv/bin/python -m benchmarks.messenger_throughput [--db FILE] [-n 600] [--chats 30] [--singles 150]
      (without --db: the sample PDF ingested into a temporary database)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.answer_latency import ROOT, percentile, questions
from benchmarks.local_bot_api import LocalBotApi
from bot.dingtalk import run_dingtalk
from bot.feishu import run_feishu
from bot.messenger import Access, MessengerCore
from bot.settings import load_settings
from bot.telegram_app import BudgetBot, serving_in_thread
from bot.wecom import WecomBot, WecomSecrets
from ingest.run import IngestOptions, ingest
from queries.run import Answerer
from tests.standins.background import LoopThread
from tests.standins.dingtalk_api import APP_KEY, DingtalkStandIn
from tests.standins.feishu_api import FeishuStandIn, private_chat
from tests.standins.wecom_api import WecomStandIn

HELP_START = "直接输入"  # how /help's reply begins
MANY = 1_000_000  # a rate limit nobody reaches


@dataclass(frozen=True)
class Side:
    """One platform under test: push a text into chat number n; the next message the bot sent to chat n
    (its plain text and when it arrived, time.perf_counter())."""

    name: str
    push: Callable[[int, str], object]
    next_message: Callable[[int], tuple[str, float]]


@dataclass(frozen=True)
class Result:
    name: str
    replies_per_second: float
    p50_ms: float
    p99_ms: float


@contextmanager
def telegram(database: Path) -> Iterator[Side]:
    with LocalBotApi() as api:
        settings = replace(
            load_settings(None).bot,
            api_base_url=api.base_url,
            allowed_user_ids=(),
            allowed_chat_ids=(),
            rate_limit_per_minute=MANY,
            flood_control=False,
            workers=1,
        )
        with serving_in_thread(BudgetBot(settings, Answerer(database)), api.token):
            api.wait_until(lambda: bool(api.commands), timeout=60)

            def next_message(chat: int) -> tuple[str, float]:
                [call] = api.take(10_000 + chat, timeout=120)
                return call.text, call.at

            yield Side("Telegram", lambda chat, text: api.push_text(10_000 + chat, text), next_message)


@contextmanager
def dingtalk(database: Path) -> Iterator[Side]:
    with DingtalkStandIn() as standin:
        os.environ["BUDGETBOT_BENCH_DINGTALK_SECRET"] = standin.secret
        settings = replace(
            load_settings(None).dingtalk,
            enabled=True,
            api_base_url=standin.base_url,
            oapi_base_url=standin.base_url,
            app_key=APP_KEY,
            app_secret_env="BUDGETBOT_BENCH_DINGTALK_SECRET",
        )
        loop = LoopThread("dingtalk-bench")
        core = MessengerCore(Answerer(database), Access((), (), MANY))
        stop = asyncio.Event()
        running = asyncio.run_coroutine_threadsafe(run_dingtalk(settings, core, stop), loop.loop)
        try:
            deadline = time.monotonic() + 60
            while standin.connections == 0:
                assert not running.done() and time.monotonic() < deadline, "the 钉钉 robot did not connect"
                time.sleep(0.02)

            def next_message(chat: int) -> tuple[str, float]:
                [sent] = standin.take(f"cid-u{chat}", timeout=120)
                return sent.text, sent.at

            yield Side("钉钉 (Stream)", lambda chat, text: standin.push_text(f"u{chat}", text), next_message)
        finally:
            loop.loop.call_soon_threadsafe(stop.set)
            running.result(60)
            loop.run(core.close())
            loop.close()


@contextmanager
def wecom(database: Path) -> Iterator[Side]:
    with WecomStandIn() as standin:
        settings = replace(
            load_settings(None).wecom,
            enabled=True,
            api_base_url=standin.base_url,
            corp_id=standin.corp_id,
            agent_id=standin.agent_id,
            listen_port=0,
        )
        loop = LoopThread("wecom-bench")
        core = MessengerCore(Answerer(database), Access((), (), MANY))
        bot = WecomBot(settings, core, WecomSecrets(standin.secret, standin.token, standin.aes_key))
        standin.callback_url = f"http://127.0.0.1:{loop.run(bot.start())}{settings.path}"
        try:

            def next_message(chat: int) -> tuple[str, float]:
                [sent] = standin.take(f"u{chat}", timeout=120)
                return sent.text, sent.at

            yield Side("企业微信 (callback)", lambda chat, text: standin.queue_text(f"u{chat}", text), next_message)
        finally:
            loop.run(bot.stop())
            loop.run(core.close())
            loop.close()


@contextmanager
def feishu(database: Path) -> Iterator[Side]:
    with FeishuStandIn() as standin:
        os.environ["BUDGETBOT_BENCH_FEISHU_SECRET"] = standin.app_secret
        settings = replace(
            load_settings(None).feishu,
            enabled=True,
            mode="long_connection",
            api_base_url=standin.base_url,
            app_id=standin.app_id,
            app_secret_env="BUDGETBOT_BENCH_FEISHU_SECRET",
        )
        loop = LoopThread("feishu-bench")
        core = MessengerCore(Answerer(database), Access((), (), MANY))
        stop = asyncio.Event()
        running = asyncio.run_coroutine_threadsafe(run_feishu(settings, core, stop), loop.loop)
        try:
            standin.wait_connected(60)

            def next_message(chat: int) -> tuple[str, float]:
                [sent] = standin.take(private_chat(f"ou_u{chat}"), timeout=120)
                return sent.text, sent.at

            def push(chat: int, text: str) -> object:
                return standin.push_text(f"ou_u{chat}", text)

            yield Side("飞书 (long connection)", push, next_message)
        finally:
            loop.loop.call_soon_threadsafe(stop.set)
            running.result(60)
            loop.run(core.close())
            loop.close()


def drain(side: Side, chat: int) -> float:
    """Wait for chat's /help reply (everything sent before it has arrived); when it came."""
    while True:
        text, at = side.next_message(chat)
        if text.startswith(HELP_START):
            return at


def measure(side: Side, asked: list[str], chats: int, singles: int) -> Result:
    # warm up: the first answers open the database and load the catalogue
    side.push(0, asked[0])
    side.push(0, "/help")
    drain(side, 0)
    start = time.perf_counter()
    for number, question in enumerate(asked):
        side.push(1 + number % chats, question)
    for chat in range(1, chats + 1):
        side.push(chat, "/help")
    finished = max(drain(side, chat) for chat in range(1, chats + 1))
    throughput = len(asked) / (finished - start)
    latencies = []
    for question in asked[:singles]:
        pushed = time.perf_counter()
        side.push(chats + 1, question)
        _, first = side.next_message(chats + 1)
        latencies.append((first - pushed) * 1000)
        side.push(chats + 1, "/help")
        drain(side, chats + 1)
    return Result(side.name, throughput, percentile(latencies, 0.5), percentile(latencies, 0.99))


def sample_database(folder: Path) -> Path:
    database = folder / "budget.duckdb"
    options = IngestOptions(workers=1, max_pages=2000, max_file_mb=200, timeout_seconds=300, progress=False)
    ingest([ROOT / "samples" / "jianan-2021-budget.pdf"], database, options)
    return database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="DuckDB file (default: the sample, ingested into a temp folder)")
    parser.add_argument("-n", type=int, default=600, help="questions pushed at once (throughput)")
    parser.add_argument("--chats", type=int, default=30, help="chats they are spread over")
    parser.add_argument("--singles", type=int, default=150, help="questions asked one at a time (latency)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        database = args.db or sample_database(Path(folder))
        asked = questions(Answerer(database), args.n)
        results = []
        for platform in (telegram, dingtalk, wecom, feishu):
            with platform(database) as side:
                results.append(measure(side, asked, args.chats, args.singles))
    base = results[0]
    print(f"{len(asked)} questions over {args.chats} chats; latency over {args.singles} one at a time; {database}")
    print(f"{'adapter':<16} {'replies/s':>10} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8} {'p99 ratio':>9}")
    for result in results:
        ratio = result.replies_per_second / base.replies_per_second
        print(
            f"{result.name:<16} {result.replies_per_second:>10.1f} {ratio:>6.2f}"
            f" {result.p50_ms:>8.1f} {result.p99_ms:>8.1f} {result.p99_ms / base.p99_ms:>9.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
