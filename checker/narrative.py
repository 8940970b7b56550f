"""The narrative against the tables, and the arithmetic the narrative does itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial

from checker.figures import (
    NUMBER,
    Line,
    amount_of,
    decimals,
    first_of_kind,
    half_unit,
    lines_of,
    printed_figures,
    shown,
    total_line,
    where,
)
from checker.findings import RULES, Finding, rule
from checker.tables import GRAND, YEAR, running_costs, sides, three_public_figures
from ingest.identify import Identity
from ingest.narrative import Statement
from ingest.numbers import UNIT_FACTORS, normalize
from ingest.tables import Fact, FoundTable

# The wording that must sit right before a figure for the figure to be read as the item's own:
# "基本支出130.34万元", "“三公”经费预算为0.2万元". Looser wording is not checked (no false alarms).
WORDING: dict[str, str] = {
    "收入总计": r"收入总计",
    "支出总计": r"支出总计",
    "收入合计": r"收入合计|本年收入",
    "支出合计": r"(?<!基本)(?<!项目)支出合计|本年支出",
    # "基本支出合计为1208.20万元" (长春) states 基本支出, not the table's 支出合计
    "基本支出": r"(?<!一般公共预算)基本支出(?:合计|小计)?",
    "项目支出": r"项目支出(?:合计|小计)?",
    "一般公共预算支出": r"一般公共预算(财政拨款)?支出",
    "财政拨款收支总计": r"财政拨款收入支出总计|财政拨款收支总计|财政拨款收入总计|财政拨款支出总计",
    "一般公共预算基本支出": r"一般公共预算基本支出",
    # not a narrower group's ("临聘人员经费", "编外人员经费", "在职人员经费", "离退休人员经费"): another item
    "人员经费": r"(?<![聘外遣休职])人员经费",
    "公用经费": r"公用经费",
    "三公经费": r"[“\"]?三公[”\"]?经费",
    "因公出国（境）费": r"因公出国[（(]境[)）]费(用)?",
    "公务接待费": r"公务接待费",
    "公务用车购置及运行费": r"公务用车购置及运行(维护)?费",
    "公务用车购置费": r"公务(用)?车(辆)?购置费",
    "公务用车运行维护费": r"公务用车运行(维护)?费",
    "机关运行经费": r"机关运行经费",
    "政府采购": r"政府采购(预算)?(总额)?",
}
_BETWEEN = re.compile(r"^(?:(?:年初|全年)?(?:预算|决算)?(?:数|总额|金额)?(?:为|是|共|合计|安排)?[:：]?)*$")
_OTHER_YEAR = re.compile(r"上年|上一年|去年|以前年度|(20\d\d)年")
_REASON = re.compile(
    r"原因|主要(是|因|由于|用于)|由于|因为|系|用于|增设|调整|新增|取消|压减|节约|按照|根据|减少了|增加了|因"
)
_SENTENCE_END = re.compile(r"(?<=[。；;！!])")
_SUBJECT_MARK = re.compile(r"[（(](类|款|项)[)）]")
AMOUNT_UNITS = frozenset({"元", "万元", "亿元"})


def _yuan(value: Decimal, unit: str) -> Decimal:
    return value * UNIT_FACTORS[unit]


class Anchors:
    """Where each narrative item's figure is printed in the tables (every acceptable reading)."""

    def __init__(self, tables: Sequence[FoundTable]) -> None:
        self.tables = tables
        self.first = first_of_kind(tables)
        three = self.first.get("three_public")
        self.three_public = three_public_figures(three) if three else {}
        self.finders: dict[str, Callable[[], list[Fact]]] = {
            "收入总计": lambda: self._side(0, GRAND),
            "支出总计": lambda: self._side(1, GRAND),
            "收入合计": lambda: self._side(0, YEAR) + self._total("income"),
            "支出合计": lambda: self._side(1, YEAR) + self._total("expenditure"),
            "基本支出": lambda: (
                self._column("expenditure", "基本支出")
                + self._column("general_expenditure", "基本支出")
                + self._basic_total()
            ),
            "项目支出": lambda: (
                self._column("expenditure", "项目支出") + self._column("general_expenditure", "项目支出")
            ),
            "一般公共预算支出": lambda: self._total("general_expenditure"),
            "财政拨款收支总计": self._fiscal_grand,
            "一般公共预算基本支出": lambda: self._basic_total() + self._column("general_expenditure", "基本支出"),
            "人员经费": lambda: self._basic_column("人员经费"),
            "公用经费": lambda: self._basic_column("公用经费"),
            "机关运行经费": self._running,
            "政府采购": lambda: self._total("procurement"),
        }
        for concept in (
            "三公经费",
            "因公出国（境）费",
            "公务接待费",
            "公务用车购置及运行费",
            "公务用车购置费",
            "公务用车运行维护费",
        ):
            self.finders[concept] = partial(self._three_public, concept)

    def of(self, item: str) -> list[Fact]:
        finder = self.finders.get(item)
        return [f for f in finder() if f is not None] if finder else []

    def _lines(self, kind: str) -> list[Line]:
        table = self.first.get(kind)
        return lines_of(table) if table else []

    def _side(self, index: int, names: Sequence[str]) -> list[Fact]:
        table = self.first.get("summary")
        if table is None:
            return []
        line = sides(table)[index].find(names)
        return [line.top] if line and line.top else []

    def _fiscal_grand(self) -> list[Fact]:
        table = self.first.get("fiscal_summary")
        if table is None:
            return []
        found = [side.find((*GRAND, "收入合计", "支出合计")) for side in sides(table)]
        return [line.top for line in found if line and line.top]

    def _total(self, kind: str) -> list[Fact]:
        line = total_line(self._lines(kind))
        return [line.top] if line and line.top else []

    def _column(self, kind: str, name: str) -> list[Fact]:
        line = total_line(self._lines(kind))
        if line is None:
            return []
        return [f for m, f in line.cells.items() if m.split("/")[0] == name or m.split("/")[-1] == name][:1]

    def _basic_tables(self) -> list[FoundTable]:
        return [
            t
            for t in self.tables
            if t.kind in ("general_basic", "fiscal_basic") and any(f.classification == "economic" for f in t.facts)
        ]

    def _basic_total(self) -> list[Fact]:
        out = []
        for table in self._basic_tables():
            line = total_line(lines_of(table))
            if line and line.top:
                out.append(line.top)
        return out

    def _basic_column(self, name: str) -> list[Fact]:
        out = []
        for table in self._basic_tables():
            line = total_line(lines_of(table))
            if line:
                out += [f for m, f in line.cells.items() if m.split("/")[-1] == name]
        return out

    def _running(self) -> list[Fact]:
        out = self._total("agency_running")
        for line in self._lines("three_public"):
            out += [f for m, f in line.cells.items() if "机关运行经费" in m]
        return out

    def _three_public(self, concept: str) -> list[Fact]:
        return [figures[concept] for figures in self.three_public.values() if concept in figures]


