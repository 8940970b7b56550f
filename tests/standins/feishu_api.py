"""A stand-in 飞书 open platform on 127.0.0.1, for the adapter's tests and benchmarks.

Both sides of the platform: the API the bot calls (tenant_access_token, im/v1/messages, im/v1/images,
im/v1/files, contact/v3/users, with 飞书's JSON answers and error codes), and the events 飞书 sends the
bot, either as HTTP callbacks (url_verification; im.message.receive_v1 and card.action.trigger, encrypted
with the Encrypt Key and signed as 飞书 documents, written here independently of the SDK) or over the
long connection (the endpoint the SDK's ws.Client asks for, then a WebSocket carrying the SDK's own
protobuf frames). Tests push events with `push_text` / `press`, read what the bot sent with `take`, and
make the API fail with `fail_next`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lark_oapi.ws.pb.pbbp2_pb2 import Frame

from tests.standins.server import StandInServer

APP_ID = "cli_standin0000001"
SERVICE_ID = 1


@dataclass(frozen=True)
class Sent:
    """One message the bot sent to a chat."""

    chat: str
    msg_type: str
    content: dict[str, Any]
    media: bytes = b""
    media_name: str = ""
    at: float = 0.0  # time.perf_counter()

    @property
    def text(self) -> str:
        """What the chat shows as text: a text message's, or an interactive card's body."""
        if self.msg_type == "text":
            return str(self.content.get("text", ""))
        if self.msg_type == "interactive":
            return "\n".join(
                str(e.get("text", {}).get("content", "")) for e in self.content.get("elements", []) if e["tag"] == "div"
            )
        return ""

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [
            action
            for element in self.content.get("elements", [])
            if element.get("tag") == "action"
            for action in element.get("actions", [])
        ]


@dataclass(frozen=True)
class Pushed:
    """The bot's HTTP answer to a callback (long connection: the frame's answer)."""

    status: int
    body: dict[str, Any]


@dataclass
class Failure:
    http_status: int = 200
    code: int = 0


@dataclass
class _State:
    tokens: set[str] = field(default_factory=set)
    media: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # key → (kind, name, data)
    uuids: set[str] = field(default_factory=set)


class FeishuStandIn(StandInServer[Sent, Failure]):
    thread_name = "feishu-standin"
    max_body = 64 * 1024 * 1024

    def __init__(self, departments: dict[str, list[str]] | None = None) -> None:
        super().__init__()
        self.app_id = APP_ID
        self.app_secret = "standin-app-secret-" + secrets.token_hex(8)
        self.verification_token = "vt" + secrets.token_hex(10)
        self.encrypt_key = "ek" + secrets.token_hex(12)
        self.departments = departments or {}
        self._state = _State()
        self._socket: web.WebSocketResponse | None = None
        self._connected = threading.Event()
        self._frame_answers: dict[str, asyncio.Future[dict[str, Any]]] = {}

    def _to(self, sent: Sent) -> str:
        return sent.chat

    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/open-apis/auth/v3/tenant_access_token/internal", self._token)
        app.router.add_post("/open-apis/im/v1/messages", self._api("im/v1/messages", self._messages))
        app.router.add_post("/open-apis/im/v1/images", self._api("im/v1/images", self._images))
        app.router.add_post("/open-apis/im/v1/files", self._api("im/v1/files", self._files))
        app.router.add_get("/open-apis/contact/v3/users/{user}", self._api("contact/v3/users", self._user))
        app.router.add_post("/callback/ws/endpoint", self._endpoint)
        app.router.add_get("/ws", self._websocket)

    async def _close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        await super()._close()

    # -- 飞书's event encryption and signature ------------------------------------------------------

    def encrypt(self, plaintext: str) -> str:
        key = hashlib.sha256(self.encrypt_key.encode()).digest()
        iv = os.urandom(16)
        padder = padding.PKCS7(128).padder()
        data = padder.update(plaintext.encode()) + padder.finalize()
        encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
        return base64.b64encode(iv + encryptor.update(data) + encryptor.finalize()).decode()

    def sign(self, timestamp: str, nonce: str, body: bytes) -> str:
        return hashlib.sha256((timestamp + nonce + self.encrypt_key).encode() + body).hexdigest()

    # -- what a test does -----------------------------------------------------------------------

    def url_verification(self) -> Pushed:
        challenge = secrets.token_hex(8)
        event = {"challenge": challenge, "token": self.verification_token, "type": "url_verification"}
        return self._callback(event, "")

    def push_text(self, user: str, text: str, chat: str | None = None, tamper: str = "", times: int = 1) -> Pushed:
        """`user` sends `text` in `chat` (their private chat with the bot by default). `times` > 1 delivers it
        again as 飞书 does; `tamper`: "signature", "timestamp" or "token" sends a forged or replayed one."""
        chat = chat or private_chat(user)
        message: dict[str, Any] = {
            "message_id": f"om_{next(self._ids)}{secrets.token_hex(6)}",
            "create_time": str(int(time.time() * 1000)),
            "chat_id": chat,
            "chat_type": "p2p" if chat == private_chat(user) else "group",
            "message_type": "text",
            "content": json.dumps({"text": text}, ensure_ascii=False),
        }
        if "@_user_1" in text:
            message["mentions"] = [{"key": "@_user_1", "id": {"open_id": "ou_bot"}, "name": "预算问答"}]
        sender = {"sender_id": {"open_id": user, "user_id": user[3:], "union_id": f"on_{user}"}, "sender_type": "user"}
        event = self._event("im.message.receive_v1", {"sender": sender, "message": message}, tamper)
        answers = [self._deliver(event, tamper) for _ in range(times)]
        return answers[0]

    def press(self, user: str, button: dict[str, Any], chat: str | None = None) -> Pushed:
        """`user` presses `button` (one of a card's, see Sent.buttons)."""
        chat = chat or private_chat(user)
        data = {
            "operator": {"open_id": user, "user_id": user[3:]},
            "token": f"c-{secrets.token_hex(8)}",
            "action": {"value": button["value"], "tag": "button"},
            "host": "im_message",
            "context": {"open_message_id": f"om_{next(self._ids)}", "open_chat_id": chat},
        }
        return self._deliver(self._event("card.action.trigger", data, ""), "")

    def expire_tokens(self) -> None:
        with self._lock:
            self._state.tokens.clear()

    def wait_connected(self, timeout: float = 30.0) -> None:
        """Until the bot's long connection is open."""
        assert self._connected.wait(timeout), "the bot did not open the long connection"

    # -- events ---------------------------------------------------------------------------------

    def _event(self, kind: str, data: dict[str, Any], tamper: str) -> dict[str, Any]:
        token = "forged-token" if tamper == "token" else self.verification_token
        header = {
            "event_id": secrets.token_hex(16),
            "event_type": kind,
            "create_time": str(int(time.time() * 1000)),
            "token": token,
            "app_id": self.app_id,
            "tenant_key": "standin-tenant",
        }
        return {"schema": "2.0", "header": header, "event": data}

    def _deliver(self, event: dict[str, Any], tamper: str) -> Pushed:
        """By HTTP callback when callback_url is set, else over the long connection."""
        if self.callback_url:
            return self._callback(event, tamper)
        assert self._thread is not None
        return self._thread.run(self._send_frame(event))

    def _callback(self, event: dict[str, Any], tamper: str) -> Pushed:
        assert self._thread is not None and self.callback_url, "set callback_url to the bot's address first"
        body = json.dumps({"encrypt": self.encrypt(json.dumps(event, ensure_ascii=False))}).encode()
        timestamp = str(int(time.time()) - (3600 if tamper == "timestamp" else 0))
        nonce = secrets.token_hex(8)
        signature = self.sign(timestamp, nonce, body)
        if tamper == "signature":
            signature = hashlib.sha256(b"forged" + signature.encode()).hexdigest()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Lark-Request-Timestamp": timestamp,
            "X-Lark-Request-Nonce": nonce,
            "X-Lark-Signature": signature,
        }
        return self._thread.run(self._post(body, headers))

    async def _post(self, body: bytes, headers: dict[str, str]) -> Pushed:
        assert self._session is not None
        async with self._session.post(self.callback_url, data=body, headers=headers) as response:
            text = await response.text()
            try:
                answer = json.loads(text) if text else {}
            except ValueError:
                answer = {"raw": text}
            return Pushed(response.status, answer)

    # -- the long connection --------------------------------------------------------------------

    async def _endpoint(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("AppID") != self.app_id or body.get("AppSecret") != self.app_secret:
            return web.json_response({"code": 1000040343, "msg": "invalid app credentials"})
        url = f"ws://127.0.0.1:{self._port}/ws?device_id=standin-device&service_id={SERVICE_ID}"
        config = {"ReconnectCount": -1, "ReconnectInterval": 1, "ReconnectNonce": 0, "PingInterval": 120}
        return web.json_response({"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": config}})

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        self._connected.set()
        async for message in socket:
            if message.type != aiohttp.WSMsgType.BINARY:
                continue
            frame = Frame()
            frame.ParseFromString(message.data)
            headers = {h.key: h.value for h in frame.headers}
            if frame.method == 0 and headers.get("type") == "ping":
                await socket.send_bytes(_frame(0, {"type": "pong"}, b"").SerializeToString())
            elif frame.method == 1:
                waiting = self._frame_answers.pop(headers.get("message_id", ""), None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(json.loads(frame.payload or b"{}"))
        self._connected.clear()
        return socket

    async def _send_frame(self, event: dict[str, Any]) -> Pushed:
        assert self._socket is not None, "the bot has no long connection open"
        message_id = secrets.token_hex(8)
        headers = {"type": "event", "message_id": message_id, "trace_id": secrets.token_hex(8), "sum": "1", "seq": "0"}
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._frame_answers[message_id] = answer
        await self._socket.send_bytes(_frame(1, headers, json.dumps(event).encode()).SerializeToString())
        result = await asyncio.wait_for(answer, 30)
        data = json.loads(base64.b64decode(result["data"])) if result.get("data") else {}
        return Pushed(int(result.get("code", 0)), data)

    # -- the API --------------------------------------------------------------------------------

    def _failure(self, path: str) -> web.Response | None:
        """Paths: "im/v1/messages", "im/v1/images", "tenant_access_token"."""
        failure = self._next_failure(path)
        if failure is None:
            return None
        if failure.http_status != 200:
            return web.Response(status=failure.http_status, text="<html>busy</html>")
        # 飞书 answers its rate limit with HTTP 429 and code 99991400
        status = 429 if failure.code == 99991400 else 400
        return web.json_response({"code": failure.code, "msg": "request trigger frequency limit"}, status=status)

    async def _token(self, request: web.Request) -> web.Response:
        failed = self._failure("tenant_access_token")
        if failed is not None:
            return failed
        body = await request.json()
        if body.get("app_id") != self.app_id or body.get("app_secret") != self.app_secret:
            return web.json_response({"code": 10014, "msg": "app secret invalid"}, status=400)
        token = f"t-{next(self._ids)}{secrets.token_hex(16)}"
        with self._lock:
            self.token_requests += 1
            self._state.tokens.add(token)
        return web.json_response({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": 7200})

    def _api(self, path: str, handler: Any) -> Any:
        async def serve(request: web.Request) -> web.Response:
            failed = self._failure(path)
            if failed is not None:
                return failed
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            with self._lock:
                known = token in self._state.tokens
            if not known:
                return web.json_response(
                    {"code": 99991663, "msg": "Invalid access token for authorization"}, status=400
                )
            try:
                data: dict[str, Any] = await handler(request)
            except _Refused as refused:
                return web.json_response({"code": refused.code, "msg": str(refused)}, status=400)
            return web.json_response({"code": 0, "msg": "success", "data": data})

        return serve

    async def _messages(self, request: web.Request) -> dict[str, Any]:
        if request.query.get("receive_id_type") != "chat_id":
            raise _Refused(99992402, "receive_id_type must be chat_id here")
        body = await request.json()
        chat, kind = str(body.get("receive_id", "")), str(body.get("msg_type", ""))
        content = json.loads(body.get("content", "{}"))
        message_uuid = str(body.get("uuid", ""))
        with self._lock:
            if message_uuid and message_uuid in self._state.uuids:  # 飞书 sends one message per uuid
                return {"message_id": "om_duplicate", "chat_id": chat}
            if message_uuid:
                self._state.uuids.add(message_uuid)
        media, name = b"", ""
        if kind == "text":
            if not str(content.get("text", "")).strip():
                raise _Refused(230001, "text is empty")
        elif kind == "interactive":
            if not content.get("elements") or len(json.dumps(content).encode()) > 30 * 1024:
                raise _Refused(230099, "card without elements or over 30 KB")
            for button in Sent(chat, kind, content).buttons:
                if not button.get("text", {}).get("content") or not isinstance(button.get("value"), dict):
                    raise _Refused(230099, "a button needs text and a value object")
        elif kind in ("image", "file"):
            key = str(content.get(f"{kind}_key", ""))
            with self._lock:
                stored = self._state.media.get(key)
            if stored is None or stored[0] != kind:
                raise _Refused(230005, f"invalid {kind}_key")
            name, media = stored[1], stored[2]
        else:
            raise _Refused(230001, "unsupported msg_type")
        self._record(Sent(chat, kind, content, media, name, time.perf_counter()))
        return {"message_id": f"om_{next(self._ids)}", "chat_id": chat, "msg_type": kind}

    async def _images(self, request: web.Request) -> dict[str, Any]:
        form = await request.post()
        image = form.get("image")
        if form.get("image_type") != "message" or not isinstance(image, web.FileField):
            raise _Refused(234001, "image_type must be message, with an image")
        data = image.file.read()
        if not data.startswith(b"\x89PNG") or len(data) > 10 * 1024 * 1024:
            raise _Refused(234011, "not a PNG under 10 MB")
        key = f"img_v3_{next(self._ids)}{secrets.token_hex(6)}"
        with self._lock:
            self._state.media[key] = ("image", image.filename, data)
        return {"image_key": key}

    async def _files(self, request: web.Request) -> dict[str, Any]:
        form = await request.post()
        file = form.get("file")
        if form.get("file_type") not in ("stream", "pdf", "xls", "doc") or not isinstance(file, web.FileField):
            raise _Refused(234001, "file_type and file needed")
        data = file.file.read()
        if not data or len(data) > 30 * 1024 * 1024:
            raise _Refused(234006, "file empty or over 30 MB")
        key = f"file_v3_{next(self._ids)}{secrets.token_hex(6)}"
        with self._lock:
            self._state.media[key] = ("file", str(form.get("file_name", file.filename)), data)
        return {"file_key": key}

    async def _user(self, request: web.Request) -> dict[str, Any]:
        user = request.match_info["user"]
        if request.query.get("user_id_type") != "open_id" or user not in self.departments:
            raise _Refused(41050, "no user authority or user not found")
        return {"user": {"open_id": user, "department_ids": self.departments[user]}}


def private_chat(user: str) -> str:
    """The chat id of `user`'s private chat with the bot."""
    return "oc_p2p_" + user.removeprefix("ou_")


class _Refused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _frame(method: int, headers: dict[str, str], payload: bytes) -> Any:
    frame = Frame()
    frame.SeqID = 0
    frame.LogID = 0
    frame.service = SERVICE_ID
    frame.method = method
    for key, value in headers.items():
        header = frame.headers.add()
        header.key = key
        header.value = value
    frame.payload = payload
    return frame
