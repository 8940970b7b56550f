"""Rows → a typed Answer, one composer per kind of answer (a template names its composer: `compose`).

Item answers pick their figures with queries/pick.py. A computed figure (a share, a change, a sum)
always comes with its formula and inputs; a figure the narrative states beside the table's is shown
too, and a difference between them is said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from ingest.kinds import NARRATIVE_PLACE, TABLE_KINDS
from ingest.meaning import label_key, meanings
from queries.answer import Answer, Source, Status, Value, plain
from queries.catalogue import Template
from queries.coverage import counted_phrase
from queries.frame import SHARE_OF, DocumentInfo, Frame, ItemRef
from queries.glossary import Glossary
from queries.operators import asked_operations
from queries.pick import AMOUNT_MEASURES, COUNT_MEASURES, Picked, Row, Want, candidates, is_of, kinds_of, pick, stated

WAN = Decimal(10_000)
TABLE_NAMES = {kind: name for kind, name, _ in TABLE_KINDS}
ROLE_NAMES = {"预算": "预算数", "决算": "决算数", "年初预算": "年初预算", "调整预算": "调整预算", "执行": "执行数"}
UNIT_SCALE = {"万元": WAN, "元": Decimal(1), "亿元": WAN * WAN}


@dataclass(frozen=True)
class Context:
    """What composing an answer needs: the template, the question's frame, the documents and the rows."""

    template: Template
    frame: Frame
    docs: tuple[DocumentInfo, ...]
    params: dict[str, Any]
    rows: list[Row]
    known: dict[str, DocumentInfo]  # every loaded document, by id
    source_of: Callable[[DocumentInfo, str, int], Source]
    glossary: Glossary
    pages: Callable[[str], int]
    empty_tables: Callable[[str], list[tuple[str, str, int]]]  # document → (kind, title, page) printed empty
    page_text: Callable[[str, int], str]  # (document, page) → the page's text as read, "" when there is none

    def doc(self, document_id: str | None) -> DocumentInfo:
        return self.known[document_id] if document_id else self.docs[0]

    def rows_of(self, doc: DocumentInfo) -> list[Row]:
        return self._by_document.get(doc.id, [])

    @cached_property
    def _by_document(self) -> dict[str | None, list[Row]]:
        # Grouped once: an answer across 1,000 documents asked each of them for its rows.
        grouped: dict[str | None, list[Row]] = {}
        for row in self.rows:
            grouped.setdefault(row.get("document_id"), []).append(row)
        return grouped


@dataclass
class Reply:
    """An answer being built: values, their numbered sources, notes."""

    ctx: Context
    values: list[Value] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: list[tuple[int, ...]] = field(default_factory=list)  # see Answer.conflicts
    _numbers: dict[Source, int] = field(default_factory=dict)

    def source(self, doc: DocumentInfo, place: str, page: int) -> int:
        found = self.ctx.source_of(doc, place, page)
        known = self._numbers.get(found)  # a dict: an answer over 1,000 documents has 1,000 sources
        if known is not None:
            return known
        self.sources.append(found)
        self._numbers[found] = len(self.sources) - 1
        return len(self.sources) - 1

    def figure(self, label: str, row: Row, role: str) -> Value:
        doc = self.ctx.doc(row["document_id"])
        value = Value(
            label=label,
            value=row["value"],
            unit=row["unit"],
            printed=number_part(row["printed"]) or (row["printed"] if row["value"] is not None else None),
            value_wan=to_wan(row),
            source=self.source(doc, row["place"], row["page"]),
            role=role,
            box=_box_of(row),
        )
        if value in self.values:
            return value  # the same figure reached twice (as the item's best and as its narrative's): shown once
        self.values.append(value)
        return value

    def computed(self, label: str, value: Decimal, unit: str, role: str, source: int = 0) -> None:
        self.values.append(
            Value(
                label=label,
                value=value,
                unit=unit,
                value_wan=value if unit == "万元" else None,
                source=source,
                role=role,
            )
        )

    def answer(self, headline: str, status: Status | None = None) -> Answer:
        ctx = self.ctx
        if status is None:
            status = "answered" if any(v.value is not None or v.text is not None for v in self.values) else "no_data"
        document = ctx.docs[0].id if len(ctx.docs) == 1 else None
        return Answer(
            status,
            headline,
            ctx.template.id,
            ctx.params,
            tuple(self.values),
            tuple(self.sources),
            tuple(dict.fromkeys(self.notes)),
            ctx.template.sql,
            document=document,
            chart=ctx.template.chart,
            conflicts=tuple(self.conflicts),
        )


# ---- small helpers ------------------------------------------------------------------------------


def _box_of(row: Row) -> tuple[float, float, float, float] | None:
    x0, top, x1, bottom = (row.get(key) for key in ("x0", "top", "x1", "bottom"))
    if x0 is None or top is None or x1 is None or bottom is None:
        return None
    return float(x0), float(top), float(x1), float(bottom)


def number_part(printed: str | None) -> str:
    """ "0.2万元" → "0.2": the digits as printed, without the unit; never a year ("与2024年预算持平" prints
    no amount: its change is 0 by its words)."""
    match = re.search(r"-?[\d,]*\.?\d+(?![\d.,]*\s*年)", printed or "")
    return match.group(0) if match else ""


def decimals(printed: str | None) -> int:
    number = number_part(printed).replace(",", "")
    return len(number.split(".")[1]) if "." in number else 0


def to_wan(row: Row) -> Decimal | None:
    yuan = row.get("value_yuan")
    return yuan / WAN if yuan is not None else None


def percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


def wan(row: Row) -> str:
    return plain(row["value_yuan"] / WAN)


def quoted(name: str) -> str:
    """“三公”经费 → “三公经费”: one pair of quotes around a name that may hold its own."""
    return "“" + name.replace("“", "").replace("”", "") + "”"


def shown(row: Row) -> str:
    if not row["printed"]:
        return "空白"
    return f"{number_part(row['printed']) or row['printed']} {row['unit'] or ''}".strip()


def where(row: Row) -> str:
    return _written_in(row) if row["source"] == "text" else f"《{row['place']}》"


def _written_in(row: Row) -> str:
    """What a stated figure is written in: the narrative, or a table cell's words ("指标解释栏" of a 绩效目标表)."""
    return f"{row['column_name']}栏" if row["place"] != NARRATIVE_PLACE and row["column_name"] else NARRATIVE_PLACE


def _another_place(row: Row) -> list[str]:
    """The label of a second statement of one figure: its cell's column, or the narrative's page."""
    written = _written_in(row)
    if written == NARRATIVE_PLACE:
        return [written, f"第{row['page']}页另一处"]
    return [str(row["parent"]), written] if row["parent"] else [written]


def _beside(row: Row, other: Row) -> str:
    """Where `row` is written, said after `other`'s place: "同页年度绩效目标栏" when it is the same table and page."""
    if row["place"] == other["place"] and row["page"] == other["page"]:
        return f"同页{_written_in(row)}" if row["place"] != NARRATIVE_PLACE else "同一说明中"
    return said_at(row)


def said_at(row: Row) -> str:
    """Where a stated figure is written, for a note: "情况说明第6页", or the table, page and column of the cell."""
    if row["place"] != NARRATIVE_PLACE and row["column_name"]:
        return f"《{row['place']}》第{row['page']}页{row['column_name']}栏"
    return f"情况说明第{row['page']}页"


def within_rounding(a: Decimal, b: Decimal, printed: str | None, unit: str | None) -> bool:
    """Whether two amounts in 元 agree at the precision `printed` (in `unit`) was printed to."""
    step = Decimal(1).scaleb(-decimals(printed)) * UNIT_SCALE.get(unit or "元", Decimal(1))
    return abs(a - b) <= step / 2


def compare_text(table: Row, text: Row) -> str:
    """Say whether the narrative states the table's figure, allowing for its printed precision."""
    if table["value_yuan"] is None or text["value_yuan"] is None:
        return f"{said_at(text)}写作 {text['printed']}。"
    if table["value_yuan"] == text["value_yuan"]:
        return f"{said_at(text)}写作 {text['printed']}，与表格一致。"
    if within_rounding(table["value_yuan"], text["value_yuan"], text["printed"], text["unit"]):
        return (
            f"{said_at(text)}写作 {text['printed']}，是表格数字"
            f"（{table['printed']} {table['unit']}）按 {Decimal(1).scaleb(-decimals(text['printed']))} "
            f"{text['unit']} 取整的结果。"
        )
    return (
        f"注意：{said_at(text)}写作 {text['printed']}，"
        f"与表格《{table['place']}》第{table['page']}页的 {table['printed']} {table['unit']} 不一致。"
    )


def _said_where(row: Row) -> str:
    """Where a stated change is printed: the narrative, or the table row of changes ("增减变化金额")."""
    return _written_in(row) if row["source"] == "text" else f"《{row['place']}》增减行"


def item_name(item: ItemRef, row: Row | None = None) -> str:
    name = _item_name(item, row)
    return f"{item.unit}：{name}" if item.unit else name  # "湖州市交通运输行政执法队：公务接待费"


def _item_name(item: ItemRef, row: Row | None) -> str:
    words = item.words
    if (
        item.concept
        and item.scope
        and words.startswith(item.scope)
        and words != item.scope
        and label_key(item.concept) not in words
    ):
        # "财政拨款收入" is 本年收入合计 read in one scope: the question's words name it better than the concept
        return words
    if item.concept:
        return item.concept
    if row is not None and row["source"] == "table" and row["name"]:
        return re.sub(r"^[一二三四五六七八九十]+[、.．]", "", str(row["name"]))  # "一、一般公共服务支出"
    return item.label  # (a row printed with its code alone is named as asked: "科目201")


def item_title(item: ItemRef) -> str:
    """The item as a headline names it: with the kind of spending it is split by ("（人员经费）")."""
    return item_name(item) + (f"（{item.spending}）" if item.spending else "")


def qualifiers(row: Row, want: Want, doc: DocumentInfo, asked_scope: str | None, scopes: int = 1) -> list[str]:
    """What sets this figure apart from the item's plain figure, for its label. Its fund scope is said
    when the document prints the item in more than one scope (`scopes`)."""
    parts = []
    described = row["source"] == "text" and _written_in(row) != NARRATIVE_PLACE
    if row["source"] == "text":
        # a cell's words are of the project on its row ("2026年信访接待中心运行费", 年度绩效目标栏)
        parts += [str(row["parent"]), _written_in(row)] if described and row["parent"] else [_written_in(row)]
    if row["ref_year"] is not None and doc.year is not None and row["ref_year"] != doc.year:
        parts.append(
            f"{row['ref_year']}年{ROLE_NAMES.get(row['role'], '')}".rstrip("数")
            if row["role"] != "执行"
            else f"{row['ref_year']}年执行数"
        )
    elif doc.phase == "决算" and (row["source"] == "table" or row["role"] == "决算"):
        parts.append(ROLE_NAMES.get(row["role"], str(row["role"])))
    elif row["role"] in ("年初预算", "调整预算", "执行") or (doc.phase == "决算" and row["role"] == "预算"):
        parts.append(ROLE_NAMES[row["role"]])
    if row["scope"] not in (None, "全部资金") and (row["source"] == "text" or asked_scope or scopes > 1):
        parts.append(row["scope"])  # the narrative's figure of one fund ("财政拨款支出主要内容如下：") is so labelled
    if want.spending and row["spending"] != "合计":
        parts.append(want.spending)
    if row["source"] == "table" and row["parent"]:
        parts.append(str(row["parent"]))  # a unit's row: whose figure it is
    return parts


def labelled(name: str, parts: list[str]) -> str:
    parts = [p for p in parts if p not in name]  # "财政拨款收入" needs no "（财政拨款）"
    return f"{name}（{'，'.join(parts)}）" if parts else name