def _readings(facts: list[Fact], gap: str, phase: str) -> list[Fact]:
    """In final accounts "年初预算为X" is the 预算数 and "决算为X" the 决算数; tables print either."""
    if phase != "决算":
        return facts
    if "预算" in gap:
        return [f for f in facts if "预算" in f.measure]
    return [f for f in facts if "预算" not in f.measure]


def attributed_item(statement: Statement) -> tuple[str, str] | None:
    """The item whose own wording stands right before the figure ("基本支出130.34万元"), and the
    words between them ("预算为", "决算为", "").

    The most specific wording wins (财政拨款收入支出总计 over 支出总计). None when no item's
    wording is close enough: such a figure is not checked.
    """
    at = statement.sentence.find(statement.printed)
    if at < 0:
        return None
    before = statement.sentence[:at]
    best: tuple[int, str, str] | None = None
    for item, pattern in WORDING.items():
        matches = list(re.finditer(pattern, before))
        gap = before[matches[-1].end() :] if matches else ""
        if matches and _BETWEEN.match(gap):
            length = matches[-1].end() - matches[-1].start()
            if best is None or length > best[0]:
                best = (length, item, gap)
    return (best[1], best[2]) if best else None


def _clause_before(statement: Statement) -> str:
    at = statement.sentence.find(statement.printed)
    before = statement.sentence[: max(at, 0)]
    return re.split(r"[，,；;。]", before)[-1]


def _mentions_other_year(clause: str, year: int | None) -> bool:
    for match in _OTHER_YEAR.finditer(clause):
        if match.group(1) is None or year is None or int(match.group(1)) != year:
            return True
    return False


def _close(stated: Decimal, places: int, unit: str, fact: Fact) -> bool:
    if fact.amount_yuan is None:
        return False
    tolerance = _yuan(Decimal(1).scaleb(-places) / 2, unit)
    return abs(_yuan(stated, unit) - fact.amount_yuan) <= tolerance


rule("N01", "error", "说明中的金额与表中数字相符")
rule("N02", "error", "说明中的金额单位（元、万元）与表中数字相符")
def against_tables(
    statements: Sequence[Statement], tables: Sequence[FoundTable], identity: Identity
) -> Iterator[Finding]:
    """N01 and N02: a figure the narrative states for an item is one the tables print for it."""
    anchors = Anchors(tables)
    everything = {item: anchors.of(item) for item in anchors.finders}
    reported: set[tuple[int, str, str]] = set()
    for statement in statements:
        if statement.measure != "amount" or statement.unit not in AMOUNT_UNITS:
            continue
        attributed = attributed_item(statement)
        if attributed is None or _mentions_other_year(_clause_before(statement), identity.year):
            continue
        if _SUBJECT_MARK.search(statement.sentence[: max(statement.sentence.find(statement.printed), 0)]):
            continue  # "社会保障和就业支出（类）…（款）：预算支出合计X": a 科目's amount, not the total
        item, gap = attributed
        readings = _readings(everything.get(item, []), gap, identity.phase)
        candidates = [f for f in readings if f.amount_yuan is not None]
        if not candidates:
            continue
        places = decimals(statement.printed.rstrip("万亿元"))
        if any(_close(statement.value, places, statement.unit, f) for f in candidates):
            continue
        key = (statement.page, item, statement.printed)
        if key in reported:
            continue
        reported.add(key)
        table_fact = candidates[0]
        table = next(t for t in tables if table_fact in t.facts)
        said = f"第{statement.page}页说明写“{item}{statement.printed}”"
        printed = f"{where(table, table_fact.page)}为{shown(table_fact)}"
        pages = tuple(sorted({statement.page, table_fact.page}))
        compared = (statement.printed, table_fact.printed)
        other_unit = "万元" if statement.unit == "元" else "元" if statement.unit == "万元" else None
        if other_unit and any(_close(statement.value, places, other_unit, f) for f in candidates):
            yield Finding("N02", "error", f"{said}，{printed}：单位应为{other_unit}", pages, compared)
            continue
        difference = min(
            abs(_yuan(statement.value, statement.unit) - f.amount_yuan) for f in candidates if f.amount_yuan is not None
        )
        if difference <= 100:
            yield Finding("N01", "info", f"{said}，{printed}，相差不到0.01万元", pages, compared)
            continue
        same_as = _same_as(statement, item, everything)
        hint = f"；这个数与{same_as}相同" if same_as else ""
        if same_as and item.endswith(same_as) and item != same_as:
            # "一般公共预算基本支出" stated with the all-funds 基本支出: the figure is right, its scope is not.
            hint = f"；这个数是全部资金的{same_as}，口径不是{item.removesuffix(same_as)}"
        yield Finding("N01", "error", f"{said}，{printed}{hint}", pages, compared)


