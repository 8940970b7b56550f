"""A printed name the asker shortens or paraphrases: "文稿起草调研" for 政府重要文稿起草及调研工作,
"广南梅第二条原水管道一期" for 广南梅第二条原水管道工程一期工程-2026年, "西江水费" for 西江水费（含水资源税）, and a
department's unit by a short form of its name ("公路运输中心" for 湖州市公路与运输管理中心, "教科院").

Words the frame left unbound are read again against the row names the document prints: a run of the question
binds to the one name that holds its characters in order and of which it is most (`_close_enough`), else nothing. The
answer says the name was read as close (`guessed`). A clause the items are asked within ("研究调研活动里") that binds
too narrows nothing more and is dropped; one that binds to nothing leaves the question unbound."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from queries.bodies import GENERIC
from queries.coverage import Span
from queries.frame import NOT_MEANT
from queries.passages import longest_run

# The share of a printed name (its parenthetical left out, or not) the asker's run must be, its length at least.
MIN_SHARE = 0.5
RUN_SHARE = 0.4
MIN_LENGTH = 4
MAX_INSIDE = 16  # the longest run read for a name inside it, the asker's words on both sides
# What separates the things a question lists, and the word after a clause the rest is asked within.
_SEPARATOR = re.compile(r"[、，,;；/？?。!！]|以及|还有|和|及|与|跟")
# (a word that joins two things may also be part of one printed name: "文体和水务工程管理中心")
_JOINING = re.compile(r"和|及|与|跟")
_PUNCTUATION = re.compile(r"[、，,;；/？?。!！]|以及|还有")
_WITHIN = re.compile(r"里面|当中|之中|里|中(?![心央])")  # (not the 中 of a 中心's name)
# Spans that are not part of a name: where the question places itself and what it asks.
_NOT_NAME = frozenset({"body", "year", "prior", "phase", "template", "operator", "count", "scope", "number"})
_PARENTHETICAL = re.compile(r"\([^()]*\)|-?20\d\d年?$")
_ORGANISATION = re.compile(r"[局院所队站馆处]$")
_NOT_ASKED = re.compile(rf"{NOT_MEANT}|不计|除去|除了")
_ASKING_TAIL = re.compile(r"(?:各自?|分别|一共|总共|是|为|有|花了?|安排了?|预算|多少钱?|几|的)+$")


@dataclass(frozen=True)
class Bound:
    start: int
    end: int
    words: str  # as the question writes them
    name: str  # the printed name (as stored)
    within: bool  # a clause the rest is asked within ("…里")
    read: tuple[int, int]  # the run read for it, the asker's words around the name included ("明年要付的西江水费")


def _in_order(words: str, name: str) -> bool:
    at = 0
    for ch in words:
        at = name.find(ch, at)
        if at < 0:
            return False
        at += 1
    return True


def closest_name(words: str, names: Mapping[str, str]) -> str | None:
    """The printed name (stored form) that holds the words' characters in order and of which they are the largest
    share, when they are close enough to it (`_close_enough`) and no other name comes as close."""
    if len(re.findall(r"[\u4e00-\u9fff]", words)) < MIN_LENGTH:
        return None
    scored: dict[str, float] = {}
    for form, stored in names.items():
        for shape in {form, _PARENTHETICAL.sub("", form)}:
            if shape and _in_order(words, shape) and _close_enough(words, shape):
                scored[stored] = max(scored.get(stored, 0.0), len(words) / len(shape))
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _close_enough(words: str, name: str) -> bool:
    """Most of the name (MIN_SHARE), or a good part of it (RUN_SHARE) with a run of MIN_LENGTH characters as
    printed ("文稿起草调研" of 政府重要文稿起草及调研工作)."""
    share = len(words) / len(name)
    return share >= MIN_SHARE or (share >= RUN_SHARE and longest_run(words, name) >= MIN_LENGTH)


def _segments(question: str, spans: Iterable[Span], separator: re.Pattern[str] = _SEPARATOR) -> list[tuple[int, int]]:
    """Runs of the question between separators, outside the spans that are no part of a name."""
    taken = [False] * len(question)
    for span in spans:
        if span.kind in _NOT_NAME:
            for at in range(span.start, min(span.end, len(question))):
                taken[at] = True
    for match in separator.finditer(question):
        for at in range(match.start(), match.end()):
            taken[at] = True
    out, start = [], None
    for at in range(len(question) + 1):
        free = at < len(question) and not taken[at]
        if free and start is None:
            start = at
        elif not free and start is not None:
            out.append((start, at))
            start = None
    return out


def rebind(
    question: str,
    spans: Iterable[Span],
    left: list[tuple[int, int, str]],
    names: Mapping[str, str],
    body: str,
    listed: bool = False,
    units: Mapping[str, str] | None = None,
) -> list[Bound] | None:
    """Bindings that cover every leftover word, or None. Each segment holding a leftover word is bound whole, or by
    its longest head or tail that binds (the asker's own verbs around it: "明年要付的西江水费"), or by a run inside it
    ("下面信息化装备中心一年"), or by three characters naming one of `units` ("教科院"); with `listed` (one
    document's names: it reads many runs), else as names listed one after another without a separator
    ("社会公益类、老年人福利类、儿童福利类项目" once the 、 is gone). A run holding a joining word is first read whole
    where a name holds that word too ("文体和水务中心"); words saying what is not asked ("不算…") bind nothing."""
    spans = list(spans)
    units = units or {}
    items = [(span.start, span.end) for span in spans if span.kind == "item"]
    bound: list[Bound] = []
    consumed: list[tuple[int, int]] = []  # the runs read as a name, with the asker's words around it
    joined = _joined_names(question, spans, left, names, body, units)
    bound += joined
    consumed += [j.read for j in joined]
    rest = [(s, e, w) for s, e, w in left if not any(j.read[0] <= s and e <= j.read[1] for j in joined)]
    for start, end in _segments(question, spans):
        if not any(s < end and start < e for s, e, _ in rest):
            continue
        text = question[start:end]
        within = _WITHIN.search(text)
        parts = [(start, start + within.start(), True), (start + within.end(), end, False)] if within else [
            (start, end, False)
        ]
        if within:
            consumed.append((start + within.start(), start + within.end()))  # the "里" of "…里，A和B各多少"
        for a, b, inside in parts:
            found = _bind_run(question, a, b, names, body, units)
            # (the body's name written before it is read with it: "民政福彩公益金")
            said = (a if question[a : found[0]] in body else found[0], found[1]) if found is not None else None
            if found is not None and said is not None and not _unread(left, [said], a, b):
                bound.append(Bound(found[0], found[1], question[found[0] : found[1]], found[2], inside, (a, b)))
                consumed.append((a, b))
                continue
            # "公明供水调蓄工程管理处明年要付的西江水费": the unit the frame found, then a name in the asker's words
            lead = max((e for s, e in items if s == a and e < b), default=None)
            found = _bind_run(question, lead, b, names, body, units) if lead is not None else None
            # (every word left after the unit read: "津贴补贴积效工资" binds no 积效工资, which is named back)
            if found is not None and lead is not None and not _unread(left, [found[:2]], lead, b):
                bound.append(Bound(found[0], found[1], question[found[0] : found[1]], found[2], inside, (lead, b)))
                consumed.append((lead, b))
                continue
            # "公路运输中心三公经费多少" (the comma normalised away): the words before the item the frame found
            cut = min((s for s, _ in items if a < s < b), default=None)
            found = _bind_run(question, a, cut, names, body, units) if cut is not None else None
            if found is not None and cut is not None and not _unread(left, [found[:2]], a, cut):
                bound.append(Bound(found[0], found[1], question[found[0] : found[1]], found[2], inside, (a, cut)))
                consumed.append((a, cut))
                continue
            pieces = _listed_names(question, a, b, names) if listed else []
            if not pieces:
                return None
            bound += [Bound(x, y, question[x:y], name, inside, (x, y)) for x, y, name in pieces]
            consumed.append((a, b))
    separators = {at for m in _SEPARATOR.finditer(question) for at in range(m.start(), m.end())}
    unread = [
        at
        for s, e, _ in left
        for at in range(s, e)
        if at not in separators and not any(a <= at < b for a, b in consumed)
    ]
    return bound if bound and not unread else None


def _joined_names(
    question: str,
    spans: list[Span],
    left: list[tuple[int, int, str]],
    names: Mapping[str, str],
    body: str,
    units: Mapping[str, str],
) -> list[Bound]:
    """Runs with a joining word inside ("文体和水务中心") bound whole to a printed name that holds that word too
    (文体和水务工程管理中心), before the run is split at it."""
    joining = [(m.start(), m.end()) for m in _JOINING.finditer(question)]
    out: list[Bound] = []
    # (the items the frame found are no part of it)
    apart = [*spans, *(Span(span.start, span.end, "template") for span in spans if span.kind == "item")]
    for a, b in _segments(question, apart, _PUNCTUATION) if joining else ():
        if not any(a <= x and y <= b for x, y in joining) or not any(s < b and a < e for s, e, _ in left):
            continue
        found = _bind_run(question, a, b, names, body, units)
        if found is None:
            continue
        x, y, name = found
        if not any(x <= j and k <= y and question[j:k] in name for j, k in joining):
            continue  # no joining word read as part of the name: the run lists things
        out.append(Bound(x, y, question[x:y], name, False, (a, b)))
    return out


def _listed_names(question: str, a: int, b: int, names: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """Names written one after another in a..b, each its longest run from the left that binds; none unless two or
    more bind and nothing but the asker's question words is left between or after them."""
    run = question[a:b]
    tail = _ASKING_TAIL.search(run)
    if tail is not None and tail.start() > 0:
        b = a + tail.start()
    pieces: list[tuple[int, int, str]] = []
    at = a
    while at < b:
        found = next(
            (
                (at, end, name)
                for end in range(b, at + MIN_LENGTH - 1, -1)
                for name in (closest_name(question[at:end], names),)
                if name is not None
            ),
            None,
        )
        if found is None:
            return []
        pieces.append(found)
        at = found[1]
    return pieces if len(pieces) >= 2 else []


def _unread(left: list[tuple[int, int, str]], read: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether a leftover word inside a..b lies outside every read run."""
    return any(
        not any(x <= at < y for x, y in read) for s, e, _ in left for at in range(max(s, a), min(e, b))
    )


def _bind_run(
    question: str, a: int, b: int, names: Mapping[str, str], body: str, units: Mapping[str, str]
) -> tuple[int, int, str] | None:
    run = question[a:b]
    if _NOT_ASKED.search(run):
        return None  # "不算上年结转的那块" says what is not asked: left unread, the answer names it
    tail = _ASKING_TAIL.search(run)
    if tail is not None and tail.start() > 0:
        b, run = a + tail.start(), run[: tail.start()]
    # the body's own name written before the item ("民政福彩公益金" in 深圳市民政局's document)
    lead = next((n for n in range(len(run) - 1, 1, -1) if run[:n] in body), 0)
    if lead:
        a, run = a + lead, run[lead:]
    for cut in range(len(run)):
        for piece, at in ((run[cut:], a + cut), (run[: len(run) - cut], a)):
            name = closest_name(piece, names)
            if name is not None:
                return at, at + len(piece), name
    # "下面信息化装备中心一年": the asker's words on both sides of the name; the longest run inside that binds
    for size in range(len(run) - 2, MIN_LENGTH - 1, -1) if len(run) <= MAX_INSIDE else ():
        for start in range(1, len(run) - size):
            name = closest_name(run[start : start + size], names)
            if name is not None:
                return a + start, a + start + size, name
    for start in range(len(run) - 2):
        name = abbreviated_unit(run[start : start + 3], units)
        if name is not None:
            return a + start, a + start + 3, name
    return None


def abbreviated_unit(words: str, units: Mapping[str, str]) -> str | None:
    """A unit called by three characters ending in its organisation word ("教科院" for 无锡市教育科学研究院, "会展局"
    for 珠海市会议展览局): the one unit whose name ends in that character and holds the other two in order."""
    if len(words) != 3 or not _ORGANISATION.search(words) or all(ch in GENERIC for ch in words[:2]):
        return None
    found = {stored for form, stored in units.items() if form.endswith(words[-1]) and _in_order(words, form)}
    return found.pop() if len(found) == 1 else None
