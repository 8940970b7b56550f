"""Operators over the figures an answer already picks (queries/operators.toml): a ratio of two items, an
amount per person or vehicle, the largest of an item's parts or of one level of a table, whether an item is
there at all, the narrative's reason for it, and the difference of two items.

Each composer picks its inputs the way `values` does (same document, role, year and fund scope as
asked), shows them with their sources, and adds one computed value with its own role and formula. When
an input is missing or the two do not compare (money and a count, two fund scopes), it says so
instead of computing.
"""

from __future__ import annotations

import calendar
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher

from ingest.meaning import GENERIC_ROWS, label_key, meanings, scope_named
from queries.answer import Answer, Value, plain
from queries.compose import (
    WAN,
    Context,
    Reply,
    in_fund_of,
    item_name,
    labelled,
    number_part,
    one_word_twice,
    overlapping,
    percent,
    qualifiers,
    quoted,
    role_of_value,
    show_item,
    values,
    want_for,
)
from queries.frame import DocumentInfo, ItemRef
from queries.glossary import Concept
from queries.keywords import asked_keywords
from queries.operators import asked_operations, operators
from queries.pick import Row, Want, is_of, kinds_of, pick

HUNDREDTH = Decimal("0.01")
_PURCHASE = re.compile(r"购置|购买|购车|买车|新购|计划购")
# words that say which staff a 人均 is over: a count without that word is another count
_STAFF_QUALIFIER = re.compile(r"在职|在编|实有|编制|离休|退休|离退休|聘用|临聘")


def _size(row: Row) -> Decimal | None:
    """What two figures are compared by: money in 元, a count as printed."""
    if row["value_yuan"] is not None:
        return Decimal(row["value_yuan"])
    return Decimal(row["value"]) if row["value"] is not None else None


def _printed(row: Row) -> str:
    return f"{number_part(row['printed']) or row['printed']} {row['unit'] or ''}".strip()


def _inputs(ctx: Context, reply: Reply, items: tuple[ItemRef, ...]) -> list[Row | None]:
    """Each item's figure, shown in the reply as `values` shows it (the narrative's when no table prints it)."""
    doc = ctx.docs[0]
    found: list[Row | None] = []
    for item in items:
        before = len(reply.values)
        picked = show_item(ctx, reply, doc, item, want_for(ctx, doc, item), text_too=False)
        if picked.table is None and picked.text is not None:
            reply.figure(labelled(item_name(item), ["情况说明"]), picked.text, role_of_value(picked.text, doc))
        row = picked.best
        summed = next((v for v in reply.values[before:] if v.role == "sum" and v.value is not None), None)
        if summed is not None and row is not None:
            # printed only as its 基本支出 and 项目支出 parts: their sum, which the reply shows as computed
            total = Decimal(summed.value or 0)
            row = {**row, "value": total, "unit": "万元", "value_yuan": total * 10_000, "printed": plain(total)}
        found.append(row if row is not None and row["value"] is not None else None)
    return found


def _unlike(a: Row, b: Row) -> str | None:
    """Why two figures cannot be divided one by the other, if they cannot."""
    if (a["value_yuan"] is None) != (b["value_yuan"] is None):
        return "一个是金额、一个是数量"
    if a["value_yuan"] is None and (a["unit"] or "") != (b["unit"] or ""):
        return f"单位不同（{a['unit']}、{b['unit']}）"
    return None


_THIS_YEAR = re.compile(r"今年|本年|当年")
_LAST_YEAR = re.compile(r"上一?年|去年|前一年|上年执行|执行数")


def _comparable(first: Row | None, second: Row | None, result: str, doing: str) -> tuple[Decimal, Decimal] | str:
    """The two figures' sizes, or the note saying why their `result` is not computed ("不能相除")."""
    if first is None or second is None:
        return f"缺少其中一个数字，没有计算{result}。"
    why_not = _unlike(first, second)
    a, b = _size(first), _size(second)
    if why_not is not None or a is None or b is None:
        return f"两个数{why_not or '缺一'}，不能{doing}。"
    return a, b


def _years_of_one_item(ctx: Context, reply: Reply, item: ItemRef) -> tuple[list[Row | None], list[str]]:
    """ "三公经费今年是去年的几倍": the item's figure this year and last year (as this document prints
    it: 上年预算数, else 上年执行数), in the order the question names them."""
    doc = ctx.docs[0]
    name = item_name(item)
    own_role = "决算" if doc.phase == "决算" else "预算"  # "今年预算是上年执行数的几倍": 执行 is last year's only
    want = want_for(ctx, doc, item, prior=True)
    before = pick(ctx.rows_of(doc), item, want)
    if before.best is None and doc.phase == "预算":
        before = pick(ctx.rows_of(doc), item, replace(want, role="执行"))
    last = before.best
    want_now = want_for(ctx, doc, item, prior=False, role=own_role)
    if in_fund_of(ctx.rows_of(doc), item, want_now, last, pick(ctx.rows_of(doc), item, want_now).best) is not None:
        assert last is not None
        want_now = replace(want_now, scope=last["scope"])  # last year's is one fund's: this year's of that fund
    now = show_item(ctx, reply, doc, item, want_now, text_too=False).best
    if last is not None:
        reply.figure(labelled(name, qualifiers(last, want, doc, None)), last, "prior")
    years = [f"{doc.year}年", f"{(doc.year or 1) - 1}年"]
    question = ctx.frame.question
    this_at = [m.start() for m in _THIS_YEAR.finditer(question)] + [
        m.start() for m in re.finditer(str(doc.year)[2:] + "年", question)
    ]
    last_at = [m.start() for m in _LAST_YEAR.finditer(question)] + [
        m.start() for m in re.finditer(str((doc.year or 1) - 1)[2:] + "年", question)
    ]
    found = [now if now is not None and now["value"] is not None else None, last]
    if this_at and last_at and min(last_at) < min(this_at):
        return found[::-1], years[::-1]
    return found, years


def ratio(ctx: Context) -> Answer:
    """ "A是B的几倍": A ÷ B, both figures shown with their sources; one item asked of two years ("今年是去年
    的几倍"): this year's figure and last year's as the document prints them."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    items = ctx.frame.items[:2]
    if len(items) == 1:
        if not (_THIS_YEAR.search(ctx.frame.question) or _LAST_YEAR.search(ctx.frame.question) or ctx.frame.prior):
            # "基本支出是几倍": of what, the question does not say
            return Answer(
                "no_data",
                f"问题中的“倍”要两个数相除，但只找到了{quoted(item_name(items[0]))}：请说明是它的几倍"
                "（例如“基本支出是项目支出的几倍”“今年是去年的几倍”）。",
                ctx.template.id,
                document=doc.id,
            )
        (first, second), years = _years_of_one_item(ctx, reply, items[0])
        names = [f"{year}{item_name(items[0])}" for year in years]
    else:
        first, second = _inputs(ctx, reply, items)
        names = [item_name(i) for i in items]
    if len(ctx.frame.items) > 2:
        reply.notes.append(f"问题提到{len(ctx.frame.items)}个项目，只算前两个：{names[0]}和{names[1]}。")
    sizes = _comparable(first, second, "倍数", "相除")
    if isinstance(sizes, str) or first is None or second is None:
        reply.notes.append(str(sizes))
        return reply.answer(f"{doc.label}：{names[0]}是{names[1]}的几倍", "no_data")
    a, b = sizes
    if b == 0:
        reply.notes.append(f"{quoted(names[1])}为 0，不能计算倍数。")
        return reply.answer(f"{doc.label}：{names[0]}是{names[1]}的几倍")
    times = (a / b).quantize(HUNDREDTH, ROUND_HALF_UP)
    source = reply.values[0].source if reply.values else 0
    reply.computed(f"{names[0]}是{names[1]}的倍数（计算）", times, "倍", "ratio", source)
    reply.notes.insert(0, f"倍数 = {_printed(first)} ÷ {_printed(second)} = {times} 倍。")
    differ = first["scope"] != second["scope"] and None not in (first["scope"], second["scope"])
    if differ and (len(items) > 1 or not _as_much_in_both(ctx, items[0], first, second)):
        reply.notes.append(f"注意：两个数的资金口径不同（{first['scope']}、{second['scope']}）。")
    return reply.answer(f"{doc.label}：{names[0]}是{names[1]}的{times}倍")


def _as_much_in_both(ctx: Context, item: ItemRef, first: Row, second: Row) -> bool:
    """Whether the item's all-funds figure of one year is printed alike in the fund the other year's is of (all its
    money is 财政拨款): then the two figures' scopes differ in name only."""
    broad, narrow = (first, second) if first["scope"] == "全部资金" else (second, first)
    if broad["scope"] != "全部资金":
        return False
    want = Want(broad["role"], broad["ref_year"], narrow["scope"], None, False)
    same = pick(ctx.rows_of(ctx.docs[0]), item, want).best
    return same is not None and same["value_yuan"] == broad["value_yuan"]


