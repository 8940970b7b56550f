"""钉钉 (and its private deployments such as 浙政钉): an enterprise-internal app's robot over the shared
messenger core (bot/messenger.py).

Messages come in one of two ways, as [dingtalk] mode says:
- "stream": the bot connects out to DingTalk's Stream gateway (no public address needed) and the
  official dingtalk-stream SDK routes the robot's messages to `RobotHandler` and acknowledges them.
  The connection is opened here, against the configured API host, so that a private deployment's
  gateway (or a test's stand-in) is used; the SDK's own opener always calls api.dingtalk.com.
- "callback": DingTalk posts each message to our HTTP address, signed with the app secret in the
  `timestamp` and `sign` headers; a bad signature, or a timestamp more than an hour away, is refused.

Either way the message is acknowledged at once and answered afterwards (a question may take longer
than DingTalk waits): through the message's sessionWebhook while it is valid, else through the
OpenAPI robot endpoints with a cached access token. Choices are ActionCard buttons whose links send
the button's label back as the user's message; source pages and charts are uploaded (media/upload)
and sent as image messages; /export's CSV goes as a zip file (robots may send zip, not csv).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import io
import json
import logging
import time
import zipfile
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, quote_plus

import aiohttp
import websockets
from aiohttp import web
from dingtalk_stream import AckMessage, CallbackHandler, ChatbotMessage, Credential, DingTalkStreamClient

from bot.messenger import MessengerCore, Reply, Sender, split_text
from bot.platform_api import ApiError, Backoff, Busy, Seen, StaleToken, TokenCache, http_busy, with_retries
from bot.settings import DingtalkSettings, SettingsError, env_secret

logger = logging.getLogger(__name__)

PLATFORM = "dingtalk"
ROBOT_TOPIC: str = ChatbotMessage.TOPIC  # "/v1.0/im/bot/messages/get"
SIGNATURE_WINDOW_MS = 3_600_000  # DingTalk's documented window for the callback's timestamp
WEBHOOK_MARGIN_MS = 60_000  # a sessionWebhook this close to expiring is not used; the OpenAPI is
MESSAGE_BYTES = 6000  # one markdown message at most; longer replies go as several
TITLE_CHARS = 30  # the notification title: the reply's first line, cut
BUTTONS_REMEMBERED = 60  # per chat: labels of recent buttons, so a pressed button finds its payload
DEPARTMENTS_SECONDS = 600.0  # how long a user's departments are trusted before they are looked up again
RECONNECT_SECONDS = 5.0
# Error codes worth another try: system busy, the API's call-rate limits, the robot's send-rate limit.
BUSY_CODES = frozenset({-1, 90002, 90018, 130101})
STALE_CODES = frozenset({40001, 40014, 42001})  # the old API's "access_token invalid or expired"
BUSY_API_CODES = frozenset({"Throttling", "Throttling.Api", "Throttling.User", "ServiceUnavailable"})


def signature(secret: str, timestamp: str) -> str:
    """The `sign` header DingTalk sends with a callback: base64(HMAC-SHA256(secret, timestamp + "\\n" + secret))."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed(secret: str, timestamp: str, sign: str, now_ms: int) -> bool:
    """Whether a callback's headers are DingTalk's: the right signature on a timestamp within an hour."""
    if not timestamp.isdigit() or abs(now_ms - int(timestamp)) > SIGNATURE_WINDOW_MS:
        return False
    return hmac.compare_digest(signature(secret, timestamp), sign)


@dataclass(frozen=True)
class Incoming:
    """One message to the robot, as much of it as answering and replying need."""

    message_id: str
    sender: Sender
    text: str
    group: bool
    staff_id: str
    conversation_id: str
    webhook: str
    webhook_expires_ms: int


def incoming(data: dict[str, Any]) -> Incoming | None:
    """The robot message in a Stream frame's data or a callback's body (read by the SDK's ChatbotMessage)."""
    message = ChatbotMessage.from_dict(data)
    user = message.sender_staff_id or ""
    if not user or not message.conversation_id:
        return None
    texts = message.get_text_list() if message.message_type in ("text", "richText") else []
    group = message.conversation_type == "2"
    return Incoming(
        message_id=str(message.message_id or ""),
        sender=Sender(PLATFORM, user, message.conversation_id),
        # in a group the robot only gets messages that @ it; DingTalk takes the mention out of the text
        text=" ".join(t.strip() for t in texts or [] if t).strip(),
        group=group,
        staff_id=user,
        conversation_id=message.conversation_id,
        webhook=message.session_webhook or "",
        webhook_expires_ms=int(message.session_webhook_expired_time or 0),
    )