def role_of_value(row: Row, doc: DocumentInfo) -> str:
    if row["measure"] == "数量":
        return "count"
    if row["ref_year"] is not None and doc.year is not None and row["ref_year"] < doc.year:
        return "prior"
    if doc.phase == "决算":
        return "final" if row["role"] == "决算" else "budget"
    return "current"


def want_for(
    ctx: Context, doc: DocumentInfo, item: ItemRef, prior: bool | None = None, role: str | None = None
) -> Want:
    frame = ctx.frame
    return Want.of(
        doc,
        role if role is not None else frame.role,
        frame.prior if prior is None else prior,
        item.scope or frame.scope,
        item.spending,
        item.counted or item.measure == "count",
        item.within,
    )


# ---- why a figure is missing --------------------------------------------------------------------


def missing(ctx: Context, doc: DocumentInfo, item: ItemRef, want: Want, reply: Reply) -> str:
    """A refusal that names what the document does not print, and what it prints instead."""
    rows = [r for r in ctx.rows_of(doc) if is_of(r, item)]
    name = quoted(item_name(item))
    counted = "、".join(ctx.frame.count_words) or "数量"
    words = counted_phrase(ctx.frame.question, item.words) if want.count or item.measure == "count" else item.words
    asked = quoted(words) + (f"（{item_name(item)}）" if item.concept and words != item.concept else "")
    if (want.count or item.measure == "count") and item.measure != "count":
        return f"{asked}是一笔金额；该文档没有印出它的{counted}（只印了金额）。"
    if item.measure == "count" and not rows:
        return f"该文档的表格和情况说明中都没有写出{asked}的数量（{counted}）。"
    if want.role == "决算" and doc.phase == "预算":
        return f"这是{doc.year or ''}年预算文档，只有预算数；决算数见该年度的决算文档。"
    kinds = _kinds_of(item)
    for kind, title, page in ctx.empty_tables(doc.id):
        if kind in kinds and not any(r["value"] is not None for r in rows):
            reply.source(doc, title, page)
            return f"《{title}》本表无数据（没有{name}的数字）。"
    if not rows:
        return f"该文档的表格和情况说明中都没有{asked}这一项。" + _related(ctx, doc, item)
    empty = [r for r in rows if r["is_empty"]]
    if empty and all(r["is_empty"] or r["source"] == "text" for r in rows):
        reply.source(doc, empty[0]["place"], empty[0]["page"])
        return f"《{empty[0]['place']}》本表无数据（没有{name}的数字）。"
    if want.ref_year != doc.year:
        return f"该文档没有印出{name}的{want.ref_year}年数（上年数），也没有写出它比上年增减多少。"
    if want.scope and not any(r["scope"] == want.scope for r in rows):
        scopes = sorted({r["scope"] for r in rows if r["scope"]})
        return f"该文档没有印出{want.scope}口径的{name}（印出的口径：{'、'.join(scopes) or '未注明'}）。"
    if want.role not in {r["role"] for r in rows}:
        roles = "、".join(sorted({ROLE_NAMES.get(r["role"], str(r["role"])) for r in rows}))
        return f"该文档没有印出{name}的{ROLE_NAMES.get(want.role, want.role)}（印出的是：{roles}）。"
    if want.spending:
        return f"该文档没有印出{name}中{want.spending}的数字。"
    return f"该文档中没有找到{name}的数字。"


def _kinds_of(item: ItemRef) -> set[str]:
    """The table kinds a concept is printed in (its own table, and the tables whose labels name it)."""
    if item.concept is None:
        return set()
    from_labels = {k for c in meanings().concepts if c.name == item.concept for k in c.kinds}
    return set(kinds_of(item.concept)) | from_labels


def _related(ctx: Context, doc: DocumentInfo, item: ItemRef) -> str:
    """The rows the document prints that are often taken for a concept it does not print."""
    concept = next((c for c in ctx.glossary.concepts if c.name == item.concept), None)
    if concept is None or not concept.related:
        return ""
    shown_rows = []
    for name in concept.related:
        row = next(
            (r for r in ctx.rows_of(doc) if r["item"] == name and r["source"] == "table" and r["value"] is not None),
            None,
        )
        if row is not None:
            code = f"（科目 {row['code']}）" if row["code"] else ""
            shown_rows.append(f"“{row['name']}”{code} {shown(row)}（《{row['place']}》第{row['page']}页）")
    if not shown_rows:
        return ""
    return f"表中印有{'、'.join(shown_rows)}，与{quoted(concept.name)}口径不同，没有拿来代替。"


# ---- one document: values ------------------------------------------------------------------------


def show_item(
    ctx: Context, reply: Reply, doc: DocumentInfo, item: ItemRef, want: Want, text_too: bool = True
) -> Picked:
    """Add the item's figure (and the narrative's) to the reply; a note when there is none."""
    rows = ctx.rows_of(doc)
    picked = pick(rows, item, want)
    if picked.table is None and picked.text is None and ctx.frame.role is None:
        # The role was not asked and the document prints the item in one other role only ("涉及预算金额
        # 598.42万元" in a 决算): that figure, its role said in the label.
        measures = COUNT_MEASURES if want.count or item.measure == "count" else AMOUNT_MEASURES
        roles = {
            r["role"]
            for r in rows
            if r["measure"] in measures and r["ref_year"] == want.ref_year and r["value"] is not None and is_of(r, item)
        }
        if len(roles) == 1:
            want = replace(want, role=roles.pop())
            picked = pick(rows, item, want)
    year_total = YEAR_OF_GRAND.get(item.concept or "")
    if picked.table is None and picked.text is None and year_total and want.scope not in (None, "全部资金"):
        # "中心血站收入预算多少，其中一般公共预算拨款多少": one fund's grand total is its year's total when that fund
        # carries nothing over (the grand total adds the carry-over); with a carry-over printed, nothing is given
        carry_over = CARRIED[str(item.concept)]
        fund = pick(rows, replace(item, concept=year_total), want)
        carried = pick(rows, replace(item, concept=carry_over), want).best
        if fund.best is not None and (carried is None or not carried["value_yuan"]):
            picked, item = fund, replace(item, concept=year_total)
            reply.notes.append(f"{want.scope}口径没有印出{carry_over}，按{year_total}给出。")
    if picked.table is None and picked.text is None and item.concept is None and not want.count:
        # A printed row that is a quantity, not money ("平均得分99.43分"): its figure, with its unit.
        quantity = pick(rows, item, replace(want, count=True))
        if quantity.table is not None or quantity.text is not None:
            picked, want = quantity, replace(want, count=True)
    if picked.table is None and picked.text is None and want.spending is None:
        parts = _spending_parts(rows, item, want)
        if parts:
            _show_parts(reply, doc, item, want, parts)
            return parts[0][1]
    basic_part = _basic_part_only(rows, item, want, picked)
    if basic_part is not None:
        _show_parts(reply, doc, item, want, [("基本支出", picked), ("项目支出", basic_part)])
        return picked
    name = item_name(item, picked.best)
    if item.spending and any(i.spending is None and i.label == item.label for i in ctx.frame.items):
        # the row asked whole and then for a kind of its spending: that kind said in the part's label
        name += f"（{item.spending}）"
    table, text = picked.table, picked.text
    role = "count" if want.count or item.measure == "count" else None
    measures = COUNT_MEASURES if want.count or item.measure == "count" else AMOUNT_MEASURES
    scopes = len(
        {r["scope"] for r in candidates(rows, item, replace(want, scope=None), measures) if r["source"] == "table"}
    )
    if table is not None:
        reply.figure(
            labelled(name, qualifiers(table, want, doc, want.scope, scopes)), table, role or role_of_value(table, doc)
        )
        if table["value"] is None:
            why = "本表无数据" if table["is_empty"] else "表中此项为空白（未填数，不等于 0）"
            reply.notes.append(f"《{table['place']}》第{table['page']}页{quoted(name)}：{why}。")
            if doc.phase == "决算" and want.role == "决算":
                budget = pick(rows, item, replace(want, role="年初预算")).table
                if budget is not None and budget["value"] is not None:
                    reply.figure(labelled(name, qualifiers(budget, want, doc, want.scope)), budget, "budget")
                    reply.notes.append(f"决算数为空白；同一表印的{ROLE_NAMES.get(budget['role'], '预算数')}见上。")
        if want.within and table["spending"] not in ("合计", want.within):
            # "机关运行经费里的办公费" and no 机关运行经费表: the column holding it by definition (pick._defined_column)
            reply.notes.append(
                f"文档没有{want.within}表；{quoted(name)}按{want.within}的定义取《{table['place']}》第{table['page']}页的"
                f"“{table['spending']}”栏（{table['scope']}）。"
            )
        first = len(reply.values) - 1
        differing = [
            o
            for o in picked.others
            if table["value_yuan"] is None
            or not within_rounding(o["value_yuan"], table["value_yuan"], o["printed"], o["unit"])
        ]
        for other in differing[:2]:
            # the same item, role, year and fund scope printed with another figure: shown, not only mentioned
            reply.figure(
                labelled(name, [f"《{other['place']}》第{other['page']}页"]), other, role or role_of_value(other, doc)
            )
            reply.notes.append(
                f"注意：《{other['place']}》第{other['page']}页印的{other['name']}为 {shown(other)}"
                + (f"（科目 {other['code']}）" if other["code"] else "")
                + f"，与《{table['place']}》第{table['page']}页的 {shown(table)} 不同："
                + "同一项目在两张表中印了两个数（口径可能不同，请对照原表），两个数都列出。"
            )
        if differing[:2]:
            reply.conflicts.append(tuple(range(first, len(reply.values))))
        asked_apart = any(i.spending and i.label == item.label for i in ctx.frame.items)  # its part: asked on its own
        if role is None and want.spending is None and want.within is None and not asked_apart:
            _parts_beside(reply, doc, rows, item, want, table, name)
    if (
        text is not None
        and table is not None
        and want.scope is not None
        and text["scope"] is None
        and table["value_yuan"] is not None
        and text["value_yuan"] is not None
        and not within_rounding(table["value_yuan"], text["value_yuan"], text["printed"], text["unit"])
        and any(
            r["source"] == "table"
            and r["scope"] != table["scope"]
            and r["value_yuan"] is not None
            and within_rounding(r["value_yuan"], text["value_yuan"], text["printed"], text["unit"])
            for r in candidates(rows, item, replace(want, scope=None), measures)
        )
    ):
        # "信访业务724.5万元" in the narrative is the 财政拨款 figure, not this scope's: no contradiction
        text = None
    if text is None and table is not None and text_too:
        text = _narrated_under_a_longer_name(rows, item, table)
        if text is not None:
            reply.notes.append(
                f"情况说明以{quoted(text['name'])}写这笔钱（表格中{quoted(text['name'])}与{quoted(name)}同为 "
                f"{shown(table)}）。"
            )
    against: Row | None = table  # the table figure the narrative's is compared with: of its own fund scope
    if text is not None and text_too and table is not None and _narrower(text) and text["scope"] != table["scope"]:
        against = _in_scope_of(ctx, reply, doc, item, want, text, table, name, role)
    if text is not None and text_too:
        reply.figure(labelled(name, qualifiers(text, want, doc, want.scope)), text, role or role_of_value(text, doc))
        if against is not None:
            reply.notes.append(compare_text(against, text))
            differ = against["value_yuan"] is not None and text["value_yuan"] is not None
            if differ and not within_rounding(
                against["value_yuan"], text["value_yuan"], text["printed"], text["unit"]
            ):
                table_at = next(
                    (n for n, v in enumerate(reply.values) if v.printed == number_part(against["printed"])), None
                )
                if table_at is not None:
                    reply.conflicts.append((table_at, len(reply.values) - 1))
        # the narrative stating the same figure twice, differently ("208.8万元……2026年预算安排201.50万元")
        first_at = len(reply.values) - 1
        said_too = [
            t
            for t in picked.stated[1:]
            if t["page"] == text["page"]  # the same passage: elsewhere it may be a unit's or another year's
            and t["value_yuan"] is not None
            and text["value_yuan"] is not None
            and not within_rounding(t["value_yuan"], text["value_yuan"], t["printed"], t["unit"])
            and (table is None or table["value_yuan"] is None or t["value_yuan"] != table["value_yuan"])
        ]
        for other in said_too[:1]:
            reply.figure(
                labelled(name, _another_place(other)), other, role or role_of_value(other, doc)
            )
            reply.notes.append(
                f"注意：{said_at(other)}还写作 {other['printed']}，与{_beside(text, other)}的 {text['printed']} 不同："
                "同一项目写了两个数，两个都列出。"
            )
            reply.conflicts.append((first_at, len(reply.values) - 1))
    if (
        text_too
        and ctx.frame.count
        and not (want.count or item.measure == "count")
        and not any(i.counted or i.measure == "count" for i in ctx.frame.items)
    ):
        _count_said_with(ctx, reply, doc, name, picked)
    if table is None and text is None:
        reply.notes.append(missing(ctx, doc, item, want, reply))
    if item.guessed and (table is not None or text is not None):
        reply.notes.append(f"问题中的“{item.words}”按文档印的“{name}”理解。")
    return picked


