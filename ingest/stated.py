"""Figures the narrative states, each tied to the words it is stated for.

A figure is kept only when its own clause names what it is of, right before it ("基本支出预算数为
5,678.17万元", "行政运行（项）4,432.78万元", "共有车辆54辆"). A change, rate or share takes the
subject of the amount it follows in the same sentence, or, when a sentence starts with the
comparison ("与上年相比增加191万元"), of the one amount the sentence before it states. Anything looser
is left out: a figure stated for the wrong item is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ingest.figures import YEAR_TOTAL, Figure
from ingest.identify import Identity
from ingest.meaning import is_scope_label, label_key, meanings, scope_named, strip_scope
from ingest.narrative import _sentences
from ingest.numbers import UNIT_FACTORS, normalize, parse_amount

_FIGURE = re.compile(
    r"(?<![\d.])(-?\d[\d,]*(?:\.\d+)?)\s*(万\s*元|亿\s*元|元|万(?![人次余多])|%|％|辆|名|人次|人|个|批次|次|件|台[(（]套[)）]|台/套|台|套|家|项|所|分(?![之钟别类项配摊]))"
)
# Amounts that are part of a name, not figures: "单价50万元以上通用设备", "100万元（含）以上".
_IN_NAME = re.compile(
    r"[（(]\d{1,3}(?:类|款|项)[)）]|(单价|价值|单位价值)\s*\d+\s*万元?|\d+\s*万元?\s*[（(]含[)）]\s*以上|\d+\s*万元?以上"
)
_CLAUSE = re.compile(r"[，,；;。：:、]")
_CHANGE = re.compile(r"(增加|减少|增长|下降|上升|降低|增幅|降幅|减幅|增|减|多|少|大于|小于|高于|低于)了?$")
_DOWN = re.compile(r"减少|下降|降低|降幅|减幅|减|少|小于|低于")
_COMPARED_WITH = r"(与上年(相比|比较)?|比上年|较上年|同比|与20\d\d年(相比)?|比20\d\d年|较20\d\d年)"
_COMPARISON = re.compile("^" + _COMPARED_WITH)
# A sentence that only describes the amount before it ("主要用于单位公务接待，比上年预算数增加0.1万元").
_DESCRIBES = re.compile(r"^(主要用于|主要是|用于|主要包括|包括)")
_COMPARISON_ANYWHERE = re.compile(_COMPARED_WITH)
# A clause whose subject is the year's budget itself ("2026年预算比2025年预算增加50.32万元").
_WHOLE_BUDGET = re.compile(r"(?:20\d\d年度?)?(?:本部门|部门|本单位|单位)?预算(?:总额|总计|规模)?")
# A change clause naming its own subject before the comparison ("事业收入较上年执行数增长7.6%").
_OWN_COMPARISON = re.compile(r"^((?:20\d\d年度?)?[\u4e00-\u9fff“”\"]{2,30}?)" + _COMPARED_WITH)
# "2.林业专项资金减少": an item named right before its change, in a paragraph that gives the reasons for changes
# (an enumerated item of the list, named plainly: not a comparison, not a total, not the tail of a list)
_NAMED_CHANGE = re.compile(
    r"^(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[.、．])"
    r"((?![及和与或等其])(?:(?!比|较|上年|本年|相比|收支|合计|总计)[\u4e00-\u9fff]){2,16}?)(?:增加|减少|增长|下降)了?$"
)
_REASONS = re.compile(r"原因|主要由于|主要是由于|主要因为")
_FLOW_CHANGE = re.compile(r"(?:^|[^\u4e00-\u9fff]|相比|比较)(收入|支出)(?:预算)?(?:总计)?(?:增加|减少|增长|下降)")
# What a count counts when the sentence names it after the number ("设22个内设机构", "38个处室及机关党委").
_COUNTED = re.compile(
    r"\s*((?:(?!和|及|与|的|等|包括|具体)[\u4e00-\u9fff]){2,12})(?=[，,；;。、：:（(]|和|及|与|的|等|包括|具体|$)"
)
_ASIDE = re.compile(r"(?<=[\u4e00-\u9fff])[（(](?!不?含)[^（()）]{4,}[)）](?=(?:为|是|达|约)?$)")
# A sentence that only names a 科目 ("1、一般公共服务支出（类）社会工作事务（款）事业运行（项）。").
_HEADING = re.compile(
    r"[（(](类|款|项)[)）](科目|支出)?[。．.]?$"
    # "2.公务接待费。2026 年预算数 9.46 万元": a numbered item named on its own, its figures after it
    r"|^(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[)）])[\u4e00-\u9fff“”（）()]{2,20}[。．.]$"
)
# A project explanation page's title, and the words its total stands after ("2025年度项目总预算1170.00万").
_PROJECT_TITLE = re.compile(r"(.{2,40}?)(?:经费)?情况说明")
_PROJECT_TOTAL = re.compile(
    r"(?:年度预算安排)?(?:20\d\d年度?)?(?:项目)?(?:总预算|年度预算安排|预算安排|合计)(?:为|是)?"
)
# A heading that lists the 科目 of one fund after it ("财政拨款支出主要内容如下："), and the headings that end such a
# list: a new numbered section ("二、", "（三）"). A page beginning with no numbered item ends it too.
_LIST_HEAD = re.compile(r"^([^。；]*?)(?:主要内容|具体情况|情况)?如下[:：]")
_NEW_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
_LISTED = re.compile(r"^\d{1,2}[.．、]")
# A department's narrative in one section per unit ("七、深圳市公明供水调蓄工程管理处", "一、深圳市民政局（本级）"):
# what each section states is that unit's. A top-level heading ("八、", "二、机构编制") ends the section.
_PART = r"^(?:第[一二三四五六七八九十]+部分[\u4e00-\u9fff]{0,20}?)?"  # "第三部分部门预算支出具体情况一、…"
_TOP_SECTION = re.compile(_PART + r"[一二三四五六七八九十]+[、.．]")
_UNIT_HEADING = re.compile(
    _PART + r"[一二三四五六七八九十]+[、.．]([\u4e00-\u9fff（）()]{2,40}?(?:处|中心|局|站|所|队|院|馆|室|委员会|办公厅)"
    r"(?:[（(]本级[)）])?)"
)
_OWNED = re.compile(r"(下属|所属|直属)$")
# People counted after the body they belong to ("还包括江苏省联谊俱乐部8名在职人员").
_PEOPLE = re.compile(r"(?:在职|在编|编制内|离休|退休|离退休|聘用)?人员")
_BODY_END = re.compile(r"(办公室|俱乐部|中心|单位|机构|局|处|所|馆|站|院|会|队|团|校|社|厅|委)$")
_DOING = re.compile(
    r"(?:^|[拟将])((?:继续|预备)?(?:制定|修改|审议|办理|出台|开展|召开|组织|完成|新建|建成|培训|接待)[\u4e00-\u9fff]{0,6}?)$"
)
_ROLE_ONLY = frozenset({"支出", "收入", "预算", "决算", "年初预算", "调整预算"})
# A clause that names only a year and a role ("2022年当年预算执行数为", "2023年预算安排"): the item is
# the one just named, read in that year and role.
_ROLE_CLAUSE = re.compile(
    r"(?:20\d\d年(?:度)?)?(?:支出)?(?:当年|本年|全年|年初|调整后?)?(?:预算|决算)?(?:预计)?(?:执行)?(?:数)?(?:支出)?"
    r"(?:为|是|达|约|安排)?"
)
_FLAT = re.compile(
    r"(与|和|比|较)(上年|上一年|20\d\d年(度)?)(相比)?(预算|决算|预算执行|执行)?(数)?(持平|一致|相同|相等|基本持平|无变化)"
    r"|等于(上年|上一年)(预算|决算)?数"
)
# Words between an item's name and its figure that leave the figure the item's own.
_FILLER = re.compile(
    r"(?:(?:一般公共预算|政府性基金预算|国有资本经营预算|财政拨款|拨款)?(?:年初|调整后?|全年|本年|当年)?(?:预算|决算|预计执行|执行)?(?:数)?"
    r"(?:支出|总额|总金额|金额|资金|合计|共计|总计)?(?:为|是|达|共|计|合计|共计|安排|约|有)?)*$"
)
_CHANGE_FILLER = re.compile(
    r"(?:与|比|较|和)?(?:上年|上一年|20\d\d年(?:度)?)?(?:相比|比较)?(?:预算|决算|预算执行|执行)?(?:数)?(?:相比)?,?$"
)
_LEADING = re.compile(
    r"^(?:.*(?:其中|包括|此外|另外|主要是|分别是|分别为|即|具体情况如下|主要内容如下|如下|情况说明|情况|本部门|本单位|我部门|我单位"
    r"|主要支出为|主要支出是|主要用于))?"  # "其中主要支出为办公费34.82万元"
    # a running page number ("- 19 -") glued to the next line, then enumerators
    r"(?:-\s*\d{1,3}\s*-)?(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．)）])*"
    # who the figure covers ("各单位会议费"): a scope, not part of the item's name
    r"(?:[（(]?本级[)）]|本部门|本单位|全年|年度|(?:所属)?各(?:单位|部门)|全部单位)?(?:共有|现有|设有|内设|实有|核定|安排|拥有|共|有)?"
    # the fund that pays for it ("一般公共预算安排委托业务费"): its scope (read from the whole text), not its name
    r"(?:(?:一般公共预算|政府性基金|国有资本经营|财政拨款)(?:预算)?(?:拨款)?安排的?)?"
)
# Words after a name and before its figure that are no part of the name.
_NAME_FILLER = re.compile(
    # "委托业务费财政拨款总额1494.32万元": the fund and "总额" say which figure of the item, not its name
    r"(?:(?:一般公共预算|政府性基金|财政拨款)(?:拨款)?(?:总额|总金额|合计))?"
    r"(?:(?:年初|调整后?|全年|本年|当年)?(?:预算|决算|预计执行|执行)(?:数|总计|合计)?)?(?:为|是|达|约|安排|共计|共)?$"
)
# Words before a concept's wording that leave the figure the concept's ("财政拨款安排的机关运行经费").
# (and the holders a count is of: "所属各预算单位共有车辆", "固定资产账上共有机动车")
_PREFIX_FILLER = re.compile(
    r"(?:相应|安排的?|的|拨款|资金|年度|本年|当年|部门|单位|本级|系统|预算|中的?|其中|用于|支出|所属|下属|各|固定资产|账上|账面)*"
)
# Count subjects that are verbs or joins, not things ("确定30个课题", "研究室和10个专门委员会").
_NOT_A_THING = re.compile(r"(和|与|及|等|确定|开展|召开|组织|计划|办理|提出|完成|达到|超过|不少于|约)$")
_YEAR = re.compile(r"20\d\d年(?:度)?")
# "（类）", or with its code as some documents print it: "公共安全支出（204类）司法（06款）行政运行（01项）"
_SUBJECT_CODES = re.compile(r"[（(](\d{0,3})(类|款|项)[)）]")
_QUOTES = re.compile(r"[“”\"'‘’「」]")
_DROP_PHASE = re.compile(r"(?<!公共)(?<!基金)(?<!经营)(?<!部门)(?<!单位)(?:预算|决算)(?:数)?")
_COUNT_UNITS = frozenset(
    {"辆", "名", "人次", "人", "个", "批次", "次", "件", "台(套)", "台/套", "台", "套", "家", "项", "所", "分"}
)
MAX_NAME = 24


@dataclass(frozen=True)
class _Subject:
    name: str  # as printed (without enumerator and filler)
    concepts: tuple[str, ...]
    scope: str | None
    role: str
    ref_year: int | None
    kuan: str | None  # the 款 of a "X（款）Y（项）" subject
    code: str | None = None  # "（204类）…（06款）…（01项）" → 2040601


def _clean_unit(unit: str) -> str:
    """ "万 元" (letter-spaced) and a bare "万" after an amount ("项目总预算1170.00万") are 万元."""
    unit = re.sub(r"\s+", "", unit)
    return "万元" if unit == "万" else unit.replace("（", "(").replace("）", ")").replace("％", "%")


def _concepts_of(phrase: str, measure: str) -> tuple[tuple[str, ...], str | None]:
    """The concept a narrative phrase ends with, and the fund scope it names."""
    key = _DROP_PHASE.sub("", label_key(phrase))
    scope = scope_named(key)
    if is_scope_label(key):
        direction = "收入" if key.endswith("收入") or "收入" in key else "支出" if "支出" in key else None
        if direction:
            return (YEAR_TOTAL[direction],), scope
        if key.endswith("拨款"):
            # "政府性基金预算当年拨款27600万元": the fund's money for the year, received and spent (a question's
            # "政府性基金拨款" asks either)
            return (YEAR_TOTAL["收入"], YEAR_TOTAL["支出"]), scope
    best: tuple[int, str] | None = None
    for concept in meanings().concepts:
        if concept.said is None or (concept.measure == "count") != (measure == "数量"):
            continue
        for match in concept.said.finditer(key):
            if match.end() == len(key) and (best is None or match.end() - match.start() > best[0]):
                best = (match.end() - match.start(), concept.name)
    return ((best[1],) if best else ()), scope


def _role(words: str, identity: Identity) -> tuple[str, int | None]:
    year = identity.year
    ref_year = year
    years = [int(y) for y in re.findall(r"(20\d\d)年", words)]
    if re.search(r"上年|上一年", words) or (year and years and years[-1] == year - 1):
        ref_year = year - 1 if year else None
    if "年初预算" in words:
        return "年初预算", ref_year
    if re.search(r"调整(后)?预算|全年预算", words):
        return "调整预算", ref_year
    if re.search(r"执行", words) and ref_year != year:
        return "执行", ref_year
    if "决算" in words:
        return "决算", ref_year
    if "预算" in words:
        return "预算", ref_year
    return ("决算" if identity.phase == "决算" else "预算"), ref_year


def _said_concept(text: str, measure: str, sentence: str) -> tuple[str, int] | None:
    """The concept whose wording ends `text`, give or take filler ("基本支出预算数为"), and where it
    starts: the earliest-starting wording, so that "政府采购支出预算总额" is 政府采购."""
    best: tuple[int, int, str] | None = None  # (start, -length, name)
    for concept in meanings().concepts:
        if concept.said is None or (concept.measure == "count") != (measure == "数量"):
            continue
        if concept.context and concept.context not in sentence:
            continue
        for match in concept.said.finditer(text):
            if match.end() > match.start() and _FILLER.fullmatch(text[match.end() :]):
                key = (match.start(), match.start() - match.end(), concept.name)
                if best is None or key < best:
                    best = key
    return (best[2], best[0]) if best else None


def _subject(clause: str, measure: str, identity: Identity, sentence: str) -> _Subject | None:
    """What the figure at the end of `clause` is of, when the clause names it right before it."""
    text = _QUOTES.sub("", re.sub(r"\s+|-\d+-", "", clause))
    words = text
    body = normalize(identity.body)
    # the body as the text shortens it: "省政协办公厅" for 江苏省政协办公厅
    shortened = [body[i + 1 :] for i, ch in enumerate(body) if ch in "省市区县" and len(body) - i > 4]
    for name in (identity.body, body, *shortened):
        if name and name in text:
            text = text[text.rindex(name) + len(name) :]
    parts = _YEAR.split(text)
    # "编报绩效目标的2024年度项目": a year inside the name, after a modifier, is no start of it
    inside = len(parts) > 1 and parts[-2].endswith("的") and 0 < len(parts[-1]) <= 3
    text = parts[-2] + parts[-1] if inside else parts[-1]
    # "截至2025年10月共有公务用车": the month of the date is no part of the name
    text = re.sub(r"^\d{1,2}月(?:份)?(?:底|末)?", "", text)
    text = _ASIDE.sub("", text)  # "政府采购金额（以合同签订为准）为": the aside is no part of the name
    said = _said_concept(text, measure, sentence)
    head = _NAME_FILLER.sub("", text)
    kuan = None
    code = None
    if _SUBJECT_CODES.search(head):
        marks = _SUBJECT_CODES.findall(head)
        digits = "".join(d for d, _ in marks)
        if [len(d) for d, _ in marks][-3:] == [3, 2, 2] or [len(d) for d, _ in marks] in ([3], [3, 2]):
            code = digits[-7:] if len(digits) >= 7 else digits
        parts = [p for p in _SUBJECT_CODES.split(re.sub(r"(?<=[)）])(科目|支出)$", "", head))[::3] if p]
        if not parts:
            return None
        if re.search(r"[（(]\d*项[)）](科目|支出)?$", head):
            kuan = _LEADING.sub("", parts[-2]) if len(parts) >= 2 else None
            head = parts[-1]
        elif re.search(r"[（(]\d*类[)）]支出$", head):
            # "一般公共服务（类）支出" is the class 一般公共服务支出; "科学技术支出（类）支出" names it whole already
            head = parts[-1] if parts[-1].endswith("支出") else parts[-1] + "支出"
        else:
            head = parts[-1]
    head = _LEADING.sub("", re.sub(r"科目$", "", head)).lstrip("（(【[“\"'")
    head_start = text.rfind(head) if head and head in text else len(text) - len(head)
    if said is not None and said[1] >= head_start:
        # a parenthesis before the name ("（本级和下属1家参公事业单位）财政拨款的…") is no part of it
        prefix = strip_scope(re.split(r"[)）]", text[head_start : said[1]])[-1])
        # "X的机关运行经费" is still the concept (of X); "一般公共服务支出" is not 服务, nor "行政编制" 编制
        if prefix and not _PREFIX_FILLER.fullmatch(prefix) and not prefix.endswith("的"):
            # "行政编制", "一般公共服务支出": a kind of thing known by its own name, not the concept its
            # ending names (编制, 政府采购服务)
            said = None
        elif not _PREFIX_FILLER.fullmatch(strip_scope(text[head_start : said[1]])):
            head = _NAME_FILLER.sub("", text[said[1] :])  # "X的机关运行经费": the name is the concept's
    elif said is not None and not text.endswith(head):
        said = None  # the wording ends before the name: it is not the name's
    if (
        not head
        or len(head) > MAX_NAME
        or not re.search(r"[\u4e00-\u9fff][)）]?$", head)
        or (_ROLE_CLAUSE.fullmatch(head) and not (said is not None and head in ("收入", "支出")))
    ):
        return None  # a year and a role only; "支出预算7,552.92万元" is the total spending, said so
    if re.search(r"主要用于|用于|原因|由于|因为|一致$|持平$|相同$", head) or (
        measure == "数量" and (_NOT_A_THING.search(head) or len(head) < 2)
    ):
        return None
    concepts, scope = _concepts_of(head, measure) if said is not None or is_scope_label(head) else ((), None)
    scope = scope or scope_named(text)  # "一般公共预算财政拨款基本支出": the scope stated before the name
    if said is not None and not concepts:
        concepts = (said[0],)
    if set(concepts) & {"收入总计", "支出总计"} and re.search(r"收支|收入支出|收、支", head):
        concepts = ("收入总计", "支出总计")  # "收入支出总计", "收支预算总计": both totals, one number
    role, ref_year = _role(words, identity)
    return _Subject(head, concepts, scope, role, ref_year, kuan, code)


@dataclass
class _Last:
    subject: _Subject | None = None
    amounts: int = 0  # how many amounts the sentence tied
    heading: bool = False  # a 科目 named on its own ("…事业运行（项）。"): the sentences after it are about it


def stated_figures(pages: Sequence[tuple[int, str]], identity: Identity) -> list[Figure]:
    out: list[Figure] = []
    previous = _Last()
    unfinished = ""  # the page before ended in the middle of a sentence that states no figure
    listed_scope: str | None = None  # the fund scope of the 科目 a heading lists ("财政拨款支出主要内容如下：")
    unit = ""  # the unit whose section of a department's narrative this is
    for number, text in pages:
        sentences = list(_sentences(text))
        for seq, sentence in enumerate(sentences):
            squeezed = re.sub(r"\s+", "", sentence)
            if _TOP_SECTION.match(squeezed):
                unit = _unit_heading(squeezed, identity)
            if _NEW_SECTION.match(squeezed) or (seq == 0 and not unfinished and not _LISTED.match(squeezed)):
                listed_scope = None
            head = _LIST_HEAD.match(squeezed)
            if head is not None:
                listed_scope = scope_named(head.group(1)) if head.group(1) else None
            if seq == 0 and re.match(r"[\d.,]+\s*(%|％|万元|元)?[。；;]?$", sentence):
                continue  # the end of a sentence the page before began ("…占本年支出合计的 | 100.00%。")
            if not re.search(r"[\u4e00-\u9fff\d]", sentence):
                continue  # "。。": no sentence, and no break between an item and what is said of it
            if seq == 0 and unfinished:
                # "3、…社会工作事务（款）其他社会工作 | 事务支出（项）。": one heading across two pages
                sentence = unfinished + sentence
            # a sentence beginning a page continues the page before only when it opens with a comparison
            opens = seq > 0 or unfinished or _COMPARISON.match(re.sub(r"\s+", "", sentence))
            found, previous = _sentence_figures(
                number, seq, sentence, identity, previous if opens else _Last(), _project_of(text)
            )
            if listed_scope is not None:
                # a 科目 of the list, and what the sentences after it state of it, are of the heading's fund
                found = [
                    replace(f, scope=listed_scope) if f.scope is None and (f.parent or f.code) else f for f in found
                ]
            if unit:
                found = [replace(f, parent=unit) if not f.parent else f for f in found]
            out += found
        last = sentences[-1] if sentences else ""
        ended = re.search(r"[。；;！!？?：:]\s*$", last)
        unfinished = "" if ended or _FIGURE.search(last) else last
    return _dedupe(out)


def _unit_heading(heading: str, identity: Identity) -> str:
    """The unit a numbered heading names ("七、深圳市公明供水调蓄工程管理处"), when it is a body of the document's
    place other than the document's own; else ''."""
    found = _UNIT_HEADING.match(heading)
    if found is None:
        return ""
    name = found.group(1)
    place = identity.region or identity.body[:3]
    own = normalize(identity.body)
    named = normalize(heading[found.start(1) :])
    if named.startswith(own):
        # "一、深圳市民政局（本级）" is the department's own unit; "一、深圳市市场监督管理局深汕监管局" the body itself
        return name if named[len(own) :].startswith("(本级)") else ""
    return name if place and name.startswith(place) else ""


