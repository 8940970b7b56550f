"""What a printed name, column or sentence means: concepts, fund scopes and roles (ingest/concepts.toml).

Pure functions over names and headers; ingest/figures.py applies them to every printed number.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ingest.numbers import normalize

MEASURES = ("money", "count")
DIRECTIONS = ("收入", "支出")
_QUOTES = re.compile(r"[“”\"'‘’「」]")
# A column whose name says only "the amount" (after its role words are taken off).
GENERIC_COLUMNS = frozenset(
    {
        *("", "合计", "小计", "总计", "金额", "计", "预算", "决算", "本年", "数", "支出用途", "预算金额", "本年预算"),
        # the side a two-sided table's column is on, or its total: the row says what the figure is
        *("收入", "支出", "收入预算", "支出预算", "本年收入", "本年支出", "收入合计", "支出合计"),
        *("收入总计", "支出总计", "本年收入合计", "本年支出合计", "收入项目", "支出项目", "收入来源", "支出功能分类"),
        # a project's total in 绩效目标 tables
        *("资金总额", "总额", "项目金额", "年度资金总额", "项目资金总额", "金额合计"),
    }
)
# A row that is the table's total rather than an item of its own.
GENERIC_ROWS = frozenset({"", "合计", "总计", "共计", "小计"})


class MeaningError(ValueError):
    """concepts.toml is not what ingest/meaning.py expects: says which entry and why."""


@dataclass(frozen=True)
class Concept:
    name: str
    labels: re.Pattern[str] | None  # a whole printed label (normalised, no quotes)
    said: re.Pattern[str] | None  # narrative wording right before a figure
    kinds: tuple[str, ...]  # table kinds where `labels` applies; () = every kind
    direction: str | None
    measure: str
    units: tuple[str, ...]
    context: str = ""  # a word the narrative's sentence must hold for `said` to count ("采购")


@dataclass(frozen=True)
class Scope:
    name: str
    words: re.Pattern[str]


@dataclass(frozen=True)
class KindMeaning:
    scope: str | None
    direction: str | None
    total: str | None
    spending: str | None = None  # the one kind of spending all its item rows are (基本支出 of a 基本支出表)
    # A row printed with no classification code is a project: its amount is all of that project, not the
    # `spending` part of some wider item (a 项目支出表's "信访局临聘人员经费" vs its 2014001 行政运行 row).
    uncoded_rows_whole: bool = False
    # A table that restates the budget tables' figures for another purpose (a 整体支出绩效目标表's 年度预算安排):
    # its figures come after the budget tables', and are shown beside them when they differ.
    restates: bool = False


@dataclass(frozen=True)
class Meanings:
    concepts: tuple[Concept, ...]
    scopes: tuple[Scope, ...]
    scope_labels: re.Pattern[str]
    kinds: dict[str, KindMeaning]
    # a whole (机关运行经费) → the (spending, scope) column of a 基本支出 table holding its parts by definition
    within_columns: dict[str, tuple[str, str]]

    def concept(self, name: str) -> Concept | None:
        return next((c for c in self.concepts if c.name == name), None)


def _pattern(entry: str, key: str, value: object) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise MeaningError(f"concepts.toml: {entry}: {key} must be a string (a regular expression)")
    try:
        return re.compile(value)
    except re.error as error:
        raise MeaningError(f"concepts.toml: {entry}: {key} is not a regular expression: {error}") from None


@cache
def meanings() -> Meanings:
    raw = tomllib.loads(resources.files("ingest").joinpath("concepts.toml").read_text(encoding="utf-8"))
    concepts = []
    for number, entry in enumerate(raw.get("concepts", []), start=1):
        where = f"concept {number} ({entry.get('name', '?')})"
        unknown = set(entry) - {"name", "labels", "said", "kinds", "direction", "measure", "unit", "context"}
        if unknown:
            raise MeaningError(f"concepts.toml: {where}: unknown key {sorted(unknown)[0]!r}")
        if "labels" not in entry and "said" not in entry:
            raise MeaningError(f"concepts.toml: {where}: give labels, said or both")
        measure = entry.get("measure", "money")
        if measure not in MEASURES:
            raise MeaningError(f"concepts.toml: {where}: measure {measure!r} is not one of {', '.join(MEASURES)}")
        direction = entry.get("direction")
        if direction is not None and direction not in DIRECTIONS:
            raise MeaningError(f"concepts.toml: {where}: direction must be 收入 or 支出")
        concepts.append(
            Concept(
                name=entry["name"],
                labels=_pattern(where, "labels", entry["labels"]) if "labels" in entry else None,
                said=_pattern(where, "said", entry["said"]) if "said" in entry else None,
                kinds=tuple(entry.get("kinds", ())),
                direction=direction,
                measure=measure,
                units=tuple(entry.get("unit", ())),
                context=entry.get("context", ""),
            )
        )
    scopes = tuple(Scope(s["name"], _pattern(f"scope {s['name']}", "words", s["words"])) for s in raw["scopes"])
    kinds = {
        kind: KindMeaning(
            value.get("scope"),
            value.get("direction"),
            value.get("total"),
            value.get("spending"),
            bool(value.get("uncoded_rows_whole", False)),
            bool(value.get("restates", False)),
        )
        for kind, value in raw["kinds"].items()
    }
    names = {c.name for c in concepts}
    for kind, meaning in kinds.items():
        if meaning.total is not None and meaning.total not in names:
            raise MeaningError(f"concepts.toml: kinds.{kind}: total {meaning.total!r} is no concept's name")
    within = {}
    for whole, column in raw.get("within_columns", {}).items():
        if whole not in names or set(column) != {"spending", "scope"}:
            raise MeaningError(f"concepts.toml: within_columns.{whole}: give a concept's name and its spending, scope")
        within[whole] = (column["spending"], column["scope"])
    scope_labels = _pattern("scope_labels", "labels", raw["scope_labels"]["labels"])
    return Meanings(tuple(concepts), scopes, scope_labels, kinds, within)


def label_key(text: str) -> str:
    """A label as concepts are matched against it: normalised, no quotes, no enumerator."""
    key = _QUOTES.sub("", normalize(text))
    return re.sub(
        r"^(其中[:：]?|[一二三四五六七八九十]+[、.]|\d+[、.](?!\d)|[(][\d一二三四五六七八九十]+[)])+", "", key
    )


def concept_of_label(label: str, kind: str, direction: str | None) -> str | None:
    """The concept a printed row label or column name means in a table of `kind`, if any."""
    key = label_key(label)
    if not key:
        return None
    for concept in meanings().concepts:
        if concept.labels is None or (concept.kinds and kind not in concept.kinds):
            continue
        if concept.direction and direction and concept.direction != direction:
            continue
        if concept.labels.fullmatch(key):
            return concept.name
    return None


def scope_named(text: str) -> str | None:
    """The narrowest fund scope a title, column or label names, if any."""
    key = label_key(text)
    for scope in meanings().scopes:
        if scope.words.search(key):
            return scope.name
    return None


def strip_scope(text: str) -> str:
    """A name without the fund scope words in it ("一般公共预算基本支出" → "基本支出")."""
    key = label_key(text)
    for scope in meanings().scopes:
        key = re.sub(scope.words.pattern.strip("^$") + r"(预算)?(财政)?(拨款)?", "", key)
    return key


def is_scope_label(label: str) -> bool:
    """A label that names only a fund scope ("一般公共预算资金", "二、政府性基金预算")."""
    return bool(meanings().scope_labels.fullmatch(label_key(label)))


# ---- column roles -------------------------------------------------------------------------------

ROLES = ("预算", "执行", "决算", "年初预算", "调整预算")
MEASURE_NAMES = ("金额", "数量", "增减额", "增减率", "占比", "完成率")


@dataclass(frozen=True)
class ColumnRole:
    """What a column's figures are: which year, budget or outturn, an amount or a change."""

    role: str  # one of ROLES
    ref_year: int | None
    measure: str  # one of MEASURE_NAMES
    leaf: str  # the column's own name without its role words ("“三公”经费预算数" → "“三公”经费")


