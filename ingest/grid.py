"""Ruled tables and text lines of a page read through pdfium, without pdfminer.

pdfplumber finds tables from a page's edges (ruling) and chars, but gets both by parsing the page
with pdfminer, which is most of its cost. pdfium (already loaded for the page texts) gives the same
objects in C: path segments become edges and character boxes become chars, in pdfplumber's shape, so
pdfplumber's own table geometry and text layout do the rest.
"""

from __future__ import annotations

import ctypes
import math
from types import SimpleNamespace
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils.geometry import filter_edges
from pdfplumber.utils.text import chars_to_textmap

# pdfplumber's defaults for the "lines" strategy.
SNAP = JOIN = INTERSECTION = 3
EDGE_MIN_LENGTH = 3
# Ruling this far off the page is still the table's: it is clipped to the page, not dropped.
CLIP = 3
DESCENT = 0.12  # of the font size, below the baseline: the common value for CJK fonts

Obj = dict[str, Any]


class Frame:
    """The page as displayed: pdfium reports points unrotated, pdfplumber after /Rotate."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        self.width, self.height = page.get_size()  # as displayed
        self.rotation = page.get_rotation() % 360
        self.raw_width, self.raw_height = (
            (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)
        )

    def point(self, x: float, y: float) -> tuple[float, float]:
        """An unrotated PDF point → (x, top) of the displayed page, top-left origin."""
        if self.rotation == 90:
            x, y = y, self.raw_width - x
        elif self.rotation == 180:
            x, y = self.raw_width - x, self.raw_height - y
        elif self.rotation == 270:
            x, y = self.raw_height - y, x
        return x, self.height - y


def page_chars(textpage: pdfium.PdfTextPage, frame: Frame) -> list[Obj]:
    """Characters in pdfplumber's shape (top-left origin), only those printed on the page."""
    width, height = frame.width, frame.height
    chars: list[Obj] = []
    raw = textpage.raw
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    char_matrix = pdfium_c.FS_MATRIX()
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        if code in (0, 0xFFFE, 0xFFFF) or pdfium_c.FPDFText_IsGenerated(raw, index) == 1:
            continue
        text = chr(code)
        if text in "\r\n":
            continue
        rect = pdfium_c.FS_RECTF()
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
            continue
        pdfium_c.FPDFText_GetCharOrigin(raw, index, origin_x, origin_y)
        # The font size scaled by the character's matrix (exporters often set size 1 and scale).
        pdfium_c.FPDFText_GetMatrix(raw, index, char_matrix)
        size = pdfium_c.FPDFText_GetFontSize(raw, index) * math.hypot(char_matrix.c, char_matrix.d)
        size = size or (rect.top - rect.bottom)
        # The font's em box on the baseline, as pdfminer draws it, so a "：" sits on the line of
        # its neighbours (pdfium's boxes follow each glyph's own height).
        corners = [frame.point(rect.left, rect.bottom), frame.point(rect.right, rect.top)]
        x0, x1 = min(c[0] for c in corners), max(c[0] for c in corners)
        _, baseline = frame.point(origin_x.value, origin_y.value)
        y_bottom = baseline + DESCENT * size
        y_top = y_bottom - size
        if x0 < 0 or x1 > width or y_top < 0 or y_bottom > height:
            continue  # not (wholly) on the printed page
        chars.append(
            {
                "text": text,
                "x0": x0,
                "x1": x1,
                "top": y_top,
                "bottom": y_bottom,
                "doctop": y_top,
                "width": x1 - x0,
                "height": y_bottom - y_top,
                "upright": True,
                "object_type": "char",
            }
        )
    return chars


def page_glyphs(
    textpage: pdfium.PdfTextPage, frame: Frame
) -> tuple[str, tuple[tuple[float, float, float, float], ...]]:
    """The page's printed characters without whitespace, and each one's box on the displayed page.

    For finding a sentence's figure on its page (ingest/locate.py): one box call per character, not
    the font metrics `page_chars` reads to lay out table text."""
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    text: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        if code in (0, 0xFFFE, 0xFFFF) or chr(code).isspace() or pdfium_c.FPDFText_IsGenerated(raw, index) == 1:
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
            continue
        (x0, top), (x1, bottom) = frame.point(rect.left, rect.top), frame.point(rect.right, rect.bottom)
        text.append(chr(code))
        boxes.append((min(x0, x1), min(top, bottom), max(x0, x1), max(top, bottom)))
    return "".join(text), tuple(boxes)


