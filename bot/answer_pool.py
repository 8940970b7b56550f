"""Answers computed, and their charts drawn, in worker processes, one per core, for the Telegram bot.

Composing an answer and drawing a chart are Python work: threads would take turns on the GIL (and a
chart costs several answers), so answers and charts for different chats run in processes, each with
its own read-only Answerer (a DuckDB connection of its own; a database that ingest switches in is
picked up there too). A chat's state (`Conversation`) travels with the question and comes back with
the answer; the bot keeps one chat's updates in order (`ChatOrder`), so a chat never has two
questions in the pool at once.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bot.charts import ChartData, chart_png, set_up_matplotlib
from bot.conversation import Conversation, Pressed, follow
from queries.answer import Answer, Choice
from queries.run import Answerer

_answerer: list[Answerer] = []  # the worker process's own, opened by _open


def _open(database: Path) -> None:
    _answerer.append(Answerer(database))
    set_up_matplotlib()  # at start-up, not when someone first asks for a series


def _ask(chat: Conversation, question: str) -> tuple[Answer, Conversation]:
    return chat.ask(_answerer[0], question), chat


def _choose(chat: Conversation, number: int) -> tuple[Answer | None, Conversation]:
    return chat.choose(_answerer[0], number), chat


def _follow(question: str, pressed: Pressed) -> tuple[str | None, Choice, Answer] | None:
    return follow(_answerer[0], question, pressed)


class AnswerPool:
    def __init__(self, database: Path, workers: int) -> None:
        # forkserver: workers start from a clean process, not a copy of the bot's threads and sockets
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["queries.run", "bot.conversation", "bot.charts"])
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_open, initargs=(database,))
        self.workers = workers

    async def ask(self, chat: Conversation, question: str) -> Answer:
        answer, state = await asyncio.get_running_loop().run_in_executor(self._pool, _ask, chat, question)
        chat.take(state)
        return answer

    async def choose(self, chat: Conversation, number: int) -> Answer | None:
        answer, state = await asyncio.get_running_loop().run_in_executor(self._pool, _choose, chat, number)
        chat.take(state)
        return answer

    async def chart(self, data: ChartData) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(self._pool, chart_png, data)

    async def follow(self, question: str, pressed: Pressed) -> tuple[str | None, Choice, Answer] | None:
        return await asyncio.get_running_loop().run_in_executor(self._pool, _follow, question, pressed)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
