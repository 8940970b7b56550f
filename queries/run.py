"""Answering: match a question, run its template on a read-only connection, build the Answer."""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
from rapidfuzz import fuzz, process

from ingest.tables import TABLE_KINDS
from queries.answer import Answer, Source, Status, Value, plain
from queries.catalogue import Template, load_catalogue
from queries.errors import DatabaseError
from queries.match import (
    DocumentInfo,
    Intent,
    Item,
    comparable,
    intent_of,
    item_named,
    load_glossary,
    normalize_question,
)
from queries.scope import select

WAN = Decimal(10_000)
TABLE_NAMES = {kind: name for kind, name, _ in TABLE_KINDS}
ANSWERS_KEPT = 4096  # most recent answers kept per database file
SHARE_OF = "支出总计"  # what a share is of when the question names one item only
Row = dict[str, Any]


@dataclass(frozen=True)
class _Snapshot:
    """One opened database file and what matching needs from it."""

    stamp: tuple[int, int]
    con: duckdb.DuckDBPyConnection
    documents: list[DocumentInfo]
    files: dict[str, list[tuple[int, str, int, str]]]  # document → (first_page, name, pages, path)
    labels: list[str]  # every row label of every document, for telling a row question from nonsense
    answers: OrderedDict[tuple[str, str | None], Answer] = field(default_factory=OrderedDict)