_ROLE_WORDS = re.compile(
    r"(上年|上一年|\d{4}年(度)?)?(年初|调整后?|全年)?(预算|决算|预计执行|执行|实际)?数?$|[(（](万元|元|亿元)[)）]"
)
UNIT_IN_HEADER = re.compile(r"[(（](?:单位[:：])?(万元|元|亿元)[)）]")


_FUND_BUDGET = re.compile(r"(?:一般公共|政府性基金|国有资本经营)预算$")


def _own_name(part: str) -> str:
    """A header cell without its year and role words; "一般公共预算" names a fund, its 预算 is no role."""
    text = re.sub(r"^\d{4}年度?", "", normalize(part))
    text = re.sub(r"[(（](?:单位[:：])?(?:万元|元|亿元)[)）]", "", text)  # "预算数（单位：万元）": the unit is no name
    return text if _FUND_BUDGET.search(text) else _ROLE_WORDS.sub("", text)


def column_role(path: list[str], year: int | None, phase: str) -> ColumnRole:
    """Read a column's header path (top to bottom) for its role, year and measure."""
    text = "/".join(normalize(p) for p in path)
    # "一般公共预算", "政府性基金预算" name a fund, not a budget column
    text = re.sub(r"一般公共预算|政府性基金预算|国有资本经营预算|预算单位|部门预算|单位预算", "", text)
    prior = year - 1 if year else None
    measure = "金额"
    if re.search(r"增减率|增长率|增幅|降幅|增减幅度|增减%|%|百分比", text):
        measure = "增减率"
    elif re.search(r"增减额|增减|增加额|减少额|增减变化|比上年增", text):
        measure = "增减额"
    elif re.search(r"占比|比重", text):
        measure = "占比"
    elif re.search(r"完成率|执行率", text):
        measure = "完成率"
    ref_year = year
    mentions = [int(y) for y in re.findall(r"(20\d\d)年", text)]
    if re.search(r"上年|上一年", text) or (prior is not None and prior in mentions):
        ref_year = prior
    if re.search(r"年初预算", text):
        role = "年初预算"
    elif re.search(r"调整(后)?预算|全年预算", text):
        role = "调整预算"
    elif re.search(r"预计执行|执行数|实际", text) or (ref_year != year and re.search(r"执行", text)):
        role = "执行"
    elif re.search(r"决算", text):
        role = "决算"
    elif re.search(r"预算", text):
        role = "预算"
    else:
        role = "决算" if phase == "决算" else "预算"
    # The column's own name: its lowest header that is more than a role or "小计" ("“三公”经费/小计" is
    # the “三公”经费; "合计/预算数" names nothing).
    stripped = (_own_name(part) for part in reversed(path))
    leaf = next((name for name in stripped if name not in GENERIC_COLUMNS), "")
    return ColumnRole(role, ref_year, measure, leaf)
