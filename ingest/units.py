"""The units a document covers, from the small table some documents print of them (序号 | 单位名称 | 备注)."""

from __future__ import annotations

from ingest.narrative import TextFact
from ingest.numbers import normalize
from ingest.tables import FoundTable

NAME_HEADER = "单位名称"


def units_of(tables: list[FoundTable] | tuple[FoundTable, ...], first: int = 1) -> list[TextFact]:
    """One TextFact (kind "unit", label 单位名称) per unit row of a table headed 单位名称, numbered from
    `first` (after the units the narrative lists)."""
    out: list[TextFact] = []
    for table in tables:
        if table.kind != "other":
            continue
        header = next((c for c in table.cells if c.text and normalize(c.text) == NAME_HEADER), None)
        if header is None:
            continue
        for cell in table.cells:
            name = (cell.text or "").replace("\n", "").strip()
            if cell.col == header.col and cell.row > header.row and name:
                out.append(TextFact(cell.page, "unit", first + len(out), NAME_HEADER, name))
    return out
