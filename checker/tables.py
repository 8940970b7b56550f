"""Arithmetic within a table and between tables: subtotals, 类/款/项, 三公, totals that must agree."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from checker.figures import (
    Line,
    SumCheck,
    check_sum,
    decimals,
    equation,
    first_of_kind,
    lines_of,
    printed_figures,
    show,
    shown,
    total_line,
    where,
)
from checker.findings import Finding, rule
from ingest.numbers import to_yuan
from ingest.tables import Fact, FoundTable

# Tables whose columns nest (基本支出/工资福利支出) and whose rows nest (类/款/项): parents are sums.
NESTED_KINDS = frozenset(
    {
        "income",
        "expenditure",
        "general_expenditure",
        "fiscal_expenditure",
        "general_basic",
        "fiscal_basic",
        "gov_fund",
        "state_capital",
        "agency_running",
    }
)
# Sibling columns that add up to the line's 合计 column.
SIBLING_SUMS = (("基本支出", "项目支出"), ("人员经费", "公用经费"))
_VARIANT = re.compile(r"^(预算数|决算数)$")
_FUND_GROUP = re.compile(r"预算|结转|结余|拨款|资金|\d{4}")


@dataclass
class Collected:
    """Findings of one kind across the rows of one table, reported once with a count."""

    rule: str
    severity: str
    message: str
    pages: list[int]
    figures: tuple[str, ...]  # the first row's numbers compared
    others: int = 0


@dataclass
class Collector:
    found: dict[tuple[object, ...], Collected] = field(default_factory=dict)

    def add(
        self, key: tuple[object, ...], rule: str, severity: str, message: str, page: int, figures: tuple[str, ...]
    ) -> None:
        full = (rule, severity, *key)
        if full in self.found:
            seen = self.found[full]
            seen.others += 1
            if page not in seen.pages:
                seen.pages.append(page)
        else:
            self.found[full] = Collected(rule, severity, message, [page], figures)

    def findings(self) -> list[Finding]:
        out = []
        for seen in self.found.values():
            message = seen.message
            if seen.others:
                message += f"；另有{seen.others}行同样不符"
            out.append(Finding(seen.rule, seen.severity, message, tuple(sorted(seen.pages)), seen.figures))
        return out


def _report_sum(
    collector: Collector,
    rule: str,
    key: tuple[object, ...],
    what: str,
    total: Fact,
    parts: Sequence[tuple[str, Fact | None]],
    table: FoundTable,
    least: int = 2,
) -> None:
    result = check_sum(total, [part for _, part in parts], least)
    if result.severity is None:
        return
    message = f"{where(table, total.page)}{what}：{_explain(total, parts, result)}"
    collector.add(key, rule, result.severity, message, total.page, printed_figures(total, *(f for _, f in parts)))


def _explain(total: Fact, parts: Sequence[tuple[str, Fact | None]], result: SumCheck) -> str:
    text = equation(total, parts, result)
    if result.total is None:
        return f"{text}（合计空白，分项有数）"
    if result.severity == "info":
        return f"{text}（相差{show(abs(result.total - result.parts_sum), result.places)}，在四舍五入范围内）"
    if result.severity == "warning":
        return f"{text}（有{result.blanks}个分项空白，空白不当作0）"
    return text


def _parent(measure: str, measures: set[str]) -> str | None:
    parts = measure.split("/")
    for cut in range(len(parts) - 1, 0, -1):
        candidate = "/".join(parts[:cut])
        if candidate in measures:
            return candidate
    return None


rule("T01", "error", "表内小计等于分项之和（列）")
def column_sums(table: FoundTable, lines: Sequence[Line], collector: Collector) -> None:
    """T01: a parent column equals its children; 合计 equals 基本支出 + 项目支出 (or 人员 + 公用)."""
    for line in lines:
        measures = set(line.cells)
        children: dict[str, list[str]] = {}
        for measure in line.cells:
            parent = _parent(measure, measures)
            if parent and not measure.split("/")[-1].startswith("其中"):
                children.setdefault(parent, []).append(measure)
        for parent, kids in children.items():
            if len(kids) < 2:
                continue
            parts = [(kid.split("/")[-1], line.cells[kid]) for kid in kids]
            _report_sum(
                collector, "T01", (id(table), parent), f"{_row_name(line)} {parent}", line.cells[parent], parts, table
            )
        total = line.cells.get("合计")
        tops = {m for m in measures if _parent(m, measures) is None}
        for siblings in SIBLING_SUMS:
            # Only when nothing else is beside them (江苏 adds 上缴上级支出, 经营支出 ... columns).
            if total is not None and tops == {"合计", *siblings}:
                parts = [(s, line.cells[s]) for s in siblings]
                _report_sum(collector, "T01", (id(table), siblings), f"{_row_name(line)} 合计", total, parts, table)


def _row_name(line: Line) -> str:
    name = f"{line.code or ''} {line.item}".strip()
    return f"{name}行" if name else f"第{line.row + 1}行"


def _code_parent(code: str, codes: set[str]) -> str | None:
    """The nearest printed ancestor: 2010301 → 20103, else 201; None for a top-level code."""
    for cut in range(len(code) - 2, 2, -2):
        if code[:cut] in codes:
            return code[:cut]
    return None


rule("T02", "error", "表内类、款、项与合计行相符（行）")
def code_sums(table: FoundTable, lines: Sequence[Line], collector: Collector) -> None:
    """T02: each 类 equals its 款, each 款 its 项, and the 合计 line the top-level rows."""
    # Functional codes start with 2, economic with 3 or 5; anything else is a misread cell.
    coded = [line for line in lines if line.code and len(line.code) in (3, 5, 7) and line.code[0] in "235"]
    printed_codes = [line.code for line in coded if line.code]
    codes = set(printed_codes)
    if not coded or len(printed_codes) != len(codes):
        return  # a code printed twice (one block per unit): the rows do not nest simply
    by_code = {line.code: line for line in coded}
    children: dict[str | None, list[Line]] = {}
    for line in coded:
        assert line.code is not None
        children.setdefault(_code_parent(line.code, codes), []).append(line)
    total = total_line(lines)
    for parent_code, kids in children.items():
        parent = by_code.get(parent_code) if parent_code else total
        if parent is None:
            continue
        name = f"{parent_code} {parent.item}".strip() if parent_code else "合计行"
        for measure, fact in parent.cells.items():
            parts = [(f"{kid.code}", kid.cells.get(measure)) for kid in kids]
            what = f"{name}（{measure}）"
            _report_sum(collector, "T02", (id(table), measure, len(parent_code or "")), what, fact, parts, table, 1)


# ---- 三公 -----------------------------------------------------------------------------------

THREE_PARTS = ("因公出国（境）费", "公务接待费", "公务用车购置及运行费")
CAR_PARTS = ("公务用车购置费", "公务用车运行维护费")


def _three_public_concept(label: str) -> str | None:
    if "机关运行" in label:
        return None
    if "购置及运行" in label or label == "公务用车费":
        return "公务用车购置及运行费"
    if "购置" in label:
        return "公务用车购置费"
    if "运行" in label:
        return "公务用车运行维护费"
    if "出国" in label:
        return "因公出国（境）费"
    if "接待" in label:
        return "公务接待费"
    if "三公" in label:
        return "三公经费"
    return None


def three_public_figures(table: FoundTable) -> dict[str, dict[str, Fact]]:
    """The 三公 figures of a table by variant ("" | 预算数 | 决算数) and concept.

    Works for the column layout (one line, a column per item) and the row layout (a line per item).
    "合计" is read as the 三公 total only when the table prints nothing else (会议费, 培训费).
    """
    out: dict[str, dict[str, Fact]] = {}
    seen: dict[tuple[str, str], list[Fact]] = {}
    lines = lines_of(table)
    measures = {m for line in lines for m in line.cells}
    plain_total = not any("三公" in m or "会议" in m or "培训" in m for m in measures)
    for line in lines:
        for measure, fact in line.cells.items():
            segments = measure.split("/")
            variant = segments.pop() if segments and _VARIANT.match(segments[-1]) else ""
            # A funding or year group over the 三公 columns (当年预算 | 上年结转结余) is a variant of its own:
            # its parts add up to its own total, not to the table's grand total.
            while len(segments) > 1 and _FUND_GROUP.search(segments[0]) and not _three_public_concept(segments[0]):
                variant = "/".join(v for v in (segments.pop(0), variant) if v)
            if not segments or segments == ["合计"] or line.item in ("合计", "共计", "总计"):
                label = line.item if line.item and line.item not in ("合计", "共计", "总计") else ""
                concept = (
                    _three_public_concept(label)
                    if label
                    else ("三公经费" if plain_total or "三公" in "".join(segments) else None)
                )
            else:
                containers = [i for i, s in enumerate(segments) if "三公" in s or "购置及运行" in s]
                tail = "".join(segments[containers[-1] + 1 :]) if containers else "".join(segments)
                concept = (
                    _three_public_concept(tail or segments[containers[-1]])
                    if containers
                    else _three_public_concept(tail)
                )
            if concept:
                seen.setdefault((variant, concept), []).append(fact)
    for (variant, concept), facts in seen.items():
        # A merged cell can repeat a column: take the printed figure, unless two printed figures differ.
        printed = {f.amount for f in facts if f.amount is not None}
        if len(printed) <= 1:
            out.setdefault(variant, {})[concept] = next((f for f in facts if f.amount is not None), facts[0])
    return out


rule("T03", "error", "“三公”经费合计等于三项之和，公务用车费等于购置费加运行维护费")
def three_public_sums(table: FoundTable, collector: Collector) -> None:
    """T03: 三公 total = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费; 公务用车 = 购置 + 运行维护."""
    for variant, figures in three_public_figures(table).items():
        label = f"（{variant}）" if variant else ""
        car = figures.get("公务用车购置及运行费")
        sums: tuple[tuple[str, tuple[str, ...]], ...] = (("三公经费", THREE_PARTS), ("公务用车购置及运行费", CAR_PARTS))
        for total_name, parts_names in sums:
            total = figures.get(total_name)
            if (
                total_name == "三公经费"
                and (car is None or car.amount is None)
                and any(figures.get(n) for n in CAR_PARTS)
            ):
                parts_names = (*THREE_PARTS[:2], *CAR_PARTS)  # a blank car subtotal: add its two parts
            parts = [(name, figures.get(name)) for name in parts_names]
            if total is not None and sum(1 for _, p in parts if p is not None) >= 2:
                _report_sum(
                    collector, "T03", (id(table), total_name, variant), f"{total_name}{label}", total, parts, table
                )


# ---- 收支总表 ----------------------------------------------------------------------------------

GRAND = ("收入总计", "支出总计", "总计")
YEAR = ("本年收入合计", "本年支出合计", "当年收入小计", "当年支出小计", "本年收入", "本年支出")
_CARRY = re.compile(r"结转|结余|弥补")


@dataclass(frozen=True)
class Side:
    lines: tuple[Line, ...]

    def find(self, names: Sequence[str]) -> Line | None:
        for name in names:
            for line in self.lines:
                if line.item == name:
                    return line
        return None


def sides(table: FoundTable) -> tuple[Side, Side]:
    """The 收入 (left) and 支出 (right) sides of a two-sided summary table."""
    lines = lines_of(table)
    by_row: dict[int, list[Line]] = {}
    for line in lines:
        by_row.setdefault(line.row, []).append(line)
    left = [row[0] for row in by_row.values()]
    right = [row[1] for row in by_row.values() if len(row) > 1]
    return Side(tuple(left)), Side(tuple(right))


rule("T04", "error", "收支总表中总计等于本年合计加结转结余，财政拨款等于一般公共预算、政府性基金、国有资本经营之和")
def summary_sums(table: FoundTable, collector: Collector) -> tuple[Fact | None, Fact | None]:
    """T04 on one summary table; returns its (收入总计, 支出总计)."""
    grands: list[Fact | None] = []
    for side in sides(table):
        grand = side.find(GRAND)
        year = side.find(YEAR)
        grands.append(grand.top if grand else None)
        if grand is None or year is None or grand.top is None or year.top is None or year.row >= grand.row:
            continue
        carries = [line for line in side.lines if year.row < line.row < grand.row and _CARRY.search(line.item)]
        measure = grand.top.measure
        carries = _without_breakdown(carries, measure)
        parts = [(year.item, year.cells.get(measure))] + [(line.item, line.cells.get(measure)) for line in carries]
        if carries:
            _report_sum(collector, "T04", (id(table), grand.item), grand.item, grand.top, parts, table)
        fiscal = next((line for line in side.lines if re.fullmatch(r"财政拨款(收入)?", line.item)), None)
        if fiscal is not None and fiscal.top is not None:
            funds = [
                line
                for line in side.lines
                if line.row > fiscal.row and re.match(r"一般公共预算|政府性基金|国有资本经营", line.item)
            ][:3]
            parts = [(line.item, line.cells.get(fiscal.top.measure)) for line in funds]
            _report_sum(collector, "T04", (id(table), fiscal.item), fiscal.item, fiscal.top, parts, table)
    return grands[0], grands[1]


def _without_breakdown(carries: list[Line], measure: str) -> list[Line]:
    """The carry-over lines to add: "上年结余、结转" alone when the lines after it are its breakdown (深圳:
    "1.财政拨款结余、结转", "2.非财政拨款结余、结转" sum to it), so no figure is counted twice."""
    if len(carries) < 2:
        return carries
    head = carries[0].cells.get(measure)
    rest = [line.cells.get(measure) for line in carries[1:]]
    if head is None or head.amount is None or any(f is None or f.amount is None for f in rest):
        return carries
    parts = sum((f.amount for f in rest if f is not None and f.amount is not None), Decimal(0))
    return carries[:1] if parts == head.amount else carries


def top_total(table: FoundTable | None) -> Fact | None:
    if table is None:
        return None
    line = total_line(lines_of(table))
    return line.top if line else None


def column_total(table: FoundTable | None, name: str) -> Fact | None:
    """The 合计 line's figure in the column named `name` (基本支出, 项目支出, 人员经费 ...)."""
    if table is None:
        return None
    line = total_line(lines_of(table))
    if line is None:
        return None
    return next((f for m, f in line.cells.items() if m.split("/")[-1] == name), None)