# A per-unit word → the units of the count it divides by, in order of preference ("人均": staff).
_COUNT_UNITS = (
    (re.compile(r"人次"), ("人次",)),
    (re.compile(r"批次|每批"), ("批次", "批")),
    (re.compile(r"辆|车"), ("辆",)),
    (re.compile(r"人均|每人|每名|每位|每个人|一人|人头"), ("人", "名")),
    (re.compile(r"项目|每项|每个"), ("个", "项")),
    (re.compile(r"台|套"), ("台", "套", "台(套)")),
)


def _count_units(ctx: Context) -> tuple[str, ...]:
    for pattern, units in _COUNT_UNITS:
        if pattern.search(ctx.frame.question):
            return units
    return ()


def per_unit(ctx: Context) -> Answer:
    """ "人均…", "平均每辆…": an amount ÷ a count the same document prints, naming the count."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    # the item picked as money is the amount; an item printed as a count ("离休人员", "编报绩效目标的项目
    # 20个") is the count to divide by
    rows = ctx.rows_of(doc)
    money: list[ItemRef] = []
    named: list[Row] = []
    for item in ctx.frame.items:
        printed_as_count = any(r["measure"] == "数量" and r["item"] == item.words for r in rows)
        # ("平均每辆" marks the item before it as counted: a money concept stays the amount)
        if item.measure != "count" and not printed_as_count:
            money.append(item)
            continue
        # the count printed under the words asked ("在职人员" 46, not 实有人员 72 of the same concept)
        counted = [r for r in rows if r["measure"] == "数量" and r["value"] is not None and is_of(r, item)]
        counted.sort(
            key=lambda r: (
                r["item"] != item.words,
                item.words not in str(r["item"]),
                # "年初共有公务用车9辆，…截至10月共有公务用车5辆": the holding now, not the one before
                bool(_EARLIER_STATE.search(_clause_before(r))),
                r["source"] != "table",
            )
        )
        named += counted[:1]
    # a count the asker states ("今年买10辆公务车，按购置费算平均一辆多少钱") that the document prints: that row
    stated = [(Decimal(m.group(1)), m.group(2)) for m in _STATED_COUNT.finditer(ctx.frame.question)]
    printed = [
        r
        for r in rows
        if r["measure"] == "数量"
        and r["value"] is not None
        and any(Decimal(r["value"]) == number and (r["unit"] or "") == unit for number, unit in stated)
        and r["concepts"]  # a count the document names as one (购置车辆), not a part of a list
    ]
    if printed:
        named = printed[:1]
    counts = [i for i in ctx.frame.items if i not in money]
    if not money and counts:
        # "计划买车，平均一辆多少钱": the money of what is counted (购置车辆 → 公务用车购置费)
        concept = _concept(ctx, counts[0])
        if concept is not None and concept.amount:
            money = [replace(counts[0], concept=concept.amount, names=(), measure="money", counted=False)]
    if not money and named and named[0]["source"] == "text":
        # "38个项目纳入绩效目标管理，涉及财政性资金合计74,051.18万元": the one amount the count's own
        # sentence states is the amount of what it counts
        stated_with = _stated_with(rows, named[0])
        if stated_with is not None:
            name = re.sub(r"^涉及", "", str(stated_with["item"]))  # "涉及项目预算资金": the 项目预算资金
            reply.figure(labelled(name, ["情况说明", "与数量同一句"]), stated_with, role_of_value(stated_with, doc))
            return _divided(ctx, reply, stated_with, name, named[0], [])
    if not money:
        return reply.answer(
            f"{doc.label}：没有找到要平均的金额（问题里的项目文档没有印出金额），所以不能算问题中的“{_per_unit_word(ctx)}”",
            "no_data",
        )
    item = replace(money[0], counted=False)  # the amount, though "平均每辆" follows it
    if item.guessed:
        # an amount read as a near name ("离退休经费" as 退休费) is no base for a computed figure
        return reply.answer(f"{doc.label}：没有印出{quoted(item.words)}，不能计算平均", "no_data")
    (amount,) = _inputs(ctx, reply, (item,))
    name = item_name(item)
    units = _count_units(ctx)
    if amount is None:
        return reply.answer(f"{doc.label}：{name}", "no_data")
    count, others = (named[0], []) if named else _count_row(ctx, amount, units)
    if count is None and others:
        listed = "、".join(f"{r['item']} {_printed(r)}（第{r['page']}页）" for r in others[:4])
        return Answer(
            "no_data",
            f"{doc.label}没有印出问题所说的数量，不能确定按哪个数平均。文档印的有：{listed}。",
            ctx.template.id,
            ctx.params,
            tuple(reply.values),
            tuple(reply.sources),
            ("可以在问题里说明按哪个数量算，例如“按编制人数算人均”。",),
            ctx.template.sql,
            document=doc.id,
        )
    if count is None:
        asked = "、".join(units) if units else "人数、车辆数或项目数"
        said = _per_unit_word(ctx)
        return Answer(
            "no_data",
            f"{doc.label}印了{quoted(name)}，但没有印出可以用来平均的数量（{asked}），所以不能算问题中的“{said}”。",
            ctx.template.id,
            ctx.params,
            tuple(reply.values),
            tuple(reply.sources),
            ("问题中的“人均/平均每…”需要文档印出的人数、车辆数或项目个数。",),
            ctx.template.sql,
            document=doc.id,
        )
    if count["source"] == "text":
        # "9个项目纳入绩效目标管理，涉及财政性资金合计1,175.65万元": the amount the count's own sentence
        # states after it is the amount of what it counts
        said_with = [
            r
            for r in ctx.rows_of(doc)
            if r["source"] == "text"
            and r["sentence"] == count["sentence"]
            and r["measure"] == "金额"
            and r["value_yuan"] is not None
            and r["col_no"] > count["col_no"]
            and is_of(r, item)
        ]
        if said_with and said_with[0]["value_yuan"] != amount["value_yuan"]:
            amount = said_with[0]
            reply.figure(labelled(name, ["情况说明", "与数量同一句"]), amount, role_of_value(amount, doc))
    return _divided(ctx, reply, amount, name, count, others)


_EARLIER_STATE = re.compile(r"年初|上年|年中|原有|此前")


def _clause_before(row: Row) -> str:
    """The clause of a narrative figure's sentence up to the figure ("2025年年初本部门共有公务用车")."""
    sentence, printed = _flat(str(row["sentence"])), _flat(str(row["printed"]))
    at = sentence.find(printed)
    if at < 0:
        return ""
    return re.split(r"[，,；;。]", sentence[:at])[-1]


def _per_unit_word(ctx: Context) -> str:
    """The question's own per-unit word ("人均", "平均每辆"), for a refusal to name."""
    return next((w.word for w in operators().find(ctx.frame.question) if w.operator.name == "per_unit"), "平均每个")


def _stated_with(rows: list[Row], count: Row) -> Row | None:
    """The one amount a narrative count's sentence states beside it, if it states exactly one."""
    amounts = [
        r
        for r in rows
        if r["source"] == "text"
        and r["page"] == count["page"]
        and r["sentence"] == count["sentence"]
        and r["measure"] == "金额"
        and r["value_yuan"] is not None
    ]
    return amounts[0] if len(amounts) == 1 else None


def _divided(ctx: Context, reply: Reply, amount: Row, name: str, count: Row, others: list[Row]) -> Answer:
    """The amount ÷ the count, with the formula, the count's page and the other counts it could have been."""
    doc = ctx.docs[0]
    reply.figure(count["item"] or count["name"], count, "count")
    size = _size(amount)
    number = Decimal(count["value"])
    if size is None or number == 0:
        reply.notes.append(f"{quoted(count['item'])}为 0，不能平均。")
        return reply.answer(f"{doc.label}：{name}", "no_data")
    unit = amount["unit"] or "万元"
    scale = Decimal(10_000) if unit == "万元" else Decimal(1)
    each = (size / scale / number).quantize(HUNDREDTH, ROUND_HALF_UP)
    count_unit = count["unit"] or ""
    reply.computed(
        f"平均每{count_unit}{name}（计算）", each, f"{unit}/{count_unit}", "per_unit", reply.values[0].source
    )
    reply.notes.insert(
        0,
        f"平均 = {_printed(amount)} ÷ {_printed(count)}（{count['item']}，第{count['page']}页）"
        f" = {plain(each)} {unit}/{count_unit}。",
    )
    for other in others[:3]:
        reply.notes.append(
            f"文档还印了{quoted(other['item'])} {_printed(other)}（第{other['page']}页），按它算结果不同。"
        )
    return reply.answer(f"{doc.label}：平均每{count_unit}{name} {plain(each)} {unit}")


_PER_DAY = re.compile(r"天|日")
_STATED_COUNT = re.compile(r"(?<![\d.])(\d+)\s*(辆|人|名|个|项|台|套)")


