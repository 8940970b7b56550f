"""The coverage guard: which words of a question nothing understood.

Every part of a question must be claimed: by the frame (a body, a year, an item, a role …), by the
template that answers it (its pattern), by an operator word the template carries out
(queries/operators.toml), or by the stop-words below, words that only join or ask. What is left is
named back to the asker, so that no question is answered about a broader or different thing than the
one it asked about. A word that changes what is asked (倍, 平均, 最多, 为什么 …) is never a stop-word:
tests/test_operators.py checks that none of the operator vocabulary is here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words that only join, point or ask ("请问", "和", "是多少", "的"): nothing in them changes the answer.
STOPWORD_LINES = (
    "请问 纳入 请 问一下 一下 告诉我 我想知道 想知道 想问 查一下 查查 查询 查 看看",
    "看一下 帮我 帮忙 麻烦 那么 那 这个 这些 这几个 这项 这一项 这笔 该 其中 里面 里边",
    "里 当中 之中 中的 中 以及 还有 另外 和 与 及 跟 同 或 又 是多少 为多少 有多少",
    "多少钱 多少 几 多大 怎样 如何 什么 哪些 金额 数额 数字 数目 数值 钱 花了 花 用了",
    "用于 用 安排了 安排 预计 计划 拟 有 共计 一共 总共 共 总额 总数 总 各是 各自",
    "各为 各 分别是 分别为 分别 都是 都 全部 所有 年度 本年 当年 今年 部门 单位 本级",
    "本部门 本单位 公开 情况 据 根据 按照 按 从 来看 看 显示 说明 说的 说 写的 写",
    "口径 经费 费用 资金 科目 一项 项 是 的 了 呢 吗 啊 吧 呀 嘛 么 为 在 里头 上",
    "是否 能否 可以 给 给我 下 列 列出 具体 大概 约 左右 元 万元 万 亿元 亿 个 年",
    "度 每年 支出 收入 预算 决算 安排的 相关 对应 目前 现在 到底 究竟 一共是 其 它",
    "它的 这 多 少 比 较 相比 时 时候 是指 指 所 这家 该单位 该部门 里说的 中说的",
    "文件 预算里 预算中 数据 那个 表里 表中 表 列了 列的 安排多少 是怎样 怎么 怎么样",
    "编报 编列 预算安排 前 名 哪家 哪个 哪几家 哪几个 哪一年 哪年 谁 是谁 家 每家 合计",
    "总计 一览 对比 比较 两家 三家 四家 五家 这几家 这五家 这四家 几家 各家 机关 省级",
    "区级 市级 县级 省 市 区 几个 分别多少 各多少 各年 历年 三年 两年 两个年度 这两年",
    "到 至 之间 期间 上年 去年 本年度 上年度 推算 情况说明 预算说明 说明里 编制说明",
    "预算公开 公开表 文件里 里说 写了 多高 功能科目 经济科目 功能分类 经济分类 科目编码",
    "编码 代码 这项支出 项下 类 款 内设 设有 下设 包括 包含 共有 现有 截至 截止 月底",
    "月末 年底 年末 期末 类型 什么类型 种类 哪些类型 情况下 那年 当时 口径的 口径下",
    "多少钱啊 整体 实际上 总的 一年 全年 本年预算 年度预算 预算数 金额是 费用是 是多少钱",
    "主要 有哪些 是哪些 文档 这份 收录 加载 导入 载入 资料 内容 什么内容 解释了 解释",
    "名词 人员 职工 项目 涉及 实行 相当于 合多少 开支 一笔 系统 出来 开始 能查到 查到",
    "下面的 下面 下属的 下属 所属的 所属 旗下 算的话 的话",
    "那一块 这一块 那块 这块 那部分 这部分 的部分",
    "差不多 大约 将近 来 具体是 手上 手里",
    "要付 需付 要支付 需支付 支付 要交 要缴 要花 得花 需要",
    # the whole body asked about, the whole a share is of by default ("占全署多少")
    "全署 全局 全委 全厅 全院 全办 全部门 全系统 全单位 整个部门 整个单位",
)
_STOPWORDS = re.compile(
    "|".join(sorted([word for line in STOPWORD_LINES for word in line.split()], key=len, reverse=True))
)
# A price class of a 政府采购 question ("单价50万元以上的"), and a pointing word ("这几家"), belong to no item.
_PRICE_CLASS = re.compile(r"(?:单价)?(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)万?元?(?:\(含\))?以上的?")
_POINTING = re.compile(r"[这那][一二三四五六七八九十几两\d]*[个家份位项]")


_ARITHMETIC = re.compile(r"加上?|减去?|扣除|乘以?|除以")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # body | year | prior | role | phase | item | scope | count | code | template


def leftover_words(q: str, spans: Iterable[Span]) -> list[tuple[int, int, str]]:
    """Runs of the question no span claims, without question words, of two characters or more."""
    used = [False] * len(q)
    for span in spans:
        for position in range(span.start, min(span.end, len(q))):
            used[position] = True
    # Question words are looked for in what the spans leave, so that a claimed word ("预算" of a year)
    # does not hide the question word next to it ("安排").
    free = "".join(ch if not used[i] else "\0" for i, ch in enumerate(q))
    for aside in re.finditer(r"\([^()]*\)", q):
        # the asker's own aside ("（不只是基本支出那部分）"): what it names was claimed, the rest is comment;
        # unless what is left of it computes ("（一般公共预算那块加政府性基金那块）"): that changes the question
        if _ARITHMETIC.search(free, aside.start(), aside.end()):
            continue
        for position in range(aside.start(), aside.end()):
            used[position] = True
    # (a price class read in the question as written: its amount may be claimed already, "单价一百万以上的")
    for match in (*_PRICE_CLASS.finditer(q), *_POINTING.finditer(free)):
        for position in range(match.start(), match.end()):
            used[position] = True
    free = "".join(ch if not used[i] else "\0" for i, ch in enumerate(q))
    singles = []
    for match in _STOPWORDS.finditer(free):
        if match.end() - match.start() == 1:
            singles.append(match.start())
            continue
        for position in range(match.start(), match.end()):
            used[position] = True
    # A one-character question word ("查", "那", "呢") goes only from the edge of a run of free words,
    # peeled one at a time: "督查科" keeps its 查.
    peeled = True
    while peeled:
        peeled = False
        for position in singles:
            edge = position == 0 or used[position - 1] or position == len(q) - 1 or used[position + 1]
            if not used[position] and edge and not _names_people(q, used, singles, position):
                used[position] = peeled = True
    out = []
    start = None
    for position in range(len(q) + 1):
        open_ = position < len(q) and not used[position]
        if open_ and start is None:
            start = position
        elif not open_ and start is not None:
            word = q[start:position]
            # (a Latin word is one too: "ppp项目" asks about PPP)
            chinese = len(re.findall(r"[\u4e00-\u9fff]", word))
            latin = [w for w in re.findall(r"[a-z]{2,}", word) if w not in _LATIN_FILLER]
            if chinese >= 2 or re.fullmatch(r"\d{5,}", word) or latin:
                out.append((start, position, word))
            start = None
    return out


# The people a head count counts, written after the matched word: "退休" in "退休人员", "在职" in "在职教职工人数".
_COUNTED_NOUNS = re.compile(r"(?:教职工|职工|人员|干部|员工|人数|编制)+")


# English words typed around a question ("show 三公经费", "pls"): they ask, they name nothing
_LATIN_FILLER = frozenset(
    {
        *("show", "please", "pls", "plz", "what", "how", "much", "many", "ok", "okay", "hi", "hello", "tell"),
        *("me", "give", "the", "is", "are", "of", "and", "or", "an", "in", "for", "ask", "query", "find"),
        *("list", "check"),
    }
)


def counted_phrase(question: str, words: str) -> str:
    """The asker's own words for what a count counts: the matched word with the person nouns after it, so that a
    refusal names "退休人员", not only the "退休" the glossary knows."""
    at = question.find(words)
    if at < 0:
        return words
    after = _COUNTED_NOUNS.match(question, at + len(words))
    return words + after.group() if after else words


def _names_people(q: str, used: list[bool], singles: list[int], position: int) -> bool:
    """Peeling the question word at `position` would leave one lone character of a run that names whom a head
    count counts, which would then no longer count as a word: "在编人员" keeps "在编" to name back."""
    left = position
    while left > 0 and not used[left - 1]:
        left -= 1
    right = position + 1
    while right < len(used) and not used[right]:
        right += 1
    rest = [p for p in range(left, right) if p != position]
    return len(rest) == 1 and rest[0] not in singles and _COUNTED_NOUNS.match(q, right) is not None


def unbound(q: str, spans: Iterable[Span]) -> str:
    """The words of `q` nothing claimed (question words removed), joined."""
    return "".join(word for _, _, word in leftover_words(q, list(spans)))
