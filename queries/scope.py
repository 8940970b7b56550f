"""Which documents a question is about, for each template scope (see catalogue.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from queries.answer import Choice
from queries.frame import DocumentHints, DocumentInfo, candidates

MAX_CHOICES = 10


@dataclass(frozen=True)
class Selection:
    """The documents to read, or the choices to offer, or what was asked for that is not loaded."""

    documents: tuple[DocumentInfo, ...] = ()
    choices: tuple[Choice, ...] = ()
    notes: tuple[str, ...] = ()  # how the documents were picked, said in the answer
    missing: str | None = None


def describe(hints: DocumentHints) -> str:
    """ "万里街道办事处 2019年 预算": what the question asked for, in its words."""
    parts = [
        hints.unknown_body or "、".join(hints.body_names),
        "/".join(f"{y}年" for y in hints.years),
        f"{hints.edition}{hints.phase or '预算或决算'}" if hints.edition else (hints.phase or ""),
    ]
    return " ".join(p for p in parts if p) or "符合条件"


def select(
    scope: str,
    question: str,
    hints: DocumentHints,
    documents: Sequence[DocumentInfo],
    current: DocumentInfo | None,
    compare_bodies: bool = False,
    prints: Callable[[DocumentInfo], bool] | None = None,
) -> Selection:
    """`prints` tells whether a document prints every row the question names by its printed name."""
    if scope == "none":
        return Selection()
    if hints.unknown_body:
        return Selection(missing=describe(hints))
    if scope == "document":
        return _one_document(question, hints, documents, current, prints)
    if scope == "all":
        found = candidates(hints, list(documents))
        return Selection(tuple(found)) if found else Selection(missing=describe(hints))
    if scope == "years":
        return _one_body(question, hints, documents, current)
    return _one_year(question, hints, documents, current, compare_bodies)


def _one_document(
    question: str,
    hints: DocumentHints,
    documents: Sequence[DocumentInfo],
    current: DocumentInfo | None,
    prints: Callable[[DocumentInfo], bool] | None,
) -> Selection:
    found = candidates(hints, list(documents))
    if current is not None and (not hints.any or current in found):
        return Selection((current,))  # the conversation's document, unless the question names another
    if not found:
        return Selection(missing=describe(hints))
    printing = [d for d in found if prints(d)] if prints is not None and len(found) > 1 else []
    if len(printing) == 1:
        # "信访局临聘人员经费安排了多少": a project only one loaded document prints is that document's
        note = f"已加载的文档中只有{printing[0].label}印有问题所说的这一项，按它回答。"
        return Selection(tuple(printing), notes=(note,))
    found = printing or found
    if len(found) > 1:
        return Selection(choices=tuple(Choice(d.label, d.id, question) for d in found[:MAX_CHOICES]))
    return Selection((found[0],))


def _one_year(
    question: str,
    hints: DocumentHints,
    documents: Sequence[DocumentInfo],
    current: DocumentInfo | None,
    compare_bodies: bool,
) -> Selection:
    """Several bodies in one year: one document per body (部门 edition first), one phase."""
    # The bodies the question lists ("政协、法院、人大"), else all
    named = compare_bodies or hints.mentions >= 2
    found = [d for d in documents if not named or d.id in hints.bodies]
    if hints.years:
        found = [d for d in found if d.year in hints.years]
    elif current is not None and any(d.year == current.year for d in found):
        found = [d for d in found if d.year == current.year]
    else:
        years = sorted({d.year for d in found if d.year}, reverse=True)
        if len(years) > 1:
            return Selection(choices=tuple(Choice(f"{y}年", None, f"{y}年{question}") for y in years[:MAX_CHOICES]))
    found, notes = _one_phase_and_edition(found, hints)
    if not found:
        return Selection(missing=describe(hints))
    return Selection(tuple(found), notes=notes)


def _one_body(
    question: str, hints: DocumentHints, documents: Sequence[DocumentInfo], current: DocumentInfo | None
) -> Selection:
    """One body over several years: one document per year (部门 edition first), one phase."""
    names = list(hints.body_names)
    if len(names) > 1 and len(set(hints.years)) >= 2:
        # "财政局2025年…比2024年…": the body that has a document for each year asked
        names = [b for b in names if {d.year for d in documents if d.body == b} >= set(hints.years)] or names
    if len(names) > 1:
        return Selection(choices=tuple(Choice(b, None, f"{b}{question}") for b in names))
    hints = replace(hints, body_names=tuple(names))
    if hints.body_names:
        body = hints.body_names[0]
    elif current is not None:
        body = current.body
    else:
        bodies = list(dict.fromkeys(d.body for d in documents))
        if len(bodies) != 1:
            return Selection(choices=tuple(Choice(b, None, f"{b}{question}") for b in bodies[:MAX_CHOICES]))
        body = bodies[0]
    found = [d for d in documents if d.body == body]
    if hints.years:
        found = [d for d in found if d.year in hints.years]
    found, notes = _one_phase_and_edition(found, hints, question)
    if not found:
        return Selection(missing=describe(hints))
    return Selection(tuple(sorted(found, key=lambda d: d.year or 0)), notes=notes)


# Words that ask for the other phase's figure of some year ("2024年花了多少、2025年预算多少").
_OTHER_PHASE = {
    "预算": re.compile(r"花了|花掉|用了|实际|决算|执行了|支出了"),
    "决算": re.compile(r"预算(?:安排|多少|是|为)|安排了?多少|计划"),
}


def _one_phase_and_edition(
    found: list[DocumentInfo], hints: DocumentHints, question: str = ""
) -> tuple[list[DocumentInfo], tuple[str, ...]]:
    notes: list[str] = []
    phases = {d.phase for d in found}
    if hints.phase and len({d.year for d in found}) > 1 and _OTHER_PHASE[hints.phase].search(question):
        # "办公费2024年花了多少、2025年预算多少": the phase word is one year's; a year no document of that
        # phase covers is read in the document it has (the series says which phase each point is)
        covered = {d.year for d in found if d.phase == hints.phase}
        found = [d for d in found if d.phase == hints.phase or d.year not in covered]
    elif hints.phase:
        found = [d for d in found if d.phase == hints.phase]
    elif len(phases) > 1 and len({d.year for d in found}) == len(found):
        pass  # one document a year, whichever its phase: "2025年预算比2024年决算"
    elif len(phases) > 1:
        found = [d for d in found if d.phase == "预算"]
        notes.append("只比较预算文档（问题中写“决算”则比较决算）。")
    if hints.edition:
        found = [d for d in found if d.edition == hints.edition]
    else:
        kept: dict[tuple[str, int | None, str], DocumentInfo] = {}
        for doc in found:
            key = (doc.body, doc.year, doc.phase)
            if key not in kept or doc.edition == "部门":
                kept[key] = doc
        if len(kept) < len(found):
            notes.append("同一单位既有部门预算又有单位预算时取部门预算（部门预算含所属单位）。")
        found = list(kept.values())
    return found, tuple(notes)
