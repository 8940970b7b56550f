"""Question text → (template, slots). Deterministic: normalising, keyword rules and fuzzy matching."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import cn2an
from rapidfuzz import fuzz

from ingest.tables import classify_title
from queries.catalogue import Template

MAX_QUESTION_CHARS = 500
TYPO_SCORE = 80  # fuzz.ratio: one character wrong in a six-character name scores 83, two score 67
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_CN_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
# A body's name as people write it: a few characters ending in an organisation word.
_BODY_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:局|委员会|办公厅|办公室|法院|检察院|街道|办事处|人民政府|委|厅|院)(?![\u4e00-\u9fff]{0,1}经费)"
)
# Words that start a request; not part of a body's name ("显示普陀区司法局…").
_COMMANDS = re.compile(r"显示|列出|查看|看看|打开|给我看|展示|导出|请问|查询|查一下|告诉我|比较|对比")
_NOISE = re.compile(r"[\s\u200b-\u200f\u2028-\u202f\ufeff]|[?？!！。，,、；;：:~～…]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Lookup:
    """Where an item is printed: a row (rows + measures) or a column (columns) of some tables."""

    kinds: tuple[str, ...]
    rows: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    name: str
    synonyms: tuple[str, ...]
    statement: str | None
    lookups: tuple[Lookup, ...]
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    items: tuple[Item, ...]
    bodies: dict[str, str]


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


def normalize_question(text: str) -> str:
    """Half-width, no spaces or punctuation, Arabic years, at most MAX_QUESTION_CHARS."""
    text = _CONTROL.sub("", unicodedata.normalize("NFKC", text[: MAX_QUESTION_CHARS * 4]))
    text = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    return _NOISE.sub("", text).lower()[:MAX_QUESTION_CHARS]


def comparable(text: str) -> str:
    """Synonyms and labels compared without quotes and brackets' width."""
    return re.sub(r"[“”\"'‘’「」]", "", unicodedata.normalize("NFKC", text)).replace(" ", "").lower()


