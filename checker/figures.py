"""Reading a table's facts as lines of figures, and comparing printed sums the way a reader would."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest.tables import Fact, FoundTable

TOTAL_ITEMS = frozenset({"合计", "总计", "共计"})
NUMBER = r"\d[\d,]*(?:\.\d+)?"  # an amount as the narrative prints it: 1,234.56


def amount_of(printed: str) -> Decimal:
    """A number matched by NUMBER ("1,234.56") as a Decimal."""
    return Decimal(printed.replace(",", ""))


@dataclass(frozen=True)
class Line:
    """One row of one side of a table: its label and its figures by column."""

    table: FoundTable
    row: int
    code: str | None
    item: str
    cells: dict[str, Fact]  # measure → fact
    first_col: int

    def fact(self, measure: str) -> Fact | None:
        return self.cells.get(measure)

    @property
    def page(self) -> int:
        return min(f.page for f in self.cells.values())

    @property
    def top(self) -> Fact | None:
        """The leftmost figure of the line (the line's total when the table has one)."""
        return min(self.cells.values(), key=lambda f: f.col) if self.cells else None


_read: dict[int, tuple[FoundTable, list[Line]]] = {}  # id → (table, lines), for one check_document call


def forget_lines() -> None:
    _read.clear()


def lines_of(table: FoundTable) -> list[Line]:
    """A table's facts as lines. A two-sided table (收入 | 支出) gives two lines per row."""
    known = _read.get(id(table))
    if known is not None and known[0] is table:
        return known[1]
    lines = _lines_of(table)
    _read[id(table)] = (table, lines)
    return lines


def _lines_of(table: FoundTable) -> list[Line]:
    lines: list[Line] = []
    by_row: dict[int, list[Fact]] = {}
    for fact in table.facts:
        by_row.setdefault(fact.row, []).append(fact)
    for row, facts in by_row.items():
        current: dict[str, Fact] = {}
        first: Fact | None = None
        for fact in sorted(facts, key=lambda f: f.col):
            if first is not None and (fact.item_name != first.item_name or fact.measure in current):
                lines.append(Line(table, row, first.item_code, first.item, current, first.col))
                current = {}
                first = None
            first = first or fact
            current[fact.measure] = fact
        if first is not None:
            lines.append(Line(table, row, first.item_code, first.item, current, first.col))
    return lines


def first_of_kind(tables: Sequence[FoundTable]) -> dict[str, FoundTable]:
    """The first table of each kind that prints figures."""
    first: dict[str, FoundTable] = {}
    for table in tables:
        if not table.is_empty:
            first.setdefault(table.kind, table)
    return first


def total_line(lines: Sequence[Line]) -> Line | None:
    """The table's 合计 line (the first one: a two-sided table prints it on the left)."""
    return next((line for line in lines if line.item in TOTAL_ITEMS), None)


def half_unit(printed: str) -> Decimal:
    """Half a unit of the last digit printed: how far the printed figure may be from the true one."""
    return Decimal(1).scaleb(-decimals(printed)) / 2


def decimals(printed: str) -> int:
    """Digits printed after the decimal point ("355.35万元" → 2, "1,234" → 0)."""
    found = re.search(r"\.(\d+)", "".join(printed.replace(",", "").split()))
    return len(found.group(1)) if found else 0


def show(amount: Decimal, places: int) -> str:
    """An amount printed like the table prints it: thousands separators, the same decimals."""
    return f"{amount:,.{places}f}"


def shown(fact: Fact) -> str:
    return f"{fact.printed}{fact.unit or ''}" if fact.printed else "空白"


def where(table: FoundTable, page: int | None = None) -> str:
    """《title》第N页 — how a finding names a table."""
    return f"《{table.title}》第{page or table.pages[0]}页"


@dataclass(frozen=True)
class SumCheck:
    """Whether a printed total equals its printed parts, and how sure the printed figures make us."""

    severity: str | None  # None: the figures agree, or cannot be judged
    total: Decimal | None
    parts_sum: Decimal
    blanks: int
    places: int


def check_sum(total: Fact | None, parts: Iterable[Fact | None], least: int = 2) -> SumCheck:
    """Compare a total with its parts.

    A blank is not a zero: when the total is blank and parts are not, or when blank parts could
    account for the difference, the finding is only a warning. When every part is printed, or the
    printed parts already exceed the total, the printed figures themselves disagree: an error. A
    difference the rounding of the printed figures can explain is info. Fewer than `least` parts
    make no sum to check.
    """
    present = [p for p in parts if p is not None]
    printed = [p for p in present if p.amount is not None]
    blanks = len(present) - len(printed)
    places = max(
        (decimals(f.printed) for f in [*printed, *([total] if total and total.amount is not None else [])]), default=0
    )
    parts_sum = sum((p.amount for p in printed if p.amount is not None), Decimal(0))
    if total is None or len(present) < least or not printed:
        return SumCheck(None, None, parts_sum, blanks, places)
    if total.amount is None:
        severity = "warning" if parts_sum != 0 else None
        return SumCheck(severity, None, parts_sum, blanks, places)
    difference = abs(total.amount - parts_sum)
    if difference == 0:
        return SumCheck(None, total.amount, parts_sum, blanks, places)
    # Each figure can be off by half a unit of its own last printed digit: a total printed without
    # decimals (1,234) over parts printed with two (1,233.66 in all) is rounding, not an error.
    rounding = sum((half_unit(f.printed) for f in [*printed, total]), Decimal(0))
    if difference <= rounding:
        severity = "info"
    elif blanks and parts_sum < total.amount:
        severity = "warning"
    else:
        severity = "error"
    return SumCheck(severity, total.amount, parts_sum, blanks, places)


def equation(total: Fact, parts: Sequence[tuple[str, Fact | None]], result: SumCheck) -> str:
    """合计 130.34 ≠ 工资福利支出 121.75 + 商品和服务支出 8.59 = 130.34 (the finding's arithmetic)."""
    present = [(name, part) for name, part in parts if part is not None]
    if len(present) > 6:
        blank = sum(1 for _, part in present if part.amount is None)
        terms = f"{len(present)}个分项" + (f"（{blank}个空白）" if blank else "")
    else:
        terms = " + ".join(f"{name} {part.printed or '空白'}" for name, part in present)
    total_text = total.printed or "空白"
    return f"{total_text} ≠ {terms} = {show(result.parts_sum, result.places)}"


def printed_figures(*facts: Fact | None) -> tuple[str, ...]:
    """The numbers a finding compares, as printed ('' for a blank cell or a missing one)."""
    return tuple(f.printed if f is not None else "" for f in facts)
