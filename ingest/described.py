"""Amounts a 绩效目标 table writes in the words of its cells ("1、分两次支付2026年物业管理费。2、缴纳电费27万元。"):
each a figure of the thing paid for (电费), under the project of its row, read as the narrative is read.

They are words, not a column of numbers: the figures are stated (source "text"), placed in their table and cell,
so that an answer names the table, the page and the column ("指标解释") they were written in. Where two cells of
one project write one thing with two amounts (长春 预算表11: 电费 27 万元 in 年度绩效目标, 20 万元 in 指标解释),
both are there to be shown.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.figures import Figure
from ingest.identify import Identity
from ingest.numbers import normalize
from ingest.projects import PROJECT_NAME, named_project
from ingest.stated import stated_figures
from ingest.tables import Cell, FoundTable

# a cell that writes an amount among words (not "<=116万元", a target's value)
_AMOUNT_IN_WORDS = re.compile(r"[\u4e00-\u9fff]{2,}[^。；;]*?\d[\d,.]*\s*(?:万元|亿元|元)")
# "缴纳电费", "支付驻京房租费", "购买办公用品": the act of paying is no part of what is paid for
_PAYING = re.compile(r"^(?:缴纳|交纳|支付|购买|购置|报销|发放|用于)")
# what is paid for: an act of paying, or a thing that costs ("电费", "办公用品", "房租"); not what the money is to
# achieve ("全年完成审核目标100亿元，节约财政资金8亿元以上" is a target, no money of the project's)
_PAID = re.compile(r"缴纳|交纳|支付|购买|购置|报销|发放|租赁|(?:费|品|租金|工资|补贴|补助)$")
_ACHIEVED = re.compile(r"目标|节约|节省|完成|实现|达到|带动|撬动|拉动")


def described_figures(table_no: int, table: FoundTable, identity: Identity) -> list[Figure]:
    """The amounts written in the cells of a 绩效目标 table, each under the project of its row."""
    if not table.kind.startswith("performance"):
        return []
    cells = sorted((c for c in table.cells if c.text), key=lambda c: (c.page, c.row, c.col))
    headers: dict[int, str] = {}
    for cell in cells:
        if cell.row < table.header_rows:
            headers.setdefault(cell.col, normalize(cell.text or ""))  # the column's name, not a row of "**" below it
    name_column = next((col for col, text in headers.items() if text == PROJECT_NAME), None)
    project = "" if name_column is not None else named_project(table)
    out: list[Figure] = []
    for cell in cells:
        text = (cell.text or "").replace("\n", "")
        if name_column is not None and cell.col == name_column and cell.row >= table.header_rows:
            project = text.strip()  # the rows below, its name cell merged over them, are this project's
            continue
        if not project or cell.row < table.header_rows or not _AMOUNT_IN_WORDS.search(text):
            continue
        out += _figures_of(table_no, table, identity, cell, text, project, headers.get(cell.col, ""))
    return out


def _figures_of(
    table_no: int, table: FoundTable, identity: Identity, cell: Cell, text: str, project: str, column: str
) -> list[Figure]:
    out = []
    for said in stated_figures([(cell.page, text)], identity):
        name = _PAYING.sub("", said.name)
        paid = _PAID.search(said.name) and not _ACHIEVED.search(said.name)
        if said.measure != "金额" or said.value_yuan is None or not paid or len(name) < 2:
            continue
        out.append(
            replace(
                said,
                table_no=table_no,
                kind=table.kind,
                row_no=cell.row,
                col_no=cell.col,
                name=name,
                parent=project,
                column=column,
                box=cell.box,
            )
        )
    return out
