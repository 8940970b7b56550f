"""Answering: a question's frame, its template run on a read-only connection, the Answer composed.

Every word of a question must be understood: what the frame and the chosen template leave over is
named back ("没有找到“法警装备费”") instead of answering about something else.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import duckdb
from rapidfuzz import fuzz, process

from ingest.meaning import label_key, meanings
from queries.answer import Answer, Source, Value, joined
from queries.catalogue import Template, load_catalogue
from queries.compose import CARRIED, OTHER_FLOW, YEAR_OF_GRAND, Context
from queries.composers import COMPOSERS
from queries.coverage import Span, counted_phrase, leftover_words
from queries.errors import DatabaseError
from queries.frame import SHARE_OF, SPENDING, DocumentInfo, Frame, ItemRef, frame_of
from queries.glossary import Concept, load_glossary
from queries.keywords import asked_keywords, asked_spans
from queries.operators import OperatorWord, operators
from queries.paraphrase import Bound, rebind
from queries.passages import LOCATED_SHARE, Passage, asked_words, best_passages, located_page
from queries.scope import Selection, select
from queries.typos import Homophones, corrected, said
from queries.units import of_unit, unit_aliases
from queries.vocabulary import Vocabulary, normalize_question

ANSWERS_KEPT = 4096  # most recent answers kept per database file
# Reading one document's printed rows scans `figures` (stored by item, not by document): ~3 ms at 1,000
# documents, where reading every document's at once takes ~50 ms. A one-shot `ask` reads one document's;
# a serving process that has read this many reads them all once.
PRINTED_ONE_BY_ONE = 16
_PRINTED_ROWS = (
    "select distinct document_id, item, code from figures "
    "where {} (code is not null or len(concepts) = 0 and item <> '')"
)
Row = dict[str, Any]
_TEXTS_KEPT = 8  # documents whose page texts are kept read (a 200-page document is a few hundred KB)
# Composers that read an item's parts (glossary `parts`) beside the item itself.
_READS_PARTS = ("breakdown", "parts_rank", "rows_rank")
# Bare words of money flowing that a question puts after an item's own words ("罚没收入", "书展经费")
_BARE_FLOW_WORDS = frozenset({"收入", "支出", "经费", "资金", "费用", "收入预算", "支出预算"})
# Words that make a leftover read as the name of a budget item (so it is "not printed", not "not understood").
_ITEM_ENDING = re.compile(
    r"(费|支出|收入|经费|资金|补贴|补助|保险|公积金|工资|奖金|事务|运行|项目|工程|服务|设备|车|人数|编制)$"
)


@dataclass
class _PrintedRows:
    """(item, code) of the rows each document prints by name or code: read one document at a time at
    first, every document's at once after PRINTED_ONE_BY_ONE documents (`complete`)."""

    by_document: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    complete: bool = False


