"""The 绩效目标 tables' money against the budget tables: the same department, the same year, one budget."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from checker.figures import NUMBER, amount_of, decimals, first_of_kind, shown, where
from checker.findings import Finding, rule
from checker.tables import column_total, top_total
from checker.text import PageText
from ingest.numbers import normalize, to_yuan
from ingest.tables import Fact, FoundTable

# "部门预算总金额（万元） 225.01 / 预算情况 其中：基本支出 30 / 项目支出 195.01" (an 整体绩效目标表).
_OVERALL = re.compile(
    rf"部门预算总(?:金)?额[（(](?P<unit>万元|元)[)）]\s*(?P<total>{NUMBER})"
    rf"(?:[^\d]{{0,40}}?基本支出\s*(?P<basic>{NUMBER}))?(?:[^\d]{{0,40}}?项目支出\s*(?P<project>{NUMBER}))?"
)


rule("X08", "error", "整体绩效目标表的部门预算总金额、基本支出、项目支出与预算表相同")
def overall_performance(tables: Sequence[FoundTable], pages: Sequence[PageText]) -> Iterator[Finding]:
    """X08: the 整体绩效目标表 restates the department's budget; its figures are the 支出表's."""
    expenditure = first_of_kind(tables).get("expenditure")
    if expenditure is None:
        return
    budget = {
        "部门预算总金额": top_total(expenditure),
        "基本支出": column_total(expenditure, "基本支出"),
        "项目支出": column_total(expenditure, "项目支出"),
    }
    for page in pages:
        if not page.has_tables:
            continue
        for found in _OVERALL.finditer(normalize(page.text)):
            unit = found["unit"]
            for label, group in (("部门预算总金额", "total"), ("基本支出", "basic"), ("项目支出", "project")):
                printed, fact = found[group], budget[label]
                if printed is None or fact is None or fact.amount_yuan is None:
                    continue
                stated = to_yuan(amount_of(printed), unit)
                if abs(stated - fact.amount_yuan) <= _tolerance(printed, unit, fact):
                    continue
                yield Finding(
                    "X08",
                    "error",
                    f"第{page.number}页整体绩效目标表{label}{printed}{unit}，{where(expenditure, fact.page)}"
                    f"{'支出合计' if label == '部门预算总金额' else label}为{shown(fact)}",
                    tuple(sorted({page.number, fact.page})),
                    (printed, fact.printed),
                )


def _tolerance(printed: str, unit: str, fact: Fact) -> Decimal:
    """Half a unit of the coarser printed digit, in 元."""
    mine = to_yuan(Decimal(1).scaleb(-decimals(printed)) / 2, unit)
    theirs = to_yuan(Decimal(1).scaleb(-decimals(fact.printed)) / 2, fact.unit or "元")
    return max(mine, theirs)
