"""A stand-in 钉钉 server on 127.0.0.1, for the adapter's tests and benchmarks.

Both sides of the platform, written from DingTalk's documentation independently of bot/dingtalk.py:
- what the robot calls: the new OpenAPI (oauth2/accessToken, gateway/connections/open, robot
  oToMessages/batchSend and groupMessages/send with msgKey/msgParam), the old API (media/upload,
  topapi/v2/user/get, with errcode answers) and the sessionWebhook each message carries;
- how DingTalk delivers messages: Stream frames over the websocket the gateway hands out (waiting for
  the robot's ACK), or HTTP callbacks signed with the app secret in the `timestamp`/`sign` headers.
Tests push messages with `push_text` / `press`, read what the robot sent with `take`, and make an API
fail with `fail_next`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import aiohttp
from aiohttp import web

from tests.standins.server import StandInServer

APP_KEY = "dingstandinappkey"
ROBOT_TOPIC = "/v1.0/im/bot/messages/get"
FILE_TYPES = ("xlsx", "pdf", "zip", "rar", "doc", "docx")  # what a robot's sampleFile may carry
WEBHOOK_MINUTES = 90


@dataclass(frozen=True)
class Sent:
    """One message the robot sent to a conversation."""

    chat: str  # conversation id
    via: str  # "webhook" or "api"
    kind: str  # "markdown", "actionCard", "image", "file", "text"
    title: str = ""
    text: str = ""
    buttons: tuple[tuple[str, str], ...] = ()  # (title, actionURL)
    media: bytes = b""
    media_name: str = ""
    at: float = 0.0  # time.perf_counter()


@dataclass(frozen=True)
class Failure:
    http_status: int = 200
    errcode: int = 0  # the old API and the webhook's errcode; for the new API a code string is used
    code: str = ""


@dataclass(frozen=True)
class Pushed:
    """The robot's HTTP answer to a callback (callback mode), or the ACK of a Stream frame."""

    status: int
    body: dict[str, Any]


@dataclass
class _Conversation:
    id: str
    group: bool
    users: set[str] = field(default_factory=set)


