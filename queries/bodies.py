"""Which loaded bodies a question names, the way people type them: by rule, not by a list per body.

A body is named by
- a part of its full name ("普陀区财政局", "司法局", "政协"), with or without the region;
- an abbreviation made by dropping characters of its name, ending in its organisation word
  ("省高院" for 江苏省高级人民法院, "区府办" for 上海市普陀区人民政府办公室, "政数局", "社工部");
- either of those with one character wrong ("普佗区财政局", "省检查院").
A part made only of generic words (人民, 政府, 办公室, 上海市 …) names no body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

# Characters every other body shares: a part made only of these names no body in particular.
GENERIC = frozenset("省市区县镇乡街道人民政府办公室厅委员会局部院中共上海江苏国家的和与及处科所站")
# The organisation word a name ends with; an abbreviation ends with one of its characters.
_TAIL = re.compile(
    r"(办公厅|办公室|委员会|检察院|法院|办事处|管理局|工作部|福利院|中心|局|厅|院|部|委|室|会|处|所|站|馆|办)$"
)
# A phrase of a question that looks like a body's name (for naming a body that is not loaded).
BODY_PHRASE = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:局|委员会|办公厅|办公室|法院|检察院|街道|办事处|人民政府|委|厅|院)(?![\u4e00-\u9fff]{0,1}经费)"
)
MIN_SPAN = 2


@dataclass(frozen=True)
class BodyMatch:
    start: int
    end: int
    exact: bool  # a contiguous part of the name (else an abbreviation)
    typo: bool  # one character is wrong
    spread: int  # how far apart the characters of an abbreviation lie in the name

    def better_than(self, other: BodyMatch) -> bool:
        return self.key > other.key

    @property
    def key(self) -> tuple[int, bool, bool, int]:
        return (self.end - self.start, not self.typo, self.exact, -self.spread)


def _starts_word(span: str, name: str) -> bool:
    """A two-character part names a body only where a word of its name starts: after the region or
    人民 / 政府 / 中共 ("政协", "人大", "法院", "检察"), not inside a word ("数据" of 大数据)."""
    at = name.find(span)
    # (or after a body's own name: "大鹏" of 深圳市规划和自然资源局大鹏管理局 starts its sub-body's name)
    return (
        at == 0
        or name[at - 1] in "省市区县"
        or name[:at].endswith(("人民", "政府", "中共"))
        or (at >= 4 and name[at - 1] in "局委厅署")
    )


@cache
def _tail(name: str) -> str:
    match = _TAIL.search(name)
    return match.group(1) if match else name[-1:]


def _spread(span: str, name: str) -> int | None:
    """How many characters of `name` the characters of `span` stretch over, in order; None if they don't."""
    at, first = 0, -1
    for ch in span:
        at = name.find(ch, at)
        if at < 0:
            return None
        first = at if first < 0 else first
        at += 1
    return at - first


def _distinct(span: str) -> bool:
    return any(ch not in GENERIC for ch in span)


def _abbreviation(span: str, name: str) -> int | None:
    """The spread of `span` as an abbreviation of `name`, or None."""
    tail = _tail(name)
    # it ends with the organisation word's first character (区府办, 省委办) or the name's last (省高院), or,
    # four characters or more, with the one before the organisation word ("深圳民政" for 深圳市民政局)
    ends_like_body = span[-1] in (tail[0], tail[-1]) and (len(span) >= 3 or span[-1] == tail[-1])
    bare = len(span) >= 4 and len(name) > len(tail) and span[-1] == name[-len(tail) - 1]
    if not (ends_like_body or bare):
        return None
    spread = _spread(span, name)
    if spread is None or not (_distinct(span) or len(span) >= 3):
        return None
    # one character before the organisation word must say which body: its own ("水|务局"), or the level ("省|法院"),
    # not one generic character ("政|中心" of 行政中心 is no 工务中心)
    head = span[: -len(tail)] if span.endswith(tail) else span[:-1]
    if (len(head) == 1 and head not in "省市区县" and not _distinct(head)) or (not head and len(span) < 3):
        return None  # (nor a bare two-character organisation word: "中心" names no body in particular)
    return spread