def _same(a: Fact, b: Fact) -> bool | None:
    """Whether two figures agree, within the rounding of the coarser one; None when not comparable."""
    if a.amount_yuan is None or b.amount_yuan is None:
        return None
    places = min(decimals_yuan(a), decimals_yuan(b))
    return abs(a.amount_yuan - b.amount_yuan) <= Decimal(1).scaleb(-places) / 2


def _by_size(mine: Fact, other: Fact, larger: str) -> tuple[str, str] | None:
    """Two figures of one thing printed in two tables: None when they agree at their printed digits, a
    hint when they differ by one unit of the last digit (each table rounded on its own), else `larger`."""
    assert mine.amount_yuan is not None and other.amount_yuan is not None
    difference = abs(mine.amount_yuan - other.amount_yuan)
    if difference == 0 or _same(mine, other):
        return None
    if difference <= Decimal(1).scaleb(-min(decimals_yuan(mine), decimals_yuan(other))):
        return "info", "（只差最后一位，可能是各表分别舍入）"
    return larger, ""


def decimals_yuan(fact: Fact) -> int:
    """Decimal places of a figure counted in 元 (0.01 万元 is 100 元: -2)."""
    shift = {"元": 0, "万元": 4, "亿元": 8}.get(fact.unit or "元", 0)
    return decimals(fact.printed) - shift


