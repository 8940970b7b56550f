"""The typed answer every front end renders (chat text, Telegram HTML, JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

Status = Literal["answered", "ambiguous", "no_data", "not_understood"]


def group_thousands(number: str) -> str:
    """ "31214205.80" → "31,214,205.80"; a number already grouped is left as printed."""
    if "," in number:
        return number
    sign = "-" if number.startswith("-") else ""
    whole, _, fraction = number.lstrip("-").partition(".")
    grouped = f"{int(whole):,}" if whole.isdigit() else whole
    return sign + grouped + (f".{fraction}" if fraction else "")


def plain(value: Decimal) -> str:
    """A Decimal with thousands separators and at least two decimals: 3121.420580 → 3,121.42058."""
    text = f"{value.normalize():f}"
    if "." in text:
        whole, fraction = text.split(".")
        fraction = fraction.rstrip("0").ljust(2, "0")
        text = f"{whole}.{fraction}"
    else:
        text += ".00"
    return group_thousands(text)


# What a value is, for scripts reading `ask --json`.
ROLES = (
    "current",  # this year's figure (the document's own: 预算 in a budget, 决算 in a final account)
    "prior",  # the year before's figure
    "budget",  # a final account's budget figure (预算数, 年初预算, 调整预算)
    "final",  # a final account's outturn (决算数)
    "change",  # an amount of change
    "rate",  # a growth rate, %
    "share",  # a share of another figure, %
    "execution",  # outturn as % of budget
    "count",  # a number of things (辆, 名 …)
    "sum",  # a sum we computed of figures shown beside it
    "difference",  # a difference we computed between two figures shown beside it
    "average",
    "ratio",  # one figure divided by another (倍), computed from the two shown beside it
    "per_unit",  # an amount divided by a count the document prints (人均, 平均每辆)
    "rank",  # a figure shown at its place in a ranking (最多, 前三)
    "cell",  # a cell of a table listed as printed
    "text",  # a text fact
)


@dataclass(frozen=True)
class Value:
    """One figure (amount + unit as printed) or one text fact (text)."""

    label: str
    value: Decimal | None = None
    unit: str | None = None
    printed: str | None = None  # the number exactly as the PDF prints it; None for a computed figure
    value_wan: Decimal | None = None  # money in 万元, for comparing across units
    text: str | None = None
    source: int = 0  # index into Answer.sources
    role: str = "cell"  # one of ROLES
    # Where it is printed on its source page: (x0, top, x1, bottom) in PDF points from the top left
    # of the page as displayed; None for a computed figure or one whose place is not known.
    box: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Source:
    document: str
    body: str
    year: int | None
    phase: str
    edition: str
    table: str  # printed table title, or 情况说明 for the narrative
    page: int  # page in the document (over all its files)
    file: str
    file_page: int  # page within that file


@dataclass(frozen=True)
class Choice:
    """One candidate of an ambiguous question; `question` answers it when sent back."""

    label: str
    document: str | None  # None: the question names what to choose (a year, a body)
    question: str


@dataclass(frozen=True)
class Answer:
    status: Status
    headline: str  # one sentence in Chinese: what was asked, or why there is no answer
    template: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    values: tuple[Value, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()  # discrepancies, formulas, what is missing
    sql: str | None = None
    choices: tuple[Choice, ...] = ()
    suggestions: tuple[str, ...] = ()
    document: str | None = None  # the document the answer is about (conversation context)
    # Values that are one item printed with different figures in two places of one document (two tables, or
    # a table and the narrative): each group by its indices into `values`, so that no reader takes one alone.
    conflicts: tuple[tuple[int, ...], ...] = ()
    chart: str | None = None  # the chart its values make (line | bars | parts: template data), if any


def joined(parts: list[Answer]) -> Answer:
    """Answers to the questions sent as one ("…多少钱？…目标是多少"), as one answer: every value with its own source
    (a source shared is listed once), every note, and each part's conflicts."""
    values: list[Value] = []
    sources: list[Source] = []
    conflicts: list[tuple[int, ...]] = []
    for part in parts:
        at = {}
        for number, source in enumerate(part.sources):
            if source not in sources:
                sources.append(source)
            at[number] = sources.index(source)
        # a value two parts both show ("基本支出多少？人员经费占基本支出的比例") is listed once
        placed = []
        for value in part.values:
            value = replace(value, source=at.get(value.source, value.source))
            if value not in values:
                values.append(value)
            placed.append(values.index(value))
        regrouped = (tuple(placed[i] for i in group) for group in part.conflicts)
        conflicts += [group for group in regrouped if group not in conflicts]
    first = parts[0]
    return Answer(
        "answered",
        _joined_headlines([p.headline for p in parts]),
        "+".join(dict.fromkeys(p.template or "" for p in parts)),
        {"clauses": [p.params for p in parts]},  # each part's, in the order of its SQL below
        tuple(values),
        tuple(sources),
        tuple(dict.fromkeys(n for p in parts for n in p.notes)),
        "\n\n".join(p.sql for p in parts if p.sql) or None,
        document=first.document,
        conflicts=tuple(conflicts),
    )


def _joined_headlines(headlines: list[str]) -> str:
    """ "某局 2026年部门预算：A" and "某局 2026年部门预算：B" → "某局 2026年部门预算：A；B"."""
    heads = {h.partition("：")[0] for h in headlines}
    if len(heads) == 1 and all("：" in h for h in headlines):
        return f"{heads.pop()}：" + "；".join(dict.fromkeys(h.partition("：")[2] for h in headlines))
    return "；".join(dict.fromkeys(headlines))
