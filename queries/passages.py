"""The sentences of a document that hold what a question asks in words no printed row, concept or template
reads ("《深圳市人民政府公报》计划发行多少期", "普通高中学位供给率提到多少", "有没有负责复查复核的"): quoted as
printed, with their pages, when nothing else answers.

A quote is never read for a figure. The asker reads the number in the document's own words; the answer
says that it is a sentence of the document, not a figure the tables print."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from queries.coverage import Span

# What places the question in a document (body, year, phase) is not what it asks about.
_PLACING = frozenset({"body", "year", "prior", "phase", "as_of"})
# A sentence ends at these; a line of a table has none, and is read with the lines around it.
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")
_LONGEST_SENTENCE = 240
# The share of the asked words' character pairs a sentence must hold, and the run of characters it must share
# with one of them as written (so that scattered pairs are no match).
MIN_SHARE = 0.75
MIN_RUN = 4
# Sentences within this share of the best are quoted too (a duty and a task can both say it), at most:
MIN_CLOSE = 0.05
MOST_QUOTED = 3
# A question that names no body is placed by the one page that holds this share of its words' pairs, ahead of
# every page of another document by LEAD; its sentences then need only LOCATED_SHARE.
PAGE_SHARE = 0.8
LEAD = 0.2
LOCATED_SHARE = 0.5


@dataclass(frozen=True)
class Passage:
    document: str
    page: int
    text: str
    share: float  # of the asked words' character pairs the sentence holds


# Words that ask or join, not what is asked about; kept few, since a sentence is matched by pairs of characters
# and a word such as 项目 or 资金 is part of the names a sentence prints.
_ASKING = re.compile(
    r"[\s,，。.、;；:：?？!！()（）《》“”\"']+|多少钱?|是多少|是什么|是啥|啥|什么|哪些|哪个|哪几?|几|吗|呢|啊|吧"
    r"|有没有|有哪些|有多少|有几|是否|请问|一下|的|了|和|与|及|或|今年|明年|本年度?|打算把?|准备|提高到|提到|达到|要"
)
# A question that asks how many or how much is answered by a sentence that prints a number with a unit: the
# counter the question names ("多少期" by "42期", "多少人" by "72人"), an amount where it asks for money, else any
# unit (a list number "5福建省…" or a slogan "1336工作主线" is none).
_QUANTITY = re.compile(r"多少|几|百分之|比例|比重|占比|多高|多大")
_COUNTER = re.compile(r"(?:多少|几)(个|人|名|辆|台|期|条|家|次|批次?|项|所|户|套|场|件|篇|亿元|万元|元|%)")
_MONEY_ASKED = re.compile(r"多少钱|(?:预算|资金|经费|费|投资|金额)(?:是|有|为|安排了?|一共)?(?:多少|几)")
_MONEY = r"(?:亿元|万元|元|亿|万)"
_ANY_UNIT = r"(?:亿元|万元|元|亿|万|%|个|人|名|辆|台|期|条|家|次|批|项|所|户|套|场|件|篇|吨|公里|千米|平方米|立方米|米)"
# A word held by less than this share of its pairs leaves the sentence unmatched ("批次" of "公务接待安排了多少批次"
# is not in a sentence about 公务接待费).
MIN_WORD_SHARE = 0.5


def asked_words(question: str, spans: Iterable[Span]) -> list[str]:
    """The question's words less those that place it in a document (body, year) and those that ask: what it
    asks about ("深圳市人民政府公报", "今年计划发行"; "全社会研发投入占gdp比重目标")."""
    kept = list(question)
    for span in spans:
        if span.kind in _PLACING:
            kept[span.start : span.end] = [" "] * (span.end - span.start)
    return [word for word in _ASKING.split("".join(kept)) if len(word) >= 2]


def _flat(text: str) -> str:
    return re.sub(r"[ \t\u3000]", "", unicodedata.normalize("NFKC", text)).lower()


def sentences(page_text: str) -> Iterable[str]:
    """A page's sentences without spaces; a long run without a sentence end (a table) by three lines at a time."""
    for part in _SENTENCE_END.split(_flat(page_text)):
        if len(part) <= _LONGEST_SENTENCE:
            if part.strip():
                yield part.replace("\n", "")
            continue
        lines = part.split("\n")
        for at in range(len(lines)):
            yield "".join(lines[max(0, at - 1) : at + 2])


def line_windows(page_text: str, most: int = 8) -> Iterable[str]:
    """Runs of up to `most` consecutive lines of a page, without spaces: a table row with its name, figure and
    target wrapped over lines ("…（促进会展业发展事项）300 1.吸引…2.扶持项目数量8个及以上")."""
    lines = [line for line in _flat(page_text).split("\n") if line]
    for start in range(len(lines)):
        for end in range(start + 1, min(len(lines), start + most) + 1):
            yield "".join(lines[start:end])


