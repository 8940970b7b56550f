"""Answering: match a question, run its template on a read-only connection, build the Answer."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from rapidfuzz import fuzz, process

from queries.answer import Answer, Choice, Source, Value
from queries.catalogue import Template, load_catalogue
from queries.errors import DatabaseError
from queries.match import (
    DocumentInfo,
    Intent,
    Lookup,
    candidates,
    comparable,
    document_hints,
    intent_of,
    load_glossary,
    normalize_question,
)

WAN = Decimal(10_000)
Row = dict[str, Any]


@dataclass(frozen=True)
class _Snapshot:
    """One opened database file and what matching needs from it."""

    stamp: tuple[int, int]
    con: duckdb.DuckDBPyConnection
    documents: list[DocumentInfo]
    files: dict[str, list[tuple[int, str, int, str]]]  # document → (first_page, name, pages, path)


class Answerer:
    """Answers questions from one DuckDB file; reopens it when ingest has switched in a new one."""

    def __init__(self, database: Path) -> None:
        self.database = database
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
        try:
            con = duckdb.connect(str(self.database), read_only=True)
            documents = [
                DocumentInfo(*row)
                for row in con.execute(
                    "select document_id, body, region, year, phase, edition from documents order by body, year"
                ).fetchall()
            ]
            files: dict[str, list[tuple[int, str, int, str]]] = {}
            for doc, first, name, pages, path in con.execute(
                "select document_id, first_page, file_name, pages, path from files order by document_id, file_no"
            ).fetchall():
                files.setdefault(doc, []).append((first, name, pages, path))
        except duckdb.Error as error:
            raise DatabaseError(f"数据库 {self.database} 无法读取（{error}）；请重新运行 budgetbot ingest") from None
        if self._snapshot is not None:
            self._snapshot.con.close()
        self._snapshot = _Snapshot(stamp, con, documents, files)
        return self._snapshot

    def _run(self, template: Template, params: dict[str, Any]) -> list[Row]:
        cursor = self.snapshot().con.cursor()
        result = cursor.execute(template.sql, params)
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def _column(self, sql: str, document: str) -> list[str]:
        """Distinct labels of one document, for fuzzy matching (user text never reaches this SQL)."""
        cursor = self.snapshot().con.cursor()
        return [row[0] for row in cursor.execute(sql, [document]).fetchall() if row[0]]

    def _empty_tables(self, document: str, kinds: list[str]) -> list[tuple[str, int]]:
        """Tables of these kinds that the document prints without figures (本表无数据)."""
        cursor = self.snapshot().con.cursor()
        rows = cursor.execute(
            "select title, first_page from doc_tables where document_id = ? and is_empty "
            "and list_contains(?, kind) order by table_no",
            [document, kinds],
        ).fetchall()
        return [(str(title), int(page)) for title, page in rows]

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
        """Answer `question`; `document` is the conversation's current document, if any."""
        snapshot = self.snapshot()
        documents = snapshot.documents
        if not normalize_question(question):
            return self.not_understood(question)
        intent = intent_of(question, documents, self.glossary)
        if intent is None:
            return self.not_understood(question)
        if intent.template == "documents":
            return self.list_documents(intent)
        if not documents:
            return Answer("no_data", "数据库中还没有文档；请先运行 budgetbot ingest 导入 PDF。")
        hints = document_hints(question, documents, self.glossary)
        found = candidates(hints, documents)
        current = next((d for d in documents if d.id == document), None)
        if current is not None and (not hints.any or current in found):
            found = [current]  # the conversation's document, unless the question names another
        if not found:
            wanted = _describe(hints.unknown_body, hints.years, hints.phase, hints.edition)
            return Answer(
                "no_data",
                f"没有找到{wanted}的文档。已加载的文档有：",
                suggestions=tuple(d.label for d in documents[:5]),
            )
        if len(found) > 1:
            return Answer(
                "ambiguous",
                "有几份文档都符合，请选择一份：",
                template=intent.template,
                choices=tuple(Choice(d.label, d.id, question) for d in found[:10]),
            )
        return self.answer_for(found[0], intent)

    def answer_for(self, doc: DocumentInfo, intent: Intent) -> Answer:
        handler = {
            "item_figure": self.item_figure,
            "item_change": self.item_change,
            "row_figure": self.row_figure,
            "performance_target": self.performance_target,
        }.get(intent.template, self.text_list)
        return handler(doc, intent)

    def not_understood(self, question: str) -> Answer:
        examples = [e for t in self.catalogue.values() for e in t.examples]
        best = process.extract(normalize_question(question), examples, scorer=fuzz.ratio, limit=3)
        return Answer(
            "not_understood",
            "没有看懂这个问题。可以这样问：",
            suggestions=tuple(example for example, _, _ in best),
        )

    def list_documents(self, intent: Intent) -> Answer:
        template = self.catalogue["documents"]
        rows = self._run(template, {})
        by_id = {d.id: d for d in self.snapshot().documents}
        sources = tuple(self.source(by_id[r["document_id"]], "封面", 1) for r in rows)
        values = tuple(
            Value(label=by_id[r["document_id"]].label, text=f"{r['pages']} 页；文件：{r['files']}", source=i)
            for i, r in enumerate(rows)
        )
        headline = f"数据库中共有 {len(rows)} 份文档：" if rows else "数据库中还没有文档。"
        return Answer("answered" if rows else "no_data", headline, "documents", {}, values, sources, sql=template.sql)

    def item_figure(self, doc: DocumentInfo, intent: Intent) -> Answer:
        item = intent.item
        assert item is not None
        template = self.catalogue["item_figure"]
        table_rows: list[Row] = []
        text_rows: list[Row] = []
        params: dict[str, Any] = {}
        for lookup in item.lookups or (Lookup(()),):
            params = {
                "document": doc.id,
                "phase": doc.phase,
                "kinds": list(lookup.kinds),
                "rows": list(lookup.rows),
                "measures": list(lookup.measures),
                "columns": list(lookup.columns),
                "statement": item.statement or "",
            }
            rows = self._run(template, params)
            text_rows = [r for r in rows if r["source"] == "text"]
            table_rows = [r for r in rows if r["source"] == "table"]
            if table_rows:
                break
        headline = f"{doc.label}：{item.name}"
        sources: list[Source] = []
        values: list[Value] = []
        notes: list[str] = []
        table = next((r for r in table_rows if r["amount"] is not None), table_rows[0] if table_rows else None)
        text = text_rows[0] if text_rows else None
        for blank in table_rows:
            if blank is table:
                break
            if blank["amount"] is None:
                column = _figure_kind(blank["measure"]) or "此栏"
                notes.append(f"《{blank['place']}》第{blank['page']}页{column}为空白（未填数）。")
        if table is not None:
            sources.append(self.source(doc, table["place"], table["page"]))
            kind = _figure_kind(table["measure"])
            label = f"{item.name}（{kind}）" if kind and doc.phase == "决算" else item.name
            values.append(_money(label, table, len(sources) - 1))
        if text is not None:
            sources.append(self.source(doc, "情况说明", text["page"]))
            values.append(_money(f"{item.name}（情况说明）", text, len(sources) - 1))
        if table is not None and text is not None:
            notes.append(_compare(table, text))
        elif table is not None and item.statement and text is None:
            notes.append("情况说明中没有单独写出这个数字。")
        if table is not None and table["amount"] is None:
            why = "本表无数据" if table["is_empty"] else "表中此项为空白（未填数，不等于 0）"
            notes.insert(0, f"《{table['place']}》中“{table['label']}”一栏：{why}。")
        has_figure = any(v.value is not None for v in values)
        if not values:
            kinds = list(dict.fromkeys(k for lk in item.lookups for k in lk.kinds))
            empty = self._empty_tables(doc.id, kinds)
            for title, page in empty:
                sources.append(self.source(doc, title, page))
                notes.append(f"《{title}》本表无数据（没有{_quoted(item.name)}的数字）。")
            if not empty:
                notes.append(f"该文档的表格和情况说明中都没有{_quoted(item.name)}。")
        return Answer(
            "answered" if has_figure else "no_data",
            headline,
            "item_figure",
            params,
            tuple(values),
            tuple(sources),
            tuple(notes),
            template.sql,
            document=doc.id,
        )

    def item_change(self, doc: DocumentInfo, intent: Intent) -> Answer:
        item = intent.item
        assert item is not None
        template = self.catalogue["item_change"]
        params = {"document": doc.id, "statement": item.statement or ""}
        rows = self._run(template, params)
        sources = [self.source(doc, "情况说明", r["page"]) for r in rows]
        values = tuple(
            Value(
                label=f"{item.name}比上年{'增减额' if r['measure'] == 'change' else '增减率'}",
                value=r["value"],
                unit=r["unit"],
                printed=_number_part(r["printed"]),
                value_wan=_to_wan(r["value"], r["unit"]),
                source=i,
            )
            for i, r in enumerate(rows)
        )
        notes = tuple(f"原文（第{r['page']}页）：{r['sentence']}" for r in rows[:1])
        if not rows:
            notes = (f"情况说明中没有写“{item.name}”比上年的增减。",)
        return Answer(
            "answered" if rows else "no_data",
            f"{doc.label}：{item.name}比上年增减",
            "item_change",
            params,
            values,
            tuple(sources),
            notes,
            template.sql,
            document=doc.id,
        )

    def row_figure(self, doc: DocumentInfo, intent: Intent) -> Answer:
        asked = intent.slots["row"]
        labels = self._column("select distinct item from facts where document_id = ?", doc.id)
        codes = self._column("select distinct item_code from facts where document_id = ?", doc.id)
        row = _best_label(asked, labels) or (asked if asked in codes else None)
        if row is None:
            return self.not_understood(asked)
        template = self.catalogue["row_figure"]
        params = {"document": doc.id, "row": row}
        rows = self._run(template, params)
        first_table = rows[0]["place"] if rows else None
        rows = [r for r in rows if r["place"] == first_table]
        sources = [self.source(doc, rows[0]["place"], rows[0]["page"])] if rows else []
        values = tuple(_money(f"{r['label'] or r['item_code']}｜{r['measure']}", r, 0) for r in rows)
        notes = []
        if rows and all(r["amount"] is None for r in rows):
            notes.append("这一行在表中全部为空白（未填数，不等于 0）。")
        return Answer(
            "answered" if any(v.value is not None for v in values) else "no_data",
            f"{doc.label}：{rows[0]['label'] if rows else row}",
            "row_figure",
            params,
            values,
            tuple(sources),
            tuple(notes),
            template.sql,
            document=doc.id,
        )

    def performance_target(self, doc: DocumentInfo, intent: Intent) -> Answer:
        labels = self._column("select distinct label from text_facts where kind = 'target' and document_id = ?", doc.id)
        indicator = _best_label(intent.slots["indicator"], labels) or intent.slots["indicator"]
        return self.text_list(doc, Intent("performance_target", {"indicator": indicator}))

    def text_list(self, doc: DocumentInfo, intent: Intent) -> Answer:
        template = self.catalogue[intent.template]
        params: dict[str, Any] = {"document": doc.id, **intent.slots}
        rows = self._run(template, params)
        sources: list[Source] = []
        values: list[Value] = []
        for r in rows:
            place = r.get("title") or ("绩效目标表" if intent.template == "performance_target" else "情况说明")
            page = r.get("page") or r.get("first_page") or 0
            sources.append(self.source(doc, place, page))
            label = str(r.get("label") or r.get("count") or r.get("seq") or r.get("title") or "")
            text = r.get("text")
            if intent.template == "tables_list":
                pages = f"第{r['first_page']}页" + (
                    f"至第{r['last_page']}页" if r["last_page"] != r["first_page"] else ""
                )
                text = f"{pages}，单位：{r['unit'] or '未标明'}" + ("，本表无数据" if r["is_empty"] else "")
            if intent.template == "internal_units":
                label = f"共 {r['count']} 个"
            values.append(Value(label=label, text=str(text), source=len(sources) - 1))
        headline = f"{doc.label}：{template.title}"
        notes: tuple[str, ...] = ()
        if not rows:
            what = intent.slots.get("term") or intent.slots.get("indicator") or template.title
            notes = (f"该文档中没有找到“{what}”。",)
        return Answer(
            "answered" if rows else "no_data",
            headline,
            template.id,
            params,
            tuple(values),
            tuple(sources),
            notes,
            template.sql,
            document=doc.id,
        )


def _quoted(name: str) -> str:
    """“三公”经费 → “三公经费”: one pair of quotes around a name that may hold its own."""
    return "“" + name.replace("“", "").replace("”", "") + "”"


def _figure_kind(measure: str) -> str | None:
    """决算数 or 预算数, when a column says which (a 决算 table prints both)."""
    return next((kind for kind in ("决算数", "预算数") if kind in measure), None)


def _describe(body: str | None, years: Sequence[int], phase: str | None, edition: str | None) -> str:
    """ "万里街道办事处 2019年 预算": what the question asked for, in its words."""
    parts = [body or "", "/".join(f"{y}年" for y in years), f"{edition or ''}{phase or ''}"]
    return " ".join(p for p in parts if p) or "符合条件"


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