def _nfkc(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFKC", v) for v in values)


@cache
def load_glossary() -> Glossary:
    raw = tomllib.loads(resources.files("queries").joinpath("glossary.toml").read_text(encoding="utf-8"))
    items = tuple(
        Item(
            name=entry["name"],
            synonyms=tuple(comparable(s) for s in entry["synonyms"]),
            statement=entry.get("statement"),
            lookups=tuple(
                Lookup(
                    kinds=tuple(lk["kinds"]),
                    rows=_nfkc(lk.get("rows", ())),
                    measures=_nfkc(lk.get("measures", ())),
                    columns=_nfkc(lk.get("columns", ())),
                )
                for lk in entry.get("lookup", ())
            ),
            parts=tuple(entry.get("parts", ())),
        )
        for entry in raw["items"]
    )
    names = {item.name for item in items}
    for item in items:
        unknown = [part for part in item.parts if part not in names]
        if unknown:
            raise ValueError(f"glossary.toml: item {item.name} has part {unknown[0]!r}, which is no item's name")
    return Glossary(items=items, bodies={comparable(k): comparable(v) for k, v in raw["bodies"].items()})


def find_items(question: str, glossary: Glossary) -> tuple[Item, ...]:
    """The items a question names, in the order it names them; a longer synonym wins where two overlap."""
    key = comparable(question)
    found: list[tuple[int, int, Item]] = []  # (start, end, item)
    hits = sorted(
        ((key.find(s), len(s), item) for item in glossary.items for s in item.synonyms if s in key),
        key=lambda hit: -hit[1],
    )
    for start, length, item in hits:
        end = start + length
        if all(end <= s or start >= e for s, e, _ in found) and all(item is not i for _, _, i in found):
            found.append((start, end, item))
    return tuple(item for _, _, item in sorted(found, key=lambda f: f[0]))


def item_named(name: str, glossary: Glossary) -> Item:
    return next(item for item in glossary.items if item.name == name)


# ---- documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentHints:
    years: tuple[int, ...]
    phase: str | None
    edition: str | None
    bodies: tuple[str, ...]  # ids of documents whose body the question names
    unknown_body: str | None = None  # a body the question names that no loaded document is from
    body_names: tuple[str, ...] = ()  # those documents' bodies, each once

    @property
    def any(self) -> bool:
        return bool(self.years or self.phase or self.edition or self.bodies or self.unknown_body)


def _core(body: str, region: str) -> str:
    core = comparable(body)
    region_key = comparable(region)
    return core[len(region_key) :] if region_key and core.startswith(region_key) else core


def _named_part(body: str, question: str) -> str:
    """The longest ending of a body's name that the question holds (at least 3 characters), or ''."""
    for start in range(len(body) - 2):
        if body[start:] in question:
            return body[start:]
    return ""


def document_hints(question: str, documents: list[DocumentInfo], glossary: Glossary) -> DocumentHints:
    q = comparable(question)
    expanded = q
    named = [full for alias, full in glossary.bodies.items() if alias in q]
    named += [m.group(0) for m in _BODY_NAME.finditer(_COMMANDS.sub("|", q))]
    for full in named:
        expanded += "|" + full
    # "普陀区财政局" names 上海市普陀区财政局 by "普陀区财政局" and 上海市财政局 only by "财政局", a part
    # of the first: the first is meant. "高院和检察院" names two bodies, neither part of the other.
    parts = {doc.id: _named_part(comparable(doc.body), expanded) for doc in documents}
    named_parts = set(parts.values()) - {""}
    bodies = tuple(
        doc_id
        for doc_id, part in parts.items()
        if part and not any(part != other and part in other for other in named_parts)
    )
    # "预算数" and "年初预算" name a column of a 决算 document, not a budget document.
    phase_words = re.sub(r"预算数|年初预算|调整预算|全年预算|预算完成|完成预算|预算执行", "", q)
    phase = "决算" if "决算" in phase_words else ("预算" if "预算" in phase_words else None)
    edition = (
        "单位"
        if re.search(r"单位预算|单位决算|单位版", q)
        else ("部门" if re.search(r"部门预算|部门决算|部门版", q) else None)
    )
    years = tuple(int(y) for y in _YEAR.findall(q))
    # A body named in the question ("黄浦区财政局") that no loaded document is from, even if its
    # ending ("区财政局") fits one that is loaded.
    keys = [comparable(doc.body) for doc in documents]
    unknown = next(
        (
            name
            for name in named
            if not any(name in key for key in keys) and not any(alias in name for alias in glossary.bodies)
        ),
        None,
    )
    if unknown is not None:
        # A typo ("普佗区财政局") is the loaded body whose ending of the same length differs by a character.
        typo = [doc.id for doc in documents if fuzz.ratio(unknown, comparable(doc.body)[-len(unknown) :]) >= TYPO_SCORE]
        if typo:
            bodies, unknown = tuple(typo), None
    if unknown is None and not bodies and named:
        unknown = max(named, key=len)
    names = tuple(dict.fromkeys(doc.body for doc in documents if doc.id in bodies))
    return DocumentHints(years, phase, edition, bodies, unknown, names)


def candidates(hints: DocumentHints, documents: list[DocumentInfo]) -> list[DocumentInfo]:
    if hints.unknown_body:
        return []
    out = documents
    if hints.bodies:
        out = [d for d in out if d.id in hints.bodies]
    if hints.years:
        out = [d for d in out if d.year in hints.years]
    if hints.phase:
        out = [d for d in out if d.phase == hints.phase]
    if hints.edition:
        out = [d for d in out if d.edition == hints.edition]
    return out


# ---- intents ----------------------------------------------------------------------------------

_TERM = re.compile(
    r"(?:^|^.{0,6}?)(什么是|何为|何谓)(.+?)$|^(.+?)(是什么意思|是什么|指什么|指的是什么|的含义|的定义|怎么理解|的意思|含义|定义)$"
)
_QUESTION_WORDS = re.compile(
    r"是多少|多少钱|多少|是啥|是什么|有多少|几个|几项|呢|吗|请问|查询|查一下|告诉我|的|了|年度|预算|决算|部门|单位"
)
_CODE = re.compile(r"(?<![\d.])(\d{7}|\d{5}|(?<=科目)\d{3})(?![\d.])")
_PAGE = re.compile(r"第(\d{1,4})页")
_TOP = re.compile(r"前([1-9]\d?|[一二两三四五六七八九十])")
_AMOUNT = re.compile(
    r"(?:超过|高于|大于|多于|不少于|不低于|低于|少于|小于|不到|不足|不超过|过)"
    r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿点]+)(万|亿|千)?(元)?"
)
# A table's name: the characters before 表, not across question words ("三公经费在哪些表" names none).
_TABLE_NAME = re.compile(r"((?:(?!哪|些|什么|几|在|有)[\u4e00-\u9fff“”\"()（）])+表)")
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]+")
_MULTIPLIER = {"千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
ALL_ROWS = 100


@dataclass(frozen=True)
class Intent:
    """A template and the values of its slots that come from the question itself."""

    template: str
    slots: dict[str, Any]
    items: tuple[Item, ...]
    question: str  # normalised
    hints: DocumentHints  # the documents it names


@dataclass(frozen=True)
class Features:
    """What a question names, found once and shared by every template's needs."""

    items: tuple[Item, ...]
    hints: DocumentHints
    code: str | None
    page: int | None
    table: str | None  # a table kind (ingest/tables.py TABLE_KINDS)
    threshold: Decimal | None  # an amount in 元
    top: int | None
    term: str | None
    rest: str  # the question without document words and question words

    def has(self, need: str) -> bool:
        named_bodies = set(self.hints.body_names)
        return {
            "item": bool(self.items),
            "item2": len(self.items) >= 2,
            "no_item": not self.items,
            "body": bool(named_bodies),
            "bodies2": len(named_bodies) >= 2,
            "years2": len(set(self.hints.years)) >= 2,
            "code": self.code is not None,
            "page": self.page is not None,
            "table": self.table is not None,
            "amount": self.threshold is not None,
            "term": bool(self.term),
            "text": bool(self.rest),
        }[need]


def without_documents(question: str, documents: list[DocumentInfo], glossary: Glossary) -> str:
    """The question without body names, aliases and years."""
    q = comparable(question)
    for doc in documents:
        for name in (comparable(doc.body), _core(doc.body, doc.region), comparable(doc.region)):
            if len(name) >= 2:
                q = q.replace(name, "")
    for alias in glossary.bodies:
        q = q.replace(alias, "")
    q = re.sub(r"(?<!\d)20\d{2}(?!\d)年?(度)?(部门|单位)?(预算|决算)?", "", q)
    return q


def strip_document_words(question: str, documents: list[DocumentInfo], glossary: Glossary) -> str:
    """The question without document words and question words: what is asked about."""
    return _QUESTION_WORDS.sub("", without_documents(question, documents, glossary))


def chinese_number(text: str) -> Decimal | None:
    """ "一百五十" → 150, "两千万" → 20000000, "1.5" → 1.5; None when it is no number."""
    if not _CN_NUMBER.fullmatch(text):
        try:
            return Decimal(text)
        except ArithmeticError:
            return None
    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError):
        return None


