"""One figure printed twice with two values: the same item, role, fund scope and year in two tables.

An answer that picks one of the two shows both (queries/compose.py); this rule reports the same pair, so
that `/check` and the answer agree. It reads the figures as answers read them (ingest/figures.py: an
item's role, year, scope and kind of spending), so a 基本支出 table's 办公费 (the basic part) is never set
against the 办公费 of a table of all spending, nor a 机关运行经费 table's row against the whole item.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from checker.findings import Finding, rule
from ingest.figures import Figure, document_figures
from ingest.identify import Identity
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


def _keys(figure: Figure) -> list[tuple[str, str]]:
    """What a figure is the value of: each concept it carries, and its economic code (functional codes are
    X03's, which compares a code's name and amount across tables)."""
    keys = [("concept", concept) for concept in figure.concepts]
    if figure.code and figure.classification == "economic" and not figure.concepts:
        keys.append(("code", figure.code))
    return keys


def _last_digit_yuan(figure: Figure) -> Decimal:
    """One unit of the figure's last printed digit, in 元."""
    printed = figure.printed.replace(",", "")
    places = len(printed.split(".")[1]) if "." in printed else 0
    factor = (figure.value_yuan or Decimal(0)) / figure.value if figure.value else Decimal(1)
    return Decimal(1).scaleb(-places) * factor


def printed_twice(tables: Sequence[FoundTable], identity: Identity) -> Iterator[Finding]:
    """X10: each item whose first row in one table differs from its first row in another table of the same
    role, year, scope and kind of spending (one finding per item and pair of tables)."""
    basic, parts = _basic_kinds(), _part_kinds()
    # (what it is the value of, (role, year, scope, spending, parent, direction)) → table → its first figure
    firsts: dict[tuple[tuple[str, str], tuple[object, ...]], dict[int, Figure]] = {}
    for figure in document_figures(tables, (), identity):
        if figure.table_no is None or figure.value_yuan is None or figure.measure != "金额":
            continue
        if tables[figure.table_no - 1].is_empty:
            continue
        scope = _ALL_FUNDS if figure.scope is None else figure.scope
        for key in _keys(figure):
            read_as = (figure.role, figure.ref_year, scope, figure.spending, figure.parent, figure.direction)
            firsts.setdefault((key, read_as), {}).setdefault(figure.table_no, figure)
    for (key, _), by_table in firsts.items():
        figures = [by_table[n] for n in sorted(by_table)]
        first = figures[0]
        for other in figures[1:]:
            if key[0] == "code" and (first.kind in basic) != (other.kind in basic):
                continue  # the basic part of an item against its whole
            if (first.kind in parts or other.kind in parts) and first.kind != other.kind:
                continue
            if key[1] in _SPLITS and first.kind in _SPLIT_KINDS and other.kind in _SPLIT_KINDS:
                continue
            assert first.value_yuan is not None and other.value_yuan is not None
            assert first.table_no is not None and other.table_no is not None
            difference = abs(first.value_yuan - other.value_yuan)
            if difference <= max(_last_digit_yuan(first), _last_digit_yuan(other)):
                continue  # equal, or each table rounded on its own
            one, two = tables[first.table_no - 1], tables[other.table_no - 1]
            code = f"（科目 {first.code}）" if key[0] == "code" else ""
            yield Finding(
                "X10",
                "warning",
                f"{first.name}{code}在《{one.title}》第{first.page}页为{first.printed}{first.unit or ''}，"
                f"在《{two.title}》第{other.page}页为{other.printed}{other.unit or ''}：同一项目、口径和年度印了两个数",
                tuple(sorted({first.page, other.page})),
                (first.printed, other.printed),
            )
            break  # one finding per item: the answer shows the first table's figure and the others
