"""Every printed number of a document once, with its meaning resolved: the `figures` table.

A table cell's figure is the value of its row's item in its column: the item is the row's printed
name and code, or, on a total row (合计, 支出总计 …), the column's own name ("基本支出"). Its column
gives the role (this year's budget, last year's, 决算 …), the year it refers to and the measure
(an amount, a change, a rate); the table's title and the column give its fund scope.
Narrative figures (ingest/stated.py) carry the same fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest.identify import Identity
from ingest.meaning import (
    GENERIC_COLUMNS,
    GENERIC_ROWS,
    UNIT_IN_HEADER,
    column_role,
    concept_of_label,
    is_scope_label,
    label_key,
    meanings,
    scope_named,
    strip_scope,
)
from ingest.numbers import to_yuan
from ingest.pdf import Box
from ingest.tables import Fact, FoundTable

GRAND = {"收入": "收入总计", "支出": "支出总计"}
YEAR_TOTAL = {"收入": "本年收入合计", "支出": "本年支出合计"}
TOTAL_CONCEPTS = frozenset({*GRAND.values(), *YEAR_TOTAL.values()})
CARRY_OVER = frozenset({"上年结转结余", "年末结转结余"})
TWO_SIDED = frozenset({"summary", "fiscal_summary"})
# On a “三公” table, these columns mean its 合计 is not the “三公”经费 alone.
# A column named for this year ("本年一般公共预算基本支出") names what it holds after the year.
_THIS_YEAR = re.compile(r"^(?:本年度?|当年)")
_NOT_THREE_PUBLIC = frozenset({"会议费", "培训费", "机关运行经费"})
_GRAND_COLUMN = frozenset({"合计", "总计", *GRAND.values()})
_CARRY_OVER_COLUMN = re.compile(r"上年(结转|结余)|结转结余|结余、?结转")


@dataclass(frozen=True)
class Figure:
    """One printed number and what it means."""

    source: str  # table | text
    table_no: int | None  # the table (1-based, as in doc_tables); None for the narrative
    kind: str  # table kind, or 'narrative'
    page: int
    row_no: int  # table row, or the sentence's number on its page
    col_no: int  # table column, or the figure's number in its sentence
    code: str | None  # 科目编码 of the row (2010301, 30101 …)
    name: str  # the item as printed: the row, the column on a total row, or the narrative's words
    concepts: tuple[str, ...]  # the concepts (ingest/concepts.toml) the figure is the value of
    classification: str  # functional | economic | line | narrative
    direction: str | None  # 收入 | 支出
    role: str  # 预算 | 执行 | 决算 | 年初预算 | 调整预算
    ref_year: int | None  # the year the figure is about
    measure: str  # 金额 | 数量 | 增减额 | 增减率 | 占比 | 完成率
    scope: str | None  # fund scope: 全部资金 | 财政拨款 | 一般公共预算 | … ; None when not stated
    spending: str  # the column's own name on an item's row (基本支出, 人员经费 …), else 合计
    row_name: str  # the table row's label as printed ('' for the narrative)
    column: str  # the table column: merged header path (基本支出/工资福利支出); '' for the narrative
    # the 款 a narrative 项 is stated under ("政协事务（款）行政运行（项）"), or the unit a table row is listed under
    # when the table lists a department's units one after another ("深圳市民政局（本级）" above its 科目 rows), else ''
    parent: str
    base: str  # what a share is of, in the narrative's words ("占“三公”经费的15.70%"), else ''
    printed: str  # as printed ('' for a blank cell)
    value: Decimal | None  # in `unit`; None for a blank cell
    unit: str | None
    value_yuan: Decimal | None  # money in 元
    sentence: str  # the narrative sentence ('' for tables)
    box: Box | None  # the cell on its page (PDF points, top-left origin)

    @property
    def item(self) -> str:
        """The name normalised, for matching (stored in `figures.item`)."""
        return label_key(self.name)


def _direction(table: FoundTable, fact: Fact) -> str | None:
    kind = meanings().kinds.get(table.kind)
    if kind is not None and kind.direction:
        return kind.direction
    for part in fact.header[:1]:
        if "收入" in part or "来源" in part:
            return "收入"
        if "支出" in part or "用途" in part or "去向" in part:
            return "支出"
    name = label_key(fact.item_name)
    if name.endswith("收入") or "收入" in name[:4]:
        return "收入"
    if name.endswith("支出"):
        return "支出"
    return None


def _table_scope(table: FoundTable) -> str | None:
    kind = meanings().kinds.get(table.kind)
    return scope_named(table.title) or (kind.scope if kind else None)


def _row_concept(fact: Fact, table: FoundTable, direction: str | None) -> str | None:
    if fact.item_code:
        return None  # a classification row keeps its own name
    if is_scope_label(fact.item_name) and direction:
        return YEAR_TOTAL[direction]
    return concept_of_label(fact.item_name, table.kind, direction)


def _side_totals(table: FoundTable, directions: dict[int, str | None]) -> dict[tuple[int, str], tuple[str, ...]]:
    """For rows labelled just 合计 / 总计 or 收入合计 / 支出合计: which totals they are, per side.

    总计 is the grand total. A bare 合计 is the year's total when the side also prints a grand
    total, the grand total when it prints a year's total, and both when it prints neither and no
    carry-over (then they are one number).
    """
    by_side: dict[str, list[tuple[int, Fact]]] = {}
    for index, fact in enumerate(table.facts):
        direction = directions[index]
        if direction:
            by_side.setdefault(direction, []).append((index, fact))
    out: dict[tuple[int, str], tuple[str, ...]] = {}
    for direction, facts in by_side.items():
        concepts = {concept_of_label(f.item_name, table.kind, direction) for _, f in facts if not f.item_code}
        has_grand = GRAND[direction] in concepts or any(label_key(f.item_name) == "总计" for _, f in facts)
        has_year = YEAR_TOTAL[direction] in concepts
        carry = bool(concepts & CARRY_OVER)
        for _, fact in facts:
            key = label_key(fact.item_name)
            if key == "总计":
                found: tuple[str, ...] = (
                    (GRAND[direction],) if carry or has_year else (GRAND[direction], YEAR_TOTAL[direction])
                )
            elif key in ("合计", f"{direction}合计"):
                if has_grand:
                    found = (YEAR_TOTAL[direction],)
                elif has_year or carry:
                    found = (GRAND[direction],)
                else:
                    found = (GRAND[direction], YEAR_TOTAL[direction])
            elif concept_of_label(fact.item_name, table.kind, direction) == GRAND[direction] and not (
                carry or has_year
            ):
                found = (GRAND[direction], YEAR_TOTAL[direction])
            else:
                continue
            out[(fact.row, direction)] = found
    return out


# How the name of a body's unit ends: 局, 队, 中心, 站, 院 … or "（本级）"
_UNIT_ENDING = re.compile(
    r"(?:局|队|中心|站|所|院|处|办公室|馆|校|学|会|部|厅|委员会|团|社|台|场|园|署|[(（]本级[)）])$"
)


def unit_named(fact: Fact, identity: Identity) -> str:
    """The unit a row is named for: a name that begins with the document's place or body and ends like
    a body's name ("湖州市交通运输行政执法队", "深圳市建筑工务署工程设计管理中心"), else ""."""
    # (a unit's own six-digit code, "114002 苏州市土地储备中心", is no classification: the row is still the unit's)
    if (fact.item_code and len(fact.item_code) != 6) or fact.row_year:
        return ""
    name = label_key(fact.item_name)
    places = {label_key(identity.body), label_key(identity.region), *re.findall(r"[^省市]+[市区县]$", identity.region)}
    starts = [p for p in places if p and name.startswith(p) and len(name) >= len(p) + 3]
    if not starts or name == label_key(identity.body) or not _UNIT_ENDING.search(name):
        return ""
    return fact.item_name


