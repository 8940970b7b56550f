"""A stand-in 企业微信 (政务微信) server on 127.0.0.1, for the adapter's tests and benchmarks.

Both sides of the platform: the API the bot calls (cgi-bin/gettoken, message/send, media/upload,
user/get, with WeCom's JSON answers and error codes), and the callback WeCom makes to the bot (URL
verification; messages and template-card events as signed, encrypted XML, with the passive reply
decrypted and its signature checked). The encryption here is written from WeCom's documentation
independently of bot/wecom_crypto.py. Tests push messages with `push_text` / `press`, read what the
bot sent (passively or by API) with `take`, and make the API fail with `fail_next`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import secrets
import struct
import time
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from aiohttp import web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.standins.server import StandInServer

CORP_ID = "wwstandin0corp01"
AGENT_ID = 1000002
TEXT_LIMIT = 2048
TASK_ID = re.compile(r"^[0-9A-Za-z_\-@]{1,128}$")
ERRORS = {
    -1: "system busy",
    40014: "invalid access_token",
    42001: "access_token expired",
    45009: "api freq out of limit",
    45033: "api concurrent out of limit",
}


@dataclass(frozen=True)
class Sent:
    """One message the bot sent to a user: passively (the callback's answer) or by message/send."""

    user: str
    msgtype: str
    body: dict[str, Any]
    via: str  # "passive" or "api"
    media: bytes = b""
    media_name: str = ""
    at: float = 0.0  # time.perf_counter()

    @property
    def text(self) -> str:
        return str(self.body.get("text", {}).get("content", "")) if self.msgtype == "text" else ""

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return list(self.body.get("template_card", {}).get("button_list", []))


@dataclass(frozen=True)
class Pushed:
    """The bot's HTTP answer to a callback."""

    status: int
    body: str


@dataclass
class Failure:
    http_status: int = 200
    errcode: int = 0


@dataclass
class _Media:
    kind: str
    name: str
    data: bytes


@dataclass
class _State:
    tokens: set[str] = field(default_factory=set)
    media: dict[str, _Media] = field(default_factory=dict)
    task_ids: set[str] = field(default_factory=set)


class WecomStandIn(StandInServer[Sent, Failure]):
    thread_name = "wecom-standin"

    def __init__(self, departments: dict[str, list[int]] | None = None) -> None:
        super().__init__()
        self.corp_id = CORP_ID
        self.agent_id = AGENT_ID
        self.secret = "standin-secret-" + secrets.token_hex(8)
        self.token = "tok" + secrets.token_hex(6)
        self.aes_key = base64.b64encode(os.urandom(32)).decode()[:43]
        self.departments = departments or {}
        self._state = _State()
        self._queues: dict[str, asyncio.Task[None]] = {}  # user → the latest of their messages not yet delivered

    def _to(self, sent: Sent) -> str:
        return sent.user

    def _routes(self, app: web.Application) -> None:
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        app.router.add_post("/cgi-bin/message/send", self._api(self._message_send))
        app.router.add_post("/cgi-bin/media/upload", self._api(self._media_upload))
        app.router.add_get("/cgi-bin/user/get", self._api(self._user_get))

    # -- WeCom's encryption, from its documentation ---------------------------------------------

    def _key(self) -> bytes:
        return base64.b64decode(self.aes_key + "=")

    def encrypt(self, message: str) -> str:
        body = message.encode()
        data = os.urandom(16) + struct.pack("!I", len(body)) + body + self.corp_id.encode()
        pad = 32 - len(data) % 32
        data += bytes([pad] * pad)
        key = self._key()
        encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
        return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        key = self._key()
        decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
        data = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
        data = data[16 : -data[-1]]
        length = struct.unpack("!I", data[:4])[0]
        assert data[4 + length :].decode() == self.corp_id, "reply encrypted for another CorpID"
        return data[4 : 4 + length].decode()

    def sign(self, timestamp: str, nonce: str, encrypted: str) -> str:
        return hashlib.sha1("".join(sorted([self.token, timestamp, nonce, encrypted])).encode()).hexdigest()

    # -- what a test does -----------------------------------------------------------------------

    def verify_url(self, tamper: str = "") -> Pushed:
        """The console's "save" of the callback URL: GET with echostr."""
        encrypted = self.encrypt(str(next(self._ids) * 7_777_777_777))
        assert self._thread is not None
        return self._thread.run(self._request("GET", {**self._query(encrypted, tamper), "echostr": encrypted}, ""))

    def push_text(self, user: str, text: str, tamper: str = "", times: int = 1, msg_id: int | None = None) -> Pushed:
        """`user` sends `text` to the application; `times` > 1 delivers it again, as WeCom does when the
        bot's answer seems lost; `tamper` is "signature" or "timestamp" to send a forged or replayed one.
        Waits for the bot's HTTP answer."""
        xml = self._text_xml(user, text, msg_id or next(self._ids) + 7_000_000_000_000_000)
        return self._deliver(user, xml, tamper, times)

    def _text_xml(self, user: str, text: str, msg_id: int) -> str:
        return (
            f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId><AgentID>{self.agent_id}</AgentID></xml>"
        )

    def queue_text(self, user: str, text: str) -> None:
        """`user` sends `text` without waiting: WeCom calls back one user's messages one after the other
        (each after the bot answered the previous), different users' at the same time (benchmarks)."""
        xml = self._text_xml(user, text, next(self._ids) + 7_000_000_000_000_000)
        assert self._thread is not None
        self._thread.loop.call_soon_threadsafe(self._queue, user, xml)

    def _queue(self, user: str, xml: str) -> None:
        previous = self._queues.get(user)

        async def deliver() -> None:
            if previous is not None:
                await previous
            answer = await self._post(xml, "")
            if answer.status == 200 and answer.body:
                self._record_passive(user, answer.body)

        self._queues[user] = asyncio.ensure_future(deliver())

    def press(self, user: str, key: str, task_id: str = "") -> Pushed:
        """`user` presses the template card button whose key is `key`."""
        xml = (
            f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{int(time.time()) + next(self._ids)}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey>"
            f"<TaskId><![CDATA[{task_id}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>"
            f"<ResponseCode><![CDATA[rc{next(self._ids)}]]></ResponseCode><AgentID>{self.agent_id}</AgentID></xml>"
        )
        return self._deliver(user, xml, "", 1)

    def expire_tokens(self) -> None:
        """Every access_token issued so far stops working (errcode 42001), as after the 2 hours."""
        with self._lock:
            self._state.tokens.clear()

    # -- the callback to the bot ----------------------------------------------------------------

    def _deliver(self, user: str, xml: str, tamper: str, times: int) -> Pushed:
        assert self._thread is not None
        answers = [self._thread.run(self._post(xml, tamper)) for _ in range(times)]
        for answer in answers:
            if answer.status == 200 and answer.body:
                self._record_passive(user, answer.body)
        return answers[0]

    async def _post(self, xml: str, tamper: str) -> Pushed:
        encrypted = self.encrypt(xml)
        outer = (
            f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<AgentID><![CDATA[{self.agent_id}]]></AgentID></xml>"
        )
        return await self._request("POST", self._query(encrypted, tamper), outer)

    def _query(self, encrypted: str, tamper: str) -> dict[str, str]:
        """The callback URL's query: signed as WeCom signs, or forged / replayed as `tamper` says."""
        timestamp = str(int(time.time()) - (3600 if tamper == "timestamp" else 0))
        nonce = str(next(self._ids) * 104_729)
        signature = self.sign(timestamp, nonce, encrypted)
        if tamper == "signature":
            signature = hashlib.sha1(b"forged" + signature.encode()).hexdigest()
        return {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce}

    async def _request(self, method: str, query: dict[str, str], body: str) -> Pushed:
        assert self._session is not None and self.callback_url, "set callback_url to the bot's address first"
        async with self._session.request(method, self.callback_url, params=query, data=body.encode()) as response:
            return Pushed(response.status, await response.text())

    def _record_passive(self, user: str, body: str) -> None:
        outer = {child.tag: child.text or "" for child in ElementTree.fromstring(body)}
        expected = self.sign(outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
        assert outer["MsgSignature"] == expected, "the passive reply's MsgSignature does not match"
        inner = {child.tag: child.text or "" for child in ElementTree.fromstring(self.decrypt(outer["Encrypt"]))}
        assert inner["ToUserName"] == user and inner["FromUserName"] == self.corp_id, inner
        assert len(inner.get("Content", "").encode()) <= TEXT_LIMIT, "passive text over 2048 bytes"
        kind = inner["MsgType"]
        content = {"text": {"content": inner.get("Content", "")}} if kind == "text" else inner
        self._record(Sent(user, kind, content, "passive", at=time.perf_counter()))

    # -- the API --------------------------------------------------------------------------------

    def _failure(self, path: str) -> web.Response | None:
        """Paths: "message/send", "media/upload", "gettoken"."""
        failure = self._next_failure(path)
        if failure is None:
            return None
        if failure.http_status != 200:
            headers = {"Retry-After": "0"} if failure.http_status == 429 else {}
            return web.Response(status=failure.http_status, text="<html>busy</html>", headers=headers)
        return _error(failure.errcode)

    async def _gettoken(self, request: web.Request) -> web.Response:
        failed = self._failure("gettoken")
        if failed is not None:
            return failed
        if request.query.get("corpid") != self.corp_id or request.query.get("corpsecret") != self.secret:
            return _error(40001, "invalid credential")
        token = f"at{next(self._ids)}{secrets.token_hex(16)}"
        with self._lock:
            self.token_requests += 1
            self._state.tokens.add(token)
        return web.json_response({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})

    def _api(self, handler: Any) -> Any:
        async def serve(request: web.Request) -> web.Response:
            path = request.path.removeprefix("/cgi-bin/")
            failed = self._failure(path)
            if failed is not None:
                return failed
            token = request.query.get("access_token", "")
            with self._lock:
                known = token in self._state.tokens
            if not known:
                return _error(42001 if token else 41001)
            try:
                result: dict[str, Any] = await handler(request)
            except _Refused as refused:
                return _error(refused.code, str(refused))
            return web.json_response({"errcode": 0, "errmsg": "ok", **result})

        return serve

    async def _message_send(self, request: web.Request) -> dict[str, Any]:
        body = await request.json()
        if body.get("agentid") != self.agent_id:
            raise _Refused(40056, "invalid agentid")
        user, kind = str(body.get("touser", "")), str(body.get("msgtype", ""))
        if not user:
            raise _Refused(40003, "invalid userid")
        media, name = b"", ""
        if kind == "text":
            content = str(body.get("text", {}).get("content", ""))
            if not content.strip():
                raise _Refused(44004, "empty content")
            if len(content.encode()) > TEXT_LIMIT:
                raise _Refused(45002, "content size out of limit")
        elif kind in ("image", "file"):
            with self._lock:
                stored = self._state.media.get(str(body.get(kind, {}).get("media_id")))
            if stored is None or stored.kind != kind:
                raise _Refused(40007, "invalid media_id")
            media, name = stored.data, stored.name
        elif kind == "template_card":
            self._check_card(body.get("template_card", {}))
        else:
            raise _Refused(40008, "invalid message type")
        self._record(Sent(user, kind, body, "api", media, name, time.perf_counter()))
        return {"invaliduser": "", "msgid": f"msg{next(self._ids)}"}

    def _check_card(self, card: dict[str, Any]) -> None:
        if card.get("card_type") != "button_interaction":
            raise _Refused(40058, "card_type must be button_interaction here")
        if not card.get("main_title", {}).get("title"):
            raise _Refused(40058, "main_title.title missing")
        task_id = str(card.get("task_id", ""))
        with self._lock:
            if not TASK_ID.match(task_id) or task_id in self._state.task_ids:
                raise _Refused(40058, "task_id missing, malformed or used before")
            self._state.task_ids.add(task_id)
        buttons = card.get("button_list", [])
        if not 1 <= len(buttons) <= 6:
            raise _Refused(40058, "button_list needs 1 to 6 buttons")
        for button in buttons:
            if not button.get("text") or not button.get("key") or len(str(button["key"]).encode()) > 1024:
                raise _Refused(40058, "a button needs text and a key of at most 1024 bytes")

    async def _media_upload(self, request: web.Request) -> dict[str, Any]:
        kind = request.query.get("type", "")
        form = await request.post()
        field = form.get("media")
        if kind not in ("image", "file") or not isinstance(field, web.FileField):
            raise _Refused(40004, "invalid media type or no media field")
        data = field.file.read()
        if kind == "image" and not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
            raise _Refused(40005, "invalid image file type")
        if len(data) < 5 or len(data) > (10 if kind == "image" else 20) * 1024 * 1024:
            raise _Refused(40006, "invalid file size")
        media_id = f"m{next(self._ids)}{secrets.token_hex(8)}"
        with self._lock:
            self._state.media[media_id] = _Media(kind, field.filename, data)
        return {"type": kind, "media_id": media_id, "created_at": str(int(time.time()))}

    async def _user_get(self, request: web.Request) -> dict[str, Any]:
        user = request.query.get("userid", "")
        if user not in self.departments:
            raise _Refused(60111, "userid not found")
        return {"userid": user, "department": self.departments[user]}


class _Refused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _error(code: int, message: str = "") -> web.Response:
    return web.json_response({"errcode": code, "errmsg": message or ERRORS.get(code, "error")})