class DingtalkStandIn(StandInServer[Sent, Failure]):
    thread_name = "dingtalk-standin"
    session_timeout = None
    timeout_error = AssertionError

    def __init__(self, departments: dict[str, list[int]] | None = None) -> None:
        super().__init__()
        self.app_key = APP_KEY
        self.secret = "standin-secret-" + secrets.token_hex(8)
        self.departments = departments or {}
        self.connections = 0
        self.webhook_minutes = WEBHOOK_MINUTES  # validity of the sessionWebhook in messages pushed from now
        self._tokens: set[str] = set()
        self._tickets: set[str] = set()
        self._media: dict[str, tuple[str, str, bytes]] = {}  # media_id → (type, name, data)
        self._sessions: dict[str, tuple[str, float]] = {}  # session → (conversation, expires at, epoch s)
        self._conversations: dict[str, _Conversation] = {}
        self._acks: dict[str, dict[str, Any]] = {}
        self._sockets: list[web.WebSocketResponse] = []

    def _to(self, sent: Sent) -> str:
        return sent.chat  # a conversation id (a private chat: "cid-" + user)

    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/v1.0/oauth2/accessToken", self._access_token)
        app.router.add_post("/v1.0/gateway/connections/open", self._connections_open)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_post("/robot/sendBySession", self._send_by_session)
        app.router.add_post("/v1.0/robot/oToMessages/batchSend", self._robot_send)
        app.router.add_post("/v1.0/robot/groupMessages/send", self._robot_send)
        app.router.add_post("/media/upload", self._media_upload)
        app.router.add_post("/topapi/v2/user/get", self._user_get)

    async def _close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        await super()._close()

    # -- what tests do ----------------------------------------------------------------------------

    def message(self, user: str, text: str, group: str = "", message_id: str = "") -> dict[str, Any]:
        """A robot message as DingTalk delivers it (the Stream frame's data, or the callback's body)."""
        chat = group or f"cid-{user}"
        conversation = self._conversations.setdefault(chat, _Conversation(chat, bool(group)))
        conversation.users.add(user)
        session = secrets.token_hex(12)
        expires = time.time() + self.webhook_minutes * 60
        self._sessions[session] = (chat, expires)
        data: dict[str, Any] = {
            "conversationId": chat,
            "chatbotCorpId": "dingcorp",
            "chatbotUserId": "$:LWCP_v1:$robot",
            "msgId": message_id or f"msg{next(self._ids)}",
            "senderNick": user,
            "isAdmin": False,
            "senderStaffId": user,
            "sessionWebhookExpiredTime": int(expires * 1000),
            "createAt": int(time.time() * 1000),
            "senderCorpId": "dingcorp",
            "conversationType": "2" if group else "1",
            "senderId": f"$:LWCP_v1:${user}",
            "sessionWebhook": f"{self.base_url}/robot/sendBySession?session={session}",
            "robotCode": self.app_key,
            "msgtype": "text",
            "text": {"content": f" {text}" if group else text},  # DingTalk leaves a space where the @ was
        }
        if group:
            data["conversationTitle"] = "预算问答群"
            data["isInAtList"] = True
        return data

    def push_text(self, user: str, text: str, group: str = "", message_id: str = "", **tamper: Any) -> Pushed:
        """Deliver a message: over the Stream connection when the robot has one, else as a callback."""
        return self.push(self.message(user, text, group, message_id), **tamper)

    def push(self, data: dict[str, Any], **tamper: Any) -> Pushed:
        assert self._thread is not None
        if self._sockets:
            return self._thread.run(self._push_frame(data))
        return self._thread.run(self._callback(data, **tamper))

    def press(self, user: str, button: tuple[str, str], group: str = "") -> Pushed:
        """Tap an ActionCard button: its dtmd://…sendMessage link sends `content` as the user's message."""
        link = urlparse(button[1])
        assert link.scheme == "dtmd" and link.netloc == "dingtalkclient" and link.path == "/sendMessage", button
        content = unquote(parse_qs(link.query)["content"][0])
        return self.push_text(user, content, group)

    def expire_tokens(self) -> None:
        self._tokens.clear()

    def expire_webhooks(self) -> None:
        self._sessions.clear()

    def sign(self, timestamp: str) -> str:
        mac = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256)
        return base64.b64encode(mac.digest()).decode()

    # -- delivering messages ------------------------------------------------------------------------

    async def _push_frame(self, data: dict[str, Any]) -> Pushed:
        message_id = secrets.token_hex(8)
        frame = {
            "specVersion": "1.0",
            "type": "CALLBACK",
            "headers": {
                "appId": "standin",
                "connectionId": "conn1",
                "contentType": "application/json",
                "messageId": message_id,
                "time": str(int(time.time() * 1000)),
                "topic": ROBOT_TOPIC,
            },
            "data": json.dumps(data, ensure_ascii=False),
        }
        await self._sockets[-1].send_str(json.dumps(frame, ensure_ascii=False))
        deadline = time.monotonic() + 10
        while message_id not in self._acks:  # DingTalk sends the frame again when no ACK comes in time
            if time.monotonic() > deadline:
                raise AssertionError("no ACK for a Stream frame within 10 s")
            await asyncio.sleep(0.005)
        ack = self._acks.pop(message_id)
        return Pushed(int(ack.get("code", 0)), ack)

    async def _callback(
        self, data: dict[str, Any], bad_sign: bool = False, age_seconds: float = 0.0, unsigned: bool = False
    ) -> Pushed:
        assert self._session is not None and self.callback_url, "callback mode: set callback_url first"
        timestamp = str(int((time.time() - age_seconds) * 1000))
        headers = {} if unsigned else {"timestamp": timestamp, "sign": self.sign(timestamp)}
        if bad_sign:
            headers["sign"] = base64.b64encode(b"\0" * 32).decode()
        async with self._session.post(self.callback_url, json=data, headers=headers) as response:
            body = await response.json(content_type=None)
            return Pushed(response.status, body if isinstance(body, dict) else {})

    # -- the robot's calls ---------------------------------------------------------------------------

    def _counted(self, request: web.Request) -> Failure | None:
        return self._next_failure(request.path)

    @staticmethod
    def _failed(failure: Failure, new_api: bool) -> web.Response:
        if failure.http_status != 200:
            return web.json_response({"code": "ServiceUnavailable", "message": "busy"}, status=failure.http_status)
        if new_api:
            return web.json_response({"code": failure.code or "Throttling", "message": "throttled"}, status=400)
        return web.json_response({"errcode": failure.errcode, "errmsg": "busy"})

    async def _access_token(self, request: web.Request) -> web.Response:
        failure = self._counted(request)
        if failure is not None:
            return self._failed(failure, new_api=True)
        body = await request.json()
        if body.get("appKey") != self.app_key or body.get("appSecret") != self.secret:
            return web.json_response({"code": "invalidClientIdOrSecret", "message": "bad appKey/appSecret"}, status=400)
        token = secrets.token_hex(16)
        self._tokens.add(token)
        self.token_requests += 1
        return web.json_response({"accessToken": token, "expireIn": 7200})

    async def _connections_open(self, request: web.Request) -> web.Response:
        failure = self._counted(request)
        if failure is not None:
            return self._failed(failure, new_api=True)
        body = await request.json()
        if body.get("clientId") != self.app_key or body.get("clientSecret") != self.secret:
            return web.json_response({"code": "invalidClientIdOrSecret", "message": "bad client"}, status=401)
        topics = [(s.get("type"), s.get("topic")) for s in body.get("subscriptions", [])]
        if ("CALLBACK", ROBOT_TOPIC) not in topics:
            return web.json_response({"code": "invalidSubscription", "message": "robot topic missing"}, status=400)
        ticket = secrets.token_hex(10)
        self._tickets.add(ticket)
        return web.json_response({"endpoint": f"ws://127.0.0.1:{self._port}/gateway", "ticket": ticket})

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("ticket") not in self._tickets:
            return web.Response(status=401)
        self._tickets.discard(request.query["ticket"])
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections += 1
        self._sockets.append(socket)
        try:
            async for frame in socket:
                if frame.type == aiohttp.WSMsgType.TEXT:
                    ack = json.loads(frame.data)
                    self._acks[ack.get("headers", {}).get("messageId", "")] = ack
        finally:
            self._sockets.remove(socket)
        return socket

    def _record(self, sent: Sent) -> None:
        super()._record(replace(sent, at=time.perf_counter()))

    async def _send_by_session(self, request: web.Request) -> web.Response:
        failure = self._counted(request)
        if failure is not None:
            return self._failed(failure, new_api=False)
        session = self._sessions.get(request.query.get("session", ""))
        if session is None or session[1] < time.time():
            return web.json_response({"errcode": 300001, "errmsg": "session webhook expired"})
        body = await request.json()
        kind = body.get("msgtype")
        content = body.get(kind, {}) if isinstance(kind, str) else {}
        if kind == "text" and content.get("content"):
            self._record(Sent(session[0], "webhook", "text", text=content["content"]))
        elif kind == "markdown" and content.get("title") and content.get("text"):
            self._record(Sent(session[0], "webhook", "markdown", content["title"], content["text"]))
        elif kind == "actionCard" and content.get("title") and content.get("text") and content.get("btns"):
            buttons = tuple((b["title"], b["actionURL"]) for b in content["btns"])
            if not all(title and url for title, url in buttons):
                return web.json_response({"errcode": 400105, "errmsg": "btns need title and actionURL"})
            self._record(Sent(session[0], "webhook", "actionCard", content["title"], content["text"], buttons))
        else:
            return web.json_response({"errcode": 40035, "errmsg": f"bad message: {body}"})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _robot_send(self, request: web.Request) -> web.Response:
        failure = self._counted(request)
        if failure is not None:
            return self._failed(failure, new_api=True)
        if request.headers.get("x-acs-dingtalk-access-token") not in self._tokens:
            return web.json_response({"code": "InvalidAuthentication", "message": "token invalid"}, status=401)
        body = await request.json()
        if body.get("robotCode") != self.app_key:
            return web.json_response({"code": "invalidRobotCode", "message": "robotCode"}, status=400)
        if request.path.endswith("groupMessages/send"):
            chat = body.get("openConversationId", "")
            if chat not in self._conversations or not self._conversations[chat].group:
                return web.json_response({"code": "invalidConversation", "message": "no such group"}, status=400)
        else:
            users = body.get("userIds", [])
            if len(users) != 1:
                return web.json_response({"code": "invalidUserIds", "message": "one user here"}, status=400)
            chat = f"cid-{users[0]}"
        param = json.loads(body.get("msgParam", "null"))
        key = body.get("msgKey")
        if key == "sampleMarkdown" and param.get("title") and param.get("text"):
            self._record(Sent(chat, "api", "markdown", param["title"], param["text"]))
        elif key == "sampleText" and param.get("content"):
            self._record(Sent(chat, "api", "text", text=param["content"]))
        elif key == "sampleImageMsg" and self._media.get(param.get("photoURL"), ("",))[0] == "image":
            _, name, data = self._media[param["photoURL"]]
            self._record(Sent(chat, "api", "image", media=data, media_name=name))
        elif (
            key == "sampleFile"
            and self._media.get(param.get("mediaId"), ("",))[0] == "file"
            and param.get("fileType") in FILE_TYPES
            and str(param.get("fileName", "")).endswith("." + param["fileType"])
        ):
            data = self._media[param["mediaId"]][2]
            self._record(Sent(chat, "api", "file", media=data, media_name=param["fileName"]))
        else:
            return web.json_response({"code": "invalidParameter", "message": f"bad {key}: {param}"}, status=400)
        return web.json_response({"processQueryKey": secrets.token_hex(8)})

    async def _media_upload(self, request: web.Request) -> web.Response:
        failure = self._counted(request)
        if failure is not None:
            return self._failed(failure, new_api=False)
        if request.query.get("access_token") not in self._tokens:
            return web.json_response({"errcode": 40014, "errmsg": "不合法的access_token"})
        form = await request.post()
        kind, media = form.get("type"), form.get("media")
        if kind not in ("image", "file", "voice") or not isinstance(media, web.FileField):
            return web.json_response({"errcode": 40004, "errmsg": "type and media are required"})
        data = media.file.read()
        if kind == "image" and not data.startswith(b"\x89PNG"):
            return web.json_response({"errcode": 40005, "errmsg": "not an image"})
        media_id = "@lADP" + secrets.token_hex(10)
        self._media[media_id] = (str(kind), media.filename, data)
        return web.json_response({"errcode": 0, "errmsg": "ok", "type": kind, "media_id": media_id, "created_at": 1})

    async def _user_get(self, request: web.Request) -> web.Response:
        failure = self._counted(request)
        if failure is not None:
            return self._failed(failure, new_api=False)
        if request.query.get("access_token") not in self._tokens:
            return web.json_response({"errcode": 40014, "errmsg": "不合法的access_token"})
        user = (await request.json()).get("userid", "")
        if user not in self.departments:
            return web.json_response({"errcode": 60121, "errmsg": "找不到该用户"})
        return web.json_response(
            {"errcode": 0, "errmsg": "ok", "result": {"userid": user, "dept_id_list": self.departments[user]}}
        )
