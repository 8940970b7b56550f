"""Operators over the figures an answer already picks (queries/operators.toml): a ratio of two items, an
amount per person or vehicle, the largest of an item's parts, whether an item is there at all.

Each composer picks its inputs the way `values` does (same document, role, year and fund scope as
asked), shows them with their sources, and adds one computed value with its own role and formula. When
an input is missing or the two do not compare (money and a count, two fund scopes), it says so
instead of computing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher

from queries.answer import Answer, Value, plain
from queries.compose import (
    Context,
    Reply,
    item_name,
    labelled,
    number_part,
    qualifiers,
    quoted,
    role_of_value,
    show_item,
    values,
    want_for,
)
from queries.frame import ItemRef
from queries.pick import Row, is_of, pick

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


def _years_of_one_item(ctx: Context, reply: Reply, item: ItemRef) -> tuple[list[Row | None], list[str]]:
    """ "三公经费今年是去年的几倍": the item's figure this year and last year (as this document prints
    it: 上年预算数, else 上年执行数), in the order the question names them."""
    doc = ctx.docs[0]
    name = item_name(item)
    own_role = "决算" if doc.phase == "决算" else "预算"  # "今年预算是上年执行数的几倍": 执行 is last year's only
    now = show_item(ctx, reply, doc, item, want_for(ctx, doc, item, prior=False, role=own_role), text_too=False).best
    want = want_for(ctx, doc, item, prior=True)
    before = pick(ctx.rows_of(doc), item, want)
    if before.best is None and doc.phase == "预算":
        before = pick(ctx.rows_of(doc), item, replace(want, role="执行"))
    last = before.best
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
    if first is None or second is None:
        reply.notes.append("缺少其中一个数字，没有计算倍数。")
        return reply.answer(f"{doc.label}：{names[0]}是{names[1]}的几倍", "no_data")
    why_not = _unlike(first, second)
    a, b = _size(first), _size(second)
    if why_not is not None or a is None or b is None:
        reply.notes.append(f"两个数{why_not or '缺一'}，不能相除。")
        return reply.answer(f"{doc.label}：{names[0]}是{names[1]}的几倍", "no_data")
    if b == 0:
        reply.notes.append(f"{quoted(names[1])}为 0，不能计算倍数。")
        return reply.answer(f"{doc.label}：{names[0]}是{names[1]}的几倍")
    times = (a / b).quantize(HUNDREDTH, ROUND_HALF_UP)
    source = reply.values[0].source if reply.values else 0
    reply.computed(f"{names[0]}是{names[1]}的倍数（计算）", times, "倍", "ratio", source)
    reply.notes.insert(0, f"倍数 = {_printed(first)} ÷ {_printed(second)} = {times} 倍。")
    if first["scope"] != second["scope"] and None not in (first["scope"], second["scope"]):
        reply.notes.append(f"注意：两个数的资金口径不同（{first['scope']}、{second['scope']}）。")
    return reply.answer(f"{doc.label}：{names[0]}是{names[1]}的{times}倍")


# A per-unit word → the units of the count it divides by, in order of preference ("人均": staff).
_COUNT_UNITS = (
    (re.compile(r"人次"), ("人次",)),
    (re.compile(r"批次|每批"), ("批次", "批")),
    (re.compile(r"辆|车"), ("辆",)),
    (re.compile(r"项目|每项|每个"), ("个", "项")),
    (re.compile(r"人均|每人|每名|每位"), ("人", "名")),
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
        counted.sort(key=lambda r: (r["item"] != item.words, item.words not in str(r["item"]), r["source"] != "table"))
        named += counted[:1]
    if not money:
        return reply.answer(f"{doc.label}：没有找到要平均的金额（问题里的项目文档没有印出金额）", "no_data")
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
        return Answer(
            "no_data",
            f"{doc.label}印了{quoted(name)}，但没有印出可以用来平均的数量（{asked}），所以不能算“平均每个”。",
            ctx.template.id,
            ctx.params,
            tuple(reply.values),
            tuple(reply.sources),
            ("问题中的“人均/平均每…”需要文档印出的人数、车辆数或项目个数。",),
            ctx.template.sql,
            document=doc.id,
        )
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
    amount_spans = [
        (i.start, i.end) for i in ctx.frame.items if is_of(amount, i) or i.words == str(amount["item"])
    ]
    asked = "".join(
        "\0" if any(s.start <= n < s.end for s in ctx.frame.spans if s.kind in ("body", "year", "phase"))
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


def existence(ctx: Context) -> Answer:
    """ "有没有…": the figure when printed (0 said as 0), else what the document lacks."""
    answer = values(ctx)
    figures = [v for v in answer.values if v.value is not None]
    if answer.status != "answered" or not figures:
        return answer
    if all(v.value == 0 for v in figures):
        return replace(answer, headline=answer.headline + "：印为 0（没有安排）")
    return replace(answer, headline=answer.headline + "：有")


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
        reply.figure(labelled(f"第{position}名 {part}", labels), row, "rank")
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

# A sentence that gives a reason or a use ("主要原因是…", "主要用于…", "系…所致").
_REASON = re.compile(r"原因|主要是|主要用于|用于|由于|因为|因此|系|所致|为了|用途|主要包括|包括|一是")
# Where the text about one item ends: the next numbered heading ("十二、", "（二）", "2.").
_NEXT_HEADING = re.compile(
    r"(?:^|。)(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d))"
)
# The question asks why (a reason), or what for (a use).
_ASKS_WHY = re.compile(r"为什么|为啥|原因|怎么解释|怎么回事|咋")
_ASKS_USE = re.compile(r"用于|用途|用在|干什么|干嘛|做什么|花在")


def _flat(text: str) -> str:
    """Text without spaces and with one form of punctuation, to find a stored sentence in its page."""
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))


def _following(ctx: Context, doc_id: str, page: int, sentence: str) -> list[str]:
    """The sentences after `sentence` on its page (and the next) that give a reason or a use, up to the
    next heading: "…增加62.7万元，增长3.97%。主要原因是工会经费人均定额增加1000元…"."""
    text = _flat(ctx.page_text(doc_id, page) + ctx.page_text(doc_id, page + 1))
    said = _flat(sentence)
    tail = said[-12:] if len(said) > 12 else said
    at = text.find(tail)
    if at < 0:
        return []
    rest = text[at + len(tail) : at + len(tail) + 600]
    end = _NEXT_HEADING.search(rest)
    rest = rest[: end.start() + 1] if end else rest
    out: list[str] = []
    for part in re.split(r"(?<=。)", rest):
        if not part.strip("。"):
            continue
        if not _REASON.search(part) and not (out and said.endswith(":")):
            break
        out.append(part)
        if len(out) >= 3:
            break
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
            if row["source"] != "text" or not is_of(row, item) or row["sentence"] in seen:
                continue
            seen.add(row["sentence"])
            source = reply.source(doc, "情况说明", row["page"])
            said = [row["sentence"], *_following(ctx, doc.id, row["page"], row["sentence"])]
            reasons += sum(1 for part in said if _REASON.search(part))
            reply.values.append(Value(label=f"第{row['page']}页原文", text="".join(said), source=source, role="text"))
    names = "、".join(item_name(i) for i in ctx.frame.items)
    question = ctx.frame.question
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
    # the sentences that give a reason first: they answer 为什么
    ordered = sorted(reply.values, key=lambda v: not _REASON.search(v.text or ""))
    reply.values[:] = ordered
    return reply.answer(f"{doc.label}：情况说明怎么说{names}")
