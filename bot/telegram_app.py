"""The Telegram front end of `budgetbot serve` (bot/serve.py), a thin layer over `Answerer` and `Conversation`.

Handlers only read the update, run the pipeline in the answer thread and send what `bot.render`
makes of the result. Access, rate limits and over-long messages are decided once, before any
handler, by `BudgetBot.gate`; every exception ends in `BudgetBot.on_error`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.aiohttp_request import AiohttpRequest
from bot.answer_pool import AnswerPool
from bot.charts import ChartData, chart_data, chart_png, set_up_matplotlib
from bot.conversation import (
    COMMANDS,
    NO_CHART,
    NO_ROWS,
    NO_SOURCE,
    NO_SQL,
    Conversation,
    Pressed,
    choice_data,
    export_csv,
    export_name,
    follow,
    help_text,
    parse_choice,
)
from bot.limits import RateLimiter
from bot.pages import page_png
from bot.render import HTML, preformatted, report_lines, split_lines, to_html
from bot.settings import BotSettings, env_secret
from queries.answer import Answer, Choice
from queries.errors import DatabaseError
from queries.run import Answerer

logger = logging.getLogger(__name__)

T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE
UPDATES = ["message", "callback_query"]
REFUSED = "抱歉，这个机器人只对授权的用户开放。"
APOLOGY = "抱歉，处理这条消息时出错了，已记录下来。请换个问法，或稍后再试。"
DATABASE_DOWN = "抱歉，数据库暂时无法读取，请稍后再试。"
EXPIRED = "这个按钮已过期（数据已更新，或原问题已不在）。请重新提问。"
RETRIES = 3  # times a request is resent after Telegram's "retry after"
CONCURRENT_UPDATES = 16  # updates handled at once (different chats), and connections to the Bot API
CAPTION_LIMIT = 1024  # Telegram's longest photo caption
MAX_SOURCE_PAGES = 4  # /source sends at most this many pages (an answer across many documents cites more)
TEXT_ONLY = "请用文字提问，例如：三公经费多少？"


class ChatOrder(BaseUpdateProcessor):
    """Updates of one chat in the order they came, different chats concurrently."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._chats.get(chat.id) or (asyncio.Lock(), 0)
        self._chats[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._chats[chat.id]
            if users == 1:
                del self._chats[chat.id]
            else:
                self._chats[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


@dataclass(frozen=True)
class Access:
    users: tuple[int, ...]
    chats: tuple[int, ...]

    @property
    def open(self) -> bool:
        return not self.users and not self.chats

    def allows(self, user: int | None, chat: int | None) -> bool:
        return self.open or user in self.users or chat in self.chats


@dataclass(frozen=True)
class Outgoing:
    """One message of an answer: HTML text, or a chart sent as a photo with the text as its caption."""

    text: str
    chart: ChartData | None = None


def outgoing(answer: Answer) -> list[Outgoing]:
    """What the bot sends for an answer, in order: the answer as the chart's caption when it fits,
    else its messages and then the chart under its title."""
    messages = to_html(answer)
    chart = chart_data(answer)
    if chart is None:
        return [Outgoing(text) for text in messages]
    if len(messages) == 1 and len(messages[0]) <= CAPTION_LIMIT:
        return [Outgoing(messages[0], chart)]
    return [*(Outgoing(text) for text in messages), Outgoing(html.escape(chart.title, quote=False), chart)]


class BudgetBot:
    """The handlers, bound to one Answerer and one set of settings."""

    def __init__(self, settings: BotSettings, answerer: Answerer) -> None:
        self.settings = settings
        self.answerer = answerer
        self.access = Access(settings.allowed_user_ids, settings.allowed_chat_ids)
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        # One thread runs page rendering and the commands' lookups: DuckDB connections and pdfium are not
        # safe to share between threads, and the event loop stays free for Telegram.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answers")
        # Questions are answered and charts drawn in processes, one per core (bot/answer_pool.py); with
        # one, on the thread.
        workers = settings.worker_count
        self.pool = AnswerPool(answerer.database, workers) if workers > 1 else None
        if self.pool is None:
            self.worker.submit(set_up_matplotlib)  # charts are drawn on that thread; ready before the first

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.worker, function, *args)

    async def ask(self, chat: Conversation, question: str) -> Answer:
        if self.pool is not None:
            return await self.pool.ask(chat, question)
        return await self.run(chat.ask, self.answerer, question)

    async def choose(self, chat: Conversation, number: int) -> Answer | None:
        if self.pool is not None:
            return await self.pool.choose(chat, number)
        return await self.run(chat.choose, self.answerer, number)

    async def chart(self, data: ChartData) -> bytes:
        if self.pool is not None:
            return await self.pool.chart(data)
        return await self.run(chart_png, data)

    async def follow(self, question: str, pressed: Pressed) -> tuple[str | None, Choice, Answer] | None:
        if self.pool is not None:
            return await self.pool.follow(question, pressed)
        return await self.run(follow, self.answerer, question, pressed)

    def application(self, token: str) -> Application[Any, Any, Any, Any, Any, Any]:
        defaults = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        builder = (
            Application.builder()
            .token(token)
            .base_url(self.settings.api_base_url)
            .defaults(defaults)
            .concurrent_updates(ChatOrder(CONCURRENT_UPDATES))
            .request(AiohttpRequest(CONCURRENT_UPDATES))
            .get_updates_request(AiohttpRequest(1))
            .post_init(self.post_init)
            .post_shutdown(self.post_shutdown)
        )
        if self.settings.flood_control:
            # PTB types the builder for limiters without per-call arguments; AIORateLimiter takes int.
            builder = builder.rate_limiter(AIORateLimiter(max_retries=RETRIES))  # type: ignore[arg-type]
        application = builder.build()
        application.add_handler(TypeHandler(Update, self.gate), group=-1)
        for name, handler in (
            ("start", self.on_start),
            ("help", self.on_help),
            ("docs", self.on_docs),
            ("use", self.on_use),
            ("sql", self.on_sql),
            ("source", self.on_source),
            ("chart", self.on_chart),
            ("export", self.on_export),
            ("check", self.on_check),
        ):
            application.add_handler(CommandHandler(name, handler))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.on_question))
        application.add_handler(CallbackQueryHandler(self.on_choice))
        application.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, self.on_other))
        application.add_error_handler(self.on_error)
        return application

    async def post_init(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await application.bot.set_my_commands([BotCommand(name, title) for name, title in COMMANDS])

    async def post_shutdown(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.worker.shutdown(wait=True)
        if self.pool is not None:
            self.pool.close()

    # -- before any handler ---------------------------------------------------------------------

    async def gate(self, update: Update, context: Context) -> None:
        """Stop updates not addressed to the bot, from others, over the rate limit, or too long."""
        user, chat = update.effective_user, update.effective_chat
        message = update.message
        if user is None or chat is None or (message is None and update.callback_query is None):
            raise ApplicationHandlerStop
        if message is not None and not addressed(message, context.bot.username, context.bot.id):
            raise ApplicationHandlerStop
        if not self.access.allows(user.id, chat.id):
            logger.info("refused user %s in chat %s", user.id, chat.id)
            await self.say(update, REFUSED)
            raise ApplicationHandlerStop
        if not self.limiter.allow(user.id):
            if self.limiter.should_warn(user.id):
                per = self.settings.rate_limit_per_minute
                await self.say(update, f"提问太频繁了：每人每分钟最多 {per} 次。请稍等一会儿再问。")
            raise ApplicationHandlerStop
        text = (message.text or "") if message is not None else ""
        if len(text) > self.settings.max_question_chars:
            limit = self.settings.max_question_chars
            await self.say(update, f"问题太长了（{len(text)} 字）。请把问题缩短到 {limit} 字以内，一次问一件事。")
            raise ApplicationHandlerStop

    @staticmethod
    async def say(update: Update, text: str) -> None:
        """A short plain reply, to a message or to a button press."""
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(html.escape(text, quote=False), do_quote=False)

    # -- commands -------------------------------------------------------------------------------

    async def on_start(self, update: Update, context: Context) -> None:
        documents = len(await self.run(lambda: self.answerer.snapshot().documents))
        intro = f"你好！我从政府部门预算、决算 PDF 中查数字，每个数字都注明表和页码。现有 {documents} 份文档。"
        await self.reply(update, f"{intro}\n\n{help_text()}")

    async def on_help(self, update: Update, context: Context) -> None:
        await self.reply(update, help_text())

    async def on_docs(self, update: Update, context: Context) -> None:
        chat = conversation(context)
        await self.reply(update, await self.run(chat.documents, self.answerer, " ".join(context.args or [])))

    async def on_use(self, update: Update, context: Context) -> None:
        chat = conversation(context)
        await self.reply(update, await self.run(chat.use, self.answerer, " ".join(context.args or [])))

    async def on_sql(self, update: Update, context: Context) -> None:
        sql = conversation(context).sql()
        if sql is None:
            await self.reply(update, NO_SQL)
            return
        text, params = sql
        for part in [*preformatted(text), *preformatted(f"参数：{params}")]:
            await self.send(update, part)

    async def on_source(self, update: Update, context: Context) -> None:
        pages = conversation(context).source_pages()
        message = update.effective_message
        if not pages or message is None:
            await self.reply(update, NO_SOURCE)
            return
        for page in pages[:MAX_SOURCE_PAGES]:
            numbers = "".join(f"[{n}]" for n in page.numbers)
            where = f"{numbers}《{page.table}》第 {page.page} 页 · 文件 {page.file} 第 {page.file_page} 页"
            pdf = await self.run(self.answerer.file_path, page.document, page.file)
            if pdf is None:
                await self.reply(update, f"来源：{where}\n（PDF 文件已不在导入时的位置，无法显示页面图片）")
                continue
            image = await self.run(page_png, pdf, page.file_page, page.marks)
            caption = html.escape(f"来源：{where}" + ("（红框为所引数字）" if page.marks else ""), quote=False)
            await message.reply_photo(image, caption=caption, filename=f"page-{page.page}.png", do_quote=False)

    async def on_chart(self, update: Update, context: Context) -> None:
        last = conversation(context).last
        data = chart_data(last) if last is not None else None
        message = update.effective_message
        if data is None or message is None:
            await self.reply(update, NO_CHART)
            return
        image = await self.chart(data)
        await message.reply_photo(image, caption=html.escape(data.title, quote=False), filename="chart.png")

    async def on_export(self, update: Update, context: Context) -> None:
        last = conversation(context).last
        message = update.effective_message
        if last is None or not last.values or message is None:
            await self.reply(update, NO_ROWS)
            return
        caption = html.escape(f"{last.headline}（{len(last.values)} 行）", quote=False)
        await message.reply_document(
            export_csv(last), filename=export_name(last), caption=caption[:1000], do_quote=False
        )

    async def on_check(self, update: Update, context: Context) -> None:
        chat = conversation(context)
        report = await self.run(chat.check, self.answerer, " ".join(context.args or []))
        if isinstance(report, str):
            await self.reply(update, report)
            return
        for part in split_lines(report_lines(report, HTML)):
            await self.send(update, part)

    # -- questions and choices ------------------------------------------------------------------

    async def on_question(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        question = question_text(message.text, context.bot.username)
        chat = conversation(context)
        document = chat.document
        if question.isdigit() and chat.choices:
            chosen = await self.choose(chat, int(question))
            if chosen is not None:
                await self.send_answer(update, chosen, document, (), None)
                return
        answer = await self.ask(chat, question)
        await self.send_answer(update, answer, document, (), message)

    async def on_choice(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        pressed = parse_choice(query.data)
        original = query.message.reply_to_message if isinstance(query.message, Message) else None
        question = question_text(original.text or "", context.bot.username) if original is not None else ""
        followed = await self.follow(question, pressed) if pressed and question else None
        if followed is None:
            await query.answer(EXPIRED, show_alert=True)
            return
        document, choice, answer = followed
        await query.answer()
        conversation(context).remember(answer)
        await query.edit_message_text(f"已选择：<b>{html.escape(choice.label, quote=False)}</b>")
        assert pressed is not None and original is not None
        await self.send_answer(update, answer, document, pressed.path, original)

    async def on_other(self, update: Update, context: Context) -> None:
        await self.reply(update, TEXT_ONLY)

    # -- sending --------------------------------------------------------------------------------

    async def send_answer(
        self, update: Update, answer: Answer, document: str | None, path: tuple[int, ...], question: Message | None
    ) -> None:
        """The answer's messages; choices become buttons on the last one, which replies to the question
        so that a button pressed after a restart can ask it again. A chart goes as a photo."""
        messages = outgoing(answer)
        keyboard = None
        if answer.choices and question is not None:
            keyboard = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(f"{n}. {c.label}"[:60], callback_data=choice_data(document, (*path, n), c))]
                    for n, c in enumerate(answer.choices, start=1)
                ]
            )
        chat = update.effective_chat
        if chat is None:
            return
        grouped = chat.type != ChatType.PRIVATE
        last_text = max((n for n, m in enumerate(messages) if m.chart is None), default=-1)
        for number, message in enumerate(messages):
            replying = (keyboard is not None or grouped) and number == 0
            reply_to = (
                ReplyParameters(question.message_id, allow_sending_without_reply=True)
                if replying and question is not None
                else None
            )
            if message.chart is not None:
                image = await self.chart(message.chart)
                await chat.send_photo(image, caption=message.text, filename="chart.png", reply_parameters=reply_to)
                continue
            await self.send(
                update,
                message.text,
                reply_markup=keyboard if number == last_text else None,
                reply_parameters=reply_to,
            )

    async def reply(self, update: Update, text: str) -> None:
        """Plain text (escaped here), split at line boundaries."""
        for part in split_lines(html.escape(line, quote=False) for line in text.splitlines()):
            await self.send(update, part)

    @staticmethod
    async def send(update: Update, text: str, **options: Any) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        await chat.send_message(text, **options)

    # -- errors ---------------------------------------------------------------------------------

    async def on_error(self, update: object, context: Context) -> None:
        logger.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        text = DATABASE_DOWN if isinstance(context.error, DatabaseError) else APOLOGY
        if update.callback_query is not None:
            with contextlib.suppress(Exception):  # the query may be too old to answer
                await update.callback_query.answer()
        await update.effective_chat.send_message(text)


def conversation(context: Context) -> Conversation:
    data = context.chat_data
    if data is None:
        return Conversation()
    chat: Conversation = data.setdefault("conversation", Conversation())
    return chat


def addressed(message: Message, username: str, bot_id: int) -> bool:
    """In a private chat every message; in a group, commands for us, mentions of us and replies to us."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    text = message.text or message.caption or ""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        return "@" not in command or command.split("@", 1)[1].lower() == username.lower()
    if f"@{username}".lower() in text.lower():
        return True
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def question_text(text: str, username: str) -> str:
    """The question without the @mention that addressed it in a group."""
    mention = f"@{username}"
    lowered = text.lower()
    at = lowered.find(mention.lower())
    while at >= 0:
        text = text[:at] + text[at + len(mention) :]
        lowered = text.lower()
        at = lowered.find(mention.lower())
    return text.strip()


class RedactToken(logging.Filter):
    """Keeps the bot token out of every log line, including tracebacks and HTTP client URLs."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


def read_token(settings: BotSettings) -> str:
    return env_secret(settings.token_env, " @BotFather 给的机器人 token ")


def webhook_secret(token: str) -> str:
    """Telegram's X-Telegram-Bot-Api-Secret-Token for our webhook: derived, so it never shows the token."""
    return hashlib.sha256(f"budgetbot-webhook:{token}".encode()).hexdigest()[:64]


async def serve_until(
    application: Application[Any, Any, Any, Any, Any, Any], settings: BotSettings, token: str, stop: asyncio.Event
) -> None:
    """Run `application` (polling or webhook, as configured) until `stop` is set."""
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        if settings.mode == "webhook":
            await application.updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path="telegram",
                webhook_url=settings.webhook_url,
                allowed_updates=UPDATES,
                secret_token=webhook_secret(token),
            )
        else:
            await application.updater.start_polling(allowed_updates=UPDATES)
        await application.start()
        logger.info("serving (%s)", settings.mode)
        await stop.wait()
        await application.updater.stop()
        await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


@contextlib.contextmanager
def serving_in_thread(bot: BudgetBot, token: str) -> Iterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run the bot in a background thread (for tests and benchmarks); stops it on leaving."""
    application = bot.application(token)
    started = threading.Event()
    loop: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
    failure: list[BaseException] = []

    async def main() -> None:
        stop = asyncio.Event()
        loop.append((asyncio.get_running_loop(), stop))
        started.set()
        await serve_until(application, bot.settings, token, stop)

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)
            started.set()

    thread = threading.Thread(target=run, name="budgetbot", daemon=True)
    thread.start()
    started.wait()
    try:
        yield application
    finally:
        if loop:
            event_loop, stop = loop[0]
            event_loop.call_soon_threadsafe(stop.set)
        thread.join(60)
    if failure:
        raise failure[0]
