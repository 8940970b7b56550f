"""A project's own amounts from its 绩效目标 sheet (项目名称 | name … 项目资金总额 | 4,100,000.00).

The sheet is a form, not a grid of rows and columns: its numbers are read by their printed labels, and
each becomes a figure of the project itself, so "新建社区公共服务中心这个项目资金总额" finds it by name.
"""

from __future__ import annotations

import re

from ingest.figures import Figure
from ingest.identify import Identity
from ingest.numbers import normalize, parse_amount, to_yuan
from ingest.tables import FoundTable

PROJECT_NAME = "项目名称"
# label on the sheet → the measure it is of the project (a total, or this year's request)
AMOUNTS = {"项目资金总额": "", "年度资金申请总额": "年度资金申请总额"}


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
    unit = "元" if any("(元)" in normalize(c.text or "") for c in table.cells) else (table.unit or "元")
    cells = [c for c in table.cells if c.text]
    out: list[Figure] = []
    for at, cell in enumerate(cells):
        label = normalize(cell.text or "").replace("\n", "")
        if label not in AMOUNTS:
            continue
        number = next((c for c in cells[at + 1 :] if c.row == cell.row and parse_amount(c.text) is not None), None)
        if number is None:
            continue
        value = parse_amount(number.text)
        name = project + AMOUNTS[label]
        out.append(
            Figure(
                source="table",
                table_no=table_no,
                kind=table.kind,
                page=number.page,
                row_no=number.row,
                col_no=number.col,
                code=None,
                name=name,
                concepts=(),
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
        )
    return out