def _projects_under_units(table: FoundTable, identity: Identity) -> dict[tuple[int, int], str]:
    """(page, row) → the unit a project row is listed under, in a project table that lists the department's units
    as rows with their projects below each (深圳 项目支出总表: "深圳市建筑工务署工程管理中心" then 工程管理,
    综合管理 …): the same project name under two units is two projects. Only where two units or more are listed;
    the department's own row, or its 本级 row, lists the projects of no other unit."""
    rows = sorted({(f.page, f.row): f for f in table.facts if not f.item_code}.items())
    units = {place: unit_named(f, identity) for place, f in rows}
    if sum(1 for unit in units.values() if unit) < 2:
        return {}
    under: dict[tuple[int, int], str] = {}
    current = ""
    for place, fact in rows:
        if units[place]:
            current = units[place]
        elif label_key(fact.item_name) == label_key(identity.body) or fact.sole_unit:
            current = ""
        elif current:
            under[place] = current
    return under


_BROAD_FUNDS = ("全部资金", "财政拨款")  # each holds the funds below it


def _narrowest(scopes: list[str]) -> str | None:
    """The narrowest fund a header names: "本年收入/财政拨款/一般公共预算拨款" and "一般公共预算/财政拨款" are both
    一般公共预算's columns (财政拨款 holds 一般公共预算, 政府性基金 …)."""
    narrow = [s for s in scopes if s not in _BROAD_FUNDS]
    if narrow:
        return narrow[-1]
    return next((s for s in reversed(_BROAD_FUNDS) if s in scopes), None)


