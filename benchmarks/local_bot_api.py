"""A stand-in Telegram Bot API server on 127.0.0.1, for tests and benchmarks.

It speaks the Bot API's HTTP interface (POST /bot<token>/<method> with form, JSON or multipart
parameters; {"ok": ..., "result": ...} replies) for the methods the bot uses, and refuses what
Telegram refuses: badly formed or unescaped HTML, messages over 4,096 characters, captions over
1,024, callback data over 64 bytes. Tests push updates with `push_text` / `push_callback` and read
what the bot sent with `take`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 900_000_001
BOT_USERNAME = "budget_test_bot"
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
# Telegram's HTML: these tags, and &lt; &gt; &amp; &quot; or numeric entities.
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
                "tg-emoji", "code", "pre", "blockquote"}  # fmt: skip
_TOKEN = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:\s[^<>]*)?)>|&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|[<>&]")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
OUTBOUND = ("sendMessage", "sendPhoto", "sendDocument", "editMessageText", "answerCallbackQuery")


class ApiError(Exception):
    def __init__(self, description: str, code: int = 400, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.code = code
        self.retry_after = retry_after


def parse_html(text: str) -> str:
    """The plain text Telegram shows for `text` in HTML parse mode; ApiError where Telegram refuses it."""
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for token in _TOKEN.finditer(text):
        out.append(text[position : token.start()])
        position = token.end()
        closing, tag, _, entity = token.group(1), token.group(2), token.group(3), token.group(4)
        if tag is not None:
            tag = tag.lower()
            if tag not in ALLOWED_TAGS:
                raise ApiError(f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"')
            if closing:
                if not open_tags or open_tags[-1] != tag:
                    raise ApiError(f'Bad Request: can\'t parse entities: unmatched end tag "{tag}"')
                open_tags.pop()
            else:
                open_tags.append(tag)
        elif entity is not None:
            if entity.startswith("#x"):
                out.append(chr(int(entity[2:], 16)))
            elif entity.startswith("#"):
                out.append(chr(int(entity[1:])))
            else:
                out.append(_ENTITIES[entity])
        else:
            raise ApiError(
                f"Bad Request: can't parse entities: unescaped {token.group(0)!r} at byte offset {token.start()}"
            )
    out.append(text[position:])
    if open_tags:
        raise ApiError(
            f"Bad Request: can't parse entities: can't find end tag corresponding to start tag \"{open_tags[-1]}\""
        )
    return "".join(out)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    chat_id: int | None = None
    text: str = ""  # the plain text shown (message text or caption), after parsing HTML
    at: float = 0.0  # time.perf_counter() when it arrived

    @property
    def keyboard(self) -> list[dict[str, Any]]:
        """The inline buttons sent with the message, in order."""
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


class LocalBotApi:
    """The server; use as a context manager, or start() and stop()."""

    def __init__(self, token: str = "123456:LOCAL-TEST-TOKEN") -> None:
        self.token = token
        self._lock = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._queries: dict[str, int] = {}  # callback query id → chat id
        self.calls: list[Call] = []
        self._taken: dict[int, int] = {}  # chat id → index in calls after its last taken call
        self.pushed_at: dict[int, float] = {}  # update id → time.perf_counter() when pushed
        self.commands: list[dict[str, str]] = []
        self._stopping = False
        self._failing: dict[str, int] = {}
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._updated = asyncio.Event()  # replaced each time updates arrive; belongs to self._loop
        self._thread = threading.Thread(target=self._loop.run_forever, name="local-bot-api", daemon=True)

    @property
    def base_url(self) -> str:
        """The value for config.toml's [bot] api_base_url."""
        return f"http://127.0.0.1:{self._port}/bot"

    def start(self) -> LocalBotApi:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), self._loop).result(timeout=30)
        return self

    async def _open(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)  # request paths carry the token
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=256)
        await site.start()
        self._port = self._runner.addresses[0][1]

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        self._loop.call_soon_threadsafe(self._wake)
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()

    def __enter__(self) -> LocalBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what a test does -----------------------------------------------------------------------

    def push_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """A user sends `text`; returns the message as the bot will see it."""
        chat_id = user_id if chat_id is None else chat_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **({"title": "预算组"} if chat_type != "private" else {})},
            "from": {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}"},
            "text": text,
        }
        entities = []
        command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
        if command:
            entities.append({"type": "bot_command", "offset": 0, "length": _utf16(command.group(0))})
        for mention in re.finditer(r"@[A-Za-z0-9_]{5,}", text):
            if command and mention.start() < command.end():
                continue
            offset = _utf16(text[: mention.start()])
            entities.append({"type": "mention", "offset": offset, "length": _utf16(mention.group(0))})
        if entities:
            message["entities"] = entities
        with self._lock:
            if reply_to is not None:
                message["reply_to_message"] = self._strip(self._messages[(chat_id, reply_to)])
            self._messages[(chat_id, message["message_id"])] = message
            self._push({"message": message})
        return message

    def push_callback(self, user_id: int, call: Call, data: str) -> None:
        """`user_id` presses the button with `data` on the message the bot sent in `call`."""
        assert call.chat_id is not None
        with self._lock:
            message = self._messages[(call.chat_id, int(call.params["_message_id"]))]
            query_id = str(next(self._update_ids) * 7919)
            self._queries[query_id] = call.chat_id
            self._push(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}"},
                        "chat_instance": str(call.chat_id),
                        "message": message,
                        "data": data,
                    }
                }
            )

    def take(self, chat_id: int, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """The next `count` calls the bot made towards `chat_id`; waits for them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                start = self._taken.get(chat_id, 0)
                mine = [(i, c) for i, c in enumerate(self.calls[start:], start) if c.chat_id == chat_id]
                if len(mine) >= count:
                    self._taken[chat_id] = mine[count - 1][0] + 1
                    return [c for _, c in mine[:count]]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"chat {chat_id}: {len(mine)} of {count} replies after {timeout} s: {mine}")
                self._lock.wait(left)

    def fail_next(self, method: str, code: int = 500) -> None:
        """The next call of `method` fails with HTTP `code`, as Telegram does when it is in trouble;
        429 is Telegram's flood control and says to retry after one second."""
        with self._lock:
            self._failing[method] = code

    def pending(self, chat_id: int) -> list[Call]:
        """Calls towards `chat_id` not yet taken."""
        with self._lock:
            start = self._taken.get(chat_id, 0)
            return [c for c in self.calls[start:] if c.chat_id == chat_id]

    def wait_until(self, condition: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("condition not met")
                self._lock.wait(left)

    # -- the API --------------------------------------------------------------------------------

    def _push(self, payload: dict[str, Any]) -> None:
        update_id = next(self._update_ids)
        self.pushed_at[update_id] = time.perf_counter()
        self._updates.append({"update_id": update_id, **payload})
        self._lock.notify_all()
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        """Release every getUpdates waiting for updates (runs on the server's loop)."""
        self._updated.set()
        self._updated = asyncio.Event()

    @staticmethod
    def _strip(message: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in message.items() if k != "reply_to_message"}

    def _me(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "预算问答", "username": BOT_USERNAME}

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0))
        limit = int(params.get("limit", 100))
        deadline = time.monotonic() + float(params.get("timeout", 0))
        while True:
            updated = self._updated
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or self._stopping:
                    return self._updates[:limit]
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(updated.wait(), left)

    def _message(self, params: dict[str, Any], text: str, extra: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": self._me(),
            **extra,
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        reply = params.get("reply_parameters") or {}
        reply_to = reply.get("message_id") or params.get("reply_to_message_id")
        if reply_to is not None and (chat_id, int(reply_to)) in self._messages:
            message["reply_to_message"] = self._strip(self._messages[(chat_id, int(reply_to))])
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _shown(self, params: dict[str, Any], key: str, limit: int) -> str:
        raw = str(params.get(key, ""))
        shown = parse_html(raw) if params.get("parse_mode", "").upper() == "HTML" else raw
        if key == "text" and not shown.strip():
            raise ApiError("Bad Request: message text is empty")
        if _utf16(shown) > limit:
            raise ApiError(
                "Bad Request: message is too long" if key == "text" else "Bad Request: message caption is too long"
            )
        for button in Call("", params).keyboard:
            if len(str(button.get("callback_data", "")).encode()) > CALLBACK_DATA_LIMIT:
                raise ApiError("Bad Request: BUTTON_DATA_INVALID")
        return shown

    def call(self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        """Carry out one Bot API method; the result, or ApiError."""
        with self._lock:
            if method in self._failing:
                code = self._failing.pop(method)
                if code == 429:
                    raise ApiError("Too Many Requests: retry after 1", 429, retry_after=1)
                raise ApiError("Internal Server Error", code)
            result: Any = True
            chat_id = int(params["chat_id"]) if "chat_id" in params else None
            text = ""
            if method == "getMe":
                result = self._me()
            elif method in ("deleteWebhook", "setWebhook", "sendChatAction", "setMyDescription", "close"):
                result = True
            elif method == "setMyCommands":
                self.commands = list(params.get("commands", []))
            elif method == "getMyCommands":
                result = self.commands
            elif method == "sendMessage":
                text = self._shown(params, "text", MESSAGE_LIMIT)
                result = self._message(params, text, {"text": text})
            elif method in ("sendPhoto", "sendDocument"):
                text = self._shown(params, "caption", CAPTION_LIMIT)
                kind = "photo" if method == "sendPhoto" else "document"
                if kind not in files:
                    raise ApiError(f"Bad Request: there is no {kind} in the request")
                name, content = files[kind]
                unique = f"f{len(self.calls)}"
                stored = {"file_id": unique, "file_unique_id": unique, "file_size": len(content)}
                attachment: Any = (
                    [{**stored, "width": 1, "height": 1}] if kind == "photo" else {**stored, "file_name": name}
                )
                result = self._message(params, text, {kind: attachment, **({"caption": text} if text else {})})
            elif method == "editMessageText":
                text = self._shown(params, "text", MESSAGE_LIMIT)
                key = (int(params["chat_id"]), int(params["message_id"]))
                if key not in self._messages:
                    raise ApiError("Bad Request: message to edit not found")
                message = {k: v for k, v in self._messages[key].items() if k != "reply_markup"}
                message.update(text=text, edit_date=int(time.time()))
                if "reply_markup" in params:
                    message["reply_markup"] = params["reply_markup"]
                self._messages[key] = message
                result = message
            elif method == "answerCallbackQuery":
                chat_id = self._queries.get(str(params.get("callback_query_id")))
                text = str(params.get("text", ""))
            else:
                raise ApiError(f"Not Found: method {method} not found", 404)
            if method in OUTBOUND:
                if isinstance(result, dict):
                    params = {**params, "_message_id": result["message_id"]}
                self.calls.append(Call(method, params, files, chat_id, text, time.perf_counter()))
            self._lock.notify_all()
            return result

    async def _serve(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _refusal(ApiError("Unauthorized", 401))
        method = request.match_info["method"]
        try:
            params, files = await _parameters(request)
            if method == "getUpdates":
                result = await self._get_updates(params)
            else:
                result = self.call(method, params, files)
        except ApiError as error:
            return _refusal(error)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _refusal(error: ApiError) -> web.Response:
    payload: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
    if error.retry_after is not None:
        payload["parameters"] = {"retry_after": error.retry_after}
    return web.json_response(payload, status=error.code, dumps=_dumps)


def _decode(value: str) -> Any:
    """Form values: objects and arrays arrive JSON-encoded, as Telegram accepts them."""
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


async def _parameters(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """Query, form, multipart or JSON parameters, and uploaded files by field name."""
    params: dict[str, Any] = {k: _decode(v) for k, v in request.query.items()}
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        if request.can_read_body:
            params.update(await request.json())
    else:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = (value.filename, value.file.read())
            else:
                params[key] = _decode(str(value))
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
            files[key] = files.pop(value[9:])
    return params, files