rule("X01", "error", "收支总表收入总计等于支出总计")
rule("X02", "error", "各表总额相符（收支总表、收入总表、支出总表、一般公共预算支出表、基本支出表）")
def cross_totals(
    tables: Sequence[FoundTable], income_grand: Fact | None, expense_grand: Fact | None
) -> Iterator[Finding]:
    """X01 and X02: the totals the standard tables share."""
    first = first_of_kind(tables)
    summary = first.get("summary")
    if summary is not None and income_grand and expense_grand and _same(income_grand, expense_grand) is False:
        yield Finding(
            "X01",
            "error",
            f"{where(summary, income_grand.page)}收入总计{shown(income_grand)}，"
            f"支出总计{shown(expense_grand)}，两者不等",
            (income_grand.page,),
            printed_figures(income_grand, expense_grand),
        )
    if summary is not None:
        left, right = sides(summary)
        for kind, side, names in (("income", left, "收入"), ("expenditure", right, "支出")):
            total = top_total(first.get(kind))
            candidates = [line.top for line in (side.find(YEAR), side.find(GRAND)) if line and line.top]
            if total is None or total.amount is None or not candidates:
                continue
            agreement = [_same(total, c) for c in candidates]
            if None in agreement or any(agreement):
                continue
            table = first[kind]
            said = "，".join(f"{c.printed}" for c in candidates)
            yield Finding(
                "X02",
                "error",
                f"{where(table, total.page)}合计{shown(total)}，"
                f"与{where(summary)}本年{names}合计或{names}总计（{said}）都不相符",
                (total.page, candidates[0].page),
                printed_figures(total, *candidates),
            )
    general = first.get("general_expenditure")
    basic_tables = [
        t
        for t in tables
        if t.kind in ("general_basic", "fiscal_basic") and any(f.classification == "economic" for f in t.facts)
    ]
    basic_in_general = column_total(general, "基本支出")
    for basic in basic_tables[:1]:
        total = top_total(basic)
        if total is None or basic_in_general is None or total.amount is None or basic_in_general.amount is None:
            continue
        if _same(total, basic_in_general) is False and general is not None:
            yield Finding(
                "X02",
                "error",
                f"{where(basic)}基本支出合计{shown(total)}，"
                f"而{where(general, basic_in_general.page)}基本支出为{shown(basic_in_general)}",
                (total.page, basic_in_general.page),
                printed_figures(total, basic_in_general),
            )
    all_spending = top_total(first.get("expenditure"))
    general_total = top_total(general)
    if general is None or all_spending is None or general_total is None:
        return
    if all_spending.amount_yuan is None or general_total.amount_yuan is None:
        return
    if general_total.amount_yuan > all_spending.amount_yuan and _same(general_total, all_spending) is False:
        yield Finding(
            "X02",
            "error",
            f"{where(general, general_total.page)}一般公共预算支出合计{shown(general_total)}，"
            f"大于{where(first['expenditure'], all_spending.page)}全部支出合计{shown(all_spending)}",
            (general_total.page, all_spending.page),
            printed_figures(general_total, all_spending),
        )