YEAR_OF_GRAND = {"收入总计": "本年收入合计", "支出总计": "本年支出合计"}
CARRIED = {"收入总计": "上年结转结余", "支出总计": "年末结转结余"}  # what a grand total adds to the year's
# a fund's year's income and its spending: one amount in a budget (what it receives, it spends)
OTHER_FLOW = {"本年收入合计": "本年支出合计", "本年支出合计": "本年收入合计"}
OTHER_FLOW_NAMES = {"本年收入合计": "收入", "本年支出合计": "支出"}


def _narrower(row: Row) -> bool:
    """A figure of one fund, not of all funds (the narrative's "财政拨款支出主要内容如下：" list)."""
    return row["scope"] not in (None, "全部资金")


def in_fund_of(rows: Sequence[Row], item: ItemRef, want: Want, other: Row | None, now: Row | None) -> Row | None:
    """This year's figure of the one fund `other` (last year's) is of, to set like against like: the narrative
    lists last year's 财政拨款 figure ("2023年当年预算执行数为711.34万元"), the tables' all-funds figure is more
    (9,584,796 with 事业收入) than the 财政拨款 column's (6,964,796). None when no table prints that fund's, or
    prints it as much as `now` (the fund is then all the money: `now` is its figure too)."""
    if other is None or now is None or not _narrower(other) or other["scope"] == now["scope"] or want.scope:
        return None
    scoped = pick(rows, item, replace(want, scope=other["scope"])).best
    if scoped is None or scoped["value_yuan"] is None or scoped["value_yuan"] == now["value_yuan"]:
        return None
    return scoped


def _in_scope_of(
    ctx: Context, reply: Reply, doc: DocumentInfo, item: ItemRef, want: Want, text: Row, table: Row, name: str,
    role: str | None,
) -> Row:
    """The table's figure of the fund the narrative states ("财政拨款支出主要内容如下：…社会福利事业单位（项）
    738.66万元" against the 财政拨款 column's 6,964,796, not the all-funds 9,584,796), shown beside the one asked.
    Where no table prints that fund's figure, or it is the table's figure asked, the narrative's is set against that."""
    scoped = pick(ctx.rows_of(doc), item, replace(want, scope=text["scope"])).table
    if scoped is None or scoped["value_yuan"] is None or scoped["value_yuan"] == table["value_yuan"]:
        return table
    reply.figure(labelled(name, [str(scoped["scope"])]), scoped, role or role_of_value(scoped, doc))
    reply.notes.append(f"{said_at(text)}写的是{text['scope']}口径，与表格同一口径的数对照。")
    return scoped


def _count_said_with(ctx: Context, reply: Reply, doc: DocumentInfo, name: str, picked: Picked) -> None:
    """ "有几个项目纳入了绩效目标管理？涉及资金多少": a count asked of nothing the frame names is the count the
    narrative states in one sentence with the amount ("共9个项目纳入…，涉及资金1,175.65万元"), shown with it."""
    for said in picked.stated:
        counts = [
            r
            for r in ctx.rows_of(doc)
            if r["source"] == "text"
            and r["measure"] == "数量"
            and r["value"] is not None
            and r["sentence"] == said["sentence"]
        ]
        if counts:
            if not any(v.printed == number_part(said["printed"]) for v in reply.values):
                reply.figure(labelled(name, ["情况说明", "与数量同一句"]), said, role_of_value(said, doc))
            reply.figure(str(counts[0]["item"] or counts[0]["name"]), counts[0], "count")
            return


SPENDING_PARTS = ("基本支出", "项目支出")


def _spending_parts(rows: Sequence[Row], item: ItemRef, want: Want) -> list[tuple[str, Picked]]:
    """The item as printed only in tables of one kind of spending (深圳's 基本支出总表 and 项目支出总表 print
    委托业务费 in each, and no table prints its total): each part found."""
    found = []
    for spending in SPENDING_PARTS:
        part = pick(rows, item, replace(want, spending=spending))
        row = part.table
        if row is not None and row["value"] is not None and row["spending"] == spending:
            found.append((spending, part))
    return found


# Parts of an item other tables print beside its whole: its 基本支出 and 项目支出 parts, and the part counted in
# 机关运行经费 (行政 and 参公 units only).
_PART_SPENDINGS = ("基本支出", "项目支出", "机关运行经费")


def _parts_beside(
    reply: Reply, doc: DocumentInfo, rows: Sequence[Row], item: ItemRef, want: Want, whole: Row, name: str
) -> None:
    """The parts of the whole picked that other tables or columns print ("因公出国（境）费 13.20": 7.70 in the
    基本支出 table, 5.50 in the 项目支出 table), each labelled as a part: a reader who meets them in those
    tables must not take them for other values of the same thing."""
    if whole["value_yuan"] is None or whole["spending"] != "合计" or whole["kind"] in kinds_of("基本支出"):
        return
    if item.concept in _PART_SPENDINGS:
        return  # 基本支出 has no 基本支出 part: a table of it prints its total, not a part
    found = []
    for spending in _PART_SPENDINGS:
        # the item narrowed to that part: a concept's row of its name counts there ("公务接待费" of a 基本支出 table)
        part = pick(rows, replace(item, spending=spending), replace(want, spending=spending, scope=None)).table
        if part is None or part["value_yuan"] is None or not 0 < part["value_yuan"] < whole["value_yuan"]:
            continue  # no part, or not smaller than the whole: not shown as a part of it
        if part["spending"] == "合计" and part["kind"] not in kinds_of(spending):
            continue
        if spending in (part["concepts"] or ()):
            continue  # the part table's own total, not the item's row in it
        found.append((spending, part))
    if sum(part["value_yuan"] for _, part in found) != whole["value_yuan"]:
        # unless the parts add up to the whole: all funds' 项目支出 (with 事业收入) is no part of the 财政拨款 figure
        found = [(spending, part) for spending, part in found if not _of_another_whole(rows, part, whole)]
    for spending, part in found:
        fund = [] if part["scope"] in (None, "全部资金", whole["scope"]) else [str(part["scope"])]
        reply.figure(labelled(name, [*fund, f"其中{spending}部分"]), part, role_of_value(part, doc))
    if found:
        listed = "、".join(f"{spending}部分 {shown(part)}" for spending, part in found)
        reply.notes.append(
            f"{quoted(name)}的 {shown(whole)} 是合计；其他表还印了它的{listed}，是其中的一部分，不是另一个数。"
        )


def _of_another_whole(rows: Sequence[Row], part: Row, whole: Row) -> bool:
    """Whether a part's own table prints, on its row, a whole other than the one shown (福利院 支出预算总表: 项目支出
    2,620,000 beside 合计 9,584,796, not part of the 财政拨款 6,964,796). A table of the part alone (基本支出表) has
    no such whole."""
    if part["spending"] == "合计":
        return False
    # one fund's part is inside all funds' whole unless its own whole is more; inside one fund's, only if it is that
    all_funds = whole["scope"] in (None, "全部资金")
    return any(
        r["source"] == "table"
        and r["table_no"] == part["table_no"]
        and r["row_no"] == part["row_no"]
        and r["page"] == part["page"]
        and r["spending"] == "合计"
        and r["measure"] == part["measure"]
        and r["value_yuan"] is not None
        and (r["value_yuan"] > whole["value_yuan"] if all_funds else r["value_yuan"] != whole["value_yuan"])
        for r in rows
    )


def _basic_part_only(rows: Sequence[Row], item: ItemRef, want: Want, picked: Picked) -> Picked | None:
    """The item's project part when the figure picked is a 基本支出 table's row and another table prints the
    item's project part (珠海: 差旅费 in the 一般公共预算基本支出 table, again in the 一般公共预算项目支出 table by
    economic class, and its whole nowhere): the basic row alone would be taken for the whole."""
    table = picked.table
    if want.spending is not None or want.within is not None or table is None or table["value"] is None:
        return None
    if table["kind"] not in kinds_of("基本支出") or table["spending"] != "合计":
        return None
    measures = COUNT_MEASURES if want.count or item.measure == "count" else AMOUNT_MEASURES
    if any(
        r["source"] == "table" and r["kind"] not in kinds_of("基本支出") and r["value"] is not None
        for r in candidates(rows, item, want, measures)
    ):
        return None  # a table of all spending prints the whole
    project = pick(rows, item, replace(want, spending="项目支出"))
    found = project.table
    if found is None or found["value"] is None or found["spending"] != "项目支出" or found["scope"] != table["scope"]:
        return None
    return project


def _show_parts(reply: Reply, doc: DocumentInfo, item: ItemRef, want: Want, parts: list[tuple[str, Picked]]) -> None:
    """The parts, each labelled as the part it is; their sum when the document prints both, said to be a sum."""
    name = item_name(item, parts[0][1].table)
    if len(parts) == len(SPENDING_PARTS):
        rows = [p.table for _, p in parts if p.table is not None]
        total = sum((r["value_yuan"] for r in rows if r["value_yuan"] is not None), Decimal(0))
        source = reply.source(doc, rows[0]["place"], rows[0]["page"])
        reply.computed(f"{name}（基本支出＋项目支出，计算）", total / WAN, "万元", "sum", source)
        shown_parts = " + ".join(wan(r) for r in rows)
        reply.notes.append(
            f"该文档没有印出{quoted(name)}的合计：合计 = {shown_parts} = {plain(total / WAN)} 万元（计算）。"
        )
    elif want.within != parts[0][0]:  # the part the question asked for needs no word on the whole
        spending = parts[0][0]
        reply.notes.append(f"该文档只在{spending}中印了{quoted(name)}，没有印出它的合计：下面是{spending}部分。")
    for spending, part in parts:
        row = part.table
        if row is not None:
            reply.figure(labelled(name, [spending]), row, role_of_value(row, doc))


_THIS_YEAR = re.compile(r"今年|现在|目前|现有")


def asks_this_year(ctx: Context, doc: DocumentInfo) -> bool:
    """The question names the document's own year ("2024年预算和2023年执行数", "今年和去年")."""
    return doc.year in ctx.frame.hints.years or bool(_THIS_YEAR.search(ctx.frame.question))


