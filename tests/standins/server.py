"""What the stand-in platforms (dingtalk_api, wecom_api, feishu_api) share: an aiohttp server on
127.0.0.1 run on a loop thread of its own, a client session for the calls they make to the bot, the
messages the bot sent (waited for with `take`), and failures queued by API path with `fail_next`.

A subclass sets `thread_name` and `max_body`, adds its routes in `_routes`, records what the bot sent
with `_record` and asks `_next_failure(path)` at the start of each API request.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Generic, Self, TypeVar

import aiohttp
from aiohttp import web

from tests.standins.background import LoopThread

SentT = TypeVar("SentT")
FailureT = TypeVar("FailureT")


class StandInServer(Generic[SentT, FailureT]):
    thread_name = "standin"
    max_body = 32 * 1024 * 1024  # the largest request body the server takes
    session_timeout: aiohttp.ClientTimeout | None = aiohttp.ClientTimeout(total=60)
    timeout_error: type[Exception] = TimeoutError  # what `take` raises when the messages do not come

    def __init__(self) -> None:
        self.callback_url = ""  # the bot's callback address, set by the test once the bot listens
        self.sent: list[SentT] = []
        self.token_requests = 0
        self.requests: dict[str, int] = {}  # API path → requests received (failed ones included)
        self._failures: dict[str, list[FailureT]] = {}
        self._taken: dict[str, int] = {}
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._thread: LoopThread | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._port = 0

    @property
    def base_url(self) -> str:
        """The value for the platform's api_base_url setting."""
        return f"http://127.0.0.1:{self._port}"

    def __enter__(self) -> Self:
        self._thread = LoopThread(self.thread_name)
        self._thread.run(self._open())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._thread is not None
        self._thread.run(self._close())
        self._thread.close()

    def _routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def _open(self) -> None:
        app = web.Application(client_max_size=self.max_body)
        self._routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=256)
        await site.start()
        self._port = self._runner.addresses[0][1]
        if self.session_timeout is None:
            self._session = aiohttp.ClientSession()
        else:
            self._session = aiohttp.ClientSession(timeout=self.session_timeout)

    async def _close(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what the bot sent ------------------------------------------------------------------------

    def _to(self, sent: SentT) -> str:
        """Whom a sent message went to: what `take` and `pending` are asked for."""
        raise NotImplementedError

    def _record(self, sent: SentT) -> None:
        with self._lock:
            self.sent.append(sent)
            self._lock.notify_all()

    def take(self, to: str, count: int = 1, timeout: float = 30.0) -> list[SentT]:
        """The next `count` messages the bot sent to `to`; waits for them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                start = self._taken.get(to, 0)
                mine = [(i, s) for i, s in enumerate(self.sent[start:], start) if self._to(s) == to]
                if len(mine) >= count:
                    self._taken[to] = mine[count - 1][0] + 1
                    return [s for _, s in mine[:count]]
                left = deadline - time.monotonic()
                if left <= 0:
                    found = [s for _, s in mine]
                    raise self.timeout_error(f"{to}: {len(mine)} of {count} messages after {timeout} s: {found}")
                self._lock.wait(left)

    def pending(self, to: str) -> list[SentT]:
        with self._lock:
            return [s for s in self.sent[self._taken.get(to, 0) :] if self._to(s) == to]

    # -- failures ---------------------------------------------------------------------------------

    def fail_next(self, path: str, *failures: FailureT) -> None:
        """The next requests to `path` answer these failures, one each."""
        with self._lock:
            self._failures.setdefault(path, []).extend(failures)

    def _next_failure(self, path: str) -> FailureT | None:
        """Counts a request to `path`; the failure it is to answer, if one is queued."""
        with self._lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            queue = self._failures.get(path)
            return queue.pop(0) if queue else None