def match_body(text: str, start: int, end: int, name: str) -> BodyMatch | None:
    """Whether text[start:end] names the body `name` (both normalised)."""
    span = text[start:end]
    if len(span) < MIN_SPAN:
        return None
    tail = _tail(name)
    if (
        len(tail) >= 2
        and len(span) == len(tail) + 1
        and span.endswith(tail)
        and span[0] not in "省市区县"  # "2018年省检察院": the level, not a word of the question's own
        and _continues(text, start, name)
    ):
        return None  # "文体和水务中心": 务中心 is the end of the question's word for another unit, not 工务中心's
    if span in name and _distinct(span) and (len(span) > 2 or _starts_word(span, name)):
        # A contiguous part must say more than "人民政府" (else it must end like an abbreviation). A
        # longer word of the question it is a fragment of, such as 财政拨款 for 财政, wins over it.
        return BodyMatch(start, end, True, False, len(span))
    spread = _abbreviation(span, name)
    if spread is not None:
        return BodyMatch(start, end, False, False, spread)
    if len(span) >= 4 and _distinct(span) and span[0] in name and span[-1] in (_tail(name)[0], _tail(name)[-1]):
        # One character wrong inside ("省检查院", "普佗区财政局"): without it, the rest is a part or an
        # abbreviation of the name. The first and last characters must be right, so that a word
        # next to the name is not taken for a typo of it.
        for index in range(1, len(span) - 1):
            rest = span[:index] + span[index + 1 :]
            spread = len(rest) if rest in name else _abbreviation(rest, name)
            # a region character is no typo: "省人大省委办公厅" is two bodies, not 省人大常委会办公厅 mistyped;
            # nor is a bracket ("财政局（普陀）办公费"): a slip of the input method is a character
            if span[index] in "省市区县" or not "\u4e00" <= span[index] <= "\u9fff":
                continue
            if spread is not None and _distinct(rest) and _room_for(span, index, name):
                return BodyMatch(start, end, rest in name, True, spread)
    return None


def _continues(text: str, start: int, name: str) -> bool:
    """Whether the question's word goes on before text[start] with a character the name does not hold."""
    before = text[start - 1] if start > 0 else ""
    return "\u4e00" <= before <= "\u9fff" and before not in name and before not in GENERIC


def _room_for(span: str, index: int, name: str) -> bool:
    """Whether span[index] can stand for a character of `name` (a wrong character, not an extra one):
    the characters on either side of it lie in `name` with at least one character between them."""
    before = name.find(span[index - 1])
    after = name.find(span[index + 1], before + 1)
    return before >= 0 and after - before >= 2


def best_matches(text: str, names: Iterable[str]) -> dict[str, BodyMatch]:
    """For each body name, its best span in `text`: longest, then without a typo, then a part of the name."""
    out: dict[str, BodyMatch] = {}
    size = len(text)
    for name in names:
        best: BodyMatch | None = None
        tail = _tail(name)
        before_tail = name[-len(tail) - 1] if len(name) > len(tail) else ""
        for start in range(size):
            if text[start] not in name and not (start + 1 < size and text[start + 1] in name):
                continue
            for end in range(min(size, start + len(name) + 2), start + MIN_SPAN - 1, -1):
                # every match ends with a character of the name's tail (or the one before it) or lies inside
                # the name
                if text[end - 1] not in tail and text[end - 1] != before_tail and text[start:end] not in name:
                    continue
                found = match_body(text, start, end, name)
                if found is not None:
                    if best is None or found.better_than(best):
                        best = found
                    break
        if best is not None:
            out[name] = best
    return out