def per_period(ctx: Context) -> Answer:
    """ "支出总计平均每月多少", "三公经费一天合多少钱": a year's amount ÷ 12 months, or ÷ the days of its year."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    money = [item for item in ctx.frame.items if item.measure != "count"]
    if not money:
        return reply.answer(f"{doc.label}：没有找到要平均的金额", "no_data")
    item = money[0]
    (amount,) = _inputs(ctx, reply, (item,))
    name = item_name(item)
    size = _size(amount) if amount is not None else None
    if amount is None or size is None:
        return reply.answer(f"{doc.label}：{name}", "no_data")
    year = int(amount["ref_year"] or doc.year or 0)
    daily = bool(_PER_DAY.search(ctx.frame.question))
    periods = Decimal(366 if daily and calendar.isleap(year) else 365) if daily else Decimal(12)
    period = "天" if daily else "月"
    unit = amount["unit"] or "万元"
    scale = Decimal(10_000) if unit == "万元" else Decimal(1)
    each = (size / scale / periods).quantize(HUNDREDTH, ROUND_HALF_UP)
    reply.computed(f"平均每{period}{name}（计算）", each, f"{unit}/{period}", "per_unit", reply.values[0].source)
    reply.notes.insert(
        0,
        f"平均 = {_printed(amount)} ÷ {periods}{'天' if daily else '个月'}（{year}年全年）"
        f"= {plain(each)} {unit}/{period}。"
        f"预算按全年安排，实际支出不一定每{period}均匀。",
    )
    return reply.answer(f"{doc.label}：{name}平均每{period} {plain(each)} {unit}")


def _count_row(ctx: Context, amount: Row, units: tuple[str, ...]) -> tuple[Row | None, list[Row]]:
    """The count to divide by, and the other counts of the same unit the document prints.

    Among the document's counts in the unit the per-unit word asks for (人均: persons, 每辆: vehicles,
    每个项目: projects), the one whose printed name shares most with the question and the amount's name
    ("在职人员人均…" → 在职人员; "购置费平均每辆" → 购置车辆); a purchase amount goes with a purchase count
    and a running cost with the stock of vehicles; the table's before the narrative's."""
    doc = ctx.docs[0]
    question = ctx.frame.question
    buying = bool(_PURCHASE.search(str(amount["item"]) + question))
    found = [
        r
        for r in ctx.rows_of(doc)
        if r["measure"] == "数量"
        and r["value"] is not None
        and (r["unit"] or "") in units
        and (r["ref_year"] is None or r["ref_year"] == doc.year)
        and (units != ("个", "项") or "项目" in str(r["item"]))
    ]

    # the question without the body, the years and the amount's own words: "大数据管理局" says nothing of
    # 管理岗位, nor "公务用车运行费" of which vehicles
    amount_spans = [(i.start, i.end) for i in ctx.frame.items if is_of(amount, i) or i.words == str(amount["item"])]
    asked = "".join(
        "\0"
        if any(s.start <= n < s.end for s in ctx.frame.spans if s.kind in ("body", "year", "phase"))
        or any(a <= n < b for a, b in amount_spans)
        else ch
        for n, ch in enumerate(question)
    )

    def fit(row: Row) -> tuple[int, bool, bool, bool, Decimal]:
        name = str(row["item"])
        shared = SequenceMatcher(None, name, asked, autojunk=False).find_longest_match().size
        same_kind = bool(_PURCHASE.search(name)) == buying
        serving = bool(re.search(r"在职|实有|在编", name))  # 人均 with no qualifier: the staff there now
        # last, the largest: a total of vehicles before one kind of them
        return (shared if shared >= 2 else 0, same_kind, serving, row["source"] == "table", Decimal(row["value"]))

    found.sort(key=lambda r: (r["page"], r["row_no"], r["col_no"]))  # ties go to the first printed
    found.sort(key=fit, reverse=True)
    if not found:
        return None, []
    best = found[0]
    qualifier = _STAFF_QUALIFIER.search(asked)
    if qualifier and qualifier.group(0) not in str(best["item"]):
        return None, found  # "在职人员人均" where the document prints no 在职 count: not another count instead
    persons = {r["value"] for r in found if fit(r)[0] == fit(best)[0] and fit(r)[2] == fit(best)[2]}
    if units == ("人", "名") and not fit(best)[0] and len(persons) > 1:
        return None, found  # 人均 of which staff count: the document prints several, the question names none
    others = [r for r in found[1:] if r["item"] != best["item"] and r["value"] != best["value"]]
    return best, others


# A note saying the body has none of something ("注：本部门2026年无政府性基金预算财政拨款安排的预算，故本表为空表").
_NONE_NOTE = re.compile(r"(?:没有|无|未)(?!锡)")
_NOTE_OF = re.compile(r"注|备注|说明|本部门|本单位|本表")
_ITEM_TAIL = re.compile(r"(?:预算|支出|收入|拨款|的钱|经费|资金)+$")


def _sentences(ctx: Context, pages: Iterable[int], ends: str = "。") -> Iterator[tuple[int, str]]:
    """(page, sentence) of the document's pages as read, without spaces, cut after each of `ends`."""
    doc = ctx.docs[0]
    for page in pages:
        for sentence in re.split(f"(?<=[{ends}])", _flat(ctx.page_text(doc.id, page))):
            yield page, sentence


def _none_note(ctx: Context, pages: set[int], item: ItemRef) -> tuple[int, str] | None:
    """The printed note on one of `pages` that says the document has none of the item, with its page."""
    keyword = _ITEM_TAIL.sub("", item.words) or item.words
    for page, sentence in _sentences(ctx, sorted(pages)):
        if _NONE_NOTE.search(sentence) and _NOTE_OF.search(sentence) and (keyword in sentence or "相关" in sentence):
            return page, sentence[sentence.find("注") :] if "注" in sentence else sentence
    return None


def existence(ctx: Context) -> Answer:
    """ "有没有…": the figure when printed (0 said as 0, with the note that says there is none, where the
    tables print one); else the narrative's own sentence saying there is none; else the figures whose printed
    name or sentence holds the words asked ("专项债", "PPP"); else what the document lacks, named as asked."""
    keywords = asked_keywords(ctx.frame)
    # "有专项债券资金吗" with only "专项债" printed as a name: the question asks for more than that name
    # (and an item found by a part of a printed name: "实验室" of 以上枢纽实验室 is no answer to "苏州实验室")
    narrower = bool(keywords) and any(
        not (i.concept or i.codes) and (len(keywords[0]) > len(i.words) or i.guessed) for i in ctx.frame.items
    )
    answer = values(ctx) if ctx.frame.items and not narrower else None
    figures = [v for v in answer.values if v.value is not None] if answer is not None else []
    if answer is None or answer.status != "answered" or not figures:
        return (
            _none_said(ctx, answer, keywords)
            or _mentioned(ctx, keywords)
            or _not_mentioned(ctx, keywords, answer)
        )
    if not all(v.value == 0 for v in figures):
        return replace(answer, headline=answer.headline + "：有")
    doc = ctx.docs[0]
    keywords = [_ITEM_TAIL.sub("", i.words) or i.words for i in ctx.frame.items]
    pages = {
        r["page"] for r in ctx.rows_of(doc) if r["source"] == "table" and any(is_of(r, i) for i in ctx.frame.items)
    }
    pages |= {page for _, title, page in ctx.empty_tables(doc.id) if any(k and k in title for k in keywords)}
    notes = [found for item in ctx.frame.items if (found := _none_note(ctx, pages, item)) is not None]
    extra = tuple(
        Value(label=f"第{page}页的说明", text=text, source=len(answer.sources), role="text") for page, text in notes[:1]
    )
    sources = answer.sources + tuple(ctx.source_of(doc, "表注", page) for page, _ in notes[:1])
    narrated = all(answer.sources[v.source].table == "情况说明" for v in figures if v.source < len(answer.sources))
    if not extra and narrated:
        # a zero the narrative states ("本部门共0个项目实行绩效目标管理，涉及财政性资金合计0万元"): its own words first
        said = next(
            (
                r
                for r in ctx.rows_of(doc)
                if r["source"] == "text" and r["value"] == 0 and any(is_of(r, i) for i in ctx.frame.items)
            ),
            None,
        )
        if said is not None:
            quoted_at = next(v.source for v in figures)
            label = f"第{said['page']}页的说明"
            extra = (Value(label=label, text=str(said["sentence"]), source=quoted_at, role="text"),)
            return replace(answer, headline=answer.headline + "：没有（印为 0）", values=extra + answer.values)
    return replace(
        answer, headline=answer.headline + "：印为 0（没有安排）", values=answer.values + extra, sources=sources
    )


_NONE_BEFORE = r"(?:没有|无(?!锡)|未(?!归口))[^，,。；;]{0,12}?"  # (无锡 is a city; 未归口管理的… a 科目)
_NONE_TAIL = re.compile(r"(?:费|预算|支出|收入|拨款|的钱|经费|资金)+$")
_TOTALS = frozenset({"支出总计", "收入总计", "本年支出合计", "本年收入合计"})