class Answerer:
    """Answers questions from one DuckDB file; reopens it when ingest has switched in a new one."""

    def __init__(self, database: Path, answers_kept: int = ANSWERS_KEPT) -> None:
        self.database = database
        self.answers_kept = answers_kept
        self.catalogue = load_catalogue()
        self.glossary = load_glossary()
        self._snapshot: _Snapshot | None = None
        self.snapshot()

    # -- database -------------------------------------------------------------------------------

    def snapshot(self) -> _Snapshot:
        try:
            stat = os.stat(self.database)
        except FileNotFoundError:
            raise DatabaseError(f"数据库 {self.database} 不存在；请先运行 budgetbot ingest 导入 PDF") from None
        stamp = (stat.st_ino, stat.st_mtime_ns)
        if self._snapshot is not None and self._snapshot.stamp == stamp:
            return self._snapshot
        if self._snapshot is not None:
            # DuckDB hands out the already-open database for a path it has open, even when the file
            # has been replaced: the old connection must be closed before the new file is opened.
            self._snapshot.con.close()
            self._snapshot = None
        con: duckdb.DuckDBPyConnection | None = None
        try:
            # Answers are many small queries: one thread each is faster than waking a pool.
            con = duckdb.connect(str(self.database), read_only=True)
            con.execute("set threads = 1")
            documents = [
                DocumentInfo(*row)
                for row in con.execute(
                    "select document_id, body, region, year, phase, edition, synthetic "
                    "from documents order by body, year"
                ).fetchall()
            ]
            files: dict[str, list[tuple[int, str, int, str]]] = {}
            for doc, first, name, pages, path in con.execute(
                "select document_id, first_page, file_name, pages, path from files order by document_id, file_no"
            ).fetchall():
                files.setdefault(doc, []).append((first, name, pages, path))
            labels = [row[0] for row in con.execute("select distinct item from facts where item <> ''").fetchall()]
        except duckdb.Error as error:
            if con is not None:
                con.close()
            raise DatabaseError(f"数据库 {self.database} 无法读取（{error}）；请重新运行 budgetbot ingest") from None
        self._snapshot = _Snapshot(stamp, con, documents, files, labels)
        return self._snapshot

    def _run(self, template: Template, params: dict[str, Any]) -> list[Row]:
        cursor = self.snapshot().con
        result = cursor.execute(template.sql, params)
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def _column(self, sql: str, document: str) -> list[str]:
        """Distinct labels of one document, for fuzzy matching (user text never reaches this SQL)."""
        cursor = self.snapshot().con
        return [row[0] for row in cursor.execute(sql, [document]).fetchall() if row[0]]

    def _empty_tables(self, document: str, kinds: list[str]) -> list[tuple[str, int]]:
        """Tables of these kinds that the document prints without figures (本表无数据)."""
        cursor = self.snapshot().con
        rows = cursor.execute(
            "select title, first_page from doc_tables where document_id = ? and is_empty "
            "and list_contains(?, kind) order by table_no",
            [document, kinds],
        ).fetchall()
        return [(str(title), int(page)) for title, page in rows]

    def pages(self, document: str) -> int:
        return sum(pages for _, _, pages, _ in self.snapshot().files.get(document, []))

    def source(self, doc: DocumentInfo, place: str, page: int) -> Source:
        file_name, file_page = "", page
        for first, name, pages, _ in self.snapshot().files.get(doc.id, []):
            if first <= page < first + pages:
                file_name, file_page = name, page - first + 1
        return Source(doc.id, doc.body, doc.year, doc.phase, doc.edition, place, page, file_name, file_page)

    def file_path(self, source: Source) -> Path | None:
        """Where the PDF a source points to was ingested from, if it is still there."""
        for _, name, _, path in self.snapshot().files.get(source.document, []):
            if name == source.file and Path(path).is_file():
                return Path(path)
        return None

    # -- answering ------------------------------------------------------------------------------

    def answer(self, question: str, document: str | None = None) -> Answer:
        """Answer `question`; `document` is the conversation's current document, if any.

        An answer depends only on the database file, the question and the document, so answers
        are kept per file: a chat full of people asking for 三公经费 runs its SQL once.
        """
        if not self.answers_kept:
            return self._answer_afresh(question, document)
        snapshot = self.snapshot()
        key = (question, document)
        cached = snapshot.answers.get(key)
        if cached is not None:
            snapshot.answers.move_to_end(key)
            return cached
        answer = self._answer_afresh(question, document)
        snapshot.answers[key] = answer
        if len(snapshot.answers) > self.answers_kept:
            snapshot.answers.popitem(last=False)
        return answer

    def _answer_afresh(self, question: str, document: str | None) -> Answer:
        documents = self.snapshot().documents
        intent = intent_of(question, documents, self.glossary, self.catalogue)
        if intent is None:
            return self.not_understood(question)
        template = self.catalogue[intent.template]
        if template.id == "row_figure" and _best_label(intent.slots["row"], self.snapshot().labels) is None:
            return self.not_understood(question)
        if not documents and template.scope != "none":
            return Answer("no_data", "数据库中还没有文档；请先运行 budgetbot ingest 导入 PDF。", template.id)
        hints = intent.hints
        current = next((d for d in documents if d.id == document), None)
        chosen = select(template.scope, question, hints, documents, current, "bodies2" in template.needs)
        if chosen.missing is not None:
            return Answer(
                "no_data",
                f"没有找到{chosen.missing}的文档。已加载的文档有：",
                template.id,
                suggestions=tuple(d.label for d in documents[:5]),
            )
        if chosen.choices:
            return Answer("ambiguous", "有几种可能，请选择：", template.id, choices=chosen.choices)
        answer = self.compose(template, intent, chosen.documents)
        if chosen.notes:
            answer = replace(answer, notes=answer.notes + chosen.notes)
        return answer

    def compose(self, template: Template, intent: Intent, docs: tuple[DocumentInfo, ...]) -> Answer:
        params = dict(intent.slots)
        if "document" in template.slots:
            params["document"] = docs[0].id
        if "documents" in template.slots:
            params["documents"] = [d.id for d in docs]
        if "figure" in template.slots:
            params["figure"] = ""
        if "lookups" in template.slots:
            params["lookups"] = self.lookups(template, intent)
        resolve = _RESOLVERS.get(template.id)
        if resolve is not None:
            resolved = resolve(self, docs[0], params)
            if resolved is None:
                return self.not_understood(str(intent.slots.get("row", "")))
            params = resolved
        rows = self._run(template, params)
        build = _BUILDERS.get(template.id, Answerer.listing)
        known = {d.id: d for d in self.snapshot().documents}
        return build(self, Context(template, intent, docs, params, rows, known))

    def lookups(self, template: Template, intent: Intent) -> list[dict[str, Any]]:
        """The $lookups of the item asked about (item_no 1) and of the items it is compared with."""
        item = intent.items[0]
        others: tuple[Item, ...] = ()
        if template.id == "item_breakdown":
            others = tuple(item_named(name, self.glossary) for name in item.parts)
        elif template.id == "item_share":
            others = intent.items[1:2] or (item_named(SHARE_OF, self.glossary),)
        return [
            {
                "item_no": number,
                "item": each.name,
                "rank": rank,
                "kinds": list(lookup.kinds),
                "rows": list(lookup.rows),
                "measures": list(lookup.measures),
                "columns": list(lookup.columns),
            }
            for number, each in enumerate((item, *others), start=1)
            for rank, lookup in enumerate(each.lookups, start=1)
        ] or [{"item_no": 1, "item": item.name, "rank": 1, "kinds": [], "rows": [], "measures": [], "columns": []}]

    def not_understood(self, question: str) -> Answer:
        examples = [e for t in self.catalogue.values() for e in t.examples]
        best = process.extract(normalize_question(question), examples, scorer=fuzz.ratio, limit=3)
        return Answer(
            "not_understood",
            "没有看懂这个问题。可以这样问：",
            suggestions=tuple(example for example, _, _ in best),
        )

    # -- composing answers from rows ------------------------------------------------------------

    def _answer(
        self,
        ctx: Context,
        headline: str,
        values: list[Value],
        sources: list[Source],
        notes: list[str] | tuple[str, ...] = (),
        status: Status | None = None,
    ) -> Answer:
        if status is None:
            status = "answered" if any(v.value is not None or v.text is not None for v in values) else "no_data"
        document = ctx.docs[0].id if len(ctx.docs) == 1 else None
        return Answer(
            status,
            headline,
            ctx.template.id,
            ctx.params,
            tuple(values),
            tuple(sources),
            tuple(notes),
            ctx.template.sql,
            document=document,
        )

    def _source_of(self, ctx: Context, row: Row) -> Source:
        doc = ctx.doc(row.get("document_id"))
        page = row.get("page") or row.get("first_page") or 1
        place = row.get("place") or ("封面" if ctx.template.scope == "none" else "情况说明")
        return self.source(doc, str(place), int(page))

    def listing(self, ctx: Context) -> Answer:
        """Any template whose rows are figures (printed, amount, unit) or texts (text), one value per row."""
        sources: list[Source] = []
        values: list[Value] = []
        for row in ctx.rows:
            sources.append(self._source_of(ctx, row))
            label = _row_label(ctx, row)
            if "printed" in row:
                values.append(_money(label, row, len(sources) - 1))
            else:
                values.append(Value(label=label, text=_row_text(row), source=len(sources) - 1))
        notes = []
        if not ctx.rows and ctx.params.get("kind"):
            notes.append(f"该文档中没有找到{TABLE_NAMES.get(ctx.params['kind'], '这张表')}（或表中没有这样的行）。")
        elif not ctx.rows:
            what = ctx.params.get("term") or ctx.params.get("indicator") or ctx.template.title
            notes.append(f"{_where(ctx)}中没有找到“{what}”。")
        elif any("printed" in r for r in ctx.rows) and all(r["amount"] is None for r in ctx.rows):
            notes.append("表中这些栏全部为空白（未填数，不等于 0）。")
        return self._answer(ctx, f"{_subject(ctx)}：{ctx.template.title}", values, sources, notes)

    def documents_list(self, ctx: Context) -> Answer:
        by_id = {d.id: d for d in ctx.docs}
        sources = [self.source(by_id[r["document_id"]], "封面", 1) for r in ctx.rows]
        values = [
            Value(label=by_id[r["document_id"]].label, text=f"{r['pages']} 页；文件：{r['files']}", source=i)
            for i, r in enumerate(ctx.rows)
        ]
        headline = f"数据库中共有 {len(values)} 份文档：" if values else "数据库中还没有文档。"
        return self._answer(ctx, headline, values, sources)

    def item_figure(self, ctx: Context) -> Answer:
        item = ctx.item
        doc = ctx.docs[0]
        table_rows = [r for r in ctx.rows if r["source"] == "table"]
        if table_rows:  # the first lookup that finds the item
            table_rows = [r for r in table_rows if r.get("lookup_rank", 1) == table_rows[0].get("lookup_rank", 1)]
        text_rows = [r for r in ctx.rows if r["source"] == "text"]
        sources: list[Source] = []
        values: list[Value] = []
        notes: list[str] = []
        table = next((r for r in table_rows if r["amount"] is not None), table_rows[0] if table_rows else None)
        text = text_rows[0] if text_rows else None
        for blank in table_rows:
            if blank is table:
                break
            if blank["amount"] is None:
                column = blank["figure_kind"]
                notes.append(f"《{blank['place']}》第{blank['page']}页{column}为空白（未填数）。")
        if table is not None:
            sources.append(self.source(doc, table["place"], table["page"]))
            label = f"{item.name}（{table['figure_kind']}）" if doc.phase == "决算" else item.name
            values.append(_money(label, table, len(sources) - 1))
        if text is not None and ctx.template.id == "item_figure":
            sources.append(self.source(doc, "情况说明", text["page"]))
            values.append(_money(f"{item.name}（情况说明）", text, len(sources) - 1))
            if table is not None:
                notes.append(_compare(table, text))
        elif table is not None and item.statement and ctx.template.id == "item_figure":
            notes.append("情况说明中没有单独写出这个数字。")
        if table is not None and table["amount"] is None:
            why = "本表无数据" if table["is_empty"] else "表中此项为空白（未填数，不等于 0）"
            notes.insert(0, f"《{table['place']}》中{_quoted(table['label'] or item.name)}一栏：{why}。")
        if not values:
            notes += self._absent(ctx, sources)
        headline = f"{doc.label}：{item.name}" + {"item_budget": "预算数", "item_final": "决算数"}.get(
            ctx.template.id, ""
        )
        return self._answer(ctx, headline, values, sources, notes)

    def _absent(self, ctx: Context, sources: list[Source]) -> list[str]:
        """Why a document has no figure for the item: an empty table (added to `sources`), no 决算数
        in a budget, or not printed at all."""
        doc, item = ctx.docs[0], ctx.item
        if ctx.template.id in ("item_final", "item_execution") and doc.phase == "预算":
            return [f"这是{doc.year or ''}年预算文档，只有预算数；决算数见该年度的决算文档。"]
        kinds = list(dict.fromkeys(k for lk in item.lookups for k in lk.kinds))
        empty = self._empty_tables(doc.id, kinds)
        sources += [self.source(doc, title, page) for title, page in empty]
        notes = [f"《{title}》本表无数据（没有{_quoted(item.name)}的数字）。" for title, _ in empty]
        return notes or [f"在该文档的表格和情况说明中没有找到{_quoted(item.name)}的数字。"]

    def item_execution(self, ctx: Context) -> Answer:
        item, doc = ctx.item, ctx.docs[0]
        budget = next((r for r in ctx.rows if r["figure_kind"] == "预算数"), None)
        final = next((r for r in ctx.rows if r["figure_kind"] == "决算数"), None)
        if budget is None or final is None:
            where: list[Source] = []
            why = self._absent(ctx, where)
            return self._answer(ctx, f"{doc.label}：{item.name}执行率", [], where, why, "no_data")
        sources = [self._source_of(ctx, budget), self._source_of(ctx, final)]
        values = [_money(f"{item.name}（预算数）", budget, 0), _money(f"{item.name}（决算数）", final, 1)]
        notes: list[str] = []
        if budget["amount_yuan"] and final["amount_yuan"] is not None:
            rate = _percent(final["amount_yuan"], budget["amount_yuan"])
            values.append(_computed(f"{item.name}执行率", rate, "%", 0))
            notes.append(f"执行率 = 决算数 {final['printed']} ÷ 预算数 {budget['printed']} × 100% = {rate}%。")
        else:
            notes.append("预算数或决算数为空白（未填数），算不出执行率。")
        return self._answer(ctx, f"{doc.label}：{item.name}执行率", values, sources, notes)

    def item_share(self, ctx: Context) -> Answer:
        item, doc = ctx.item, ctx.docs[0]
        whole = ctx.intent.items[1].name if len(ctx.intent.items) > 1 else SHARE_OF
        headline = f"{doc.label}：{item.name}占{whole}的比例"
        row = ctx.rows[0] if ctx.rows else None
        if row is None or row["amount_yuan"] is None or not row["whole_yuan"]:
            notes = [f"表中没有同时印出{_quoted(item.name)}和{_quoted(whole)}的数字，算不出比例。"]
            return self._answer(ctx, headline, [], [], notes, "no_data")
        part_source = self._source_of(ctx, row)
        whole_source = self.source(doc, row["whole_place"], row["whole_page"])
        whole_row = {
            "printed": row["whole_printed"],
            "amount": row["whole_amount"],
            "unit": row["whole_unit"],
            "amount_yuan": row["whole_yuan"],
        }
        share = _percent(row["amount_yuan"], row["whole_yuan"])
        values = [
            _computed(f"{item.name}占{whole}", share, "%", 0),
            _money(item.name, row, 0),
            _money(whole, whole_row, 1),
        ]
        formula = (
            f"比例 = {item.name} {row['printed']} {row['unit']} ÷ {whole} {row['whole_printed']} "
            f"{row['whole_unit']} × 100% = {share}%。"
        )
        return self._answer(ctx, headline, values, [part_source, whole_source], [formula])

    def item_breakdown(self, ctx: Context) -> Answer:
        item, doc = ctx.item, ctx.docs[0]
        sources: list[Source] = []
        values: list[Value] = []
        for row in ctx.rows:
            sources.append(self._source_of(ctx, row))
            label = item.name + "（合计）" if row["item_no"] == 1 else f"其中：{row['item']}"
            values.append(_money(label, row, len(sources) - 1))
        notes: list[str] = []
        total = next((r for r in ctx.rows if r["item_no"] == 1), None)
        parts = [r for r in ctx.rows if r["item_no"] > 1]
        missing = [p for p in item.parts if p not in {r["item"] for r in parts}]
        if missing:
            notes.append("表中没有找到：" + "、".join(missing) + "。")
        elif total is not None and total["amount_yuan"] is not None and parts[0]["parts_printed"] == len(parts):
            parts_wan = plain(parts[0]["parts_yuan"] / WAN)
            if parts[0]["parts_yuan"] == total["amount_yuan"]:
                notes.append(f"各部分之和 {parts_wan} 万元，与合计一致。")
            else:
                notes.append(
                    f"各部分之和为 {parts_wan} 万元，表中合计为 {total['printed']} {total['unit']}，"
                    "两者不同（口径或取数可能不同，请以原表为准）。"
                )
        if not ctx.rows:
            notes += self._absent(ctx, sources)
        elif all(r["amount"] is None for r in ctx.rows):
            notes.append("表中这些栏全部为空白（未填数，不等于 0）。")
        return self._answer(ctx, f"{doc.label}：{item.name}的构成", values, sources, notes)

    def item_change(self, ctx: Context) -> Answer:
        item, doc = ctx.item, ctx.docs[0]
        sources = [self._source_of(ctx, r) for r in ctx.rows]
        values = [
            Value(
                label=f"{item.name}比上年{'增减额' if r['measure'] == 'change' else '增减率'}",
                value=r["value"],
                unit=r["unit"],
                printed=_number_part(r["printed"]),
                value_wan=_to_wan(r["value"], r["unit"]),
                source=i,
            )
            for i, r in enumerate(ctx.rows)
        ]
        notes = [f"原文（第{r['page']}页）：{r['sentence']}" for r in ctx.rows[:1]]
        if not ctx.rows:
            # The narrative may say it in words ("与上年持平"): show what it writes about the item.
            said = self._run(
                self.catalogue["item_explanation"], {"document": doc.id, "statement": ctx.params["statement"]}
            )
            sources = [self._source_of(ctx, r) for r in said]
            values = [Value(label=f"第{r['page']}页原文", text=r["text"], source=i) for i, r in enumerate(said)]
            notes = [
                f"情况说明中没有找到{_quoted(item.name)}比上年增减的数字" + ("；以下是写到它的原句。" if said else "。")
            ]
        return self._answer(ctx, f"{doc.label}：{item.name}比上年增减", values, sources, notes)

    def across(self, ctx: Context) -> Answer:
        """One item in several documents: a list, a ranking, a total, an average, a change between years."""
        item = ctx.item
        by_years = ctx.template.scope == "years"
        rows = [r for r in ctx.rows if r.get("printed") is not None or "printed" not in r]
        sources: list[Source] = []
        values: list[Value] = []
        for row in rows:
            sources.append(self._source_of(ctx, row))
            doc = ctx.doc(row["document_id"])
            label = f"{doc.year}年" if by_years else (doc.label if ctx.template.scope == "all" else doc.body)
            if "position" in row:
                label = f"第{row['position']}名 {label}"
            values.append(_money(label, row, len(sources) - 1))
        found = {r["document_id"] for r in rows if r.get("amount") is not None}
        notes = [
            f"{d.label}：没有找到{_quoted(item.name)}的数字。"
            for d in ctx.docs
            if d.id not in found
            and ctx.template.id not in ("item_above", "item_below", "item_rank_top", "item_rank_bottom")
        ]
        counted = [r for r in rows if r.get("amount_yuan") is not None]
        compute = _COMPUTED.get(ctx.template.id)
        if compute is not None and counted:
            value, formula = compute(ctx, counted)
            if value is not None:
                values.insert(0, value)
            if formula:
                notes.insert(0, formula)
        if ctx.template.id in ("item_above", "item_below"):
            word = "超过" if ctx.template.id == "item_above" else "低于"
            notes.insert(0, f"{word} {plain(ctx.params['threshold'] / WAN)} 万元的共 {len(rows)} 个。")
            if not rows:
                notes.append("比较了：" + "、".join(d.label for d in ctx.docs) + "。")
        scope = ctx.docs[0].body if by_years else "、".join(sorted({f"{d.year}年" for d in ctx.docs}))
        headline = f"{scope}{item.name}：{ctx.template.title}"
        status: Status = "answered" if counted else "no_data"
        return self._answer(ctx, headline, values, sources, notes, status)

    def document_info(self, ctx: Context) -> Answer:
        doc = ctx.docs[0]
        row = ctx.rows[0]
        source = self.source(doc, "封面", 1)
        facts = [
            ("单位", row["body"]),
            ("年度", f"{row['year']}年" if row["year"] else "未印年度"),
            ("类型", f"{row['edition']}{row['phase']}"),
            ("页数", f"{row['pages']} 页"),
            ("标准表格", f"{row['tables']} 张"),
            ("文件", row["files"]),
        ]
        values = [Value(label=label, text=str(text), source=0) for label, text in facts]
        return self._answer(ctx, f"{doc.label}：文档基本情况", values, [source])

    def page_contents(self, ctx: Context) -> Answer:
        doc = ctx.docs[0]
        page = int(ctx.params["page"])
        if not 1 <= page <= self.pages(doc.id):
            note = f"该文档只有 {self.pages(doc.id)} 页。"
            return self._answer(ctx, f"{doc.label}：第{page}页", [], [], [note], "no_data")
        if not ctx.rows:
            value = Value(label=f"第{page}页", text="这一页没有标准表格（是封面、目录或情况说明的文字）。")
            return self._answer(ctx, f"{doc.label}：第{page}页", [value], [self.source(doc, "情况说明", page)])
        return self.listing(ctx)