def own_year_want(ctx: Context, doc: DocumentInfo, item: ItemRef) -> Want:
    """The document's own year's figure when last year's is asked beside it: a budget's 预算, though the
    question's 执行 or 实际 is of last year ("24年预算和23年执行数各多少")."""
    executed = doc.phase == "预算" and ctx.frame.role in ("执行", "决算")
    return want_for(ctx, doc, item, prior=False, role="预算" if executed else None)


def values(ctx: Context) -> Answer:
    doc = ctx.docs[0]
    reply = Reply(ctx)
    for item in ctx.frame.items:
        want = want_for(ctx, doc, item)
        if want.ref_year != doc.year:
            before = len(reply.values)
            prior_value(ctx, reply, doc, item, want)
            current = ("current", "final", "budget")
            found = reply.values[before:]
            if (
                asks_this_year(ctx, doc)
                and any(v.role == "prior" for v in found)
                and not any(v.role in current for v in found)
            ):
                # "2017年…多少？2016年的是多少": both years asked, this year's figure too
                show_item(ctx, reply, doc, item, own_year_want(ctx, doc, item))
        else:
            show_item(ctx, reply, doc, item, want)
    names = "、".join(dict.fromkeys(item_title(i) for i in ctx.frame.items))
    both = any(v.role == "prior" for v in reply.values) and any(v.role in ("current", "budget") for v in reply.values)
    when = "（本年和上年）" if both else "（上年）" if ctx.frame.prior else ""
    return reply.answer(f"{doc.label}：{names}{when}")


def prior_value(ctx: Context, reply: Reply, doc: DocumentInfo, item: ItemRef, want: Want) -> None:
    """Last year's figure: printed in this document, else its figure less the change it states; and
    beside it the figure last year's own document printed, when that document is loaded."""
    before = len(reply.values)
    picked = show_item(ctx, reply, doc, item, want)
    if picked.table is None and picked.text is None and want.role == "预算" and doc.phase == "预算":
        # A budget often gives last year only as executed ("2023年当年预算执行数为…"): that figure, so labelled.
        executed = pick(ctx.rows_of(doc), item, replace(want, role="执行"))
        row = executed.best
        if row is not None:
            reply.notes.pop()
            reply.figure(
                labelled(item_name(item, row), qualifiers(row, replace(want, role="执行"), doc, want.scope)),
                row,
                "prior",
            )
            picked = executed
    if picked.table is None and picked.text is None:
        reply.notes.pop()  # the missing note; try working it out from the stated change
        current_want = replace(want, ref_year=doc.year, role="决算" if doc.phase == "决算" else "预算")
        changes = stated(ctx.rows_of(doc), item, current_want, "增减额")
        flow = OTHER_FLOW.get(item.concept or "")
        if not changes and flow is not None and item.scope and doc.phase == "预算":
            # "去年一般公共预算拨款是多少" where only the fund's spending change is stated ("一般公共预算拨款支出
            # 1468.70万元，比上年减少205.75万元"): a budget's fund receives what it spends
            changes = stated(ctx.rows_of(doc), replace(item, concept=flow), current_want, "增减额")
            if changes:
                item = replace(item, concept=flow)
                reply.notes.append(f"预算中同一资金的收入与支出相等：按{OTHER_FLOW_NAMES[flow]}的增减推算。")
        now = pick(ctx.rows_of(doc), item, current_want)
        base = now.best
        change = changes[0] if changes else None
        if change is not None:
            # The amount the same sentence states is rounded as the change is: "17,192万元，比上年减少990万元"
            # gives 18,182, not a figure with more digits than either printed number.
            said_with = [
                r
                for r in stated(ctx.rows_of(doc), item, current_want, "金额")
                if r["sentence"] == change["sentence"] and r["value_yuan"] is not None
            ]
            base = said_with[0] if said_with else base
        if (
            base is not None
            and change is not None
            and base["value_yuan"] is not None
            and change["value_yuan"] is not None
        ):
            prior = base["value_yuan"] - change["value_yuan"]
            reply.figure(
                labelled(item_name(item), qualifiers(base, current_want, doc, want.scope)),
                base,
                role_of_value(base, doc),
            )
            word = "持平" if change["value"] == 0 else ("增加" if change["value"] > 0 else "减少")
            reply.figure(f"{item_name(item)}比上年{word}（{_said_where(change)}）", change, "change")
            reply.computed(
                f"{item_name(item)}（{want.ref_year}年，推算）", prior / WAN, "万元", "prior", reply.values[-1].source
            )
            reply.values.insert(before, reply.values.pop())  # the figure asked for comes first
            word = "增加" if change["value_yuan"] >= 0 else "减少"
            reply.notes.append(
                f"该文档没有印出{want.ref_year}年的数，按{_said_where(change)}推算："
                f"{want.ref_year}年 = 本年 {wan(base)} 万元 − "
                f"{word} {plain(abs(change['value_yuan']) / WAN)} 万元 = {plain(prior / WAN)} 万元。"
            )
        elif base is not None and change is not None and change["value"] == 0:
            reply.figure(
                labelled(item_name(item), qualifiers(base, current_want, doc, want.scope)),
                base,
                role_of_value(base, doc),
            )
            reply.notes.append(f"情况说明写明与上年持平（“{change['printed']}”），上年数即为 {shown(base)}。")
        else:
            reply.notes.append(missing(ctx, doc, item, want, reply))
    stated_prior = next((v for v in reply.values[before:] if v.role == "prior"), None)
    if stated_prior is not None and stated_prior.printed is not None:
        _prior_against_its_rate(ctx, reply, doc, item, want, reply.values.index(stated_prior))
    earlier = previous_document(ctx, doc)
    if earlier is not None:
        own = pick(ctx.rows_of(earlier), item, want_for(ctx, earlier, item, prior=False))
        row = own.table if own.table is not None else own.text
        if row is not None:
            reply.figure(f"{item_name(item)}（{earlier.year}年文档）", row, "prior")
            said = stated_prior.value_wan if stated_prior is not None else None
            if said is not None and row["value_yuan"] is not None and said * WAN != row["value_yuan"]:
                reply.notes.append(
                    f"{earlier.year}年本身的文档印的是 {shown(row)}，"
                    f"与本文档所说的上年数 {plain(said)} 万元不同（预算常有调整）。"
                )


def _prior_against_its_rate(
    ctx: Context, reply: Reply, doc: DocumentInfo, item: ItemRef, want: Want, at: int
) -> None:
    """Last year's figure as its own sentence prints it, against this year's and the rate that sentence states
    ("2026年3845.49万元，比2025年预算执行数43269.3万元增加17.62%"): where they disagree, last year's figure the two
    give (3,269.42) beside it, as a conflict. A misprint in one of the three cannot be told from here."""
    rows = ctx.rows_of(doc)
    said = reply.values[at]
    prior_row = next(
        (r for r in rows if r["source"] == "text" and is_of(r, item) and r["printed"] and said.printed
         and number_part(r["printed"]) == said.printed and r["ref_year"] == want.ref_year),
        None,
    )
    if prior_row is None or prior_row["value_yuan"] is None:
        return
    current_want = replace(want, ref_year=doc.year, role="决算" if doc.phase == "决算" else "预算")
    in_sentence = [
        r for r in rows if r["source"] == "text" and r["sentence"] == prior_row["sentence"] and is_of(r, item)
    ]
    rate = next((r for r in in_sentence if r["measure"] == "增减率" and r["value"] is not None), None)
    said_now = [
        r
        for r in stated(rows, item, current_want, "金额")
        if r["sentence"] == prior_row["sentence"] and r["value_yuan"] is not None
    ]
    if rate is None or not said_now:
        return
    # every figure of this year the document prints for the item (another sentence's, the tables'): last year's is
    # right if one of them agrees with it and the rate ("201.50" in the sentence, "208.8" before it and in the tables)
    picked = pick(rows, item, current_want)
    nows = [*said_now, *(r for r in (picked.table, *picked.stated) if r is not None and r["value_yuan"] is not None)]

    def derived_from(now: Row) -> Decimal:
        # (to the precision the amounts are printed in: a rate gives no more digits than they have)
        return Decimal((now["value_yuan"] / (1 + Decimal(rate["value"]) / 100) / WAN).quantize(Decimal("0.01")) * WAN)

    if any(abs(derived_from(now) - prior_row["value_yuan"]) <= abs(prior_row["value_yuan"]) / 100 for now in nows):
        return  # one of this year's figures the sentence states agrees with last year's and the rate
    now = said_now[0]
    derived = derived_from(now)
    reply.computed(
        f"{item_name(item)}（{want.ref_year}年，按本年 {now['printed']} 和写的 {rate['printed']} 推算）",
        derived / WAN,
        "万元",
        "prior",
        reply.values[at].source,
    )
    reply.conflicts.append((at, len(reply.values) - 1))
    reply.notes.append(
        f"注意：同一句写的上年数 {shown(prior_row)} 与本年 {shown(now)} 和增幅 {rate['printed']} 对不上："
        f"按后两者，上年应为 {plain(derived / WAN)} 万元（推算）。"
    )


def previous_document(ctx: Context, doc: DocumentInfo) -> DocumentInfo | None:
    if doc.year is None:
        return None
    return next(
        (
            d
            for d in ctx.known.values()
            if d.body == doc.body and d.year == doc.year - 1 and d.phase == doc.phase and d.edition == doc.edition
        ),
        None,
    )


# ---- one document: computed answers --------------------------------------------------------------


def share(ctx: Context) -> Answer:
    doc = ctx.docs[0]
    frame = ctx.frame
    reply = Reply(ctx)
    items = list(frame.items)
    base = frame.base or (items.pop() if len(items) > 1 else _whole_of(ctx, items[0]))
    whole_want = want_for(ctx, doc, base)
    whole = pick(ctx.rows_of(doc), base, whole_want)
    whole_row = whole.best
    for item in items:
        want = want_for(ctx, doc, item)
        part = pick(ctx.rows_of(doc), item, want)
        part_row = part.best
        if (
            part_row is not None
            and whole_row is not None
            and item.scope is None
            and whole_row["scope"] not in (None, "全部资金", part_row["scope"])
        ):
            # "交通运输支出占一般公共预算支出": the part in the whole's fund scope, not all funds over one fund
            narrowed = pick(ctx.rows_of(doc), item, replace(want, scope=whole_row["scope"])).best
            if narrowed is not None:
                part_row, want = narrowed, replace(want, scope=whole_row["scope"])
        name, whole_name = item_name(item, part_row), item_name(base, whole_row)
        if part_row is not None and whole_row is not None and part_row is whole_row:
            reply.notes.append(
                f"问题里的两个数都是{quoted(name)}（{shown(part_row)}），算不出有意义的比例；"
                "比例的分母须是文档印出的另一个数。"
            )
            continue
        said = [r for r in stated(ctx.rows_of(doc), item, want, "占比") if _base_fits(r["base"], base, whole_name)]
        if part_row is None or whole_row is None or not whole_row["value_yuan"] or part_row["value_yuan"] is None:
            for row in said[:1]:
                reply.figure(f"{name}占{whole_name}（情况说明）", row, "share")
            if not said:
                lacking = name if part_row is None else whole_name
                reply.notes.append(
                    f"该文档没有同时印出{quoted(name)}和{quoted(whole_name)}的数字，算不出比例（缺{quoted(lacking)}）。"
                )
            continue
        value = percent(part_row["value_yuan"], whole_row["value_yuan"])
        if value > 100 and re.search(r"里面|里|其中|当中|之中", ctx.frame.question):
            # "社工服务项目628万，里面一般公共预算拨款占多少": a "part" larger than what it is said to be in is not
            # that part (here: the whole department's 一般公共预算拨款), so no share is computed
            reply.notes.append(
                f"{quoted(name)}（{shown(part_row)}）比{quoted(whole_name)}（{shown(whole_row)}）还大，"
                f"不是它里面的部分：文档没有印出{quoted(whole_name)}里的{quoted(name)}，没有计算比例。"
            )
            continue
        reply.figure(
            labelled(name, qualifiers(part_row, want, doc, want.scope)), part_row, role_of_value(part_row, doc)
        )
        reply.figure(
            labelled(whole_name, qualifiers(whole_row, whole_want, doc, whole_want.scope)),
            whole_row,
            role_of_value(whole_row, doc),
        )
        reply.values.insert(
            len(reply.values) - 2,
            Value(f"{name}占{whole_name}", value, "%", source=reply.values[-2].source, role="share"),
        )
        reply.notes.append(f"比例 = {name} {shown(part_row)} ÷ {whole_name} {shown(whole_row)} × 100% = {value}%。")
        printed_elsewhere = [
            r["value_yuan"]
            for r in candidates(ctx.rows_of(doc), item, replace(want, scope=None), AMOUNT_MEASURES)
            if r["source"] == "table" and r["value_yuan"] is not None
        ]
        _share_as_narrated(reply, doc, part, whole, (name, whole_name), value, printed_elsewhere)
        for row in said[:1]:
            reply.figure(f"{name}占{whole_name}（情况说明）", row, "share")
            if abs(Decimal(row["value"]) - value) > Decimal(1).scaleb(-decimals(row["printed"])) / 2 + Decimal("0.005"):
                reply.notes.append(f"注意：情况说明写作 {row['printed']}，与由表中数字算出的 {value}% 不同。")
    names = "、".join(item_name(i) for i in items)
    return reply.answer(f"{doc.label}：{names}占{item_name(base)}的比例")