def _same_as(statement: Statement, item: str, everything: dict[str, list[Fact]]) -> str | None:
    """Another item whose table figure the stated figure equals (the usual slip: the wrong line copied)."""
    places = decimals(statement.printed.rstrip("万亿元"))
    same = [
        other
        for other, facts in everything.items()
        if other != item and any(_close(statement.value, places, statement.unit, f) for f in facts)
    ]
    # Name the sibling of the same kind first: a 支出 figure copied from another 支出 line.
    same.sort(key=lambda other: item[-2:] not in other)
    return same[0] if same else None


_SUBJECT_ITEM = re.compile(
    r"(?:(?P<cls>[\u4e00-\u9fff、]{2,20})\((?P<cls_code>\d{3})?类\))?"
    r"(?P<kuan>[\u4e00-\u9fff、()]{2,30}?)\((?P<kuan_code>\d{2})?款\)"
    r"(?P<xiang>[\u4e00-\u9fff、()]{2,30}?)\((?P<xiang_code>\d{2})?项\)"
    r"[”\"]?(?:支出|预算|为|安排|:)*(?P<amount>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|元)"
)
SUBJECT_KINDS = ("general_expenditure", "fiscal_expenditure", "gov_fund", "state_capital", "expenditure")


def _subject_lines(tables: Sequence[FoundTable]) -> list[Line]:
    """Lines of the tables that list spending by functional code, with 7-digit (项) codes."""
    first = first_of_kind(tables)
    return [line for kind in SUBJECT_KINDS if kind in first for line in lines_of(first[kind]) if line.code]


def _subject_matches(found: re.Match[str], lines: Sequence[Line]) -> list[Line]:
    """The 项 lines a "X（类）Y（款）Z（项）" names: by its printed codes, or by the 款 and 项 names."""
    if found["cls_code"] and found["kuan_code"] and found["xiang_code"]:
        code = found["cls_code"] + found["kuan_code"] + found["xiang_code"]
        return [line for line in lines if line.code == code]
    by_code = {line.code: line for line in lines if line.code}
    out = []
    for line in lines:
        code = line.code or ""
        kuan = by_code.get(code[:5])
        if len(code) != 7 or kuan is None or normalize(line.item) != found["xiang"]:
            continue
        if normalize(kuan.item) != found["kuan"]:
            continue
        cls = by_code.get(code[:3])
        if found["cls"] and cls is not None and normalize(cls.item) != found["cls"]:
            continue
        out.append(line)
    return out


rule("N07", "error", "说明中逐项列出的科目（类、款、项）金额与表中该科目相符")
def itemised_subjects(pages: dict[int, str], tables: Sequence[FoundTable]) -> Iterator[Finding]:
    """N07: "行政运行（项）1,623.18万元" in the 编制说明 is the amount the tables print for that 项."""
    lines = _subject_lines(tables)
    if not lines:
        return
    for number, text in sorted(pages.items()):
        flat = normalize(text)
        for found in _SUBJECT_ITEM.finditer(flat):
            matched = [line for line in _subject_matches(found, lines) if line.top and line.top.amount_yuan is not None]
            if not matched:
                continue
            printed = found["amount"]
            value = Decimal(printed.replace(",", ""))
            facts = [line.top for line in matched if line.top]
            if any(_close(value, decimals(printed), found["unit"], f) for f in facts):
                continue
            stated = _yuan(value, found["unit"])
            difference = min(abs(stated - f.amount_yuan) for f in facts if f.amount_yuan is not None)
            printed_in = "，".join(
                dict.fromkeys(f"{where(line.table, line.top.page)}为{shown(line.top)}" for line in matched if line.top)
            )
            line = matched[0]
            said = found.group(0)[-60:].replace("”", "").replace('"', "")
            message = f"第{number}页说明写“{said}”，科目{line.code} {line.item}在{printed_in}"
            pages_cited = tuple(sorted({number, *(f.page for f in facts)}))
            compared = (printed, *printed_figures(*facts))
            if difference <= 100:
                yield Finding("N07", "info", f"{message}，相差不到0.01万元", pages_cited, compared)
            else:
                yield Finding("N07", "error", message, pages_cited, compared)


