"""Homophone typos: "基本之出" for 基本支出, "第几叶" for 第几页, "机关运形经费" for 机关运行经费.

A pinyin input method puts a character of the same sound in place of the one meant. A question that
is not understood as written is read again with each such slip replaced by the known word (a concept
word, a printed name, an operator word, a body's name) that differs from it in one character of the
same sound, and the answer says how it was read. Nothing is replaced when two known words fit, or when
the written word is itself known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from pypinyin import Style, pinyin

MIN_LENGTH = 3  # a two-character word has too many same-sounding neighbours to be guessed from


@cache
def _sounds(ch: str) -> frozenset[str]:
    """A character's readings without tones (every reading of a character with several)."""
    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(readings[0]) if readings else frozenset()


def same_sound(a: str, b: str) -> bool:
    return a != b and bool(_sounds(a) & _sounds(b))


@dataclass(frozen=True)
class Correction:
    start: int
    written: str
    meant: str


class Homophones:
    """Known words by their shape with one character left out: "基本?出" → 基本支出."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if len(w) >= MIN_LENGTH)
        self._shapes: dict[str, set[tuple[str, int]]] = {}
        for word in self.words:
            for at in range(len(word)):
                self._shapes.setdefault(word[:at] + "\0" + word[at + 1 :], set()).add((word, at))
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)

    def corrections(self, text: str) -> list[Correction]:
        """The slips in `text`, longest first, none overlapping another."""
        found: list[Correction] = []
        taken: set[int] = set()
        for length in self.lengths:
            for start in range(len(text) - length + 1):
                span = set(range(start, start + length))
                written = text[start : start + length]
                if span & taken or written in self.words:
                    continue
                meant = {
                    word
                    for at in range(length)
                    for word, where in self._shapes.get(written[:at] + "\0" + written[at + 1 :], ())
                    if where == at and same_sound(written[at], word[at])
                }
                if len(meant) == 1:
                    found.append(Correction(start, written, meant.pop()))
                    taken |= span
        return sorted(found, key=lambda c: c.start)


def corrected(text: str, corrections: list[Correction]) -> str:
    out = text
    for c in sorted(corrections, key=lambda c: -c.start):
        out = out[: c.start] + c.meant + out[c.start + len(c.written) :]
    return out


def said(corrections: list[Correction]) -> str:
    """How the question was read, said in the answer."""
    pairs = "、".join(f"“{c.written}”按“{c.meant}”" for c in corrections)
    return f"问题中的{pairs}理解（疑为同音错字）。"
