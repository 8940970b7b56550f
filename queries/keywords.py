"""The words a "有没有…" question asks about, as the asker wrote them.

"有没有PPP项目的钱", "有专项债券资金吗": what is asked about may be no printed name at all, or only part of
one ("专项债" of "其他地方自行试点项目收益专项债券收入安排的支出"). The existence answer looks for these
words in the document's printed names and sentences, and a refusal names them as written ("专项债券",
not the shorter name the frame found in it).
"""

from __future__ import annotations

import re

from queries.coverage import leftover_words
from queries.frame import Frame

# What a question adds around the thing it asks about: the money of it, the project of it.
_TAIL = re.compile(
    r"(?:的)?(?:专项)?(?:项目)?(?:的)?(?:钱|经费|资金|预算|支出|费用|开支|安排)*(?:一共|总共|共)?(?:多少|几)?(?:钱)?$"
)
_HEAD = re.compile(r"^(?:花钱|出钱)?(?:安排(?:了)?|编列|编制|编|列支|使用|用(?:了)?|购买|买|拿到|拿了|得到|获得|有)")
_WRITTEN = re.compile(r"[\u4e00-\u9fffa-z0-9]")
_QUESTION_END = re.compile(r"吗|呢|么|没有|有没有|有|了")


def _core(word: str) -> str:
    core = _TAIL.sub("", _HEAD.sub("", word))
    return core.upper() if core.isascii() else core  # "ppp" (the question is read in lower case) is PPP


def asked_keywords(frame: Frame) -> list[str]:
    """The words asked about, the longest as written first: an item printed under no concept, with what the
    question writes right before and after it that nothing else claimed ("专项债" + "券资金" → 专项债券;
    "安排行政中心保安" + "服务" + "的钱" → 行政中心保安服务), and the words no item bound ("PPP项目的钱" → PPP)."""
    return _asked(frame)[0]


def asked_spans(frame: Frame) -> list[tuple[int, int]]:
    """Where the question writes the words `asked_keywords` reads around its items: no leftover there."""
    return _asked(frame)[1]


def _asked(frame: Frame) -> tuple[list[str], list[tuple[int, int]]]:
    q = frame.question
    spans: list[tuple[int, int]] = []
    # a place written into a name ("苏州实验室") is part of the words asked
    places = {(s.start, s.end) for s in frame.spans if s.kind == "place"}
    claimed = [False] * len(q)
    for span in frame.spans:
        if span.kind != "template" or span.end - span.start < len(q):
            for position in range(span.start, min(span.end, len(q))):
                claimed[position] = True
    words: list[str] = []
    for item in frame.items:
        if item.concept or item.codes:
            continue
        start, end = item.start, item.end
        # (not over a 的: "水务局的预算准备金" asks for 预算准备金)
        while start > 0 and not claimed[start - 1] and _WRITTEN.match(q[start - 1]) and q[start - 1] != "的":
            start -= 1
        while end < len(q) and not claimed[end] and _WRITTEN.match(q[end]):
            end += 1
        start = next((a for a, b in places if b == start), start)
        written = _QUESTION_END.split(q[start:end])
        whole = next((w for w in written if item.words in w), item.words)
        words += [_core(whole), _core(item.words)]
        at = q.find(whole, start)
        spans.append((at, at + len(whole)) if at >= 0 else (item.start, item.end))
    if not frame.items:
        free = "".join("\0" if taken else ch for ch, taken in zip(q, claimed, strict=True))
        parts = [part for run in re.findall(r"[^\0]+", free) for part in _QUESTION_END.split(run)]
        # only what the question asks about, not its question words ("今年")
        words += [_core(part) for part in parts if leftover_words(part, [])]
    return [w for w in dict.fromkeys(words) if len(w) >= 2], spans
