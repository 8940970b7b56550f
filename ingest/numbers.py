"""Amounts, units and codes as printed in budget documents."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

UNIT_FACTORS: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
UNIT_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|元)")
_AMOUNT = re.compile(r"^[-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SPACE = re.compile(r"\s+")
_WRAPPED_UNIT = re.compile(r"单位[:：]万$")


def normalize(text: str) -> str:
    """Full-width to half-width, no whitespace: the form names are compared in."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def parse_amount(text: str | None) -> Decimal | None:
    """The number a table cell prints, or None for a blank or a non-number.

    "1,234.50" and "1234.5" are amounts; "-" and "—" (a printed dash for nothing) are None.
    """
    if text is None:
        return None
    cleaned = _SPACE.sub("", text).replace("，", ",")
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    if not _AMOUNT.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", "").replace("−", "-").replace("–", "-"))
    except InvalidOperation:
        return None


def find_unit(text: str) -> str | None:
    """The unit of a "单位：万元" line in `text`, if there is one."""
    match = UNIT_LINE.search(text)
    return match.group(1) if match else None


def find_unit_in(lines: list[str]) -> str | None:
    """The unit stated among a table's title lines, also when "单位：万" and "元" wrap onto two lines."""
    for index, line in enumerate(lines):
        unit = find_unit(line)
        if unit:
            return unit
        if _WRAPPED_UNIT.search(normalize(line)) and any(normalize(rest).endswith("元") for rest in lines[index + 1 :]):
            return "万元"
    return None


def to_yuan(amount: Decimal, unit: str) -> Decimal:
    return amount * UNIT_FACTORS[unit]