rule("N03", "warning", "说明中的占比与其金额相符")
def shares(statements: Sequence[Statement]) -> Iterator[Finding]:
    """N03: "基本支出130.34万元，占37%" — the share of the sentence's first total."""
    for sentence, group in _by_sentence(statements):
        amounts: list[Statement] = []
        for statement in group:
            if statement.measure == "amount" and statement.unit in AMOUNT_UNITS:
                amounts.append(statement)
            if statement.measure != "share" or len(amounts) < 2 or "其中" not in sentence:
                continue
            whole, part = amounts[0], amounts[-1]
            if part.item == whole.item or whole.value == 0:
                continue
            computed = _yuan(part.value, part.unit) / _yuan(whole.value, whole.unit) * 100
            p, dp = _yuan(part.value, part.unit), _yuan(half_unit(part.printed), part.unit)
            w, dw = _yuan(whole.value, whole.unit), _yuan(half_unit(whole.printed), whole.unit)
            bounds = ((p - dp) / (w + dw) * 100, (p + dp) / (w - dw) * 100) if w > dw else None
            what = f"第{statement.page}页{_span(sentence, whole.printed, statement.printed)}"
            compared = (whole.printed, part.printed, statement.printed)
            yield from _rate_finding("N03", computed, statement, what, bounds, compared)


rule("N04", "error", "说明中的增长率等于增减额除以上年数")
def growth(statements: Sequence[Statement]) -> Iterator[Finding]:
    """N04: "收入总计355.35万元…增加104.35万元，增长41%" — the rate is change ÷ (this year − change)."""
    for sentence, group in _by_sentence(statements):
        amounts: dict[str, Statement] = {}
        change: Statement | None = None
        for statement in group:
            if statement.measure == "amount" and statement.unit in AMOUNT_UNITS:
                amounts.setdefault(statement.item, statement)
                change = None
            elif statement.measure == "change" and statement.unit in AMOUNT_UNITS:
                change = statement
            elif statement.measure == "percent" and change is not None and _rate_follows(sentence, change, statement):
                base = amounts.get(change.item)
                if base is not None and change.unit == base.unit:
                    last_year = base.value - change.value
                    if last_year == 0 and statement.value != 0:
                        what = f"第{statement.page}页{_span(sentence, base.printed, statement.printed)}"
                        compared = (base.printed, change.printed, statement.printed)
                        message = f"{what}：上年为0，增长率无从计算，应只写增加额"
                        yield Finding("N09", "warning", message, (statement.page,), compared)
                    elif last_year > 0:
                        computed = change.value / last_year * 100
                        what = _span(sentence, base.printed, statement.printed)
                        what = f"第{statement.page}页{what}"
                        bounds = _growth_bounds(
                            base.value, half_unit(base.printed), change.value, half_unit(change.printed)
                        )
                        compared = (base.printed, change.printed, statement.printed)
                        yield from _rate_finding("N04", computed, statement, what, bounds, compared)
                change = None


_GROWTH_WORDS = re.compile(r"^[，,]?\s*(?:同比|比上年)?(?:增长|下降|增幅|降幅|上升|减少|增加)(?:了|为)?\s*$")


def _rate_follows(sentence: str, change: Statement, rate: Statement) -> bool:
    """The rate comes right after the change with only a growth word between ("增加5万元，增长10%")."""
    # The change may be printed like the amount before it ("支出10.23万元，比上年增加10.23万元，增长100%").
    for found in re.finditer(re.escape(change.printed), sentence):
        end = sentence.find(rate.printed, found.end())
        if end >= 0 and _GROWTH_WORDS.match(sentence[found.end() : end]):
            return True
    return False


_TWO_YEARS = re.compile(
    rf"(?P<y1>20\d\d)年[^，。；,;]{{0,14}}?(?:为|是)(?P<a>{NUMBER})万元[，,]"
    rf"(?P<y2>20\d\d)年[^，。；,;]{{0,14}}?(?P<b>{NUMBER})万元[，,]"
    rf"(?:比|较)(?P=y1)年[^，。；,;\d]{{0,14}}?(?P<dir>增加|减少|增长|下降)"
    rf"(?:(?P<c>{NUMBER})万元[，,]?(?:增长|下降|增幅|降幅)?)?(?P<p>\d+(?:\.\d+)?)%"
)


