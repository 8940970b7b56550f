"""One figure printed twice with two values: the same item, role, fund scope and year in two tables.

An answer that picks one of the two shows both (queries/compose.py); this rule reports the same pair, so
that `/check` and the answer agree. It reads the figures' meanings as ingest stored them for answers
(ingest/figures.py: an item's role, year, scope and kind of spending), so a 基本支出 table's 办公费 (the basic
part) is never set against the 办公费 of a table of all spending, nor a 机关运行经费 table's row against the
whole item.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from checker.findings import Finding, rule
from checker.stored import FigureMeaning, StoredFigure
from ingest.meaning import meanings
from ingest.tables import FoundTable

# X09 judges how tables of one total split it (基本/项目, 人员/公用): those pairs are its, not this rule's.
_SPLIT_KINDS = frozenset({"expenditure", "general_expenditure", "fiscal_expenditure", "general_basic", "fiscal_basic"})
_SPLITS = frozenset({"基本支出", "项目支出", "人员经费", "公用经费"})
_ALL_FUNDS = "全部资金"  # a table whose title names no fund prints all funds: the same scope

rule("X10", "warning", "同一项目、口径、年度在两张表中印的数相同")
def _basic_kinds() -> frozenset[str]:
    return frozenset(kind for kind, m in meanings().kinds.items() if m.total == "基本支出")


def _part_kinds() -> frozenset[str]:
    """Tables of one kind of spending (基本支出总表, 项目支出总表, 机关运行经费表 …): their fund columns are read
    their own way (深圳's 项目支出总表 puts the 上年结余 in a column of its own, the 一般公共预算支出表 does not), so
    their totals are compared only among themselves."""
    return frozenset(kind for kind, m in meanings().kinds.items() if m.spending)


def _keys(figure: StoredFigure, meaning: FigureMeaning) -> list[tuple[str, str]]:
    """What a figure is the value of: each concept it carries, and its economic code (functional codes are
    X03's, which compares a code's name and amount across tables)."""
    keys = [("concept", concept) for concept in meaning.concepts]
    if figure.code and figure.classification == "economic" and not meaning.concepts:
        keys.append(("code", figure.code))
    return keys


def last_digit_yuan(printed: str, value_yuan: Decimal) -> Decimal:
    """One unit of the figure's last printed digit, in 元."""
    number = printed.replace(",", "")
    places = len(number.split(".")[1]) if "." in number else 0
    try:
        value = Decimal(number)
    except ArithmeticError:
        return Decimal(0)
    return Decimal(1).scaleb(-places) * (value_yuan / value if value else Decimal(1))


def printed_twice(tables: Sequence[FoundTable], figures: Sequence[StoredFigure]) -> Iterator[Finding]:
    """X10: each item whose first row in one table differs from its first row in another table of the same
    role, year, scope and kind of spending (one finding per item)."""
    basic, parts = _basic_kinds(), _part_kinds()
    # (what it is the value of, (role, year, scope, spending, parent, direction)) → table → its first figure
    firsts: dict[tuple[tuple[str, str], tuple[object, ...]], dict[int, tuple[StoredFigure, FigureMeaning]]] = {}
    for figure in sorted(figures, key=lambda f: (f.table_no, f.page, f.row_no, f.col_no)):
        meaning = figure.meaning
        if meaning is None or meaning.value_yuan is None or meaning.measure != "金额":
            continue
        if tables[figure.table_no - 1].is_empty:
            continue  # (a 绩效目标表 restating the budget has no grid: X08 compares its figures)
        scope = _ALL_FUNDS if meaning.scope is None else meaning.scope
        read_as = (meaning.role, meaning.ref_year, scope, meaning.spending, meaning.parent, meaning.direction)
        for key in _keys(figure, meaning):
            firsts.setdefault((key, read_as), {}).setdefault(figure.table_no, (figure, meaning))
    for (key, _), by_table in firsts.items():
        found = [by_table[n] for n in sorted(by_table)]
        first, first_meaning = found[0]
        one = tables[first.table_no - 1]
        for other, other_meaning in found[1:]:
            two = tables[other.table_no - 1]
            if key[0] == "code" and (one.kind in basic) != (two.kind in basic):
                continue  # the basic part of an item against its whole
            if (one.kind in parts or two.kind in parts) and one.kind != two.kind:
                continue
            if key[1] in _SPLITS and one.kind in _SPLIT_KINDS and two.kind in _SPLIT_KINDS:
                continue
            assert first_meaning.value_yuan is not None and other_meaning.value_yuan is not None
            difference = abs(first_meaning.value_yuan - other_meaning.value_yuan)
            tolerance = max(
                last_digit_yuan(first.printed, first_meaning.value_yuan),
                last_digit_yuan(other.printed, other_meaning.value_yuan),
            )
            if difference <= tolerance:
                continue  # equal, or each table rounded on its own
            code = f"（科目 {first.code}）" if key[0] == "code" else ""
            here = f"《{one.title}》第{first.page}页为{first.printed}{first_meaning.unit or ''}"
            there = f"《{two.title}》第{other.page}页为{other.printed}{other_meaning.unit or ''}"
            yield Finding(
                "X10",
                "warning",
                f"{first_meaning.name}{code}在{here}，在{there}：同一项目、口径和年度印了两个数",
                tuple(sorted({first.page, other.page})),
                (first.printed, other.printed),
            )
            break  # one finding per item: the answer shows the first table's figure and the others
