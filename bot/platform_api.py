"""What the 企业微信 and 飞书 adapters share when they call their platform's open API: an access token
cached until shortly before it expires, and resending with exponential back-off when the platform
is busy (HTTP 429 or 5xx, its rate-limit error codes, a dropped connection).

Nothing here logs a URL or a request: both platforms put credentials in them (WeCom's access_token
and corpsecret are query parameters).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import aiohttp

logger = logging.getLogger(__name__)

T = TypeVar("T")
TOKEN_MARGIN = 300.0  # seconds before its expiry a token is renewed (the platforms overlap old and new tokens)


class ApiError(Exception):
    """The platform refused a request (after any retries); code and message are the platform's own."""

    def __init__(self, platform: str, code: int, message: str) -> None:
        super().__init__(f"{platform} error {code}: {message}")
        self.code = code


class Busy(Exception):
    """One attempt that may succeed later: the platform's rate limit, a 5xx, a dropped connection."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class StaleToken(Exception):
    """The platform no longer accepts the cached token: fetch a new one and try again at once."""


@dataclass(frozen=True)
class Backoff:
    """How often and how long to wait before resending: first, 2×first, 4×first … up to `longest`."""

    attempts: int = 5
    first: float = 0.5
    longest: float = 16.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.longest)
        # jitter, so that many chats throttled at once do not all come back in the same instant
        return min(self.first * 2.0**attempt, self.longest) * random.uniform(0.8, 1.2)


BACKOFF = Backoff()


async def with_retries(backoff: Backoff, attempt: Callable[[], Awaitable[T]], what: str) -> T:
    """`attempt()` until it returns, resending after Busy (with back-off) and StaleToken (once, at once)."""
    stale_retried = False
    number = 0
    while True:
        try:
            return await attempt()
        except StaleToken:
            if stale_retried:
                raise ApiError(what, -1, "the platform refused a freshly issued access token") from None
            stale_retried = True
            logger.info("%s: access token no longer valid; fetching a new one", what)
        except (TimeoutError, Busy, aiohttp.ClientConnectionError) as error:
            reason = str(error) if isinstance(error, Busy) else type(error).__name__
            number += 1
            if number >= backoff.attempts:
                raise ApiError(what, -1, f"still failing after {number} attempts ({reason})") from None
            wait = backoff.delay(number - 1, error.retry_after if isinstance(error, Busy) else None)
            logger.warning("%s: %s; attempt %d of %d in %.2f s", what, reason, number + 1, backoff.attempts, wait)
            await asyncio.sleep(wait)
        except aiohttp.ClientError as error:
            # Its text names the URL, and the URL may hold an access token: keep only the kind of error.
            raise ApiError(what, -1, type(error).__name__) from None


def retry_after(response: aiohttp.ClientResponse) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def http_busy(response: aiohttp.ClientResponse) -> Busy | None:
    """A Busy for the HTTP statuses worth another try."""
    if response.status == 429 or response.status >= 500:
        return Busy(f"HTTP {response.status}", retry_after(response))
    return None


class TokenCache:
    """One access token at a time, fetched when first needed and again shortly before it expires.

    `fetch` returns (token, seconds valid). Concurrent callers share one fetch."""

    def __init__(self, fetch: Callable[[], Awaitable[tuple[str, float]]], clock: Callable[[], float] = time.monotonic):
        self._fetch = fetch
        self._clock = clock
        self._token = ""
        self._expires = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0

    def __repr__(self) -> str:
        return f"TokenCache(fetches={self.fetches})"

    async def get(self) -> str:
        if self._token and self._clock() < self._expires:
            return self._token
        async with self._lock:
            if not self._token or self._clock() >= self._expires:
                token, seconds = await self._fetch()
                self.fetches += 1
                self._token = token
                self._expires = self._clock() + max(seconds - TOKEN_MARGIN, seconds / 2)
        return self._token

    def forget(self, token: str) -> None:
        """The platform refused `token`: the next get() fetches another (unless one already has)."""
        if self._token == token:
            self._token = ""


class Seen:
    """Ids of the most recent events: the platforms deliver an event again when they think it was lost."""

    def __init__(self, size: int = 4096) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def first_time(self, event_id: str) -> bool:
        if event_id in self._ids:
            return False
        self._ids[event_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True