rule("N08", "error", "说明中的增减额等于本年数减上年数")
rule("N09", "warning", "上年为0时不写增长百分比")
rule("N10", "error", "科目标题的金额与其段落中“预算安排”的金额相同")
def two_years(pages: dict[int, str]) -> Iterator[Finding]:
    """N04 and N08 where both years are stated: "2025年…为77.99万元，2026年…91.97万元，比2025年…增加17.66%";
    N09: a growth from 0 has no percentage; N10: the 科目's heading figure is the "预算安排" figure."""
    for number, text in sorted(pages.items()):
        flat = normalize(text)
        rate_before: str | None = None  # the rate the statement before this one printed
        for found in _TWO_YEARS.finditer(flat):
            rate_above: str | None = rate_before
            rate_before = found["p"]
            last, this = amount_of(found["a"]), amount_of(found["b"])
            if int(found["y2"]) != int(found["y1"]) + 1:
                continue
            quoted = f"第{number}页“{found.group(0)}”"
            compared = tuple(found[k] for k in ("a", "b", "c", "p") if found[k] is not None)
            if last == 0:
                yield Finding("N09", "warning", f"{quoted}：上年为0，增长率无从计算，应只写增加额", (number,), compared)
                continue
            heading = _headingamount_of(flat, found.start())
            if heading is not None and amount_of(heading) != this:
                right = _rate_fits(amount_of(heading), last, amount_of(found["p"]), found)
                blame = f"；增长率按标题的{heading}万元算相符，段中的{found['b']}万元有误" if right else ""
                yield Finding(
                    "N10",
                    "error",
                    f"第{number}页科目标题为{heading}万元，段中却写“{found.group(0)}”{blame}",
                    (number,),
                    (heading, found["b"]),
                )
                if right:
                    continue  # the rate is right; the finding above names the wrong figure
            if found["c"] is not None:
                change = amount_of(found["c"])
                places = max(decimals(found[k]) for k in ("a", "b", "c"))
                if abs(abs(this - last) - change) > Decimal(1).scaleb(-places):
                    message = f"{quoted}：两年之差为{abs(this - last)}万元"
                    yield Finding("N08", "error", message, (number,), compared)
            computed = (this - last) / last * 100
            if computed != 0 and (computed > 0) != (found["dir"] in ("增加", "增长")):
                actual = "增加" if computed > 0 else "减少"
                message = f"{quoted}：按这些数是{actual}{abs(computed):.2f}%"
                yield Finding("N04", "error", message, (number,), compared)
                continue
            a, da, b, db = last, half_unit(found["a"]), this, half_unit(found["b"])
            bounds = ((b - db - (a + da)) / (a + da) * 100, (b + db - (a - da)) / (a - da) * 100) if a > da else None
            rate = _Rate(amount_of(found["p"]), found["p"], number)
            for finding in _rate_finding("N04", computed, rate, quoted, bounds, compared):
                if finding.severity == "error" and found["p"] == rate_above:
                    # "职业年金…增加17.66%" right under "养老保险…增加17.66%": the line above's rate copied
                    copied = f"；与上一项写的增长率{rate_above}%相同，像是照抄了上一项"
                    finding = replace(finding, message=finding.message + copied)
                yield finding


# The amount a 科目's heading gives it: "…行政运行(项)”14.62万元" or "住房公积金(01项)208.8万元".
_HEADING = re.compile(rf"[(（]\d*项[)）]”?\s*(?P<amount>{NUMBER})万元")


def _headingamount_of(flat: str, start: int) -> str | None:
    """The heading figure of the 科目 paragraph a sentence at `start` belongs to (within 200 characters)."""
    headings = list(_HEADING.finditer(flat, max(start - 200, 0), start))
    return headings[-1]["amount"] if headings else None


def _rate_fits(this: Decimal, last: Decimal, stated: Decimal, found: re.Match[str]) -> bool:
    """Whether the stated rate is the one `this` gives over `last`, at the printed digits."""
    rate = abs((this - last) / last * 100)
    return abs(rate - stated) <= Decimal(1).scaleb(-decimals(found["p"]))


def _span(sentence: str, first: str, last: str) -> str:
    """The words of a sentence from one printed figure to another, quoted."""
    start = sentence.find(first)
    end = sentence.find(last, start + len(first))
    if start < 0 or end < 0:
        return f"“{sentence}”"
    lead = sentence[max(start - 16, 0) : start]
    return f"“{'…' if start > 16 else ''}{lead}{sentence[start : end + len(last)]}”"


def _growth_bounds(
    this: Decimal, d_this: Decimal, change: Decimal, d_change: Decimal
) -> tuple[Decimal, Decimal] | None:
    """The rates change ÷ (this − change) the printed amounts allow, each off by up to half its last digit
    (0.50 万元 after an increase of 0.10 万元: anything from 0.095 ÷ 0.405 to 0.105 ÷ 0.395). The rate is
    monotonic in each amount, so its extremes lie at the corners."""
    rates = [
        c / (t - c) * 100
        for t in (this - d_this, this + d_this)
        for c in (change - d_change, change + d_change)
        if t - c > 0
    ]
    return (min(rates), max(rates)) if len(rates) == 4 else None


@dataclass(frozen=True)
class _Rate:
    """A rate found by a pattern rather than read as a Statement."""

    value: Decimal
    printed: str
    page: int


def _rate_finding(
    rule: str,
    computed: Decimal,
    rate: Statement | _Rate,
    what: str,
    bounds: tuple[Decimal, Decimal] | None,
    compared: tuple[str, ...],
) -> Iterator[Finding]:
    """A stated rate against the one its figures give. The stated rate is rounded to its printed digits,
    and so are the amounts it comes from: only a rate outside every value they allow (`bounds`) is wrong."""
    stated, printed, page = rate.value, rate.printed, rate.page
    places = decimals(printed.rstrip("%"))
    step = Decimal(1).scaleb(-places)
    if bounds and bounds[0] <= 0 <= bounds[1]:
        # a change printed as 0.00 allows a tiny rise or fall: every size from 0 up is possible
        low, high = Decimal(0), max(abs(bounds[0]), abs(bounds[1]))
    else:
        low, high = sorted(abs(v) for v in bounds) if bounds else (abs(computed), abs(computed))
    said = abs(stated)
    if said + step / 2 + Decimal("0.000001") >= low and said - step / 2 - Decimal("0.000001") <= high:
        return
    difference = min(abs(said - low), abs(said - high))
    rounded = f"{abs(computed):.{places}f}%"
    severity = "info" if difference < step else RULES[rule].severity
    note = "（只差最后一位，可能是舍入方式不同）" if severity == "info" else ""
    yield Finding(rule, severity, f"{what}：按这些数算应为{rounded}{note}", (page,), compared)