def _share_as_narrated(
    reply: Reply,
    doc: DocumentInfo,
    part: Picked,
    whole: Picked,
    names: tuple[str, str],
    value: Decimal,
    printed_elsewhere: list[Decimal],
) -> None:
    """The part printed with another figure in the narrative than in its table ("临聘人员经费" 16.56 in the
    tables, 15.56 in the narrative): the share computed with that figure too (over the narrative's own whole
    where it states one alike), both shown as a conflict, so that no reader takes one of them alone. Not when a
    table prints the narrative's figure in another fund scope ("信访业务724.5万元" is the 财政拨款 figure)."""
    table, text = part.best, part.text
    if (
        table is None
        or text is None
        or text is table
        or text["value_yuan"] is None
        or table["value_yuan"] is None
        or within_rounding(table["value_yuan"], text["value_yuan"], text["printed"], text["unit"])
        or any(within_rounding(v, text["value_yuan"], text["printed"], text["unit"]) for v in printed_elsewhere)
    ):
        return
    whole_row = whole.best
    said_whole = whole.text
    if (
        said_whole is not None
        and whole_row is not None
        and said_whole["value_yuan"] is not None
        and whole_row["value_yuan"] is not None
        and within_rounding(
            whole_row["value_yuan"], said_whole["value_yuan"], said_whole["printed"], said_whole["unit"]
        )
    ):
        whole_row = said_whole  # the narrative's own whole, to its own precision
    if whole_row is None or not whole_row["value_yuan"]:
        return
    name, whole_name = names
    other = percent(text["value_yuan"], whole_row["value_yuan"])
    table_at = next((n for n, v in enumerate(reply.values) if v.printed == number_part(table["printed"])), None)
    reply.figure(labelled(name, ["情况说明"]), text, role_of_value(text, doc))
    reply.values.append(
        Value(f"{name}占{whole_name}（按情况说明的数）", other, "%", source=reply.values[-1].source, role="share")
    )
    reply.notes.append(
        f"注意：情况说明第{text['page']}页写的{name}为 {shown(text)}，与表格的 {shown(table)} 不同；"
        f"按它算，比例为 {other}%（按表格为 {value}%）。"
    )
    if table_at is not None:
        reply.conflicts.append((table_at, len(reply.values) - 2))


def _whole_of(ctx: Context, item: ItemRef) -> ItemRef:
    """What a share is of when the question does not say: the concept the item is a part of
    (公务接待费 of the “三公”经费, 人员经费 of 基本支出), else 支出总计."""
    parent = next((c.name for c in ctx.glossary.concepts if item.concept and item.concept in c.parts), SHARE_OF)
    return ItemRef(parent, 0, 0, concept=parent)


def _base_fits(said: str, base: ItemRef, whole_name: str) -> bool:
    """Whether the narrative's "占X" is of the base asked about."""
    if not said:
        return base.concept == SHARE_OF
    key = said.replace("“", "").replace("”", "").replace("的", "")
    name = whole_name.replace("“", "").replace("”", "")
    return key in name or name in key or base.words in key or (base.concept == SHARE_OF and "支出" in key)


def change(ctx: Context) -> Answer:
    """How an item changed on last year: the change and rate the narrative states, and the ones the
    printed figures give (last year's column, or last year's own document); the asked-for change
    first, the amounts it rests on after."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    against_budget = doc.phase == "决算" and ctx.frame.role in ("预算", "年初预算", "调整预算")
    for item in ctx.frame.items:
        if against_budget:
            final_against_budget(ctx, reply, doc, item)
            continue
        _item_change(ctx, reply, doc, item)
    names = "、".join(item_name(i) for i in ctx.frame.items)
    answer = reply.answer(f"{doc.label}：{names}{'决算比预算' if against_budget else '比上年'}增减")
    if not any(v.role in ("change", "rate") for v in answer.values) and answer.status == "answered":
        return replace(answer, status="no_data")
    return answer


def _item_change(ctx: Context, reply: Reply, doc: DocumentInfo, item: ItemRef) -> None:
    # "比2022年执行数减少了百分之几": 执行 names what this year's figure is compared with
    own_role = ("决算" if doc.phase == "决算" else "预算") if ctx.frame.role == "执行" else None
    want = want_for(ctx, doc, item, prior=False, role=own_role)
    rows = ctx.rows_of(doc)
    picked_now = pick(rows, item, want)
    current = picked_now.best
    year_before = (doc.year - 1) if doc.year else None
    prior = pick(rows, item, replace(want, ref_year=year_before, role=ctx.frame.role or want.role)).best
    if prior is None and ctx.frame.role is None and doc.phase == "预算":
        # a budget often gives last year only as executed ("2023年当年预算执行数为33.74万元"): that, so labelled
        prior = pick(rows, item, replace(want, ref_year=year_before, role="执行")).best
    scoped = in_fund_of(rows, item, want, prior, current)
    if scoped is not None and prior is not None and current is not None:
        reply.notes.append(f"上年数是{prior['scope']}口径，本年数也取{prior['scope']}口径（{where(scoped)}）。")
        current, want = scoped, replace(want, scope=prior["scope"])
    prior_note = ""
    earlier = previous_document(ctx, doc)
    if prior is None and earlier is not None:
        prior = pick(ctx.rows_of(earlier), item, want_for(ctx, earlier, item, prior=False)).best
        prior_note = f"（{earlier.year}年文档）"
    name = item_name(item, current)
    amounts = stated(rows, item, want, "增减额")
    rates = stated(rows, item, want, "增减率")
    kin = _said_under_a_longer_name(rows, item, current, doc) if not (amounts or rates or prior) else None
    if kin is not None:
        # "机关事业单位职业年金缴费支出（项）220.63万元…2022年执行数132.59万元…增长60.54%" for the 职业年金缴费 asked
        amounts, rates = stated(rows, kin, want, "增减额"), stated(rows, kin, want, "增减率")
        prior = pick(rows, kin, replace(want, ref_year=year_before, role=ctx.frame.role or want.role)).best
        if current is not None and (amounts or rates or prior is not None):
            reply.notes.append(
                f"情况说明以{quoted(kin.names[0])}写了同一笔钱（本年 {shown(current)}，与表格一致），"
                "以下上年数和增减按它。"
            )
    for row in amounts[:1]:
        word = "持平" if row["value"] == 0 else ("增加" if row["value"] > 0 else "减少")
        reply.figure(f"{name}比上年{word}（{_said_where(row)}）", row, "change")
    for row in rates[:1]:
        word = "增长" if row["value"] >= 0 else "下降"
        reply.figure(f"{name}比上年{word}（{_said_where(row)}）", row, "rate")
    context: list[tuple[str, Row, str]] = []
    if current is not None:
        context.append(
            (labelled(name, qualifiers(current, want, doc, want.scope)), current, role_of_value(current, doc))
        )
    have = current is not None and current["value_yuan"] is not None
    if prior is not None and have and prior["value_yuan"] is not None:
        assert current is not None
        difference = current["value_yuan"] - prior["value_yuan"]
        reply.computed(
            f"{name}比上年增减（计算）",
            difference / WAN,
            "万元",
            "change",
            reply.source(doc, current["place"], current["page"]),
        )
        reply.notes.append(f"增减额 = {wan(current)} − {wan(prior)}{prior_note} = {plain(difference / WAN)} 万元。")
        if prior["value_yuan"]:
            rate = percent(difference, prior["value_yuan"])
            reply.computed(f"{name}比上年增长率（计算）", rate, "%", "rate", reply.values[-1].source)
            reply.notes.append(f"增长率 = {plain(difference / WAN)} ÷ {wan(prior)} × 100% = {rate}%。")
            for row in rates[:1]:
                if abs(rate - Decimal(row["value"])) > Decimal(1).scaleb(-decimals(row["printed"])) / 2 + Decimal(
                    "0.006"
                ):
                    reply.notes.append(f"注意：情况说明写的增长率 {row['printed']} 与两个数算出的 {rate}% 不同。")
        for row in amounts[:1]:
            if row["value_yuan"] is not None and not within_rounding(
                row["value_yuan"], difference, row["printed"], row["unit"]
            ):
                reply.notes.append(
                    f"注意：情况说明写的增减额 {row['printed']} 与两个数之差 {plain(difference / WAN)} 万元不一致。"
                )
        _change_as_narrated(reply, doc, name, current, prior, picked_now.stated)
        context.append((labelled(name, qualifiers(prior, want, doc, want.scope)) + prior_note, prior, "prior"))
    elif amounts and have and amounts[0]["value_yuan"] is not None:
        # Last year's figure is this year's less the stated change; the rate follows from both.
        assert current is not None
        prior_yuan = current["value_yuan"] - amounts[0]["value_yuan"]
        source = reply.values[0].source
        reply.computed(f"{name}（{year_before}年，推算）", prior_yuan / WAN, "万元", "prior", source)
        reply.notes.append(
            f"上年 = 本年 {wan(current)} − 增减 {plain(amounts[0]['value_yuan'] / WAN)} = "
            f"{plain(prior_yuan / WAN)} 万元（推算）。"
        )
        if prior_yuan:
            rate = percent(amounts[0]["value_yuan"], prior_yuan)
            if not rates:
                reply.computed(f"{name}比上年增长率（推算）", rate, "%", "rate", source)
                reply.notes.append(
                    f"增长率 = {plain(amounts[0]['value_yuan'] / WAN)} ÷ {plain(prior_yuan / WAN)} × 100% = {rate}%。"
                )
            elif abs(rate - Decimal(rates[0]["value"])) > Decimal(1).scaleb(
                -decimals(rates[0]["printed"])
            ) / 2 + Decimal("0.006"):
                reply.notes.append(
                    f"注意：按情况说明的增减额推算，增长率应为 {rate}%（上年 {plain(prior_yuan / WAN)} 万元），"
                    f"与写的 {rates[0]['printed']} 不同。"
                )
    for label, row, role in context:
        reply.figure(label, row, role)
    if not amounts and not rates and prior is None:
        if current is None:
            reply.notes.append(missing(ctx, doc, item, want, reply))
        else:
            reply.notes.append(f"该文档没有印出{quoted(name)}的上年数，情况说明也没有写它比上年增减多少。")


def _said_under_a_longer_name(
    rows: Sequence[Row], item: ItemRef, current: Row | None, doc: DocumentInfo
) -> ItemRef | None:
    """The narrative's row under a longer name holding the one asked, that states this year's amount alike: the same
    money named by its 项 ("机关事业单位职业年金缴费支出" for 职业年金缴费); one such name, else none."""
    if current is None or current["value_yuan"] is None or item.concept or not item.names:
        return None
    longer = {
        r["item"]
        for r in rows
        if r["source"] == "text"
        and r["measure"] == "金额"
        and r["ref_year"] == doc.year
        and r["value_yuan"] is not None
        and any(len(n) >= 4 and n in r["item"] and n != r["item"] for n in item.names)
        and within_rounding(current["value_yuan"], r["value_yuan"], r["printed"], r["unit"])
    }
    return ItemRef(item.words, item.start, item.end, names=(longer.pop(),)) if len(longer) == 1 else None


def _narrated_under_a_longer_name(rows: Sequence[Row], item: ItemRef, table: Row) -> Row | None:
    """The narrative's figure for the money asked, stated under a longer name that holds the one asked: the tables
    print that longer name with the same amount ("机关事业单位职业年金缴费支出" 2080506 873,617.00 beside 30109
    职业年金缴费 873,617.00), so the narrative's "机关事业单位职业年金缴费支出887.36万元" is of the same money. One
    such name, else none."""
    if item.concept or not item.names or table["value_yuan"] is None:
        return None

    def longer(row: Row) -> bool:
        return any(len(n) >= 4 and n in row["item"] and n != row["item"] for n in item.names)

    def alike(row: Row) -> bool:
        return bool(row["measure"] == "金额" and row["role"] == table["role"] and row["ref_year"] == table["ref_year"])

    same_money = {
        r["item"]
        for r in rows
        if r["source"] == "table" and longer(r) and alike(r) and r["value_yuan"] == table["value_yuan"]
    }
    said = [
        r
        for r in rows
        if r["source"] == "text" and r["item"] in same_money and alike(r) and r["value_yuan"] is not None
    ]
    return said[0] if len({r["item"] for r in said}) == 1 else None


def _change_as_narrated(
    reply: Reply, doc: DocumentInfo, name: str, current: Row, prior: Row, said: tuple[Row, ...]
) -> None:
    """This year's figure the narrative states otherwise than the one the change was computed from ("2026年预算安排
    201.50万元" beside the tables' 2,087,959 元): the change and rate computed with it too, shown as a conflict."""
    computed_at = next((n for n, v in enumerate(reply.values) if v.role == "change" and v.printed is None), None)
    shown_values: list[Decimal] = [current["value_yuan"]]
    for text in said:
        value = text["value_yuan"]
        if value is None or any(within_rounding(v, value, text["printed"], text["unit"]) for v in shown_values):
            continue
        shown_values.append(value)
        difference = value - prior["value_yuan"]
        source = reply.source(doc, "情况说明", text["page"])
        by = f"按情况说明的 {text['printed']} 计算"
        reply.computed(f"{name}比上年增减（{by}）", difference / WAN, "万元", "change", source)
        if computed_at is not None:
            reply.conflicts.append((computed_at, len(reply.values) - 1))
        note = f"注意：情况说明第{text['page']}页还把本年数写作 {shown(text)}，按它算增减额为 {plain(difference / WAN)}"
        note += " 万元"
        if prior["value_yuan"]:
            rate = percent(difference, prior["value_yuan"])
            reply.computed(f"{name}比上年增长率（{by}）", rate, "%", "rate", source)
            note += f"，增长率 {rate}%"
        reply.notes.append(note + "。")


