"""Pages of a PDF: text for every page, ruled tables with cell boxes for the pages that need them.

Everything comes from pdfium: the text of every page, and for the pages whose ruling or text suggests
a table (a title, a 单位 line, a run of bare amounts) the chars and edges that ingest/grid.py gives
to pdfplumber's table geometry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table

from ingest.errors import IngestError
from ingest.grid import Frame, find_tables, page_chars, page_edges, page_glyphs, text_lines

Box = tuple[float, float, float, float]

_BARE_AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d万亿元%])")
_TABLE_HINT = re.compile(
    r"单位\s*[:：]\s*(万元|元|亿元)|预算表|决算表|情况表|目标表|公开\d+表|[\u4e00-\u9fff]表\s*$", re.M
)
MIN_TEXT_CHARS = 20
# Ruled tables draw their borders as many path objects (lines or thin rectangles).
MIN_RULING_PATHS = 8


@dataclass(frozen=True)
class TextLine:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float


@dataclass(frozen=True)
class RawTable:
    """One ruled table as pdfplumber finds it: the grid of texts (None = covered by a merged cell)."""

    page: int
    bbox: Box
    rows: tuple[tuple[str | None, ...], ...]
    boxes: tuple[tuple[Box | None, ...], ...]
    # For every merged position, the text of the cell that covers it (header reading needs it).
    filled: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    text: str
    lines: tuple[TextLine, ...]
    tables: tuple[RawTable, ...]
    # The page's printed characters without whitespace, and each one's box: where a sentence's
    # figure is printed (ingest/locate.py).
    glyphs: str = ""
    glyph_boxes: tuple[Box, ...] = ()

    @property
    def has_text(self) -> bool:
        return len(self.text.strip()) >= MIN_TEXT_CHARS

    def text_outside_tables(self) -> str:
        """The lines above, between and below the page's tables: the explanation some layouts print
        under each table ("本表反映…。收入预算总计13649.07万元，与上年相比增加844.15万元")."""
        if not self.tables:
            return self.text
        spans = [(t.bbox[1], t.bbox[3]) for t in self.tables]
        return "\n".join(
            line.text
            for line in self.lines
            if not any(top - 1 <= line.top and line.bottom <= bottom + 1 for top, bottom in spans)
        )


def is_contents(text: str) -> bool:
    """A contents page: one of its first lines reads 目录."""
    return any(re.sub(r"\s", "", line) == "目录" for line in text.split("\n")[:5])


def may_hold_table(text: str, paths: int) -> bool:
    """Whether the table finder should look at a page: ruling drawn, or table-like text.

    A contents page (目录) lists table titles, sometimes in a ruled grid, but holds no table.
    """
    if is_contents(text):
        return False
    return paths >= MIN_RULING_PATHS or bool(_TABLE_HINT.search(text)) or len(_BARE_AMOUNT.findall(text)) >= 4


def page_texts(path: Path, max_pages: int) -> list[tuple[str, int]]:
    """Every page's text and path-object count from pdfium.

    Raises IngestError for anything that is not a readable PDF.
    """
    name = path.name
    if path.stat().st_size == 0:
        raise IngestError(name, 0, "the file is empty (0 bytes); download it again")
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise IngestError(name, 0, "the PDF is encrypted; publish or save it without a password") from None
        raise IngestError(
            name, 0, f"not a readable PDF ({reason}); check that the file is a complete PDF download"
        ) from None
    try:
        count = len(document)
        if count == 0:
            raise IngestError(name, 0, "the PDF has no pages")
        if count > max_pages:
            raise IngestError(name, 0, f"the PDF has {count} pages, more than [ingest] max_pages = {max_pages}")
        texts = []
        for index in range(count):
            page = document[index]
            try:
                # Bounded: some exports keep other sheets' text outside the visible page.
                width, height = page.get_size()
                text = page.get_textpage().get_text_bounded(0, 0, width, height)
                paths = sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2))
            except pdfium.PdfiumError as error:
                raise IngestError(name, index + 1, f"the page cannot be read ({error})") from None
            texts.append((text.replace("\r\n", "\n").replace("\r", "\n"), paths))
        return texts
    finally:
        document.close()


def _covering(boxes: list[Box], x: float, y: float) -> Box | None:
    for box in boxes:
        if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
            return box
    return None


PADDING = 8.0  # points: a grid column narrower than this that holds no text is a cell's inner margin
_ROW_FIGURE = re.compile(r"^-?[\d,]+\.\d+$")


def _with_unruled_top_row(table: RawTable, chars: list[dict[str, object]]) -> RawTable:
    """A table continued at the top of a page whose first row has no top border (Word does this): the
    row prints right above the ruling, in the table's columns. It is read as the table's first row
    when it fills two or more columns, one with a figure (a title or a 单位 line above a table fills
    one)."""
    if not table.rows or table.boxes[0][0] is None:
        return table
    first = [box for box in table.boxes[0] if box is not None]
    top = table.bbox[1]
    height = max(box[3] - box[1] for box in first)
    columns = sorted({(box[0], box[2]) for row in table.boxes for box in row if box is not None})
    edges = sorted({x for x0, x1 in columns for x in (x0, x1)})
    bounds = [(a, b) for a, b in pairwise(edges) if b - a >= PADDING]
    above = [
        c
        for c in chars
        if top - height <= (float(c["top"]) + float(c["bottom"])) / 2 <= top  # type: ignore[arg-type]
        and table.bbox[0] <= (float(c["x0"]) + float(c["x1"])) / 2 <= table.bbox[2]  # type: ignore[arg-type]
    ]
    if not above or len(bounds) != len(table.rows[0]):
        return table
    if max(float(c["top"]) for c in above) - min(float(c["top"]) for c in above) > height / 2:  # type: ignore[arg-type]
        return table  # more than one line: titles and captions, not a row
    cells = [
        "".join(
            str(c["text"])
            for c in above
            if a <= (float(c["x0"]) + float(c["x1"])) / 2 < b  # type: ignore[arg-type]
        ).strip()
        for a, b in bounds
    ]
    if sum(bool(c) for c in cells) < 2 or not any(_ROW_FIGURE.match(c) for c in cells if c):
        return table
    row_top = min(float(c["top"]) for c in above)  # type: ignore[arg-type]
    boxes = tuple((a, row_top, b, top) for a, b in bounds)
    return replace(
        table,
        bbox=(table.bbox[0], row_top, table.bbox[2], table.bbox[3]),
        rows=(tuple(cells), *table.rows),
        boxes=(boxes, *table.boxes),
        filled=(tuple(cells), *table.filled),
    )


def _without_padding(
    texts: list[list[str | None]], boxes: list[list[Box | None]], xs: list[float]
) -> tuple[list[list[str | None]], list[list[Box | None]], list[float]]:
    """Word draws each cell's margins as columns of their own, and puts a row's text in a cell that
    spans its margins while the header's text sits between them: "302" starts a column left of
    "科目编码". Such margin columns are dropped and every cell goes to the first column it covers
    (most of), so that a column holds the same thing from the header down."""
    count = len(xs) - 1
    widths = [xs[k + 1] - xs[k] for k in range(count)]
    inside = [
        any(
            box is not None and (text or "").strip() and xs[k] - 0.5 <= box[0] and box[2] <= xs[k + 1] + 0.5
            for row_texts, row_boxes in zip(texts, boxes, strict=True)
            for text, box in zip(row_texts, row_boxes, strict=True)
        )
        for k in range(count)
    ]
    wide = [k for k in range(count) if widths[k] >= PADDING or inside[k]]
    if len(wide) == count:
        return texts, boxes, xs
    new_xs = [xs[k] for k in wide] + [xs[wide[-1] + 1]]
    out_texts: list[list[str | None]] = []
    out_boxes: list[list[Box | None]] = []
    for row_texts, row_boxes in zip(texts, boxes, strict=True):
        new_texts: list[str | None] = [None] * len(wide)
        new_boxes: list[Box | None] = [None] * len(wide)
        for text, box in zip(row_texts, row_boxes, strict=True):
            if box is None:
                continue
            covered = [i for i, k in enumerate(wide) if min(box[2], xs[k + 1]) - max(box[0], xs[k]) >= 0.6 * widths[k]]
            if not covered:
                continue  # a margin cell
            first = covered[0]
            if new_boxes[first] is None or (text or "").strip():
                new_texts[first] = text if new_boxes[first] is None else (new_texts[first] or "") + (text or "")
                new_boxes[first] = box
        for i in range(len(wide)):
            if new_boxes[i] is None and any(
                b is not None and b[0] <= new_xs[i] + 0.5 and new_xs[i + 1] - 0.5 <= b[2] for b in row_boxes
            ):
                new_texts[i] = None  # covered by a cell that starts in a column to its left
            elif new_boxes[i] is None:
                new_texts[i] = None
        out_texts.append(new_texts)
        out_boxes.append(new_boxes)
    return out_texts, out_boxes, new_xs


def _raw_table(table: Table, number: int) -> RawTable | None:
    """The grid of one pdfplumber table, without the frame some exporters draw around it.

    Excel and Acrobat exports often enclose title lines in the ruling: leading rows holding one cell
    across the whole width, and a column that is one cell down the whole page. Both are dropped,
    so the title lines count as lines above the table.
    """
    texts = table.extract()
    grid_boxes = [list(row.cells) for row in table.rows]
    width = len(texts[0]) if texts else 0
    start = 0
    while (
        start < len(texts) - 1
        and width > 1
        and sum(box is not None for box in grid_boxes[start]) == 1
        and grid_boxes[start][0] is not None
    ):
        start += 1
    frame = {box for row in grid_boxes[:start] for box in row if box is not None}
    texts, grid_boxes = texts[start:], grid_boxes[start:]
    columns = [k for k in range(width) if any(row[k] is not None and row[k] not in frame for row in grid_boxes)]
    texts = [[row[k] for k in columns] for row in texts]
    grid_boxes = [[row[k] if row[k] not in frame else None for k in columns] for row in grid_boxes]
    text_at = {
        box: text
        for row_boxes, row_texts in zip(grid_boxes, texts, strict=True)
        for box, text in zip(row_boxes, row_texts, strict=True)
        if box is not None
    }
    cells = list(text_at)
    if not cells:
        return None
    # pdfplumber's grid: one column per distinct cell x0, one row per distinct cell top.
    xs = [*sorted({c[0] for c in cells}), max(c[2] for c in cells)]
    ys = [*sorted({c[1] for c in cells}), max(c[3] for c in cells)]
    if len(xs) != len(columns) + 1 or len(ys) != len(texts) + 1:
        return None  # a grid pdfplumber could not square; the page's text still counts
    texts, grid_boxes, xs = _without_padding(texts, grid_boxes, xs)
    filled = []
    for r, row_texts in enumerate(texts):
        y = (ys[r] + ys[r + 1]) / 2
        out = []
        for k, text in enumerate(row_texts):
            if text is None:
                box = _covering(cells, (xs[k] + xs[k + 1]) / 2, y)
                text = text_at.get(box, "") if box else ""
            out.append(text or "")
        filled.append(tuple(out))
    return RawTable(
        page=number,
        bbox=(xs[0], ys[0], xs[-1], ys[-1]),
        rows=tuple(tuple(r) for r in texts),
        boxes=tuple(tuple(r) for r in grid_boxes),
        filled=tuple(filled),
    )


def read_pages(path: Path, max_pages: int, offset: int = 0) -> list[Page]:
    """All pages of `path`, numbered from offset + 1; tables only where the text suggests them."""
    texts = page_texts(path, max_pages)
    pages: list[Page] = []
    document = pdfium.PdfDocument(str(path))
    try:
        for index, (text, paths) in enumerate(texts):
            number = offset + index + 1
            page = document[index]
            width, height = page.get_size()
            if len(text.strip()) < MIN_TEXT_CHARS:
                pages.append(Page(number, width, height, text, (), ()))
                continue
            frame = Frame(page)
            textpage = page.get_textpage()
            if not may_hold_table(text, paths):
                glyphs, boxes = page_glyphs(textpage, frame)  # for placing the narrative's figures
                pages.append(Page(number, width, height, text, (), (), glyphs, boxes))
                continue
            chars = page_chars(textpage, frame)
            printed = [c for c in chars if not str(c["text"]).isspace()]
            glyphs = "".join(str(c["text"]) for c in printed)
            boxes = tuple((float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])) for c in printed)
            found = (_raw_table(t, number) for t in find_tables(page_edges(page, frame), chars))
            tables = tuple(_with_unruled_top_row(t, chars) for t in found if t is not None)
            lines = tuple(
                TextLine(line["text"], line["top"], line["bottom"], line["x0"], line["x1"])
                for line in text_lines(chars)
            )
            pages.append(Page(number, width, height, text, lines, tables, glyphs, boxes))
    except (pdfium.PdfiumError, ValueError, KeyError, TypeError) as error:
        raise IngestError(path.name, len(pages) + 1, f"the page cannot be parsed ({error!r})") from None
    finally:
        document.close()
    return pages
