"""python-telegram-bot's HTTP layer on aiohttp instead of httpx.

Measured on the 2-core CI machine, an httpx request costs about 5 ms of CPU and an aiohttp request
about 2 ms (BENCHMARKS.md, bot section); at hundreds of replies a second that is the difference
between the bot and the network being the limit. python-telegram-bot documents `BaseRequest` as the
place to plug in another HTTP library.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

CONNECT_TIMEOUT = 5.0


class AiohttpRequest(BaseRequest):
    """Bot API requests over one aiohttp session with at most `connections` open connections."""

    def __init__(self, connections: int, read_timeout: float = 5.0) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._connections))

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        # aiohttp has no separate write or pool timeouts: the read timeout bounds a stalled request.
        read = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        connect = CONNECT_TIMEOUT if connect_timeout is BaseRequest.DEFAULT_NONE else connect_timeout
        timeout = aiohttp.ClientTimeout(total=None, sock_read=read, sock_connect=connect)
        if self._session is None:
            await self.initialize()
        assert self._session is not None
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut(f"no answer from the Bot API within {read} s") from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp: {error!r}") from error


def _body(request_data: RequestData | None) -> Any:
    """Form fields, or multipart when files are uploaded, as the Bot API accepts them."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData()
    for key, value in request_data.json_parameters.items():
        form.add_field(key, value)
    for name, field in request_data.multipart_data.items():
        filename, content, *mimetype = field
        form.add_field(name, content, filename=filename, content_type=mimetype[0] if mimetype else None)
    return form
