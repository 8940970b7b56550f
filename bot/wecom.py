"""企业微信 / 政务微信: a self-built application's callback, a thin layer over MessengerCore.

WeCom posts each message the user sends to the application, encrypted and signed (bot/wecom_crypto.py),
and waits 5 seconds for the HTTP answer. An answer ready within PASSIVE_SECONDS that is a single
short text goes back in that answer (a passive reply, encrypted); anything else (images, the /export
file, choice buttons, several messages, or work that takes longer) is acknowledged with an empty
answer and sent afterwards by the API (message/send) with the cached access_token. A chat's messages
are delivered in the order the user sent them, and an event WeCom delivers again is answered once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.messenger import APOLOGY, EMPTY, MessengerCore, Reply, Sender, split_text
from bot.platform_api import BACKOFF, ApiError, ApiRequest, Backoff, Busy, Departments, PlatformApi, Seen, http_busy
from bot.settings import SettingsError, WecomSettings, env_secret
from bot.wecom_crypto import WecomCrypto, WecomCryptoError, cdata, xml_fields

logger = logging.getLogger(__name__)

PLATFORM = "wecom"
PASSIVE_SECONDS = 4.0  # WeCom waits 5 s for the callback's answer; leave a second for the network and a proxy
TEXT_BYTES = 2048  # a text message's longest content (UTF-8 bytes); WeCom cuts longer ones
CARD_BUTTONS = 6  # a button_interaction template card's most buttons
BUTTON_CHARS = 10  # button text WeCom shows in full
# Error codes: the rate limits and "system busy" (try again later); an access_token that is no longer valid.
BUSY_CODES = frozenset({-1, 45009, 45011, 45033})
STALE_TOKEN_CODES = frozenset({40014, 41001, 42001})
DEPARTMENTS_SECONDS = 600.0  # how long a user's departments (user/get) are trusted
CARD_TITLE = "请选择"
CARD_HINT = "点按钮，或回复序号"


@dataclass(frozen=True)
class WecomSecrets:
    secret: str = field(repr=False)
    token: str = field(repr=False)
    aes_key: str = field(repr=False)


def read_secrets(settings: WecomSettings) -> WecomSecrets:
    """The secrets from the environment variables [wecom] names, or SettingsError saying which is missing."""
    if not settings.corp_id:
        raise SettingsError("[wecom] corp_id 为空：填入企业ID（管理后台 → 我的企业 → 企业信息）")
    if not settings.agent_id:
        raise SettingsError("[wecom] agent_id 为 0：填入自建应用的 AgentId（应用管理 → 应用详情）")
    secrets = WecomSecrets(
        env_secret(settings.secret_env, "自建应用的 Secret"),
        env_secret(settings.token_env, "接收消息的 Token"),
        env_secret(settings.aes_key_env, "接收消息的 EncodingAESKey"),
    )
    try:
        WecomCrypto(secrets.token, secrets.aes_key, settings.corp_id)
    except WecomCryptoError:
        raise SettingsError(
            f"环境变量 {settings.aes_key_env} 不是 43 个字符的 EncodingAESKey（接收消息 → API接收）"
        ) from None
    return secrets


def check_wecom(settings: WecomSettings) -> None:
    """Everything start-up can check without the network."""
    read_secrets(settings)


def text_parts(text: str) -> list[str]:
    """The text messages `text` needs (WeCom cuts a longer one); none for blank text."""
    return [part for part in split_text(text, TEXT_BYTES) if part.strip()]


def passive_text(replies: list[Reply]) -> str | None:
    """The text to put in the callback's answer, when the replies are one short text and nothing else."""
    if len(replies) != 1:
        return None
    reply = replies[0]
    if reply.buttons or reply.image is not None or reply.file is not None:
        return None
    parts = text_parts(reply.text)
    return parts[0] if len(parts) == 1 else None


def button_text(label: str) -> str:
    return label if len(label) <= BUTTON_CHARS else label[: BUTTON_CHARS - 1] + "…"


def template_card(reply: Reply) -> dict[str, Any]:
    """The choices as a button_interaction template card; pressing one sends a template_card_event
    whose EventKey is the button's payload."""
    return {
        "msgtype": "template_card",
        "template_card": {
            "card_type": "button_interaction",
            "main_title": {"title": CARD_TITLE, "desc": CARD_HINT},
            "sub_title_text": "\n".join(button.label for button in reply.buttons)[:160],
            "task_id": uuid.uuid4().hex,
            "button_list": [
                {"text": button_text(button.label), "style": 1, "key": button.payload}
                for button in reply.buttons[:CARD_BUTTONS]
            ],
        },
    }


