"""Where a narrative figure is printed on its page: the box around its characters.

Table figures carry their cell's box from the table grid; a sentence's figure is found among the
page's printed characters. The figure's printed text may occur several times on a page ("第一季度
用款计划15万元，第二季度用款计划15万元"), so each occurrence is scored by how much of the sentence's
text just before the figure stands just before it on the page; a tie, or no occurrence, gives None
(no box is better than a box on the wrong number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ingest.narrative import normalize_keep_punct
from ingest.pdf import Box

_SPACE = re.compile(r"\s+")
CONTEXT = 40  # characters of the sentence before the figure that are compared


@lru_cache(maxsize=8)
def _key(text: str) -> str:
    """The form the sentence reader sees, one character for one character (a page's figures are
    placed one after another: its text is converted once)."""
    return "".join(mapped if len(mapped := normalize_keep_punct(ch)) == 1 else ch for ch in text)


def place_of(glyphs: str, boxes: Sequence[Box], printed: str, sentence: str, nth: int = 0) -> Box | None:
    """The box of the `nth` (0-based) time `printed` occurs in `sentence`, found among `glyphs`."""
    target = _SPACE.sub("", printed)
    said = _SPACE.sub("", sentence)
    if not target:
        return None
    page = _key(glyphs)
    cut = -1
    for _ in range(nth + 1):
        following = said.find(target, cut + 1)
        if following < 0:
            break
        cut = following
    before = said[max(0, cut - CONTEXT) : cut] if cut >= 0 else ""
    scored: list[tuple[int, int]] = []
    at = page.find(target)
    while at >= 0:
        scored.append((_common_tail(page[:at], before), at))
        at = page.find(target, at + 1)
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    start = scored[0][1]
    inside = boxes[start : start + len(target)]
    return (
        min(b[0] for b in inside),
        min(b[1] for b in inside),
        max(b[2] for b in inside),
        max(b[3] for b in inside),
    )


def _common_tail(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n
