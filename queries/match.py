"""Question text → (template, slots). Deterministic: normalising, keyword rules and fuzzy matching."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

MAX_QUESTION_CHARS = 500
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_CN_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
# A body's name as people write it: a few characters ending in an organisation word.
_BODY_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:局|委员会|办公厅|办公室|法院|检察院|街道|办事处|人民政府|委|厅|院)(?![\u4e00-\u9fff]{0,1}经费)"
)
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

    @property
    def label(self) -> str:
        year = f"{self.year}年" if self.year else ""
        return f"{self.body} {year}{self.edition}{self.phase}"


@dataclass(frozen=True)
class Intent:
    template: str
    slots: dict[str, str]
    item: Item | None = None


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
        )
        for entry in raw["items"]
    )
    return Glossary(items=items, bodies={comparable(k): comparable(v) for k, v in raw["bodies"].items()})


def find_item(question: str, glossary: Glossary) -> Item | None:
    """The item whose longest synonym occurs in the question."""
    key = comparable(question)
    best: tuple[int, Item] | None = None
    for item in glossary.items:
        for synonym in item.synonyms:
            if synonym in key and (best is None or len(synonym) > best[0]):
                best = (len(synonym), item)
    return best[1] if best else None


# ---- documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentHints:
    years: tuple[int, ...]
    phase: str | None
    edition: str | None
    bodies: tuple[str, ...]  # ids of documents whose body the question names
    unknown_body: str | None = None  # a body the question names that no loaded document is from

    @property
    def any(self) -> bool:
        return bool(self.years or self.phase or self.edition or self.bodies or self.unknown_body)


def _core(body: str, region: str) -> str:
    core = comparable(body)
    region_key = comparable(region)
    return core[len(region_key) :] if region_key and core.startswith(region_key) else core


def _named_part(body: str, question: str) -> int:
    """How much of a body's name the question names: its longest ending in the question (≥ 3 characters).

    "普陀区财政局" names 上海市普陀区财政局 by 6 characters and 上海市财政局 by 3 ("财政局"), so the
    first is meant; "上海市财政局" names the second whole.
    """
    for start in range(len(body) - 2):
        if body[start:] in question:
            return len(body) - start
    return 0


def document_hints(question: str, documents: list[DocumentInfo], glossary: Glossary) -> DocumentHints:
    q = comparable(question)
    expanded = q
    named = [full for alias, full in glossary.bodies.items() if alias in q]
    named += [m.group(0) for m in _BODY_NAME.finditer(q)]
    for full in named:
        expanded += "|" + full
    scored: list[tuple[int, str]] = []
    for doc in documents:
        score = _named_part(comparable(doc.body), expanded)
        if score:
            scored.append((score, doc.id))
    best = max((s for s, _ in scored), default=0)
    bodies = tuple(doc_id for s, doc_id in scored if s == best)
    phase = "决算" if "决算" in q else ("预算" if "预算" in q and "决算" not in q else None)
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
    if unknown is None and not bodies and named:
        unknown = max(named, key=len)
    return DocumentHints(years=years, phase=phase, edition=edition, bodies=bodies, unknown_body=unknown)


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

_DOCUMENTS = re.compile(
    r"(有|加载|载入|收录|导入).*(哪些|什么|几份|多少).*(文档|文件|预算|决算)|文档列表|文件列表|文档目录"
)
_TABLES = re.compile(r"(哪些|什么|几张)(表|表格)|表格目录|附表|表格列表")
_TERM = re.compile(
    r"^(什么是|何为|何谓)(.+?)$|^(.+?)(是什么意思|是什么|指什么|指的是什么|的含义|的定义|怎么理解|的意思|含义|定义)$"
)
_DUTIES = re.compile(r"职责|职能|负责什么|负责哪些|干什么|做什么")
_UNITS = re.compile(r"机构设置|内设机构|股室|处室|科室|内设")
_STAFFING = re.compile(r"编制|在职|人员构成|多少人|几个人|几名")
_TARGET = re.compile(r"绩效|满意度|指标|响应时间|完成率|合格率|执行率|知晓率|时限|目标值")
_CHANGE = re.compile(r"增加|减少|增长|下降|增幅|降幅|增减|变化|比上年|较上年|同比")
_QUESTION_WORDS = re.compile(
    r"是多少|多少钱|多少|是啥|是什么|有多少|几个|几项|呢|吗|请问|查询|查一下|告诉我|的|了|年度|预算|决算|部门|单位"
)


def strip_document_words(question: str, documents: list[DocumentInfo], glossary: Glossary) -> str:
    """The question without body names, aliases, years and question words: what is asked about."""
    q = comparable(question)
    for doc in documents:
        for name in (comparable(doc.body), _core(doc.body, doc.region), comparable(doc.region)):
            if len(name) >= 2:
                q = q.replace(name, "")
    for alias in glossary.bodies:
        q = q.replace(alias, "")
    q = re.sub(r"(?<!\d)20\d{2}(?!\d)年?", "", q)
    return _QUESTION_WORDS.sub("", q)


def intent_of(question: str, documents: list[DocumentInfo], glossary: Glossary) -> Intent | None:
    q = normalize_question(question)
    if _DOCUMENTS.search(q):
        return Intent("documents", {})
    if _TABLES.search(q):
        return Intent("tables_list", {})
    rest = strip_document_words(question, documents, glossary)
    if _DUTIES.search(q):
        return Intent("duties", {})
    if _UNITS.search(q):
        return Intent("internal_units", {})
    term = _TERM.match(comparable(re.sub(r"^(请问|请解释|解释一下)", "", q)))
    if term:
        word = strip_document_words(term.group(2) or term.group(3) or "", documents, glossary)
        if word:
            return Intent("term", {"term": word})
    item = find_item(q, glossary)
    if item and _CHANGE.search(q) and item.statement:
        return Intent("item_change", {"statement": item.statement}, item)
    if _TARGET.search(q) and not item:
        return Intent("performance_target", {"indicator": rest})
    if _STAFFING.search(q) and not item:
        return Intent("staffing", {})
    if item:
        return Intent("item_figure", {}, item)
    if rest:
        return Intent("row_figure", {"row": rest})
    return None