class WecomApi(PlatformApi):
    """The API calls the bot makes, over one aiohttp session, with the access_token cached."""

    platform = PLATFORM
    code_name = "errcode"
    busy_codes = BUSY_CODES
    stale_token_codes = STALE_TOKEN_CODES

    def __init__(self, base_url: str, corp_id: str, agent_id: int, secret: str, backoff: Backoff) -> None:
        super().__init__(base_url, backoff)
        self._corp_id = corp_id
        self._agent_id = agent_id
        self._secret = secret

    def __repr__(self) -> str:
        return f"WecomApi({self._base!r}, corp_id={self._corp_id!r})"

    async def _fetch_token(self) -> tuple[str, float]:
        params = {"corpid": self._corp_id, "corpsecret": self._secret}
        async with self.session.get(f"{self._base}/cgi-bin/gettoken", params=params) as response:
            body = await _json(response)
        self._check(int(body.get("errcode", 0)), str(body.get("errmsg", "")), "gettoken")
        return str(body["access_token"]), float(body.get("expires_in", 7200))

    async def _request(self, request: ApiRequest, token: str) -> tuple[dict[str, Any], int, str]:
        """The answer's JSON (the access_token is a query parameter), its errcode and errmsg."""
        query = {**(request.params or {}), "access_token": token}
        async with self.session.request(
            request.method, f"{self._base}/cgi-bin/{request.path}", params=query, json=request.json, data=request.data
        ) as response:
            body = await _json(response)
        return body, int(body.get("errcode", 0)), str(body.get("errmsg", ""))

    async def send(self, user: str, message: dict[str, Any]) -> None:
        await self.call("POST", "message/send", json={"touser": user, "agentid": self._agent_id, **message})

    async def upload(self, kind: str, name: str, data: bytes) -> str:
        """A temporary media (image or file) for a message; its media_id."""

        def form() -> aiohttp.FormData:
            parts = aiohttp.FormData()
            parts.add_field("media", data, filename=name, content_type="application/octet-stream")
            return parts

        body = await self.call("POST", "media/upload", params={"type": kind}, form=form)
        return str(body["media_id"])

    async def departments(self, user: str) -> tuple[str, ...]:
        body = await self.call("GET", "user/get", params={"userid": user})
        return tuple(str(department) for department in body.get("department", []))


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    busy = http_busy(response)
    if busy is not None:
        raise busy
    try:
        body = await response.json(content_type=None)
    except ValueError:
        raise Busy(f"HTTP {response.status} without JSON") from None
    if not isinstance(body, dict):
        raise Busy(f"HTTP {response.status} with unexpected JSON")
    return body