rule("X03", "error", "同一功能科目在各表中名称和金额相同")
def code_agreement(tables: Sequence[FoundTable]) -> Iterator[Finding]:
    """X03: a functional code has one name everywhere, and one amount in tables of the same total."""
    names: dict[str, tuple[str, FoundTable, int]] = {}
    reported: set[str] = set()
    for table in tables:
        if table.kind not in ("income", "expenditure", "general_expenditure", "fiscal_expenditure"):
            continue
        for line in lines_of(table):
            if not line.code or not line.item or len(line.code) not in (3, 5, 7):
                continue
            seen = names.get(line.code)
            if seen is None:
                names[line.code] = (line.item, table, line.page)
                continue
            name, other, page = seen
            short, long = sorted((_bare(name), _bare(line.item)), key=len)
            if not long.startswith(short) and line.code not in reported:
                reported.add(line.code)
                yield Finding(
                    "X03",
                    "warning",
                    f"科目{line.code}在{where(other, page)}名为“{name}”，在{where(table, line.page)}名为“{line.item}”",
                    tuple(sorted({page, line.page})),
                )
    first = first_of_kind(tables)
    for a, b in (("expenditure", "general_expenditure"), ("income", "expenditure")):
        yield from _same_amounts(first.get(a), first.get(b))


