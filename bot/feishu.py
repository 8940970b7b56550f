"""飞书: an app's bot over the official lark-oapi SDK, a thin layer over MessengerCore.

The SDK's EventDispatcherHandler turns what 飞书 sends into event objects: in callback mode it answers
the URL check (challenge), checks the verification token, the signature of encrypted events and
decrypts them (AES-256-CBC, key sha256(Encrypt Key)); in long-connection mode its ws.Client receives
the same events over the connection it keeps open (no public address needed). Either way an event is
acknowledged at once (飞书 redelivers one not acknowledged within 3 s) and answered afterwards through
the API (im/v1/messages) with a cached tenant_access_token, a chat's replies in the order asked.
Choices come as an interactive card whose buttons send card.action.trigger callbacks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import lark_oapi as lark
import lark_oapi.ws.client as lark_ws_client
from aiohttp import web
from lark_oapi.event.callback.model.p2_card_action_trigger import P2CardActionTriggerResponse

from bot.messenger import APOLOGY, EMPTY, MessengerCore, Reply
from bot.platform_api import BACKOFF, ApiError, ApiRequest, Backoff, Busy, Departments, PlatformApi, Seen, http_busy
from bot.settings import FeishuSettings, SettingsError, env_secret

logger = logging.getLogger(__name__)

PLATFORM = "feishu"
TIMESTAMP_WINDOW = 300  # seconds an encrypted callback's X-Lark-Request-Timestamp may differ from our clock
# Error codes: the rate limits (try again later); a tenant_access_token that is no longer valid.
BUSY_CODES = frozenset({99991400, 230020})
STALE_TOKEN_CODES = frozenset({99991661, 99991663, 99991668})
DEPARTMENTS_SECONDS = 600.0
MENTION = re.compile(r"@_user_\d+")  # how a mention of the bot appears in a group message's text
CHOSEN_TOAST = "已收到，正在回答"


@dataclass(frozen=True)
class FeishuSecrets:
    app_secret: str = field(repr=False)
    verification_token: str = field(repr=False)
    encrypt_key: str = field(repr=False)


def read_secrets(settings: FeishuSettings) -> FeishuSecrets:
    """The secrets from the environment variables [feishu] names, or SettingsError saying which is missing."""
    if not settings.app_id:
        raise SettingsError("[feishu] app_id 为空：填入应用的 App ID（开发者后台 → 凭证与基础信息）")
    app_secret = env_secret(settings.app_secret_env, "应用的 App Secret")
    if settings.mode != "callback":
        return FeishuSecrets(app_secret, "", "")  # the long connection needs neither
    return FeishuSecrets(
        app_secret,
        env_secret(settings.verification_token_env, "事件订阅的 Verification Token"),
        env_secret(settings.encrypt_key_env, "事件订阅的 Encrypt Key"),
    )


def check_feishu(settings: FeishuSettings) -> None:
    """Everything start-up can check without the network."""
    read_secrets(settings)


def message_text(content: str) -> str:
    """The text of a text message's content JSON, without the @mentions that addressed the bot."""
    try:
        text = json.loads(content).get("text", "")
    except (ValueError, AttributeError):
        return ""
    return MENTION.sub("", str(text)).strip()


def choice_card(reply: Reply) -> dict[str, Any]:
    """The answer with its choices as buttons (an interactive card, JSON 1.0); a button's value carries
    the core's payload back in card.action.trigger."""
    buttons = [
        {
            "tag": "action",
            "actions": [
                {
                    "tag": "button",
                    "text": {"tag": "plain_text", "content": button.label},
                    "type": "default",
                    "value": {"payload": button.payload},
                }
            ],
        }
        for button in reply.buttons
    ]
    body = {"tag": "div", "text": {"tag": "lark_md", "content": reply.markdown or reply.text}}
    return {"config": {"wide_screen_mode": True}, "elements": [body, *buttons]}