def _project_of(page_text: str) -> str | None:
    """The project a 项目经费情况说明 page explains, from its title ("人民调解项目经费情况说明")."""
    for line in page_text.split("\n")[:6]:
        title = _PROJECT_TITLE.fullmatch(normalize(line.strip()))
        if title and title.group(1) != "项目":
            return title.group(1)
    return None


def _sentence_figures(
    page: int, seq: int, sentence: str, identity: Identity, previous: _Last, project: str | None = None
) -> tuple[list[Figure], _Last]:
    masked = _IN_NAME.sub(lambda m: "#" * len(m.group(0)), sentence)
    out: list[Figure] = []
    current = _Last()
    named: list[_Subject] = []  # the subjects of the amounts this sentence states, in order
    flowing: _Subject | None = None  # the flow a change named ("收入增加…"), for the rate after it
    start = 0
    # A sentence opening with the comparison continues the one amount of the sentence before.
    squeezed = re.sub(r"\s+", "", sentence)
    continues = _COMPARISON.match(squeezed) or (_DESCRIBES.match(squeezed) and _COMPARISON_ANYWHERE.search(squeezed))
    carried = previous.subject if continues and previous.amounts == 1 else None
    subject: _Subject | None
    for match in _FIGURE.finditer(masked):
        value = parse_amount(match.group(1))
        unit = _clean_unit(match.group(2))
        before = sentence[start : match.start()]  # the words as printed ("单价50万元以上通用设备")
        start = match.end()
        if value is None:
            continue
        clause = _CLAUSE.split(before)[-1]
        if unit == "%":
            compared = re.search(r"比|较|增加|减少|增长|下降", clause)  # "比2022年预算执行数减少4.83%"
            measure = (
                "占比" if "占" in clause else "完成率" if re.search(r"完成|执行", clause) and not compared else "增减率"
            )
            if measure == "增减率" and _DOWN.search(clause):
                value = -value
        elif _CHANGE.search(_CHANGE_FILLER.sub("", clause.rstrip())) or re.search(
            r"(增加|减少|增长|下降)(了|额)?(为|是|约)?\s*$", clause
        ):
            measure = "增减额"
            if _DOWN.search(clause):
                value = -value
        else:
            measure = "数量" if unit in _COUNT_UNITS else "金额"
        if measure in ("金额", "数量"):
            bare = re.sub(r"\s+", "", clause)
            last = named[-1] if named else previous.subject if previous.amounts or previous.heading else None
            flow_word = re.search(r"支出|收入", bare)
            # "本部门收入预算…；支出预算7,552.92万元", "…其他收入0万元。支出预算37,151.47万元": the other flow, not the
            # income (or the last source of income) in another role
            turned = flow_word is not None and last is not None and last.name[-2:] in ("收入", "支出") and (
                flow_word.group(0) != last.name[-2:]
            )
            if (
                bare
                and _ROLE_CLAUSE.fullmatch(bare)
                and re.search(r"\d|预算|决算|执行", bare)
                and last is not None
                and not turned
            ):
                # "…公益性岗位补贴（项）”635.10万元。2022年当年预算执行数为667.32万元，2023年预算安排635.10万元"
                role, ref_year = _role(bare, identity)
                subject = replace(last, role=role, ref_year=ref_year)
                current = _Last(subject, current.amounts + 1)
                named.append(subject)
                out.append(_figure(page, seq, len(out), subject, measure, value, unit, match.group(0), sentence, ""))
                continue
            after = _COUNTED.match(sentence, match.end()) if measure == "数量" else None
            if project and measure == "金额" and _PROJECT_TOTAL.fullmatch(bare):
                # "六、年度预算安排 795万元" on the page explaining one project: the project's amount
                role, ref_year = _role(bare, identity)
                subject = _Subject(project, (), None, role, ref_year, None)
            elif after is not None and after.group(1).startswith("人员") and clause.strip():
                # "…办公室在职 10 名人员工资等经费": the people of what the clause names
                subject = _subject(clause + "人员", measure, identity, sentence)
            elif after is not None and (people := _PEOPLE.match(after.group(1))) and _BODY_END.search(clause.rstrip()):
                # "还包括江苏省联谊俱乐部 8 名在职人员": the people of the body the clause names
                subject = _subject(clause.rstrip() + people.group(0), measure, identity, sentence)
            elif after is not None:
                # "包括27个内设机构、1个下属事业单位和1个派出机构": the count comes before what it counts
                owned = _OWNED.search(clause)
                done = _DOING.search(re.sub(r"\s+", "", clause))
                # "拟制定和修改12件法规，继续审议5件法规": what is done to them tells the counts apart
                name = (owned.group(0) if owned else done.group(1) if done else "") + after.group(1)
                role, ref_year = _role(clause, identity)
                # "38个项目纳入绩效目标管理": what is counted may be a concept, named whole after the count
                counted = _said_concept(name, measure, sentence)
                concepts = (counted[0],) if counted and counted[1] == 0 else ()
                subject = _Subject(name, concepts, None, role, ref_year, None)
            else:
                subject = _subject(clause, measure, identity, sentence)
            if subject is None:
                continue
            if subject.name in _ROLE_ONLY and named:
                # "“三公”经费支出预算为0.95万元，支出决算为0.00万元": the same item, another role
                subject = replace(named[-1], role=subject.role, ref_year=subject.ref_year)
            current = _Last(subject, current.amounts + 1)
            named.append(subject)
        else:
            subject = current.subject or carried
            flow = _FLOW_CHANGE.search(clause)
            own = _OWN_COMPARISON.match(_DESCRIBES.sub("", re.sub(r"\s+", "", clause)))
            stated = _subject(own.group(1), "金额", identity, sentence) if own is not None else None
            if stated is not None and stated.name not in _ROLE_ONLY:
                # "主要是政府性基金预算收入较上年执行数下降45.9%": the clause names what it compares
                subject, flow = stated, None
            elif own is not None and _WHOLE_BUDGET.fullmatch(own.group(1)) and flow is None:
                # "2026年预算比2025年预算增加50.32万元": the budget as a whole, its totals (equal in a budget)
                subject = _Subject("预算总额", ("收入总计", "支出总计"), None, "预算", identity.year, None)
            elif flow is None and flowing is not None:
                subject = flowing  # "收入增加104.35万元，增长41%": the rate of the same flow
            elif (
                subject is None
                and flow is None
                and (changed := _NAMED_CHANGE.match(re.sub(r"\s+", "", clause)))
                and _REASONS.search(sentence)
            ):
                # "预算收支减少主要原因说明：1.基本支出增加88.05万元，…；2.林业专项资金减少191.56万元": each item
                # a paragraph of reasons names, and its change on last year
                subject = _subject(changed.group(1), "金额", identity, sentence)
            elif flow is not None and (subject is None or flow.group(1) not in subject.name):
                # "收入总计355.35万元，支出总计355.35万元，与上年相比，收入增加104.35万元": the flow it names
                subject = next((n for n in reversed(named) if flow.group(1) in n.name), None) or _Subject(
                    flow.group(1),
                    (f"{flow.group(1)}总计",),
                    None,
                    subject.role if subject else "预算",
                    identity.year,
                    None,
                )
            if subject is None:
                continue
            flowing = subject if flow is not None else flowing
        base = ""
        if measure == "占比":
            said = re.search(r"占(.{1,20}?)的?(比重|比例)?$", clause)
            base = _QUOTES.sub("", said.group(1)) if said else ""
        out.append(_figure(page, seq, len(out), subject, measure, value, unit, match.group(0), sentence, base))
    flat = _FLAT.search(sentence)
    unchanged = current.subject or carried
    if flat and unchanged is not None and not any(f.measure == "增减额" for f in out):
        out.append(_figure(page, seq, len(out), unchanged, "增减额", Decimal(0), "", flat.group(0), sentence, ""))
    if current.subject:
        return out, current
    bare = re.sub(r"\s+", "", sentence)
    if not out and _HEADING.search(bare):
        heading = _subject(bare.rstrip("。．."), "金额", identity, sentence)
        if heading is not None:
            return out, _Last(heading, 0, heading=True)
    if not out and _DESCRIBES.match(bare):
        return out, previous  # "主要用于：…。" between an item and the figures stated of it after
    return out, _Last(previous.subject if carried else None, 0)


def _figure(
    page: int,
    seq: int,
    index: int,
    subject: _Subject,
    measure: str,
    value: Decimal,
    unit: str,
    printed: str,
    sentence: str,
    base: str,
) -> Figure:
    money = unit in UNIT_FACTORS
    return Figure(
        source="text",
        table_no=None,
        kind="narrative",
        page=page,
        row_no=seq,
        col_no=index,
        code=subject.code,
        name=subject.name,
        concepts=subject.concepts,
        classification="narrative",
        direction=None,
        role=subject.role,
        ref_year=subject.ref_year,
        measure=measure,
        scope=subject.scope,
        spending="合计",
        row_name="",
        column="",
        parent=subject.kuan or "",
        base=base,
        printed=printed,
        value=value,
        unit=unit or None,
        value_yuan=value * UNIT_FACTORS[unit] if money else None,
        sentence=sentence,
        box=None,
    )


def _dedupe(figures: list[Figure]) -> list[Figure]:
    """A section published twice states its figures twice; keep the first."""
    seen: set[tuple[str, str, str, Decimal | None, str]] = set()
    kept = []
    for f in figures:
        key = (f.item, f.role, f.measure, f.value, f.sentence)
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept
