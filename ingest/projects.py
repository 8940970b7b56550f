"""Amounts printed in 绩效目标 sheets: a project's own (项目名称 | name … 项目资金总额 | 4,100,000.00), and the
department's budget as its 整体支出绩效目标表 restates it (年度预算安排（万元） | 资金总额 8200.95 | 项目支出 2285.57).

A sheet is a form, not a grid of rows and columns: its numbers are read by their printed labels. A project's
become figures of the project itself, so "新建社区公共服务中心这个项目资金总额" finds it by name; the department's
carry the concept of their label (支出总计, 基本支出, 项目支出), so that an answer from the budget tables shows
the sheet's figure beside its own when the two differ.
"""

from __future__ import annotations

import re

from ingest.figures import Figure
from ingest.identify import Identity
from ingest.meaning import UNIT_IN_HEADER, concept_of_label, meanings
from ingest.numbers import normalize, parse_amount, to_yuan
from ingest.tables import Cell, FoundTable

PROJECT_NAME = "项目名称"
# label on the sheet → the measure it is of the project (a total, or this year's request); 泉州 prints "资金总额："
# in a block headed "专项资金情况（万元）"
AMOUNTS = {"项目资金总额": "", "资金总额": "", "年度资金申请总额": "年度资金申请总额"}


def named_project(table: FoundTable) -> str:
    """The name beside a "项目名称" cell, if the table has one; else the one project its title names
    ("“泉州政务”新媒体号运营资金项目绩效目标表")."""
    cells = [c for c in table.cells if c.text]
    for at, cell in enumerate(cells):
        if normalize(cell.text or "") == PROJECT_NAME:
            following = next((c for c in cells[at + 1 :] if c.row == cell.row), None)
            return (following.text or "").replace("\n", "").strip() if following else ""
    return _titled_project(table.title)


_ONE_PROJECT_TITLE = re.compile(r"^(.{2,40}?项目)绩效目标表$")
# titles of a table of every project (or of the whole department), not of one project
_ALL_PROJECTS = re.compile(r"^(?:\d{4}年度?)?(?:部门|单位|本级|市级部门|重点)?(?:预算)?(?:项目支出|项目|整体支出)")


def _titled_project(title: str) -> str:
    match = _ONE_PROJECT_TITLE.match(re.sub(r"\s+", "", title))
    # "…大数据管理局（部门）预算项目绩效目标表": the department's projects, one per row
    if match is None or _ALL_PROJECTS.match(match.group(1)) or re.search(r"[)）]|预算项目$", match.group(1)):
        return ""
    return match.group(1)


def project_figures(table_no: int, table: FoundTable, identity: Identity) -> list[Figure]:
    """The project's 项目资金总额 (named as the project) and 年度资金申请总额, in the sheet's unit."""
    project = named_project(table) if table.kind.startswith("performance") else ""
    if not project:
        return []
    sheet_unit = "元" if any("(元)" in normalize(c.text or "") for c in table.cells) else (table.unit or "元")
    cells = [c for c in table.cells if c.text]
    out: list[Figure] = []
    for at, cell in enumerate(cells):
        label = normalize(cell.text or "").rstrip(":")
        if label not in AMOUNTS:
            continue
        number = next((c for c in cells[at + 1 :] if c.row == cell.row and parse_amount(c.text) is not None), None)
        if number is None:
            continue
        unit = _block_unit(cells, cell) or sheet_unit
        out.append(_sheet_figure(table_no, table, identity, number, project + AMOUNTS[label], (), label, unit))
    return out


def _sheet_figure(
    table_no: int,
    table: FoundTable,
    identity: Identity,
    number: Cell,
    name: str,
    concepts: tuple[str, ...],
    label: str,
    unit: str,
) -> Figure:
    """A number a 绩效目标 sheet prints beside its label: this year's budget amount, of no fund said."""
    value = parse_amount(number.text)
    return Figure(
        source="table",
        table_no=table_no,
        kind=table.kind,
        page=number.page,
        row_no=number.row,
        col_no=number.col,
        code=None,
        name=name,
        concepts=concepts,
        classification="line",
        direction="支出",
        role="预算",
        ref_year=identity.year,
        measure="金额",
        scope=None,
        spending="合计",
        row_name=label,
        column="",
        parent="",
        base="",
        printed=(number.text or "").strip(),
        value=value,
        unit=unit,
        value_yuan=to_yuan(value, unit) if value is not None else None,
        sentence="",
        box=number.box,
    )


def restated_figures(table_no: int, table: FoundTable, identity: Identity) -> list[Figure]:
    """The department's budget as a table of a kind that restates it (`restates` in concepts.toml) prints it:
    each label of a concept ("资金总额", "其中：基本支出", "项目支出") with the number beside it on its row.

    Its fund scope is not said (泉州's 2285.57 项目支出 is neither all funds' 9,269.43 nor 一般公共预算's
    5,069.43), so none is given; a budget's sheet is of that year's budget, a final account's is not read."""
    meaning = meanings().kinds.get(table.kind)
    if meaning is None or not meaning.restates or identity.phase != "预算":
        return []
    cells = [c for c in table.cells if c.text]
    out: list[Figure] = []
    # column → the unit its last label gave ("部门预算总金额（万元）", then "其中：基本支出" below it)
    above: dict[int, str] = {}
    for at, cell in enumerate(cells):
        printed_unit = UNIT_IN_HEADER.search(normalize(cell.text or ""))
        label = UNIT_IN_HEADER.sub("", normalize(cell.text or "")).rstrip(":")
        concept = concept_of_label(label, table.kind, "支出")
        if concept is None:
            continue
        number = next((c for c in cells[at + 1 :] if c.row == cell.row and parse_amount(c.text) is not None), None)
        # the unit on the label, else on the block's heading ("年度预算安排（万元）"), else on the label above, else
        # the table's
        unit = printed_unit.group(1) if printed_unit else _block_unit(cells, cell) or above.get(cell.col) or table.unit
        if number is None or unit is None:
            continue
        above[cell.col] = unit
        out.append(_sheet_figure(table_no, table, identity, number, label_name(label), (concept,), label, unit))
    return out


def label_name(label: str) -> str:
    """A label as an item's name: without "其中：" ("其中：基本支出" → "基本支出")."""
    return re.sub(r"^其中[:：]", "", label)


def _block_unit(cells: list[Cell], label: Cell) -> str | None:
    """The unit a heading cell left of the label's row names, spanning down to it ("年度预算安排（万元）")."""
    for cell in cells:
        if cell.page != label.page or cell.col >= label.col or cell.row > label.row or cell.box is None:
            continue
        if label.box is None or cell.box[3] < label.box[1] + 1:  # a heading that ends above the label's row
            continue
        found = UNIT_IN_HEADER.search(normalize(cell.text or ""))
        if found:
            return found.group(1)
    return None