class FeishuApi(PlatformApi):
    """The API calls the bot makes, over one aiohttp session, with the tenant_access_token cached."""

    platform = PLATFORM
    busy_codes = BUSY_CODES
    stale_token_codes = STALE_TOKEN_CODES

    def __init__(self, base_url: str, app_id: str, app_secret: str, backoff: Backoff) -> None:
        super().__init__(base_url, backoff)
        self._app_id = app_id
        self._app_secret = app_secret

    def __repr__(self) -> str:
        return f"FeishuApi({self._base!r}, app_id={self._app_id!r})"

    async def _fetch_token(self) -> tuple[str, float]:
        url = f"{self._base}/open-apis/auth/v3/tenant_access_token/internal"
        async with self.session.post(url, json={"app_id": self._app_id, "app_secret": self._app_secret}) as response:
            body = await _json(response)
        self._check(int(body.get("code", -1)), str(body.get("msg", "")), "tenant_access_token")
        return str(body["tenant_access_token"]), float(body.get("expire", 7200))

    async def _request(self, request: ApiRequest, token: str) -> tuple[dict[str, Any], int, str]:
        """The answer's data (the token goes in the Authorization header), its code and msg."""
        headers = {"Authorization": f"Bearer {token}"}
        url = f"{self._base}/open-apis/{request.path}"
        async with self.session.request(
            request.method, url, params=request.params, json=request.json, data=request.data, headers=headers
        ) as response:
            body = await _json(response, allow_error_status=True)
        data_field = body.get("data") or {}
        return (data_field if isinstance(data_field, dict) else {}), int(body.get("code", -1)), str(body.get("msg", ""))

    async def send(self, chat: str, msg_type: str, content: dict[str, Any]) -> None:
        # uuid: 飞书 sends a message once per uuid, so a retry after a lost answer cannot send it twice
        body = {"receive_id": chat, "msg_type": msg_type, "content": json.dumps(content, ensure_ascii=False)}
        await self.call("POST", "im/v1/messages", params={"receive_id_type": "chat_id"}, json={**body, "uuid": _uuid()})

    async def upload_image(self, name: str, data: bytes) -> str:
        def form() -> aiohttp.FormData:
            parts = aiohttp.FormData()
            parts.add_field("image_type", "message")
            parts.add_field("image", data, filename=name, content_type="image/png")
            return parts

        return str((await self.call("POST", "im/v1/images", form=form))["image_key"])

    async def upload_file(self, name: str, data: bytes) -> str:
        def form() -> aiohttp.FormData:
            parts = aiohttp.FormData()
            parts.add_field("file_type", "stream")
            parts.add_field("file_name", name)
            parts.add_field("file", data, filename=name, content_type="application/octet-stream")
            return parts

        return str((await self.call("POST", "im/v1/files", form=form))["file_key"])

    async def departments(self, open_id: str) -> tuple[str, ...]:
        params = {"user_id_type": "open_id", "department_id_type": "open_department_id"}
        data = await self.call("GET", f"contact/v3/users/{open_id}", params=params)
        return tuple(str(d) for d in data.get("user", {}).get("department_ids", []))


def _uuid() -> str:
    return uuid.uuid4().hex


async def _json(response: aiohttp.ClientResponse, allow_error_status: bool = False) -> dict[str, Any]:
    """The answer's JSON; Busy for 429/5xx. 飞书 answers some refusals with HTTP 400 and a JSON code."""
    busy = http_busy(response)
    if busy is not None:
        raise busy
    try:
        body = await response.json(content_type=None)
    except ValueError:
        raise Busy(f"HTTP {response.status} without JSON") from None
    if not isinstance(body, dict) or (response.status != 200 and not allow_error_status):
        raise Busy(f"HTTP {response.status}")
    return body