def table_figures(table_no: int, table: FoundTable, identity: Identity) -> list[Figure]:
    kind_meaning = meanings().kinds.get(table.kind)
    table_scope = _table_scope(table)
    directions = {index: _direction(table, fact) for index, fact in enumerate(table.facts)}
    two_sided = table.kind in TWO_SIDED
    totals = _side_totals(table, directions) if two_sided else {}
    roles = {fact.header: column_role(list(fact.header), identity.year, identity.phase) for fact in table.facts}
    leaf_concepts = {role.leaf: concept_of_label(role.leaf, table.kind, None) for role in roles.values() if role.leaf}
    kind_total = kind_meaning.total if kind_meaning else None
    kind_spending = kind_meaning.spending if kind_meaning else None
    if table.kind == "three_public" and _NOT_THREE_PUBLIC & set(leaf_concepts.values()):
        kind_total = None  # its 合计 adds 会议费 and 培训费 to the “三公”经费
    listed_under = _projects_under_units(table, identity) if kind_meaning and kind_meaning.uncoded_rows_whole else {}
    carries_over = any(_CARRY_OVER_COLUMN.search("/".join(fact.header)) for fact in table.facts)
    # several bare "小计" rows (江苏 收入预算总表: one under each fund group) are the groups' subtotals, and
    # none of them the table's total
    subtotal_rows = {(f.page, f.row) for f in table.facts if not f.item_code and label_key(f.item_name) == "小计"}
    group_subtotals = len(subtotal_rows) > 1
    out: list[Figure] = []
    for index, fact in enumerate(table.facts):
        direction = directions[index]
        role = roles[fact.header]
        leaf = role.leaf
        scope = table_scope
        column_scope = _narrowest([s for part in fact.header if (s := scope_named(part))])
        if (
            not leaf
            and carries_over
            and kind_total == YEAR_TOTAL["收入"]  # spending paid from the carry-over is the year's spending still
            and len(fact.header) == 1
            and label_key(fact.header[0]) in _GRAND_COLUMN
        ):
            # the total column ("合计", "收入总计") beside a 上年结转结余 column adds it in: the grand total, not the
            # year's (珠海 收入总体情况表: 合计 66,307.98 = 本年收入 46,403.97 + 上年结转结余 19,904.01)
            leaf = GRAND["收入"]
        if leaf:
            core = _THIS_YEAR.sub("", strip_scope(leaf))  # "本年一般公共预算基本支出": the year it is
            if core != label_key(leaf) and (not core or core in GENERIC_COLUMNS or is_scope_label(leaf)):
                # a scope column (一般公共预算, 政府性基金预算 …): the total's part from that fund; under a carry-over
                # group ("上年结转结余/一般公共预算") it is that fund's carry-over, not the year's income
                carried = [p for p in fact.header[:-1] if _CARRY_OVER_COLUMN.search(label_key(p))]
                leaf = carried[-1] if carried else ""
            elif kind_total and concept_of_label(core or leaf, table.kind, direction) == kind_total:
                leaf = ""  # the table's own total ("机关运行经费支出", "一般公共预算基本支出")
        if column_scope:
            scope = column_scope
        ref_year, measure = role.ref_year, role.measure
        year_row = re.match(r"(20\d\d)", fact.row_year)
        if fact.row_year:
            # a row of one year (or of the change between years) in a table whose items are its columns:
            # the figure is the column's item (its header less the fund scope), for the row's year
            ref_year = int(year_row.group(1)) if year_row else identity.year
            measure = role.measure if year_row else "增减额"
            named = [
                p
                for p in fact.header
                if not scope_named(p)
                and not is_scope_label(p)
                and label_key(p) not in GENERIC_ROWS
                and label_key(p) not in GENERIC_COLUMNS
            ]  # "公务用车购置及运行维护费/小计/一般公共预算": the 小计 is of the 公务用车 part
            leaf = named[-1] if named else ""
            if leaf and kind_total and concept_of_label(leaf, table.kind, direction) == kind_total:
                leaf = ""
        # a row named for the document's own body, in a table listing its units ("深圳市水务局" above
        # "深圳市水务局（本级）" and the others): the department's total row
        own_row = fact.sole_unit or (not fact.item_code and label_key(fact.item_name) == label_key(identity.body))
        # a row named for one of the department's units ("湖州市交通运输行政执法队" in a 三公 table listing
        # them): the unit's totals of the table's columns, kept under the unit's name as their parent
        of_unit = "" if own_row or two_sided else unit_named(fact, identity)
        row_generic = (
            bool(fact.row_year)
            or own_row
            or bool(of_unit)
            or (
                label_key(fact.item_name) in GENERIC_ROWS
                and not fact.item_code
                and not (group_subtotals and label_key(fact.item_name) == "小计")
            )
        )
        row_concepts: tuple[str, ...] = ()
        if (fact.row, direction or "") in totals:
            row_concepts = totals[(fact.row, direction or "")]
        else:
            concept = _row_concept(fact, table, direction)
            if concept is not None:
                row_concepts = (concept,)
            if not fact.item_code and is_scope_label(fact.item_name):
                scope = scope_named(fact.item_name) or scope
        row_is_total = row_generic or bool(set(row_concepts) & TOTAL_CONCEPTS)
        if leaf and row_is_total:
            name = leaf
            concept = leaf_concepts.get(leaf) or concept_of_label(leaf, table.kind, direction)
            concepts: tuple[str, ...] = (concept,) if concept else ()
            spending = "合计"
            code = None
        elif leaf:
            name, concepts, spending, code = fact.item_name, (), leaf, fact.item_code
        elif row_generic and not row_concepts:
            name = kind_total or fact.item_name or "合计"
            concepts = (kind_total,) if kind_total else ()
            spending, code = "合计", None
        else:
            name, concepts, spending, code = fact.item_name, row_concepts, "合计", fact.item_code
        project_row = kind_meaning is not None and kind_meaning.uncoded_rows_whole and not fact.item_code
        if spending == "合计" and kind_spending and not row_is_total and not project_row:
            spending = kind_spending
        unit, value_yuan = fact.unit, fact.amount_yuan
        in_header = next((m.group(1) for part in fact.header if (m := UNIT_IN_HEADER.search(part))), None)
        if unit is None and in_header is not None:
            # A table with no 单位 line that names its unit in a column ("项目金额(万元)").
            unit = in_header
            value_yuan = to_yuan(fact.amount, unit) if fact.amount is not None else None
        out.append(
            Figure(
                source="table",
                table_no=table_no,
                kind=table.kind,
                page=fact.page,
                row_no=fact.row,
                col_no=fact.col,
                code=code,
                name=name,
                concepts=concepts,
                classification=fact.classification,
                direction=direction,
                role=role.role,
                ref_year=ref_year,
                measure=measure,
                scope=scope,
                spending=spending,
                row_name=fact.item_name,
                column=fact.measure,
                parent=of_unit
                or listed_under.get((fact.page, fact.row), "")
                or (fact.group if label_key(fact.group) not in ("", label_key(identity.body)) else ""),
                base="",
                printed=fact.printed,
                value=fact.amount,
                unit=unit,
                value_yuan=value_yuan,
                sentence="",
                box=fact.box,
            )
        )
    return out


def document_figures(tables: Sequence[FoundTable], stated: Sequence[Figure], identity: Identity) -> list[Figure]:
    out: list[Figure] = []
    for table_no, table in enumerate(tables, start=1):
        out += table_figures(table_no, table, identity)
    return out + list(stated)