def threshold_of(question: str) -> Decimal | None:
    """The amount a question compares with, in 元 ("超过一百万" → 1000000; a bare number is 万元)."""
    match = _AMOUNT.search(question)
    if not match:
        return None
    number, multiplier, yuan = match.groups()
    value = chinese_number(number)
    if value is None:
        return None
    if multiplier:
        return value * _MULTIPLIER[multiplier]
    if yuan or any(ch in number for ch in "万亿"):
        return value  # "5000元", or "一百万" which cn2an has already multiplied out
    return value * _MULTIPLIER["万"]


def _table_kind(question: str) -> str | None:
    """The standard table a question names ("三公经费表", "收入总表"), by the titles' own patterns."""
    for name in _TABLE_NAME.findall(question):
        for start in range(len(name) - 1):
            kind = classify_title(name[start:])
            if kind is not None and kind != "other":
                return kind
    return None


def features_of(question: str, documents: list[DocumentInfo], glossary: Glossary) -> Features:
    q = normalize_question(question)
    rest = strip_document_words(q, documents, glossary)
    code = next(iter(_CODE.findall(q)), None)
    page = _PAGE.search(q)
    top = _TOP.search(q)
    term = _TERM.match(re.sub(r"^(请问|请解释|解释一下)", "", without_documents(q, documents, glossary)))
    term_word = strip_document_words(term.group(2) or term.group(3) or "", documents, glossary) if term else None
    return Features(
        items=find_items(q, glossary),
        hints=document_hints(q, documents, glossary),
        code=code,
        page=int(page.group(1)) if page else None,
        table=_table_kind(q),
        threshold=threshold_of(q),
        top=int(chinese_number(top.group(1)) or ALL_ROWS) if top else None,
        term=term_word or None,
        rest=rest,
    )


def intent_of(
    question: str, documents: list[DocumentInfo], glossary: Glossary, catalogue: dict[str, Template]
) -> Intent | None:
    """The first template (by priority) whose pattern the question contains and whose needs it meets."""
    q = normalize_question(question)
    if not q:
        return None
    found = features_of(q, documents, glossary)
    for template in catalogue.values():
        if template.match is not None and not template.match.search(q):
            continue
        if all(found.has(need) for need in template.needs):
            return Intent(template.id, _slots(template, found), found.items, q, found.hints)
    return None


def _slots(template: Template, found: Features) -> dict[str, Any]:
    """Slot values the question itself gives; documents and lookups are filled in when answering."""
    given: dict[str, Any] = {
        "code": found.code,
        "page": found.page,
        "kind": found.table,
        "threshold": found.threshold,
        "limit": found.top or ALL_ROWS,
        "term": found.term,
        "indicator": found.rest,
        "row": found.rest,
        "statement": found.items[0].statement or "" if found.items else "",
    }
    return {slot: given[slot] for slot in template.slots if slot in given}
