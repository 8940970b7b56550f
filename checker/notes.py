"""Notes under tables ("注：本部门无政府性基金预算…故本表为空表") against what the tables print, and the
fund tables against the 财政拨款收支总表 that says whether the fund has any money at all."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from checker.figures import lines_of, printed_figures, shown, where
from checker.findings import Finding, rule
from checker.text import PageText
from ingest.numbers import normalize
from ingest.tables import Fact, FoundTable

# The fund (or expense) a table of each kind is about, and how a note names it.
FUND_OF_KIND = {"gov_fund": "政府性基金", "state_capital": "国有资本经营", "three_public": "“三公”经费"}
_FUND_WORDS = {"政府性基金": r"政府性基金", "国有资本经营": r"国有资本经营", "“三公”经费": r"三公"}
# A note saying the table is empty: "故本表为空表", "本表无数据", "此表为空", "本表数为零",
# "注：本部门无相关收支项目", "说明：…本年度没有…支出，故本表无数据".
_NOTE = re.compile(
    r"(?:(?:注|说明)[:：][^。\n]{0,60}?(?:无|没有)[^。\n]{0,60}|[^。\n]{0,60}(?:本表|此表)(?:为空表?|无数据|数为零|无内容)"
    r"|^[（(]无[^）)\n]{1,30}[）)]$)"
)

# "注：无。" / "备注：无": nothing to remark, no claim that the table is empty.
_NO_REMARK = re.compile(r"(?:备)?(?:注|说明)[:：]无[。.;；]?")
# "此表如无数字则表示单位无该项支出": a condition, not a claim about this table.
_CONDITIONAL = re.compile(r"如果?[^。\n]{0,20}?(?:无|没有)[^。\n]{0,20}?则|若[^。\n]{0,20}?(?:无|没有)")


@dataclass(frozen=True)
class Note:
    page: int
    text: str
    fund: str | None  # the fund the note names, if any


def notes_on(page: PageText) -> list[Note]:
    """The notes printed on a table page (the narrative's own "本表数为零" explains, it is no note)."""
    if not page.has_tables:
        return []
    out = []
    for line in page.text.split("\n"):
        flat = normalize(line).replace(" ", "")
        for found in _NOTE.finditer(flat):
            if _NO_REMARK.fullmatch(found.group(0)) or _CONDITIONAL.search(found.group(0)):
                continue
            named = [fund for fund, words in _FUND_WORDS.items() if re.search(words, found.group(0))]
            out.append(Note(page.number, found.group(0), named[0] if len(named) == 1 else None))
    return out


def printed_amounts(table: FoundTable) -> list[Fact]:
    """The non-zero amounts a table prints (a table of zeros says as little as an empty one)."""
    return [f for f in table.facts if f.amount is not None and f.amount != 0]


rule("C03", "error", "表下注明“本表无数据”的表确实没有数字，注中说的是这张表；无数据的基金、“三公”表有说明")
def table_notes(tables: Sequence[FoundTable], pages: Sequence[PageText]) -> Iterator[Finding]:
    """C03: a note saying the table is empty under a table that prints figures (error); a note naming
    another fund than its table's (warning: copied from the table before); an empty fund or “三公” table
    with no note on its page and no word in the text that the body has no such money (warning)."""
    by_number = {p.number: p for p in pages}
    on_page: dict[int, list[FoundTable]] = {}
    for table in tables:
        for number in table.pages:
            on_page.setdefault(number, []).append(table)
    for table in tables:
        fund = FUND_OF_KIND.get(table.kind)
        figures = printed_amounts(table)
        notes = [n for number in table.pages if number in by_number for n in notes_on(by_number[number])]
        own = [n for n in notes if _is_about(n, table, on_page[n.page])]
        if figures:
            for note in own:
                if note.fund is None or note.fund == fund:
                    yield Finding(
                        "C03",
                        "error",
                        f"{where(table, note.page)}印有数字（如{figures[0].item_name or figures[0].item}"
                        f"{shown(figures[0])}），表下却注明“{note.text}”",
                        (note.page,),
                        printed_figures(figures[0]),
                    )
                    break
            continue
        if fund is None:
            continue
        other = next((n for n in own if n.fund is not None and n.fund != fund), None)
        if other is not None:
            yield Finding(
                "C03",
                "warning",
                f"{where(table, other.page)}是{fund}的表，表下的注却说“{other.text}”（说的是{other.fund}）",
                (other.page,),
            )
        elif not own:
            said = _said_none(fund, pages)
            explained = f"，说明第{said}页交代了没有这项资金" if said else "，说明中也没有交代"
            yield Finding(
                "C03",
                "info" if said else "warning",
                f"{where(table)}没有数字，页上没有注明原因（如“本部门无{fund}…故本表无数据”）{explained}",
                (table.pages[0], *((said,) if said else ())),
            )


def _is_about(note: Note, table: FoundTable, neighbours: list[FoundTable]) -> bool:
    """Whether a note on the page is this table's: the page's only table, the table of the fund it names,
    or the page's only table without figures when the note names no fund ("此表为空" under one of two)."""
    if len(neighbours) == 1:
        return True
    if note.fund is not None:
        return note.fund == FUND_OF_KIND.get(table.kind)
    empty = [t for t in neighbours if not printed_amounts(t)]
    return empty == [table]


def _said_none(fund: str, pages: Sequence[PageText]) -> int | None:
    """The narrative page that says the body has none of this money ("没有使用政府性基金预算拨款安排的
    支出", "政府性基金拨款支出预算为0", "本部门无政府性基金预算")."""
    words = _FUND_WORDS[fund]
    none = re.compile(
        rf"(?:无|没有|未)[^。；，]{{0,12}}{words}|{words}[^。；]{{0,24}}?0(?:\.0+)?(?:万?元)?(?![\d.])"
        rf"|{words}[^。；]{{0,30}}(?:无|没有)"
    )
    return next((p.number for p in pages if not p.has_tables and none.search(normalize(p.text))), None)


rule("X06", "error", "财政拨款收支总表中某类资金为零时，该资金的支出表也没有数字")
def fund_tables(tables: Sequence[FoundTable]) -> Iterator[Finding]:
    """X06: when the 财政拨款收支总表 prints 0 (or leaves blank) a fund's income and spending, that fund's
    own table prints no figures; and a fund table with figures has them in the summary too."""
    summary = next((t for t in tables if t.kind == "fiscal_summary" and not t.is_empty), None)
    if summary is None:
        return
    for kind, fund in (("gov_fund", "政府性基金"), ("state_capital", "国有资本经营")):
        table = next((t for t in tables if t.kind == kind), None)
        if table is None:
            continue
        figures = printed_amounts(table)
        said = [
            line.top
            for line in lines_of(summary)
            if line.top is not None and fund in line.item and "结转" not in line.item and "结余" not in line.item
        ]
        if not figures or not said:
            continue
        if all(f.printed == "" or f.amount == 0 for f in said):
            first = said[0]
            yield Finding(
                "X06",
                "error",
                f"{where(summary, first.page)}{fund}预算为{shown(first)}，"
                f"{where(table, figures[0].page)}却印有{figures[0].item_name or figures[0].item}{shown(figures[0])}",
                tuple(sorted({first.page, figures[0].page})),
                printed_figures(first, figures[0]),
            )
