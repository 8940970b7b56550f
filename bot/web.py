"""`budgetbot web`: a read-only web page and JSON API on the same answer pipeline as the bot.

    GET  /                                   the chat page (bot/web_page.html)
    POST /api/ask                            {"question", "document"?, "session"?} → the `ask --json`
                                             object, plus "session" and "images" (page and chart URLs)
    GET  /api/documents                      the loaded documents
    GET  /api/check?document=ID              the figure checker's findings for a document
    GET  /api/answer.csv?session=S           the session's last answer as CSV
    GET  /page/{document}/{file}/{page}.png  a source page, ?mark=N:x0,top,x1,bottom;… boxed
    GET  /chart/{session}/{answer}.png       the chart of one of the session's answers

Other messengers' bots (企业微信, 钉钉, 飞书) call POST /api/ask. The database is opened read-only
and a file that ingest switches in is used from the next question on (Answerer.snapshot). User
text is never put into HTML here: the page writes everything with textContent.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import secrets
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from aiohttp import web

from bot.charts import ChartData, chart_data, chart_png, set_up_matplotlib
from bot.conversation import Conversation, export_csv, export_name
from bot.limits import RateLimiter
from bot.pages import marks_from_text, marks_to_text, page_png, source_pages
from bot.render import reports_json, to_json
from bot.settings import Settings
from queries.answer import Answer
from queries.findings import reports
from queries.run import Answerer

log = logging.getLogger(__name__)
T = TypeVar("T")
SESSIONS = 5_000  # conversations kept (least recently used dropped)
ANSWERS_KEPT = 20  # per session, for their chart and CSV URLs
COOKIE = "budgetbot_token"
PAGE = resources.files("bot").joinpath("web_page.html")
# The page's own inline script and style only; no other origin, no plugin, no framing.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
)


@dataclass
class Session:
    conversation: Conversation = field(default_factory=Conversation)
    charts: OrderedDict[int, ChartData] = field(default_factory=OrderedDict)
    answered: int = 0


class WebApp:
    def __init__(self, settings: Settings, answerer: Answerer, token: str | None) -> None:
        self.settings = settings
        self.answerer = answerer
        self.token = token or None
        self.limiter = RateLimiter(settings.bot.rate_limit_per_minute)
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        # One thread answers and renders: DuckDB connections and pdfium are not shared across threads.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="web-answers")
        self.worker.submit(set_up_matplotlib)  # charts are drawn on that thread; ready before the first

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self.guard], client_max_size=64 * 1024)
        app.add_routes(
            [
                web.get("/", self.index),
                web.post("/api/ask", self.ask),
                web.get("/api/documents", self.documents),
                web.get("/api/check", self.check),
                web.get("/api/answer.csv", self.csv),
                web.get("/page/{document}/{file}/{page}.png", self.page),
                web.get("/chart/{session}/{answer}.png", self.chart),
            ]
        )
        app.on_shutdown.append(self._stop_worker)
        return app

    async def _stop_worker(self, _: web.Application) -> None:
        self.worker.shutdown(wait=False, cancel_futures=True)

    async def run(self, function: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.worker, function, *args)

    # -- access ---------------------------------------------------------------------------------

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """The access token, when one is set; security headers on every response."""
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        bearer = request.headers.get("Authorization", "")
        if bearer.startswith("Bearer "):
            given = bearer.removeprefix("Bearer ")
        if self.token is not None and not hmac.compare_digest(given.encode(), self.token.encode()):
            return _error(401, "需要访问令牌：请求头 Authorization: Bearer 令牌，或在网址后加 ?token=令牌。")
        response: web.StreamResponse = await handler(request)
        if self.token is not None and request.query.get("token"):
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = CSP
        return response

    # -- the page and the API -------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.Response:
        return web.Response(text=PAGE.read_text(encoding="utf-8"), content_type="text/html", charset="utf-8")

    async def ask(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, '请求体须是 JSON，例如 {"question": "三公经费多少"}。')
        question = body.get("question") if isinstance(body, dict) else None
        if not isinstance(question, str) or not question.strip():
            return _error(400, '缺少 "question"（要问的问题，字符串）。')
        limit = self.settings.bot.max_question_chars
        if len(question) > limit:
            return _error(413, f"问题太长（{len(question)} 个字），请控制在 {limit} 字以内。")
        document = body.get("document")
        if document is not None and not isinstance(document, str):
            return _error(400, '"document" 须是文档 id（字符串，见 /api/documents）。')
        if not self.limiter.allow(request.remote or "?"):
            return _error(429, "提问太频繁，请稍等一分钟再问。")
        name, session = self._session(body.get("session"))
        answer: Answer = await self.run(session.conversation.ask, self.answerer, question.strip(), document)
        session.answered += 1
        data = json.loads(to_json(answer))
        data["session"] = name
        data["images"] = self._images(name, session, answer)
        data["csv"] = f"/api/answer.csv?{urlencode({'session': name})}" if answer.values else None
        return web.json_response(data, dumps=lambda d: json.dumps(d, ensure_ascii=False))

    def _session(self, name: object) -> tuple[str, Session]:
        if isinstance(name, str) and name in self.sessions:
            self.sessions.move_to_end(name)
            return name, self.sessions[name]
        name = secrets.token_urlsafe(16)
        self.sessions[name] = Session()
        while len(self.sessions) > SESSIONS:
            self.sessions.popitem(last=False)
        return name, self.sessions[name]

    def _images(self, name: str, session: Session, answer: Answer) -> dict[str, Any]:
        pages = [
            {
                "url": _page_url(p.document, p.file, p.file_page, marks_to_text(p.marks)),
                "numbers": list(p.numbers),
                "table": p.table,
                "page": p.page,
                "file": p.file,
                "file_page": p.file_page,
                "marked": len(p.marks),
            }
            for p in source_pages(answer)
        ]
        chart = chart_data(answer)
        chart_url = None
        if chart is not None:
            session.charts[session.answered] = chart
            while len(session.charts) > ANSWERS_KEPT:
                session.charts.popitem(last=False)
            chart_url = f"/chart/{name}/{session.answered}.png"
        return {"pages": pages, "chart": chart_url}

    async def documents(self, request: web.Request) -> web.Response:
        docs = self.answerer.snapshot().documents
        data = [
            {"id": d.id, "label": d.label, "body": d.body, "year": d.year, "phase": d.phase, "edition": d.edition}
            for d in docs
        ]
        return web.json_response(data, dumps=lambda d: json.dumps(d, ensure_ascii=False))

    async def check(self, request: web.Request) -> web.Response:
        wanted = request.query.get("document", "")
        docs = [d for d in self.answerer.snapshot().documents if d.id == wanted]
        if not docs:
            return _error(404, f"没有 id 为“{wanted}”的文档；可用的 id 见 /api/documents。")
        found = await self.run(reports, self.answerer, docs)
        return web.Response(text=reports_json(found), content_type="application/json", charset="utf-8")

    async def csv(self, request: web.Request) -> web.Response:
        session = self.sessions.get(request.query.get("session", ""))
        last = session.conversation.last if session is not None else None
        if last is None or not last.values:
            return _error(404, "这个会话还没有可导出的答案；先提问。")
        return web.Response(
            body=export_csv(last),
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{export_name(last)}"'},
        )

    async def page(self, request: web.Request) -> web.Response:
        document, file = request.match_info["document"], request.match_info["file"]
        try:
            number = int(request.match_info["page"])
            marks = marks_from_text(request.query.get("mark", ""))
        except ValueError as error:
            return _error(400, f"页码或 mark 参数不对：{error}")
        pdf = self.answerer.file_path(document, file)
        pages = next((p for _, name, p, _ in self.answerer.snapshot().files.get(document, []) if name == file), 0)
        if pdf is None or not 1 <= number <= pages:
            return _error(404, f"没有文档 {document} 的文件 {file} 第 {number} 页（或 PDF 已不在导入时的位置）。")
        image: bytes = await self.run(page_png, pdf, number, marks)
        return web.Response(body=image, content_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    async def chart(self, request: web.Request) -> web.Response:
        session = self.sessions.get(request.match_info["session"])
        try:
            key = int(request.match_info["answer"])
        except ValueError:
            key = -1
        data = session.charts.get(key) if session is not None else None
        if data is None:
            return _error(404, "没有这张图表（会话已过期，或答案不是一组数字）。")
        image: bytes = await self.run(chart_png, data)
        return web.Response(body=image, content_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


def _page_url(document: str, file: str, page: int, marks: str) -> str:
    url = f"/page/{quote(document, safe='')}/{quote(file, safe='')}/{page}.png"
    return f"{url}?{urlencode({'mark': marks})}" if marks else url


def _error(status: int, message: str) -> web.Response:
    return web.json_response(
        {"status": "error", "error": message}, status=status, dumps=lambda d: json.dumps(d, ensure_ascii=False)
    )


def serve_web(settings: Settings, host: str | None, port: int | None) -> int:
    token = os.environ.get(settings.web.token_env, "") or None
    answerer = Answerer(settings.database.path)  # raises DatabaseError (one clear line) if missing
    app = WebApp(settings, answerer, token).application()
    where = f"http://{host or settings.web.host}:{port or settings.web.port}/"
    print(f"budgetbot web：{where}（{'需要访问令牌' if token else '未设访问令牌'}；Ctrl+C 停止）", flush=True)
    web.run_app(app, host=host or settings.web.host, port=port or settings.web.port, print=None, access_log=None)
    return 0