def send_link(label: str) -> str:
    """A link that, tapped in DingTalk, sends `label` to the chat as the user's own message."""
    return f"dtmd://dingtalkclient/sendMessage?content={quote(label, safe='')}"


def dingtalk_markdown(markdown: str) -> str:
    """DingTalk's markdown joins single line breaks: outside code blocks every line becomes a paragraph."""
    parts = markdown.split("```")
    return "```".join(part if index % 2 else part.replace("\n", "\n\n") for index, part in enumerate(parts))


def title(reply: Reply) -> str:
    first = reply.text.strip().split("\n", 1)[0]
    return first[:TITLE_CHARS] or "预算问答"


def zipped(name: str, data: bytes) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return f"{name}.zip", buffer.getvalue()


class DingtalkApi:
    """DingTalk's HTTP APIs the robot calls, each resent with back-off when DingTalk is busy.

    Tokens go in headers or query strings and are never logged; nor are URLs (the old API and the
    sessionWebhook carry credentials in theirs)."""

    def __init__(self, settings: DingtalkSettings, secret: str, session: aiohttp.ClientSession, backoff: Backoff):
        self.settings = settings
        self._secret = secret
        self._session = session
        self._backoff = backoff
        self.tokens = TokenCache(self._fetch_token)

    def __repr__(self) -> str:
        return f"DingtalkApi(app_key={self.settings.app_key!r})"

    @property
    def robot_code(self) -> str:
        return self.settings.robot_code or self.settings.app_key

    async def _fetch_token(self) -> tuple[str, float]:
        url = f"{self.settings.api_base_url}/v1.0/oauth2/accessToken"
        body = {"appKey": self.settings.app_key, "appSecret": self._secret}
        async with self._session.post(url, json=body) as response:
            busy = http_busy(response)
            if busy is not None:
                raise busy
            data = await _json(response)
            if response.status != 200 or "accessToken" not in data:
                raise ApiError("钉钉 accessToken", response.status, str(data.get("message") or data.get("code")))
            return str(data["accessToken"]), float(data.get("expireIn", 7200))

    async def _retried(self, what: str, attempt: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        return await with_retries(self._backoff, attempt, f"钉钉 {what}")

    async def api(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST to the new OpenAPI (api.dingtalk.com) with the access token in its header."""

        async def attempt() -> dict[str, Any]:
            token = await self.tokens.get()
            headers = {"x-acs-dingtalk-access-token": token}
            async with self._session.post(
                f"{self.settings.api_base_url}{path}", json=body, headers=headers
            ) as response:
                if response.status == 401:
                    self.tokens.forget(token)
                    raise StaleToken
                busy = http_busy(response)
                data = await _json(response)
                if busy is not None or str(data.get("code", "")) in BUSY_API_CODES:
                    raise busy or Busy(str(data.get("code")))
                if response.status != 200:
                    raise ApiError(path, response.status, str(data.get("message") or data.get("code")))
                return data

        return await self._retried(path, attempt)

    async def oapi(self, path: str, form: Callable[[], aiohttp.FormData] | None = None, **body: Any) -> dict[str, Any]:
        """POST to the old API (oapi.dingtalk.com), the token as ?access_token=, errcode in the answer."""

        async def attempt() -> dict[str, Any]:
            token = await self.tokens.get()
            url = f"{self.settings.oapi_base_url}{path}"
            params = {"access_token": token}
            request = (
                self._session.post(url, params=params, data=form())
                if form is not None
                else self._session.post(url, params=params, json=body)
            )
            async with request as response:
                data = await _checked(response)
                if data.get("errcode") in STALE_CODES:
                    self.tokens.forget(token)
                    raise StaleToken
                if data.get("errcode", 0) != 0:
                    raise ApiError(path, int(data["errcode"]), str(data.get("errmsg", "")))
                return data

        return await self._retried(path, attempt)

    async def webhook(self, url: str, body: dict[str, Any]) -> None:
        """Reply through a message's sessionWebhook (no token: the URL itself is the credential)."""

        async def attempt() -> dict[str, Any]:
            async with self._session.post(url, json=body) as response:
                data = await _checked(response)
                if data.get("errcode", 0) != 0:
                    raise ApiError("sessionWebhook", int(data["errcode"]), str(data.get("errmsg", "")))
                return data

        await self._retried("sessionWebhook", attempt)

    async def upload(self, kind: str, name: str, data: bytes) -> str:
        """media/upload: the media_id of an image or a file, for the messages below."""

        def form() -> aiohttp.FormData:
            fields = aiohttp.FormData()
            fields.add_field("type", kind)
            fields.add_field("media", data, filename=name, content_type="application/octet-stream")
            return fields

        answer = await self.oapi("/media/upload", form=form)
        return str(answer["media_id"])

    async def robot_send(self, message: Incoming, key: str, param: dict[str, Any]) -> None:
        """A robot message by the OpenAPI: to the group, or to the user in a private chat."""
        body: dict[str, Any] = {"robotCode": self.robot_code, "msgKey": key, "msgParam": json.dumps(param)}
        if message.group:
            await self.api("/v1.0/robot/groupMessages/send", {**body, "openConversationId": message.conversation_id})
        else:
            await self.api("/v1.0/robot/oToMessages/batchSend", {**body, "userIds": [message.staff_id]})

    async def departments(self, user: str) -> tuple[str, ...]:
        answer = await self.oapi("/topapi/v2/user/get", userid=user)
        return tuple(str(d) for d in answer.get("result", {}).get("dept_id_list", []))

    async def open_connection(self) -> tuple[str, str]:
        """A Stream connection's websocket endpoint and ticket (DingTalk's gateway/connections/open)."""

        async def attempt() -> dict[str, Any]:
            body = {
                "clientId": self.settings.app_key,
                "clientSecret": self._secret,
                "subscriptions": [{"type": "CALLBACK", "topic": ROBOT_TOPIC}],
                "ua": "budgetbot",
            }
            url = f"{self.settings.api_base_url}/v1.0/gateway/connections/open"
            async with self._session.post(url, json=body) as response:
                busy = http_busy(response)
                if busy is not None:
                    raise busy
                data = await _json(response)
                if response.status != 200 or "endpoint" not in data:
                    raise ApiError("gateway", response.status, str(data.get("message") or data.get("code")))
                return data

        data = await self._retried("Stream gateway", attempt)
        return str(data["endpoint"]), str(data["ticket"])


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        data = await response.json(content_type=None)
    except (json.JSONDecodeError, aiohttp.ContentTypeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


async def _checked(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The answer of an errcode-style API, Busy when DingTalk asks to come back later."""
    busy = http_busy(response)
    if busy is not None:
        raise busy
    data = await _json(response)
    if data.get("errcode") in BUSY_CODES:
        raise Busy(f"errcode {data['errcode']}")
    if response.status != 200:
        raise ApiError("钉钉", response.status, str(data.get("errmsg", "")))
    return data


class DingtalkBot:
    """Answers robot messages through the core and sends the replies the DingTalk way."""

    def __init__(self, core: MessengerCore, api: DingtalkApi, clock: Callable[[], float] = time.time) -> None:
        self.core = core
        self.api = api
        self.clock = clock
        self._seen = Seen()
        self._buttons: dict[str, OrderedDict[str, str]] = {}  # chat → button label → payload
        self._departments: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._chats: dict[str, tuple[asyncio.Lock, int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def receive(self, message: Incoming) -> None:
        """Take a message (acknowledged by the caller at once) and answer it in the background.
        DingTalk sends a message again when it thinks it was lost: a repeat is dropped."""
        if message.message_id and not self._seen.first_time(message.message_id):
            return
        task = asyncio.get_running_loop().create_task(self._handle(message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the answers still being sent (at shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _handle(self, message: Incoming) -> None:
        # One chat's messages are answered and sent in the order they came: the core orders the
        # answers, and this lock keeps one answer's messages from interleaving with the next one's.
        chat = message.sender.chat
        lock, users = self._chats.get(chat) or (asyncio.Lock(), 0)
        self._chats[chat] = (lock, users + 1)
        try:
            async with lock:
                replies = await self._replies(message)
                for reply in replies:
                    await self._send(message, reply)
        except (TimeoutError, ApiError, aiohttp.ClientError) as error:
            logger.error("钉钉: could not reply to %s in %s: %s", message.sender.user, chat, error)
        except Exception:  # the end of a background task: logged here, or nowhere
            logger.exception("钉钉: replying to %s in %s failed", message.sender.user, chat)
        finally:
            lock, users = self._chats[chat]
            if users == 1:
                del self._chats[chat]
            else:
                self._chats[chat] = (lock, users - 1)

    async def _replies(self, message: Incoming) -> list[Reply]:
        sender = message.sender
        if self.core.access.allowed_departments and not self.core.allowed(sender):
            sender = replace(sender, departments=await self._user_departments(sender.user))
        payload = self._buttons.get(sender.chat, OrderedDict()).get(message.text)
        if payload is not None:
            return await self.core.press(sender, payload)
        return await self.core.message(sender, message.text)

    async def _user_departments(self, user: str) -> tuple[str, ...]:
        """The user's departments (robot messages do not carry them), looked up and kept a while."""
        known = self._departments.get(user)
        if known is not None and known[0] > self.clock():
            return known[1]
        try:
            departments = await self.api.departments(user)
        except ApiError as error:  # no permission to read the address book, or no such user: not allowed
            logger.warning("钉钉: departments of %s unknown (%s)", user, error)
            return ()
        self._departments[user] = (self.clock() + DEPARTMENTS_SECONDS, departments)
        return departments

    # -- sending --------------------------------------------------------------------------------

    async def _send(self, message: Incoming, reply: Reply) -> None:
        if reply.text:
            pieces = split_text(dingtalk_markdown(reply.markdown or reply.text), MESSAGE_BYTES)
            for number, piece in enumerate(pieces, start=1):
                buttons = reply.buttons if number == len(pieces) else ()
                await self._say(message, replace(reply, buttons=buttons), piece)
        if reply.image is not None:
            media = await self.api.upload("image", reply.image_name or "image.png", reply.image)
            await self.api.robot_send(message, "sampleImageMsg", {"photoURL": media})
        if reply.file is not None:
            name, data = zipped(reply.file_name or "export.csv", reply.file)
            media = await self.api.upload("file", name, data)
            await self.api.robot_send(message, "sampleFile", {"mediaId": media, "fileName": name, "fileType": "zip"})

    async def _say(self, message: Incoming, reply: Reply, markdown: str) -> None:
        """Markdown, or an ActionCard when the reply offers choices: by the sessionWebhook while it is
        valid, else by the OpenAPI (where the buttons become links in the markdown)."""
        heading = title(reply)
        links = [(button.label, send_link(button.label)) for button in reply.buttons]
        remembered = self._buttons.setdefault(message.sender.chat, OrderedDict())
        for button in reply.buttons:
            remembered[button.label] = button.payload
            remembered.move_to_end(button.label)
        while len(remembered) > BUTTONS_REMEMBERED:
            remembered.popitem(last=False)
        if message.webhook and message.webhook_expires_ms - WEBHOOK_MARGIN_MS > self.clock() * 1000:
            if links:
                card = {
                    "title": heading,
                    "text": markdown,
                    "btnOrientation": "0",
                    "btns": [{"title": label, "actionURL": url} for label, url in links],
                }
                await self.api.webhook(message.webhook, {"msgtype": "actionCard", "actionCard": card})
            else:
                await self.api.webhook(
                    message.webhook, {"msgtype": "markdown", "markdown": {"title": heading, "text": markdown}}
                )
            return
        text = "\n\n".join([markdown, *(f"[{label}]({url})" for label, url in links)])
        await self.api.robot_send(message, "sampleMarkdown", {"title": heading, "text": text})

    # -- HTTP callback mode ---------------------------------------------------------------------

    def application(self, path: str, secret: str) -> web.Application:
        async def on_callback(request: web.Request) -> web.Response:
            timestamp, sign = request.headers.get("timestamp", ""), request.headers.get("sign", "")
            if not signed(secret, timestamp, sign, int(self.clock() * 1000)):
                logger.warning("钉钉: refused a callback with a bad signature or a stale timestamp")
                return web.json_response({"errcode": 403, "errmsg": "bad signature"}, status=403)
            try:
                data = await request.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                return web.json_response({"errcode": 400, "errmsg": "not JSON"}, status=400)
            message = incoming(data) if isinstance(data, dict) else None
            if message is not None:
                self.receive(message)
            return web.json_response({})  # answered through the sessionWebhook, not in this response

        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(path, on_callback)
        return app


class RobotHandler(CallbackHandler):  # type: ignore[misc]  # the SDK is untyped
    """The SDK's handler for the robot topic: hands the message over and acknowledges it at once."""

    def __init__(self, bot: DingtalkBot) -> None:
        super().__init__()
        self.bot = bot

    async def process(self, callback: Any) -> tuple[int, str]:
        data = callback.data if isinstance(callback.data, dict) else {}
        message = incoming(data)
        if message is not None:
            self.bot.receive(message)
        return AckMessage.STATUS_OK, "OK"


async def run_stream(bot: DingtalkBot, settings: DingtalkSettings, secret: str, stop: asyncio.Event) -> None:
    """Stay connected to the Stream gateway until `stop`, reconnecting when the connection drops."""
    client = DingTalkStreamClient(Credential(settings.app_key, secret), logger=logging.getLogger("dingtalk_stream"))
    client.register_callback_handler(ROBOT_TOPIC, RobotHandler(bot))
    client.pre_start()
    routing: set[asyncio.Task[None]] = set()
    while not stop.is_set():
        try:
            endpoint, ticket = await bot.api.open_connection()
            async with websockets.connect(f"{endpoint}?ticket={quote_plus(ticket)}") as websocket:
                client.websocket = websocket
                logger.info("钉钉 Stream connected")

                async def read() -> None:
                    async for raw in websocket:
                        # the SDK routes the frame (system, or our robot topic) and sends its ACK
                        task = asyncio.get_running_loop().create_task(client.background_task(json.loads(raw)))
                        routing.add(task)
                        task.add_done_callback(routing.discard)

                reader = asyncio.create_task(read())
                stopping = asyncio.create_task(stop.wait())
                await asyncio.wait({reader, stopping}, return_when=asyncio.FIRST_COMPLETED)
                for task in (reader, stopping):
                    task.cancel()
        except (ApiError, OSError, websockets.exceptions.WebSocketException, json.JSONDecodeError) as error:
            logger.warning("钉钉 Stream connection failed (%s); reconnecting", type(error).__name__)
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RECONNECT_SECONDS)


def read_secret(settings: DingtalkSettings) -> str:
    if not settings.app_key:
        raise SettingsError("[dingtalk] app_key 为空：填入钉钉开发者后台“凭证与基础信息”中的 Client ID（AppKey）")
    return env_secret(settings.app_secret_env, "钉钉应用的 Client Secret（AppSecret）")


def check_dingtalk(settings: DingtalkSettings) -> None:
    """What start-up can check before anything starts: the app key and the secret's variable."""
    read_secret(settings)


async def run_dingtalk(
    settings: DingtalkSettings, core: MessengerCore, stop: asyncio.Event, backoff: Backoff | None = None
) -> None:
    """The 钉钉 robot, in the configured mode, until `stop` is set."""
    secret = read_secret(settings)
    if core.access.open:
        logger.warning(
            "[dingtalk] allowed_user_ids and allowed_departments are empty: everyone in the organisation can ask"
        )
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        bot = DingtalkBot(core, DingtalkApi(settings, secret, session, backoff or Backoff()))
        if settings.mode == "stream":
            await run_stream(bot, settings, secret, stop)
        else:
            runner = web.AppRunner(bot.application(settings.path, secret), access_log=None)
            await runner.setup()
            await web.TCPSite(runner, settings.listen_host, settings.listen_port).start()
            logger.info("钉钉 callback listening on %s:%d%s", settings.listen_host, settings.listen_port, settings.path)
            await stop.wait()
            await runner.cleanup()
        await bot.drain()
