"""Answer → text for the terminal, HTML for Telegram, JSON for scripts."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from checker import SEVERITY_NAMES
from queries.answer import Answer, Source, Value, group_thousands, plain
from queries.findings import Check, Report


def format_value(value: Value) -> str:
    if value.text is not None:
        return value.text
    if value.value is None:
        return "空白（未填数）"
    printed = group_thousands(value.printed) if value.printed else plain(value.value)
    shown = f"{printed} {value.unit or ''}".strip()
    if value.unit in ("元", "亿元") and value.value_wan is not None:
        shown += f"（合 {plain(value.value_wan)} 万元）"
    return shown


def format_source(source: Source) -> str:
    where = f"《{source.table}》" if source.table != "情况说明" else "情况说明"
    place = f"{where}，第 {source.page} 页"
    if source.file:
        place += f"（文件 {source.file} 第 {source.file_page} 页）"
    return place


@dataclass(frozen=True)
class Style:
    """How a line's parts are marked up: `escape` for every string that comes from data or users."""

    escape: Callable[[str], str]
    bold: Callable[[str], str]


TEXT = Style(escape=str, bold=str)
HTML = Style(escape=lambda s: html.escape(s, quote=False), bold=lambda s: f"<b>{s}</b>")
TELEGRAM_LIMIT = 4096  # characters (UTF-16 code units) of one Telegram message


def answer_lines(answer: Answer, style: Style = TEXT) -> list[str]:
    """The answer as lines; each line's markup opens and closes within it."""
    e = style.escape
    lines = [style.bold(e(answer.headline))]
    unique = list(dict.fromkeys(answer.sources))
    for value in answer.values:
        label = e(f"{value.label}：") if value.label else ""
        marker = ""
        if len(unique) > 1 and value.source < len(answer.sources):
            marker = f" [{unique.index(answer.sources[value.source]) + 1}]"
        lines.append(f"• {label}{style.bold(e(format_value(value)))}{marker}")
    lines += [e(note) for note in answer.notes]
    lines += [f"{number}. {e(choice.label)}" for number, choice in enumerate(answer.choices, start=1)]
    lines += [f"· {e(suggestion)}" for suggestion in answer.suggestions]
    if len(unique) == 1:
        lines.append(f"来源：{e(format_source(unique[0]))}")
    elif unique:
        lines.append("来源：")
        lines += [f"[{i}] {e(format_source(s))}" for i, s in enumerate(unique, start=1)]
    return lines


def to_text(answer: Answer) -> str:
    return "\n".join(answer_lines(answer))


def to_html(answer: Answer) -> list[str]:
    """Telegram HTML messages of at most TELEGRAM_LIMIT characters each."""
    return split_lines(answer_lines(answer, HTML))


def format_pages(check: Check) -> str:
    """第 11 页（文件 a.pdf 第 3 页），另见第 16 页"""
    source = check.source
    place = f"第 {source.page} 页" + (f"（文件 {source.file} 第 {source.file_page} 页）" if source.file else "")
    others = [str(page) for page in check.pages[1:]]
    return place + (f"，另见第 {'、'.join(others)} 页" if others else "")


def report_lines(report: Report, style: Style = TEXT) -> list[str]:
    """One document's findings, errors first; each with its rule, message and pages."""
    e = style.escape
    lines = [style.bold(e(f"数字核对：{report.document.label}")), e(report.tally)]
    if not report.checks:
        lines.append("没有发现前后不一致的数字。")
    for check in report.checks:
        lines.append(f"{style.bold(e(f'【{SEVERITY_NAMES[check.severity]}】'))}{e(check.rule)} {e(check.message)}")
        lines.append(f"  {e(format_pages(check))}")
    return lines


def reports_text(reports: Iterable[Report]) -> str:
    return "\n\n".join("\n".join(report_lines(report)) for report in reports)


