"""The numbers a question states: amounts it quotes ("砍了97万", "两千多万"), a threshold it compares with
("超过一百万"), Chinese numerals ("一百五十"), and the proportions an asker estimates ("少了近一半")."""

from __future__ import annotations

import re
from decimal import Decimal

STATED_PROPORTION = re.compile(r"(?<=[了近约超逾快])(?:近|约|快|将近)?(?:一半|[一二两三四五六七八九]成多?)")
STATED_AMOUNT = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?[多来]?(?:万元|万|亿元|亿|元)多?(?!年)"
    r"|[一二两三四五六七八九十][一二两三四五六七八九十百千]*多?(?:万元|万|亿元|亿)多?(?!年)"  # "两千多万"
)
THRESHOLD = re.compile(
    r"(?:超过|高于|大于|多于|不少于|不低于|低于|少于|小于|不到|不足|不超过|过)"
    r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿点]+)(万|亿|千)?(元)?"
)
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]+")
_MULTIPLIER = {"千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}


def chinese_number(text: str) -> Decimal | None:
    """ "一百五十" → 150, "两千万" → 20000000, "1.5" → 1.5; None when it is no number."""
    if not _CN_NUMBER.fullmatch(text):
        try:
            return Decimal(text)
        except ArithmeticError:
            return None
    try:
        import cn2an  # 60 ms to import; only questions with Chinese numerals need it

        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError):
        return None


def stated_amounts(question: str) -> list[Decimal]:
    """The amounts a question quotes, in 元 ("砍了97万" → 970000; "1.36亿" → 136000000)."""
    found = []
    for match in STATED_AMOUNT.finditer(question):
        number = re.match(r"\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+", match.group(0))
        value = chinese_number(number.group(0)) if number is not None else None
        if value is None:
            continue
        unit = "亿" if "亿" in match.group(0) else "万" if "万" in match.group(0) else ""
        found.append(value * {"亿": Decimal(100_000_000), "万": Decimal(10_000), "": Decimal(1)}[unit])
    return found


def threshold_of(question: str) -> Decimal | None:
    """The amount a question compares with, in 元 ("超过一百万" → 1000000; a bare number is 万元)."""
    match = THRESHOLD.search(question)
    if not match:
        return None
    number, multiplier, yuan = match.groups()
    value = chinese_number(number)
    if value is None:
        return None
    if multiplier:
        return value * _MULTIPLIER[multiplier]
    if yuan or any(ch in number for ch in "万亿"):
        return value  # "5000元", or "一百万" which cn2an has already multiplied out
    return value * _MULTIPLIER["万"]
