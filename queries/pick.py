"""Choosing, among the figures a document prints for an item, the one the question asks for.

A candidate must be the item asked about (its concept, or a row printed under that name or code),
of the role and year asked (this year's budget unless the question says 上年, 年初预算, 决算数 …),
of the fund scope asked (财政拨款 is not all funds) and of the kind of spending asked. Among those
left, a table figure comes before the narrative's, the all-funds table before narrower ones, the
summary tables before the detailed ones. Nothing broader or narrower is ever put in its place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ingest.meaning import label_key, meanings
from queries.frame import DocumentInfo, ItemRef

Row = dict[str, Any]
SCOPE_ORDER = (
    "全部资金",
    None,
    "财政拨款",
    "一般公共预算",
    "政府性基金",
    "国有资本经营预算",
    "财政专户管理资金",
    "其他资金",
)
AMOUNT_MEASURES = frozenset({"金额"})
COUNT_MEASURES = frozenset({"数量"})


def is_of(row: Row, item: ItemRef, by_name: bool = False) -> bool:
    """Whether a figure is the value of the item: by its concept, or a row printed under the name or
    code asked. A concept is not a classification row that happens to share its name (the 30217
    公务接待费 of a 基本支出 table is not the “三公” 公务接待费) unless the question narrows it there
    or the document prints no figure of the concept itself (`by_name`)."""
    # the figure of the unit asked about, nothing of the department's or another unit's; the narrative's own
    # section on the unit ("市建筑工务署本级预算…，包括在职人员经费…") is the unit's
    other_unit = item.unit is not None and label_key(row["parent"] or "") != label_key(item.unit)
    if other_unit and not _unit_section(row, item.unit or ""):
        return False
    if item.concept is not None:
        if item.concept in (row["concepts"] or ()):
            return True
        narrowed = item.within is not None or item.spending is not None or by_name
        return narrowed and (row["item"] == label_key(item.concept) or row["item"] in item.names)
    if item.codes and row["code"] is None and item.parent is not None:
        return row["item"] in item.names and row["parent"] == item.parent  # the narrative's “…（款）行政运行（项）”
    if item.codes and row["code"] is None and row["source"] == "text" and item.names:
        return row["item"] in item.names  # "社会福利事业单位（2081005）": the narrative states it by its name
    if item.codes:
        return row["code"] in item.codes  # "30217公务接待费": the row of that code, not others of its name
    return bool(item.names) and row["item"] in item.names


_OWN = re.compile(r"[（(]本级[)）]")


def _unit_section(row: Row, unit: str) -> bool:
    return row["source"] == "text" and not row["parent"] and says_unit(row["sentence"] or "", unit)


def says_unit(sentence: str, unit: str) -> bool:
    """Whether a narrative sentence names the unit as its subject: its name without the place ("深圳市建筑工务署
    （本级）" → "建筑工务署本级"), as the department's narrative writes it in a section of its own."""
    own = bool(_OWN.search(unit))
    core = re.sub(r"^.*?[省市区县]", "", _OWN.sub("", unit), count=1) or _OWN.sub("", unit)
    said = re.sub(r"\s+", "", sentence)
    return len(core) >= 4 and (core + "本级" in said if own else core in said)


def by_concept(row: Row, item: ItemRef) -> bool:
    return item.concept is not None and item.concept in (row["concepts"] or ())


@dataclass(frozen=True)
class Want:
    """What the question asks of an item in one document."""

    role: str  # 预算 | 执行 | 决算 | 年初预算 | 调整预算
    ref_year: int | None
    scope: str | None  # None: any, all funds preferred
    spending: str | None  # None: the item's total
    count: bool
    within: str | None = None  # a concept or table kind the figure must be part of

    @staticmethod
    def of(
        doc: DocumentInfo,
        role: str | None,
        prior: bool,
        scope: str | None,
        spending: str | None,
        count: bool,
        within: str | None = None,
    ) -> Want:
        # A budget prints execution only for the year before it ("上年执行数", "2022年当年预算执行数").
        before = prior or (role == "执行" and doc.phase == "预算")
        year = doc.year - 1 if before and doc.year else doc.year
        default = "决算" if doc.phase == "决算" and not prior else "预算"
        return Want(role or default, year, scope, spending, count, within)


def _roles(want: Want) -> tuple[str, ...]:
    """Roles that answer for the role asked (a 决算's 预算数 column is its budget, 年初 or adjusted)."""
    if want.role == "年初预算":
        return ("年初预算", "预算")
    if want.role == "调整预算":
        return ("调整预算",)
    if want.role == "执行":
        return ("执行", "决算")
    return (want.role,)


def kinds_of(concept: str) -> frozenset[str]:
    """The table kinds whose total is `concept` (基本支出 → the 基本支出 tables)."""
    return frozenset(kind for kind, m in meanings().kinds.items() if m.total == concept)


def _spending_fits(row: Row, spending: str | None, within: str | None) -> bool:
    if spending is None:
        # a part (机关运行经费's 差旅费) only when the question reads within that part
        return bool(row["spending"] in ("合计", within) or row["source"] == "text")
    if row["spending"] == spending:
        return True
    return row["kind"] in kinds_of(spending) and row["spending"] == "合计"


def _within(row: Row, within: str | None) -> bool:
    """A figure read within a whole: in a table of that kind, or of that total, or under that column."""
    if within is None:
        return True
    return (
        row["kind"] == within
        or row["kind"] in kinds_of(within)
        or row["spending"] == within
        # under a column group named for it ("政府采购项目/其中:…预留给中小企业的项目资金规模")
        or label_key(within) in label_key(str(row["column_name"] or "")).split("/")[0]
        or label_key(within) == label_key(row["parent"] or "")  # a unit's row, or a 款's
    )


@cache
def _fund_totals() -> frozenset[str]:
    """Concepts that total what flows in or out over every fund (收入总计, 本年支出合计 …)."""
    return frozenset(c.name for c in meanings().concepts if c.direction is not None)


def _scope_rank(row: Row, want: Want) -> int | None:
    scope = row["scope"]
    if want.scope is not None:
        if scope == want.scope:
            return 0
        if scope is None and want.scope == "全部资金":
            return 1  # a total whose fund is not said is the all-funds total asked for
        if scope is None and set(row["concepts"] or ()) & _fund_totals():
            return None  # a total whose fund is not said is the all-funds total, not one fund's
        return 1 if scope is None else None
    return SCOPE_ORDER.index(scope) if scope in SCOPE_ORDER else len(SCOPE_ORDER)


def candidates(rows: Sequence[Row], item: ItemRef, want: Want, measures: frozenset[str]) -> list[Row]:
    """The figures that answer for `item` as wanted, best first."""
    roles = _roles(want)
    kept = []
    # A concept the document prints nowhere may still be printed as a row of that name (会议费 30215
    # where no “三公” table lists 会议费): that row answers, labelled with its code and table.
    by_name = item.concept is not None and not any(item.concept in (r["concepts"] or ()) for r in rows)
    wanted_parent = label_key(item.unit or item.parent or "")
    # A project printed only under one unit (湖州 "市级预算项目评审" under 市财政项目预算审核中心) is that unit's, and
    # nothing of the department's stands beside it: its row answers, labelled with the unit.
    matching = [r for r in rows if r["measure"] in measures and is_of(r, item, by_name)]
    owners = {label_key(r["parent"]) for r in matching if r["source"] == "table"}
    column = _defined_column(matching, want.within)
    sole_owner = next(iter(owners)) if len(owners) == 1 and item.concept is None and not item.codes else None
    for row in matching:
        if row["source"] == "table" and row["parent"] and label_key(row["parent"]) not in (wanted_parent, sole_owner):
            continue  # one unit's row of a table listing the department's units: not the department's figure
        # a count has no budget or outturn column: "实际在编在职人员" is a count, whatever its role word
        counted = row["measure"] == "数量"
        if (row["role"] not in roles and not counted) or (
            want.ref_year is not None and row["ref_year"] != want.ref_year
        ):
            continue
        # a name only the narrative prints, with nothing said of what holds it ("包括在职人员经费7,678.47万元"):
        # the whole the question puts it in is the asker's, not a second row to find
        stated_alone = item.concept is None and row["source"] == "text" and not row["parent"]
        defined = column is not None and row["source"] == "table" and (row["spending"], row["scope"]) == column
        fits = _spending_fits(row, want.spending, want.within) and (stated_alone or _within(row, want.within))
        if not (fits or (defined and row["kind"] in kinds_of("基本支出"))):
            continue
        rank = _scope_rank(row, want)
        if rank is None:
            continue
        kept.append((rank, row))
    order = meanings_order()
    kept.sort(
        key=lambda pair: (
            pair[1]["source"] != "table",
            pair[1]["value"] is None,
            _restating(pair[1]["kind"]),  # a 绩效目标表 restating the budget comes after the budget tables
            pair[0],
            not by_concept(pair[1], item),
            roles.index(pair[1]["role"]) if pair[1]["role"] in roles else len(roles),
            # a functional 支出 code (2xxxxxx) is spending: an income table listing it by function comes after
            pair[1]["kind"] == "income" and str(pair[1]["code"] or "").startswith("2"),
            order.get(pair[1]["kind"], len(order)),
            pair[1]["page"],
        )
    )
    return [row for _, row in kept]


def _defined_column(rows: Sequence[Row], within: str | None) -> tuple[str, str] | None:
    """The (spending, scope) column that holds a part of `within` by definition (concepts.toml within_columns), when
    no table of the item's rows is one of `within` ("机关运行经费里的办公费" with no 机关运行经费表)."""
    column = meanings().within_columns.get(within or "")
    if column is None or any(r["source"] == "table" and _within(r, within) for r in rows):
        return None
    return column


def _restating(kind: str) -> bool:
    meaning = meanings().kinds.get(kind)
    return meaning is not None and meaning.restates


_ORDER: dict[str, int] = {}


def meanings_order() -> dict[str, int]:
    if not _ORDER:
        from queries.glossary import load_glossary

        _ORDER.update({kind: i for i, kind in enumerate(load_glossary().table_order)})
    return _ORDER


@dataclass(frozen=True)
class Picked:
    """The figure for an item, and what else the document says about it."""

    table: Row | None  # the table figure (may be blank)
    text: Row | None  # the narrative's figure for the same thing
    others: tuple[Row, ...]  # other tables printing it with another value (same role and scope)
    stated: tuple[Row, ...] = ()  # every narrative statement of it (same role and year), the chosen one first

    @property
    def best(self) -> Row | None:
        """The figure to give: the table's when it prints one, else the narrative's."""
        return self.table if self.table is not None and self.table["value"] is not None else self.text


def pick(rows: Sequence[Row], item: ItemRef, want: Want) -> Picked:
    measures = COUNT_MEASURES if want.count or item.measure == "count" else AMOUNT_MEASURES
    found = candidates(rows, item, want, measures)
    tables = [r for r in found if r["source"] == "table"]
    texts = [r for r in found if r["source"] == "text"]
    basic = kinds_of("基本支出")
    if want.spending is None and tables and tables[0]["kind"] in basic:
        # a 基本支出 table's row is the item's basic part: a table of all the fund's spending prints its whole
        # (泉州: 商品和服务支出 832.69 in the basic table, 5,474.56 in the 支出经济分类 table of the same fund)
        whole = [r for r in tables if r["kind"] not in basic and r["scope"] == tables[0]["scope"]]
        if whole:
            tables = whole + [r for r in tables if r["kind"] in basic]
    table = tables[0] if tables else None
    if table is not None and table["value"] is None:
        filled = [r for r in tables if r["value"] is not None and r["scope"] == table["scope"]]
        table = filled[0] if filled else table
    text = None
    if texts:
        scope = table["scope"] if table is not None else None
        same = [t for t in texts if t["scope"] in (scope, None)] or texts
        text = same[0]
    others: tuple[Row, ...] = ()
    if table is not None and table["value_yuan"] is not None:
        # each other table's own figure for the item is its first row of it (a later one is a unit's subtotal,
        # or the 本级 unit printed under the department's own name): shown when it differs
        firsts: dict[Any, Row] = {}
        for r in sorted(tables, key=lambda r: (r["page"], r.get("row_no") or 0)):
            if (
                r["table_no"] != table["table_no"]
                and not (r["kind"] in basic and table["kind"] not in basic)  # a part of the whole picked
                # a table whose column says no fund prints the item's whole amount: the all-funds figure's peer
                and (r["scope"] == table["scope"] or {r["scope"], table["scope"]} == {None, "全部资金"})
                and r["value_yuan"] is not None
            ):
                firsts.setdefault(r["table_no"], r)
        others = tuple(r for r in firsts.values() if r["value_yuan"] != table["value_yuan"])
    stated_all = (text, *(t for t in texts if t is not text)) if text is not None else ()
    return Picked(table, text, others, stated_all)


def stated(rows: Sequence[Row], item: ItemRef, want: Want, measure: str) -> list[Row]:
    """Figures of `measure` (增减额, 增减率, 占比, 完成率) the document states for the item: the narrative's, and
    a table's row of them (深圳's “三公” table prints 增减变化金额 under each unit), the narrative's first."""
    out = []
    for row in rows:
        if row["measure"] != measure or not is_of(row, item) or row["value"] is None:
            continue
        if want.ref_year is not None and row["ref_year"] not in (want.ref_year, None):
            continue
        if want.scope is not None and row["scope"] not in (want.scope, None):
            continue
        if row["source"] == "table" and (measure == "金额" or (row["parent"] or "") != (item.unit or "")):
            continue  # amounts are picked from tables elsewhere; a unit's row answers only for that unit
        out.append(row)
    return sorted(out, key=lambda r: (r["source"] != "text", _scope_rank(r, want) or 0))


def yuan(row: Row | None) -> Decimal | None:
    return None if row is None else row["value_yuan"]