def reports_json(reports: Iterable[Report]) -> str:
    data = [
        {
            "document": {
                "id": r.document.id,
                "body": r.document.body,
                "year": r.document.year,
                "phase": r.document.phase,
                "edition": r.document.edition,
            },
            "counts": {severity: r.count(severity) for severity in SEVERITY_NAMES},
            "findings": [
                {
                    "rule": c.rule,
                    "rule_title": c.title,
                    "severity": c.severity,
                    "message": c.message,
                    "document": r.document.id,
                    "page": c.pages[0],
                    "pages": list(c.pages),
                    "figures": list(c.figures),
                    "file": c.source.file,
                    "file_page": c.source.file_page,
                }
                for c in r.checks
            ],
        }
        for r in reports
    ]
    return json.dumps(data, ensure_ascii=False, indent=2)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_lines(lines: Iterable[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join HTML lines into messages of at most `limit`, breaking only between lines.

    A single line longer than `limit` loses its markup and is cut into plain, escaped pieces, so
    no tag or entity is ever cut in two.
    """
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        pieces = [line] if telegram_length(line) <= limit else _cut(line, limit)
        for piece in pieces:
            extra = telegram_length(piece) + (1 if current else 0)
            if current and size + extra > limit:
                messages.append("\n".join(current))
                current, size = [], 0
                extra = telegram_length(piece)
            current.append(piece)
            size += extra
    if current:
        messages.append("\n".join(current))
    return messages or [""]


def _cut(line: str, limit: int) -> list[str]:
    plain_text = html.unescape(re.sub(r"<[^>]*>", "", line))
    pieces: list[str] = []
    piece: list[str] = []
    size = 0
    for char in plain_text:
        escaped = html.escape(char, quote=False)
        width = telegram_length(escaped)
        if piece and size + width > limit:
            pieces.append("".join(piece))
            piece, size = [], 0
        piece.append(escaped)
        size += width
    if piece:
        pieces.append("".join(piece))
    return pieces


def preformatted(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """`text` as <pre> messages split between lines (SQL for /sql)."""
    wrapper = telegram_length("<pre></pre>")
    bodies = split_lines((html.escape(line, quote=False) for line in text.splitlines()), limit - wrapper)
    return [f"<pre>{body}</pre>" for body in bodies]


def _number(value: Decimal | None) -> float | None:
    # Budget amounts have at most 4 decimals: float's shortest repr prints them exactly.
    return float(value) if value is not None else None


def _json_value(value: Value) -> dict[str, Any]:
    if value.text is not None:
        return {"label": value.label, "text": value.text, "role": value.role, "source": value.source}
    return {
        "label": value.label,
        "value": _number(value.value),
        "unit": value.unit,
        "value_wan": _number(value.value_wan),
        "printed": value.printed,  # None: a figure computed from others (its formula is in notes)
        "role": value.role,
        "source": value.source,
        "box": list(value.box) if value.box else None,  # where it is printed on the source page (points)
    }


def to_json(answer: Answer) -> str:
    data = {
        "status": answer.status,
        "answer": to_text(answer),
        "template": answer.template,
        "params": answer.params,
        "values": [_json_value(v) for v in answer.values],
        "sources": [
            {
                "document": s.document,
                "body": s.body,
                "year": s.year,
                "phase": s.phase,
                "edition": s.edition,
                "table": s.table,
                "page": s.page,
                "file": s.file,
                "file_page": s.file_page,
            }
            for s in answer.sources
        ],
        "notes": list(answer.notes),
        # one item printed with different figures in two places: the values' indices (none taken alone)
        "conflicts": [list(group) for group in answer.conflicts],
        "sql": answer.sql,
        "choices": [asdict(c) for c in answer.choices],
        "suggestions": list(answer.suggestions),
        "chart": answer.chart,  # line | bars | parts when the values make a chart (/chart, the web page)
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=_decimal)


def params_json(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False, default=_decimal)


def _decimal(value: object) -> float:
    """Decimal parameters (a threshold in 元) as JSON numbers."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
