"""A department's units in questions: the short names people call them by, and the items asked of them.

A department's tables list its units (figures.parent of their rows, ingest/figures.py). A question names one by its
printed name or a shorter one, and asks about it: the items it names beside the unit are that unit's rows, never
the department's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from ingest.meaning import label_key
from queries.frame import ItemRef

_LEADING_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,3}?[省市](?:[\u4e00-\u9fff]{2,3}?[区县])?")
MIN_ALIAS = 4
MIN_TAIL = 3
_OWN_ENDING = re.compile(r"(队|站|馆|院|所|校|团)$")


def unit_aliases(units: Iterable[str], bodies: Iterable[str], names: Iterable[str] = ()) -> dict[str, str]:
    """How a question shortens a unit's name: without the department's name before it ("深圳市建筑工务署
    工程设计管理中心" → 工程设计管理中心), without its place ("深圳市水文水质中心" → 水文水质中心), or by the last
    three characters or more when nothing else loaded ends so ("执法队" of 湖州市交通运输行政执法队). A short
    form two units share names neither."""
    found: dict[str, set[str]] = {}
    heads = sorted({label_key(b) for b in bodies}, key=len, reverse=True)
    listed = sorted({label_key(u) for u in units})
    others = [label_key(n) for n in names]
    for unit in units:
        key = label_key(unit)
        # "深圳市深圳河湾流域管理中心（深圳市治理深圳河办公室）": its other name aside (never "（本级）", which
        # sets the unit apart from its department)
        plain = re.sub(r"\([^()]*\)$", "", key) if not key.endswith("(本级)") else key
        shorts = {
            *(k[len(head) :] for k in {key, plain} for head in heads if k.startswith(head)),
            _LEADING_PLACE.sub("", key),
            _LEADING_PLACE.sub("", plain),
            plain,
        }
        for short in shorts:
            if MIN_ALIAS <= len(short) < len(key):
                found.setdefault(short, set()).add(unit)
        # (only a name ending in a word of its own, not 中心/处/局 that any name may end with)
        for size in range(MIN_TAIL, len(key) - 1) if _OWN_ENDING.search(key) else ():
            tail = key[-size:]
            if sum(u.endswith(tail) for u in listed) == 1 and not any(n.endswith(tail) for n in others):
                found.setdefault(tail, set()).add(unit)
                break  # the shortest tail no other name ends with
    return {short: next(iter(named)) for short, named in found.items() if len(named) == 1}


def _after_department(unit: str) -> str:
    """A unit's name without its place and its department's name ("深圳市建筑工务署工程管理中心" → 工程管理中心)."""
    key = _LEADING_PLACE.sub("", label_key(unit))
    department = re.match(r"^[\u4e00-\u9fff]{2,12}?(?:局|署|委|厅|办|部|院)(?=[\u4e00-\u9fff]{4,})", key)
    return key[department.end() :] if department else key


def of_unit(
    question: str, items: tuple[ItemRef, ...], units: frozenset[str], totals_of: Callable[[str], frozenset[str]]
) -> tuple[ItemRef, ...]:
    """ "湖州市交通运输行政执法队的三公经费": the items asked beside a unit's name are that unit's rows (not a unit
    named in an aside: "整个部门（含机关事务服务中心等下属单位）三公经费合计"). `totals_of(unit)`: the totals the
    unit's own rows are printed with."""

    def unit_called(name: str | None) -> str | None:
        ends = [u for u in units if name and u.endswith(name)]
        return ends[0] if len(ends) == 1 else None

    # items asked within a unit ("工程设计管理中心里，其他工资福利支出"): that unit's rows
    items = tuple(
        replace(i, unit=unit, within=None) if (unit := unit_called(i.within)) is not None else i for i in items
    )
    asides = [m.span() for m in re.finditer(r"\([^()]*\)", question)]

    def in_aside(item: ItemRef) -> bool:
        return any(start <= item.start and item.end <= end for start, end in asides)

    def units_named(item: ItemRef) -> set[str]:
        if item.concept or item.codes or len(item.words) < 3 or in_aside(item):
            return set()
        # its printed name, or the end of one ("工程设计管理中心" of 深圳市建筑工务署工程设计管理中心)
        named = {n for n in item.names if n in units} or {
            u for u in units if any(u.endswith(n) for n in (item.words, *item.names))
        }
        # "工程管理中心" is 深圳市建筑工务署工程管理中心 whole after its department's name, not the end of
        # …文体和水务工程管理中心: a unit whose name is the department's and then exactly these words
        whole = {u for u in named if _after_department(u) == label_key(item.words)}
        return whole if len(named) > 1 and len(whole) == 1 else named

    aside = [i for i in items if in_aside(i) and any(u.endswith(n) for u in units for n in (i.words, *i.names))]
    items = tuple(item for item in items if item not in aside) or items  # a unit named in passing
    named = [(item, found) for item in items if (found := units_named(item))]
    if named and len(named) == len(items) and all(len(found) == 1 and not i.spending for i, found in named):
        # "深圳河湾流域管理中心的预算比茅洲河流域管理中心多多少": each unit's whole budget, its income when the
        # question says 收入 ("收入预算各是多少")
        flow = ("收入总计", "本年收入合计") if "收入" in question else ("支出总计", "本年支出合计")
        out = []
        for i, found in named:
            unit = next(iter(found))
            total = _unit_total(flow[0], totals_of(unit), question)
            out.append(replace(i, concept=total, names=(), unit=unit, guessed=False))
        return tuple(out)
    others = [item for item in items if all(item is not i for i, _ in named)]
    spent = {i.spending for i, _ in named if i.spending}
    if len(named) >= 2 and not others and len(spent) == 1 and all(len(found) == 1 for _, found in named):
        # "会议展览局和贸易服务中心的基本支出分别是多少": the spending written after the last unit is each one's
        (spending,) = spent
        return tuple(
            replace(i, concept=spending, names=(), spending=None, unit=next(iter(found)), guessed=False)
            for i, found in named
        )
    if len(named) >= 2 and others and all(len(found) == 1 for _, found in named):
        # "执法队和公路与运输管理中心谁的三公经费多": each item asked of each unit named
        return tuple(replace(item, unit=next(iter(found))) for _, found in named for item in others)
    if len(named) != 1 or len(named[0][1]) != 1:
        return items  # no unit, or several ("文体和水务工程管理中心、工程管理中心各多少"): each as named
    asked, (unit,) = named[0]
    if asked.spending is not None:
        # "水文水质中心项目支出": the unit's 项目支出, not a row of that name split by spending
        whole = replace(asked, concept=asked.spending, names=(), spending=None, unit=unit, guessed=False)
        return tuple(whole if item is asked else replace(item, unit=unit) for item in items)
    if len(items) < 2:
        return items
    held = totals_of(unit)
    return tuple(
        replace(item, unit=unit, concept=_unit_total(item.concept, held, question) if item.concept else None)
        for item in items
        if item is not asked
    )


_SPENT = ("支出总计", "本年支出合计")
_RECEIVED = ("收入总计", "本年收入合计")


def _unit_total(concept: str, held: frozenset[str], question: str) -> str:
    """The total a unit's budget is asked as: the one its rows print. "…中心一年预算多少钱" is its income where only the
    收入总表 lists the units (无锡), when the question says neither 收入 nor 支出."""
    flow = _RECEIVED if concept in _RECEIVED else _SPENT if concept in _SPENT else None
    if flow is None:
        return concept
    either = flow if "支出" in question or "收入" in question else (*flow, *_RECEIVED)
    return next((c for c in (concept, *either) if c in held), concept)