class BodyIndex:
    """The loaded bodies (normalised names → their documents), with the names each distinctive
    character occurs in: a question is matched against the bodies sharing one of its characters,
    not against all of them (a thousand bodies would cost tens of milliseconds a question)."""

    def __init__(self, documents: dict[str, list[str]]) -> None:
        self.documents = documents
        self.names = tuple(documents)
        holding: dict[str, set[str]] = {}
        for name in self.names:
            for ch in set(name) - GENERIC:
                holding.setdefault(ch, set()).add(name)
        self._holding = {ch: frozenset(names) for ch, names in holding.items()}

    def _held(self, text: str) -> list[str]:
        """The bodies sharing a distinctive character with `text`, in loading order."""
        held: set[str] = set()
        for ch in set(text):
            held |= self._holding.get(ch, frozenset())
        return [name for name in self.names if name in held]

    def matches(self, text: str) -> dict[str, BodyMatch]:
        """`best_matches` over every loaded body, computed over those that can match."""
        found = best_matches(text, self._held(text))
        if _generic_run(text) >= 3 and (not found or _longest(found) <= _generic_run(text)):
            return best_matches(text, self.names)
        return found

    def names_whole(self, text: str) -> bool:
        """Whether some loaded body answers to all of `text` ("普陀区财政局" yes, "黄浦区财政局" no)."""
        pool = self.names if _generic_run(text) >= len(text) else self._held(text)
        fitting = [name for name in pool if _reach(text, name) >= len(text)]  # the rest cannot match it all
        return any(m.start == 0 and m.end == len(text) for m in best_matches(text, fitting).values())

    def best(self, text: str) -> dict[str, BodyMatch]:
        """The bodies `text` names with the longest span (the others cannot win, so most are not tried)."""
        held = self._held(text)
        run = _generic_run(text)
        # A match is at most as long as the longest stretch of `text` made of the body's characters
        # (one wrong character allowed): bodies are tried longest reach first, until none can win.
        reach = sorted(
            ((_reach(text, name), order, name) for order, name in enumerate(held)), key=lambda r: (-r[0], r[1])
        )
        found: dict[str, BodyMatch] = {}
        longest = 0
        for bound, _, name in reach:
            if bound < longest:
                break
            match = best_matches(text, [name]).get(name)
            if match is not None:
                found[name] = match
                longest = max(longest, match.end - match.start)
        if run >= 3 and (not found or longest <= run):
            return self.matches(text)  # an abbreviation of generic characters only ("区府办")
        order = {name: n for n, name in enumerate(self.names)}
        return dict(sorted(found.items(), key=lambda pair: order[pair[0]]))


def _generic_run(text: str) -> int:
    """The longest run of generic characters: only an abbreviation made of them ("区府办") matches a
    body sharing no distinctive character, and it is no longer than such a run."""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch in GENERIC else 0
        longest = max(longest, run)
    return longest


def _longest(found: dict[str, BodyMatch]) -> int:
    return max(m.end - m.start for m in found.values())


def _reach(text: str, name: str) -> int:
    """The longest stretch of `text` whose characters, all but one, occur in `name`."""
    chars = set(name)
    best = start = 0
    missing = -1  # position of the one character not in the name, inside the current stretch
    for at, ch in enumerate(text):
        if ch not in chars:
            if missing >= start:
                start = missing + 1
            missing = at
        best = max(best, at - start + 1)
    return best


def named_bodies(text: str, index: BodyIndex) -> tuple[list[str], BodyMatch | None]:
    """The bodies `text` names best (several when they tie), and the span that names them."""
    found = index.best(text)
    if not found:
        return [], None
    top = max(match.key for match in found.values())
    best = [name for name, match in found.items() if match.key == top]
    # a tie of matches at different places ("泉州|政务": 泉州's bodies at one, 政务服务…局 at the other) is two
    # mentions: this one names only the bodies matched where it is
    span = found[best[0]]
    return [name for name in best if (found[name].start, found[name].end) == (span.start, span.end)], span