def _pairs(word: str) -> list[str]:
    return [word[i : i + 2] for i in range(len(word) - 1)]


def longest_run(word: str, text: str) -> int:
    """The longest run of the word's characters, as written, that the text holds."""
    best = 0
    for start in range(len(word)):
        end = start + best + 1
        while end <= len(word) and word[start:end] in text:
            best, end = end - start, end + 1
    return best


def share_held(words: Sequence[str], sentence: str) -> float:
    """The share of the words' character pairs the sentence holds; 0 when it shares no run of MIN_RUN characters
    (or a whole shorter word) with any of them, or holds less than MIN_WORD_SHARE of one of them."""
    pairs = [pair for word in words for pair in _pairs(word)]
    if not pairs:
        return 0.0
    if not any(longest_run(word, sentence) >= min(MIN_RUN, len(word)) for word in words):
        return 0.0
    held = 0
    for word in words:
        own = [pair in sentence for pair in _pairs(word)]
        if sum(own) < MIN_WORD_SHARE * len(own):
            return 0.0
        held += sum(own)
    return held / len(pairs)


def answers_the_kind(question: str, years: Sequence[int], sentence: str) -> bool:
    """Whether the sentence can hold what is asked: a number with the unit asked for "多少", and each year the
    question names (a question about 2025 is not answered by a sentence about 2026)."""
    if _QUANTITY.search(question):
        counter = _COUNTER.search(question)
        unit = re.escape(counter.group(1)) if counter else _MONEY if _MONEY_ASKED.search(question) else _ANY_UNIT
        if not re.search(r"\d(?:[\d,.]*\d)?(?:以上|以下|及以上)?" + unit, sentence):
            return False
    return all(str(year) in sentence for year in years)


def best_passages(
    question: str,
    words: Sequence[str],
    years: Sequence[int],
    pages: Iterable[tuple[str, int, str]],
    least: float = MIN_SHARE,
) -> list[Passage]:
    """The sentences of (document, page, text) that hold most of the words and can hold what is asked, best first;
    none below `least` (below MIN_SHARE, on a page located by its words: the lines around them, read as runs). A
    sentence printed again (in the 单位 edition, on a later page) is quoted once; of a table's lines, the best."""
    flat = [_flat(word) for word in words if len(word) >= 2]
    found: list[Passage] = []
    for document, page, text in pages:
        for sentence in sentences(text) if least >= MIN_SHARE else line_windows(text):
            share = share_held(flat, sentence)
            if share >= least and answers_the_kind(question, years, sentence):
                found.append(Passage(document, page, sentence, share))
    if not found:
        return []
    found.sort(key=lambda p: (-p.share, len(p.text)))
    best = found[0].share
    quoted: list[Passage] = []
    for passage in found:
        if passage.share < best - MIN_CLOSE or len(quoted) == MOST_QUOTED:
            break
        if any(_same_words(passage.text, q.text) or _overlap(passage, q) for q in quoted):
            continue
        quoted.append(passage)
    return quoted


def located_page(words: Sequence[str], pages: Iterable[tuple[str, int, str]]) -> tuple[str, int] | None:
    """The (document, page) that holds PAGE_SHARE of the words' pairs, ahead of every other document's pages by
    LEAD: where a question that names no body is about ("会展业发展专项资金的绩效目标…")."""
    pairs = [pair for word in words if len(word) >= 2 for pair in _pairs(_flat(word))]
    if not pairs:
        return None
    scored = sorted(
        ((sum(pair in flat for pair in pairs) / len(pairs), document, page) for document, page, text in pages
         for flat in (_flat(text),)),
        reverse=True,
    )
    if not scored or scored[0][0] < PAGE_SHARE:
        return None
    share, document, page = scored[0]
    other = next((s for s, d, _ in scored if d != document), 0.0)
    return (document, page) if share - other >= LEAD else None


def _overlap(a: Passage, b: Passage) -> bool:
    """Two windows of one table's lines that share a line."""
    if (a.document, a.page) != (b.document, b.page):
        return False
    shorter, longer = sorted((a.text, b.text), key=len)
    return shorter[: len(shorter) // 3] in longer or shorter[-(len(shorter) // 3) :] in longer


def _same_words(a: str, b: str) -> bool:
    """One sentence printed twice, perhaps with a running header or page number glued on."""
    shorter, longer = sorted((re.sub(r"[\d\-—]", "", a), re.sub(r"[\d\-—]", "", b)), key=len)
    return len(shorter) >= 10 and shorter[len(shorter) // 4 : len(shorter) * 3 // 4] in longer
