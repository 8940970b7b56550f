"""The conversation for office messengers (钉钉, 企业微信/政务微信, 飞书), independent of any one platform.

An adapter verifies or decrypts what its platform sends, turns it into a `Sender` and a text or a
button's payload, and sends the `Reply`s the core returns its platform's way. Everything else is
decided here, once for every platform, the way the Telegram bot decides it: who may ask, how often,
how long a question may be, the commands, follow-ups, choices, source pages, charts and exports.

Each (platform, chat) has its own `Conversation`; a chat's messages are answered in the order they
arrive, different chats at the same time. Questions are answered on one thread (DuckDB connections and
pdfium are not safe to share between threads), or in worker processes when `workers` > 1
(bot/answer_pool.py), so the adapters' event loop stays free to receive.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from bot.answer_pool import AnswerPool
from bot.charts import ChartData, chart_data, chart_png, set_up_matplotlib
from bot.conversation import (
    NO_CHART,
    NO_ROWS,
    NO_SOURCE,
    NO_SQL,
    Conversation,
    Pressed,
    choice_data,
    digest,
    export_csv,
    export_name,
    follow,
    help_text,
    parse_choice,
)
from bot.limits import RateLimiter
from bot.pages import page_png
from bot.render import Style, answer_lines, report_lines, to_text
from queries.answer import Answer, Choice
from queries.errors import DatabaseError
from queries.run import Answerer

logger = logging.getLogger(__name__)

T = TypeVar("T")

REFUSED = "抱歉，这个机器人只对授权的用户开放。"
APOLOGY = "抱歉，处理这条消息时出错了，已记录下来。请换个问法，或稍后再试。"
DATABASE_DOWN = "抱歉，数据库暂时无法读取，请稍后再试。"
EXPIRED = "这个按钮已过期（数据已更新，或原问题已不在）。请重新提问。"
EMPTY = "请用文字提问，例如：三公经费多少？"
MAX_SOURCE_PAGES = 4  # /source sends at most this many pages (an answer across many documents cites more)
BUTTON_LABEL = 60  # characters of a choice shown on its button
REMEMBERED_QUESTIONS = 20  # per chat: questions whose choice buttons still answer when pressed

# Words that work like the commands, for people who do not type "/" on a phone: the whole message, or
# its first word followed by the command's argument ("核对 2").
COMMAND_WORDS: dict[str, str] = {
    "帮助": "help",
    "文档": "docs",
    "选定": "use",
    "来源": "source",
    "图表": "chart",
    "导出": "export",
    "核对": "check",
}
COMMAND_NAMES = ("start", "help", "docs", "use", "sql", "source", "chart", "export", "check")


@dataclass(frozen=True)
class Button:
    label: str  # Chinese text shown on the button, e.g. "1. 上海市财政局 2024 部门预算"
    payload: str  # opaque string (<= 64 bytes) to give back to MessengerCore.press()


@dataclass(frozen=True)
class Reply:
    text: str  # plain text (bot/render.py to_text for answers)
    markdown: str = ""  # the same as light Markdown (bold title, lists), for platforms that render it
    buttons: tuple[Button, ...] = ()  # choices offered; platforms without buttons show them as numbered text
    image: bytes | None = None  # a PNG: a source page with the figures boxed, or a chart
    image_name: str = ""
    file: bytes | None = None  # /export's CSV
    file_name: str = ""


@dataclass(frozen=True)
class Sender:
    platform: str  # "dingtalk" | "wecom" | "feishu"
    user: str  # the platform's user id
    chat: str  # the conversation id (a private chat: the user id again)
    departments: tuple[str, ...] = ()  # department ids when the platform gives them


@dataclass(frozen=True)
class Access:
    allowed_users: tuple[str, ...]  # empty and no departments: everyone (the adapter warns at start-up)
    allowed_departments: tuple[str, ...]
    rate_limit_per_minute: int
    max_question_chars: int = 500

    @property
    def open(self) -> bool:
        return not self.allowed_users and not self.allowed_departments


def _markdown_escape(text: str) -> str:
    # Markdown dialects differ in escaping (钉钉 shows a backslash as typed), so the few characters that
    # would start markup become their full-width look-alikes: the text reads the same and stays text.
    return text.translate(_MARKUP)


_MARKUP = str.maketrans("*_`[]#<", "＊＿｀［］＃＜")


MARKDOWN = Style(escape=_markdown_escape, bold=lambda s: f"**{s}**")


def split_text(text: str, max_bytes: int) -> list[str]:
    """`text` in pieces of at most `max_bytes` UTF-8 bytes, broken between lines where a line fits
    (for platforms whose messages are limited in bytes, such as 企业微信's 2048)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) <= max_bytes:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        while len(line.encode()) > max_bytes:
            cut = max_bytes
            while len(line[:cut].encode()) > max_bytes:
                cut -= 1
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current or not pieces:
        pieces.append(current)
    return pieces


@dataclass
class _Chat:
    """One chat's conversation, the lock that keeps its messages in order, and the questions its
    choice buttons answer (a button names its question by digest; payloads are too short to carry it)."""

    conversation: Conversation = field(default_factory=Conversation)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    questions: OrderedDict[str, str] = field(default_factory=OrderedDict)
    # what the pending choices came from: (question, its document context, path of choices taken)
    origin: tuple[str, str | None, tuple[int, ...]] | None = None

    def remember_question(self, question: str) -> str:
        key = digest(question)
        self.questions[key] = question
        self.questions.move_to_end(key)
        while len(self.questions) > REMEMBERED_QUESTIONS:
            self.questions.popitem(last=False)
        return key


class MessengerCore:
    """Messages and button presses of every messenger platform, answered over one Answerer."""

    def __init__(
        self,
        answerer: Answerer,
        access: Access,
        workers: int = 1,
        *,
        executor: ThreadPoolExecutor | None = None,
        pool: AnswerPool | None = None,
    ) -> None:
        """`executor` and `pool`: another platform's answer thread and processes to share (`budgetbot serve`
        runs every platform over one Answerer, whose DuckDB connection belongs to one thread); the core
        then leaves closing them to their owner."""
        self.answerer = answerer
        self.access = access
        self.limiter = RateLimiter(access.rate_limit_per_minute)
        self._chats: dict[tuple[str, str], _Chat] = {}
        # Page rendering, /docs, /use and /check run on this one thread; with workers > 1 questions and
        # charts go to processes (a chart costs several answers), else to this thread too.
        self._owns = (executor is None, pool is None)
        self._worker = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="messenger-answers")
        self._pool = pool if pool is not None else AnswerPool(answerer.database, workers) if workers > 1 else None
        if self._pool is None and executor is None:
            self._worker.submit(set_up_matplotlib)  # charts are drawn on that thread; ready before the first

    # -- the interface the adapters use ---------------------------------------------------------

    def allowed(self, sender: Sender) -> bool:
        if self.access.open:
            return True
        return sender.user in self.access.allowed_users or any(
            department in self.access.allowed_departments for department in sender.departments
        )

    async def message(self, sender: Sender, text: str) -> list[Reply]:
        """A text message in: a question, a follow-up, a number choosing a pending choice, or a command.
        Never raises for what a user sends: a failure becomes an apology (and a log line)."""
        refusal = self._gate(sender, text)
        if refusal is not None:
            return refusal
        chat = self._chat(sender)
        async with chat.lock:
            try:
                return await self._message(chat, text.strip())
            except Exception as error:
                return self._failed(sender, error)

    async def press(self, sender: Sender, payload: str) -> list[Reply]:
        """A choice button pressed: its answer, or EXPIRED when the button no longer leads to its choice."""
        refusal = self._gate(sender, "")
        if refusal is not None:
            return refusal
        chat = self._chat(sender)
        async with chat.lock:
            try:
                return await self._press(chat, payload)
            except Exception as error:
                return self._failed(sender, error)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._close)

    def _close(self) -> None:
        owns_worker, owns_pool = self._owns
        if owns_worker:
            self._worker.shutdown(wait=True)
        if owns_pool and self._pool is not None:
            self._pool.close()

    # -- before anything is answered --------------------------------------------------------------

    def _gate(self, sender: Sender, text: str) -> list[Reply] | None:
        """A refusal, a "please wait" (once a minute), nothing (flooding), or None to go on."""
        if not self.allowed(sender):
            logger.info("refused %s user %s in chat %s", sender.platform, sender.user, sender.chat)
            return [Reply(REFUSED)]
        if not self.limiter.allow((sender.platform, sender.user)):
            if self.limiter.should_warn((sender.platform, sender.user)):
                per = self.access.rate_limit_per_minute
                return [Reply(f"提问太频繁了：每人每分钟最多 {per} 次。请稍等一会儿再问。")]
            return []
        limit = self.access.max_question_chars
        if len(text.strip()) > limit:
            return [Reply(f"问题太长了（{len(text.strip())} 字）。请把问题缩短到 {limit} 字以内，一次问一件事。")]
        return None

    def _chat(self, sender: Sender) -> _Chat:
        return self._chats.setdefault((sender.platform, sender.chat), _Chat())

    def _failed(self, sender: Sender, error: Exception) -> list[Reply]:
        logger.error("%s message from %s failed", sender.platform, sender.user, exc_info=error)
        return [Reply(DATABASE_DOWN if isinstance(error, DatabaseError) else APOLOGY)]

    # -- what a message asks for ------------------------------------------------------------------

    async def _message(self, chat: _Chat, text: str) -> list[Reply]:
        if not text:
            return [Reply(EMPTY)]
        command = _command(text)
        if command is not None:
            return await self._command(chat, *command)
        conversation = chat.conversation
        if text.isdigit() and conversation.choices and chat.origin is not None:
            number = int(text)
            question, document, path = chat.origin
            chosen = await self._choose(conversation, number)
            if chosen is not None:
                return await self._answer(chat, chosen, question, document, (*path, number))
        document = conversation.document
        answer = await self._ask(conversation, text)
        return await self._answer(chat, answer, text, document, ())

    async def _press(self, chat: _Chat, payload: str) -> list[Reply]:
        key, _, data = payload.partition(":")
        question = chat.questions.get(key)
        pressed = parse_choice(data)
        followed = await self._follow(question, pressed) if question and pressed else None
        if followed is None or pressed is None or question is None:
            return [Reply(EXPIRED)]
        document, choice, answer = followed
        chat.conversation.remember(answer)
        replies = await self._answer(chat, answer, question, document, pressed.path)
        first = replies[0]
        chosen = f"已选择：{choice.label}"
        replies[0] = replace(
            first, text=f"{chosen}\n{first.text}", markdown=f"{_markdown_escape(chosen)}\n{first.markdown}"
        )
        return replies

    async def _answer(
        self, chat: _Chat, answer: Answer, question: str, document: str | None, path: tuple[int, ...]
    ) -> list[Reply]:
        """The answer as one reply: its choices as buttons that ask `question` again and follow `path`
        (so a button pressed after later questions still answers), a chart as its image."""
        buttons: tuple[Button, ...] = ()
        if answer.choices:
            key = chat.remember_question(question)
            chat.origin = (question, document, path)
            buttons = tuple(
                Button(f"{n}. {c.label}"[:BUTTON_LABEL], f"{key}:{choice_data(document, (*path, n), c)}")
                for n, c in enumerate(answer.choices, start=1)
            )
        else:
            chat.origin = None
        data = chart_data(answer)
        image = await self._chart(data) if data is not None else None
        return [
            Reply(
                to_text(answer),
                "\n".join(answer_lines(answer, MARKDOWN)),
                buttons,
                image,
                "chart.png" if image is not None else "",
            )
        ]

    async def _command(self, chat: _Chat, name: str, argument: str) -> list[Reply]:
        conversation = chat.conversation
        if name == "start":
            documents = len(await self._run(lambda: self.answerer.snapshot().documents))
            intro = f"你好！我从政府部门预算、决算 PDF 中查数字，每个数字都注明表和页码。现有 {documents} 份文档。"
            return [_plain(f"{intro}\n\n{_help()}")]
        if name == "help":
            return [_plain(_help())]
        if name == "docs":
            return [_plain(await self._run(conversation.documents, self.answerer, argument))]
        if name == "use":
            return [_plain(await self._run(conversation.use, self.answerer, argument))]
        if name == "sql":
            sql = conversation.sql()
            if sql is None:
                return [_plain(NO_SQL)]
            text, params = sql
            return [Reply(f"{text}\n参数：{params}", f"```sql\n{text}\n```\n参数：`{params}`")]
        if name == "source":
            return await self._source(conversation)
        if name == "chart":
            last = conversation.last
            data = chart_data(last) if last is not None else None
            if data is None:
                return [_plain(NO_CHART)]
            return [
                Reply(data.title, _markdown_escape(data.title), image=await self._chart(data), image_name="chart.png")
            ]
        if name == "export":
            last = conversation.last
            if last is None or not last.values:
                return [_plain(NO_ROWS)]
            caption = f"{last.headline}（{len(last.values)} 行）"
            return [Reply(caption, _markdown_escape(caption), file=export_csv(last), file_name=export_name(last))]
        report = await self._run(conversation.check, self.answerer, argument)  # check: the last name left
        if isinstance(report, str):
            return [_plain(report)]
        return [Reply("\n".join(report_lines(report)), "\n".join(report_lines(report, MARKDOWN)))]

    async def _source(self, conversation: Conversation) -> list[Reply]:
        pages = conversation.source_pages()
        if not pages:
            return [_plain(NO_SOURCE)]
        replies = []
        for page in pages[:MAX_SOURCE_PAGES]:
            numbers = "".join(f"[{n}]" for n in page.numbers)
            where = f"来源：{numbers}《{page.table}》第 {page.page} 页 · 文件 {page.file} 第 {page.file_page} 页"
            pdf = await self._run(self.answerer.file_path, page.document, page.file)
            if pdf is None:
                replies.append(_plain(f"{where}\n（PDF 文件已不在导入时的位置，无法显示页面图片）"))
                continue
            image = await self._run(page_png, pdf, page.file_page, page.marks)
            caption = where + ("（红框为所引数字）" if page.marks else "")
            replies.append(Reply(caption, _markdown_escape(caption), image=image, image_name=f"page-{page.page}.png"))
        return replies

    # -- where the work runs --------------------------------------------------------------------

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    async def _ask(self, conversation: Conversation, question: str) -> Answer:
        if self._pool is not None:
            return await self._pool.ask(conversation, question)
        return await self._run(conversation.ask, self.answerer, question)

    async def _choose(self, conversation: Conversation, number: int) -> Answer | None:
        if self._pool is not None:
            return await self._pool.choose(conversation, number)
        return await self._run(conversation.choose, self.answerer, number)

    async def _follow(self, question: str, pressed: Pressed) -> tuple[str | None, Choice, Answer] | None:
        if self._pool is not None:
            return await self._pool.follow(question, pressed)
        return await self._run(follow, self.answerer, question, pressed)

    async def _chart(self, data: ChartData) -> bytes:
        if self._pool is not None:
            return await self._pool.chart(data)
        return await self._run(chart_png, data)


def _command(text: str) -> tuple[str, str] | None:
    """(command, argument) when `text` is a command ("/docs 财政局", "/use@bot 2") or a command word."""
    first, _, argument = text.partition(" ")
    argument = argument.strip()
    if first.startswith("/"):
        name = first[1:].split("@", 1)[0].lower()
        return (name, argument) if name in COMMAND_NAMES else ("help", "")
    word = COMMAND_WORDS.get(first)
    if word is None or (argument and word not in ("docs", "use", "check")):
        return None
    return word, argument


def _help() -> str:
    words = "、".join(COMMAND_WORDS)
    return f"{help_text()}\n不方便输入“/”时，也可以直接发送：{words}（如“核对 1”）。选项可以点按钮，或回复序号。"


def _plain(text: str) -> Reply:
    return Reply(text, _markdown_escape(text))