def _by_sentence(statements: Sequence[Statement]) -> Iterator[tuple[str, list[Statement]]]:
    group: list[Statement] = []
    for statement in statements:
        if group and (statement.sentence != group[0].sentence or statement.page != group[0].page):
            yield group[0].sentence, group
            group = []
        group.append(statement)
    if group:
        yield group[0].sentence, group


rule("N05", "warning", "说明中的增减写明原因")
def reasons(statements: Sequence[Statement], pages: dict[int, str]) -> Iterator[Finding]:
    """N05: a stated increase or decrease is followed by its reason (within 300 characters)."""
    missing: dict[int, list[str]] = {}
    # All narrative pages as one text: a reason may follow on the next page.
    starts: dict[int, int] = {}
    flat = ""
    for number in sorted(pages):
        starts[number] = len(flat)
        flat += normalize(pages[number])
    for sentence, group in _by_sentence(statements):
        changes = [s for s in group if s.measure == "change" and s.value != 0 and s.unit in AMOUNT_UNITS]
        if not changes:
            continue
        at = flat.find(normalize(sentence)[:20], starts.get(changes[0].page, 0))
        # The reason may follow in the next paragraph ("…增加的主要原因是…"): read on a little.
        following = flat[at : at + len(normalize(sentence)) + 300] if at >= 0 else sentence
        if not _REASON.search(following):
            missing.setdefault(changes[0].page, []).append(_excerpt(sentence, changes[0].printed))
    for page, excerpts in missing.items():
        listed = "；".join(f"“{e}”" for e in excerpts[:3]) + (f"等{len(excerpts)}处" if len(excerpts) > 3 else "")
        yield Finding("N05", "warning", f"第{page}页说了增减，没有写原因：{listed}", (page,))


def _excerpt(sentence: str, printed: str, width: int = 30) -> str:
    at = max(sentence.find(printed), 0)
    start = max(at - width, 0)
    return ("…" if start else "") + sentence[start : at + len(printed)]


rule("N06", "error", "说明中政府采购总额等于货物、工程、服务之和")
def procurement_parts(statements: Sequence[Statement]) -> Iterator[Finding]:
    """N06: 政府采购 X万元，其中货物 a、工程 b、服务 c: X = a + b + c when all three are stated."""
    parts_names = ("政府采购货物", "政府采购工程", "政府采购服务")
    for _, group in _by_sentence(statements):
        amounts = {s.item: s for s in group if s.measure == "amount" and s.unit in AMOUNT_UNITS}
        total = amounts.get("政府采购")
        if total is None or not all(name in amounts for name in parts_names):
            continue
        parts = [amounts[name] for name in parts_names]
        if any(p.unit != total.unit for p in parts):
            continue
        places = max(decimals(s.printed.rstrip("万亿元")) for s in [total, *parts])
        difference = abs(total.value - sum((p.value for p in parts), Decimal(0)))
        if difference <= Decimal(1).scaleb(-places) / 2 * 4:
            continue
        terms = " + ".join(p.printed for p in parts)
        yield Finding(
            "N06",
            "error",
            f"第{total.page}页：政府采购{total.printed}，而货物、工程、服务之和为{terms} = "
            f"{sum((p.value for p in parts), Decimal(0))}{total.unit}",
            (total.page,),
            (total.printed, *(p.printed for p in parts)),
        )


# A document saying its 机关运行经费 is counted another way: "统计口径含单位发展项目经费中商品服务支出",
# "将专项中包含的运行经费统计在这张表中", "项目支出中部分预算开支金额统计在行政运行经费中".
_BROADER_RUNNING = re.compile(r"口径|(?:统计在|纳入)[^。]{0,20}(?:项目|专项)|(?:项目|专项)[^。]{0,30}(?:统计在|纳入)")


def stated_running_costs(
    statements: Sequence[Statement], tables: Sequence[FoundTable], pages: dict[int, str], identity: Identity
) -> Iterator[Finding]:
    """X04 with the narrative's 机关运行经费 too (the sample's 233.6 against 公用经费 8.59)."""
    stated = [
        Fact(s.page, -1, -1, None, s.item, s.item, "narrative", "金额", (), _bare(s), s.value, s.unit, _yuan_of(s))
        for s in statements
        if s.item == "机关运行经费"
        and s.measure == "amount"
        and s.unit in AMOUNT_UNITS
        and not _mentions_other_year(_clause_before(s), identity.year)
    ]
    broader = next((n for n, text in sorted(pages.items()) if _says_broader(normalize(text))), None)
    yield from running_costs(tables, stated, broader)


def _bare(statement: Statement) -> str:
    """The printed figure without its unit ("233.6 万元" → "233.6")."""
    return statement.printed.removesuffix(statement.unit).strip()


def _yuan_of(statement: Statement) -> Decimal:
    return _yuan(statement.value, statement.unit)


def _says_broader(text: str) -> bool:
    """Within 200 characters after a mention of 机关运行经费, words of a changed or wider definition."""
    return any(_BROADER_RUNNING.search(text[m.end() : m.end() + 200]) for m in re.finditer("机关运行经费", text))


# Totals whose change a document states in several places (not one 项, which may share an amount by chance).
_TOTAL_ITEM = re.compile(r"收入|支出|总计|合计|财政拨款|一般公共预算")


_COMPARED = re.compile(
    r"^[，,]?\s*(?:与|比|较)\s*(?:20\d\d\s*年度?)?[^，,。；、\d]{0,14}(?:相比)?[，,]?\s*(?:增加|减少|增长|下降)了?\s*$"
)


