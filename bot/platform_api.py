"""What the 企业微信 and 飞书 adapters share when they call their platform's open API: the client
(PlatformApi: one aiohttp session, the error codes checked), an access token cached until shortly
before it expires, resending with exponential back-off when the platform is busy (HTTP 429 or 5xx,
its rate-limit error codes, a dropped connection), and users' departments looked up and kept a while.

Nothing here logs a URL or a request: both platforms put credentials in them (WeCom's access_token
and corpsecret are query parameters).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp

from bot.messenger import Sender

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


@dataclass(frozen=True)
class ApiRequest:
    """One attempt of an API call, as PlatformApi.call hands it to the platform's `_request`."""

    method: str
    path: str
    params: dict[str, str] | None
    json: dict[str, Any] | None
    data: aiohttp.FormData | None


class PlatformApi:
    """An open API reached over one aiohttp session (start() to close()), with its access token cached
    by `_fetch_token` and requests resent with `backoff`: what WecomApi and FeishuApi share.

    A subclass names its platform and the field and the codes its answers carry."""

    platform = ""  # in ApiError and log lines: "wecom", "feishu"
    code_name = "code"  # the answer's field with the error code
    busy_codes: frozenset[int] = frozenset()  # rate limits and "system busy": try again later
    stale_token_codes: frozenset[int] = frozenset()  # the access token is no longer accepted

    def __init__(self, base_url: str, backoff: Backoff) -> None:
        self._base = base_url.rstrip("/")
        self._backoff = backoff
        self._session: aiohttp.ClientSession | None = None
        self.tokens = TokenCache(self._fetch_token)

    async def _fetch_token(self) -> tuple[str, float]:
        raise NotImplementedError

    async def start(self) -> None:
        timeout = aiohttp.ClientTimeout(total=30, sock_connect=5)
        self._session = aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=32))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        assert self._session is not None, f"{type(self).__name__}.start() first"
        return self._session

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        form: Callable[[], aiohttp.FormData] | None = None,
    ) -> dict[str, Any]:
        """One API call with the cached token, resent while the platform is busy; the answer when its code is 0."""

        async def attempt() -> dict[str, Any]:
            token = await self.tokens.get()
            data = form() if form is not None else None  # a FormData is spent by one request
            answer, code, message = await self._request(ApiRequest(method, path, params, json, data), token)
            self._check(code, message, path, token)
            return answer

        return await with_retries(self._backoff, attempt, f"{self.platform} {path}")

    async def _request(self, request: ApiRequest, token: str) -> tuple[dict[str, Any], int, str]:
        """Send `request` with `token`: the answer, its error code and message."""
        raise NotImplementedError

    def _check(self, code: int, message: str, path: str, token: str | None = None) -> None:
        """Raise for an answer whose code is not 0: StaleToken (the token forgotten) when a call's `token`
        is refused, Busy for the busy codes, else ApiError."""
        if token is not None and code in self.stale_token_codes:
            self.tokens.forget(token)
            raise StaleToken()
        if code in self.busy_codes:
            # with_retries names a call's path in its log line; the token's fetch names it here
            raise Busy(f"{self.code_name} {code}" if token is not None else f"{path} {self.code_name} {code}")
        if code != 0:
            raise ApiError(f"{self.platform} {path}", code, message)


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


class Departments:
    """Senders with their departments, looked up by `lookup` (the platform's API) only when the allowed
    departments decide whether a user may ask, and trusted `seconds`."""

    def __init__(
        self,
        platform: str,
        lookup: Callable[[str], Awaitable[tuple[str, ...]]],
        allowed_user_ids: Collection[str],
        allowed_departments: Collection[str],
        seconds: float,
    ) -> None:
        self._platform = platform
        self._lookup = lookup
        self._allowed_user_ids = allowed_user_ids
        self._allowed_departments = allowed_departments
        self._seconds = seconds
        self._known: dict[str, tuple[float, tuple[str, ...]]] = {}  # user → (looked up at, departments)

    async def sender(self, user: str, chat: str) -> Sender:
        if not self._allowed_departments or user in self._allowed_user_ids:
            return Sender(self._platform, user, chat)
        cached = self._known.get(user)
        if cached is not None and time.monotonic() - cached[0] < self._seconds:
            return Sender(self._platform, user, chat, cached[1])
        try:
            departments = await self._lookup(user)
        except ApiError as error:
            logger.warning("%s: could not look up the departments of %s: %s", self._platform, user, error)
            return Sender(self._platform, user, chat)
        self._known[user] = (time.monotonic(), departments)
        return Sender(self._platform, user, chat, departments)


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
