"""Render a budget document (document.toml + narrative.md + tables.toml) as a PDF.

The output imitates the published budgets in ../shared/corpus/real: a cover, a contents page,
portrait narrative pages, then each table on its own landscape page(s) as a ruled table with
merged multi-row headers, the "单位：万元" line and page numbers, in an embedded CJK font.

    python -m samples.render samples/jianan-2021
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

FONT = "CJK"
# AR PL UMing (a Song/Ming face like the 宋体 of the real documents); TrueType outlines, which
# reportlab can embed. Debian: fonts-arphic-uming.
FONT_FILES = (
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
)
MERGED_LEFT = "<"
MERGED_UP = "^"
AMOUNT = re.compile(r"^-?[\d,]*\.\d+$|^-?\d{1,3}(,\d{3})+$")
CODE = re.compile(r"^\d{1,7}$")


class RenderError(Exception):
    """The source data or the machine cannot produce the PDF; the message says how to fix it."""


def register_font() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return  # reading the font file again costs a second per document
    for path in FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            return
    raise RenderError(
        "no CJK font found (looked for "
        + ", ".join(str(p) for p in FONT_FILES)
        + "); install it with: sudo apt-get install fonts-arphic-uming"
    )


def style(size: float, align: int = TA_LEFT, leading: float | None = None) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}-{align}",
        fontName=FONT,
        fontSize=size,
        leading=leading or size * 1.5,
        alignment=align,
        wordWrap="CJK",
    )


@dataclass(frozen=True)
class SourceTable:
    number: int
    title: str
    header: list[list[str]]
    rows: list[list[str]]
    widths: list[float]
    dept: str = ""
    unit: str = ""
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    repeat_header: bool = True  # print the header rows again on continuation pages
    font_size: float = 8.5

    @classmethod
    def from_toml(cls, raw: dict[str, Any]) -> SourceTable:
        table = cls(
            number=raw["number"],
            title=raw["title"],
            header=raw["header"],
            rows=raw["rows"],
            widths=raw["widths"],
            dept=raw.get("dept", ""),
            unit=raw.get("unit", ""),
            subtitle=raw.get("subtitle", ""),
            notes=tuple(raw.get("notes", ())),
            repeat_header=raw.get("repeat_header", True),
            font_size=raw.get("font_size", 8.5),
        )
        width = len(table.widths)
        for i, row in enumerate(table.header + table.rows):
            if len(row) != width:
                raise RenderError(
                    f"table {table.number} ({table.title}): row {i + 1} has {len(row)} cells, "
                    f"widths has {width}; make them equal in tables.toml"
                )
        return table


def spans(grid: list[list[str]]) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """Yield ((col0, row0), (col1, row1)) for every merged block marked with "<" and "^"."""
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text in (MERGED_LEFT, MERGED_UP):
                continue
            c1 = c
            while c1 + 1 < len(row) and row[c1 + 1] == MERGED_LEFT:
                c1 += 1
            r1 = r
            while r1 + 1 < len(grid) and all(grid[r1 + 1][k] == MERGED_UP for k in range(c, c1 + 1)):
                r1 += 1
            if (c1, r1) != (c, r):
                yield (c, r), (c1, r1)


def table_flowables(table: SourceTable, width: float) -> list[Flowable]:
    size = table.font_size
    header_style = style(size, TA_CENTER, size * 1.3)
    text_style = style(size, TA_LEFT, size * 1.3)
    number_style = style(size, TA_RIGHT, size * 1.3)
    grid = table.header + table.rows

    def cell(text: str, r: int) -> Paragraph | str:
        if text in (MERGED_LEFT, MERGED_UP) or not text:
            return ""
        if r < len(table.header):
            return Paragraph(text, header_style)
        if AMOUNT.match(text):
            return Paragraph(text, number_style)
        return Paragraph(text, header_style if CODE.match(text) else text_style)

    data = [[cell(text, r) for text in row] for r, row in enumerate(grid)]
    scale = width / sum(table.widths)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("SPAN", start, end) for start, end in spans(grid)]
    ruled = Table(
        data,
        colWidths=[w * scale for w in table.widths],
        repeatRows=len(table.header) if table.repeat_header else 0,
        splitInRow=0,
        style=TableStyle(commands),
    )
    flowables: list[Flowable] = [Paragraph(table.title, style(16, TA_CENTER, 22))]
    if table.subtitle:
        flowables.append(Paragraph(table.subtitle, style(10, TA_CENTER)))
    flowables.append(Spacer(1, 4 * mm))
    if table.dept or table.unit:
        line = Table(
            [[Paragraph(table.dept, style(9)), Paragraph(table.unit, style(9, TA_RIGHT))]],
            colWidths=[width * 0.7, width * 0.3],
            style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]),
        )
        flowables.append(line)
    flowables.append(ruled)
    flowables += [Paragraph(note, style(9, TA_LEFT, 14)) for note in table.notes]
    return flowables


def narrative_flowables(text: str) -> list[Flowable]:
    body = style(11, TA_LEFT, 20)
    body.firstLineIndent = 22
    out: list[Flowable] = []
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block:
            continue
        if block == "@newpage":
            out.append(PageBreak())
        elif block.startswith("# "):
            out += [Paragraph(block[2:], style(16, TA_CENTER, 26)), Spacer(1, 2 * mm)]
        elif block.startswith("## "):
            out.append(Paragraph(block[3:], style(12.5, TA_LEFT, 22)))
        elif block.startswith("### "):
            out.append(Paragraph(block[4:], style(11.5, TA_LEFT, 20)))
        elif block.startswith(">> "):
            out.append(Paragraph(block[3:], style(11, TA_RIGHT, 20)))
        else:
            out.append(Paragraph(block.replace("\n", ""), body))
    return out


def page_number(canvas: Canvas, doc: BaseDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    width = canvas._pagesize[0]
    canvas.drawCentredString(width / 2, 10 * mm, f"- {doc.page} -")
    canvas.restoreState()


def no_page_number(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """The cover carries no page number, as in the published documents."""


@dataclass(frozen=True)
class Publication:
    """Everything printed in one budget document, in the order it is printed."""

    title: str  # PDF metadata
    author: str
    cover: tuple[str, ...]
    date: str
    contents_title: str
    contents: tuple[str, ...]
    narrative: str  # the markup narrative_flowables reads
    tables: tuple[SourceTable, ...]


def build(source: Path) -> Path:
    """Render the document described in folder `source`; return the written PDF's path."""
    meta = tomllib.loads((source / "document.toml").read_text(encoding="utf-8"))
    tables_raw = tomllib.loads((source / "tables.toml").read_text(encoding="utf-8"))["tables"]
    publication = Publication(
        title=meta["pdf_title"],
        author=meta["author"],
        cover=tuple(meta["cover"]["lines"]),
        date=meta["cover"]["date"],
        contents_title=meta["contents"]["title"],
        contents=tuple(meta["contents"]["lines"]),
        narrative=(source / "narrative.md").read_text(encoding="utf-8"),
        tables=tuple(SourceTable.from_toml(raw) for raw in tables_raw),
    )
    return render(publication, (source / str(meta["output"])).resolve())