class WecomBot:
    """The callback server and the sender of replies for one WeCom application."""

    def __init__(
        self,
        settings: WecomSettings,
        core: MessengerCore,
        secrets: WecomSecrets,
        *,
        passive_seconds: float = PASSIVE_SECONDS,
        backoff: Backoff = BACKOFF,
    ) -> None:
        self.settings = settings
        self.core = core
        self.crypto = WecomCrypto(secrets.token, secrets.aes_key, settings.corp_id)
        self.api = WecomApi(settings.api_base_url, settings.corp_id, settings.agent_id, secrets.secret, backoff)
        self.passive_seconds = passive_seconds
        self._seen = Seen()
        self._deliveries: dict[str, asyncio.Task[None]] = {}  # chat → its latest delivery by API
        self._senders = Departments(
            PLATFORM, self.api.departments, settings.allowed_user_ids, settings.allowed_departments, DEPARTMENTS_SECONDS
        )
        self._runner: web.AppRunner | None = None
        self.port = 0

    def application(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_get(self.settings.path, self.on_verify)
        app.router.add_post(self.settings.path, self.on_callback)
        return app

    async def start(self) -> int:
        """Listen for callbacks; the port listened on (listen_port 0 picks a free one)."""
        await self.api.start()
        self._runner = web.AppRunner(self.application(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.listen_host, self.settings.listen_port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        logger.info("wecom: callback listening on %s:%d%s", self.settings.listen_host, self.port, self.settings.path)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        pending = list(self._deliveries.values())
        if pending:
            await asyncio.wait(pending, timeout=30)
        await self.api.close()

    # -- callbacks ------------------------------------------------------------------------------

    def _verified(self, request: web.Request, encrypted: str) -> str:
        query = request.query
        signature, timestamp, nonce = (query.get(key, "") for key in ("msg_signature", "timestamp", "nonce"))
        self.crypto.verify(signature, timestamp, nonce, encrypted)
        return self.crypto.decrypt(encrypted)

    async def on_verify(self, request: web.Request) -> web.Response:
        """The console's URL check: answer the decrypted echostr, as plain text."""
        try:
            echo = self._verified(request, request.query.get("echostr", ""))
        except WecomCryptoError as error:
            logger.warning("wecom: refused a URL verification from %s: %s", request.remote, error)
            return web.Response(status=403, text="forbidden")
        return web.Response(text=echo)

    async def on_callback(self, request: web.Request) -> web.Response:
        try:
            outer = xml_fields(await request.text())
            fields = xml_fields(self._verified(request, outer.get("Encrypt", "")))
        except WecomCryptoError as error:
            logger.warning("wecom: refused a callback from %s: %s", request.remote, error)
            return web.Response(status=403, text="forbidden")
        user = fields.get("FromUserName", "")
        kind, event = fields.get("MsgType", ""), fields.get("Event", "")
        # A message has MsgId; an event is identified by its sender and time (WeCom's advice for deduplication).
        key = fields.get("MsgId") or f"{user}:{fields.get('CreateTime', '')}:{event}:{fields.get('EventKey', '')}"
        if not user or not self._seen.first_time(key):
            return web.Response(text="")
        sender = await self._senders.sender(user, user)
        work: Awaitable[list[Reply]]
        if kind == "text":
            work = self.core.message(sender, fields.get("Content", "").strip())
        elif kind == "event" and event == "template_card_event":
            work = self.core.press(sender, fields.get("EventKey", ""))
        elif kind in ("image", "voice", "video", "file", "location", "link") and self.core.allowed(sender):
            work = _replies(Reply(text=EMPTY))
        else:  # entering the application, other events
            return web.Response(text="")
        return await self._answer(sender, work, request.query.get("nonce", ""))

    async def _answer(self, sender: Sender, work: Awaitable[list[Reply]], nonce: str) -> web.Response:
        """A passive reply when it is ready in time and nothing of the chat is still being sent; else an
        empty answer, and the replies by API after the chat's earlier ones."""
        replies = asyncio.ensure_future(_safely(work))
        previous = self._deliveries.get(sender.chat)
        done, _ = await asyncio.wait({replies}, timeout=self.passive_seconds)
        if replies in done and (previous is None or previous.done()):
            text = passive_text(replies.result())
            if text is not None:
                return web.Response(text=self._passive(sender.user, text, nonce), content_type="application/xml")
            if not replies.result():
                return web.Response(text="")
        delivery = asyncio.create_task(self._deliver(sender, replies, previous))
        self._deliveries[sender.chat] = delivery
        delivery.add_done_callback(lambda task: self._finished(sender.chat, task))
        return web.Response(text="")

    def _finished(self, chat: str, task: asyncio.Task[None]) -> None:
        if self._deliveries.get(chat) is task:
            del self._deliveries[chat]

    def _passive(self, user: str, text: str, nonce: str) -> str:
        message = (
            f"<xml><ToUserName>{cdata(user)}</ToUserName><FromUserName>{cdata(self.settings.corp_id)}</FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content>{cdata(text)}</Content></xml>"
        )
        return self.crypto.reply(message, nonce)

    async def _deliver(
        self, sender: Sender, replies: asyncio.Future[list[Reply]], previous: asyncio.Task[None] | None
    ) -> None:
        if previous is not None:
            with contextlib.suppress(Exception):
                await previous
        for reply in await replies:
            try:
                await self.send(sender.user, reply)
            except ApiError as error:
                logger.error("wecom: a reply to %s was not delivered: %s", sender.user, error)
                return

    async def send(self, user: str, reply: Reply) -> None:
        """One reply the API way: its text, the choice card, the image, the file."""
        for part in text_parts(reply.text):
            await self.api.send(user, {"msgtype": "text", "text": {"content": part}})
        if 0 < len(reply.buttons) <= CARD_BUTTONS:
            await self.api.send(user, template_card(reply))
        if reply.image is not None:
            media = await self.api.upload("image", reply.image_name or "image.png", reply.image)
            await self.api.send(user, {"msgtype": "image", "image": {"media_id": media}})
        if reply.file is not None:
            media = await self.api.upload("file", reply.file_name or "export.csv", reply.file)
            await self.api.send(user, {"msgtype": "file", "file": {"media_id": media}})


async def _replies(*replies: Reply) -> list[Reply]:
    return list(replies)


async def _safely(work: Awaitable[list[Reply]]) -> list[Reply]:
    """The core's replies; an apology if it failed (the core answers user input, so this is a bug or the database)."""
    try:
        return await work
    except Exception:
        logger.exception("wecom: answering failed")
        return [Reply(text=APOLOGY)]


async def run_wecom(settings: WecomSettings, core: MessengerCore, stop: asyncio.Event) -> None:
    """`budgetbot serve`'s WeCom part: serve callbacks until `stop` is set."""
    bot = WecomBot(settings, core, read_secrets(settings))
    if not settings.allowed_user_ids and not settings.allowed_departments:
        logger.warning("[wecom] allowed_user_ids and allowed_departments are empty: everyone who sees the app can ask")
    await bot.start()
    try:
        await stop.wait()
    finally:
        await bot.stop()
