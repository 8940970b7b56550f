"""Figures and text facts stated in a document's narrative (情况说明, 概况, 名词解释)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ingest.numbers import normalize, parse_amount
from ingest.pdf import is_contents

# Canonical narrative items, most specific first; the rightmost match before a number names it.
ITEMS: tuple[tuple[str, str], ...] = (
    ("收入总计", r"收入总计|收入总预算|收入预算总计|总收入"),
    ("支出总计", r"支出总计|支出总预算|支出预算总计|总支出"),
    ("收入合计", r"收入合计|本年收入"),
    ("支出合计", r"支出合计|本年支出"),
    ("财政拨款收入", r"财政拨款收入|财政拨款收支|财政拨款"),
    ("一般公共预算收入", r"一般公共预算收入|一般公共预算拨款收入|一般公共预算资金"),
    ("一般公共预算支出", r"一般公共预算支出|一般公共预算收支预算|一般公共预算财政拨款支出"),
    ("一般公共预算基本支出", r"一般公共预算基本支出"),
    ("政府性基金", r"政府性基金预算收入|政府性基金收支预算|政府性基金预算支出|政府性基金"),
    ("国有资本经营预算", r"国有资本经营预算收入|国有资本经营预算支出|国有资本经营预算"),
    ("事业收入", r"事业收入"),
    ("其他收入", r"其他收入"),
    ("上年结转", r"上年结转(结余)?(资金)?"),
    ("基本支出", r"基本支出(合计|小计)?"),  # "基本支出合计为…" is 基本支出, not 支出合计
    ("项目支出", r"项目支出(合计|小计)?"),
    ("人员经费", r"人员经费"),
    ("公用经费", r"日常公用经费|公用经费|部门日常运转经费|日常运转经费"),
    ("三公经费", r"[“\"]?三公[”\"]?经费"),
    ("因公出国（境）费", r"因公出国[（(]境[)）]费(用)?"),
    ("公务用车购置费", r"公务(用)?车(辆)?购置费"),
    ("公务用车运行维护费", r"公务用车运行(维护)?费|运行维护费"),
    ("公务用车购置及运行费", r"公务用车购置及运行(维护)?费|公务用车费"),
    ("公务接待费", r"公务接待费"),
    ("会议费", r"会议费"),
    ("培训费", r"培训费"),
    ("机关运行经费", r"机关运行经费"),
    ("政府采购货物", r"政府采购货物(预算)?|货物类"),
    ("政府采购工程", r"政府采购工程(预算)?|工程类"),
    ("政府采购服务", r"政府采购服务(预算)?|服务类"),
    ("政府采购", r"政府采购(预算)?"),
    ("绩效管理支出", r"纳入预算绩效管理的支出总额|绩效目标管理.{0,6}(资金|金额)"),
    ("车辆", r"车辆|公务用车"),
    ("单价50万元以上通用设备", r"单价\s*50\s*万元以上通用设备"),
    ("单价100万元以上专用设备", r"(单价|单位价值|价值)\s*100\s*万元以上专用设备"),
)
COUNT_ITEMS = {"车辆", "单价50万元以上通用设备", "单价100万元以上专用设备"}
_ITEM_PATTERNS = [(name, re.compile(pattern)) for name, pattern in ITEMS]
_FIGURE = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元|%|辆|名|人|个|台[(（]套[)）]|台|套)")
_SENTENCE_END = re.compile(r"(?<=[。；;！!])")
_CLAUSE_BREAK = re.compile(r"[，,：:；;（(）)、]")
_CHANGE = re.compile(r"增加|减少|增长|下降|上升|降低|持平|增幅|降幅")
_DOWN = re.compile(r"减少|下降|降低|降幅")
_SHARE = re.compile(r"占")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)(.{1,40})$")
_ENUMERATED = re.compile(r"^([(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[一二三四五六七八九十]+、)")
_TERM = re.compile(
    r"^(?:[一二三四五六七八九十\d]+[、.．]|[(（][一二三四五六七八九十\d]+[)）])?\s*([^：:，。]{2,20})[:：]\s*(.{4,})$"
)
_SECTION = re.compile(r"(主要职能|主要职责|机构设置|名词解释|名称解释|人员构成|预算单位构成|编制说明|情况说明)$")
_BARE_TOTAL = re.compile(r"(收入|支出)(?:预算)?(?:增加|减少|增长|下降)")
_TOTALS = {"收入总计", "支出总计", "收入合计", "支出合计"}
_SUBJECT = re.compile(r"([\u4e00-\u9fff]{2,16}(?:[（(][\u4e00-\u9fff]{1,4}[)）])?(?:支出|收入|经费))\s*$")
# Where a document says how it is organised: its internal offices and the units under it.
_ORGANISATION = re.compile(r"内设|下设|下属|所属|直属|派出机构|编制范围|单位构成|股室|处室|科室|机构设置|单位名称")
_STAFFING = re.compile(
    r"(行政编制|事业编制|公务员编制|参公编制|工勤编制|编制|实有人数|在职人数|在职人员|离退休人员|退休人员)"
    r"\s*(\d+)\s*(名|人)"
)


@dataclass(frozen=True)
class Statement:
    page: int
    item: str
    measure: str  # amount | change | percent | share | count
    value: Decimal
    unit: str
    printed: str
    sentence: str


@dataclass(frozen=True)
class TextFact:
    page: int
    kind: str  # duty | unit | staffing | term
    seq: int
    label: str
    text: str


def _paragraphs(text: str) -> str:
    """Lines joined back into paragraphs: the PDF breaks lines (and numbers) where it wraps."""
    return re.sub(r"\s*\n\s*", "", text)


def _item_in(clause: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for name, pattern in _ITEM_PATTERNS:
        for match in pattern.finditer(clause):
            key = (match.end(), match.end() - match.start(), name)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def _bare_total(clause: str, previous: str | None) -> str | None:
    """ "收入增加…" names the total it follows, unless the sentence is about one source of funds."""
    bare = _BARE_TOTAL.search(clause)
    if bare is None:
        return previous
    word = bare.group(1)
    if previous and (word in previous or previous not in _TOTALS):
        return previous
    return f"{word}总计"


def _sentences(text: str) -> Iterator[str]:
    for sentence in _SENTENCE_END.split(_paragraphs(normalize_keep_punct(text))):
        if sentence.strip():
            yield sentence.strip()


def normalize_keep_punct(text: str) -> str:
    """Half-width digits and letters, but Chinese punctuation kept for splitting sentences."""
    return "".join(normalize(ch) if ch.isdigit() or ch in "，．％" else ch for ch in text)


def statements_of(page: int, text: str) -> list[Statement]:
    out: list[Statement] = []
    # A sentence with no item of its own ("主要用于…，比上年增加0.1万元") continues the last one's.
    previous_item: str | None = None
    for sentence in _sentences(text):
        last_end = 0
        for match in _FIGURE.finditer(sentence):
            value = parse_amount(match.group(1))
            if value is None:
                continue
            unit = match.group(2).replace("（", "(").replace("）", ")")
            before = sentence[last_end : match.start()]
            last_end = match.end()
            clause = _CLAUSE_BREAK.split(before)[-1] if unit != "%" else before
            subject = _SUBJECT.search(before)
            item = _item_in(clause) or (subject.group(1) if subject else None) or _item_in(before)
            item = item or _bare_total(clause, previous_item)
            if item is None:
                continue
            if unit not in ("万元", "元", "亿元", "%") and item not in COUNT_ITEMS:
                continue
            previous_item = item
            if unit == "%":
                measure = "share" if _SHARE.search(clause) else "percent"
                if measure == "percent" and _DOWN.search(clause):
                    value = -value
            elif _CHANGE.search(clause):
                measure = "change"
                if _DOWN.search(clause):
                    value = -value
            elif unit in ("万元", "元", "亿元"):
                measure = "amount"
            else:
                measure = "count"
            out.append(Statement(page, item, measure, value, unit, match.group(0), sentence))
    return _dedupe(out)


def _dedupe(statements: list[Statement]) -> list[Statement]:
    """A section published twice states its figures twice; keep the first."""
    seen: set[tuple[str, str, Decimal, str]] = set()
    kept = []
    for s in statements:
        key = (s.item, s.measure, s.value, s.sentence)
        if key not in seen:
            seen.add(key)
            kept.append(s)
    return kept


def _heading(line: str) -> str | None:
    """The section a heading line opens ("一、主要职责" → 主要职责), or None for other lines."""
    text = normalize(line)
    if len(text) > 30 or re.search(r"[：:。，,；;]", text):
        return None
    numbered = _HEADING.match(text)
    if numbered:
        return numbered.group(2)
    return text if _SECTION.search(text) else None


def _blocks(pages: list[tuple[int, str]]) -> Iterator[tuple[int, str, str]]:
    """(page, section heading, paragraph) for every paragraph, joining wrapped lines.

    Contents pages are skipped: their headings would open sections with nothing in them.
    """
    section = ""
    current: list[str] = []
    current_page = 0
    for number, text in pages:
        if is_contents(text):
            continue
        for raw in text.split("\n"):
            line = raw.strip()
            if not line or re.fullmatch(r"-?\s*\d{1,3}\s*-?", line):
                continue
            heading = _heading(line)
            starts = heading or _HEADING.match(normalize(line)) or _ENUMERATED.match(normalize(line))
            if starts and current:
                yield current_page, section, "".join(current)
                current = []
            if heading:
                section = heading
                continue
            if not current:
                current_page = number
            current.append(line)
    if current:
        yield current_page, section, "".join(current)


def _about_units(section: str, paragraph: str) -> bool:
    """A paragraph that lists offices or units ("设22个内设机构，包括：…", "（二）下属差额拨款事业单位
    1、江苏省法官培训学院"), not a definition, a duty or a money figure that mentions them."""
    if re.search(r"名词|解释|职责|职能", section) or "万元" in paragraph:
        return False
    return bool(_ORGANISATION.search(section) or _ORGANISATION.search(paragraph))


def text_facts_of(pages: list[tuple[int, str]]) -> list[TextFact]:
    out: list[TextFact] = []
    counts: dict[str, int] = {}

    def add(page: int, kind: str, label: str, text: str) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        out.append(TextFact(page, kind, counts[kind], label, text))

    for page, section, paragraph in _blocks(pages):
        flat = normalize(paragraph)
        if re.search(r"职责|职能", section) and _ENUMERATED.match(flat):
            add(page, "duty", "", _ENUMERATED.sub("", paragraph.strip(), count=1).strip())
        elif re.search(r"工作任务|主要任务|工作重点|重点工作", section) and _ENUMERATED.match(flat):
            add(page, "task", section, _ENUMERATED.sub("", paragraph.strip(), count=1).strip())
        elif re.search(r"职责|职能|基本情况|概况", section) and "。" in paragraph and "万元" not in paragraph:
            # what the body is, before its list of duties ("…福利院是收养社会孤老…的事业单位。")
            add(page, "about", section, paragraph.strip())
        if "名词解释" in section or "名称解释" in section:
            term = _TERM.match(paragraph.strip())
            if term:
                add(page, "term", normalize(term.group(1)), term.group(2).strip())
        if _about_units(section, flat):
            add(page, "unit", section, paragraph.strip())
        for staffing in _STAFFING.finditer(paragraph):
            add(page, "staffing", normalize(staffing.group(1)), staffing.group(2) + staffing.group(3))
    return out