@dataclass(frozen=True)
class _Snapshot:
    """One opened database file and what understanding questions needs from it."""

    stamp: tuple[int, int]
    con: duckdb.DuckDBPyConnection
    documents: list[DocumentInfo]
    files: dict[str, list[tuple[int, str, int, str]]]  # document → (first_page, name, pages, path)
    vocabulary: Vocabulary
    answers: OrderedDict[tuple[str, str | None], Answer] = field(default_factory=OrderedDict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # per document, see _names_of
    codes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # per document, see _codes_of
    units: dict[str, frozenset[str]] = field(default_factory=dict)  # per document, see _units_of
    unit_names: dict[str, dict[str, str]] = field(default_factory=dict)  # per document, see _unit_names_of
    # the last documents' page texts, read whole: an existence answer reads every page of its document
    texts: OrderedDict[str, dict[int, str]] = field(default_factory=OrderedDict)
    printed: _PrintedRows = field(default_factory=_PrintedRows)  # see _printed_rows
    # the known words a slip of the input method is read as: built when first needed, then its one element
    homophones: list[Homophones] = field(default_factory=list)


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
            # Names of rows and of what the narrative states; a label with a colon is a table's caption.
            names = [
                row[0]
                for row in con.execute(
                    "select distinct item from figures where item <> '' and not contains(item, ':')"
                ).fetchall()
            ]
            # the units a table's rows are listed under: a question names one to ask about its rows
            units = [
                row[0]
                for row in con.execute(
                    "select distinct parent from figures where source = 'table' and parent <> ''"
                ).fetchall()
            ]
            codes = [
                row[0] for row in con.execute("select distinct code from figures where code is not null").fetchall()
            ]
            # Printed names that always mean the same concept(s), wherever they are printed; a line that is
            # two totals at once ("收入支出总计") is read as the first, the same figure.
            concepts = dict(
                con.execute(
                    "select item, any_value(concepts[1]) from figures where code is null group by item "
                    "having count(distinct concepts) = 1 and len(any_value(concepts)) >= 1"
                ).fetchall()
            )
        except duckdb.Error as error:
            if con is not None:
                con.close()
            raise DatabaseError(f"数据库 {self.database} 无法读取（{error}）；请重新运行 budgetbot ingest") from None
        vocabulary = Vocabulary.of(
            [*names, *units], codes, concepts, unit_aliases(units, [d.body for d in documents], names)
        )
        self._snapshot = _Snapshot(stamp, con, documents, files, vocabulary)
        return self._snapshot

    def _run(self, template: Template, params: dict[str, Any]) -> list[Row]:
        result = self.snapshot().con.execute(template.sql, params)
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def pages(self, document: str) -> int:
        return sum(pages for _, _, pages, _ in self.snapshot().files.get(document, []))

    def source(self, doc: DocumentInfo, place: str, page: int) -> Source:
        file_name, file_page = "", page
        for first, name, pages, _ in self.snapshot().files.get(doc.id, []):
            if first <= page < first + pages:
                file_name, file_page = name, page - first + 1
        return Source(doc.id, doc.body, doc.year, doc.phase, doc.edition, place, page, file_name, file_page)

    def file_path(self, document: str, file: str) -> Path | None:
        """Where a document's PDF file was ingested from, if it is still there."""
        for _, name, _, path in self.snapshot().files.get(document, []):
            if name == file and Path(path).is_file():
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

    def understand(self, question: str) -> tuple[Frame, Template | None]:
        """The question's frame and the template (by priority) whose pattern and needs it meets."""
        snapshot = self.snapshot()
        frame = frame_of(question, snapshot.documents, self.glossary, snapshot.vocabulary)
        if not frame.question:
            return frame, None
        return self._choose(frame)

    def _choose(self, asked: Frame) -> tuple[Frame, Template | None]:
        """The template (by priority) whose pattern and needs the frame meets, and the frame with its words claimed."""
        asked_for = operator_words(asked)
        operations = {word.operator.name for word in asked_for}
        for template in self.catalogue.values():
            if not operations <= set(template.operators):
                continue  # "基本支出是项目支出的几倍": only a template that computes the ratio answers it
            if template.match is not None and not _matched_outside_items(template, asked):
                continue  # "平均得分" is a printed name, not a question about an average
            frame = asked
            if template.default and not frame.items and (
                template.default_when is None or template.default_when.search(frame.question)
            ):
                # "社工部决算完成了全年预算的百分之几": the template's own default item (its total)
                frame = replace(frame, items=(ItemRef(template.default, 0, 0, concept=template.default),))
            if all(frame.has(need) for need in template.needs):
                claimed = [Span(m.start(), m.end(), "template") for m in _all(template, frame.question)]
                claimed += [Span(word.start, word.end, "operator") for word in asked_for]
                frame = frame.claimed(*claimed)
                if "text" in template.needs or "term" in template.needs:
                    # the free text is the slot itself ("群众满意度目标" of a 绩效 question)
                    taken = [s for s in frame.spans if s.kind in ("body", "year", "phase")]
                    free = "".join(
                        ch for i, ch in enumerate(frame.question) if not any(s.start <= i < s.end for s in taken)
                    )
                    frame = replace(frame, text=free).claimed(Span(0, len(frame.question), "template"))
                return frame, template
        return asked, None

    def _answer_afresh(self, question: str, document: str | None) -> Answer:
        whole = self._answer_whole(question, document)
        clauses = [c for c in _CLAUSE_BREAK.split(question) if c.strip()]
        if len(clauses) < 2 or not all(_ASKS.search(c) for c in clauses):
            return whole  # (a clause that asks nothing qualifies the question: "…是多少？不算上年结转的那块")
        if whole.status == "answered" and len({self.understand(c)[1] for c in clauses}) < 2:
            return whole  # (questions of one kind, read without answering each: see below)
        parts = self._answer_by_clause(clauses, document)
        if parts is None:
            return whole
        # "…项目安排了多少钱？安全事故发生数的绩效目标是多少": two kinds of question, which no one template answers;
        # questions of one kind, or whose every printed figure the whole answer shows ("三公经费多少？比上年增长多少"),
        # are the whole question's, as its template reads them
        if whole.status == "answered" and (len({p.template for p in parts}) < 2 or _shows_all(whole, parts)):
            return whole
        # a clause answered only by quoting the document adds nothing to a whole answered from figures
        quoted = any(p.template == QUOTE_TEMPLATE for p in parts)
        if whole.status == "answered" and whole.template != QUOTE_TEMPLATE and quoted:
            return whole
        return joined(parts)

    def _answer_by_clause(self, clauses: list[str], document: str | None) -> list[Answer] | None:
        """Each clause answered on its own, read in the document the one before was answered from; one that says
        nothing of what it asks about ("比上年增长多少", "决算完成率呢", "具体多少") leans on the one before. None
        unless every clause is answered."""
        answers: list[Answer] = []
        previous: str | None = None
        for clause in clauses:
            answer = self._answer_whole(clause, document)
            written = self.follow_up(previous, clause) if previous is not None else None
            alone = answer.status == "answered" and answer.template != QUOTE_TEMPLATE and not self._defaulted(clause)
            if written is not None and not alone:
                answer, clause = self._answer_whole(written, document), written
            if answer.status != "answered":
                return None
            answers.append(answer)
            document, previous = answer.document or document, clause
        return answers

    def _defaulted(self, question: str) -> bool:
        """Whether the question names no item and is answered for its template's own default (本年支出合计): the
        one item `_choose` put in covers no word of the question."""
        frame, template = self.understand(question)
        return template is not None and template.default is not None and all(i.end <= i.start for i in frame.items)

    def _answer_whole(self, question: str, document: str | None) -> Answer:
        answer = self._answer_as_written(question, document)
        if answer.status in ("not_understood", "no_data"):
            # "基本之出总表在第几页": read again with same-sounding slips replaced, and say so
            slips = self._homophones().corrections(normalize_question(question))
            if slips:
                again = self._answer_as_written(corrected(normalize_question(question), slips), document)
                if again.status in ("answered", "ambiguous"):
                    return replace(again, notes=(said(slips), *again.notes))
        if answer.status == "ambiguous" and answer.choices and all(c.document for c in answer.choices):
            # "会展业发展专项资金的绩效目标…" names no body: the one document whose sentences hold its words
            quoted = self._passages(question, tuple(c.document for c in answer.choices if c.document))
            if quoted is None or len({p.document for p in quoted}) != 1:
                return answer
            located = quoted[0].document
            again = self._answer_as_written(question, located)
            label = next(d.label for d in self.snapshot().documents if d.id == located)
            note = f"问题没有说是哪份文档；已加载的文档中只有{label}写到问题所说的内容，按它回答。"
            if again.status == "answered":
                return replace(again, notes=(*again.notes, note))
            return self._quoting(quoted, note)
        if answer.status in ("not_understood", "no_data"):
            quoted = self._passages(question, (document,) if document else None)
            if quoted:
                return self._quoting(quoted)
        return answer

    def _passages(self, question: str, among: tuple[str, ...] | None) -> list[Passage] | None:
        """The sentences of the document the question names (else of `among`, else of the one document a page of
        which holds its words) that hold the words it asks about, when no row, concept or template reads them
        (queries/passages.py)."""
        frame, template = self.understand(question)
        if any(not word.operator.quoted for word in operator_words(frame)):
            return None  # "人均…", "为什么多了…": an operation no quote carries out, refused by name
        if template is not None and "text" not in template.needs and not leftover_words(frame.question, frame.spans):
            return None  # every word was read: what the answer said is what the document has
        words = asked_words(frame.question, frame.spans)
        if not words:
            return None
        documents = self.snapshot().documents
        current = next((d for d in documents if among and len(among) == 1 and d.id == among[0]), None)
        chosen = select("document", question, frame.hints, documents, current, False)
        if chosen.missing is not None:
            return None
        ids = [d.id for d in chosen.documents] or [c.document for c in chosen.choices if c.document]
        if not chosen.documents and not frame.hints.body_names:
            ids = [d.id for d in documents]  # no body named: any document (the choices offered are a few)
        elif among and len(among) > 1:
            ids = [i for i in ids if i in among] or list(among)
        if not ids:
            return None
        rows = [
            (str(d), int(p), str(t))
            for d, p, t in self.snapshot()
            .con.execute(
                "select document_id, page, text from pages where list_contains($ids, document_id) "
                "order by list_position($ids, document_id), page",
                {"ids": ids},
            )
            .fetchall()
        ]
        # the years asked that are not the document's own ("2025年的…" in the 2026 budget) must be in the sentence
        asked = [y for y in frame.hints.years if all(y != d.year for d in documents if d.id in ids)]
        if len(ids) > 1 and not frame.hints.body_names:
            # no body named: the one page that holds the words places the question in its document
            located = located_page(words, rows)
            if located is None:
                return None
            rows = [row for row in rows if row[0] == located[0]]
            quoted = best_passages(frame.question, words, asked, rows)
            page = [row for row in rows if row[:2] == located]
            return quoted or best_passages(frame.question, words, asked, page, LOCATED_SHARE) or None
        return best_passages(frame.question, words, asked, rows) or None

    def _quoting(self, quoted: list[Passage], *why: str) -> Answer:
        """The sentences quoted as printed, each with its page, and what placed them."""
        by_id = {d.id: d for d in self.snapshot().documents}
        doc = by_id[quoted[0].document]
        sources = tuple(self.source(by_id[p.document], self._place(p.document, p.page), p.page) for p in quoted)
        values = tuple(Value("原文", text=p.text, source=k, role="text") for k, p in enumerate(quoted))
        return Answer(
            "answered",
            f"{doc.label}：原文中写到问题所说内容的句子",
            QUOTE_TEMPLATE,
            values=values,
            sources=sources,
            notes=(_QUOTED_NOTE, *why),
            document=doc.id,
        )

    def _place(self, document: str, page: int) -> str:
        """The title of the table printed on the page, else 情况说明."""
        row = (
            self.snapshot()
            .con.execute(
                "select title from doc_tables where document_id = ? and ? between first_page and last_page "
                "order by table_no limit 1",
                [document, page],
            )
            .fetchone()
        )
        return str(row[0]) if row and row[0] else "情况说明"

    def _homophones(self) -> Homophones:
        snapshot = self.snapshot()
        if not snapshot.homophones:
            bodies = {part for d in snapshot.documents for part in re.split(r"[省市区县]", d.body)[-1:]}
            words = [
                *self.glossary.words(),
                *snapshot.vocabulary.forms,
                *(word for operator in operators().operators for word in operator.words),
                *bodies,
            ]
            snapshot.homophones.append(Homophones(words))
        return snapshot.homophones[0]

    def _answer_as_written(self, question: str, document: str | None) -> Answer:
        documents = self.snapshot().documents
        frame, template, located = self._paraphrased(*self.understand(question), question, document)
        document = document or located
        asked_for = operator_words(frame)
        if template is None and asked_for:
            return self.operation_refused(frame, asked_for)
        if template is None:
            left = leftover_words(frame.question, frame.spans)
            if left and frame.question:
                return self.unbound(frame, None, left)
            return self.not_understood(question, frame)
        # a word the printed name of an item found already holds ("…俱乐部在职人员" names 在职 too)
        left = [w for w in leftover_words(frame.question, frame.spans) if not any(w[2] in i.label for i in frame.items)]
        # "委托第三方干活（委托业务费）": the asker's own words for the item the aside names by its printed name
        named_asides = [
            m.start()
            for m in re.finditer(r"\([^()]*\)", frame.question)
            if any(m.start() < i.start and i.end < m.end() for i in frame.items)
        ]
        left = [w for w in left if w[1] not in named_asides]
        if "keywords" in template.slots:
            # "有没有安排行政中心保安服务的钱": the words around an item are what the template looks for
            around = asked_spans(frame)
            left = [w for w in left if not any(a <= w[0] and w[1] <= b for a, b in around)]
        if left:
            return self.unbound(frame, template, left)
        if not documents and template.scope != "none":
            return Answer("no_data", "数据库中还没有文档；请先运行 budgetbot ingest 导入 PDF。", template.id)
        current = next((d for d in documents if d.id == document), None)
        chosen = select(
            template.scope, question, frame.hints, documents, current, "bodies2" in template.needs, self._printer(frame)
        )
        if chosen.missing is not None and template.scope == "document":
            later = self._year_after(frame, template, question, current)
            if later is not None:
                frame, chosen = later
        if chosen.missing is not None and template.scope == "document" and "本级" in frame.question:
            own = self._own_unit(frame, template, question, current)
            if own is not None:
                frame, chosen = own
        if chosen.missing is not None:
            # "2025年一般公共预算支出决算数": the figure asked for is named as the asker wrote it
            asked = _PHASE_ASKED.search(frame.question)
            figure = f"，所以没有问题所说的“{asked.group(0)}”" if asked else ""
            return Answer(
                "no_data",
                f"没有找到{chosen.missing}的文档{figure}。已加载的文档有：",
                template.id,
                suggestions=tuple(d.label for d in documents[:5]),
            )
        if chosen.choices:
            return Answer("ambiguous", "有几种可能，请选择：", template.id, choices=chosen.choices)
        answer = self.compose(template, frame, chosen.documents)
        if chosen.notes:
            answer = replace(answer, notes=answer.notes + chosen.notes)
        if located is not None and located == document:
            label = next(d.label for d in documents if d.id == located)
            note = f"问题没有说是哪份文档；按印有问题所说名称的{label}回答。"
            answer = replace(answer, notes=(*answer.notes, note))
        return answer

    def _paraphrased(
        self, frame: Frame, template: Template | None, question: str, document: str | None
    ) -> tuple[Frame, Template | None, str | None]:
        """Words left unbound read again as printed names the asker shortened ("文稿起草调研" for 政府重要文稿起草及调研
        工作; queries/paraphrase.py) in the document the question is about, or in the one body's documents that print
        them (returned, when the question did not say); the frame unchanged when any word stays unread."""
        unchanged = frame, template, None
        if any(not word.operator.shortened for word in operator_words(frame)):
            return unchanged
        left = leftover_words(frame.question, frame.spans)
        if not left:
            return unchanged
        documents = self.snapshot().documents
        current = next((d for d in documents if d.id == document), None)
        chosen = select("document", question, frame.hints, documents, current, False)
        if chosen.missing is not None:
            return unchanged
        # the document asked about, else each it may be (no body named: any), and only where every word binds
        candidates = chosen.documents or (
            tuple(documents)
            if not frame.hints.body_names
            else tuple(d for d in documents if any(c.document == d.id for c in chosen.choices))
        )
        found: dict[str, list[Bound]] = {}
        pairs = [w[i : i + 2] for _, _, w in left for i in range(len(w) - 1)]
        for doc in candidates:
            # (names listed without a separator are read only where the document's names hold most of the words:
            # reading them is slow, and the rest of the documents cannot bind them)
            printed = "\n".join(self._names_of(doc.id))
            held = sum(p in printed for p in pairs)
            if len(candidates) > 2 and held < LEAST_HELD * len(pairs):
                continue  # (no body named: a document whose names hold few of the words binds none of them)
            likely = len(candidates) <= 2 or held >= LISTED_SHARE * len(pairs)
            units = self._unit_names_of(doc)
            bound = rebind(
                frame.question,
                frame.spans,
                left,
                {**units, **self._names_of(doc.id)},
                normalize_question(doc.body),
                listed=likely,
                units=units,
            )
            if bound is not None:
                found[doc.id] = bound
        by_id = {d.id: d for d in documents}
        if not found or len({by_id[d].body for d in found}) != 1:
            return unchanged
        # (no body named: the first of that body's documents printing the names, 部门 before 单位 as loaded; said)
        located = next(iter(found)) if not chosen.documents else None
        bound = found[next(iter(found))]
        asked = [b for b in bound if not b.within]
        if not asked:
            return unchanged
        if any(i.start == b.end and i.words in _BARE_FLOW_WORDS for b in asked for i in frame.items):
            return unchanged  # "土地出让收入": the flow written after the words is part of the name asked, unprinted
        # the new names replace what the frame read inside them ("培训" of "党建业务培训")
        kept = [i for i in frame.items if not any(b.start <= i.start and i.end <= b.end for b in bound)]
        kept = [i for i in kept if not any(b.within and i.start >= b.start and i.end <= b.end for b in bound)]
        items = [
            ItemRef(b.words, b.start, b.end, names=(b.name,), guessed=normalize_question(b.name) != b.words)
            for b in asked
        ]
        spans = [s for s in frame.spans if s.kind not in _CHOSEN_SPANS]
        spans += [Span(b.start, b.end, "item") for b in bound] + [Span(*b.read, "paraphrase") for b in bound]
        rebuilt = replace(frame, items=tuple(sorted([*kept, *items], key=lambda i: i.start)), spans=tuple(spans))
        again, chosen_template = self._choose(rebuilt)
        return (again, chosen_template, located) if chosen_template is not None else unchanged

    def _printer(self, frame: Frame) -> Callable[[DocumentInfo], bool] | None:
        """Whether a document prints every row the question names by a printed name (not by a concept,
        a code or a guess), to tell which document a question about a named project is about."""
        named = [item.names for item in frame.items if item.names and not (item.concept or item.guessed)]
        # (and the printed name the items are asked within: "工程设计管理中心里，其他工资福利支出")
        named += [(item.within,) for item in frame.items if item.within and item.within not in meanings().kinds]
        if not named:
            return None
        def prints(doc: DocumentInfo) -> bool:
            printed, units = self._names_of(doc.id).values(), self._units_of(doc.id)
            return all(any(n in printed or n in units for n in names) for names in named)

        return prints

    def _year_after(
        self, frame: Frame, template: Template, question: str, current: DocumentInfo | None
    ) -> tuple[Frame, Selection] | None:
        """A year with no document of its own ("2024年财政拨款收入" when only the 2025 budget is
        loaded): last year's figure as the next year's document gives it, said in the answer."""
        years = set(frame.hints.years)
        if len(years) != 1 or frame.hints.document_year is not None:
            return None
        year = years.pop()
        hints = replace(frame.hints, years=(year + 1,), document_year=year + 1)
        chosen = select(template.scope, question, hints, self.snapshot().documents, current, False)
        if chosen.missing is not None:
            return None
        note = f"没有{year}年的文档；以下是{year + 1}年文档中关于{year}年（上年）的数。"
        return replace(frame, hints=hints, prior=True), replace(chosen, notes=(*chosen.notes, note))

    def _own_unit(
        self, frame: Frame, template: Template, question: str, current: DocumentInfo | None
    ) -> tuple[Frame, Selection] | None:
        """ "水务局本级的委托业务费" with no 单位预算 loaded: the department's document lists its own unit
        ("深圳市水务局（本级）") with its rows; those rows answer, said in the answer."""
        hints = replace(frame.hints, edition=None)
        chosen = select(template.scope, question, hints, self.snapshot().documents, current, False)
        if chosen.missing is not None or len(chosen.documents) != 1:
            return None
        doc = chosen.documents[0]
        own = [u for u in self._units_of(doc.id) if label_key(u) == label_key(doc.body) + "(本级)"]
        if len(own) != 1 or not frame.items:
            return None
        if len(self._units_of(doc.id)) == 1:
            # the department is its own unit only: every figure of the document is the unit's, its
            # narrative's too (which prints no unit column)
            note = f"没有{doc.body}的单位预算；{doc.label}只有“{own[0]}”一个单位，以下是文档中的数。"
            return replace(frame, hints=hints), replace(chosen, notes=(*chosen.notes, note))
        items = tuple(replace(item, unit=own[0]) for item in frame.items)
        note = f"没有{doc.body}的单位预算；以下是{doc.label}中“{own[0]}”一行的数。"
        return replace(frame, items=items, hints=hints), replace(chosen, notes=(*chosen.notes, note))

    def compose(self, template: Template, frame: Frame, docs: tuple[DocumentInfo, ...]) -> Answer:
        if len(docs) == 1:
            frame = self._in_document(frame, docs[0])
        params = self.params(template, frame, docs)
        rows = _with_the_count(self._run(template, params), frame, self.glossary.concepts)
        known = {d.id: d for d in self.snapshot().documents}
        context = Context(
            template,
            frame,
            docs,
            params,
            rows,
            known,
            self.source,
            self.glossary,
            self.pages,
            self._empty_tables,
            self._page_text,
        )
        return COMPOSERS[template.compose](context)

    def _page_text(self, document: str, page: int) -> str:
        snapshot = self.snapshot()
        texts = snapshot.texts.get(document)
        if texts is None:
            rows = snapshot.con.execute("select page, text from pages where document_id = ?", [document]).fetchall()
            texts = snapshot.texts[document] = {int(p): str(t) for p, t in rows}
            while len(snapshot.texts) > _TEXTS_KEPT:
                snapshot.texts.popitem(last=False)
        else:
            snapshot.texts.move_to_end(document)
        return texts.get(page, "")

    def _empty_tables(self, document: str) -> list[tuple[str, str, int]]:
        """Tables the document prints without figures (本表无数据): (kind, title, page)."""
        rows = (
            self.snapshot()
            .con.execute(
                "select kind, title, first_page from doc_tables where document_id = ? and is_empty order by table_no",
                [document],
            )
            .fetchall()
        )
        return [(str(kind), str(title), int(page)) for kind, title, page in rows]

    def _indicator(self, words: str, document: str, question: str = "") -> str:
        """The 绩效 indicator a question names: the longest one its words (or the whole question, where a word
        of the indicator was read as something else: "预算控制率") hold, else the closest."""
        labels = [
            str(label)
            for (label,) in self.snapshot()
            .con.execute("select distinct label from text_facts where kind = 'target' and document_id = ?", [document])
            .fetchall()
        ]
        key = normalize_question(words)
        whole = normalize_question(question) or key
        inside = [
            label
            for label in labels
            if normalize_question(label) and (normalize_question(label) in key or normalize_question(label) in whole)
        ]
        if inside:
            return max(inside, key=len)
        match = process.extractOne(
            key, {label: normalize_question(label) for label in labels}, scorer=fuzz.ratio, score_cutoff=80
        )
        if match:
            return str(match[2])
        # "外网运行维护项目的故障修复响应时间目标" for 政务外网故障修复响应时间: the label sharing the longest run of
        # characters with the question, when that run is most of the label and no other label shares as much
        shared = sorted(((_common_run(key, normalize_question(label)), label) for label in labels), reverse=True)
        clear = shared and (len(shared) == 1 or shared[1][0] < shared[0][0])
        if clear and shared[0][0] >= max(4, len(normalize_question(shared[0][1])) // 2):
            return shared[0][1]
        # "政策解读类原创短视频" for 政策解读类新闻原创短视频: the label most of whose characters the question holds in
        # runs of two or more (a word left out inside), when no other label comes as close
        covered = sorted(((_covered(key, normalize_question(label)), label) for label in labels), reverse=True)
        if covered and covered[0][0] >= 0.75 and (len(covered) == 1 or covered[1][0] < covered[0][0]):
            return covered[0][1]
        return words

    def _printed_rows(self, document: str) -> list[tuple[str, str | None]]:
        """(item, code) of the rows one document prints by name or code, not by a concept alone."""
        snapshot = self.snapshot()
        printed = snapshot.printed
        if printed.complete or document in printed.by_document:
            return printed.by_document.get(document, [])
        if len(printed.by_document) < PRINTED_ONE_BY_ONE:
            rows = snapshot.con.execute(_PRINTED_ROWS.format("document_id = ? and"), [document]).fetchall()
            found = printed.by_document[document] = [(str(item), code) for _, item, code in rows]
            return found
        every: dict[str, list[tuple[str, str | None]]] = {}
        for doc, item, code in snapshot.con.execute(_PRINTED_ROWS.format("")).fetchall():
            every.setdefault(doc, []).append((str(item), code))
        printed.by_document, printed.complete = every, True
        return every.get(document, [])

    def _names_of(self, document: str) -> dict[str, str]:
        """The row names one document prints, as a question writes them → as stored."""
        snapshot = self.snapshot()
        cached = snapshot.names.get(document)
        if cached is None:
            cached = {normalize_question(item): item for item, _ in self._printed_rows(document)}
            snapshot.names[document] = cached
        return cached

    def _unit_names_of(self, doc: DocumentInfo) -> dict[str, str]:
        """The document's units by their printed names and the short forms they go by ("公路与运输管理中心" for
        湖州市公路与运输管理中心), as a question writes them → as stored: a shortened one binds to its unit."""
        snapshot = self.snapshot()
        cached = snapshot.unit_names.get(doc.id)
        if cached is None:
            units = self._units_of(doc.id)
            cached = {normalize_question(unit): unit for unit in units}
            cached.update({normalize_question(short): unit for short, unit in unit_aliases(units, [doc.body]).items()})
            snapshot.unit_names[doc.id] = cached
        return cached

    def _codes_of(self, document: str) -> list[tuple[str, str]]:
        """(code, name) of the coded rows one document prints."""
        snapshot = self.snapshot()
        cached = snapshot.codes.get(document)
        if cached is None:
            rows = self._printed_rows(document)
            cached = snapshot.codes[document] = [(str(code), item) for item, code in rows if code is not None]
        return cached

    def _units_of(self, document: str) -> frozenset[str]:
        """The units whose rows a document's tables list under their names (figures.parent of table rows)."""
        snapshot = self.snapshot()
        cached = snapshot.units.get(document)
        if cached is None:
            rows = snapshot.con.execute(
                "select distinct parent from figures where document_id = ? and source = 'table' and parent <> ''",
                [document],
            ).fetchall()
            cached = snapshot.units[document] = frozenset(str(parent) for (parent,) in rows)
        return cached

    def _unit_totals(self, document: str, unit: str) -> frozenset[str]:
        """The totals a unit's own rows are printed with (支出总计, 本年收入合计 …)."""
        rows = self.snapshot().con.execute(
            "select distinct unnest(concepts) from figures "
            "where document_id = ? and parent = ? and source = 'table' and code is null",
            [document, unit],
        ).fetchall()
        return frozenset(str(concept) for (concept,) in rows)

    def _of_unit(self, question: str, items: tuple[ItemRef, ...], doc: DocumentInfo) -> tuple[ItemRef, ...]:
        """The items asked of one of the document's units (queries/units.py); a printed name asked inside
        another printed name ("贸易高质量发展专项中进博会推进专项") is its own row, while a general word ("…运行费里，
        电费") stays read within it."""
        items = of_unit(question, items, self._units_of(doc.id), lambda unit: self._unit_totals(doc.id, unit))
        concepts = {c.name for c in self.glossary.concepts}
        return tuple(
            replace(i, within=None)
            if i.within and not i.concept and i.names and i.within not in concepts and i.within not in meanings().kinds
            else i
            for i in items
        )

    def _under_parent(self, items: tuple[ItemRef, ...], doc: DocumentInfo) -> tuple[ItemRef, ...]:
        """ "城乡社区管理事务行政运行": a 项 named right after its 款 is that one row, not two items."""
        coded = self._codes_of(doc.id)
        out: list[ItemRef] = []
        for item in items:
            parent = out[-1] if out else None
            if (
                parent is not None
                and parent.end == item.start
                and item.names
                and parent.names
                and not (item.concept or parent.concept)
            ):
                parents = {code for code, name in coded if name in parent.names}
                codes = tuple(
                    sorted(
                        {
                            code
                            for code, name in coded
                            if name in item.names and any(code.startswith(p) and code != p for p in parents)
                        }
                    )
                )
                if codes:
                    out[-1] = replace(
                        item, words=parent.words + item.words, start=parent.start, codes=codes, parent=parent.names[0]
                    )
                    continue
            out.append(item)
        return tuple(out)

    def _in_document(self, frame: Frame, doc: DocumentInfo) -> Frame:
        """A row the question names that this document prints under a slightly different name
        ("基本养老保险缴费" for its "机关事业单位基本养老保险费"): that row, said in the answer. Only a
        single clear match counts."""
        names = self._names_of(doc.id)
        items = []
        for item in self._under_parent(self._of_unit(frame.question, frame.items, doc), doc):
            spent = frame.question[item.end : item.end + 2] == "支出" and not item.concept and not item.codes
            longer = [n for n in names if n.endswith(item.words + "支出")] if spent else []
            if len(longer) == 1:
                # "职业年金缴费支出": the 项 机关事业单位职业年金缴费支出, not the 款 职业年金缴费 the words name
                items.append(replace(item, words=item.words + "支出", end=item.end + 2, names=(names[longer[0]],)))
                continue
            printed = [n for n in item.names if n in names.values()]
            if item.guessed and not item.concept and len(printed) > 1:
                # "绩效自评" begins 绩效自评的项目 and 绩效自评中共发现问题: each, under its own name
                items += [replace(item, names=(name,)) for name in printed]
                continue
            if item.concept or item.codes or not item.names or printed:
                items.append(item)
                continue
            close = [n for n in names if len(n) >= len(item.words) - 2]  # not a short name inside a long phrase
            whole = [n for n in close if n.startswith(item.words) and len(n) - len(item.words) <= 2]
            # "纳入…编制范围的预算单位" for 预算单位: the printed name is the item, qualified
            whole = whole or [n for n in close if n.endswith("的" + item.words)]
            if len(whole) == 1:
                # "机关事业单位基本养老保险缴费" for the printed "…缴费支出": the name with a word more
                items.append(replace(item, names=(names[whole[0]],), guessed=True))
                continue
            scored = process.extract(item.words, close, scorer=fuzz.partial_ratio, limit=2, score_cutoff=88)
            clear = len(item.words) >= 5 and scored and (len(scored) == 1 or scored[0][1] - scored[1][1] >= 5)
            items.append(replace(item, names=(names[scored[0][0]],), guessed=True) if clear else item)
        return replace(frame, items=tuple(items))

    def params(self, template: Template, frame: Frame, docs: tuple[DocumentInfo, ...]) -> dict[str, Any]:
        """The template's parameters: the documents to read and what the question names."""
        items = [*frame.items, *([frame.base] if frame.base else [])]
        concepts = [i.concept for i in items if i.concept]
        for item in items:
            concept = next((c for c in self.glossary.concepts if c.name == item.concept), None)
            if concept is not None and template.compose in _READS_PARTS:
                concepts += list(concept.parts)
            if concept is not None and concept.amount:
                concepts.append(concept.amount)  # "计划买车，平均一辆多少钱": the money of what is counted
        for item in items:
            if item.concept in YEAR_OF_GRAND and (item.scope or frame.scope) not in (None, "全部资金"):
                # one fund's grand total is its year's when it carries nothing over (compose.show_item)
                concepts += [YEAR_OF_GRAND[item.concept], CARRIED[item.concept]]
            if item.concept in OTHER_FLOW and item.scope not in (None, "全部资金"):
                concepts.append(OTHER_FLOW[item.concept])  # a fund's income is its spending in a budget (compose)
        if template.compose == "share" and frame.base is None and len(frame.items) == 1:
            item = frame.items[0]
            concepts.append(next((c.name for c in self.glossary.concepts if item.concept in c.parts), SHARE_OF))
        documents = [d.id for d in docs]
        if docs and template.scope == "document":
            earlier = [
                d.id
                for d in self.snapshot().documents
                if docs[0].year and d.body == docs[0].body and d.year == docs[0].year - 1 and d.phase == docs[0].phase
            ]
            documents += earlier  # last year's own figure, shown beside the one this document states
        given: dict[str, Any] = {
            "document": docs[0].id if docs else None,
            "documents": documents,
            "concepts": concepts,
            # a concept's own name too: "运维费" asks for the rows printed as 公务用车运行维护费
            "names": [n for i in items for n in i.names]
            + [label_key(i.concept) for i in items if i.concept]
            + [r for i in items if i.concept for c in self.glossary.concepts if c.name == i.concept for r in c.related],
            "codes": [c for i in items for c in i.codes],
            "count": frame.count,  # the question asks for a number of things
            "page": frame.page,
            "kind": frame.table,
            "limit": frame.top or 100,
            "term": frame.term,
            "indicator": (
                self._indicator(frame.text, docs[0].id, frame.question)
                if docs and "indicator" in template.slots
                else ""
            ),
            "words": _words_pattern(template, frame.text),
            # (read only for the templates that take them: every question passes here)
            "keywords": keywords_pattern(asked_keywords(frame)) if "keywords" in template.slots else "",
            "question": frame.question,
        }
        return {slot: given[slot] for slot in template.slots}

    def unbound(self, frame: Frame, template: Template | None, left: list[tuple[int, int, str]]) -> Answer:
        """A question with words the frame could not bind: say which, answer nothing else."""
        items = list(frame.items)
        words = []
        for start, end, word in left:
            # "土地出让收入": the unprinted item is named whole, not as "土地出让" beside a 收入总计 found
            flow = next((i for i in items if i.start == end and i.words in _BARE_FLOW_WORDS), None)
            if flow is not None:
                items.remove(flow)
                word += flow.words
            # "深圳书展": a place word run into the name is part of it
            place = next((p for p in frame.spans if p.end == start and p.kind in ("body", "place")), None)
            if place is not None and place.end - place.start <= 3:
                word = frame.question[place.start : place.end] + word
            word = counted_phrase(frame.question[start:], word)  # "在编" → "在编人员"
            words.append(word)
        quoted = "、".join(f"“{w}”" for w in words)
        found = "、".join(f"“{i.label}”" for i in items)
        if any(_ITEM_ENDING.search(w) for w in words) or frame.items:
            head = f"找到了{found}，但" if found else ""
            return Answer(
                "no_data",
                f"{head}已加载的文档中没有{quoted}这一项（表格和情况说明都没有印出），所以不作回答。",
                template.id if template else None,
                notes=("可以换成文档印出的名称或科目编码再问；/docs 查看文档，“列出……表”查看表中的行。",),
            )
        answer = self.not_understood(frame.question, frame)
        return replace(answer, headline=f"没有看懂{quoted}。可以这样问：")

    def operation_refused(self, frame: Frame, asked_for: list[OperatorWord]) -> Answer:
        """A question whose operator words no template could carry out with what it names: say which
        word and what it asks for, instead of answering without it (the figures without their ratio)."""
        first = asked_for[0]
        words = "、".join(dict.fromkeys(f"“{word.word}”" for word in asked_for))
        found = "、".join(f"“{i.label}”" for i in frame.items)
        head = f"找到了{found}，但" if found else ""
        operator_spans = [Span(w.start, w.end, "operator") for w in asked_for]
        unknown = [word for _, _, word in leftover_words(frame.question, [*frame.spans, *operator_spans])]
        if unknown:
            # "有基建项目吗": what it asks about is not printed, which is the first thing to say
            head = "已加载的文档中没有" + "、".join(f"“{w}”" for w in unknown) + "这一项；" + head
        examples = [
            example
            for template in self.catalogue.values()
            if first.operator.name in template.operators
            for example in template.examples
        ]
        return Answer(
            "not_understood",
            f"{head}问题中的{words}问的是{first.operator.title}，这样问还回答不了"
            "（缺少它需要的项目、单位或年份，或者还没有实现），所以不作回答。",
            notes=("可以换个问法，或者分别问各项的数字。",),
            suggestions=tuple(examples[:3]),
        )

    def follow_up(self, previous: str, question: str) -> str | None:
        """A follow-up that leans on the previous question ("那上年呢？", "占基本支出的比例呢？", "公用经费
        呢？" after "社会保障和就业支出里人员经费多少"), written out in full; None when it stands alone."""
        snapshot = self.snapshot()
        now = frame_of(question, snapshot.documents, self.glossary, snapshot.vocabulary)
        if not now.question or (now.hints.any and now.items):
            return None
        before = frame_of(previous, snapshot.documents, self.glossary, snapshot.vocabulary)
        if not before.items:
            return None
        asks_share_of = (
            now.base is None
            and re.search(r"占", now.question)
            and all(now.question.find("占") < i.start for i in now.items)
        )
        if (not now.items or asks_share_of) and not now.hints.bodies:
            return previous + question  # the same items, asked another way (上年, 占比, 占X的比例 …)
        spending = [i for i in now.items if i.concept in SPENDING]
        split = [i for i in before.items if i.spending]
        if spending and len(spending) == len(now.items) and split:
            # the same row, split by another kind of spending
            row = split[0]
            return (
                before.question[: row.start]
                + before.question[row.start : row.end].replace(row.spending or "", spending[0].words)
                + before.question[row.end :]
            )
        return None

    def not_understood(self, question: str, frame: Frame | None = None) -> Answer:
        examples = [e for t in self.catalogue.values() for e in t.examples]
        best = process.extract(normalize_question(question), examples, scorer=fuzz.ratio, limit=3)
        return Answer(
            "not_understood",
            "没有看懂这个问题。可以这样问：",
            suggestions=tuple(example for example, _, _ in best),
        )


def _shows_all(whole: Answer, parts: list[Answer]) -> bool:
    """Whether every printed figure and text the parts give is in the whole answer too."""

    def shown(answer: Answer) -> set[str]:
        return {(v.printed or "").replace(",", "") or (v.text or "") for v in answer.values if v.printed or v.text}

    return all(shown(part) <= shown(whole) for part in parts)


QUOTE_TEMPLATE = "passage"  # an answer that quotes the document's sentences (queries/passages.py)
# Where one question ends and the next begins, within what was sent as one ("…多少钱？…目标是多少"), and the words
# that make a clause a question of its own.
_CLAUSE_BREAK = re.compile(r"[？?；;]+")
_ASKS = re.compile(r"多少|几|什么|哪|吗|是否|有没有|呢|怎么|为什么|为啥|咋|多大|多高|多长|如何")
# The words that ask for a final account's or an execution's figures, named when no such document is loaded.
_PHASE_ASKED = re.compile(r"决算数|决算|执行数|实际支出数?|实际执行数?")
# The share of the unbound words' character pairs a document's printed names must hold to be read for names
# listed without a separator (queries/paraphrase.py).
LISTED_SHARE = 0.7
LEAST_HELD = 0.3
_CHOSEN_SPANS = frozenset({"template", "operator"})  # claimed again by the template chosen for the new items
# A quoted sentence is the document's words, not a figure read from its tables: said with every quote.
_QUOTED_NOTE = "表格中没有直接回答这个问题的一行；以上照原文引出文档中的句子，不是从表格读出的数字，请以原文为准。"
_QUESTION_WORDS = re.compile(r"哪些|什么样?的?|管不管|负不负责|是否|负责|工作|事|性质|单位|哪")


def _with_the_count(rows: list[Row], frame: Frame, concepts: Sequence[Concept]) -> list[Row]:
    """A count asked with the money of what it counts ("多少个项目纳入绩效目标管理，涉及多少钱"): of that money, the
    narrative's figure stated in the count's own sentence, not another sentence's (the whole department's)."""
    asked = {i.concept for i in frame.items if i.concept}
    money = {c.amount: c.name for c in concepts if c.amount and c.name in asked and c.amount in asked}
    if not money:
        return rows
    def amount_of(row: Row) -> str | None:
        return next((c for c in row["concepts"] or () if c in money), None)

    said = {r["sentence"] for r in rows if r["source"] == "text" and set(r["concepts"] or ()) & set(money.values())}
    stated = {amount_of(r) for r in rows if r["source"] == "text" and amount_of(r) and r["sentence"] in said}
    # (only where the count's sentence states the money: else every figure of it stays)
    return [r for r in rows if not (r["source"] == "text" and amount_of(r) in stated and r["sentence"] not in said)]


def _words_pattern(template: Template, text: str) -> str:
    """A regular expression for the words a text search looks for: the question's free words less the
    template's own ("督查科负责哪些工作" → 督查科). Bound as a parameter, never spliced into SQL."""
    matches = _all(template, text)
    words = [word for _, _, word in leftover_words(text, [Span(m.start(), m.end(), "template") for m in matches])]
    # a verb the template's own words carry ("收养哪些人" → 收养) when nothing else is left
    words = words or [w for m in matches if len(w := _QUESTION_WORDS.sub("", m.group(0))) >= 2]
    return "|".join(re.escape(word) for word in words) if words else "[^\\s\\S]"  # RE2: no lookahead


def keywords_pattern(keywords: list[str]) -> str:
    """A regular expression for the words an existence question asks about: each as written, and a name that
    starts as it does and holds its other characters in order ("物业费" in 物业管理费). Bound as a parameter."""
    if not keywords:
        return "[^\\s\\S]"  # RE2: nothing
    spread = ["^" + re.escape(k[:2]) + "".join(".*" + re.escape(ch) for ch in k[2:]) for k in keywords if len(k) >= 3]
    return "|".join([*(re.escape(k) for k in keywords), *spread])


def operator_words(frame: Frame) -> list[OperatorWord]:
    """The operator words of the question (queries/operators.toml) outside the items and bodies it names:
    "平均得分" printed as a row is an item, not an average."""
    named = [s for s in frame.spans if s.kind in ("item", "body", "code", "term")]
    return [
        word
        for word in operators().find(frame.question)
        if not any(s.start <= word.start and word.end <= s.end for s in named)
    ]


def _covered(question: str, label: str) -> float:
    """The share of `label`'s characters that `question` holds in runs of two or more, in order."""
    if not label:
        return 0.0
    blocks = SequenceMatcher(None, question, label, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 2) / len(label)


def _common_run(a: str, b: str) -> int:
    """The length of the longest run of characters `a` and `b` share."""
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _matched_outside_items(template: Template, frame: Frame) -> bool:
    """Whether the template's pattern matches words of the question that name no item."""
    if template.match is None or template.match.search(frame.question) is None:
        return False
    items = [s for s in frame.spans if s.kind == "item"]
    return any(
        not any(s.start <= m.start() and m.end() <= s.end for s in items) for m in _all(template, frame.question)
    )


def _all(template: Template, question: str) -> list[re.Match[str]]:
    """Every match of the template's pattern, overlapping ones too ("在哪一页": 在哪 and 哪一页)."""
    if template.match is None:
        return []
    found = (template.match.match(question, start) for start in range(len(question)))
    return [m for m in found if m is not None and m.end() > m.start()]