# The scope a table's 类 lines are in, and which column of a summary table is in that scope.
# (Spending only: a 收入表's 类 lines are income, which carry-overs make differ from spending.)
_CODED_SCOPES = {"expenditure": "全部资金", "general_expenditure": "一般公共预算"}
_SUMMARY_COLUMNS: dict[str, dict[str, str | None]] = {
    "summary": {"全部资金": None},  # the 支出 side's own figure
    "fiscal_summary": {"一般公共预算": "一般公共预算"},  # its 一般公共预算 column
}


rule("X07", "warning", "收支总表中各功能类的金额与分科目表中该类的金额相同")
def summary_classes(tables: Sequence[FoundTable]) -> Iterator[Finding]:
    """X07: "八、社会保障和就业支出 326.71" in the 收支总表, 208 社会保障和就业支出 326.72 in the 支出表 of the
    same scope. A difference of one unit of the last digit is a hint (each table rounded on its own)."""
    first = first_of_kind(tables)
    coded: dict[tuple[str, str], tuple[Fact, FoundTable]] = {}
    for kind, scope in _CODED_SCOPES.items():
        table = first.get(kind)
        listed = lines_of(table) if table else []
        codes = [line.code for line in listed if line.code]
        if len(codes) != len(set(codes)):
            continue  # each unit of the department listed with its own 类 rows: no department total per 类 here
        for line in listed:
            if line.code and len(line.code) == 3 and line.top is not None and line.top.amount_yuan is not None:
                coded.setdefault((scope, _bare(line.item)), (line.top, first[kind]))
    for kind, columns in _SUMMARY_COLUMNS.items():
        summary = first.get(kind)
        if summary is None:
            continue
        for scope, column in columns.items():
            # Every line, not only the 支出 side: a row printed on one side alone is read as the left one;
            # only spending lines carry a 类's name.
            for line in lines_of(summary):
                mine = line.top if column is None else next(
                    (f for m, f in line.cells.items() if m.split("/")[-1].startswith(column)), None
                )
                other = coded.get((scope, _bare(line.item)))
                if mine is None or other is None or mine.amount_yuan is None:
                    continue
                fact, table = other
                judged = _by_size(mine, fact, "warning")
                if judged is None:
                    continue
                severity, hint = judged
                yield Finding(
                    "X07",
                    severity,
                    f"{line.item}：{where(summary, mine.page)}为{shown(mine)}，"
                    f"{where(table, fact.page)}科目{fact.item_code}为{shown(fact)}{hint}",
                    tuple(sorted({mine.page, fact.page})),
                    printed_figures(mine, fact),
                )


