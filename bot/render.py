"""Answer → text for people (terminal, Telegram) and → JSON for scripts."""

from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from queries.answer import Answer, Source, Value, group_thousands, plain


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


def to_text(answer: Answer) -> str:
    lines = [answer.headline]
    unique = list(dict.fromkeys(answer.sources))
    for value in answer.values:
        label = f"{value.label}：" if value.label else ""
        marker = ""
        if len(unique) > 1 and value.source < len(answer.sources):
            marker = f" [{unique.index(answer.sources[value.source]) + 1}]"
        lines.append(f"• {label}{format_value(value)}{marker}")
    lines += answer.notes
    lines += [f"{number}. {choice.label}" for number, choice in enumerate(answer.choices, start=1)]
    lines += [f"· {suggestion}" for suggestion in answer.suggestions]
    if len(unique) == 1:
        lines.append(f"来源：{format_source(unique[0])}")
    elif unique:
        lines.append("来源：")
        lines += [f"[{i}] {format_source(s)}" for i, s in enumerate(unique, start=1)]
    return "\n".join(lines)


def _number(value: Decimal | None) -> float | None:
    # Budget amounts have at most 4 decimals: float's shortest repr prints them exactly.
    return float(value) if value is not None else None


def _json_value(value: Value) -> dict[str, Any]:
    if value.text is not None:
        return {"label": value.label, "text": value.text}
    return {
        "label": value.label,
        "value": _number(value.value),
        "unit": value.unit,
        "value_wan": _number(value.value_wan),
        "printed": value.printed,
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
        "sql": answer.sql,
        "choices": [asdict(c) for c in answer.choices],
        "suggestions": list(answer.suggestions),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=_decimal)


def params_json(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False, default=_decimal)


def _decimal(value: object) -> float:
    """Decimal parameters (a threshold in 元) as JSON numbers."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
