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
_COVER = re.compile(r"^(.{3,40}?)(\d{4})年度?(?:区级|市级|省级)?(部门|单位)?(预算|决算)")
_YEAR_PHASE = re.compile(r"(\d{4})\s*年度?\s*(?:区级|市级|省级)?\s*(部门|单位)?\s*(预算|决算)")
_SUBJECT_BEFORE_YEAR = re.compile(
    r"(?:^|[。：:；;，,\s])((?:中共)?[\u4e00-\u9fff]{2,24}?(?:办公厅|委员会|局|院|部|办事处|室|中心|所|馆))\s*(20\d\d)\s*年"
)
_ANY_YEAR = re.compile(r"(20\d\d)\s*年")
_REGION = re.compile(
    r"^(?:中共|中国共产党)?((?:[^省市]{2,8}?(?:省|自治区))?(?:[^省市区县]{2,8}?市)?(?:[^省市区县]{1,8}?(?:区|县))?)"
)
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
    match = _REGION.match(normalize(body))
    return match.group(1) if match else ""


def _most_common(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def _lines(text: str) -> list[str]:
    """Non-empty normalised lines, without bare page numbers ("1", "- 2 -")."""
    lines = [normalize(line) for line in text.split("\n")]
    return [line for line in lines if line and not re.fullmatch(r"-?\d{1,3}-?", line)]


def identify(page_texts: list[str]) -> Identity:
    """Identity from the pages: the labelled body line, else the cover line, else ""."""
    head = [_lines(t) for t in page_texts[:4]]
    body = ""
    for line in (line for lines in head for line in lines):
        labelled = _LABELLED_BODY.match(line)
        if labelled:
            body = re.split(r"(?:金额)?单位[:：]", labelled.group(1))[0]
            if body:
                break
    if not body:
        for lines in head:
            cover = _COVER.match("".join(lines[:3]))
            if cover:
                body = cover.group(1)
                break
    everything = "".join(page_texts)
    if not body:
        body = _most_common(m.group(1) for m in _SUBJECT_BEFORE_YEAR.finditer(everything)) or ""
    joined = "".join("".join(lines) for lines in head)
    match = _YEAR_PHASE.search(joined) or _YEAR_PHASE.search(normalize(everything))
    year = int(match.group(1)) if match else None
    if year is None:
        common = _most_common(m.group(1) for m in _ANY_YEAR.finditer(everything))
        year = int(common) if common else None
    edition = match.group(2) if match and match.group(2) else None
    phase = match.group(3) if match else None
    if edition is None:
        edition = "单位" if re.search(r"单位预算|预算单位|单位决算", joined) else "部门"
    if phase is None:
        phase = "决算" if "决算" in joined else "预算"
    return Identity(body=body, region=region_of(body), year=year, phase=phase, edition=edition)