def _bare(name: str) -> str:
    return re.sub(r"[（(].*", "", name)


def _same_amounts(a: FoundTable | None, b: FoundTable | None) -> Iterator[Finding]:
    """When two tables have the same total, each code they share must carry the same amount."""
    if a is None or b is None:
        return
    total_a, total_b = top_total(a), top_total(b)
    if total_a is None or total_b is None or total_a.amount_yuan is None or total_a.amount_yuan != total_b.amount_yuan:
        return
    tops_b = {line.code: line.top for line in lines_of(b) if line.code and line.top is not None}
    for line in lines_of(a):
        other = tops_b.get(line.code) if line.code else None
        mine = line.top
        if other is None or mine is None or mine.amount_yuan is None or other.amount_yuan is None:
            continue
        if mine.amount_yuan != other.amount_yuan and _same(mine, other) is False:
            yield Finding(
                "X03",
                "error",
                f"科目{line.code} {line.item}：{where(a, mine.page)}为{shown(mine)}，"
                f"{where(b, other.page)}为{shown(other)}（两表合计都是{total_a.printed}{total_a.unit or ''}）",
                tuple(sorted({mine.page, other.page})),
                printed_figures(mine, other),
            )


rule("X04", "warning", "机关运行经费不超过公用经费（表中和说明中）")
def running_costs(
    tables: Sequence[FoundTable], stated: Sequence[Fact] = (), broader: int | None = None
) -> Iterator[Finding]:
    """X04: 机关运行经费 is paid from 公用经费, so it cannot exceed it — whether a table or the narrative
    (`stated`) prints it. A document that says its 机关运行经费 also counts project funds (`broader`: the
    page saying so; Jiangsu's 2017 口径) is measured by its own definition: then it is only a hint."""
    running: list[Fact] = []
    for table in tables:
        if table.kind == "agency_running" and (total := top_total(table)) is not None:
            running.append(total)
        if table.kind == "three_public":
            for line in lines_of(table):
                for measure, fact in line.cells.items():
                    if "机关运行经费" in measure and fact.amount is not None:
                        running.append(fact)
    running += stated
    found = (
        (t, label, fact)
        for t in tables
        if t.kind in ("general_basic", "fiscal_basic") and not t.is_empty
        for label, fact in (
            ("公用经费", column_total(t, "公用经费")),
            ("公用经费（商品和服务支出）", column_total(t, "商品和服务支出")),
            ("公用经费（经济分类302）", _public_by_class(t)),
        )
    )
    basic, label, public = next(((t, n, f) for t, n, f in found if f and f.amount_yuan is not None), (None, "", None))
    if public is not None and "+" in public.printed:
        label = "公用经费（经济分类302、310）"
    if public is None or basic is None or public.amount_yuan is None:
        return
    reported: set[Decimal] = set()
    for fact in running:
        if fact.amount_yuan is None or fact.amount_yuan in reported:
            continue
        if fact.amount_yuan > public.amount_yuan and _same(fact, public) is False:
            reported.add(fact.amount_yuan)
            own = f"（第{broader}页说明本年机关运行经费的口径含项目经费，按此口径可以大于基本支出中的公用经费）"
            yield Finding(
                "X04",
                "info" if broader else "warning",
                f"机关运行经费{shown(fact)}（第{fact.page}页）大于{where(basic, public.page)}{label}{shown(public)}"
                + (own if broader else ""),
                tuple(sorted({fact.page, public.page, *((broader,) if broader else ())})),
                printed_figures(fact, public),
            )


