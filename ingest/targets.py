"""Performance targets (绩效目标) from the 绩效目标 tables: indicator → target value as printed."""

from __future__ import annotations

from itertools import groupby

from ingest.narrative import TextFact
from ingest.numbers import normalize
from ingest.projects import named_project
from ingest.tables import FoundTable

INDICATOR = "三级指标"
VALUE = "指标值"


def targets_of(tables: list[FoundTable] | tuple[FoundTable, ...]) -> list[TextFact]:
    """One TextFact per (indicator, value) pair; label "indicator", text "value（project）"."""
    out: list[TextFact] = []
    for table in tables:
        if not table.kind.startswith("performance"):
            continue
        pairs: list[tuple[int, int]] = []
        project = ""
        named = named_project(table)  # a one-project sheet: 项目名称 | the name
        for _, grouped in groupby(table.cells, key=lambda c: c.row):
            row_cells = list(grouped)
            row = {c.col: (c.text or "").strip() for c in row_cells}
            texts = {col: normalize(text) for col, text in row.items()}
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
    return out
