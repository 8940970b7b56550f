"""Who published a document, for which year, phase and edition: read from its own pages."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.numbers import normalize

# Printed on the cover of every generated document (samples/synthetic.py); never in a real one.
SYNTHETIC_MARK = "合成数据"
# The labels a body's name is printed after, on covers and above tables ("编制单位：…").
BODY_LABELS = "预算主管部门|预算单位|部门名称|单位名称|编制部门|编制单位"
_LABELLED_BODY = re.compile(rf"^(?:{BODY_LABELS}|部门)[:：](.{{3,60}})")
_COVER_BODY_FIRST = re.compile(
    r"^(?P<body>.{3,40}?)(?P<year>20\d\d)年度?(?:区级|市级|省级)?(?P<edition>部门|单位)?(?P<phase>预算|决算)"
)
# The year first needs the edition word: it is what ends the body's name.
_COVER_YEAR_FIRST = re.compile(
    r"^(?P<year>20\d\d)年度?(?P<body>.{3,40}?)(?:区级|市级|省级)?(?P<edition>部门|单位)(?P<phase>预算|决算)"
)
# Punctuation, and page numbers printed as "—1—" or "- 2 -", before a name.
_EDGE_JUNK_START = re.compile(r"^(?:[\s\-—–_.·•、,，:：;；'\"“”()（）]|[-—–]\s*\d{1,3}\s*[-—–])+(?=[\u4e00-\u9fff])")
_EDGE_JUNK_END = re.compile(r"[\s\d\-—–_.·•、,，:：;；]+$")
_OWN_LEVEL = re.compile(r"[(（]本级[)）]$")
# A body's name has at least four Chinese characters and is not only a place.
_BODY_SHAPE = re.compile(r"^(?![\u4e00-\u9fff]{2,8}[省市区县]$)(?=(?:.*[\u4e00-\u9fff]){4})")
# A first page that names one of these is no budget or final account.
_NOT_BUDGET = re.compile(r"(?:部门|单位|项目)?(?:整体)?(?:支出)?绩效自评(?:表|报告)")
_YEAR_PHASE = re.compile(r"(\d{4})\s*年度?\s*(?:区级|市级|省级)?\s*(部门|单位)?\s*(预算|决算)")
_SUBJECT_BEFORE_YEAR = re.compile(
    r"(?:^|[。：:；;，,\s])((?:中共)?[\u4e00-\u9fff]{2,24}?(?:办公厅|委员会|局|院|部|办事处|室|中心|所|馆))\s*(20\d\d)\s*年"
)
_ANY_YEAR = re.compile(r"(20\d\d)\s*年")
_REGION = re.compile(
    r"^(?:中共|中国共产党)?((?:[^省市]{2,8}?(?:省|自治区))?(?:[^省市区县]{2,8}?市)?(?:[^省市区县]{1,8}?(?:区|县))?)"
)
# A central body: named for the nation (国家…, 中央…, 中共中央…), or a ministry or commission with no place
# before it (教育部, 国家发展和改革委员会); universities and their like are the ministry's, not a region's.
_CENTRAL = re.compile(r"^(?:国家|中央|中共中央|中华人民共和国|全国)|^[\u4e00-\u9fff]{1,8}(?:部|总局|总署|委员会)$")
# Short forms a document uses for itself, mapped to the full name (for merging split PDFs).
_ALIASES = (
    (re.compile(r"^中国共产党(.+?)委员会"), r"中共\1委"),
    # "江苏省委办公厅" is the party committee's office: 中共江苏省委办公厅.
    (re.compile(r"^(?!中共)([\u4e00-\u9fff]{2,8}?[省市区县]委)(?!员)"), r"中共\1"),
)


@dataclass(frozen=True)
class Identity:
    body: str
    region: str
    year: int | None
    phase: str  # 预算 | 决算
    edition: str  # 部门 | 单位


def canonical_body(name: str) -> str:
    """One spelling per body, so 中国共产党江苏省委员会办公厅 and 中共江苏省委办公厅 meet."""
    name = normalize(name)
    for pattern, replacement in _ALIASES:
        name = pattern.sub(replacement, name)
    return name


def region_of(body: str) -> str:
    """The province, city and district a body belongs to; 中央 for a central body (国家统计局, 教育部)."""
    name = normalize(body)
    match = _REGION.match(name)
    region = match.group(1) if match else ""
    if not region and _CENTRAL.match(name):
        return "中央"
    return region


def _most_common(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def _lines(text: str) -> list[str]:
    """Non-empty normalised lines, without bare page numbers ("1", "- 2 -")."""
    lines = [normalize(line) for line in text.split("\n")]
    return [line for line in lines if line and not re.fullmatch(r"-?\d{1,3}-?", line)]


def clean_body(name: str) -> str:
    """A printed body name without what surrounds it on covers: page numbers and stray punctuation
    ("—1—重庆市水利局", ".长春市信访局"), and the "(本级)" scope note (the body itself without its
    subordinate units; the edition says which document it is)."""
    name = _EDGE_JUNK_START.sub("", normalize(name))
    name = _EDGE_JUNK_END.sub("", name)
    name = _OWN_LEVEL.sub("", name)
    return name if _BODY_SHAPE.search(name) else ""


def not_a_budget(page_texts: list[str]) -> str | None:
    """What a file is instead, when its first page says it is no budget or final account."""
    head = "".join(_lines(page_texts[0])[:4]) if page_texts else ""
    match = _NOT_BUDGET.search(head)
    if match and not _YEAR_PHASE.search(head):
        return match.group(0)
    return None


def identify(page_texts: list[str]) -> Identity:
    """Identity from the pages: the labelled body line, else the cover, else the body most often
    labelled or named before a year anywhere; the year, phase and edition the cover prints."""
    head = [_lines(t) for t in page_texts[:4]]
    cover = _cover(head)
    labelled = (_labelled_name(line) for lines in head for line in lines)
    body = next((name for name in labelled if name), "")
    if not body and cover:
        body = clean_body(cover.group("body"))
    everything = "".join(page_texts)
    if not body:
        anywhere = (_labelled_name(line) for text in page_texts for line in _lines(text))
        body = _most_common(name for name in anywhere if name) or ""
    if not body:
        named = (clean_body(m.group(1)) for m in _SUBJECT_BEFORE_YEAR.finditer(everything))
        body = _most_common(name for name in named if name) or ""
    joined = "".join("".join(lines) for lines in head)
    year: int | None = None
    edition: str | None = None
    phase: str | None = None
    if cover:
        year, edition, phase = int(cover.group("year")), cover.group("edition"), cover.group("phase")
    else:
        match = _YEAR_PHASE.search(joined) or _YEAR_PHASE.search(normalize(everything))
        if match:
            year, edition, phase = int(match.group(1)), match.group(2), match.group(3)
    if year is None:
        common = _most_common(m.group(1) for m in _ANY_YEAR.finditer(everything))
        year = int(common) if common else None
    if edition is None:
        edition = "单位" if re.search(r"单位预算|预算单位|单位决算", joined) else "部门"
    if phase is None:
        phase = "决算" if "决算" in joined else "预算"
    return Identity(body=body, region=region_of(body), year=year, phase=phase, edition=edition)


def _labelled_name(line: str) -> str:
    """The body a "部门名称：…" line names ("" when the line is no such label), without a unit label after it."""
    labelled = _LABELLED_BODY.match(line)
    return clean_body(re.split(r"(?:金额)?单位[:：]", labelled.group(1))[0]) if labelled else ""


def _cover(head: list[list[str]]) -> re.Match[str] | None:
    """The cover's title, in either order printed: "<body>2025年度部门预算" or "2026年<body>部门预算"."""
    for lines in head[:2]:
        title = _EDGE_JUNK_START.sub("", "".join(lines[:5]))
        match = _COVER_BODY_FIRST.match(title) or _COVER_YEAR_FIRST.match(title)
        if match and clean_body(match.group("body")):
            return match
    return None
