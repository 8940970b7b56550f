"""The budget as a 绩效目标 table restates it, against the budget tables: one department, one year, one budget."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from checker.findings import Finding, rule
from checker.stored import FigureMeaning, StoredFigure
from checker.twice import last_digit_yuan
from ingest.meaning import meanings
from ingest.tables import FoundTable

_ALL_FUNDS = "全部资金"
# "资金总额" restates the whole budget: with the carry-over (支出总计) or the year's own (本年支出合计)
_READ_AS = {"支出总计": ("支出总计", "本年支出合计")}

rule("X08", "error", "整体绩效目标表重述的资金总额、基本支出、项目支出与预算表某一资金口径的数相同")
def overall_performance(tables: Sequence[FoundTable], figures: Sequence[StoredFigure]) -> Iterator[Finding]:
    """X08: a table that restates the budget (an 整体支出绩效目标表's "年度预算安排（万元） 资金总额 | 项目支出 |
    基本支出", read at ingest by ingest/projects.py) prints what the budget tables print. It does not say of which
    fund, so a figure is an error only when no fund scope's figure of the same concept, role and year agrees
    (泉州: 项目支出 2285.57 is neither all funds' 9,269.43 nor 一般公共预算's 5,069.43)."""
    restating = {
        number
        for number, table in enumerate(tables, start=1)
        if (meaning := meanings().kinds.get(table.kind)) is not None and meaning.restates
    }
    budget = [
        (figure, figure.meaning)
        for figure in figures
        if figure.table_no not in restating and figure.meaning is not None and _whole(figure.meaning)
    ]
    for figure in figures:
        restated = figure.meaning
        if figure.table_no not in restating or restated is None or not _whole(restated):
            continue
        assert restated.value_yuan is not None
        for concept in restated.concepts:
            same = [
                (b, m)
                for b, m in budget
                if set(_READ_AS.get(concept, (concept,))) & set(m.concepts)
                and m.role == restated.role
                and m.ref_year == restated.ref_year
            ]
            if not same:
                continue
            if any(_agree(figure, restated, b, m) for b, m in same):
                continue
            # cited: the all-funds figure of the concept itself (支出总计 before 本年支出合计), first as printed
            cited, cited_meaning = min(
                same,
                key=lambda p: (
                    (p[1].scope or _ALL_FUNDS) != _ALL_FUNDS,
                    concept not in p[1].concepts,
                    (p[0].table_no, p[0].page, p[0].row_no, p[0].col_no),
                ),
            )
            mine, theirs = tables[figure.table_no - 1], tables[cited.table_no - 1]
            yield Finding(
                "X08",
                "error",
                f"第{figure.page}页《{mine.title}》{restated.name}为{figure.printed}{restated.unit or ''}，"
                f"《{theirs.title}》第{cited.page}页{cited_meaning.name}为{cited.printed}{cited_meaning.unit or ''}："
                "与预算表任一资金口径的数都不同",
                tuple(sorted({figure.page, cited.page})),
                (figure.printed, cited.printed),
            )


def _whole(meaning: FigureMeaning | None) -> bool:
    """An amount of the department's whole budget line: not a unit's row, nor one kind of spending's part."""
    return (
        meaning is not None
        and meaning.measure == "金额"
        and meaning.value_yuan is not None
        and meaning.spending == "合计"
        and not meaning.parent
        and bool(meaning.concepts)
    )


def _agree(figure: StoredFigure, meaning: FigureMeaning, other: StoredFigure, other_meaning: FigureMeaning) -> bool:
    assert meaning.value_yuan is not None and other_meaning.value_yuan is not None
    tolerance = max(
        last_digit_yuan(figure.printed, meaning.value_yuan), last_digit_yuan(other.printed, other_meaning.value_yuan)
    )
    return abs(meaning.value_yuan - other_meaning.value_yuan) <= tolerance