class FeishuBot:
    """The event handlers (callback server or long connection) and the sender of replies for one app."""

    def __init__(
        self, settings: FeishuSettings, core: MessengerCore, secrets: FeishuSecrets, *, backoff: Backoff = BACKOFF
    ) -> None:
        self.settings = settings
        self.core = core
        self.secrets = secrets
        self.api = FeishuApi(settings.api_base_url, settings.app_id, secrets.app_secret, backoff)
        self.events = (
            lark.EventDispatcherHandler.builder(secrets.encrypt_key, secrets.verification_token)
            .register_p2_im_message_receive_v1(self.on_message)
            .register_p2_card_action_trigger(self.on_card_action)
            .build()
        )
        self._seen = Seen()
        self._chains: dict[str, asyncio.Task[None]] = {}  # chat → its latest event being handled
        self._senders = Departments(
            PLATFORM, self.api.departments, settings.allowed_user_ids, settings.allowed_departments, DEPARTMENTS_SECONDS
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._connection: LongConnection | None = None
        self.port = 0

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self.api.start()
        if self.settings.mode == "callback":
            self._runner = web.AppRunner(self.application(), access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, self.settings.listen_host, self.settings.listen_port)
            await site.start()
            self.port = self._runner.addresses[0][1]
            where = f"{self.settings.listen_host}:{self.port}{self.settings.path}"
            logger.info("feishu: event callback listening on %s", where)
        else:
            self._connection = LongConnection(self.settings, self.secrets, self.events)
            self._connection.start()
            logger.info("feishu: long connection to %s started", self.settings.api_base_url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._connection is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._connection.stop)
        pending = list(self._chains.values())
        if pending:
            await asyncio.wait(pending, timeout=30)
        await self.api.close()

    def application(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.settings.path, self.on_callback)
        return app

    async def on_callback(self, request: web.Request) -> web.Response:
        """An HTTP event callback: the SDK checks and decrypts it and calls on_message / on_card_action."""
        body = await request.read()
        stamp = request.headers.get(lark.LARK_REQUEST_TIMESTAMP, "")
        if (
            self.secrets.encrypt_key
            and stamp
            and (not stamp.isdigit() or abs(time.time() - int(stamp)) > TIMESTAMP_WINDOW)
        ):
            # the signature covers the timestamp, so a replayed request cannot be given a fresh one
            logger.warning("feishu: refused a callback from %s: timestamp %s is stale", request.remote, stamp[:20])
            return web.json_response({"msg": "stale timestamp"}, status=403)
        raw = lark.RawRequest()
        raw.uri = request.path
        raw.body = body
        # the SDK reads these by their exact spelling; a proxy may have changed their case
        names = (lark.LARK_REQUEST_TIMESTAMP, lark.LARK_REQUEST_NONCE, lark.LARK_REQUEST_SIGNATURE)
        raw.headers = {name: request.headers[name] for name in names if name in request.headers}
        answer = self.events.do(raw)
        if answer.status_code != 200:
            logger.warning("feishu: refused a callback from %s (%s)", request.remote, answer.status_code)
        return web.Response(
            status=answer.status_code, body=answer.content, content_type="application/json", charset="utf-8"
        )

    # -- events (called by the SDK: on this loop for callbacks, on the connection's thread otherwise) --------

    def on_message(self, data: Any) -> None:
        event = data.event
        message, sender_id = event.message, event.sender.sender_id
        if not self._seen.first_time(str(message.message_id)):
            return
        text = message_text(message.content or "") if message.message_type == "text" else None
        self._handle(sender_id.open_id or "", message.chat_id or "", text, None)

    def on_card_action(self, data: Any) -> P2CardActionTriggerResponse:
        event = data.event
        value = event.action.value or {}
        self._handle(
            event.operator.open_id or "", event.context.open_chat_id or "", None, str(value.get("payload", ""))
        )
        return P2CardActionTriggerResponse({"toast": {"type": "info", "content": CHOSEN_TOAST}})

    def _handle(self, user: str, chat: str, text: str | None, payload: str | None) -> None:
        """Hand the event to the bot's loop; its replies follow the chat's earlier ones."""
        if not user or not chat or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._chain, user, chat, text, payload)

    def _chain(self, user: str, chat: str, text: str | None, payload: str | None) -> None:
        previous = self._chains.get(chat)
        task = asyncio.create_task(self._answer(previous, user, chat, text, payload))
        self._chains[chat] = task
        task.add_done_callback(lambda done: self._chains.pop(chat) if self._chains.get(chat) is done else None)

    async def _answer(
        self, previous: asyncio.Task[None] | None, user: str, chat: str, text: str | None, payload: str | None
    ) -> None:
        if previous is not None:
            with contextlib.suppress(Exception):
                await previous
        sender = await self._senders.sender(user, chat)
        try:
            if payload is not None:
                replies = await self.core.press(sender, payload)
            elif text is not None:
                replies = await self.core.message(sender, text)
            else:  # a picture, a file, a sticker: only those allowed to ask are told to write
                replies = [Reply(EMPTY)] if self.core.allowed(sender) else []
        except Exception:
            logger.exception("feishu: answering failed")
            replies = [Reply(APOLOGY)]
        for reply in replies:
            try:
                await self.send(chat, reply)
            except ApiError as error:
                logger.error("feishu: a reply to chat %s was not delivered: %s", chat, error)
                return

    async def send(self, chat: str, reply: Reply) -> None:
        """One reply: its text (a card with buttons when it offers choices), the image, the file."""
        if reply.buttons:
            await self.api.send(chat, "interactive", choice_card(reply))
        elif reply.text.strip():
            await self.api.send(chat, "text", {"text": reply.text})
        if reply.image is not None:
            key = await self.api.upload_image(reply.image_name or "image.png", reply.image)
            await self.api.send(chat, "image", {"image_key": key})
        if reply.file is not None:
            key = await self.api.upload_file(reply.file_name or "export.csv", reply.file)
            await self.api.send(chat, "file", {"file_key": key})