@dataclass(frozen=True)
class Context:
    """What composing an answer needs: the template, the question's intent, the documents and the rows."""

    template: Template
    intent: Intent
    docs: tuple[DocumentInfo, ...]
    params: dict[str, Any]
    rows: list[Row]
    known: dict[str, DocumentInfo]  # every loaded document, by id

    @property
    def item(self) -> Item:
        assert self.intent.items, "item templates need an item"
        return self.intent.items[0]

    def doc(self, document_id: str | None) -> DocumentInfo:
        return self.known[document_id] if document_id else self.docs[0]


def _resolve_row(answerer: Answerer, doc: DocumentInfo, params: dict[str, Any]) -> dict[str, Any] | None:
    """The row label the question names, or None: then the question was not about a row at all."""
    labels = answerer._column("select distinct item from facts where document_id = ?", doc.id)
    row = _best_label(params["row"], labels)
    return {**params, "row": row} if row else None


def _resolve_indicator(answerer: Answerer, doc: DocumentInfo, params: dict[str, Any]) -> dict[str, Any] | None:
    labels = answerer._column("select distinct label from text_facts where kind = 'target' and document_id = ?", doc.id)
    return {**params, "indicator": _best_label(params["indicator"], labels) or params["indicator"]}


_RESOLVERS: dict[str, Callable[[Answerer, DocumentInfo, dict[str, Any]], dict[str, Any] | None]] = {
    "row_figure": _resolve_row,
    "performance_target": _resolve_indicator,
}
_ACROSS = [
    "item_by_year",
    "item_change_years",
    "item_growth_years",
    "item_max_year",
    "item_rank_top",
    "item_rank_bottom",
    "item_above",
    "item_below",
    "item_total_bodies",
    "item_average_bodies",
    "item_all_documents",
    "item_compare_bodies",
]
_BUILDERS: dict[str, Callable[[Answerer, Context], Answer]] = {
    "documents": Answerer.documents_list,
    "item_figure": Answerer.item_figure,
    "item_budget": Answerer.item_figure,
    "item_final": Answerer.item_figure,
    "item_execution": Answerer.item_execution,
    "item_share": Answerer.item_share,
    "item_breakdown": Answerer.item_breakdown,
    "item_change": Answerer.item_change,
    "document_info": Answerer.document_info,
    "page_contents": Answerer.page_contents,
    **{name: Answerer.across for name in _ACROSS},
}


