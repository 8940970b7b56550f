"""Performance targets (绩效目标) from the 绩效目标 tables: indicator → target value as printed."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from ingest.narrative import TextFact
from ingest.numbers import normalize, parse_amount
from ingest.projects import named_project
from ingest.tables import FoundTable

INDICATOR = "三级指标"
VALUE = ("指标值", "目标值")  # "指标值", "年度指标值", "目标值": the column a 三级指标 row's target is in
# A project's goal written as a sentence (湖州: 单位名称 | 项目名称 | 金额 | 项目总体绩效目标): one target per project
GOAL = ("项目总体绩效目标", "总体绩效目标", "绩效目标", "年度绩效目标")
PROJECT = ("项目名称", "一级项目名称", "二级项目名称", "项目")
UNIT = ("单位名称", "二级预算单位名称", "预算单位名称", "预算单位")


def targets_of(tables: list[FoundTable] | tuple[FoundTable, ...]) -> list[TextFact]:
    """One TextFact per (indicator, value) pair; label "indicator", text "value（project）"."""
    out: list[TextFact] = []
    # a goal table read so far (its columns, the row being read): a narrative table that runs onto the next page is
    # read on as the same table there, its rows wrapped over the page break included
    goal_col: int | None = None
    project_col: int | None = None
    unit_col: int | None = None
    pending: list[Any] | None = None  # page, project, unit, goal of the goal row being read
    for table in tables:
        # a table of projects and their goals may stand in the narrative, titled by its section only (深圳's
        # "第七部分 重点项目预算绩效情况说明": 二级预算单位名称 | 一级项目名称 | 预算数 | 绩效目标)
        goes_on = goal_col is not None and not _goal_header(table) and table.kind == "other"
        if not goes_on:
            _add_goal(out, pending)
            goal_col = project_col = unit_col = None
            pending = None
        if not table.kind.startswith("performance") and not _goal_header(table) and not goes_on:
            continue
        pairs: list[tuple[int, int]] = []
        project = ""
        named = named_project(table)  # a one-project sheet: 项目名称 | the name, or the name in its title
        for _, grouped in groupby(table.cells, key=lambda c: c.row):
            row_cells = list(grouped)
            row = {c.col: (c.text or "").strip() for c in row_cells}
            texts = {col: normalize(text) for col, text in row.items()}
            goals = [col for col, text in texts.items() if text in GOAL]
            projects = [col for col, text in texts.items() if text in PROJECT]
            if goals and projects and not any(text == INDICATOR for text in texts.values()):
                goal_col, project_col = goals[0], projects[0]
                unit_col = next((col for col, text in texts.items() if text in UNIT), None)
                continue
            if goal_col is not None and project_col is not None:
                name = row.get(project_col, "").replace("\n", "")
                goal = row.get(goal_col, "").replace("\n", "")
                # the unit a project is listed under, when several units have one of that name (污水处理服务费)
                unit = row.get(unit_col, "").replace("\n", "") if unit_col is not None else ""
                own = {project_col, goal_col, unit_col}
                if any(parse_amount(t) is not None for col, t in texts.items() if col not in own and t):
                    _add_goal(out, pending)
                    pending = [row_cells[0].page, name, unit, goal]
                elif pending is not None:
                    # a row without an amount continues the one above: its cells wrapped onto a line of their own
                    pending[1], pending[2], pending[3] = pending[1] + name, pending[2] + unit, pending[3] + goal
                continue
            indicator_cols = [col for col, text in texts.items() if text == INDICATOR]
            if indicator_cols:
                # the value column: "指标值", or "年度(/项目)指标值" past merged columns
                values = sorted(col for col, text in texts.items() if text.endswith(VALUE))
                pairs = [
                    (col, next(v for v in values if v > col)) for col in indicator_cols if any(v > col for v in values)
                ]
                continue
            if named:
                project = named
            elif table.kind == "performance_project" and row.get(0):
                project = row[0].replace("\n", "")
            for indicator_col, value_col in pairs:
                indicator = row.get(indicator_col, "").replace("\n", "")
                value = row.get(value_col, "").replace("\n", "")
                if indicator and value:
                    # the page of this row (looking the indicator up in the whole table was quadratic, and
                    # gave a repeated indicator the page of its first row)
                    page = row_cells[0].page
                    text = f"{value}（{project}）" if project else value
                    out.append(TextFact(page, "target", len(out) + 1, indicator, text))
    _add_goal(out, pending)
    return out


def _add_goal(out: list[TextFact], pending: list[Any] | None) -> None:
    """A project's goal read over one row and the rows its cells wrapped onto, as one target."""
    if pending is None:
        return
    page, name, unit, goal = pending
    whose = f"{unit} {name}" if unit and unit != "**" else name
    if name and goal and name != "**":
        out.append(TextFact(page, "target", len(out) + 1, name, f"{goal}（{whose}）"))



def _goal_header(table: FoundTable) -> bool:
    """Whether one of the table's first rows names a project column and a goal column."""
    first_rows = {c.row for c in table.cells[:200]}
    for row in sorted(first_rows)[:3]:
        texts = {normalize(c.text or "") for c in table.cells if c.row == row}
        if texts & set(GOAL) and texts & set(PROJECT):
            return True
    return False