class LongConnection:
    """The SDK's ws.Client on a thread of its own. The client runs on a module-level event loop (and makes
    its helpers on the current one), so the thread gives it a fresh loop of its own before creating it:
    the bot's loop stays the bot's."""

    def __init__(self, settings: FeishuSettings, secrets: FeishuSecrets, events: Any) -> None:
        self._settings = settings
        self._secrets = secrets
        self._events = events
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: Any = None
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="feishu-long-connection", daemon=True)
        self._started = threading.Event()

    def start(self) -> None:
        self._thread.start()
        self._started.wait(30)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        lark_ws_client.loop = loop
        self._loop = loop
        # WARNING: at INFO the SDK logs the connection URL, whose query carries the connection's ticket
        self._client = lark.ws.Client(
            self._settings.app_id,
            self._secrets.app_secret,
            event_handler=self._events,
            domain=self._settings.api_base_url.rstrip("/"),
            log_level=lark.LogLevel.WARNING,
        )
        self._started.set()
        try:
            self._client.start()
        except (Exception, asyncio.CancelledError):
            if not self._stopping:  # stop() ends start() by cancelling what it waits on
                logger.exception("feishu: the long connection ended")
        finally:
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.close()

    def stop(self) -> None:
        loop, client = self._loop, self._client
        if loop is None or client is None or loop.is_closed():
            return
        self._stopping = True
        asyncio.run_coroutine_threadsafe(self._shutdown(client), loop)
        self._thread.join(10)

    @staticmethod
    async def _shutdown(client: Any) -> None:
        """The SDK has no public way to close: turn reconnection off, stop its receiving and pinging, close
        the socket, then cancel the endless wait its start() runs, which ends start()."""
        client._auto_reconnect = False
        current = asyncio.current_task()
        workers = [t for t in asyncio.all_tasks() if t is not current and _name(t) != "_select"]
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        with contextlib.suppress(Exception):
            await client._disconnect()
        for task in asyncio.all_tasks():
            if task is not current:
                task.cancel()


def _name(task: asyncio.Task[Any]) -> str:
    return str(getattr(task.get_coro(), "__name__", ""))


async def run_feishu(settings: FeishuSettings, core: MessengerCore, stop: asyncio.Event) -> None:
    """`budgetbot serve`'s 飞书 part: receive events until `stop` is set."""
    bot = FeishuBot(settings, core, read_secrets(settings))
    if not settings.allowed_user_ids and not settings.allowed_departments:
        logger.warning("[feishu] allowed_user_ids and allowed_departments are empty: everyone who sees the app can ask")
    await bot.start()
    try:
        await stop.wait()
    finally:
        await bot.stop()