def final_against_budget(ctx: Context, reply: Reply, doc: DocumentInfo, item: ItemRef) -> None:
    """决算 against 预算 in a final account: both figures and the difference."""
    rows = ctx.rows_of(doc)
    final = pick(rows, item, want_for(ctx, doc, item, prior=False, role="决算"))
    budget = pick(rows, item, want_for(ctx, doc, item, prior=False, role=ctx.frame.role))
    done = final.best
    plan = budget.best
    name = item_name(item, done or plan)
    for row, role in ((plan, "budget"), (done, "final")):
        if row is not None:
            reply.figure(
                labelled(name, qualifiers(row, Want(row["role"], row["ref_year"], None, None, False), doc, None)),
                row,
                role,
            )
    if done is None or plan is None or done["value_yuan"] is None or plan["value_yuan"] is None:
        reply.notes.append(f"该文档没有同时印出{quoted(name)}的决算数和预算数。")
        return
    difference = done["value_yuan"] - plan["value_yuan"]
    reply.computed(f"{name}决算比预算增减（计算）", difference / WAN, "万元", "change", reply.values[-1].source)
    reply.values.insert(len(reply.values) - 3, reply.values.pop())  # the difference asked for, before its two figures
    reply.notes.append(f"决算 − 预算 = {wan(done)} − {wan(plan)} = {plain(difference / WAN)} 万元。")


def execution(ctx: Context) -> Answer:
    doc = ctx.docs[0]
    reply = Reply(ctx)
    if doc.phase != "决算":
        # A budget states at most how last year's budget was carried out ("2022年当年预算执行数为…").
        for item in ctx.frame.items:
            picked = pick(ctx.rows_of(doc), item, want_for(ctx, doc, item, prior=True, role="执行"))
            row = picked.best
            if row is not None:
                reply.figure(
                    labelled(
                        item_name(item, row),
                        qualifiers(row, Want("执行", row["ref_year"], None, None, False), doc, None),
                    ),
                    row,
                    "prior",
                )
        if not reply.values:
            reply.notes.append(f"这是{doc.year or ''}年预算文档，只有预算数；执行情况见该年度的决算文档。")
            return reply.answer(f"{doc.label}：预算执行情况", "no_data")
        if asks_this_year(ctx, doc):
            # "今年预算多少？2025年实际执行了多少": this year's budget beside last year's execution
            for item in ctx.frame.items:
                show_item(ctx, reply, doc, item, own_year_want(ctx, doc, item))
            names = "、".join(item_name(i) for i in ctx.frame.items)
            return reply.answer(f"{doc.label}：{names}本年预算和上年预算执行数")
        return reply.answer(f"{doc.label}：{'、'.join(item_name(i) for i in ctx.frame.items)}上年预算执行数")
    question = ctx.frame.question
    # the budget figures the question names ("年初预算和全年预算分别是多少"), in its order; else the one printed
    named = sorted(
        (m.start(), role) for role, m in ((r, _BUDGET_WORDS[r].search(question)) for r in _BUDGET_WORDS) if m
    )
    asked_roles = [role for _, role in named]
    rate_asked = re.search(r"完成|执行率|百分之|比例|几成", question) is not None
    answered = False
    for item in ctx.frame.items:
        rows = ctx.rows_of(doc)
        first = len(reply.values)
        plans: list[Row] = []
        for role in asked_roles or ["年初预算", "调整预算"]:
            budget_row = pick(rows, item, want_for(ctx, doc, item, prior=False, role=role)).best
            if budget_row is not None and (asked_roles or not plans):
                plans.append(budget_row)
            elif budget_row is None and asked_roles:
                reply.notes.append(f"该文档没有印出{quoted(item_name(item))}的{ROLE_NAMES[role]}。")
        done = pick(rows, item, want_for(ctx, doc, item, prior=False, role="决算")).best
        printed_done = done
        if plans and plans[-1]["source"] == "text":
            # "全年预算为52.00万元，支出决算为51.32万元": both figures from one sentence, printed alike
            beside = [
                r
                for r in stated(rows, item, want_for(ctx, doc, item, prior=False, role="决算"), "金额")
                if r["sentence"] == plans[-1]["sentence"] and r["role"] == "决算"
            ]
            done = beside[0] if beside else done
        name = item_name(item, done or (plans[0] if plans else None))
        table_done = printed_done if printed_done is not done and printed_done is not None else None
        for row, kind in [*((p, "budget") for p in plans), (done, "final"), (table_done, "final")]:
            if row is not None:
                reply.figure(
                    labelled(name, qualifiers(row, Want(row["role"], row["ref_year"], None, None, False), doc, None)),
                    row,
                    kind,
                )
        if table_done is not None and done is not None and done["source"] == "text":
            reply.notes.append(compare_text(table_done, done))
        rates = stated(rows, item, want_for(ctx, doc, item, prior=False, role="决算"), "完成率")
        plan = plans[-1] if plans else None  # the rate is of the last budget the question names
        if plan is not None and done is not None and plan["value_yuan"] and done["value_yuan"] is not None:
            rate = percent(done["value_yuan"], plan["value_yuan"])
            reply.computed(
                f"{name}完成{ROLE_NAMES[plan['role']]}的比例（计算）",
                rate,
                "%",
                "execution",
                reply.source(doc, done["place"], done["page"]),
            )
            if rate_asked:
                reply.values.insert(first, reply.values.pop())  # the rate asked for, before its figures
            reply.notes.append(
                f"完成率 = 决算数 {shown(done)} ÷ {ROLE_NAMES[plan['role']]} {shown(plan)} × 100% = {rate}%。"
            )
        elif plan is not None and plan["value_yuan"] == 0:
            reply.notes.append(f"{quoted(name)}的{ROLE_NAMES[plan['role']]}为 0，算不出完成预算的比例。")
        if (
            plan is not None
            and done is not None
            and plan["value_yuan"] is not None
            and done["value_yuan"] is not None
            and re.search(r"少|多|差|节约|超支|结余", question)
        ):
            # "决算比年初预算少了多少": the difference asked for, first
            gap = (done["value_yuan"] - plan["value_yuan"]) / WAN
            label = f"{name}决算比{ROLE_NAMES[plan['role']]}增减（计算）"
            reply.computed(label, gap, "万元", "change", reply.source(doc, done["place"], done["page"]))
            reply.values.insert(first, reply.values.pop())
            reply.notes.append(f"决算 − {ROLE_NAMES[plan['role']]} = {wan(done)} − {wan(plan)} = {plain(gap)} 万元。")
        for row in rates[:1]:
            reply.figure(f"{name}完成预算的比例（情况说明）", row, "execution")
            if rate_asked and plan is None:
                reply.values.insert(first, reply.values.pop())
            computed = next(
                (v.value for v in reply.values[first:] if v.role == "execution" and v.printed is None), None
            )
            tolerance = Decimal(1).scaleb(-decimals(row["printed"])) / 2 + Decimal("0.006")
            if computed is not None and abs(computed - Decimal(row["value"])) > tolerance:
                reply.notes.append(f"注意：情况说明写的完成率 {row['printed']} 与两个数算出的 {computed}% 不同。")
        if not plans and done is None and not rates:
            reply.notes.append(missing(ctx, doc, item, want_for(ctx, doc, item), reply))
        elif not plans and not rates:
            reply.notes.append(f"该文档没有印出{quoted(name)}的预算数，算不出完成预算的比例。")
        answered = answered or bool(plans or rates)
    names = "、".join(item_name(i) for i in ctx.frame.items)
    # the 决算 alone answers none of this: shown for reference, the question is refused
    return reply.answer(f"{doc.label}：{names}预算执行情况", None if answered else "no_data")


_BUDGET_WORDS = {
    "年初预算": re.compile(r"年初预算|年初数"),
    "调整预算": re.compile(r"全年预算|调整后?预算"),
}


