"""A question → a typed frame: the documents it names, the items it asks about and how.

Pure functions, no database: the vocabulary of printed row names and codes is passed in. Every
part of the question is claimed by something the frame understood (a body, a year, an item, a
role, a measure word, a question word); what is left is named back to the asker, so that no
question is answered about a broader or different item than the one it asked about.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import cast

from ingest.kinds import classify_title
from ingest.meaning import is_scope_label, label_key, meanings, scope_named, strip_scope
from queries.amounts import (
    STATED_AMOUNT,
    STATED_PROPORTION,
    THRESHOLD,
    chinese_number,
    stated_amounts,
    threshold_of,
)
from queries.bodies import BODY_PHRASE, BodyIndex, named_bodies
from queries.coverage import Span, leftover_words, unbound
from queries.glossary import Concept, Glossary
from queries.operators import asked_operations
from queries.vocabulary import MIN_SUFFIX, Vocabulary, normalize_question

# (an amount is no year: "2000万的项目", "2024元")
_YEAR = re.compile(r"(?<![\d.])(20\d{2})(?:年度?|(?![\d.万亿千百元%]))")
_CODE = re.compile(r"(?<![\d.])(\d{7}|\d{5}|\d{3})(?![\d.%万元亿年])")
# A year that names the document to read rather than the year asked about: "据2018年预算",
# "2019年部门预算里", "按2017年预算说明"; and a year compared with: "比2024年预算增加".
_READ_IN = re.compile(
    r"(?:据|根据|按照|按|依据)[^0-9]{0,12}?(20\d\d)年"
    r"|从[^0-9]{0,12}?(20\d\d)年[^0-9]{0,14}?(?:预算|决算)[^0-9]{0,8}?看"
    r"|(20\d\d)年度?[^0-9]{0,14}?(?:预算|决算)(?:公开|文件|说明|表)"
    r"|(20\d\d)年度?(?:部门|单位)?(?:预算|决算)(?:里|中|看|来看|显示|口径)"
)
_COMPARED = re.compile(r"(?:比|较|与|和|同)(20\d\d)年度?(?=预算|执行|的预算|年初)")
_YEAR_RANGE = re.compile(r"(20\d\d)年?度?(?:到|至|-|~|—|－)(20\d\d)")
# Words that start a request; not part of a body's name ("显示普陀区司法局…").
_COMMANDS = re.compile(
    r"显示|列出|查看|看看|打开|给我看|展示|导出|请问|查询|查一下|告诉我|比较|对比|根据|依据|按照|据|从|看"
)
# A stock counted on a date ("截至2024年8月底共有几辆车"): the budget of the year after states it, or the
# final account of that year when the date is its end.
_AS_OF = re.compile(r"(?:截至|截止到?|到)(20\d\d)年(?:度)?(?:(\d{1,2})月(?:\d{1,2}日|底|末)?|底|末|年底)?")
_PRIOR = re.compile(r"上一?年度?|去年|前一年|上一个年度")
_ROLES: tuple[tuple[str, str], ...] = (
    (r"上年预算执行数?|上年执行数?|上年预计执行数?|上年实际", "执行"),
    (r"年初预算数?|年初数", "年初预算"),
    (r"调整后?预算数?|全年预算数?", "调整预算"),
    (r"预算执行数|预计执行数?|执行数", "执行"),
    (r"决算数|实际支出|实际花了?|实际使用|实际发生|实际执行|实际", "决算"),
    (r"预算数", "预算"),
)
_PHASE = re.compile(r"(部门|单位)?(预算|决算)(公开|说明)?")
# Words asking for a number of things. "哪几个单位", "几家单位" ask which bodies, not how many things.
_COUNT = re.compile(
    r"多少人次|几人次|(?<=单位)有?几家|各有?几家|几辆|多少辆|辆数|(?<!车)辆|几个人|(?<![哪这那])(?:几|多少)个(?!单位|部门|机构|家)|几名|多少名|多少人|几人|人数|几次|多少次|批次|人次|"
    r"几件|多少件|几台|多少台|台套|数量|多少分(?!别)|(?<!哪)有几(?!家)|几项|多少项|几处|多少处"
)
# Words that only join or ask: claimed by no item, they leave nothing unbound.
_JOIN = re.compile(r"^(?:和|与|及|以及|跟|同|还有|加|加上|、|或)?$")
_INSIDE = re.compile(r"(里|中|之中|当中|里面|其中|的|内|这块|这一块|这部分)")
_FLOW_WORDS = re.compile(r"(收支|收入|支出|拨款|资金)(?:预算)?")
_LISTED_AFTER = re.compile(r"(?:和|与|及|以及|、)")
_LISTED_BEFORE = re.compile(r"(?:和|与|及|以及|、)$")
_FUNDS = r"(?:一般公共预算|政府性基金|国有资本经营|财政专户)"
_FUND_LISTED_AFTER = re.compile(r"(?:和|与|及|以及|、)" + _FUNDS)
_FUND_LISTED_BEFORE = re.compile(_FUNDS + r"(?:预算|拨款|资金|管理资金)*(?:和|与|及|以及|、)$")
# "这三个数分别是", "这两项各多少": how many things the question lists
_THINGS_ASKED = re.compile(r"这?([两二三四五六七八九\d])(?:个|项)(?:数|数字|项目|金额)?(?:分别|各)")
_CHANGE_ASKED = re.compile(r"比上年|比去年|比\d{4}年|增加|减少|增长|下降|增减|变化|多了|少了")
_BARE_TOTALS = ("收入", "支出", "收入预算", "支出预算")
# Spending kinds an item's row can be split by, in the tables' columns.
SPENDING = ("基本支出", "项目支出", "人员经费", "公用经费")
ALL_ROWS = 100
_TERM = re.compile(
    r"(?:^|^.{0,6}?)(什么是|何为|何谓)(.+?)$|^(.+?)(是什么意思|是什么|指什么|指的是什么|是指什么|的含义|的定义|怎么理解|的意思|含义|定义|是怎么定义的|怎么定义的?|如何定义|指哪几项|指哪些|指的是哪几项|指的是哪些)$"
)
_PAGE = re.compile(r"第(\d{1,4})页")
# "前三", and "最大的三个项目" / "最多的5项", and "哪三个单位…最大" (a superlative with it, else no top-N)
_TOP = re.compile(
    r"前([1-9]\d?|[一二两三四五六七八九十])|最(?:大|多|高|少|小|低)的([2-9]|[二两三四五六七八九十])(?:个|项|笔|家)"
    r"|哪([2-9]|[二两三四五六七八九十])(?:个|项|笔|家)(?=.*最(?:大|多|高|少|小|低))"
    r"|(?<=最(?:大|多|高|少|小|低)).*?第([2-9]|[二两三四五六七八九十])(?=是|名|位|大|多|的是)"  # "…最多？第二是哪个"
)
# A price class written into an item's name ("单价20万以上的设备", "100万元（含）以上"): words of the item.
# "这五个部门", "那几家": pointing words, no item.
# How a unit's name ends (a 中心, 站, 所 … of a department).
_UNIT_END = re.compile(r"(?:中心|站|所|处|队|馆|学校|学院|医院)$")
# Money words right after a count's word ("买车的预算", "购车的钱").
_MONEY_AFTER = re.compile(r"(?:的)?(?:钱|预算|经费|资金|费用|开支)")
# The rest of a unit's name after a word of it ("教育" + "工程管理中心").
_UNIT_AFTER = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:中心|站|所|处|队|馆|学校|学院|医院|实验室|研究院|基地|公司|集团)")
# A table's name: the characters before 表, not across question words ("三公经费在哪些表" names none).
_TABLE_NAME = re.compile(r"((?:(?!哪|些|什么|几|在|有)[\u4e00-\u9fff“”\"()（）])+表)")


# ---- documents ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    body: str
    region: str
    year: int | None
    phase: str
    edition: str
    synthetic: bool = False  # generated for benchmarks; said in every label

    @property
    def label(self) -> str:
        year = f"{self.year}年" if self.year else ""
        return f"{self.body} {year}{self.edition}{self.phase}" + ("（合成数据）" if self.synthetic else "")


@dataclass(frozen=True)
class DocumentHints:
    years: tuple[int, ...]
    phase: str | None
    edition: str | None
    bodies: tuple[str, ...]  # ids of documents whose body the question names
    unknown_body: str | None = None  # a body the question names that no loaded document is from
    body_names: tuple[str, ...] = ()  # those documents' bodies, each once
    document_year: int | None = None  # the year of the document to read, when another year is asked about
    mentions: int = 0  # how many bodies the question names (a name two bodies share counts once)

    @property
    def any(self) -> bool:
        return bool(self.years or self.phase or self.edition or self.bodies or self.unknown_body)


def candidates(hints: DocumentHints, documents: Sequence[DocumentInfo]) -> list[DocumentInfo]:
    if hints.unknown_body:
        return []
    out = list(documents)
    if hints.bodies:
        out = [d for d in out if d.id in hints.bodies]
    years = (hints.document_year,) if hints.document_year else hints.years
    if years:
        out = [d for d in out if d.year in years]
    if hints.phase:
        out = [d for d in out if d.phase == hints.phase]
    if hints.edition:
        out = [d for d in out if d.edition == hints.edition]
    return out


# ---- the frame ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRef:
    """One thing the question asks about: a concept, or rows the documents print (by name or code)."""

    words: str  # as the question writes it
    start: int
    end: int
    concept: str | None = None
    names: tuple[str, ...] = ()  # printed names (normalised) it means
    codes: tuple[str, ...] = ()
    measure: str = "money"  # money | count
    scope: str | None = None  # a fund scope written with it ("财政拨款收入")
    spending: str | None = None  # the kind of spending it is narrowed to ("行政运行的基本支出")
    within: str | None = None  # a concept or table kind it is a part of ("机关运行经费里的物业管理费")
    guessed: bool = False  # found by part of a name or by a typo: said in the answer
    parent: str | None = None  # the 款 a 项 is named under ("城乡社区管理事务行政运行"), as printed
    counted: bool = False  # a count is asked of it ("项目有几个，涉及多少资金": the 项目 only)
    unit: str | None = None  # the department's unit it is asked of ("执法队的三公经费"), as its tables print it

    @property
    def label(self) -> str:
        if self.concept:
            return self.concept
        if self.codes and self.names:
            return f"{self.names[0]}（{self.codes[0]}）"
        if self.codes:
            return f"科目{self.codes[0]}"
        return self.names[0] if self.names else self.words


@dataclass(frozen=True)
class Frame:
    question: str  # normalised
    hints: DocumentHints
    items: tuple[ItemRef, ...]
    base: ItemRef | None  # what a share is of, when the question says
    scope: str | None  # fund scope the question asks for
    role: str | None  # 预算 | 执行 | 决算 | 年初预算 | 调整预算, when the question says
    prior: bool  # asks about the year before the document's (上年, 去年, 2017年 of a 2018 budget)
    count: bool  # asks for a number of things (几辆, 多少人 …)
    spans: tuple[Span, ...]
    count_words: tuple[str, ...] = ()  # the words that ask for a count, as written
    page: int | None = None  # "第5页"
    table: str | None = None  # a table kind the question names ("三公经费表")
    threshold: Decimal | None = None  # an amount in 元 it compares with ("超过100万")
    stated: tuple[Decimal, ...] = ()  # amounts in 元 the asker quotes ("会议费1094.62万是哪张表的数")
    top: int | None = None  # "前三"
    term: str | None = None  # the word a "是什么意思" question asks about
    text: str = ""  # the free words a template takes as they are (a 绩效 indicator's name)

    def has(self, need: str) -> bool:
        return {
            "item": bool(self.items),
            "item2": len(self.items) >= 2,
            # two things, not one item asked in two fund scopes ("总共多少？其中一般公共预算的是多少")
            "distinct2": _things(self.items, self.scope) >= 2,
            "no_item": not self.items,
            "no_body": not self.hints.body_names and not self.hints.unknown_body,
            "body": bool(self.hints.body_names),
            "bodies2": self.hints.mentions >= 2,
            "not_one_body": self.hints.mentions != 1,  # an average over bodies names none, or several
            # "卫健委的政府采购比交通局多多少": one body compared with another, not with its own last year
            "not_versus_body": not any(
                s.kind == "body" and s.start > 0 and self.question[s.start - 1] in "比较" for s in self.spans
            ),
            "one_body": self.hints.mentions == 1,  # a ranking inside one body's document names it
            "years2": len(set(self.hints.years)) >= 2 and self.hints.document_year is None,
            "code": any(item.codes for item in self.items),
            "page": self.page is not None,
            "table": self.table is not None,
            "amount": self.threshold is not None,
            "term": bool(self.term),
            "text": bool(self.rest()),
        }[need]

    def rest(self) -> str:
        """The question without what the frame understood and without question words."""
        return unbound(self.question, self.spans)

    def claimed(self, *spans: Span) -> Frame:
        return replace(self, spans=self.spans + spans)


# Fund scopes that do not overlap: an item in two of them is two amounts ("一般公共预算…加上政府性基金总共多少")
_DISJOINT_FUNDS = frozenset({"一般公共预算", "政府性基金", "国有资本经营预算", "财政专户管理资金", "其他资金"})


def _things(items: Sequence[ItemRef], scope: str | None) -> int:
    """How many things the items are: one item asked in two fund scopes is one thing ("总共多少？其中一般
    公共预算的是多少"), unless every scope it is asked in is a fund that does not overlap the others (all funds
    and 财政拨款 hold them)."""
    by_kind: dict[tuple[object, ...], list[str | None]] = {}
    spent: dict[tuple[object, ...], set[str | None]] = {}
    for item in items:
        row = (item.concept, item.names, item.codes, item.within, item.unit)
        by_kind.setdefault((*row, item.spending), []).append(item.scope or scope)
        spent.setdefault(row, set()).add(item.spending)
    # a row asked whole and then for its 基本支出 part ("一共多少，其中基本支出里的是多少") is one thing
    whole_and_part = sum(len(kinds) - 1 for kinds in spent.values() if None in kinds and len(kinds) > 1)
    return (
        sum(
            len(set(scopes)) if len(scopes) > 1 and all(s in _DISJOINT_FUNDS for s in scopes) else 1
            for scopes in by_kind.values()
        )
        - whole_and_part
    )


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    priority: int  # lower wins a tie of lengths
    kind: str
    payload: object = None


def _claim(found: list[_Found]) -> list[_Found]:
    """Non-overlapping spans, longest first, then by priority (lower first), then leftmost."""
    taken: list[_Found] = []
    used: set[int] = set()
    for candidate in sorted(found, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        positions = set(range(candidate.start, candidate.end))
        if positions & used:
            continue
        used |= positions
        taken.append(candidate)
    return sorted(taken, key=lambda t: t.start)


# The characters of a question a printed name must begin with for a two-character body word there to be its start.
MIN_BEGUN = 5


def _body_mentions(q: str, bodies: BodyIndex, vocabulary: Vocabulary) -> list[_Found]:
    """Every span of the question that names loaded bodies (each with the bodies it names).

    A two-character part ("检察", "财政") gives way to a word of the same length ("检察" the 科目),
    unless it stands in a list of bodies ("政协、法院、人大").
    """
    found: list[_Found] = []
    text = q
    while True:
        names, match = named_bodies(text, bodies)
        if match is None:
            break
        found.append(_Found(match.start, match.end, 0, "body", tuple(names)))
        text = text[: match.start] + "\0" * (match.end - match.start) + text[match.end :]
    out = []
    for mention in found:
        listed = any(
            other is not mention and (0 <= mention.start - other.end <= 1 or 0 <= other.start - mention.end <= 1)
            for other in found
        )
        short = mention.end - mention.start <= 2
        if short and _UNIT_AFTER.match(q, mention.end):
            continue  # "工务署教育工程管理中心": 教育 begins a unit's name, it is no body
        if short and not listed and vocabulary.begins(q[mention.start : mention.start + MIN_BEGUN]):
            continue  # "社会公益类、老年人福利类…项目": 社会 begins a printed name (社会公益类项目), it is no body
        out.append(replace(mention, priority=3) if short and not listed else mention)
    return out


_INDEXED: list[tuple[Sequence[DocumentInfo], BodyIndex]] = []  # the last documents seen, and their bodies


def body_index(documents: Sequence[DocumentInfo]) -> BodyIndex:
    """The bodies of `documents` (a snapshot's, the same object question after question), indexed once."""
    if _INDEXED and _INDEXED[0][0] is documents:
        return _INDEXED[0][1]
    bodies: dict[str, list[str]] = {}
    for doc in documents:
        bodies.setdefault(label_key(doc.body), []).append(doc.id)
    index = BodyIndex(bodies)
    _INDEXED[:] = [(documents, index)]
    return index


def frame_of(question: str, documents: Sequence[DocumentInfo], glossary: Glossary, vocabulary: Vocabulary) -> Frame:
    q = _count_after_name(normalize_question(question), vocabulary)
    bodies = body_index(documents)
    words = glossary.words()
    found = _body_mentions(q, bodies, vocabulary)
    for match in _YEAR.finditer(q):
        found.append(_Found(match.start(), match.end(), 0, "year", int(match.group(1))))
    for match in _AS_OF.finditer(q):
        month = int(match.group(2)) if match.group(2) else 12
        found.append(_Found(match.start(), match.end(), 0, "as_of", (int(match.group(1)), month)))
    for start in range(len(q)):
        for word in (w for w in glossary.words_by_first.get(q[start], ()) if q.startswith(w, start)):
            if _in_context(q, word, words):
                found.append(_Found(start, start + len(word), 1, "concept", word))
        for form, name in vocabulary.names_at(q, start):
            if _own_part_of_body(form, bodies):
                continue  # "深圳市民政局（本级）": the body, asked without its units (see `本级` below)
            found.append(_Found(start, start + len(form), 2, "name", name))
        for word, scope in glossary.scopes.items():
            if q.startswith(word, start):
                found.append(_Found(start, start + len(word), 0, "scope", scope))
    found += _joined_name_beginnings(q, vocabulary)
    for match in _CODE.finditer(q):
        found.append(_Found(match.start(), match.end(), 0, "code", match.group(1)))
    for match in _PRIOR.finditer(q):
        found.append(_Found(match.start(), match.end(), 3, "prior"))
    for pattern, role in _ROLES:
        for match in re.finditer(pattern, q):
            found.append(_Found(match.start(), match.end(), 0, "role", role))
    for match in _COUNT.finditer(q):
        found.append(_Found(match.start(), match.end(), 4, "count"))
    for match in _PHASE.finditer(q):
        found.append(_Found(match.start(), match.end(), 5, "phase"))
    for place in _places(documents):
        # "江苏省级", "区级": the place, at its level (not after 比: "比区级多多少" compares with something)
        found += [
            _Found(m.start(), m.end(), 6, "place")
            for pattern in (re.escape(place) + "级", re.escape(place))
            for m in re.finditer(pattern, q)
            if q[max(m.start() - 1, 0) : m.start()] not in ("比", "较")
        ]
    found = _bodies_before_items(q, found, bodies)
    claimed = _owned(q, _claim(found), words, vocabulary)
    hints = _hints(q, documents, bodies, claimed)
    return _assemble(q, hints, claimed, glossary, vocabulary, words)


_OWN_PART = re.compile(r"[(（]本级[)）]$")


def _joined_name_beginnings(q: str, vocabulary: Vocabulary) -> list[_Found]:
    """ "工资福利、商品和服务、离退休经费": a joining word inside the beginning of a printed name ("商品和服务" of
    商品和服务支出) holds the name together, not two things ("商品", and a row printed as "服务")."""
    out = []
    for join in _LIST_JOIN.finditer(q):
        at, past = join.start(), join.end()
        after = [len(form) for form, _ in vocabulary.names_at(q, past)]  # "服务", printed as a row of its own
        spans = [(s, e) for s in range(max(0, at - 6), at - 1) for e in range(min(len(q), at + 8), past + 1, -1)]
        for start, end in spans:  # the longest beginning first
            names = vocabulary.begun_by(q[start:end])
            if end - start >= 4 and names and any(past + n <= end for n in after):
                out.append(_Found(start, end, 2, "name", names[0]))
                break
    return out


def _own_part_of_body(form: str, bodies: BodyIndex) -> bool:
    """A unit printed as a loaded body's own part ("深圳市民政局（本级）"): named by the body and 本级."""
    stem = _OWN_PART.sub("", form)
    if stem == form:
        return False
    _, match = named_bodies(stem, bodies)
    return match is not None and match.start == 0 and match.end == len(stem)


def _bodies_before_items(q: str, found: list[_Found], bodies: BodyIndex) -> list[_Found]:
    """A body's name read across the first characters of an item ("深圳民政局办|公费": 办 taken for a 政府办's,
    leaving "公费"): the body is read again from the text before the item, which keeps its whole name."""
    items = [(f.start, f.end) for f in found if f.kind in ("concept", "name") and f.end - f.start >= 3]
    out = []
    for mention in found:
        cut = min(
            (s for s, e in items if mention.kind == "body" and mention.start < s < mention.end < e),  # across its end
            default=None,
        )
        if cut is not None:
            names, match = named_bodies(q[mention.start : cut], bodies)
            if match is not None:
                start, end = mention.start + match.start, mention.start + match.end
                mention = replace(mention, start=start, end=end, payload=tuple(names))
        out.append(mention)
    return out


def _count_after_name(q: str, vocabulary: Vocabulary) -> str:
    """ "预计办理多少件提案" → "预计办理提案多少件": a count word inside a printed name moves after it."""
    for match in _COUNT.finditer(q):
        around = vocabulary.split_by(q, match.start(), match.end())
        if around is not None:
            start, end = around
            name = q[start : match.start()] + q[match.end() : end]
            return q[:start] + name + match.group(0) + q[end:]
    return q


def _places(documents: Sequence[DocumentInfo]) -> frozenset[str]:
    """The regions of the loaded documents and their parts ("上海市普陀区", "上海", "普陀区", "普陀"):
    words that place a question, not items."""
    return _places_of(frozenset(doc.region for doc in documents))


@cache
def _places_of(regions: frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for region in regions:
        parts = re.findall(r"[^省市区县]+[省市区县]", region)
        for part in [region, *parts]:
            out.add(part)
            if len(part) >= 3:
                out.add(part[:-1])
    return frozenset(p for p in out if len(p) >= 2)


def _in_context(q: str, word: str, words: dict[str, list[Concept]]) -> bool:
    """A word that needs a context word in the question ("服务" for 政府采购服务 needs 采购)."""
    return all(c.context in q for c in words[word] if word in c.context_words)


def _hints(q: str, documents: Sequence[DocumentInfo], index: BodyIndex, claimed: list[_Found]) -> DocumentHints:
    bodies = index.documents
    mentions = [c for c in claimed if c.kind == "body"]
    regions = {d.id: d.region for d in documents}
    sure = {regions[doc_id] for m in mentions if len(m.payload) == 1 for doc_id in bodies[m.payload[0]]}  # type: ignore[index, arg-type]
    chosen: list[str] = []
    for mention in mentions:
        names = list(mention.payload)  # type: ignore[call-overload]
        if len(names) > 1 and sure:
            # "普陀区商务委、财政局、区府办": the 财政局 of the region the others are in
            names = [n for n in names if any(regions[d] in sure for d in bodies[n])] or names
        chosen += [doc_id for name in names for doc_id in bodies[name]]
    body_ids = tuple(chosen)
    # A phrase shaped like a body's name that no loaded body answers to as a whole: a body that is not
    # loaded ("黄浦区财政局"), even when part of it fits one that is ("财政局").
    unknown = None
    for phrase in BODY_PHRASE.finditer(_COMMANDS.sub(lambda m: "|" * len(m.group(0)), q)):
        if index.names_whole(phrase.group(0)):
            continue
        covered = sum(
            min(m.end, phrase.end()) - max(m.start, phrase.start())
            for m in mentions
            if m.start < phrase.end() and phrase.start() < m.end
        )
        if covered >= len(phrase.group(0)) - 1:
            continue  # a list of bodies run together ("政协法院人大")
        inside = [m for m in mentions if phrase.start() <= m.start and m.end <= phrase.end()]
        first = min((m.start for m in inside), default=phrase.start())
        # the place before a known body's name, whose own region character the name may begin with
        # ("黄浦|区财政局")
        before = q[phrase.start() : first + (1 if q[first : first + 1] in "省市区县镇乡" else 0)]
        if inside and not re.search(r"[省市区县镇乡]$", before):
            continue  # "月底商务委": words before a known body, not another body's place
        shorter = inside and all(m.end - m.start < len(phrase.group(0)) - 1 for m in inside)
        if (shorter or not mentions) and not any(
            c.start < phrase.end() and phrase.start() < c.end and c.kind in ("concept", "name", "scope")
            for c in claimed
        ):
            unknown = phrase.group(0)
            body_ids = ()
            break
    years = [int(c.payload) for c in claimed if c.kind == "year"]  # type: ignore[call-overload]
    stocks = {(d.year, d.phase) for d in documents if not body_ids or d.id in body_ids}
    for c in (c for c in claimed if c.kind == "as_of"):
        year, month = cast(tuple[int, int], c.payload)
        if not years:
            year_end = month == 12 and (year, "决算") in stocks
            years = [year if year_end or (year + 1, "预算") not in stocks else year + 1]
    for span in _YEAR_RANGE.finditer(q):
        first, last = int(span.group(1)), int(span.group(2))
        if first < last <= first + 10:
            years = sorted({*years, *range(first, last + 1)})  # "2017到2019年": every year between
    document_year = None
    said = _READ_IN.search(q)
    if said is not None and len(set(years)) == 2:
        year = int(next(g for g in said.groups() if g))
        if year - 1 in years:
            document_year = year  # "据2018年预算，2017年的…": last year's figure as the later document gives it
    compared = [int(m.group(1)) for m in _COMPARED.finditer(q)]
    loaded = {d.year for d in documents if d.id in body_ids} if body_ids else {d.year for d in documents}
    if document_year is None and len(set(years)) == 2:
        later, earlier = max(years), min(years)
        # "2025年财政拨款收入比2024年预算增加了多少", "19年项目支出比18年增长了多少" with no 2018 document:
        # the later year's document says how it changed on the year before.
        if later - 1 == earlier and (earlier in compared or earlier not in loaded) and later in loaded:
            document_year = later
    phase_words = re.sub(
        r"预算数|年初预算|调整预算|全年预算|预算完成|完成预算|预算执行|执行数|比20\d\d年度?预算|一般公共预算|政府性基金预算|"
        r"国有资本经营预算|涉及预算(?:金额|资金)",  # "涉及预算金额": 决算 narratives say it too
        "",
        q,
    )
    phase = "决算" if "决算" in phase_words else ("预算" if "预算" in phase_words else None)
    if "决算" in phase_words and "预算" in phase_words and len(set(years)) >= 2:
        phase = None  # "2025年预算…比2024年决算": each year in its own phase
    edition = (
        # "本级" asks for the body itself without its units: the 单位 edition (a 部门 document adds them up)
        "单位"
        # "哪家单位预算最多", "下属单位预算": a unit's budget inside the department's, not the 单位 edition
        if re.search(r"(?<![哪家个属级些])单位预算|(?<![哪家个属级些])单位决算|单位版|本级", q)
        else ("部门" if re.search(r"部门预算|部门决算|部门版", q) else None)
    )
    names_kept = tuple(dict.fromkeys(d.body for d in documents if d.id in body_ids))
    # "大鹏规自局": two parts of one body's name are one body named
    named = len({frozenset(m.payload) for m in mentions})  # type: ignore[call-overload]
    return DocumentHints(tuple(years), phase, edition, body_ids, unknown, names_kept, document_year, named)


def _assemble(
    q: str,
    hints: DocumentHints,
    claimed: list[_Found],
    glossary: Glossary,
    vocabulary: Vocabulary,
    words: dict[str, list[Concept]],
) -> Frame:
    spans = [
        Span(
            c.start,
            c.end,
            "item" if c.kind in ("concept", "name", "owned") else "year" if c.kind == "as_of" else c.kind,
        )
        for c in claimed
    ]
    if hints.unknown_body and hints.unknown_body in q:
        # a body that is not loaded is what the reply names; its words are no leftover
        at = q.index(hints.unknown_body)
        spans.append(Span(at, at + len(hints.unknown_body), "body"))
    count = any(c.kind == "count" for c in claimed)
    role = next((str(c.payload) for c in claimed if c.kind == "role"), None)
    prior = any(c.kind == "prior" for c in claimed)
    if hints.document_year is not None and any(y == hints.document_year - 1 for y in hints.years):
        prior = True
    items: list[ItemRef] = []
    for c in claimed:
        if c.kind == "concept":
            items.append(_concept_ref(q, c, words, count))
        elif c.kind == "name" and str(c.payload) in vocabulary.concepts:
            # A printed name every document uses for one concept ("政府采购预算总额", "一般公共预算资金").
            name = str(c.payload)
            named_scope = scope_named(name) if is_scope_label(name) or strip_scope(name) != name else None
            meant = next((k for k in glossary.concepts if k.name == vocabulary.concepts[name]), None)
            items.append(
                ItemRef(
                    q[c.start : c.end],
                    c.start,
                    c.end,
                    concept=vocabulary.concepts[name],
                    names=(name,),
                    scope=named_scope,
                    # "项目纳入绩效目标管理" means a count (绩效目标项目): never answered with money
                    measure=meant.measure if meant is not None else "money",
                )
            )
        elif c.kind == "name":
            items.append(ItemRef(q[c.start : c.end], c.start, c.end, names=(str(c.payload),)))
        elif c.kind == "owned":
            names, measure, written = cast(tuple[tuple[str, ...], str, str], c.payload)
            items.append(ItemRef(written, c.start, c.end, names=names, measure=measure, guessed=True))
        elif c.kind == "code" and str(c.payload) in vocabulary.codes:
            items.append(ItemRef(str(c.payload), c.start, c.end, codes=(str(c.payload),)))
        elif c.kind == "code":
            spans = [s for s in spans if not (s.start == c.start and s.kind == "code")]
    items = _merge_code_and_name(q, items)
    scope: str | None = None
    again: list[str] = []  # scopes asked again of the same items in a later clause
    for c in (c for c in claimed if c.kind == "scope"):
        named, wide, extra = _scoped(q, c, items, scope)
        spans += extra
        asked_before = [i for i in items if i.end <= c.start]
        if named is items and not extra and asked_before and len(asked_before) == len(items):
            gap = q[max(i.end for i in asked_before) : c.start]
            if re.search(r"[，,；;。]|其中|多少|几|吗|呢", gap):  # (the question mark is normalised away)
                # "教育支出财政拨款安排了多少？全部资金口径又是多少", "财政拨款收入多少，其中一般公共预算拨款是
                # 多少": the same items once more, in that scope, not a scope silently dropped
                again.append(str(c.payload))
                continue
        if named is items and not extra and scope is not None and {scope, str(c.payload)} <= _DISJOINT_FUNDS:
            # two funds for the whole question in one clause ("污水处理服务费（一般公共预算那块加政府性基金那块）占…"):
            # which figure is of which is not known, and one of them must not be dropped silently: left unclaimed,
            # the answer names it
            spans = [s for s in spans if not (s.start == c.start and s.kind == "scope")]
            continue
        items, scope = named, wide
    items = _in_fund_named_after(q, items)
    items.sort(key=lambda i: i.start)
    base = None
    share = re.search(r"占(.+?)(?:的)?(?:比例|比重|百分比|百分之|多少|几成|%|份额|比|$)", q)
    # (the operator words say whether a share is asked: not "其中人员经费占多少钱", an amount, nor "占几辆", a count)
    asks_share = "share" in asked_operations(q)
    if share is not None and asks_share:
        inside = [i for i in items if share.start(1) <= i.start and i.end <= share.end(1)]
        if inside and len(items) > len(inside):
            base = _alone_words(inside)[0]
            items = [i for i in items if i not in inside]
    whole = re.search(r"^(.+?)(?:里面|当中|之中|里|中)(.+?)占", q)
    if base is None and whole is not None and asks_share:
        # "部门收入里其他收入占了多大比例": the share of what follows 里, of what comes before it
        before = [i for i in items if i.end <= whole.end(1)]
        if before and len(items) > len(before):
            base = _alone_words(before)[-1]
            items = [i for i in items if i is not base]
    asked_first = re.search(r"^(.*?)(?:是多少|多少|几)(.+?)占", q)
    if base is None and share is not None and asked_first is not None and asks_share:
        # "政府采购预算总额多少；服务类占了百分之几": the share of what the question asked first
        before = [i for i in items if i.end <= asked_first.end(1)]
        after = [i for i in items if i.start >= asked_first.start(2)]
        if len(before) == 1 and after and len(before) + len(after) == len(items):
            base, items = before[0], after
    if base is None and len(items) > 1 and _EACH_SHARE.search(q):
        # "基本支出、项目支出各多少，各占多少": each of the whole they are parts of, not the first of the last
        owner = next((c.name for c in glossary.concepts if items[0].concept and items[0].concept in c.parts), SHARE_OF)
        base = ItemRef(owner, 0, 0, concept=owner)
    items = _qualify(q, items, glossary)
    items = _once(items)
    for name in again:
        items += [replace(i, scope=name) for i in items if (i.scope or scope) != name and not i.counted]
    if not items and scope is not None:
        first = next(c for c in claimed if c.kind == "scope")
        fund = q[first.start : first.end]
        items = [ItemRef(fund, first.start, first.end, concept="本年收入合计", scope=scope)]
        if _CHANGE_ASKED.search(q):
            # "财政拨款比上年增加了多少": the fund's money received and spent are one amount in a budget, but the
            # narrative may state their changes against two bases; each is given
            items = [
                ItemRef(fund + flow[2:4], first.start, first.end, concept=flow, scope=scope)
                for flow in ("本年收入合计", "本年支出合计")
            ]
    items = _alone_words(items, q)
    listed, spans = _hyphen_listed(q, spans, vocabulary)
    items, spans = _named_around_a_concept(q, items, spans, vocabulary)
    extra_items, spans = _partial_items(q, spans, vocabulary)
    items = sorted(items + listed + extra_items, key=lambda i: i.start)
    table, table_span = _table_kind(q)
    if table is not None:
        # "机关运行经费支出预算表里差旅费": the table's own name is no item; what it holds is read in it.
        items = [i for i in items if not (table_span[0] <= i.start and i.end <= table_span[1])]
        items = [i if i.within else replace(i, within=table) for i in items]
        spans.append(Span(table_span[0], table_span[1], "table"))
    if count:
        asked = _counted(q, items, [c for c in claimed if c.kind == "count"])
        items = [
            replace(_as_count(item, words, q, vocabulary), counted=True) if n in asked else item
            for n, item in enumerate(items)
        ]
    page = _PAGE.search(q)
    top = _TOP.search(q)
    amount = THRESHOLD.search(q)
    spans += [Span(m.start(), m.end(), "number") for m in (page, top, amount) if m is not None]
    # an amount the asker quotes ("那1094.62万会议费", "砍了97万") says which figure they mean; it is no item; nor is
    # a proportion the asker estimates ("少了近一半", "减了八成多")
    spans += [
        Span(m.start(), m.end(), "number")
        for pattern in (STATED_AMOUNT, STATED_PROPORTION)
        for m in pattern.finditer(q)
        if not any(s.start < m.end() and m.start() < s.end for s in spans)
    ]
    items = _as_amount(q, items, glossary)
    items, spans = _unit_name_split(items, spans)
    items = _not_the_container(q, items)
    items = _figures_of_named(q, items, glossary)
    spans += _inclusions(q, items)
    items = _funds_included(q, items)
    items, said_not = _said_not(q, items)
    spans += said_not
    return Frame(
        q,
        hints,
        tuple(items),
        base,
        scope,
        role,
        prior,
        count,
        tuple(spans),
        count_words=tuple(q[c.start : c.end] for c in claimed if c.kind == "count"),
        page=int(page.group(1)) if page else None,
        table=table,
        threshold=threshold_of(q),
        stated=tuple(stated_amounts(q)),
        top=int(chinese_number(next(g for g in top.groups() if g)) or ALL_ROWS) if top else None,
        term=_term(q, spans),
    )


# "本年收入合计是多少？不算上年结转的那块", "人员经费多少？不是工资福利那一项", "一般公共预算支出多少，不含…政府性基金":
# a clause after what is asked that says what it is not.
NOT_MEANT = r"不是|不算|不含|不包括|不包含"  # words saying what a clause does not mean (queries/paraphrase.py too)
_SAID_NOT = re.compile(rf"(?<!是)({NOT_MEANT})([^，。？！,?!；;]{{1,24}})")
# the row the asker points at and does not mean ("不是工资福利那一项"), though its words name no row
_POINTED_ROW = re.compile(r"(?:那一?项|那一行|那个|那块|那部分|那些)$")


def _said_not(q: str, items: list[ItemRef]) -> tuple[list[ItemRef], list[Span]]:
    """What a clause says the asked item is not is no second item, and the clause is claimed: "不是X" names a row
    the asker does not mean; "不算/不含X" only where the asked item excludes X by its own name (本年 against 上年, one
    fund against another). Taking a part out of a total ("收入总计不算上年结转") is a remainder: left to be named."""
    spans: list[Span] = []
    for match in _SAID_NOT.finditer(q):
        if asked_operations(match.group(0)):
            continue  # "不算…的话增长多少": the clause asks something itself
        clause = match.group(2)
        # (a fund scope the clause names again makes a copy of the asked item in that scope: "…不含…政府性基金")
        before = q[: match.start()]
        inside = [
            i
            for i in items
            if (match.start() <= i.start and i.end <= match.end())
            or (i.scope is not None and i.scope in clause and i.scope not in before and i.start < match.start())
        ]
        asked = [i for i in items if i.end <= match.start() and i not in inside]
        if not asked or not (inside or (match.group(1) == "不是" and _POINTED_ROW.search(clause))):
            continue
        if match.group(1) != "不是" and not all(any(_excludes(a, i) for a in asked) for i in inside):
            continue
        items = [i for i in items if i not in inside]
        spans.append(Span(match.start(), match.end(), "comment"))
    return items, spans


def _excludes(asked: ItemRef, other: ItemRef) -> bool:
    this_year = asked.label.startswith("本年") and "上年" in (other.label + other.words)
    other_fund = asked.scope is not None and other.scope is not None and asked.scope != other.scope
    return this_year or other_fund


_FUND_FLOWS = frozenset({"本年收入合计", "本年支出合计"})
_INSIDE_NAMED = re.compile(r"(?:项|项目|资金)?(?:里面|里|当中|之中|中)[，,]?")


_INCLUDING = re.compile(r"(?:含|包含|包括|连同|含有)$")
_INCLUDED_AFTER = re.compile(r"(?:也|都)?(?:算上|算进去|算在内|计算在内|包括在内|包含在内|在内)")  # "事业收入也算上"
_FUND_WORD = re.compile(r"(?:资金|拨款|收入)$")


def _included_fund(q: str, item: ItemRef) -> bool:
    """A fund the asker says the figure includes ("含单位资金", "事业收入也算上"): which figure, not what is asked."""
    said = _INCLUDING.search(q, 0, item.start) or _INCLUDED_AFTER.match(q, item.end)
    return bool(said) and bool(_FUND_WORD.search(item.words)) and not item.codes


def _funds_included(q: str, items: list[ItemRef]) -> list[ItemRef]:
    """ "食品安全监管总共安排多少，含单位资金": a fund the asker says is included says which figure (all funds), it
    is not a second item to add up. Its words stay claimed: nothing is named back."""
    kept = [i for i in items if not (_included_fund(q, i) and len(items) > 1)]
    return kept or items


def _inclusions(q: str, items: list[ItemRef]) -> list[Span]:
    """The words after a fund that say it is included ("也算上"): claimed, they ask nothing more."""
    said = [_INCLUDED_AFTER.match(q, i.end) for i in items if _included_fund(q, i)]
    return [Span(m.start(), m.end(), "comment") for m in said if m is not None]


def _figures_of_named(q: str, items: list[ItemRef], glossary: Glossary) -> list[ItemRef]:
    """ "市中医院迁建工程总投资多少": a concept that is a figure of the printed name right before it (`of_named` in
    glossary.toml) is asked of that name, read within it; the name is no second thing asked (its year's amount is
    not its 总投资)."""
    ordered = sorted(items, key=lambda i: i.start)
    out = list(ordered)
    for before, item in itertools.pairwise(ordered):
        concept = next((c for c in glossary.concepts if c.name == item.concept), None)
        joined = q[before.end : item.start] in ("", "的")
        if concept is not None and concept.of_named and joined and before.concept is None and before.names:
            out = [replace(item, within=before.names[0]) if i is item else i for i in out if i is not before]
    return out


def _not_the_container(q: str, items: list[ItemRef]) -> list[ItemRef]:
    """ "贸易高质量发展专项里，市级支持总部经济比区级多多少", "信访接待中心运行费里，电费安排了多少": a printed
    name the others are said to be in is where they are, not one of the things asked; what follows is read
    within it (its rows, or a unit's)."""
    ordered = sorted(items, key=lambda i: i.start)
    out: list[ItemRef] = []
    container: ItemRef | None = None
    for n, item in enumerate(ordered):
        after = ordered[n + 1 :]
        inside = after and _INSIDE_NAMED.fullmatch(q[item.end : after[0].start])
        if (
            item.concept is None
            and not item.codes
            and item.names
            and inside
            and container is None
            and not scope_named(item.words)  # "一般公共预算当年拨款里": a fund scope, kept for what it says
        ):
            container = item
            continue
        out.append(item)
    if container is None:
        return items
    several = len(out) >= 2 or "比" in q[container.end :]
    return [i if several or i.within else replace(i, within=container.names[0]) for i in out]


def _unit_name_split(items: list[ItemRef], spans: list[Span]) -> tuple[list[ItemRef], list[Span]]:
    """A short concept word run into a printed unit's name ("教育" + "工程管理中心" = 教育工程管理中心) is one
    name the documents do not print, not 教育支出 and 工程管理中心: both are let go, to be named back."""
    ordered = sorted(items, key=lambda i: i.start)
    dropped: set[int] = set()
    for a, b in itertools.pairwise(ordered):
        if a.end == b.start and a.end - a.start <= 2 and not b.concept and _UNIT_END.search(b.words):
            dropped |= {id(a), id(b)}
    if not dropped:
        return items, spans
    gone = {(i.start, i.end) for i in items if id(i) in dropped}
    kept = [s for s in spans if not (s.kind == "item" and (s.start, s.end) in gone)]
    return [i for i in items if id(i) not in dropped], kept


def _as_amount(q: str, items: list[ItemRef], glossary: Glossary) -> list[ItemRef]:
    """A count asked about in money words ("有没有买车的预算", "购车的钱") is the money concept of it."""
    out = []
    for item in items:
        concept = next((c for c in glossary.concepts if c.name == item.concept), None)
        if concept is not None and concept.amount and _MONEY_AFTER.match(q, item.end):
            item = replace(item, concept=concept.amount, measure="money", counted=False)
        out.append(item)
    return out


def _once(items: list[ItemRef]) -> list[ItemRef]:
    """Each item once; two mentions side by side are one, written as both ("公务用车保有量")."""
    out: list[ItemRef] = []
    for item in items:
        first = next((n for n, kept in enumerate(out) if _same(kept, item)), None)
        if first is None:
            out.append(item)
        elif out[first].end == item.start:
            out[first] = replace(out[first], words=out[first].words + item.words, end=item.end)
    return out


def _same(a: ItemRef, b: ItemRef) -> bool:
    """Two mentions of one item ("财政拨款支出预算…财政拨款支出决算" asks one item in two years; "单价…
    设备" names one concept twice)."""
    names = (a.names == b.names) or (a.concept is not None and not a.codes and not b.codes)
    return names and (a.concept, a.codes, a.scope, a.spending, a.within) == (
        b.concept,
        b.codes,
        b.scope,
        b.spending,
        b.within,
    )


def _concept_ref(q: str, found: _Found, words: dict[str, list[Concept]], count: bool) -> ItemRef:
    word = str(found.payload)
    concepts = words[word]
    wanted = "count" if count else "money"
    chosen = next((c for c in concepts if c.measure == wanted), concepts[0])
    # The word is kept as a name too: where the document prints no figure of the concept, a row of
    # that name may answer for it (queries/pick.py), labelled as the row it is.
    return ItemRef(
        q[found.start : found.end], found.start, found.end, concept=chosen.name, names=(word,), measure=chosen.measure
    )


def _scoped(
    q: str, found: _Found, items: list[ItemRef], scope: str | None
) -> tuple[list[ItemRef], str | None, list[Span]]:
    """A fund scope: of the item written right after it ("财政拨款基本支出"), or the year's total of
    that scope when a flow follows ("财政拨款收入", "一般公共预算支出"), else of the whole question."""
    name = str(found.payload)
    after = next((i for i in items if i.start == found.end), None)
    if after is not None and after.concept in ("收入总计", "支出总计") and after.words in _BARE_TOTALS:
        flow = "本年收入合计" if "收入" in after.words else "本年支出合计"
        joined = ItemRef(q[found.start : after.end], found.start, after.end, concept=flow, scope=name)
        return [joined if i is after else i for i in items], scope, []
    if after is not None:
        return [replace(i, scope=name) if i is after else i for i in items], scope, []
    owned = next((i for i in items if i.start == found.end + 1 and q[found.end] == "的"), None)
    if owned is not None and any(i.concept == owned.concept and i is not owned for i in items):
        # "基本支出是多少，财政拨款的基本支出又是多少": this mention in the scope, the other as it is
        return [replace(i, scope=name) if i is owned else i for i in items], scope, []
    word = q[found.start : found.end]
    beside_fund = _FUND_LISTED_AFTER.match(q, found.end) or _FUND_LISTED_BEFORE.search(q, 0, found.start)
    listed = _LISTED_AFTER.match(q, found.end) or _LISTED_BEFORE.search(q, 0, found.start)
    things = _THINGS_ASKED.search(q)
    # "一般行政管理事务、公务用车运行维护费、财政专户管理资金，这三个数分别是" (the 、 normalised away): one
    # of the things counted
    one_of_them = things is not None and chinese_number(things.group(1)) == len(items) + 1
    if (re.search(r"(?:拨款|资金)$", word) and (listed or one_of_them)) or beside_fund:
        # "一般公共预算拨款和事业收入各多少", "财政拨款里，一般公共预算和政府性基金各安排了多少",
        # "…公务用车运行维护费、财政专户管理资金，这三个数": each fund's money
        granted = ItemRef(word, found.start, found.end, concept="本年收入合计", scope=name)
        return [*items, granted], scope, [Span(found.start, found.end, "item")]
    follow = _FLOW_WORDS.match(q, found.end)
    if follow is not None and follow.group(1) == "收支":
        # "财政拨款收支比上年多了多少": the fund's income and its spending, each
        start, end = found.start, follow.end()
        fund = q[found.start : found.end]
        both = [
            ItemRef(fund + flow[2:4], start, end, concept=flow, scope=name) for flow in ("本年收入合计", "本年支出合计")
        ]
        return [*items, *both], scope, [Span(found.end, follow.end(), "item")]
    if follow is not None:
        flow = "本年收入合计" if follow.group(1) == "收入" else "本年支出合计"
        item = ItemRef(q[found.start : follow.end()], found.start, follow.end(), concept=flow, scope=name)
        return [*items, item], scope, [Span(found.end, follow.end(), "item")]
    return items, scope or name, []


SHARE_OF = "支出总计"  # what a share is of when the question names no whole
_EACH_SHARE = re.compile(r"(?:各|分别|各自)占")
_EACH = re.compile(r"各|分别")


def _in_fund_named_after(q: str, items: list[ItemRef]) -> list[ItemRef]:
    """ "社会福利事业单位财政拨款支出多少", "人员经费和公用经费的财政拨款支出各多少": the rows before a fund's flow
    ("财政拨款支出") in that fund, not the rows and the fund's total. Not "A、财政拨款支出各多少" (the 、 is
    normalised away: only a 的 tells the fund's flow from one more thing listed)."""
    out = list(items)
    for fund in items:
        if fund.concept not in _FUND_FLOWS or fund.scope is None or strip_scope(fund.words) not in ("收入", "支出"):
            continue
        owned = fund.start > 0 and q[fund.start - 1] == "的"
        owners = _owners_before(q, out, fund.start - 1 if owned else fund.start)
        if owners and (owned or not _EACH.search(q)):
            out = [replace(i, scope=fund.scope) if i in owners else i for i in out if i is not fund]
    return out


def _owners_before(q: str, items: list[ItemRef], end: int) -> list[ItemRef]:
    """The items ending at `end` and those listed with them before it ("人员经费和公用经费"): none that is a total,
    a fund's flow or already in a fund."""
    owners: list[ItemRef] = []
    for item in sorted(items, key=lambda i: -i.start):
        if item.end > end:
            continue
        if item.end != end and not (owners and _JOIN.match(q[item.end : end])):
            break
        if item.scope or item.concept in (*_FUND_FLOWS, "收入总计", "支出总计") or item.counted:
            break
        owners.append(item)
        end = item.start
    return owners


def _counted(q: str, items: list[ItemRef], counts: list[_Found]) -> set[int]:
    """The items a count word asks about: the one right after it ("几辆车", "几个内设机构"), else the
    one before it with those listed with it ("执法执勤用车、特种专业技术用车各几辆", "项目有几个");
    every item when none is next to one."""
    asked: set[int] = set()
    for count in counts:
        after = next((n for n, i in enumerate(items) if 0 <= i.start - count.end <= 1), None)
        if after is not None and items[after].concept and items[after].measure == "money":
            after = None  # "项目有几个，涉及预算资金多少": no count of money; the count is of what comes before
        if after is not None:
            asked.add(after)
            continue
        before = max((n for n, i in enumerate(items) if i.end <= count.start), default=None)
        while before is not None:
            asked.add(before)
            gap = q[items[before - 1].end : items[before].start] if before > 0 else None
            before = before - 1 if gap is not None and (gap == "" or _JOIN.fullmatch(gap)) else None
    # Items no count word is next to are counted too ("编制多少名，行政编制和事业编制各多少"), unless
    # they name an amount of money ("项目有几个，涉及多少资金").
    return {n for n, item in enumerate(items) if n in asked or not (item.concept and item.measure == "money")}


# The people a printed head count names after the word a question writes ("离退休" → 离退休人员).
_COUNTED_AFTER = ("人员", "人数")


def _as_count(item: ItemRef, words: dict[str, list[Concept]], q: str, vocabulary: Vocabulary) -> ItemRef:
    """Under a count question, the count a word names ("公务用车" → 车辆), if it names one; else a printed head count
    the word begins, with the character before it the question wrote ("离退休各几个": 离退休人员), not the money the
    word also names (退休费)."""
    if item.measure == "count":
        return item
    count = next((c for c in words.get(item.words, []) if c.measure == "count"), None)
    if count is not None:
        return ItemRef(item.words, item.start, item.end, concept=count.name, measure="count", counted=True)
    for start in (item.start - 1, item.start):
        if start < 0:
            continue
        for after in _COUNTED_AFTER:
            written = q[start : item.end] + after
            printed = dict(vocabulary.names_at(written, 0))
            if written in printed:
                return ItemRef(
                    q[start : item.end], start, item.end, names=(printed[written],), measure="count", counted=True
                )
    return item


def _merge_code_and_name(q: str, items: list[ItemRef]) -> list[ItemRef]:
    """ "2010204政协会议", "教育电视台（2050502）" are one row: its code and its name next to each other.
    Only a code and a name meet: "2050502教育电视台项目支出" is that row's 项目支出, not a third name."""
    out: list[ItemRef] = []
    for n, item in enumerate(items):
        last = out[-1] if out else None
        bracketed = last is not None and item.codes and q[last.end : item.start] in ("(", "（")
        after = items[n + 1] if n + 1 < len(items) else None
        # "办公费、30299其他商品和服务支出" (the 、 normalised away): a code written right before a name is that name's
        leads = after is not None and after.start == item.end and after.names and not after.codes and not after.concept
        if (
            last is not None
            and (item.start == last.end or bracketed)
            and not (item.codes and leads and not bracketed)
            and not (item.concept or last.concept)
            and ((last.codes and item.names and not last.names) or (last.names and item.codes and not last.codes))
        ):
            closing = 1 if bracketed and q[item.end : item.end + 1] in (")", "）") else 0
            out[-1] = ItemRef(
                q[last.start : item.end + closing],
                last.start,
                item.end + closing,
                names=last.names + item.names,
                codes=last.codes + item.codes,
            )
            continue
        out.append(item)
    return out


def _container_kinds() -> dict[str, tuple[str, ...]]:
    """Concepts that are a table's total, with those tables: "机关运行经费里的…" reads that table."""
    out: dict[str, list[str]] = {}
    for kind, meaning in meanings().kinds.items():
        if meaning.total:
            out.setdefault(meaning.total, []).append(kind)
    return {k: tuple(v) for k, v in out.items()}


def _qualify(q: str, items: list[ItemRef], glossary: Glossary) -> list[ItemRef]:
    """Items that only narrow another are folded into it:
    - "机关运行经费里的物业管理费", "三公经费中的公务接待费": the part, within the whole;
    - "行政运行的基本支出", "一般公共服务支出里人员经费和公用经费": a row split by kind of spending.
    Items joined by 和、与、及 stay separate ("人员经费和公用经费各多少")."""
    if len(items) < 2:
        return items
    containers = _container_kinds()
    parts = {c.name: set(c.parts) for c in glossary.concepts}
    out: list[ItemRef] = []
    index = 0
    while index < len(items):
        item = items[index]
        following = items[index + 1 :]
        gap = q[item.end : following[0].start] if following else ""
        is_container = item.concept is not None and (
            item.concept in containers or item.concept in SPENDING or bool(parts.get(item.concept))
        )
        if following and is_container and not _JOIN.match(gap) and _INSIDE.search(gap):
            # the whole, then its parts: each part is read within the whole ("基本支出多少，其中人员经费
            # 多少" asks for the whole too)
            if re.search(r"多少|几|各|其中", gap):
                out.append(item)  # "政府采购预算总额，其中货物和服务各多少": the whole, then each part
            index += 1
            while index < len(items) and (
                index == items.index(following[0]) or _JOIN.match(q[items[index - 1].end : items[index].start])
            ):
                part = items[index]
                if part.concept and part.concept in SPENDING and item.concept in SPENDING:
                    out.append(part)
                elif part.concept in parts.get(str(item.concept), ()):
                    out.append(part)  # a declared part is its own concept wherever it is printed or stated
                elif item.scope and item.concept in _FUND_FLOWS:
                    # "一般公共预算当年拨款里，公共卫生": the fund's rows, not rows inside a total's
                    out.append(replace(part, scope=part.scope or item.scope))
                else:
                    out.append(replace(part, within=part.within or item.concept))
                index += 1
            continue
        spenders = []
        look = index + 1
        between = q[item.end : items[look].start] if look < len(items) else ""
        # "行政运行的基本支出", "教育电视台（2050502）这块项目支出", "2050502教育电视台项目支出"
        named_row = bool(item.names or item.codes)
        if item.concept is None and look < len(items) and (_INSIDE.search(between) or (named_row and not between)):
            while look < len(items) and items[look].concept in SPENDING:
                spenders.append(items[look])
                look += 1
                gap = q[items[look - 1].end : items[look].start] if look < len(items) else ""
                # "…的基本支出是多少，其中人员经费多少": the same row, split further
                if look < len(items) and not _JOIN.match(gap) and not re.fullmatch(r"(?:是|为)?(?:多少)?其中", gap):
                    break
        if spenders:
            if re.search(r"多少|几", between):
                out.append(item)  # "商品和服务支出一共多少，其中基本支出里的是多少": the whole, then its part
            out += [replace(item, spending=s.concept, end=s.end) for s in spenders]
            index = look
            continue
        out.append(item)
        index += 1
    return out


def _alone_words(items: list[ItemRef], q: str = "") -> list[ItemRef]:
    """Bare 收入 / 支出 name the totals only when nothing else is asked about ("行政运行支出" is 行政运行); a fund
    said to be included ("支出总共多少，事业收入也算上") is not something else asked."""
    weak = [i for i in items if i.concept in ("收入总计", "支出总计") and i.words in _BARE_TOTALS and not i.scope]
    others = [i for i in items if i not in weak and not (q and _included_fund(q, i))]
    if weak and others:
        return [i for i in items if i not in weak]
    return items


# Long words printed in names and the short forms questions use for them (general usage, no document's names).
_LIST_JOIN = re.compile(r"和|与|及|、|跟|以及")


def _hyphen_listed(q: str, spans: list[Span], vocabulary: Vocabulary) -> tuple[list[ItemRef], list[Span]]:
    """Names printed as "项目-对象" asked the way people say them: "辅助人员补助经费，拱北海关和珠海边检总站各多少",
    "给拱北海关的辅助人员补助经费", "宣传文化发展专项资金产业方向、事业方向": one item per 对象 named."""
    items: list[ItemRef] = []
    # (a place, a year or a body's short name may be part of such a name: "珠海边检总站", "2026年春节慰问金", "宣传…")
    taken = {p for s in spans if s.kind not in ("place", "year", "body") for p in range(s.start, s.end)}
    for head, tails in vocabulary.hyphen_heads.items():
        for found in re.finditer(re.escape(head), q):
            if taken & set(range(found.start(), found.end())):
                continue
            named: list[tuple[int, int, str]] = []
            at = found.end()
            while True:  # 对象 after the 项目 ("…经费拱北海关和珠海边检总站")
                tail = max((t for t in tails if q.startswith(t, at)), key=len, default=None)
                if tail is None or taken & set(range(at, at + len(tail))):
                    break
                named.append((at, at + len(tail), tails[tail]))
                at += len(tail)
                joined = _LIST_JOIN.match(q, at)
                if joined is None:
                    break
                at = joined.end()
            # or before it ("给拱北海关和珠海边检总站的辅助人员补助经费")
            end = found.start() - 1 if q[: found.start()].endswith("的") else found.start()
            while not named or q[: named[0][0]].endswith(("和", "与", "及", "、", "跟")):
                stop = end if not named else named[0][0] - 1
                tail = max((t for t in tails if q.endswith(t, 0, stop)), key=len, default=None)
                if tail is None or taken & set(range(stop - len(tail), stop)):
                    break
                named.insert(0, (stop - len(tail), stop, tails[tail]))
            if not named:
                continue
            for start, end, name in named:
                items.append(ItemRef(q[start:end], start, end, names=(name,)))
                spans = [*spans, Span(start, end, "item")]
            spans = [*spans, Span(found.start(), found.end(), "item")]
            taken |= {p for start, end, _ in named for p in range(start, end)} | set(range(found.start(), found.end()))
    return items, spans


def _named_around_a_concept(
    q: str, items: list[ItemRef], spans: list[Span], vocabulary: Vocabulary
) -> tuple[list[ItemRef], list[Span]]:
    """A word left over right before a concept's word that, with it, ends a printed name: "临聘人员经费" is the
    printed 信访局临聘人员经费, not 人员经费 with "临聘" unbound."""
    out = list(items)
    for run_start, run_end, _ in leftover_words(q, spans):
        concept = next((i for i in out if i.start == run_end and i.concept and not i.codes), None)
        if concept is None:
            continue
        word = q[run_start : concept.end]
        names = [n for n in vocabulary.part_of(word) if n.endswith(word)]
        if 1 <= len(names) <= 4:
            out[out.index(concept)] = ItemRef(word, run_start, concept.end, names=tuple(names), guessed=True)
            spans = [*spans, Span(run_start, run_end, "item")]
    return out, spans


def _partial_items(q: str, spans: list[Span], vocabulary: Vocabulary) -> tuple[list[ItemRef], list[Span]]:
    """Words left over that end (or begin) a printed name, or are one character off one."""
    extra: list[ItemRef] = []
    for run_start, run_end, run in leftover_words(q, spans):
        # "基本养老保险缴费和职业年金": each listed word on its own, when each is part of a printed name
        pieces = [(m.start() + run_start, m.end() + run_start, m.group()) for m in re.finditer(r"[^和与及、]+", run)]
        found = [(start, end, word, _partial_names(q, end, word, vocabulary)) for start, end, word in pieces]
        if len(found) > 1 and not all(names for *_, names in found):
            found = [(run_start, run_end, run, _partial_names(q, run_end, run, vocabulary))]
        for start, end, word, names in found:
            if names:
                extra.append(ItemRef(word, start, end, names=tuple(names), guessed=True))
                spans = [*spans, Span(start, end, "item")]
    return extra, spans


def _partial_names(q: str, end: int, word: str, vocabulary: Vocabulary) -> list[str]:
    names = vocabulary.part_of(word) or vocabulary.close_to(word)
    # "土地出让收入" is no 土地出让业务支出: the flow the question names next is not the name's
    flow = q[end : end + 2]
    names = [n for n in names if (flow, n[-2:]) not in (("收入", "支出"), ("支出", "收入"))]
    return names if len(names) <= 4 else []


def _owned(q: str, claimed: list[_Found], words: dict[str, list[Concept]], vocabulary: Vocabulary) -> list[_Found]:
    """Units named before an item they own: "联谊俱乐部和博物馆管理建设办公室各几名在职人员" asks the printed
    "江苏省联谊俱乐部在职人员" and "南京…博物馆管理建设办公室在职人员". A unit's name may end like a
    body's ("…办公室"), so bodies are read as free words here; one that is part of a unit's name is no body."""
    spans = [Span(c.start, c.end, c.kind) for c in claimed if c.kind != "body"]
    body = {p for c in claimed if c.kind == "body" for p in range(c.start, c.end)}
    things = [c for c in claimed if c.kind in ("concept", "name")]
    owned: list[_Found] = []
    used: set[int] = set()
    for start, _, word in leftover_words(q, spans):
        at = start
        for piece in re.split(r"和|与|及|、", word):
            piece_start, at = at, at + len(piece) + 1
            own = [p for p in range(piece_start, piece_start + len(piece)) if p not in body]
            if len(own) < MIN_SUFFIX or own[0] != piece_start:
                continue  # a body's name alone ("省委办公厅会议费") owns nothing: only a name ending like one
            for n, thing in enumerate(things):
                ending = q[thing.start : thing.end]
                names = vocabulary.holding(piece, ending) if thing.start >= piece_start + len(piece) else []
                if names and len(names) <= 4:
                    count = any(c.measure == "count" for c in words.get(ending, ()))
                    payload = (tuple(names), "count" if count else "money", piece + ending)
                    owned.append(_Found(piece_start, piece_start + len(piece), 2, "owned", payload))
                    used.add(n)
                    break
    if not owned:
        return claimed
    taken = {position for o in owned for position in range(o.start, o.end)}
    kept = [
        c
        for c in claimed
        if not (c.kind in ("concept", "name") and things.index(c) in used) and not taken & set(range(c.start, c.end))
    ]
    return sorted(kept + owned, key=lambda c: c.start)


# ---- numbers, pages, tables and terms a question names -------------------------------------------


def _table_kind(question: str) -> tuple[str | None, tuple[int, int]]:
    """The standard table a question names ("三公经费表", "收入总表") by the titles' own patterns, and where."""
    for found in _TABLE_NAME.finditer(question):
        name = found.group(1)
        for start in range(len(name) - 1):
            kind = classify_title(name[start:])
            if kind is not None and kind != "other":
                return kind, (found.start(1) + start, found.end(1))
    return None, (0, 0)


def _term(q: str, spans: Sequence[Span]) -> str | None:
    """The word a definition question asks about, without the document's names and years."""
    kept = "".join(
        "" if any(s.start <= i < s.end and s.kind in ("body", "year", "phase") for s in spans) else ch
        for i, ch in enumerate(q)
    )
    found = _TERM.match(re.sub(r"^(请问|请解释|解释一下|解释)", "", kept))
    if not found:
        return None
    word = found.group(2) or found.group(3) or ""
    word = re.sub(r"^(?:预算|决算)?(?:里|中|的|说的|所说的|中的|里的|名词解释里|名词解释中)+|的$", "", word)
    if re.search(r"目标$", word):
        return None  # "某项目的绩效目标是什么" asks for a target the document sets, not what a word means
    return word or None