def _compared_right_after(sentence: str, base: Statement, change: Statement) -> bool:
    """"X万元，比上年增加Y万元": the change is the amount's, with only a comparison between them."""
    for found in re.finditer(re.escape(base.printed), sentence):
        end = sentence.find(change.printed, found.end())
        if end >= 0 and _COMPARED.match(sentence[found.end() : end]):
            return True
    return False


rule("N11", "warning", "同一金额在说明各处的增减额一致")
def same_amount_changes(statements: Sequence[Statement]) -> Iterator[Finding]:
    """N11: "财政拨款收入37,151.47万元，比上年增加24,558.18万元" and "财政拨款支出37,151.47万元，比上年增加
    24,491.71万元": one total, two changes. Only totals (an item and an economic class may share an amount
    by chance: 政协会议 and 会议费 1,282.56), and a warning: two totals may have the same amount."""
    seen: dict[Decimal, list[tuple[Statement, Statement]]] = {}
    for base, change in _amount_changes(statements):
        if _TOTAL_ITEM.search(base.item) and base.value > 0:
            seen.setdefault(_yuan_of(base), []).append((base, change))
    for pairs in seen.values():
        changes: dict[Decimal, tuple[Statement, Statement]] = {}
        for base, change in pairs:
            changes.setdefault(_yuan_of(change), (base, change))
        if len(changes) < 2:
            continue
        (base_a, a), (base_b, b) = sorted(changes.values(), key=lambda pair: (pair[1].page, _yuan_of(pair[1])))[:2]
        if abs(_yuan_of(a) - _yuan_of(b)) <= _yuan(half_unit(a.printed) + half_unit(b.printed), a.unit):
            continue
        yield Finding(
            "N11",
            "warning",
            f"{_bare(base_a)}{base_a.unit}的增减，第{a.page}页{_excerpt(a.sentence, a.printed)}，"
            f"第{b.page}页{_excerpt(b.sentence, b.printed)}：同一金额，增减额不同",
            tuple(sorted({a.page, b.page})),
            (base_a.printed, a.printed, base_b.printed, b.printed),
        )


_UP = re.compile(r"增加|增长|上升|新增|提高|扩大")
_DOWN = re.compile(r"减少|下降|压减|降低|缩减|节约|压缩|减支|削减")
# "…减少5万元，下降10%。主要原因是人员增加。": the stated direction, then its reason up to the full stop.
_DIRECTION_REASON = re.compile(
    r"(?P<dir>增加|减少|增长|下降|持平)[^。；]{0,30}?[。；，,]\s*(?:其中[^。]*?)?主要原因(?:是|为|:|：)(?P<reason>[^。]{4,80})"
)


rule("N12", "warning", "增减的原因与增减的方向一致")
def reason_direction(pages: dict[int, str]) -> Iterator[Finding]:
    """N12: "减少10万元…主要原因是经费增加", "持平。主要原因：…减少支付": a reason that speaks only of the
    opposite direction (or of a change where none is stated). A warning: the wording carries it."""
    for number, text in sorted(pages.items()):
        flat = normalize(text).replace("\n", "")
        for found in _DIRECTION_REASON.finditer(flat):
            said, reason = found["dir"], found["reason"]
            up, down = bool(_UP.search(reason)), bool(_DOWN.search(reason))
            if said in ("增加", "增长"):
                wrong = down and not up
            elif said in ("减少", "下降"):
                wrong = up and not down
            else:
                wrong = up != down  # 持平 explained by a change one way
            if wrong:
                excerpt = found.group(0)[-70:]
                reasoned = "增加" if up else "减少"
                message = f"第{number}页“…{excerpt}”：说{said}，原因却只说{reasoned}"
                yield Finding("N12", "warning", message, (number,))


_CLASS_CHANGE = re.compile(
    rf"(?P<name>[\u4e00-\u9fff]{{2,12}}?)(?:支出)?[（(]类[)）](?:支出)?(?:预算)?(?:为)?(?P<amount>{NUMBER})万元"
    # "…7,827.46万元，主要用于单位行政运行…等。与上年相比增加1,283.91万元": the change may follow the use.
    rf"(?:[^。]{{0,80}}?。)?[^。]{{0,30}}?(?:与上年相比|比上年)[，,]?(?P<dir>增加|减少)(?P<change>{NUMBER})万元"
)
_CLASS_HEADING = re.compile(r"[（(][一二三四五六七八九十]+[)）](?P<name>[\u4e00-\u9fff]{2,12}?)(?:支出)?[（(]类[)）]")
_ITEM_CHANGE = re.compile(
    rf"[（(]\d*项[)）]”?(?:支出)?(?P<amount>{NUMBER})万元[，,]\s*"
    rf"(?:(?:与上年相比|比上年)[，,]?(?P<dir>增加|减少)(?P<change>{NUMBER})万元"
    rf"|(?P<same>与上年数?(?:一致|持平|相同))|(?P<new>(?:今年|本年)新增))?"
)