def total_of(ctx: Context) -> Answer:
    """Several items and their sum."""
    doc = ctx.docs[0]
    reply = Reply(ctx)
    found: list[Row] = []
    for item in ctx.frame.items:
        picked = show_item(ctx, reply, doc, item, want_for(ctx, doc, item), text_too=False)
        row = picked.best
        if picked.table is None and picked.text is not None:
            reply.figure(labelled(item_name(item), ["情况说明"]), picked.text, role_of_value(picked.text, doc))
        if row is not None and row["value_yuan"] is not None:
            found.append(row)
    names = [item_name(i) for i in ctx.frame.items]
    overlap = one_word_twice(ctx.frame.items) or overlapping(found)
    if overlap:
        reply.notes.append(f"没有计算合计：{overlap}")
    elif len(found) == 1 and len(ctx.frame.items) == 1:
        pass  # one item ("会展局今年预算总共多少"): its own total, nothing to add up
    elif len(found) == len(ctx.frame.items) and found:
        total = sum((r["value_yuan"] for r in found), Decimal(0))
        unit = found[0]["unit"] if len({r["unit"] for r in found}) == 1 else "万元"
        shown_total = total / UNIT_SCALE.get(unit or "万元", WAN)
        reply.computed("合计（计算）", shown_total, unit or "万元", "sum", 0)
        terms = " + ".join(number_part(r["printed"]) for r in found)
        reply.notes.insert(0, f"合计 = {terms} = {plain(shown_total)} {unit}。")
    else:
        reply.notes.append("缺少其中某项的数字，没有计算合计。")
    return reply.answer(f"{doc.label}：{'、'.join(names)}")


def one_word_twice(items: Sequence[ItemRef]) -> str:
    """One word of the question read as two printed rows ("职业年金": 2080506 机关事业单位职业年金缴费支出 and 30109
    职业年金缴费, the same money by function and by economic class): adding them would count it twice."""
    seen: set[tuple[int, str]] = set()
    for item in items:
        key = (item.start, item.words)
        if key in seen:
            return f"问题中的“{item.words}”对应文档中的不止一行（可能是同一笔钱的不同分类），相加会重复计算。"
        seen.add(key)
    return ""


def overlapping(rows: list[Row]) -> str:
    """Why these rows may not be added up, if they hold the same money twice: a 科目 and one below it."""
    codes = [str(r["code"]) for r in rows if r["code"]]
    if any(a != b and b.startswith(a) for a in codes for b in codes):
        return "其中一项是另一项的上级科目，相加会重复计算。"
    return ""


def breakdown(ctx: Context) -> Answer:
    doc = ctx.docs[0]
    reply = Reply(ctx)
    item = ctx.frame.items[0]
    concept = next((c for c in ctx.glossary.concepts if c.name == item.concept), None)
    picked = show_item(ctx, reply, doc, item, want_for(ctx, doc, item), text_too=False)
    total = picked.table
    parts = concept.parts if concept else ()
    printed: list[Row] = []
    totals = [picked.text] if picked.text is not None else []
    totals += [r for r in ctx.rows_of(doc) if r["source"] == "text" and is_of(r, item) and r not in totals]
    for total_row in totals if not parts else []:
        # no declared parts: those a total's own sentence lists after it, in its measure
        listed = sorted(
            (
                r
                for r in ctx.rows_of(doc)
                if r["source"] == "text"
                and r["sentence"] == total_row["sentence"]
                and r["page"] == total_row["page"]
                and r["col_no"] > total_row["col_no"]
                and r["measure"] == total_row["measure"]
                and r["unit"] == total_row["unit"]
                and not is_of(r, item)
            ),
            key=lambda r: r["col_no"],
        )
        if not listed:
            continue
        if not reply.values:
            reply.figure(f"{item_name(item)}（情况说明）", total_row, role_of_value(total_row, doc))
        for part_row in listed:
            reply.figure(f"其中：{part_row['item']}（情况说明）", part_row, role_of_value(part_row, doc))
        answer = reply.answer(f"{doc.label}：{item_name(item)}的构成")
        return replace(answer, notes=(*answer.notes, "各部分按情况说明同一句中列出的顺序给出。"))
    for part in parts:
        ref = ItemRef(part, 0, 0, concept=part)
        got = pick(ctx.rows_of(doc), ref, want_for(ctx, doc, ref))
        row = got.table if got.table is not None else got.text
        if row is None:
            reply.notes.append(f"表中没有找到：{part}。")
            continue
        reply.figure(
            f"其中：{part}" + ("（情况说明）" if row["source"] == "text" else ""), row, role_of_value(row, doc)
        )
        if reply.values and reply.values[0].label == item_name(item):
            reply.values[0] = replace(reply.values[0], label=f"{item_name(item)}（合计）")
        printed.append(row)
    if not parts:
        reply.notes.append(f"{quoted(item_name(item))}没有规定的构成项目；可以问它在哪些表里，或列出它所在的表。")
    elif total is not None and total["value_yuan"] is not None and len(printed) == len(parts):
        if all(r["value_yuan"] is not None for r in printed):
            parts_sum = sum((r["value_yuan"] for r in printed), Decimal(0))
            if parts_sum == total["value_yuan"]:
                reply.notes.append(f"各部分之和 {plain(parts_sum / WAN)} 万元，与合计一致。")
            else:
                reply.notes.append(
                    f"各部分之和为 {plain(parts_sum / WAN)} 万元，表中合计为 {shown(total)}，"
                    "两者不同（口径或取数可能不同，请以原表为准）。"
                )
        else:
            reply.notes.append("表中这些栏有空白（未填数，不等于 0）。")
    answer = reply.answer(f"{doc.label}：{item_name(item)}的构成")
    if parts and len(printed) == 0:
        return replace(answer, status="no_data")
    return answer


def _near(row: Row, amount: Decimal) -> bool:
    """Whether a printed amount is the one quoted, at the precision the question quotes it."""
    if row["value_yuan"] is None:
        return False
    return abs(Decimal(row["value_yuan"]) - amount) <= max(abs(amount) * Decimal("0.005"), Decimal("0.5"))


def occurrences(ctx: Context) -> Answer:
    doc = ctx.docs[0]
    reply = Reply(ctx)
    item = ctx.frame.items[0]
    measures = COUNT_MEASURES if item.measure == "count" else AMOUNT_MEASURES
    # every printed place: the concept's rows and the classification rows of its name (30217 公务接待费 beside
    # the “三公” table's), and the narrative's statements of it this year; of the amount the asker quotes
    # ("会议费1094.62万是哪张表的数"), when the document prints it
    rows = [r for r in ctx.rows_of(doc) if r["measure"] in measures and is_of(r, item, by_name=True)]
    quoted_rows = [r for r in rows if any(_near(r, amount) for amount in ctx.frame.stated)]
    if quoted_rows:
        rows = quoted_rows
    elif ctx.frame.stated:
        shown_amounts = "、".join(plain(a / WAN) + " 万元" for a in ctx.frame.stated)
        reply.notes.append(f"问题中的数（{shown_amounts}）文档没有印在“{item_name(item)}”上；下面是它印出的每一处。")
    for row in sorted(rows, key=lambda r: (r["source"] != "table", r["page"])):
        if row["source"] == "text":
            if row["ref_year"] not in (None, doc.year):
                continue
            reply.figure(f"情况说明：{row['name']}", row, role_of_value(row, doc))
            continue
        label = "｜".join(part for part in (row["row_name"], row["column_name"]) if part)
        reply.figure(label or row["name"], row, role_of_value(row, doc))
    if not reply.values:
        reply.notes.append(missing(ctx, doc, item, want_for(ctx, doc, item), reply))
    return reply.answer(f"{doc.label}：{item_name(item)}出现在哪些表")


# ---- several documents ---------------------------------------------------------------------------


def _per_document(ctx: Context) -> list[tuple[DocumentInfo, Row | None]]:
    item = ctx.frame.items[0]
    # a series over a 决算 and a 预算 (“24年实际花了多少，25年预算安排多少”): each document's own figure, whatever
    # role word the question wrote for one of its years
    mixed = len({d.phase for d in ctx.docs}) > 1
    out = []
    for doc in ctx.docs:
        own = ("决算" if doc.phase == "决算" else "预算") if mixed else None
        picked = pick(ctx.rows_of(doc), item, want_for(ctx, doc, item, prior=False, role=own))
        row = picked.best
        out.append((doc, row if row is not None else picked.table))
    return out


def size(row: Row) -> Decimal:
    """What is compared across documents: the amount in 元, or the count as printed."""
    return Decimal(row["value_yuan"] if row["value_yuan"] is not None else row["value"])


def _in_unit(counted: list[tuple[DocumentInfo, Row]], value: Decimal) -> tuple[Decimal, str]:
    """A sum or difference of `size`s, in the unit it is shown in (万元 for money, else the count's)."""
    first = counted[0][1]
    return (value / WAN, "万元") if first["value_yuan"] is not None else (value, first["unit"] or "")


def amount_text(row: Row) -> str:
    if row["value_yuan"] is not None:
        return f"{wan(row)} 万元"
    return f"{number_part(row['printed']) or row['value']} {row['unit'] or ''}".strip()


def _across(
    ctx: Context, order: str | None = None, limit: int | None = None, ranked: bool = True
) -> tuple[Reply, list[tuple[DocumentInfo, Row]]]:
    reply = Reply(ctx)
    by_years = ctx.template.scope == "years"
    found = _per_document(ctx)
    counted = [(d, r) for d, r in found if r is not None and r["value"] is not None]
    if counted and any((r["value_yuan"] is None) != (counted[0][1]["value_yuan"] is None) for _, r in counted):
        # money in one document and a count in another cannot be ranked or added together
        counted = [(d, r) for d, r in counted if r["value_yuan"] is not None]
    if order is not None:
        counted.sort(key=lambda pair: (size(pair[1]), pair[0].body), reverse=order == "desc")
        if order == "desc":
            counted.sort(key=lambda pair: -size(pair[1]))
    shown_rows = counted[:limit] if limit else counted
    if by_years and order is None:
        # a year whose table prints the row blank is shown as blank in the series (a gap in its chart)
        blank = [(d, r) for d, r in found if r is not None and r["value"] is None and r["source"] == "table"]
        shown_rows = sorted(counted + blank, key=lambda pair: pair[0].year or 0)
    # a series over a 决算 and a 预算 says each point's phase: the two are not the same kind of figure
    phases = len({d.phase for d, _ in shown_rows}) > 1
    for position, (doc, row) in enumerate(shown_rows, start=1):
        label = f"{doc.year}年" if by_years else (doc.label if ctx.template.scope == "all" else doc.body)
        if by_years and phases:
            label += f"（{doc.phase}）"
        if order is not None and ranked:
            label = f"第{position}名 {label}"
        reply.figure(label, row, role_of_value(row, doc))
    name = item_name(ctx.frame.items[0])
    for doc, missing_row in found:
        if missing_row is not None and missing_row["value"] is None and missing_row["source"] == "table":
            where = f"《{missing_row['place']}》第{missing_row['page']}页"
            reply.notes.append(f"{doc.label}：{where}{quoted(name)}为空白（未填数，不等于 0）。")
        elif missing_row is None or missing_row["value"] is None:
            reply.notes.append(f"{doc.label}：没有找到{quoted(name)}的数字。")
    return reply, counted


def _scope_words(ctx: Context) -> str:
    if ctx.template.scope == "years":
        return ctx.docs[0].body if ctx.docs else ""
    return "、".join(sorted({f"{d.year}年" for d in ctx.docs}))


def _headline(ctx: Context) -> str:
    return f"{_scope_words(ctx)}{item_name(ctx.frame.items[0])}：{ctx.template.title}"


def _status(counted: list[Any]) -> Status:
    return "answered" if counted else "no_data"