def _none_said(ctx: Context, answer: Answer | None, keywords: Sequence[str] = ()) -> Answer | None:
    """The narrative's sentence saying the document has none of an item it prints no figure of
    ("2018年无公务用车购置预算安排", "没有使用国有资本经营预算拨款安排的支出"), quoted with its page."""
    doc = ctx.docs[0]
    words = []
    for item in ctx.frame.items:
        # "有没有国有资本经营预算安排的支出": a fund's total asked for is the fund
        fund = item.scope or ctx.frame.scope
        for word in (fund if item.concept in _TOTALS else None, item.concept, item.words):
            if word and len(core := _NONE_TAIL.sub("", word)) >= 2:
                words.append(core)
    words += keywords[:1]  # the words as asked ("苏州实验室")
    if not words:
        return None
    named = "(?:" + "|".join(re.escape(w) for w in dict.fromkeys(words)) + ")"
    # "没有使用国有资本经营预算拨款", or after it: "本年度苏州实验室未安排预算"
    said = re.compile(_NONE_BEFORE + named + "|" + named + r"[^，,。；;]{0,6}?(?:未|没有|不再)(?:安排|列支|编列|申请)")
    for page, sentence in _sentences(ctx, range(1, ctx.pages(doc.id) + 1), "。；;"):
        if said.search(sentence):
            reply = Reply(ctx)
            source = reply.source(doc, "情况说明", page)
            reply.values.append(Value(label=f"第{page}页的说明", text=sentence, source=source, role="text"))
            fund = ctx.frame.scope
            name = "、".join(
                f"{i.scope or fund}{item_name(i)}"
                if i.concept in _TOTALS and (i.scope or fund)
                else item_name(i)
                if i.concept or not keywords
                else keywords[0]  # as asked, not the printed name it was guessed as
                for i in ctx.frame.items
            ) or (keywords[0] if keywords else "")
            if answer is not None:
                reply.notes += [n for n in answer.notes if "没有" in n]
            return reply.answer(f"{doc.label}：{name}：没有（文档的说明这样写）")
    return None


def _mentioned(ctx: Context, keywords: list[str]) -> Answer | None:
    """The figures whose printed name or narrative sentence holds the words asked: each table row once
    (its first printing), then the narrative's sentences with the amounts they state."""
    doc = ctx.docs[0]
    # the words as the question writes them: "行政中心保安服务", never only the "服务" found inside them
    for keyword in keywords[:1]:
        rows = [
            r
            for r in ctx.rows_of(doc)
            if r["measure"] == "金额"
            and r["value"] is not None
            and (r["ref_year"] is None or r["ref_year"] == doc.year)
            and not any(is_of(r, i) for i in ctx.frame.items)
            and (keyword in str(r["item"]) or (r["source"] == "text" and _used_for(r, keyword)))
        ]
        if not rows and len(keyword) >= 3:
            # "物业费" for 物业管理费: a printed name that starts as the words do and holds the rest in order
            rows = [
                r
                for r in ctx.rows_of(doc)
                if r["source"] == "table"
                and r["measure"] == "金额"
                and r["value"] is not None
                and (r["ref_year"] is None or r["ref_year"] == doc.year)
                and str(r["item"]).startswith(keyword[:2])
                and _in_order(keyword, str(r["item"]))
            ]
        if not rows:
            continue
        reply = Reply(ctx)
        shown: set[str] = set()
        for row in sorted(rows, key=lambda r: r["source"] != "table"):
            key = str(row["item"]) if row["source"] == "table" else str(row["sentence"])
            if key in shown or len(shown) >= 5:
                continue
            shown.add(key)
            where = (
                "名称中有"
                if keyword in str(row["item"])
                else "情况说明写到"
                if row["source"] == "text"
                else "名称相近"
            )
            reply.figure(labelled(str(row["item"]), [f"{where}“{keyword}”"]), row, role_of_value(row, doc))
            if row["source"] == "text":
                source = reply.values[-1].source
                reply.values.append(Value(label="原话", text=str(row["sentence"]), source=source, role="text"))
        how = (
            "名称与它相近"
            if all("名称相近" in v.label for v in reply.values if v.value is not None)
            else "名称或说明中写到它"
        )
        reply.notes.append(f"文档没有名为“{keyword}”的项目；以上是{how}的项目和数字。")
        return reply.answer(f"{doc.label}：写到“{keyword}”的项目")
    return None


def _in_order(word: str, name: str) -> bool:
    """Every character of `word` in `name`, in order ("物业费" in 物业管理费)."""
    rest = iter(name)
    return all(ch in rest for ch in word)


_USED_FOR = re.compile(r"用于|用在|安排给|投入")


def _used_for(row: Row, keyword: str) -> bool:
    """A narrative amount whose own clause says it goes to what the keyword names ("15500.00 万元，主要用于
    …PPP 项目"), not one whose change the keyword explains ("减少…主要是…PPP项目资金性质变为…")."""
    sentence, printed = _flat(str(row["sentence"])), _flat(str(row["printed"]))
    at = sentence.find(printed)
    mention = sentence.find(keyword, at) if at >= 0 else -1
    if mention < 0:
        return False
    between = sentence[at + len(printed) : mention]
    return bool(_USED_FOR.search(between)) and not re.search(r"[。；;]|\d+(?:\.\d+)?(?:万元|亿元|元)", between)


def _not_mentioned(ctx: Context, keywords: list[str], answer: Answer | None) -> Answer:
    """No figure, no sentence: what the document lacks, named as the question wrote it."""
    doc = ctx.docs[0]
    if not keywords and answer is not None:
        return answer
    asked = keywords[0] if keywords else ctx.frame.question
    pages = [
        page
        for page in range(1, ctx.pages(doc.id) + 1)
        if asked in _flat(ctx.page_text(doc.id, page)).upper()
    ]
    if pages:
        listed = "、".join(f"第{p}页" for p in pages[:5])
        headline = f"{doc.label}写到了“{asked}”（{listed}），但没有印出它的金额。"
    else:
        headline = f"{doc.label}的表格和情况说明都没有写到“{asked}”。"
    return Answer(
        "no_data",
        headline,
        ctx.template.id,
        ctx.params,
        answer.values if answer is not None else (),
        answer.sources if answer is not None else (),
        ("可以换成文档印出的名称再问；“列出……表”查看表中的行。",),
        ctx.template.sql,
        document=doc.id,
    )


