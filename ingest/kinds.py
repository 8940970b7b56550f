"""Table kinds, and the kind a printed table title names.

Apart from ingest/tables.py (no PDF library here): questions name table kinds too ("三公经费表在第几
页"), and answering must not import the PDF stack.
"""

from __future__ import annotations

import re

from ingest.numbers import normalize

__all__ = ["NARRATIVE_PLACE", "TABLE_KINDS", "classify_title"]

NARRATIVE_PLACE = "情况说明"  # the place of a figure the narrative states (a table's figures are placed by its title)

# (kind, Chinese name, title pattern). The first match wins, so specific kinds come first.
TABLE_KINDS: tuple[tuple[str, str, str], ...] = (
    ("performance_overall", "整体绩效目标表", r"整体(支出)?绩效目标"),
    ("performance_project", "项目绩效目标表", r"绩效目标|项目(支出)?绩效表"),
    ("three_public", "“三公”经费表", r"三公"),
    ("agency_running", "机关运行经费表", r"机关运行经费"),
    ("procurement", "政府采购表", r"政府采购"),
    ("gov_fund", "政府性基金表", r"政府性基金"),
    ("state_capital", "国有资本经营预算表", r"国有资本经营"),
    ("fiscal_summary", "财政拨款收支总表", r"财政拨款收(入)?支(出)?.*(总表|总体情况表)"),
    ("general_basic", "一般公共预算基本支出表", r"一般公共预算(财政)?(拨款)?基本支出"),
    ("fiscal_basic", "财政拨款基本支出表", r"财政拨款基本支出"),
    # A fund's project spending by economic class (珠海 "一般公共预算项目支出情况表（按经济分类科目）"): its rows are
    # the project part of each 经济分类 item, not the item's whole amount.
    ("general_project", "一般公共预算项目支出表", r"一般公共预算(财政)?(拨款)?项目支出"),
    ("fiscal_project", "财政拨款项目支出表", r"财政拨款项目支出"),
    ("economic_summary", "支出经济分类汇总表", r"经济分类"),
    ("general_expenditure", "一般公共预算支出表", r"一般公共预算(财政)?(拨款)?支出"),
    ("fiscal_expenditure", "财政拨款支出表", r"财政拨款支出"),
    # All funds' basic or project spending in a table of its own (深圳 表4/表5, 珠海 表11/表12).
    ("basic_expenditure", "基本支出表", r"基本支出(预算|决算)?(总表|表|情况表)"),
    ("project_expenditure", "项目支出表", r"项目支出(及其他支出)?(预算|决算)?(总表|表|情况表)"),
    ("summary", "收支总表", r"收(入)?支(出)?(预算|决算)?总(表|体情况表)|收入支出决算总表"),
    ("income", "收入总表", r"收入(预算|决算)?(总表|总体情况表|表)"),
    ("expenditure", "支出总表", r"支出(预算|决算)?(总表|总体情况表|表)"),
)
_TITLE = re.compile(r"(表|表[(（][^)）]{1,12}[)）])$")
_NOT_TITLE = re.compile(r"[，。；]|单位[:：]|^(部门|单位)(名称)?[:：]")


def classify_title(text: str) -> str | None:
    """The table kind a printed title names, or None when the line is no table title."""
    title = normalize(text)
    if len(title) > 70 or _NOT_TITLE.search(title) or not _TITLE.search(title):
        return None
    for kind, _, pattern in TABLE_KINDS:
        if re.search(pattern, title):
            return kind
    return None