def _total(ctx: Context, rows: list[Row]) -> tuple[Value | None, str]:
    total = sum((r["amount_yuan"] for r in rows), Decimal(0)) / WAN
    terms = " + ".join(f"{plain(r['amount_yuan'] / WAN)}" for r in rows)
    return _computed("合计", total, "万元", 0), f"合计 = {terms} = {plain(total)} 万元（{len(rows)} 个单位）。"


def _average(ctx: Context, rows: list[Row]) -> tuple[Value | None, str]:
    total = sum((r["amount_yuan"] for r in rows), Decimal(0)) / WAN
    mean = (total / len(rows)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return _computed("平均", mean, "万元", 0), f"平均 = {plain(total)} 万元 ÷ {len(rows)} 个单位 = {mean} 万元。"


def _change(ctx: Context, rows: list[Row]) -> tuple[Value | None, str]:
    first, last = rows[0], rows[-1]
    if len(rows) < 2:
        return None, ""
    change = (last["amount_yuan"] - first["amount_yuan"]) / WAN
    years = f"{ctx.doc(last['document_id']).year}年比{ctx.doc(first['document_id']).year}年"
    if ctx.template.id == "item_growth_years":
        if not first["amount_yuan"]:
            return None, ""
        rate = _percent(last["amount_yuan"] - first["amount_yuan"], first["amount_yuan"])
        formula = (
            f"增长率 =（{plain(last['amount_yuan'] / WAN)} − {plain(first['amount_yuan'] / WAN)}）÷ "
            f"{plain(first['amount_yuan'] / WAN)} × 100% = {rate}%。"
        )
        return _computed(f"{years}增长率", rate, "%", 0), formula
    formula = (
        f"增减额 = {plain(last['amount_yuan'] / WAN)} − {plain(first['amount_yuan'] / WAN)} = {plain(change)} 万元。"
    )
    return _computed(f"{years}增减额", change, "万元", 0), formula


def _gap(ctx: Context, rows: list[Row]) -> tuple[Value | None, str]:
    if len(rows) < 2:
        return None, ""
    high, low = rows[0], rows[-1]
    gap = (high["amount_yuan"] - low["amount_yuan"]) / WAN
    formula = (
        f"{ctx.doc(high['document_id']).body}比{ctx.doc(low['document_id']).body}多 "
        f"{plain(high['amount_yuan'] / WAN)} − {plain(low['amount_yuan'] / WAN)} = {plain(gap)} 万元。"
    )
    return _computed("相差", gap, "万元", 0), formula


def _extreme(ctx: Context, rows: list[Row]) -> tuple[Value | None, str]:
    least = ctx.template.id == "item_rank_bottom" or (
        ctx.template.id == "item_max_year" and re.search(r"最少|最低|最小", ctx.intent.question) is not None
    )
    end = rows[-1] if least and ctx.template.id == "item_max_year" else rows[0]
    tied = [r for r in rows if r["amount_yuan"] == end["amount_yuan"]]
    by_years = ctx.template.scope == "years"
    who = "、".join(f"{ctx.doc(r['document_id']).year}年" if by_years else ctx.doc(r["document_id"]).body for r in tied)
    word = "最少" if least else "最多"
    same = "（并列）" if len(tied) > 1 else ""
    return None, f"{word}的是{who}{same}：{plain(end['amount_yuan'] / WAN)} 万元。"


_COMPUTED: dict[str, Callable[[Context, list[Row]], tuple[Value | None, str]]] = {
    "item_total_bodies": _total,
    "item_average_bodies": _average,
    "item_change_years": _change,
    "item_growth_years": _change,
    "item_compare_bodies": _gap,
    "item_rank_top": _extreme,
    "item_rank_bottom": _extreme,
    "item_max_year": _extreme,
}


def _quoted(name: str) -> str:
    """“三公”经费 → “三公经费”: one pair of quotes around a name that may hold its own."""
    return "“" + name.replace("“", "").replace("”", "") + "”"


def _to_wan(value: Decimal | None, unit: str | None) -> Decimal | None:
    factors = {"元": Decimal(1) / WAN, "万元": Decimal(1), "亿元": WAN}
    if value is None or unit not in factors:
        return None
    return value * factors[unit]


def _money(label: str, row: Row, source: int) -> Value:
    yuan = row.get("amount_yuan")
    return Value(
        label=label,
        value=row["amount"],
        unit=row["unit"],
        printed=_number_part(row["printed"]) or None,
        value_wan=(yuan / WAN) if yuan is not None else None,
        source=source,
    )


def _number_part(printed: str) -> str:
    """ "0.2万元" → "0.2": the digits as printed, without the unit."""
    match = re.search(r"-?[\d,]*\.?\d+", printed or "")
    return match.group(0) if match else ""


def _decimals(printed: str) -> int:
    digits = printed.replace(",", "")
    number = "".join(ch for ch in digits if ch.isdigit() or ch == ".")
    return len(number.split(".")[1]) if "." in number else 0


def _compare(table: Row, text: Row) -> str:
    """Say whether the narrative states the table's figure, allowing for its printed precision."""
    if table["amount_yuan"] is None or text["amount_yuan"] is None:
        return f"情况说明第{text['page']}页写作 {text['printed']}。"
    if table["amount_yuan"] == text["amount_yuan"]:
        return f"情况说明第{text['page']}页写作 {text['printed']}，与表格一致。"
    step = Decimal(1).scaleb(-_decimals(text["printed"]))
    scale = {"万元": WAN, "元": Decimal(1), "亿元": WAN * WAN}.get(text["unit"], Decimal(1))
    if abs(table["amount_yuan"] - text["amount_yuan"]) <= step * scale / 2:
        return (
            f"情况说明第{text['page']}页写作 {text['printed']}，是表格数字"
            f"（{table['printed']} {table['unit']}）按 {step} {text['unit']} 取整的结果。"
        )
    return (
        f"注意：情况说明第{text['page']}页写作 {text['printed']}，"
        f"与表格《{table['place']}》第{table['page']}页的 {table['printed']} {table['unit']} 不一致。"
    )


def _best_label(asked: str, labels: list[str]) -> str | None:
    """The label the question names: the longest one inside it, else a close fuzzy match."""
    key = comparable(asked)
    if not key:
        return None
    inside = [label for label in labels if comparable(label) and comparable(label) in key]
    if inside:
        return max(inside, key=len)
    match = process.extractOne(key, {label: comparable(label) for label in labels}, scorer=fuzz.ratio, score_cutoff=80)
    return match[2] if match else None


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _computed(label: str, value: Decimal, unit: str, source: int) -> Value:
    """A figure we computed (not printed): no printed text, so it is shown from the value."""
    return Value(label=label, value=value, unit=unit, value_wan=value if unit == "万元" else None, source=source)


def _row_label(ctx: Context, row: Row) -> str:
    label = str(row.get("label") if row.get("label") is not None else "")
    if ctx.template.id == "internal_units":
        return f"共 {label} 个"
    if row.get("measure") and ctx.template.id not in ("largest_rows", "economic_classes", "narrative_figures"):
        label = f"{label}｜{row['measure']}" if label else row["measure"]
    return label


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


def _subject(ctx: Context) -> str:
    return ctx.docs[0].label if ctx.docs else "数据库"


def _where(ctx: Context) -> str:
    return "该文档" if ctx.docs else "数据库"