def parts_rank(ctx: Context) -> Answer:
    """ "三公经费里哪项最多", "政府采购前两项": an item's parts in one document, largest first (smallest
    first when asked 最少), each labelled with its place."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    item = ctx.frame.items[0]
    concept = next((c for c in ctx.glossary.concepts if c.name == item.concept), None)
    parts = concept.parts if concept else ()
    name = item_name(item)
    if not parts:
        reply.notes.append(f"{quoted(name)}没有规定的构成项目，无法在其中排名；可以问“支出最多的科目”。")
        return reply.answer(f"{doc.label}：{name}中哪项最多", "no_data")
    found: list[tuple[str, Row]] = []
    for part in parts:
        ref = ItemRef(part, 0, 0, concept=part)
        got = pick(ctx.rows_of(doc), ref, want_for(ctx, doc, ref)).best
        if got is None or got["value_yuan"] is None:
            reply.notes.append(f"没有找到{quoted(part)}的数字，未参加排名。")
            continue
        found.append((part, got))
    lowest = bool(re.search(r"最少|最低|最小|倒数|从低到高|从少到多", ctx.frame.question))
    found.sort(key=lambda pair: Decimal(pair[1]["value_yuan"]), reverse=not lowest)
    limit = ctx.frame.top or len(found)
    for position, (part, row) in enumerate(found[:limit], start=1):
        labels = qualifiers(row, want_for(ctx, doc, item), doc, None)
        printed_name = row["name"] if row["source"] == "table" else part  # the table's own words
        reply.figure(labelled(f"第{position}名 {printed_name}", labels), row, "rank")
    if found:
        part, row = found[0]
        tied = [p for p, r in found if r["value_yuan"] == row["value_yuan"]]
        word = "最少" if lowest else "最多"
        reply.notes.insert(
            0,
            f"{name}的{len(found)}个组成部分中{word}的是{'、'.join(tied)}"
            + ("（并列）" if len(tied) > 1 else "")
            + f"：{_printed(row)}。",
        )
    return reply.answer(f"{doc.label}：{name}各组成部分排名", "answered" if found else "no_data")


# ---- explanation: the narrative's own words for an item, with the reason that follows its figures ----

# A sentence that gives a reason or a use ("主要原因是…", "主要用于…", "系…所致"), and one that gives a
# reason for a change: a use ("主要用于值班业务") does not say why an amount fell.
_REASON = re.compile(r"原因|主要是|主要用于|用于|由于|因为|因此|系|所致|为了|用途|主要包括|包括|一是")
# a sentence that goes on with the reason before it ("…未单独编列。本年度根据预算编制要求，单独编列…，相应…增加。")
_GOES_ON = re.compile(r"^(?:本年度?|今年|同时|此外|另外|加之|并且|再加上|相应)")
_WHY = re.compile(r"原因|主要是(?!用于)|由于|因为|因此|系|所致|为了|一是|按照|根据")
# Where the text about one item ends: the next numbered heading ("十二、", "（二）", "2.").
_NEXT_HEADING = re.compile(
    r"(?:^|[。：:])(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d))"
)
# The next top-level section ("九、"), and a sentence that introduces a list of parts ("具体支出情况如下：").
# (a page number printed between: "…增加的支出。22六、财政拨款基本支出…")
_NEXT_SECTION = re.compile(
    r"(?:^|。)(?:[-—－]?\d{1,3}[-—－]?)?(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)"
)
_LISTS_PARTS = re.compile(r"如下[:：]?$|如下[:：]|其中[:：]")
# The question asks why (a reason), or what for (a use).
_ASKS_WHY = re.compile(
    r"为什么|为啥|为何|原因|怎么解释|怎么回事|凭啥|凭什么|怎么会|咋(?!用)|怎么(?=增加|减少|涨|降|少了|多了|下降|上升|翻)"
)
_ASKS_HOW_MUCH = re.compile(r"多少|百分之几|几成|多大|几个点")
_ASKS_USE = re.compile(r"用于|用途|用在|干什么|干嘛|干啥|做什么|花在|用来")


def _flat(text: str) -> str:
    """Text without spaces and with one form of punctuation, to find a stored sentence in its page."""
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))


def _following(ctx: Context, doc_id: str, page: int, sentence: str) -> list[str]:
    """The sentences after `sentence` on its page (and the next) that give a reason or a use, up to the
    next heading: "…增加62.7万元，增长3.97%。主要原因是工会经费人均定额增加1000元…"."""
    printed = re.sub(r"\s+", "", ctx.page_text(doc_id, page) + ctx.page_text(doc_id, page + 1))
    # found in the normalised text, quoted from the printed one: each printed character's normal form
    # in order, so that a position in the one is a position in the other
    forms = [unicodedata.normalize("NFKC", ch) for ch in printed]
    text = "".join(forms)
    starts = [0]
    for form in forms:
        starts.append(starts[-1] + len(form))
    said = re.sub(r"[^\w%。，,.；;：:、（）()“”]+$", "", _flat(sentence))  # a broken glyph at its end is not printed
    # the sentence's own start: long enough to tell "…部门预算支出" from the "…部门预算收入" before it
    head = next((h for size in (30, 20, 12) if (h := text.find(said[:size])) >= 0), -1)
    at, tail = -1, ""
    for size in (12, 8, 5):
        tail = said[-size:]
        # the sentence's own end, not an earlier one alike ("…减少41,827.00万元，减少55.2%。" ends 收入's too)
        at = text.find(tail, max(head, 0))
        if at < 0:
            at = text.find(tail)
        if at >= 0:
            break
    if at < 0:
        return []
    out: list[str] = []
    if 0 <= head <= at:
        # "因公出国（境），增加的主要原因是按照市财政填报口径，" before the stored sentence, in the same printed one
        opened = max(text.rfind("。", 0, head), text.rfind("：", 0, head), text.rfind(":", 0, head))
        first = next((n for n, start in enumerate(starts) if start >= opened + 1), 0)
        last = next((n for n, start in enumerate(starts) if start >= head), first)
        before = printed[first:last]
        if before and _WHY.search(before) and len(before) < 200:
            out.append(before)
    begin = next((n for n, start in enumerate(starts) if start >= at + len(tail)), len(printed))
    rest = printed[begin : begin + 800]  # quoted as printed ("总量不变，结构调整")
    section = _NEXT_SECTION.search(rest)
    rest = rest[: section.start() + 1] if section else rest
    end = _NEXT_HEADING.search(rest)
    intro = rest[: end.start() + 1] if end else rest
    if end is not None and (_LISTS_PARTS.search(_flat(intro)) or re.search(r"如下[:：]|其中[:：]", said)):
        # "具体支出情况如下：（一）因公出国（境）费…（三）公务接待费…主要原因：工作需要": the reasons the
        # parts give, which together are the total's
        cuts = [
            0,
            *(m.start() + (1 if rest[m.start()] in "。：:" else 0) for m in _NEXT_HEADING.finditer(rest)),
            len(rest),
        ]
        chunks = [rest[a:b] for a, b in itertools.pairwise(cuts) if rest[a:b].strip("。")]
        return out + [chunk for chunk in chunks if _WHY.search(chunk) or _REASON.search(chunk)][:6]
    changed = bool(re.search(r"增加|减少|增长|下降", said))
    for n, part in enumerate(re.split(r"(?<=。)", intro)):
        if not part.strip("。"):
            continue
        # "与上年相比减少238.10万元，下降4.02%。退休人员退休费由省社保机构统一发放，单位支出减少。": a short
        # sentence of no figures right after a stated change is its reason, said without 原因
        plain_reason = changed and n == 0 and not out and not re.search(r"\d", part) and len(part) <= 80
        goes_on = bool(out) and _GOES_ON.match(part) is not None
        if not _REASON.search(part) and not (out and said.endswith(":")) and not plain_reason and not goes_on:
            break
        out.append(part)
        if len(out) >= 4:
            break
    return out


_ROLE_OPENING = re.compile(r"^(?:全年预算|年初预算|调整预算|预算数|支出决算|决算数|当年预算)")


def _preceding(ctx: Context, doc_id: str, page: int, sentence: str) -> list[str]:
    """The use or reason printed before a figure that names no item of its own: "其他社会工作事务支出（项）。
    主要用于：新建部门开办费…。全年预算为202.24万元，支出决算为202.24万元。" (back to the item's heading)."""
    said = _flat(sentence)
    if not _ROLE_OPENING.search(said):
        return []
    text = _flat(ctx.page_text(doc_id, page))
    at = text.find(said[:12])
    if at <= 0:
        return []
    out: list[str] = []
    for part in reversed(re.split(r"(?<=。)", text[:at])):
        if not part:
            continue
        if not _REASON.search(part) or re.search(r"\d(?:\.\d+)?万元", part):
            break
        out.insert(0, part)
        if len(out) >= 2:
            break
    return out


# Where a narrative sentence ends: its 。, a printed page number ("-38-"), or the next part's heading.
_SENTENCE_END = re.compile(r"(?<=。)|(?=[-—－]\d{1,3}[-—－])|(?=第[一二三四五六七八九十]+部分)")


def _naming(ctx: Context, items: tuple[ItemRef, ...]) -> list[tuple[int, str]]:
    """Sentences of the narrative pages (no table read on them) that name one of the items and state a
    change or a use: (page, sentence), at most three."""
    doc = ctx.docs[0]
    # longest first, in a fixed order: the answer must not depend on a set's order
    written = {w for i in items for w in (i.words, item_name(i).replace("“", "").replace("”", ""))}
    # "未归口管理的行政单位离退休" of a table is "未归口管理行政单位离退休费" in the narrative: without its 的 too
    words = sorted({v for w in written for v in (w, w.replace("的", "")) if len(v) >= 3}, key=lambda w: (-len(w), w))
    found: list[tuple[int, str]] = []
    for page in range(1, ctx.pages(doc.id) + 1):
        text = ctx.page_text(doc.id, page)
        if not text or not any(w in re.sub(r"\s+", "", text) for w in words):
            continue
        for sentence in _SENTENCE_END.split(re.sub(r"\s+", "", text)):
            if any(w in sentence for w in words) and re.search(r"增加|减少|增长|下降|持平|主要|用于", sentence):
                found.append((page, sentence[sentence.find(next(w for w in words if w in sentence)) :]))
                if len(found) >= 3:
                    return found
    return found


_AMOUNT_SAID = re.compile(r"([\d,]+(?:\.\d+)?)万元")
_CHANGE_SAID = re.compile(r"(增加|减少|增长|下降|多|少)了?([\d,]+(?:\.\d+)?)万元")


_ROUGH_AMOUNT = re.compile(r"[多来](?:万|亿)|(?:万|亿)(?:元)?(?:多|左右)|大约|差不多|将近")


def _quoted(ctx: Context, said: Decimal) -> bool:
    """Whether an amount a sentence states (元) is one the question quotes: to the precision the asker wrote
    ("238万" for 238.10万元), or roughly ("100来万", "两千多万", "200万左右": from it to half as much again)."""
    if _ROUGH_AMOUNT.search(ctx.frame.question):
        return any(a * Decimal("0.95") <= said < a * Decimal("1.5") for a in ctx.frame.stated)
    return any(abs(said - a) < max(a * Decimal("0.005"), Decimal(5000)) for a in ctx.frame.stated)


def _wan(found: re.Match[str], group: int) -> Decimal:
    """A "…万元" figure a sentence states, in 元."""
    return Decimal(found.group(group).replace(",", "")) * 10_000


def _stating_change(ctx: Context, doc: DocumentInfo) -> list[tuple[int, str]]:
    """(page, sentence) of the narrative sentences that state a change of an amount the question quotes, to the
    precision the asker wrote ("990万"; "238万" for 238.10万元, as people round)."""
    out = []
    for page in range(1, ctx.pages(doc.id) + 1):
        text = re.sub(r"\s+", "", ctx.page_text(doc.id, page))
        for found in _CHANGE_SAID.finditer(text):
            if not _quoted(ctx, _wan(found, 2)):
                continue
            start = max(text.rfind("。", 0, found.start()), text.rfind("；", 0, found.start())) + 1
            end = text.find("。", found.end())
            out.append((page, text[start : end + 1 if end >= 0 else len(text)]))
    return out


