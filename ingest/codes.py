"""科目 codes for rows a table prints by name only.

Some layouts print the functional classification with its codes only in the tables by unit (深圳's 支出总表 lists
each unit's 2150399 其他建筑业支出), while the department's totals (收支总表, 财政拨款收支总表) name the same 科目
without a code: "四、资源勘探工业信息等支出 / 建筑业 / 其他建筑业支出". A question that names the 科目 by its code
asks for the department's figure, so such a row takes the code the document itself prints for that name: the
only one, or the one under the 类 or 款 the rows above it were read as. A name the document codes in two ways
that its place in the table cannot tell apart keeps no code.
"""

from __future__ import annotations

from dataclasses import replace

from ingest.figures import Figure


def coded_by_name(figures: list[Figure]) -> list[Figure]:
    """`figures` with the codes of functional 科目 the document prints, given to the rows of its tables that
    print no code at all (by the row's name, and its place under the 类 and 款 above it)."""
    codes_of: dict[str, set[str]] = {}
    coded_tables: set[int] = set()
    for figure in figures:
        if figure.source == "table" and figure.code and figure.table_no is not None:
            # a table that prints codes printed them where they belong (住房公积金 is also economic 30113)
            coded_tables.add(figure.table_no)
            if figure.classification == "functional":
                codes_of.setdefault(figure.item, set()).add(figure.code)
    if not codes_of:
        return figures
    rows: dict[int, dict[tuple[int, int], str]] = {}  # table → (page, row) → the row's name
    for figure in figures:
        if figure.source == "table" and figure.table_no is not None and figure.table_no not in coded_tables:
            rows.setdefault(figure.table_no, {}).setdefault((figure.page, figure.row_no), figure.item)
    given: dict[tuple[int, int, int], str] = {}
    for table_no, named in rows.items():
        above = ""  # the code of the 类 or 款 read last
        for place in sorted(named):
            candidates = codes_of.get(named[place], set())
            under = {c for c in candidates if above and c.startswith(above[:5] if len(above) >= 5 else above)}
            if len(under) != 1 and above:
                under = {c for c in candidates if c.startswith(above[:3])}
            code = next(iter(candidates)) if len(candidates) == 1 else next(iter(under)) if len(under) == 1 else ""
            if code:
                given[(table_no, *place)] = code
                if len(code) < 7:
                    above = code
    if not given:
        return figures
    return [
        replace(f, code=found, classification="functional")
        if f.source == "table" and f.table_no is not None and (found := given.get((f.table_no, f.page, f.row_no)))
        else f
        for f in figures
    ]