def _public_by_class(basic: FoundTable | None) -> Fact | None:
    """公用经费 where the table has no such column: its 302 商品和服务支出 line (and 310 资本性支出, which
    some years count in it: the larger figure never makes a false finding)."""
    if basic is None:
        return None
    tops = {line.code: line.top for line in lines_of(basic) if line.code in ("302", "310") and line.top is not None}
    goods = tops.get("302")
    if goods is None or goods.amount_yuan is None:
        return None
    capital = tops.get("310")
    if capital is None or capital.amount_yuan is None or capital.amount is None or goods.amount is None:
        return goods
    return replace(
        goods,
        printed=f"{goods.printed}+{capital.printed}",
        amount=goods.amount + capital.amount,
        amount_yuan=goods.amount_yuan + capital.amount_yuan,
    )


rule("X05", "error", "绩效目标表中的项目资金不超过项目支出")
def project_funds(tables: Sequence[FoundTable]) -> Iterator[Finding]:
    """X05: no project in a 绩效目标 table has more money than all 项目支出 together."""
    expenditure = next((t for t in tables if t.kind == "expenditure"), None)
    projects = column_total(expenditure, "项目支出")
    if projects is None or projects.amount_yuan is None or expenditure is None:
        return
    for table in tables:
        if table.kind != "performance_project":
            continue
        for line in lines_of(table):
            for measure, fact in line.cells.items():
                if fact.amount is None or not re.search(r"资金总额|项目金额|预算金额", measure):
                    continue
                unit = "万元" if "万元" in measure else "元"
                if to_yuan(fact.amount, unit) > projects.amount_yuan + 100:
                    yield Finding(
                        "X05",
                        "error",
                        f"{where(table, fact.page)}项目“{line.item}”资金{fact.printed}{unit}，"
                        f"超过{where(expenditure, projects.page)}项目支出合计{shown(projects)}",
                        (fact.page, projects.page),
                        printed_figures(fact, projects),
                    )


MONEY_DECIMALS = 2  # 元 to the 分, 万元 to the 百元: what budget tables print


rule("T05", "warning", "表中金额的小数不超过单位允许的两位（元到分，万元到百元）")
def excess_decimals(tables: Sequence[FoundTable]) -> Iterator[Finding]:
    """T05: "355.3466" in a 万元 table: more digits than the unit is printed to (a figure pasted from
    another unit, or a formula's unrounded result)."""
    for table in tables:
        odd = [
            f
            for f in table.facts
            if f.unit in ("元", "万元") and f.amount is not None and decimals(f.printed) > MONEY_DECIMALS
        ]
        if not odd:
            continue
        examples = "、".join(dict.fromkeys(f"{f.item_name or f.item}{f.printed}" for f in odd[:3]))
        more = f"等{len(odd)}处" if len(odd) > 3 else ""
        unit = odd[0].unit
        yield Finding(
            "T05",
            "warning",
            f"{where(table, odd[0].page)}以{unit}为单位，却印出{examples}{more}，小数超过两位",
            tuple(sorted({f.page for f in odd})),
            printed_figures(*odd),
        )