def explanation(ctx: Context) -> Answer:
    """ "三公经费为什么减少", "…主要用于什么": the narrative's sentences about the item, each with the reason
    or use that follows it, quoted with the page; a question asking why that the document answers with
    no reason is told so."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    seen: set[str] = set()
    reasons = 0
    for item in ctx.frame.items:
        for row in ctx.rows_of(doc):
            # (by name too: "（8）会议费（款）支出1,094.62万元。用于…" says what the 会议费 is for)
            if row["source"] != "text" or not is_of(row, item, by_name=True) or row["sentence"] in seen:
                continue
            seen.add(row["sentence"])
            source = reply.source(doc, "情况说明", row["page"])
            said = [
                *_preceding(ctx, doc.id, row["page"], row["sentence"]),
                row["sentence"],
                *_following(ctx, doc.id, row["page"], row["sentence"]),
            ]
            reasons += sum(
                1 for part in said if (_WHY if _ASKS_WHY.search(ctx.frame.question) else _REASON).search(part)
            )
            reply.values.append(Value(label=f"第{row['page']}页原文", text="".join(said), source=source, role="text"))
    names = "、".join(item_name(i) for i in ctx.frame.items)
    question = ctx.frame.question
    if not reply.values:
        # no figure of the narrative is tied to the item ("公务用车运行维护费 2026年预算数257.90万元，较…减少39.50万元，
        # 主要是…" under a heading of its own): the narrative's sentences that name it, with what follows them
        for page, sentence in _naming(ctx, ctx.frame.items):
            source = reply.source(doc, "情况说明", page)
            said = [sentence, *_following(ctx, doc.id, page, sentence)]
            reasons += sum(1 for part in said if (_WHY if _ASKS_WHY.search(question) else _REASON).search(part))
            reply.values.append(Value(label=f"第{page}页原文", text="".join(said), source=source, role="text"))
    if not reply.values and ctx.frame.stated:
        # "预算为啥少了990万": the sentence that states the change the asker quotes, whatever it calls the item
        # ("财政拨款收入支出…减少990万元"), with the reason that follows it
        for page, sentence in _stating_change(ctx, doc):
            if sentence in seen:
                continue
            seen.add(sentence)
            source = reply.source(doc, "情况说明", page)
            said = [sentence, *_following(ctx, doc.id, page, sentence)]
            reasons += sum(1 for part in said if (_WHY if _ASKS_WHY.search(question) else _REASON).search(part))
            reply.values.append(Value(label=f"第{page}页原文", text="".join(said), source=source, role="text"))
            change = next((m for m in _CHANGE_SAID.finditer(sentence) if _quoted(ctx, _wan(m, 2))), None)
            if change is not None and _ASKS_HOW_MUCH.search(question):
                # "具体多了多少": the change as the sentence states it, before its words
                down = change.group(1) in ("减少", "下降", "少")
                amount = Decimal(change.group(2).replace(",", ""))
                reply.values.insert(
                    0,
                    Value(
                        label=f"比上年{'减少' if down else '增加'}（情况说明）",
                        value=-amount if down else amount,
                        unit="万元",
                        printed=change.group(2),
                        value_wan=-amount if down else amount,
                        source=source,
                        role="change",
                    ),
                )
            break  # the first statement of it: the same change is often said again of 收入 and 支出
    if not reply.values:
        reply.notes.append(f"情况说明中没有写到{quoted(names)}的句子。")
        return reply.answer(f"{doc.label}：情况说明怎么说{names}")
    asks = _ASKS_WHY.search(question) or _ASKS_USE.search(question)
    if asks and not reasons:
        return Answer(
            "no_data",
            f"{doc.label}的情况说明写到了{quoted(names)}，但没有写明{'原因' if _ASKS_WHY.search(question) else '用途'}"
            f"（问题中的“{asks.group(0)}”）。下面是它的原话。",
            ctx.template.id,
            ctx.params,
            tuple(reply.values),
            tuple(reply.sources),
            (),
            ctx.template.sql,
            document=doc.id,
        )
    # "三公经费为什么减少" where the document says it rose: the premise is corrected, not answered as asked
    asked_down = re.search(r"减少|下降|少了|降|压减|砍", question)
    asked_up = re.search(r"增加|增长|多了|涨|上升", question)
    for item in ctx.frame.items:
        moved = [
            r["value"]
            for r in ctx.rows_of(doc)
            if r["source"] == "text" and r["measure"] == "增减额" and r["value"] is not None and is_of(r, item)
        ]
        contradicted = (asked_down if moved and moved[0] > 0 else None) or (
            asked_up if moved and moved[0] < 0 else None
        )
        if contradicted is not None:
            said_way = "增加" if moved[0] > 0 else "减少"
            reply.notes.insert(0, f"注意：问题说“{contradicted.group(0)}”，文档写的是{item_name(item)}{said_way}。")
    # the sentence stating the amount or change the asker quotes ("咋还减少了238万", "那1094.62万会议费") first,
    # then those that give a reason: they answer 为什么
    def quoted_change(text: str) -> bool:
        return any(_quoted(ctx, _wan(m, 1)) for m in _AMOUNT_SAID.finditer(_flat(text)))

    ordered = sorted(
        reply.values,
        key=lambda v: (v.text is not None, not quoted_change(v.text or ""), not _REASON.search(v.text or "")),
    )
    reply.values[:] = ordered
    if _ASKS_HOW_MUCH.search(question):
        # "咋涨了这么多？比上年多了多少，涨了百分之几": the change and rate the narrative states, before its words
        before = len(reply.values)
        for item in ctx.frame.items:
            for measure, role in (("增减额", "change"), ("增减率", "rate")):
                found = [
                    r
                    for r in ctx.rows_of(doc)
                    if r["source"] == "text"
                    and r["measure"] == measure
                    and r["value"] is not None
                    and is_of(r, item, by_name=True)
                ]
                if found:
                    row = found[0]
                    # the printed number is unsigned ("减少 32,690.08 万元"): the label says which way
                    way = ("增加" if row["value"] >= 0 else "减少") if role == "change" else (
                        "增长" if row["value"] >= 0 else "下降"
                    )
                    reply.figure(f"{item_name(item)}比上年{way}（情况说明）", row, role)
        reply.values[:] = reply.values[before:] + reply.values[:before]
    if ctx.frame.count:
        # "为啥减少？调出了多少人、退休几人": the counts the reason states, before its words
        before = len(reply.values)
        for item in ctx.frame.items:
            stated_count = next(
                (r for r in ctx.rows_of(doc) if r["measure"] == "数量" and r["value"] is not None and is_of(r, item)),
                None,
            )
            if stated_count is not None:
                reply.figure(item_name(item), stated_count, "count")
        reply.values[:] = reply.values[before:] + reply.values[:before]
    return reply.answer(f"{doc.label}：情况说明怎么说{names}")


# ---- rank within one document: the rows of one level ----------------------------------------------

_LEVEL_WORDS = re.compile(r"类|款|科目|项目|单位|家|经济|功能")
_LOWEST = re.compile(r"最少|最低|最小|倒数|从低到高|从少到多")
MAX_LISTED = 20  # rows a listing shows (a department may print a hundred projects); their sum is of all
_HIGHEST = re.compile(r"最多|最高|最大|大头|前([1-9]|[一二两三四五六七八九十])")
_LISTING = re.compile(r"(?:有|是)哪些|哪些项目")
# The tables each level is ranked in, in order of preference: all funds before 财政拨款 or 一般公共预算.
_FUNCTIONAL_TABLES = ("expenditure", "general_expenditure", "fiscal_expenditure", "summary", "fiscal_summary")
_ECONOMIC_TABLES = ("general_basic", "fiscal_basic", "basic_expenditure", "economic_summary", "agency_running")
_UNIT_TABLES = ("income", "expenditure", "three_public")
_UNIT_NAME = re.compile(
    r"(局|中心|站|院|校|所|处|办公室|办|队|会|馆|厅|委|部|学院|医院|学校)(（[^（）]*）|\([^()]*\))?$"
)
_CODE_LEVEL = {"类": 3, "款": 5, "项": 7}
# The economic classes a kind of basic spending is (national classification: 人员经费 = 301 + 303).
_SPENDING_CLASS = {"公用经费": ("302",), "人员经费": ("301", "303")}
_NOT_A_UNIT = re.compile(r"^[一二三四五六七八九十]+[、.．]|合计|总计|小计|支出$|收入$")


def _row_totals(rows: list[Row], doc_year: int | None, own_role: str) -> dict[tuple[int, int, int], Row]:
    """Each table row's total: its first printed amount of this year's own role (the 合计 column)."""
    found: dict[tuple[int, int, int], Row] = {}
    for row in rows:
        if row["source"] != "table" or row["measure"] != "金额" or row["value"] is None or row["table_no"] is None:
            continue
        if row["role"] != own_role or (row["ref_year"] is not None and row["ref_year"] != doc_year):
            continue
        key = (row["table_no"], row["page"], row["row_no"])  # a table's rows are numbered page by page
        if key not in found or row["col_no"] < found[key]["col_no"]:
            found[key] = row
    return found


def _in_best_table(candidates: list[Row], kinds: tuple[str, ...], scope: str | None) -> list[Row]:
    """The candidates of the one table that ranks them: of the fund scope asked, the preferred kind."""
    if not candidates:
        return []

    def preference(table_no: int) -> tuple[bool, int, int]:
        mine = [r for r in candidates if r["table_no"] == table_no]
        kind = mine[0]["kind"]
        scoped = (
            scope is None
            or any(r["scope"] == scope for r in mine)
            or scope in str(mine[0]["place"])
            or (kind in meanings().kinds and meanings().kinds[kind].scope == scope)  # the kind's own scope
        )
        return (not scoped, kinds.index(kind) if kind in kinds else len(kinds), -len(mine))

    best = min(sorted({r["table_no"] for r in candidates}), key=preference)
    return [r for r in candidates if r["table_no"] == best]


def rows_rank(ctx: Context) -> Answer:
    """ "功能分类哪一类最多", "商品和服务支出里哪个科目最大", "哪个项目钱最多", "下面哪家单位预算最多": the rows of one
    level of one table, largest first (smallest first when asked 最少), with the level and table said."""
    doc = ctx.docs[0]
    question = ctx.frame.question
    items = ctx.frame.items
    with_parts = [i for i in items if (c := _concept(ctx, i)) is not None and c.parts]
    if with_parts and not _LEVEL_WORDS.search(question):
        return parts_rank(ctx)  # "三公经费里哪一项最多": among its parts
    own_role = "决算" if doc.phase == "决算" else "预算"
    totals = sorted(
        _row_totals(ctx.rows_of(doc), doc.year, own_role).values(),
        key=lambda r: (r["table_no"], r["page"], r["row_no"]),
    )
    level, candidates, kinds = _level_rows(ctx, totals)
    reply = Reply(ctx)
    if not candidates:
        reply.notes.append(f"该文档的表中没有找到{level}的数字，无法排名。")
        return reply.answer(f"{doc.label}：{level}排名", "no_data")
    # the fund scope asked: the frame's, an item's, or one an item's words name ("一般公共预算当年拨款里")
    scope = ctx.frame.scope or next(
        (i.scope or scope_named(i.words) for i in items if i.scope or scope_named(i.words)), None
    )
    chosen = _in_best_table(candidates, kinds, scope)
    units = {label_key(i.unit) for i in items if i.unit}
    if units and any(label_key(r["parent"] or "") in units for r in chosen):
        # "工务署工程管理中心有哪些项目": the rows printed under the unit asked about
        chosen = [r for r in chosen if label_key(r["parent"] or "") in units]
    seen: set[str] = set()
    ranked: list[Row] = []
    for row in sorted(
        chosen, key=lambda r: Decimal(r["value_yuan"] or r["value"]), reverse=not _LOWEST.search(question)
    ):
        key = f"{row['code'] or ''}{row['parent'] or ''}{row['name']}"
        if key not in seen:
            seen.add(key)
            ranked.append(row)
    # "项目支出有哪些，各多少钱": every row of the level, largest first; else the top asked (one when not said)
    listing = _LISTING.search(question) is not None and not (_HIGHEST.search(question) or _LOWEST.search(question))
    limit = min(len(ranked), MAX_LISTED) if listing and not ctx.frame.top else ctx.frame.top or 1
    if listing and len(ranked) > limit:
        reply.notes.append(f"共 {len(ranked)} 个{level}，列出金额最大的 {limit} 个；合计按全部 {len(ranked)} 个计算。")
    for position, row in enumerate(ranked[:limit], start=1):
        # a project printed under its unit ("湖州市港航管理中心 | 水运交通建设养护"): the unit too, as names repeat
        unit = row["parent"] if not row["code"] and row["parent"] and row["parent"] != row["name"] else ""
        name = " ".join(part for part in (row["code"], unit, row["name"]) if part)
        reply.figure(f"第{position}名 {name}", row, "rank")
    first = chosen[0]
    word = "最少" if _LOWEST.search(question) else "最多"
    reply.notes.insert(
        0,
        f"在《{first['place']}》（第{first['page']}页起）的{len(ranked)}个{level}中按合计栏比较，"
        f"{word}的是{ranked[0]['name']}：{_printed(ranked[0])}。",
    )
    if listing and len(ranked) > 1:
        # every row listed: their sum too, to set against the total the table prints
        whole = sum((Decimal(r["value_yuan"]) for r in ranked if r["value_yuan"] is not None), Decimal(0))
        source = reply.values[0].source if reply.values else 0
        reply.computed(f"{len(ranked)}个{level}合计（计算）", whole / WAN, "万元", "sum", source)
    if "share" in asked_operations(question):
        _ranked_shares(reply, ranked[:limit], ranked, level)
    return reply.answer(f"{doc.label}：{level}{'（按金额从多到少）' if listing else '排名'}")


def _ranked_shares(reply: Reply, top: list[Row], ranked: list[Row], level: str) -> None:
    """ "哪个项目花钱最多，占项目支出多少": each ranked row over all the rows of its level (the whole they make up
    in that table), the sum said, so that a reader can check it against the printed total."""
    whole = sum((Decimal(r["value_yuan"]) for r in ranked if r["value_yuan"] is not None), Decimal(0))
    if not whole:
        return
    source = reply.values[0].source if reply.values else 0
    for row in top:
        if row["value_yuan"] is None:
            continue
        value = percent(Decimal(row["value_yuan"]), whole)
        reply.computed(f"{row['name']}占{len(ranked)}个{level}之和", value, "%", "share", source)
        of = f"{len(ranked)}个{level}之和 {plain(whole / WAN)} 万元"
        reply.notes.append(f"比例 = {row['name']} {_printed(row)} ÷ {of} × 100% = {value}%。")


def _leaves(rows: list[Row]) -> list[Row]:
    """The rows of a tree printed as a list (一级项目 "综合管理" 474.56 above its 二级 projects) without
    the rows whose amount is the sum of the rows right below them: a group is not one of its members."""
    by_table: dict[int, list[Row]] = {}
    for row in rows:
        by_table.setdefault(row["table_no"], []).append(row)
    kept: list[Row] = []
    for table_rows in by_table.values():
        ordered = sorted(table_rows, key=lambda r: (r["page"], r["row_no"]))
        amounts = [Decimal(r["value_yuan"] or r["value"]) for r in ordered]
        groups = [False] * len(ordered)
        # from the bottom up, so that a group whose one member is itself a group (项目类型 474.56 above the
        # 一级项目 474.56 above its 二级 projects) is known for one
        for n in reversed(range(len(ordered))):
            below = Decimal(0)
            for count, other in enumerate(amounts[n + 1 :], start=1):
                below += other
                if abs(below - amounts[n]) < Decimal("0.01") and (count >= 2 or groups[n + 1]):
                    groups[n] = True
                    break
                if below > amounts[n]:
                    break
        kept.extend(row for row, group in zip(ordered, groups, strict=True) if not group)
    return kept


def _concept(ctx: Context, item: ItemRef) -> Concept | None:
    return next((c for c in ctx.glossary.concepts if c.name == item.concept), None)


def _level_rows(ctx: Context, totals: list[Row]) -> tuple[str, list[Row], tuple[str, ...]]:
    """Which level the question ranks (its words and the parent row it names) and that level's rows."""
    doc = ctx.docs[0]
    question = ctx.frame.question
    # a parent row the question names by name or code ("政协事务（款）下面", "工资福利支出里")
    for item in ctx.frame.items:
        parents = sorted(
            {
                r["code"]
                for r in ctx.rows_of(doc)
                if r["code"] and len(r["code"]) in (3, 5) and r["source"] == "table" and is_of(r, item, by_name=True)
            },
            key=len,
        ) or list(_SPENDING_CLASS.get(item.concept or "", ()))
        if parents:
            children = [
                r
                for r in totals
                if r["code"]
                and any(r["code"].startswith(code) and len(r["code"]) == len(code) + 2 for code in parents)
                and not r["parent"]
            ]
            kinds = _ECONOMIC_TABLES if children and children[0]["classification"] == "economic" else _FUNCTIONAL_TABLES
            if children:
                return f"{'、'.join(parents)} {item_name(item)}下面的科目", children, kinds
    # a spending column the question names ("人员经费里哪个经济科目最大"): the economic 款 in that column
    for item in ctx.frame.items:
        if item.concept in _SPENDING_CLASS:
            column = [
                r
                for r in ctx.rows_of(doc)
                if r["source"] == "table"
                and r["spending"] == item.concept
                and r["code"]
                and len(r["code"]) == 5
                and r["value"] is not None
                and r["ref_year"] in (None, doc.year)
            ]
            if column:
                return f"{item.concept}中的经济科目（款）", column, _ECONOMIC_TABLES
    explicit = re.search(r"功能|经济|类|款|项级|(?<!项)项(?!目)", question)  # "按功能科目的项级看，排前三的项目"
    if "项目" in question and not explicit:
        concepts = {label_key(c.name) for c in ctx.glossary.concepts}
        projects = [
            r
            for r in totals
            if r["kind"] in ("project_expenditure", "performance_project")
            and not r["code"]
            and not r["concepts"]  # a total row (项目支出, 合计)
            and label_key(r["name"]) not in GENERIC_ROWS
            and label_key(r["name"]) not in concepts
            and not _UNIT_NAME.search(str(r["name"]))  # a unit's subtotal row
        ]
        # the project table only (a 绩效 table lists targets, not amounts by project); two projects at least
        leaves = [r for r in _leaves(projects) if r["kind"] == "project_expenditure"]
        return "项目", leaves if len(leaves) >= 2 else [], ("project_expenditure",)
    if re.search(r"单位|家", question):
        # of the item asked ("哪个下属单位三公经费最高": the “三公” table), else of the whole budget
        asked = {k for i in ctx.frame.items if i.concept for k in kinds_of(i.concept)}
        if ctx.frame.items and not asked:
            # a row asked of each unit ("四家单位谁的住房公积金最多"): that row under each unit, never the
            # units' totals in its place
            item = ctx.frame.items[0]
            rows = [
                {**r, "name": r["parent"], "code": None}
                for r in totals
                if r["parent"] and r["source"] == "table" and is_of(r, item, by_name=True)
            ]
            if len({r["name"] for r in rows}) >= 2 and doc.edition == "部门":
                return f"所属单位的{item_name(item)}", rows, tuple(dict.fromkeys(r["kind"] for r in rows))
        # a unit's row: no code, no concept, no total, no numbered class ("十九、住房保障支出"), in a one-sided
        # table listed by 单位名称; a 单位预算 has no units under it
        # (a row read as a unit's at ingest carries the unit's name as its parent)
        units = [
            {**r, "name": r["parent"]} if r["parent"] and not r["code"] else r
            for r in totals
            if (r["kind"] in asked if asked else r["kind"] in _UNIT_TABLES)
            and r["kind"] not in ("summary", "fiscal_summary")
            and (not r["code"] or len(r["code"]) not in (3, 5, 7))  # none, or a unit's own code (305002)
            and (
                (r["parent"] and not r["code"])
                or (
                    not r["concepts"]
                    and not _NOT_A_UNIT.search(str(r["name"]))
                    and label_key(r["name"]) not in GENERIC_ROWS
                    and label_key(r["name"]) != label_key(doc.body)
                )
            )
        ]
        if doc.edition != "部门" or len({r["name"] for r in units}) < 2:
            units = []
        return "所属单位", units, (*sorted(asked), *_UNIT_TABLES)
    economic = "经济" in question
    # "项级", "按类排", "哪个款" — not the 款 of 财政拨款, nor the 项 of 项目
    # (not the 类 of 分类: "按经济分类款排")
    said = re.search(r"(类|款|项)级", question) or re.search(r"(?<!分)(类)|(?<!拨)(款)|(?<!事)(项)(?!目)", question)
    level_word = next((g for g in said.groups() if g), None) if said else None
    size = _CODE_LEVEL[level_word] if level_word else (5 if economic else 7)
    wanted = "economic" if economic else "functional"
    # the department's rows, not each unit's listing of the same codes
    rows = [
        r for r in totals if r["code"] and len(r["code"]) == size and r["classification"] == wanted and not r["parent"]
    ]
    level = f"{'经济' if economic else '功能'}分类的{next(w for w, n in _CODE_LEVEL.items() if n == size)}级科目"
    return level, rows, _ECONOMIC_TABLES if economic else _FUNCTIONAL_TABLES