def render(publication: Publication, output: Path) -> Path:
    """Write `publication` as a PDF at `output`: cover, contents, narrative, one landscape page per table."""
    register_font()
    portrait_size, landscape_size = A4, landscape(A4)
    margin = 20 * mm
    doc = BaseDocTemplate(
        str(output),
        pagesize=portrait_size,
        title=publication.title,
        author=publication.author,
        creator="budgetbot samples/render.py",
        invariant=1,
    )

    def frame(size: tuple[float, float], name: str) -> Frame:
        return Frame(margin, margin, size[0] - 2 * margin, size[1] - 2 * margin, id=name)

    hooks: dict[str, Callable[[Canvas, BaseDocTemplate], None]] = {
        "cover": no_page_number,
        "portrait": page_number,
    }
    templates = [
        PageTemplate(id=name, frames=[frame(portrait_size, name)], onPage=hook, pagesize=portrait_size)
        for name, hook in hooks.items()
    ]
    templates.append(
        PageTemplate(
            id="landscape",
            frames=[frame(landscape_size, "landscape")],
            onPage=page_number,
            pagesize=landscape_size,
        )
    )
    doc.addPageTemplates(templates)

    story: list[Flowable] = [Spacer(1, 60 * mm)]
    story += [Paragraph(line, style(24, TA_CENTER, 40)) for line in publication.cover]
    story += [Spacer(1, 80 * mm), Paragraph(publication.date, style(16, TA_CENTER))]
    story += [NextPageTemplate("portrait"), PageBreak()]
    story.append(Paragraph(publication.contents_title, style(18, TA_CENTER, 30)))
    contents_line = style(11.5, TA_LEFT, 21)
    story += [Paragraph(line.replace("    ", "\u3000\u3000"), contents_line) for line in publication.contents]
    story += narrative_flowables(publication.narrative)
    table_width = landscape_size[0] - 2 * margin
    for table in publication.tables:
        story += [NextPageTemplate("landscape"), PageBreak()]
        story += table_flowables(table, table_width)
    doc.build(story)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, help="folder holding document.toml, narrative.md, tables.toml")
    args = parser.parse_args(argv)
    try:
        print(build(args.source))
    except RenderError as error:
        print(f"render: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
