"""What the messenger adapters' end-to-end tests (test_wecom, test_feishu, test_dingtalk) share: the
sample's figures, settings and a core for a bot talking to a stand-in on loopback, a bot run on a loop
thread of its own, and reading a chat up to the reply to a /help."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.messenger import Access, MessengerCore
from queries.run import Answerer
from tests.standins.background import LoopThread

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

SAMPLE_FIGURE = "0.20 万元"  # 三公经费 of the sample
SAMPLE_TABLE = "2021年一般公共预算“三公”经费支出情况表"
HELP_START = "直接输入"  # how the reply to /help begins


class _Sent(Protocol):
    @property
    def text(self) -> str: ...


class _Settings(Protocol):
    @property
    def allowed_user_ids(self) -> tuple[str, ...]: ...
    @property
    def allowed_departments(self) -> tuple[str, ...]: ...
    @property
    def rate_limit_per_minute(self) -> int: ...


class _Bot(Protocol):
    core: MessengerCore

    async def stop(self) -> None: ...


SentT = TypeVar("SentT", bound=_Sent)
SettingsT = TypeVar("SettingsT", bound="DataclassInstance")
BotT = TypeVar("BotT", bound=_Bot)


def loopback_settings(section: SettingsT, base_url: str, **fields: Any) -> SettingsT:
    """A platform's settings enabled, calling the stand-in at `base_url`, listening on a free port, with a
    rate limit no test reaches unless `fields` sets one."""
    values = {"enabled": True, "api_base_url": base_url, "listen_port": 0, "rate_limit_per_minute": 10_000}
    return replace(section, **{**values, **fields})


def messenger_core(database: Path, settings: _Settings) -> MessengerCore:
    """The core answering from `database` with the access `settings` allow."""
    access = Access(settings.allowed_user_ids, settings.allowed_departments, settings.rate_limit_per_minute)
    return MessengerCore(Answerer(database), access)


@contextmanager
def bot_on_loop(name: str, start: Callable[[], Coroutine[Any, Any, BotT]]) -> Iterator[BotT]:
    """The bot `start()` makes and starts, on a loop thread of its own; stopped, and its core closed, after."""
    thread = LoopThread(name)
    bot = thread.run(start())
    try:
        yield bot
    finally:
        thread.run(bot.stop())
        thread.run(bot.core.close())
        thread.close()


def until_help(push_help: Callable[[], object], take: Callable[[], list[SentT]]) -> list[SentT]:
    """Everything still coming to a chat before the reply to a /help that `push_help()` sends now (a chat's
    replies go in order), read with `take()`: all the pieces of a reply whose length the test does not fix."""
    push_help()
    sent: list[SentT] = []
    while not (sent and sent[-1].text.startswith(HELP_START)):
        sent += take()
    return sent[:-1]