def _subtracted(ctx: Context, reply: Reply, result: str) -> tuple[list[str], Row, Row, Decimal, str] | str:
    """The two items' figures shown in the reply, and first − second in the unit it is shown in (万元 for money);
    the note saying why not when they cannot be subtracted."""
    items = ctx.frame.items[:2]
    first, second = _inputs(ctx, reply, items)
    names = [item_name(i) for i in items]
    sizes = _comparable(first, second, result, "相减")
    if isinstance(sizes, str) or first is None or second is None:
        return str(sizes)
    a, b = sizes
    money = first["value_yuan"] is not None
    unit = "万元" if money and "万元" in (first["unit"], second["unit"]) else (first["unit"] or "")
    scale = Decimal(10_000) if money and unit == "万元" else Decimal(1)
    gap = ((a - b) / scale).quantize(HUNDREDTH, ROUND_HALF_UP) if money else a - b
    return names, first, second, gap, unit


def remainder(ctx: Context) -> Answer:
    """ "项目支出扣掉福彩公益金项目后还剩多少": the whole, the part taken out and what is left (whole − part), with the
    formula; a "part" larger than the whole is no part of it, and nothing is subtracted."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    names = [item_name(i) for i in ctx.frame.items[:2]]
    asked = f"{doc.label}：{names[0]}扣除{names[1]}后还剩多少"
    found = _subtracted(ctx, reply, "余额")
    if isinstance(found, str):
        reply.notes.append(found)
        return reply.answer(asked, "no_data")
    _, whole, part, left, unit = found
    if left < 0:
        reply.notes.append(f"{names[1]}（{_printed(part)}）比{names[0]}（{_printed(whole)}）还大，不是它的一部分，没有相减。")
        return reply.answer(asked, "no_data")
    source = reply.values[0].source if reply.values else 0
    reply.computed(f"{names[0]}扣除{names[1]}后（计算）", left, unit, "difference", source)
    reply.values.insert(0, reply.values.pop())
    reply.notes.insert(0, f"余额 = {_printed(whole)} − {_printed(part)} = {plain(left)} {unit}。")
    return reply.answer(f"{doc.label}：{names[0]}扣除{names[1]}后还剩 {plain(left)} {unit}")


def difference(ctx: Context) -> Answer:
    """ "案件执行比案件审判多多少", "A和B哪个多": both figures and A − B, with the formula."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    found = _subtracted(ctx, reply, "差额")
    if isinstance(found, str):
        names = [item_name(i) for i in ctx.frame.items[:2]]
        reply.notes.append(found)
        return reply.answer(f"{doc.label}：{names[0]}与{names[1]}相差多少", "no_data")
    names, first, second, gap, unit = found
    word = "多" if gap >= 0 else "少"
    source = reply.values[0].source if reply.values else 0
    reply.computed(f"{names[0]}比{names[1]}{word}（计算）", gap, unit, "difference", source)
    reply.notes.insert(0, f"差额 = {_printed(first)} − {_printed(second)} = {plain(gap)} {unit}。")
    return reply.answer(f"{doc.label}：{names[0]}比{names[1]}{word} {plain(abs(gap))} {unit}")


