"""`budgetbot chat`: the conversation in a terminal, read from standard input."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.conversation import HELP, Conversation
from bot.pages import page_png
from bot.render import params_json, to_text
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
    if command == "/help":
        return HELP
    if command == "/docs":
        documents = answerer.snapshot().documents
        current = chat.document
        return (
            "\n".join(
                f"{i}. {d.label}{'（当前）' if d.id == current else ''}" for i, d in enumerate(documents, start=1)
            )
            or "数据库中还没有文档。"
        )
    if command == "/use":
        documents = answerer.snapshot().documents
        if argument.isdigit() and 1 <= int(argument) <= len(documents):
            chat.document = documents[int(argument) - 1].id
            return f"已选定：{documents[int(argument) - 1].label}"
        return "请用 /use 序号 选定文档，序号见 /docs。"
    if command == "/sql":
        if chat.last is None or chat.last.sql is None:
            return "还没有可显示 SQL 的答案。"
        params = params_json(chat.last.params)
        return f"{chat.last.sql}\n参数：{params}"
    if command == "/source":
        return source_page(answerer, chat)
    if text.isdigit() and chat.choices:
        answer = chat.choose(answerer, int(text))
        return to_text(answer) if answer else f"请输入 1 到 {len(chat.choices)} 之间的序号。"
    return to_text(chat.ask(answerer, text))


def source_page(answerer: Answerer, chat: Conversation) -> str:
    if chat.last is None or not chat.last.sources:
        return "上一答案没有来源页。"
    source = chat.last.sources[0]
    pdf = answerer.file_path(source)
    if pdf is None:
        return f"来源：{source.file} 第 {source.file_page} 页（文件已不在导入时的位置，无法生成图片）"
    out = Path(tempfile.gettempdir()) / f"budgetbot-{source.document}-p{source.page}.png"
    out.write_bytes(page_png(pdf, source.file_page))
    return f"来源页图片：{out}\n（{source.file} 第 {source.file_page} 页，《{source.table}》）"
