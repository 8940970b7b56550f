"""The vocabulary of the loaded documents: every row name and code they print, and the forms a question writes
them in (normalised the way questions are: half-width, lower case, no punctuation, Arabic years)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from ingest.meaning import GENERIC_ROWS

MAX_QUESTION_CHARS = 500
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_CN_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")
_SHORT_YEAR = re.compile(r"(?<![\d.])([12]\d)(?=年)")
_SHORT_YEAR_LIST = re.compile(r"(?<![\d.])[12]\d(?:\s*[、，,和与及]\s*[12]\d)+\s*(?:[两三四五六七八九十]个?)?年(?:度)?")
_NOISE = re.compile(r"[\s\u200b-\u200f\u2028-\u202f\ufeff]|[?？!！。，,、；;：:~～…“”\"'‘’「」]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_YEAR_LIST = re.compile(r"(?<!\d)(20\d\d)(?=\s*[、，,和与及]\s*(?:20\d\d)[、，,和与及\d]*(?:[两三四五]个?)?年)")
# A count word inside the item's name: "安排购置几辆车" asks for 购置车辆.
_COUNT_INSIDE = re.compile(r"(购置|购买|买|新购|新增|配备|更新)(几|多少)(辆)(?:公务用?)?车(?:辆)?")
# A question word inside the item's name: "涉及多少资金" asks for 涉及资金.
_AMOUNT_INSIDE = re.compile(r"(涉及)(多少)(预算|财政性)?(资金|金额)")
# Printed names too general to be asked about by themselves.
_GENERIC_NAMES = frozenset(
    {
        *GENERIC_ROWS,
        "项目",
        "支出",
        "收入",
        "资金",
        "经费",
        "其他",
        "金额",
        "预算",
        "决算",
        # years said as words: "去年预算数为0万元" names last year's figure of the item before it
        "本年",
        "上年",
        "去年",
        "今年",
        "当年",
        "明年",
        "前年",
        "本年度",
        "上年度",
        # what the performance-target templates list: "共8个项目绩效目标" counts them, no item to ask the amount of
        "绩效目标",
        "项目绩效目标",
        "部门",
        "单位",
        # which of a department's units ("深圳市水务局（本级）…"), not an item: a question about it is refused
        "本级",
        "科目",
    }
)
MIN_SUFFIX = 3
MIN_PREFIX = 4
# What a printed name ends with that a question leaves out ("机关事业单位职业年金缴费支出" asked as 职业年金)
_NAME_TAIL = re.compile(r"(?:缴费)?(?:支出)$")
TYPO_SCORE = 85
_DATED_NAME = re.compile(r"^20\d\d(?:年度?)?([\u4e00-\u9fff][^年]{3,})$")
# The short forms everyone uses for a few long words.
_SHORT_FORMS = {"福利彩票": "福彩", "体育彩票": "体彩", "政府采购": "政采"}
_ASIDE_AT_END = re.compile(r"\([^()]*\)$")
_COMPARING = re.compile(r"^(?:比|较|与|同比)|增加|减少|增长|下降|增减")


def normalize_question(text: str) -> str:
    """Half-width, lower case, no spaces, punctuation or quotes, Arabic years, at most MAX_QUESTION_CHARS."""
    text = _CONTROL.sub("", unicodedata.normalize("NFKC", text[: MAX_QUESTION_CHARS * 4]))
    text = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    # "17、18、19三年" → "2017年、2018年、2019年" (before the single short year: "19三年" has no 年 of its own)
    text = _SHORT_YEAR_LIST.sub(lambda m: "、".join(f"20{y}年" for y in re.findall(r"\d\d", m.group(0))), text)
    text = _SHORT_YEAR.sub(lambda m: "20" + m.group(1), text)
    text = _YEAR_LIST.sub(r"\1年", text)  # "2017、2019年" → "2017年、2019年"
    text = _NOISE.sub("", text).lower()[:MAX_QUESTION_CHARS]
    text = _AMOUNT_INSIDE.sub(r"\1\3\4\2", text)  # "涉及多少资金" → "涉及资金多少"
    return _COUNT_INSIDE.sub(r"\1车辆\2\3", text)  # "购置几辆车" → "购置车辆几辆"




@dataclass(frozen=True)
class Vocabulary:
    """Every item name and code the loaded documents print, normalised (label_key)."""

    names: tuple[str, ...]
    codes: frozenset[str]
    concepts: dict[str, str] = field(
        default_factory=dict, compare=False
    )  # a printed name that always means one concept
    _starts: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    _forms: dict[str, str] = field(default_factory=dict, compare=False)  # the name as a question writes it → name
    _inner: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)  # 2 characters → forms holding them

    @staticmethod
    def of(
        names: Iterable[str],
        codes: Iterable[str],
        concepts: dict[str, str] | None = None,
        aliases: dict[str, str] | None = None,
    ) -> Vocabulary:
        """`aliases`: shorter forms a question names a printed name by (a unit without its place)."""
        kept = sorted({n for n in names if len(n) >= 2 and n not in _GENERIC_NAMES})
        forms = {normalize_question(name): name for name in kept}
        for form, name in (aliases or {}).items():
            forms.setdefault(normalize_question(form), name)  # a printed name is never shadowed
        # "福彩公益金" for a printed 福利彩票公益金项目: the short forms everyone uses for a few long words
        for name in kept:
            form = normalize_question(name)
            for long, short in _SHORT_FORMS.items():
                if long in form:
                    forms.setdefault(form.replace(long, short), name)
        # "2026驻京经费", "2026年度信访专项经费": a project printed with its year is asked without it
        for name in kept:
            dated = _DATED_NAME.match(normalize_question(name))
            if dated and dated.group(1) not in forms:
                forms[dated.group(1)] = name
        # "西江水费" for a printed 西江水费（含水资源税）: a name's closing aside is left out in a question
        for name in kept:
            bare = _ASIDE_AT_END.sub("", normalize_question(name))
            # (not a column's "比上年预算增加(减少)": without its aside it is the words of a question's change)
            if len(bare) >= 3 and bare != normalize_question(name) and not _COMPARING.search(bare):
                forms.setdefault(bare, name)
        forms = {form: name for form, name in forms.items() if form not in _GENERIC_NAMES}
        starts: dict[str, list[str]] = {}
        inner: dict[str, set[str]] = {}
        for form in forms:
            if len(form) >= 2:
                starts.setdefault(form[:2], []).append(form)
            for at in range(1, len(form) - 1):
                inner.setdefault(form[at : at + 2], set()).add(form)
        return Vocabulary(
            tuple(kept),
            frozenset(codes),
            dict(concepts or {}),
            {k: tuple(v) for k, v in starts.items()},
            forms,
            {k: tuple(sorted(v)) for k, v in inner.items()},
        )

    @cached_property
    def hyphen_heads(self) -> dict[str, dict[str, str]]:
        """Printed names "项目-对象" by their 项目 (as a question writes it): 对象 → name, for heads with a
        name of their own per 对象 ("辅助人员补助经费-拱北海关", "辅助人员补助经费-珠海边检总站")."""
        heads: dict[str, dict[str, str]] = {}
        for name in self.names:
            head, dash, tail = normalize_question(name).rpartition("-")
            if dash and len(head) >= 4 and len(tail) >= 2:
                heads.setdefault(head, {})[tail] = name
        return heads

    @property
    def forms(self) -> tuple[str, ...]:
        """Every printed name as a question writes it."""
        return tuple(self._forms)

    def split_by(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Where a printed name lies around text[start:end], a count word written inside it ("预计办理
        多少件提案" holds 预计办理提案): the name's start and end in `text`, or None."""
        best: tuple[int, int] | None = None
        for form in self._inner.get(text[end : end + 2], ()):
            for cut in range(2, len(form) - 1):
                head, tail = form[:cut], form[cut:]
                longer = best is None or len(head) + len(tail) > best[1] - best[0] - (end - start)
                if longer and text.startswith(tail, end) and text.endswith(head, 0, start):
                    best = (start - len(head), end + len(tail))
        return best

    def names_at(self, text: str, start: int) -> list[tuple[str, str]]:
        """(as written, printed name) for the printed names text[start:] begins with (punctuation aside:
        "公诉审判侦查执行等检察监督支出" is the printed "公诉、审判、侦查、执行等检察监督支出")."""
        return [
            (form, self._forms[form])
            for form in self._starts.get(text[start : start + 2], ())
            if text.startswith(form, start)
        ]

    def begun_by(self, text: str) -> list[str]:
        """Printed names whose form begins with the text ("商品和服务" of 商品和服务支出), shortest first."""
        return sorted(
            {self._forms[form] for form in self._starts.get(text[:2], ()) if form.startswith(text)}, key=len
        )

    def begins(self, text: str) -> bool:
        """Whether a printed name begins with the text ("社会公益类" of 社会公益类项目)."""
        return any(form.startswith(text) for form in self._starts.get(text[:2], ()))

    def part_of(self, word: str) -> list[str]:
        """Printed names a question names by their ending ("养老保险缴费") or beginning ("社会保障和就业")."""
        ends = [
            name
            for name in self.names
            if (len(word) >= MIN_SUFFIX and name.endswith(word)) or (len(word) >= MIN_PREFIX and name.startswith(word))
        ]
        # else by the ending a question leaves out ("职业年金" of 机关事业单位职业年金缴费支出)
        return ends or [n for n in self.names if len(word) >= MIN_SUFFIX and _NAME_TAIL.sub("", n).endswith(word)]

    def holding(self, word: str, ending: str) -> list[str]:
        """Printed names that end with `ending` and hold `word` before it ("江苏省联谊俱乐部在职人员")."""
        return [
            self._forms[form]
            for form in (*self._starts.get(word[:2], ()), *self._inner.get(word[:2], ()))
            if form.endswith(ending) and word in form[: len(form) - len(ending)]
        ]

    def close_to(self, word: str) -> list[str]:
        """Printed names one character off `word` (a typo), for words of four characters or more."""
        if len(word) < 4:
            return []
        return sorted(
            n
            for n in self.names
            if len(n) == len(word) and fuzz.ratio(n, word) >= TYPO_SCORE and (n[0] == word[0] or n[-1] == word[-1])
        )
