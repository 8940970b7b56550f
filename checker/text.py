"""Completeness and the text itself: required tables and sections, names, years, wording."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from checker.figures import NUMBER, amount_of
from checker.findings import Finding, rule
from checker.tables import three_public_figures
from ingest.identify import BODY_LABELS, Identity
from ingest.kinds import TABLE_KINDS
from ingest.numbers import normalize
from ingest.pdf import is_contents
from ingest.tables import FoundTable


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    has_tables: bool


# Kinds every budget and final account publishes (an empty one is printed empty, not left out).
REQUIRED_KINDS: tuple[tuple[str, ...], ...] = (
    ("summary",),
    ("income",),
    ("expenditure",),
    ("fiscal_summary",),
    ("general_expenditure",),
    ("general_basic", "fiscal_basic"),
    ("gov_fund",),
    ("three_public",),
)
_KIND_NAMES = {kind: name for kind, name, _ in TABLE_KINDS}
_KIND_PATTERNS = {kind: pattern for kind, _, pattern in TABLE_KINDS}
SECTIONS: tuple[tuple[str, str], ...] = (
    ("“三公”经费", r"三公"),
    ("机关运行经费", r"机关运行经费"),
    ("政府采购", r"政府采购"),
    ("绩效", r"绩效"),
    ("国有资产", r"国有资产|资产占用|资产占有|固定资产|车辆|公务用车"),
)
BODY_SIMILAR = 80  # a misspelt body name ("计自中建安区…" for 许昌市建安区…) is this close to the real one
_BODY_LINE = re.compile(rf"(?:{BODY_LABELS})[:：]\s*([^\s:：]{{4,40}})")
_SELF_COMPARED = re.compile(
    r"(?:与|比|较)(20\d\d)年度?(?:相比|比较|对比)?(?=[，,]?(?:增加|减少|增长|下降|持平|预算|一般|“|\"|政府|收入|支出|三公|基本|项目|相比))"
)
_DOUBLED = re.compile(r"(增加|减少|增长|下降|支出|收入|经费|预算|万元|其中)\1")
_ZERO_BUDGET = re.compile(r"年初预算(?:数)?(?:为)?0(?:\.0+)?万?元")
_OF_BUDGET = re.compile(r"完成年初预算的?(\d+(?:\.\d+)?)%")
_WRONG_EDITION = {
    "部门": re.compile(r"单位(?:预算|决算|收支|收入|支出|财务)"),
    "单位": re.compile(r"部门(?:预算|决算|收支|收入|支出|财务)"),
}


rule(
    "C01",
    "error",
    "必备表齐全（收支总表、收入总表、支出总表、财政拨款收支总表、一般公共预算支出表、基本支出表、政府性基金表、“三公”经费表）："
    "目录列出而正文没有为错误；目录没有列出只作提示，没有目录为警告",
)
rule("C02", "warning", "必备说明齐全（“三公”经费、机关运行经费、政府采购、绩效、国有资产）")
def completeness(tables: Sequence[FoundTable], pages: Sequence[PageText]) -> Iterator[Finding]:
    """C01: each required table was found; C02: each required narrative section is there."""
    kinds = {t.kind for t in tables}
    body_pages = [p for p in pages if not is_contents(p.text)]
    contents_pages = [p for p in pages if is_contents(p.text)]
    listing = [
        p for p in contents_pages if any(re.search(_KIND_PATTERNS[c[0]], normalize(p.text)) for c in REQUIRED_KINDS)
    ]
    incomplete = bool(listing) and not kinds - {"other"}
    if incomplete:
        # A narrative whose 目录 lists tables and that holds none: its tables are a file of their own
        # (published apart, or failed): the document is incomplete, which is no finding against it.
        number = listing[0].number
        yield Finding(
            "C01",
            "warning",
            f"目录（第{number}页）列出了表格，但这份文件中一张表也没有：表格多半另成一个文件发布、尚未导入，"
            "文档不完整，目录所列的表没有核对",
            (number,),
        )
    for choice in () if incomplete else REQUIRED_KINDS:
        if kinds.intersection(choice):
            continue
        kind = choice[0]
        name = _KIND_NAMES[kind]
        pattern = re.compile(_KIND_PATTERNS[kind])
        titled = [
            p.number
            for p in body_pages
            if any(pattern.search(normalize(line)) and normalize(line).endswith("表") for line in p.text.split("\n"))
        ]
        if titled:
            yield Finding(
                "C01", "info", f"第{titled[0]}页有{name}的标题，但没有读出表格，无法核对其中数字", (titled[0],)
            )
            continue
        listed = [p.number for p in contents_pages if pattern.search(normalize(p.text))]
        if listed:
            yield Finding("C01", "error", f"目录（第{listed[0]}页）列出{name}，正文中没有这张表", (listed[0],))
        elif contents_pages:
            # The document's own 目录 does not list it: its province's template may not print this table
            # on its own (深圳 puts 基本支出 by economic class in 一般公共预算支出表（按经济分类）).
            number = contents_pages[0].number
            yield Finding("C01", "info", f"目录（第{number}页）没有列出{name}，文档中也没有这张表", (number,))
        else:
            yield Finding(
                "C01", "warning", f"文档中没有{name}（也没有目录可查是否应有）", (pages[0].number if pages else 1,)
            )
    narrative = [p for p in body_pages if not p.has_tables]
    if not narrative:
        yield Finding("C02", "warning", "文档只有表格，没有情况说明", (pages[0].number if pages else 1,))
        return
    text = "".join(normalize(p.text) for p in narrative)
    for name, wording in SECTIONS:
        if not re.search(wording, text):
            yield Finding("C02", "warning", f"情况说明中没有关于{name}的说明", (narrative[0].number,))


rule("S01", "error", "说明没有拿本年与本年相比")
def self_comparison(pages: Sequence[PageText], identity: Identity) -> Iterator[Finding]:
    """S01: a budget compares its year with the year before, never with itself."""
    if identity.phase != "预算" or identity.year is None:
        return
    for page in pages:
        if page.has_tables:
            continue
        flat = normalize(page.text)
        hits = [m for m in _SELF_COMPARED.finditer(flat) if int(m.group(1)) == identity.year]
        if hits:
            excerpt = flat[max(hits[0].start() - 12, 0) : hits[0].end() + 12]
            more = f"（本页共{len(hits)}处）" if len(hits) > 1 else ""
            yield Finding(
                "S01",
                "error",
                f"第{page.number}页“…{excerpt}…”{more}：{identity.year}年预算与{identity.year}年相比，"
                f"应为与上年（{identity.year - 1}年）相比",
                (page.number,),
            )


rule("S02", "warning", "单位名称前后一致")
def body_names(pages: Sequence[PageText], identity: Identity) -> Iterator[Finding]:
    """S02: the body's name is spelled one way on the cover, in table headers and in the text; a header
    that drops part of the place names another body (an error)."""
    body = identity.body
    bare = body.removeprefix(identity.region)
    variants: dict[str, list[int]] = {}
    others: dict[str, list[int]] = {}
    for page in pages:
        for match in _BODY_LINE.finditer(normalize(page.text)):
            # With spaces gone, the name runs into what follows it ("…管理局单位:万元", "…管理局项目名称"):
            # the name is the stretch as long as the body's, give or take two characters, closest to it.
            printed = re.sub(r"(金额单位.*|[（(].*)$", "", match.group(1))
            if printed.startswith(body) or body.endswith(printed):
                continue
            at = printed.find(bare) if bare != body and len(bare) >= 3 else -1
            if at >= 0:
                place = printed[:at]
                if place and not identity.region.endswith(place) and identity.region.startswith(place):
                    # "上海市规划和自然资源局" in a document of 上海市普陀区规划和自然资源局: the district
                    # dropped, the name is that of another (the city's) body
                    others.setdefault(place + bare, []).append(page.number)
                if not place or identity.region.endswith(place) or identity.region.startswith(place):
                    continue
            lengths = range(max(2, len(body) - 2), min(len(printed), len(body) + 2) + 1)
            scored = [(fuzz.ratio(printed[:n], body), -abs(n - len(body)), printed[:n]) for n in lengths]
            if not scored:
                continue
            score, _, name = max(scored)
            if name != body and score >= BODY_SIMILAR:
                variants.setdefault(name, []).append(page.number)
    for name, numbers in variants.items():
        shown = "、".join(str(n) for n in sorted(set(numbers))[:5])
        yield Finding("S02", "warning", f"第{shown}页写作“{name}”，封面为“{body}”", tuple(sorted(set(numbers))))
    for name, numbers in others.items():
        shown = "、".join(str(n) for n in sorted(set(numbers))[:5])
        dropped = identity.region.removeprefix(name.removesuffix(bare))  # "普陀区"
        yield Finding(
            "S02",
            "error",
            f"第{shown}页写作“{name}”，封面为“{body}”：少了“{dropped}”，写成了另一个单位的名称",
            tuple(sorted(set(numbers))),
        )


rule("S03", "warning", "部门预算与单位预算的称谓相符")
def edition_wording(tables: Sequence[FoundTable], identity: Identity) -> Iterator[Finding]:
    """S03: a 部门 edition's tables say 部门, a 单位 edition's say 单位."""
    wrong = _WRONG_EDITION.get(identity.edition)
    if wrong is None:
        return
    # "部门预算经济分类" names the classification, not the edition.
    plain = {id(t): re.sub(r"部门预算(支出)?经济分类", "", normalize(t.title)) for t in tables}
    titles = [t for t in tables if wrong.search(plain[id(t)])]
    if titles:
        first = titles[0]
        said = wrong.findall(plain[id(first)])[-1]
        more = f"等{len(titles)}张表" if len(titles) > 1 else ""
        yield Finding(
            "S03",
            "warning",
            f"这是{identity.edition}{identity.phase}，但《{first.title}》（第{first.pages[0]}页）{more}的标题用了“{said}”",
            tuple(t.pages[0] for t in titles),
        )


rule("S04", "info", "说明中没有重复的词")
def doubled_words(pages: Sequence[PageText]) -> Iterator[Finding]:
    """S04: "增加增加" and the like."""
    for page, _, flat in _narrative_lines(pages):
        for match in _DOUBLED.finditer(flat):
            excerpt = flat[max(match.start() - 10, 0) : match.end() + 10]
            yield Finding("S04", "info", f"第{page.number}页“…{excerpt}…”中“{match.group(1)}”重复", (page.number,))


def _narrative_lines(pages: Sequence[PageText]) -> Iterator[tuple[PageText, str, str]]:
    """Each line of the narrative pages, as printed and normalised. Line by line: a title line ending in
    预算 over a line starting with 预算单位 is no slip."""
    for page in pages:
        if not page.has_tables:
            for line in page.text.split("\n"):
                yield page, line, normalize(line)


# Words a template leaves for the author to choose or fill in.
_LEFTOVER = re.compile(
    r"(增加|增长|上升)[（(](减少|下降|降低)[)）]|(减少|下降|降低)[（(](增加|增长|上升)[)）]|待填写|请填写|此处填写|XX|xx|××"
    r"|(?:增加|减少)持平"
)


rule("S05", "warning", "说明中没有模板残留（“增加（减少）”“XX”“待填写”）")
def template_leftovers(pages: Sequence[PageText]) -> Iterator[Finding]:
    """S05: "与上年相比增加（减少）0万元", "XX单位", "待填写": the template's words, not the author's."""
    for page in pages:
        if page.has_tables:
            continue
        flat = normalize(page.text)
        found = [m for m in _LEFTOVER.finditer(flat)]
        if not found:
            continue
        first = found[0]
        excerpt = flat[max(first.start() - 12, 0) : first.end() + 8]
        words = "、".join(dict.fromkeys(f"“{m.group(0)}”" for m in found))
        count = f"（本页共{len(found)}处）" if len(found) > 1 else ""
        yield Finding(
            "S05",
            "warning",
            f"第{page.number}页“…{excerpt}…”{count}：{words}是模板原文，未按实际情况改写",
            (page.number,),
        )


rule("F01", "warning", "决算数偏离预算数较大时写明原因")
rule("F02", "error", "年初预算为0时不说“完成年初预算的百分之几”")
def final_accounts(tables: Sequence[FoundTable], pages: Sequence[PageText], identity: Identity) -> Iterator[Finding]:
    """F01: a 决算数 far from its 预算数 is explained; F02: no "完成年初预算的X%" of a zero budget."""
    if identity.phase != "决算":
        return
    narrative = "".join(normalize(p.text) for p in pages if not p.has_tables)
    for table in tables:
        if table.kind != "three_public":
            continue
        figures = three_public_figures(table)
        for concept, final in figures.get("决算数", {}).items():
            budget = figures.get("预算数", {}).get(concept)
            if budget is None or budget.amount is None or final.amount is None or budget.amount == 0:
                continue
            rate = final.amount / budget.amount * 100
            if abs(rate - 100) <= 10:
                continue
            explained = re.search(re.escape(concept[:4]) + r"[^。]{0,80}(原因|主要|由于|因)", narrative)
            if not explained:
                yield Finding(
                    "F01",
                    "warning",
                    f"《{table.title}》第{final.page}页{concept}预算数{budget.printed}、决算数{final.printed}，"
                    f"完成{rate:.1f}%，说明中没有写偏离的原因",
                    (final.page,),
                    (budget.printed, final.printed),
                )
    for page in pages:
        flat = normalize(page.text)
        for sentence in re.split(r"[。；]", flat):
            of_budget = _OF_BUDGET.search(sentence)
            if of_budget and _ZERO_BUDGET.search(sentence):
                yield Finding(
                    "F02",
                    "error",
                    f"第{page.number}页：年初预算为0，却写“完成年初预算的{of_budget.group(1)}%”，应为“完成全年预算的…”",
                    (page.number,),
                    (f"{of_budget.group(1)}%",),
                )


_SAID_DIRECTION = re.compile(
    r"决算数?(?:(?P<word>大于|小于|高于|低于|等于)(?P<named>年初|全年)?预算数?"
    r"|与(?P<named_flat>年初|全年)?预算数?(?P<roughly>基本)?(?:持平|一致|相等))"
)
_FINAL = re.compile(rf"支出决算数?为(?P<amount>{NUMBER})万元")
_BUDGET = re.compile(rf"(?P<which>年初|全年)?预算数?为(?P<amount>{NUMBER})万元")


rule("F03", "error", "说明中决算数“大于/小于/持平”预算数的说法与其金额相符")
def final_direction(pages: Sequence[PageText], identity: Identity) -> Iterator[Finding]:
    """F03: "全年预算为52.00万元，支出决算为51.32万元。决算数小于全年预算数": the words match the figures."""
    if identity.phase != "决算":
        return
    for page in pages:
        if page.has_tables:
            continue
        flat = normalize(page.text).replace(" ", "").replace("\n", "")
        for said in _SAID_DIRECTION.finditer(flat):
            before = flat[max(said.start() - 150, 0) : said.start()]
            finals = list(_FINAL.finditer(before))
            if not finals or said.group("roughly"):
                continue  # "基本持平" is a judgement, not a figure
            final = finals[-1]
            named = said.group("named") or said.group("named_flat")
            budgets = [b for b in _BUDGET.finditer(before[: final.start()]) if not named or b["which"] == named]
            if not budgets or before[budgets[-1].end() : final.start()].count("。"):
                continue
            budget, spent = amount_of(budgets[-1]["amount"]), amount_of(final["amount"])
            word = said.group("word") or "持平"
            holds = {"大于": spent > budget, "高于": spent > budget, "小于": spent < budget, "低于": spent < budget}
            if holds.get(word, spent == budget):
                continue
            yield Finding(
                "F03",
                "error",
                f"第{page.number}页“{budgets[-1].group(0)}…{final.group(0)}…{said.group(0)}”："
                f"决算{final['amount']}万元{'等于' if spent == budget else '大于' if spent > budget else '小于'}"
                f"预算{budgets[-1]['amount']}万元",
                (page.number,),
                (budgets[-1]["amount"], final["amount"]),
            )


_TITLE_YEAR = re.compile(r"(20\d\d)\s*年")


rule("S06", "warning", "表格标题中的年度与文档年度相同")
def title_years(tables: Sequence[FoundTable], identity: Identity) -> Iterator[Finding]:
    """S06: a 2025 document's table titled "2024年…预算表" (a table left over from last year's file)."""
    if identity.year is None:
        return
    for table in tables:
        years = {int(y) for y in _TITLE_YEAR.findall(normalize(table.title))}
        if years and identity.year not in years:
            shown_years = "、".join(str(y) for y in sorted(years))
            yield Finding(
                "S06",
                "warning",
                f"{identity.year}年{identity.phase}中的《{table.title}》（第{table.pages[0]}页）标题写的是{shown_years}年",
                (table.pages[0],),
            )


_DOUBLED_MARKS = re.compile(r"([，。；、：])[，。；、：]")
_LONG_PERCENT = re.compile(r"\d+\.\d{3,}%")


rule("S07", "info", "说明中没有重复的标点，百分比不超过两位小数")
def punctuation(pages: Sequence[PageText]) -> Iterator[Finding]:
    """S07: "，，" or "。，" (a deleted word's leftover), "12.345%" (more digits than a share is given to)."""
    for page, line, flat in _narrative_lines(pages):
        for found in (*_DOUBLED_MARKS.finditer(line), *_LONG_PERCENT.finditer(flat)):
            text = found.string
            excerpt = text[max(found.start() - 10, 0) : found.end() + 6].strip()
            what = "标点重复" if found.re is _DOUBLED_MARKS else "百分比超过两位小数"
            yield Finding("S07", "info", f"第{page.number}页“…{excerpt}…”：{what}", (page.number,))


def check_text(tables: Sequence[FoundTable], pages: Sequence[PageText], identity: Identity) -> list[Finding]:
    findings = list(completeness(tables, pages))
    findings += self_comparison(pages, identity)
    findings += body_names(pages, identity)
    findings += edition_wording(tables, identity)
    findings += doubled_words(pages)
    findings += template_leftovers(pages)
    findings += final_accounts(tables, pages, identity)
    findings += final_direction(pages, identity)
    findings += title_years(tables, identity)
    findings += punctuation(pages)
    return findings