def share_of_sum(ctx: Context) -> Answer:
    """ "A和B加起来占C多少": (A + B) ÷ C, each figure shown with its source, their sum and the share computed
    with the formula; never when A and B hold the same money twice (a 科目 and one below it)."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    items = list(ctx.frame.items)
    base = ctx.frame.base or (items.pop() if len(items) > 2 else None)
    if base is None or len(items) < 2:
        return Answer(
            "no_data",
            "问题要几个数加起来再算占比，但没有分清哪几项相加、占哪一项：请写成“A和B加起来占C多少”。",
            ctx.template.id,
            document=doc.id,
        )
    names, whole_name = [item_name(i) for i in items], item_name(base)
    title = f"{doc.label}：{'、'.join(names)}加起来占{whole_name}的比例"
    parts = _inputs(ctx, reply, tuple(items))
    whole = _inputs(ctx, reply, (base,))[0]
    found = [p for p in parts if p is not None]
    overlap = one_word_twice(items) or overlapping(found)
    if overlap:
        reply.notes.append(f"没有计算：{overlap}")
        return reply.answer(title, "no_data")
    if len(found) < len(parts) or whole is None:
        reply.notes.append("缺少其中某项的数字，没有计算占比。")
        return reply.answer(title, "no_data")
    why_not = next((w for p in found if (w := _unlike(p, whole)) is not None), None)
    sizes = [_size(p) for p in found]
    whole_size = _size(whole)
    if why_not is not None or whole_size is None or None in sizes:
        reply.notes.append(f"几个数{why_not or '缺一'}，不能相加再相除。")
        return reply.answer(title, "no_data")
    if whole_size == 0:
        reply.notes.append(f"{quoted(whole_name)}为 0，算不出占比。")
        return reply.answer(title, "no_data")
    total = sum((s for s in sizes if s is not None), Decimal(0))
    value = percent(total, whole_size)
    source = reply.values[0].source if reply.values else 0
    summed = "＋".join(names)
    if whole["value_yuan"] is not None:
        reply.computed(f"{summed}（计算）", total / 10_000, "万元", "sum", source)
    reply.computed(f"{summed}占{whole_name}（计算）", value, "%", "share", source)
    terms = " + ".join(_printed(p) for p in found)
    reply.notes.insert(0, f"比例 = ({terms}) ÷ {_printed(whole)} × 100% = {value}%。")
    scopes = {p["scope"] for p in [*found, whole]} - {None, "全部资金"}
    if len(scopes) > 1:
        reply.notes.append(f"注意：这几个数的资金口径不同（{'、'.join(sorted(scopes))}）。")
    return reply.answer(title)