def _two_years(reply: Reply, ctx: Context, counted: list[tuple[DocumentInfo, Row]]) -> None:
    """The change and the growth rate between the first and the last year, with their formulas."""
    if len(counted) < 2:
        return
    (first_doc, first), (last_doc, last) = counted[0], counted[-1]
    if first_doc.phase != last_doc.phase:
        # A final account's outturn against a budget is not a change of the same figure: computed only when
        # the question names both phases ("2025年预算比2024年决算多多少"), and then said.
        mixed = f"{first_doc.year}年是{first_doc.phase}数、{last_doc.year}年是{last_doc.phase}数"
        if not all(phase in ctx.frame.question for phase in (first_doc.phase, last_doc.phase)):
            reply.notes.append(
                f"{mixed}，两者不是同一口径，不计算增减；可以问{last_doc.year}年{last_doc.phase}中印的上年数。"
            )
            return
        reply.notes.append(f"注意：{mixed}，下面按问题所问把两者相比。")
    years = f"{last_doc.year}年比{first_doc.year}年"
    difference, unit = _in_unit(counted, size(last) - size(first))
    reply.computed(f"{years}增减额", difference, unit, "change", reply.values[-1].source)
    reply.notes.append(f"增减额 = {amount_text(last)} − {amount_text(first)} = {plain(difference)} {unit}。")
    if size(first):
        rate = percent(size(last) - size(first), size(first))
        reply.computed(f"{years}增长率", rate, "%", "rate", reply.values[-1].source)
        reply.notes.append(
            f"增长率 =（{amount_text(last)} − {amount_text(first)}）÷ {amount_text(first)} × 100% = {rate}%。"
        )
    if size(first) and "ratio" in asked_operations(ctx.frame.question):
        # "增长了多少倍": the later year as a multiple of the earlier, and the growth as a multiple
        times = (size(last) / size(first)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        reply.computed(f"{last_doc.year}年是{first_doc.year}年的倍数", times, "倍", "ratio", reply.values[-1].source)
        reply.notes.append(
            f"倍数 = {amount_text(last)} ÷ {amount_text(first)} = {times} 倍（增长了 {plain(times - 1)} 倍）。"
        )


def by_year(ctx: Context) -> Answer:
    reply, counted = _across(ctx)
    counted.sort(key=lambda pair: pair[0].year or 0)
    _two_years(reply, ctx, counted)
    return reply.answer(_headline(ctx), _status(counted))


def change_years(ctx: Context) -> Answer:
    return by_year(ctx)


def growth_years(ctx: Context) -> Answer:
    return by_year(ctx)


def max_year(ctx: Context) -> Answer:
    least = re.search(r"最少|最低|最小", ctx.frame.question) is not None
    reply, counted = _across(ctx)
    if counted:
        ordered = sorted(counted, key=lambda pair: size(pair[1]))
        end = ordered[0] if least else ordered[-1]
        tied = [d.year for d, r in counted if size(r) == size(end[1])]
        word = "最少" if least else "最多"
        same = "（并列）" if len(tied) > 1 else ""
        reply.notes.insert(0, f"{word}的是{'、'.join(f'{y}年' for y in tied)}{same}：{amount_text(end[1])}。")
    return reply.answer(_headline(ctx), _status(counted))


def _ranked(ctx: Context, order: str) -> Answer:
    limit = ctx.frame.top
    reply, counted = _across(ctx, order, limit)
    # "哪家最多，哪家最少": both ends of the ranking, said first
    both = re.search(r"最多|最高|最大", ctx.frame.question) and re.search(r"最少|最低|最小", ctx.frame.question)
    ends = [(counted[0], order)] if counted else []
    if both and len(counted) > 1 and limit is None:
        ends.append((counted[-1], "desc" if order == "asc" else "asc"))
    said = []
    for (_, row), end_order in ends:
        tied = [d.body for d, r in counted if size(r) == size(row)]
        word = "最少" if end_order == "asc" else "最多"
        same = "（并列）" if len(tied) > 1 else ""
        said.append(f"{word}的是{'、'.join(tied)}{same}：{amount_text(row)}。")
    reply.notes[0:0] = said
    return reply.answer(_headline(ctx), _status(counted))


def rank_top(ctx: Context) -> Answer:
    return _ranked(ctx, "desc")


def rank_bottom(ctx: Context) -> Answer:
    return _ranked(ctx, "asc")


def _threshold(ctx: Context, above: bool) -> Answer:
    threshold = ctx.frame.threshold or Decimal(0)
    reply = Reply(ctx)
    found = _per_document(ctx)
    kept = [
        (d, r)
        for d, r in found
        if r is not None
        and r["value_yuan"] is not None
        and (r["value_yuan"] > threshold if above else r["value_yuan"] < threshold)
    ]
    kept.sort(key=lambda pair: -pair[1]["value_yuan"])
    for doc, row in kept:
        reply.figure(doc.body, row, role_of_value(row, doc))
    word = "超过" if above else "低于"
    reply.notes.append(f"{word} {plain(threshold / WAN)} 万元的共 {len(kept)} 个。")
    if not kept:
        reply.notes.append("比较了：" + "、".join(d.label for d in ctx.docs) + "。")
    return reply.answer(_headline(ctx), _status(kept))


def above(ctx: Context) -> Answer:
    return _threshold(ctx, True)


def below(ctx: Context) -> Answer:
    return _threshold(ctx, False)


def total(ctx: Context) -> Answer:
    reply, counted = _across(ctx)
    if counted:
        amount, unit = _in_unit(counted, sum((size(r) for _, r in counted), Decimal(0)))
        terms = " + ".join(plain(_in_unit(counted, size(r))[0]) for _, r in counted)
        reply.computed("合计", amount, unit, "sum", 0)
        reply.notes.insert(0, f"合计 = {terms} = {plain(amount)} {unit}（{len(counted)} 个单位）。")
    return reply.answer(_headline(ctx), _status(counted))


def average(ctx: Context) -> Answer:
    reply, counted = _across(ctx)
    if counted:
        amount, unit = _in_unit(counted, sum((size(r) for _, r in counted), Decimal(0)))
        mean = (amount / len(counted)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        reply.computed("平均", mean, unit, "average", 0)
        reply.notes.insert(0, f"平均 = {plain(amount)} {unit} ÷ {len(counted)} 个单位 = {mean} {unit}。")
    return reply.answer(_headline(ctx), _status(counted))


def all_documents(ctx: Context) -> Answer:
    reply, counted = _across(ctx)
    return reply.answer(_headline(ctx), _status(counted))


def compare(ctx: Context) -> Answer:
    reply, counted = _across(ctx, "desc", ranked=False)
    if len(counted) >= 2:
        (high_doc, high), (low_doc, low) = counted[0], counted[-1]
        gap, unit = _in_unit(counted, size(high) - size(low))
        reply.computed("相差", gap, unit, "difference", 0)
        reply.notes.insert(
            0, f"{high_doc.body}比{low_doc.body}多 {amount_text(high)} − {amount_text(low)} = {plain(gap)} {unit}。"
        )
    return reply.answer(_headline(ctx), _status(counted))


# ---- listings (tables, texts, documents) --------------------------------------------------------


def listing(ctx: Context) -> Answer:
    """Any template whose rows are figures (printed, amount, unit) or texts (text), one value per row."""
    reply = Reply(ctx)
    for row in ctx.rows:
        doc = ctx.doc(row.get("document_id"))
        page = row.get("page") or row.get("first_page") or 1
        place = row.get("place") or ("封面" if ctx.template.scope == "none" else "情况说明")
        source = reply.source(doc, str(place), int(page))
        label = str(row.get("label") if row.get("label") is not None else "")
        if "printed" in row:
            yuan = row.get("amount_yuan")
            reply.values.append(
                Value(
                    label=label,
                    value=row["amount"],
                    unit=row["unit"],
                    printed=number_part(row["printed"]) or None,
                    value_wan=(yuan / WAN) if yuan is not None else None,
                    source=source,
                    role="cell",
                )
            )
        else:
            reply.values.append(Value(label=label, text=_row_text(row), source=source, role="text"))
    if not ctx.rows and ctx.params.get("kind"):
        reply.notes.append(f"该文档中没有找到{TABLE_NAMES.get(ctx.params['kind'], '这张表')}（或表中没有这样的行）。")
    elif not ctx.rows:
        words = str(ctx.params.get("words") or "").replace("\\", "").replace("|", "”“")
        what = (
            ctx.params.get("term")
            or ctx.params.get("indicator")
            or (words if "[" not in words else "")
            or ctx.template.title
        )
        # the question's own words ("在编人员有多少人" for the 人员编制 template), so the asker sees what was sought
        aside = [s for s in ctx.frame.spans if s.kind in ("body", "year", "phase")]
        asked = "".join(
            ch for i, ch in enumerate(ctx.frame.question) if not any(s.start <= i < s.end for s in aside)
        ).strip("?？。，,")
        said = f"（问的是“{asked}”）" if asked and asked != what else ""
        reply.notes.append(f"{'该文档' if ctx.docs else '数据库'}中没有找到“{what}”{said}。")
    elif any("printed" in r for r in ctx.rows) and all(r["amount"] is None for r in ctx.rows):
        reply.notes.append("表中这些栏全部为空白（未填数，不等于 0）。")
    subject = ctx.docs[0].label if ctx.docs else "数据库"
    return reply.answer(f"{subject}：{ctx.template.title}")


def documents(ctx: Context) -> Answer:
    reply = Reply(ctx)
    by_id = {d.id: d for d in ctx.docs}
    for row in ctx.rows:
        doc = by_id[row["document_id"]]
        source = reply.source(doc, "封面", 1)
        reply.values.append(
            Value(label=doc.label, text=f"{row['pages']} 页；文件：{row['files']}", source=source, role="text")
        )
    headline = f"数据库中共有 {len(reply.values)} 份文档：" if reply.values else "数据库中还没有文档。"
    return reply.answer(headline)


def document_info(ctx: Context) -> Answer:
    doc = ctx.docs[0]
    row = ctx.rows[0]
    reply = Reply(ctx)
    source = reply.source(doc, "封面", 1)
    facts = [
        ("单位", row["body"]),
        ("年度", f"{row['year']}年" if row["year"] else "未印年度"),
        ("类型", f"{row['edition']}{row['phase']}"),
        ("页数", f"{row['pages']} 页"),
        ("标准表格", f"{row['tables']} 张"),
        ("文件", row["files"]),
    ]
    reply.values += [Value(label=label, text=str(text), source=source, role="text") for label, text in facts]
    return reply.answer(f"{doc.label}：文档基本情况")


def page_contents(ctx: Context) -> Answer:
    doc = ctx.docs[0]
    page = int(ctx.params["page"])
    reply = Reply(ctx)
    if not 1 <= page <= ctx.pages(doc.id):
        reply.notes.append(f"该文档只有 {ctx.pages(doc.id)} 页。")
        return reply.answer(f"{doc.label}：第{page}页", "no_data")
    if not ctx.rows:
        source = reply.source(doc, "情况说明", page)
        reply.values.append(
            Value(
                label=f"第{page}页",
                text="这一页没有标准表格（是封面、目录或情况说明的文字）。",
                source=source,
                role="text",
            )
        )
        return reply.answer(f"{doc.label}：第{page}页")
    return listing(ctx)


def _row_text(row: Row) -> str:
    if "first_page" in row:
        pages = f"第{row['first_page']}页" + (
            f"至第{row['last_page']}页" if row["last_page"] != row["first_page"] else ""
        )
        return f"{pages}，单位：{row['unit'] or '未标明'}" + ("，本表无数据" if row["is_empty"] else "")
    if "documents" in row and "bodies" in row:
        return f"{row['documents']} 份文档：{row['bodies']}"
    if "documents" in row:
        return f"{row['documents']} 份文档；年度：{row['years']}"
    return str(row.get("text", ""))