def _edge(x0: float, top: float, x1: float, bottom: float) -> Obj:
    horizontal = abs(bottom - top) < abs(x1 - x0)
    if horizontal:
        y = (top + bottom) / 2
        return {
            "x0": min(x0, x1),
            "x1": max(x0, x1),
            "top": y,
            "bottom": y,
            "width": abs(x1 - x0),
            "height": 0,
            "orientation": "h",
            "object_type": "line",
        }
    x = (x0 + x1) / 2
    return {
        "x0": x,
        "x1": x,
        "top": min(top, bottom),
        "bottom": max(top, bottom),
        "width": 0,
        "height": abs(bottom - top),
        "orientation": "v",
        "object_type": "line",
    }


def _to_page(m: tuple[float, ...], frame: Frame, px: float, py: float) -> tuple[float, float]:
    """A point of a path, through its object's matrix, in top-left page coordinates."""
    a, b, c, d, e, f = m
    return frame.point(a * px + c * py + e, b * px + d * py + f)


def page_edges(page: pdfium.PdfPage, frame: Frame) -> list[Obj]:
    """Ruling of the page: every straight path segment, and the sides of drawn rectangles."""
    edges: list[Obj] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    matrix = pdfium_c.FS_MATRIX()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3):
        raw = obj.raw
        if not pdfium_c.FPDFPageObj_GetMatrix(raw, matrix):
            continue
        transform = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)

        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        for index in range(pdfium_c.FPDFPath_CountSegments(raw)):
            segment = pdfium_c.FPDFPath_GetPathSegment(raw, index)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            point = _to_page(transform, frame, x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO and points:
                edges.append(_edge(points[-1][0], points[-1][1], point[0], point[1]))
            if kind != pdfium_c.FPDF_SEGMENT_MOVETO and kind != pdfium_c.FPDF_SEGMENT_LINETO:
                points.append(point)  # a curve: its ends only
                continue
            points.append(point)
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                edges.append(_edge(point[0], point[1], start[0], start[1]))
    # Clipped to the page: some exporters draw a table's outer ruling a fraction of a point off the page (x = -0.4),
    # and dropping those edges loses the table's first column (its 科目编码) with them.
    width, height = frame.width, frame.height
    clipped = [
        _edge(_clamp(e["x0"], width), _clamp(e["top"], height), _clamp(e["x1"], width), _clamp(e["bottom"], height))
        for e in edges
        if e["x0"] >= -CLIP and e["x1"] <= width + CLIP and e["top"] >= -CLIP and e["bottom"] <= height + CLIP
    ]
    return [e for e in clipped if (e["width"] if e["orientation"] == "h" else e["height"]) > 0]


def _clamp(value: float, most: float) -> float:
    return min(max(value, 0.0), most)


def find_tables(edges: list[Obj], chars: list[Obj]) -> list[Table]:
    """pdfplumber's "lines" strategy on the given edges and chars."""
    edges = filter_edges(edges, min_length=EDGE_MIN_LENGTH)
    edges = merge_edges(
        edges, snap_x_tolerance=SNAP, snap_y_tolerance=SNAP, join_x_tolerance=JOIN, join_y_tolerance=JOIN
    )
    edges = filter_edges(edges, min_length=EDGE_MIN_LENGTH)
    intersections = edges_to_intersections(edges, INTERSECTION, INTERSECTION)
    cells = intersections_to_cells(intersections)
    holder = SimpleNamespace(chars=chars)
    return [Table(holder, group) for group in cells_to_tables(cells)]  # type: ignore[arg-type]


def text_lines(chars: list[Obj]) -> list[Obj]:
    if not chars:
        return []
    return list(chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=False))