_SHARE_COLUMN = re.compile(r"占比|比重|%|％")
_CHANGE_COLUMN = re.compile(r"增减|变动|差额|增长|比上年|结余|结转")


rule("T06", "error", "表中占比在0到100%之间，金额没有负数")
def out_of_range(tables: Sequence[FoundTable]) -> Iterator[Finding]:
    """T06: a share column over 100% or below 0 (error); a negative amount where no change, balance or
    carry-over is meant (warning: some tables do print a negative balance)."""
    for table in tables:
        shares = [f for f in table.facts if f.amount is not None and _SHARE_COLUMN.search(f.measure)]
        wrong = [f for f in shares if f.amount is not None and not 0 <= f.amount <= 100]
        if wrong:
            first = wrong[0]
            yield Finding(
                "T06",
                "error",
                f"{where(table, first.page)}{first.item_name or first.item}的{first.measure}为{first.printed}，"
                f"占比应在0到100之间" + (f"；另有{len(wrong) - 1}处" if len(wrong) > 1 else ""),
                tuple(sorted({f.page for f in wrong})),
                printed_figures(*wrong),
            )
        negative = [
            f
            for f in table.facts
            if f.amount is not None
            and f.amount < 0
            and f not in shares
            and not _CHANGE_COLUMN.search(f.measure + f.item_name)
        ]
        if negative:
            first = negative[0]
            yield Finding(
                "T06",
                "warning",
                f"{where(table, first.page)}{first.item_name or first.item}（{first.measure}）为负数{first.printed}"
                + (f"；另有{len(negative) - 1}处" if len(negative) > 1 else ""),
                tuple(sorted({f.page for f in negative})),
                printed_figures(*negative),
            )


_SPLIT_KINDS = ("expenditure", "general_expenditure", "fiscal_expenditure", "general_basic", "fiscal_basic")
_SPLITS = ("基本支出", "项目支出", "人员经费", "公用经费")


rule("X09", "error", "同一口径（合计相同）的各表，基本/项目、人员/公用的划分相同")
def same_splits(tables: Sequence[FoundTable]) -> Iterator[Finding]:
    """X09: two tables with the same total split it the same way: 基本支出 and 项目支出, 人员经费 and 公用经费.
    (The same total is what says they are of one scope; a difference of one unit of the last digit is a hint.)"""
    seen: dict[tuple[Decimal, str], tuple[Fact, FoundTable]] = {}
    reported: set[str] = set()
    for table in tables:
        if table.kind not in _SPLIT_KINDS or table.is_empty:
            continue
        total = top_total(table)
        if total is None or total.amount_yuan is None:
            continue
        for name in _SPLITS:
            mine = column_total(table, name)
            if mine is None or mine.amount_yuan is None:
                continue
            earlier = seen.setdefault((total.amount_yuan, name), (mine, table))
            fact, other = earlier
            if other is table or name in reported or fact.amount_yuan is None:
                continue
            judged = _by_size(mine, fact, "error")
            if judged is None:
                continue
            reported.add(name)
            severity, hint = judged
            yield Finding(
                "X09",
                severity,
                f"合计同为{shown(total)}的两表，{name}在{where(other, fact.page)}为{shown(fact)}，"
                f"在{where(table, mine.page)}为{shown(mine)}{hint}",
                tuple(sorted({fact.page, mine.page})),
                printed_figures(fact, mine),
            )


def check_tables(tables: Sequence[FoundTable]) -> list[Finding]:
    collector = Collector()
    income_grand = expense_grand = None
    for table in tables:
        if table.is_empty:
            continue
        lines = lines_of(table)
        if table.kind in NESTED_KINDS:
            column_sums(table, lines, collector)
            code_sums(table, lines, collector)
        if table.kind == "three_public":
            three_public_sums(table, collector)
        if table.kind in ("summary", "fiscal_summary"):
            grands = summary_sums(table, collector)
            if table.kind == "summary" and income_grand is None:
                income_grand, expense_grand = grands
    findings = collector.findings()
    findings += excess_decimals(tables)
    findings += out_of_range(tables)
    findings += same_splits(tables)
    findings += cross_totals(tables, income_grand, expense_grand)
    findings += code_agreement(tables)
    findings += summary_classes(tables)
    findings += project_funds(tables)
    return findings