rule("N13", "error", "说明中各项（项）的增减额之和等于其所属类的增减额")
def class_changes(pages: dict[int, str]) -> Iterator[Finding]:
    """N13: "一般公共服务（类）支出7,827.46万元…增加1,283.91万元" and, under "（一）一般公共服务支出（类）",
    each 项 with its change ("与上年数一致" is 0, "今年新增" its whole amount); judged only when every 项 listed
    states its change. The direction matters:
    - the 项 listed are the whole 类 (their amounts add up to it): a 类 that rose *less* than its 项 is
      explained by a 项 it had last year and has none of this year (a warning); one that rose *more* is not
      explained by anything (an error);
    - they are not: the part not listed (the 类 less the 项 listed, this year) explains the gap unless the
      gap is an increase larger than that part, which would leave it below zero last year (an error); else
      the gap is said (a hint)."""
    flat = "".join(normalize(pages[n]) for n in sorted(pages)).replace("\n", "").replace(" ", "")
    page_at = _page_offsets(pages)
    stated = {m["name"]: m for m in _CLASS_CHANGE.finditer(flat)}
    headings = list(_CLASS_HEADING.finditer(flat))
    for at, heading in enumerate(headings):
        whole = stated.get(heading["name"])
        if whole is None:
            continue
        end = headings[at + 1].start() if at + 1 < len(headings) else len(flat)
        items = list(_ITEM_CHANGE.finditer(flat, heading.end(), end))
        if not items or any(not (m["dir"] or m["same"] or m["new"]) for m in items):
            continue  # a 项 without its change: the sum cannot be judged
        amounts = [amount_of(m["amount"]) for m in items]
        places = max(decimals(m["amount"]) for m in [*items, whole])
        step = Decimal(1).scaleb(-places)
        unlisted = amount_of(whole["amount"]) - sum(amounts, Decimal(0))
        changes = [_signed(m) for m in items]
        total = sum(changes, Decimal(0))
        said = amount_of(whole["change"]) * (1 if whole["dir"] == "增加" else -1)
        slack = step * len(items)
        gap = said - total
        if abs(gap) <= slack:
            continue
        page = page_at(whole.start())
        listed = " ".join(f"{c:+}" for c in changes)
        said_so = (
            f"第{page}页“{whole.group(0)[-60:]}”，而第{page_at(heading.start())}页起所列各项的增减为{listed}，"
            f"合计{total:+}万元"
        )
        if abs(unlisted) <= slack:  # the 项 listed are the whole 类
            if gap < 0:
                severity = "warning"
                said_so += f"；类比所列各项少增{-gap}万元，可能是上年有、今年没有的项，请核对"
            else:
                severity = "error"
                said_so += f"；类比所列各项多增{gap}万元，所列各项已是类的全部，无从解释"
        elif unlisted > 0 and gap > unlisted + slack:
            severity = "error"
            said_so += f"；未列出的部分今年只有{unlisted}万元，却要比上年增加{gap}万元，上年就成了负数"
        else:
            severity = "info"
            said_so += f"；差额{gap:+}万元应由未列出的部分（今年{unlisted}万元）解释"
        yield Finding(
            "N13",
            severity,
            said_so,
            tuple(sorted({page, page_at(heading.start())})),
            (whole["change"], *(m["change"] or "0" for m in items)),
        )


def _signed(item: re.Match[str]) -> Decimal:
    if item["new"]:
        return amount_of(item["amount"])
    if item["same"]:
        return Decimal(0)
    return amount_of(item["change"]) * (1 if item["dir"] == "增加" else -1)


def _page_offsets(pages: dict[int, str]) -> Callable[[int], int]:
    """Page number of a position in the pages' joined, normalised text."""
    starts: list[tuple[int, int]] = []
    offset = 0
    for number in sorted(pages):
        starts.append((offset, number))
        offset += len(normalize(pages[number]).replace("\n", "").replace(" ", ""))
    return lambda position: max((n for start, n in starts if start <= position), default=min(pages, default=1))


def impossible_increases(statements: Sequence[Statement]) -> Iterator[Finding]:
    """N08 within a sentence: "政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元" — an increase larger
    than this year's amount leaves last year below zero (the change copied from the line before)."""
    for base, change in _amount_changes(statements):
        slack = _yuan(half_unit(base.printed) * 2, base.unit)
        if change.value > 0 and _yuan_of(change) > _yuan_of(base) + slack:
            yield Finding(
                "N08",
                "error",
                f"第{change.page}页“{_excerpt(change.sentence, change.printed, 40)}”：本年{base.printed}，"
                f"比上年增加{change.printed}，上年就成了负数",
                (change.page,),
                (base.printed, change.printed),
            )


def _amount_changes(statements: Sequence[Statement]) -> Iterator[tuple[Statement, Statement]]:
    """Each amount and the change stated right after it in its sentence ("X万元，比上年增加Y万元")."""
    for _, group in _by_sentence(statements):
        amounts: dict[str, Statement] = {}
        for statement in group:
            if statement.unit not in AMOUNT_UNITS:
                continue
            if statement.measure == "amount":
                amounts.setdefault(statement.item, statement)
            elif (
                statement.measure == "change"
                and (base := amounts.get(statement.item)) is not None
                and _compared_right_after(statement.sentence, base, statement)
            ):
                yield base, statement


def check_narrative(
    statements: Sequence[Statement], tables: Sequence[FoundTable], pages: dict[int, str], identity: Identity
) -> list[Finding]:
    findings = list(against_tables(statements, tables, identity))
    findings += stated_running_costs(statements, tables, pages, identity)
    findings += same_amount_changes(statements)
    findings += reason_direction(pages)
    findings += class_changes(pages)
    findings += impossible_increases(statements)
    findings += shares(statements)
    findings += growth(statements)
    findings += reasons(statements, pages)
    findings += procurement_parts(statements)
    findings += itemised_subjects(pages, tables)
    findings += two_years(pages)
    return findings
