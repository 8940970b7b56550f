"""`budgetbot chat`: the conversation in a terminal, read from standard input."""

from __future__ import annotations

import contextlib
import hashlib
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.charts import chart_data, chart_png
from bot.conversation import (
    NO_CHART,
    NO_ROWS,
    NO_SOURCE,
    NO_SQL,
    Conversation,
    export_csv,
    export_name,
    help_text,
)
from bot.pages import page_png
from bot.render import report_lines, to_text
from queries.run import Answerer

PROMPT = "问> "


def run_console(answerer: Answerer, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    interactive = stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for the prompt)
    chat = Conversation()
    documents = answerer.snapshot().documents
    print(f"预算问答 · 已加载 {len(documents)} 份文档。输入问题，/help 查看示例，/quit 退出。", file=stdout)
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit", "退出"):
            break
        print(reply(answerer, chat, text), file=stdout)
        print(file=stdout)
    return 0


def reply(answerer: Answerer, chat: Conversation, text: str) -> str:
    """The chat's reply to one line: a command, a choice number or a question."""
    command, _, argument = text.partition(" ")
    if command in ("/help", "/start"):
        return help_text(quit_command=True)
    if command == "/docs":
        return chat.documents(answerer, argument)
    if command == "/use":
        return chat.use(answerer, argument)
    if command == "/sql":
        sql = chat.sql()
        return f"{sql[0]}\n参数：{sql[1]}" if sql else NO_SQL
    if command == "/source":
        return source_page(answerer, chat)
    if command == "/chart":
        return chart_file(chat)
    if command == "/export":
        return export_file(chat)
    if command == "/check":
        report = chat.check(answerer, argument)
        return report if isinstance(report, str) else "\n".join(report_lines(report))
    if text.isdigit() and chat.choices:
        answer = chat.choose(answerer, int(text))
        return to_text(answer) if answer else f"请输入 1 到 {len(chat.choices)} 之间的序号。"
    return to_text(chat.ask(answerer, text))


def source_page(answerer: Answerer, chat: Conversation) -> str:
    """/source: every page the last answer cites, its figures boxed and numbered, saved as PNGs."""
    pages = chat.source_pages()
    if not pages:
        return NO_SOURCE
    lines = []
    for page in pages:
        numbers = "".join(f"[{n}]" for n in page.numbers)
        where = f"{numbers} 《{page.table}》，{page.file} 第 {page.file_page} 页"
        pdf = answerer.file_path(page.document, page.file)
        if pdf is None:
            lines.append(f"{where}（文件已不在导入时的位置，无法生成图片）")
            continue
        out = Path(tempfile.gettempdir()) / f"budgetbot-{page.document}-p{page.page}.png"
        out.write_bytes(page_png(pdf, page.file_page, page.marks))
        marked = f"，框出 {len(page.marks)} 处" if page.marks else ""
        lines.append(f"来源页图片：{out}\n（{where}{marked}）")
    return "\n".join(lines)


def chart_file(chat: Conversation) -> str:
    """/chart: the last answer's chart saved as a PNG, and its path."""
    data = chart_data(chat.last) if chat.last is not None else None
    if data is None:
        return NO_CHART
    name = hashlib.sha256(f"{data.title}{data.labels}".encode()).hexdigest()[:10]
    out = Path(tempfile.gettempdir()) / f"budgetbot-chart-{name}.png"
    out.write_bytes(chart_png(data))
    return f"图表：{out}\n（{data.title}；{data.source_line}）"


def export_file(chat: Conversation) -> str:
    """/export: the last answer's rows saved as a CSV file, and its path."""
    if chat.last is None or not chat.last.values:
        return NO_ROWS
    out = Path(tempfile.gettempdir()) / export_name(chat.last)
    out.write_bytes(export_csv(chat.last))
    return f"已导出 {len(chat.last.values)} 行：{out}"
