"""The source pages of an answer as PNG images, each cited figure boxed and numbered like its source.

Boxes come with the answer (`Value.box`: PDF points from the top left of the page as displayed);
pdfium renders the page as displayed too (its /Rotate applied), so a box maps to pixels by the
render scale alone, on portrait, landscape and rotated pages alike.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from queries.answer import Answer

SCALE = 1.5  # 108 dpi: readable on a phone, a few hundred KB
MARK_COLOUR = (220, 20, 60)
PADDING = 2.0  # points around the printed characters, so the box does not cover them
LINE = 3  # pixels
MAX_MARKS = 40  # a mark string from a URL is refused beyond this
_PDFIUM = threading.Lock()  # see render_page


@dataclass(frozen=True)
class Mark:
    number: int  # the source's number in the answer ([1], [2] …)
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in points


@dataclass(frozen=True)
class SourcePage:
    """One page an answer cites, with the figures to box on it."""

    document: str
    file: str
    file_page: int  # page within the file
    page: int  # page within the document
    table: str
    numbers: tuple[int, ...]  # the answer's sources printed on this page
    marks: tuple[Mark, ...]


def source_pages(answer: Answer) -> list[SourcePage]:
    """Every page the answer cites, in the order of its sources, each once."""
    pages: dict[tuple[str, str, int], SourcePage] = {}
    for index, source in enumerate(answer.sources):
        key = (source.document, source.file, source.file_page)
        marks = tuple(Mark(index + 1, v.box) for v in answer.values if v.source == index and v.box is not None)
        known = pages.get(key)
        if known is None:
            pages[key] = SourcePage(
                source.document, source.file, source.file_page, source.page, source.table, (index + 1,), marks
            )
        else:
            pages[key] = SourcePage(
                known.document,
                known.file,
                known.file_page,
                known.page,
                known.table,
                (*known.numbers, index + 1),
                tuple(dict.fromkeys((*known.marks, *marks))),
            )
    return list(pages.values())


def render_page(pdf: Path, page: int, scale: float = SCALE) -> Image.Image:
    # PDFium is not thread-safe, even for unrelated documents: threads of one process that render
    # (the bot's and the web page's drawing threads, a test beside a serving bot) take turns, and close
    # what they opened before letting go.
    with _PDFIUM:
        document = pdfium.PdfDocument(str(pdf))
        try:
            image: Image.Image = document[page - 1].render(scale=scale).to_pil()
            return image.convert("RGB")  # a copy: the bitmap is freed with the document
        finally:
            document.close()


def page_png(pdf: Path, page: int, marks: tuple[Mark, ...] = (), scale: float = SCALE) -> bytes:
    """PNG bytes of 1-based `page` of `pdf`, with a numbered box around every mark."""
    image = render_page(pdf, page, scale)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(14, int(11 * scale)))
    for mark in marks:
        x0, top, x1, bottom = (round(v * scale) for v in _padded(mark.box))
        draw.rectangle((x0, top, x1, bottom), outline=MARK_COLOUR, width=LINE)
        label = str(mark.number)
        left, upper, right, lower = draw.textbbox((0, 0), label, font=font)
        tag_w, tag_h = right - left + 6, lower - upper + 4
        # the number sits on the box's top left corner, outside it, so the figure stays readable
        tag_x, tag_y = max(0, x0 - tag_w), max(0, top - tag_h)
        draw.rectangle((tag_x, tag_y, tag_x + tag_w, tag_y + tag_h), fill=MARK_COLOUR)
        draw.text((tag_x + 3 - left, tag_y + 2 - upper), label, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _padded(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = box
    return x0 - PADDING, top - PADDING, x1 + PADDING, bottom + PADDING


def marks_from_text(text: str) -> tuple[Mark, ...]:
    """ "1:10.5,20,30,40;2:…" (the web page's ?mark=) → marks; ValueError naming the bad part."""
    marks = []
    for part in (p for p in text.split(";") if p):
        number, _, box = part.partition(":")
        values = [float(v) for v in box.split(",")]
        if not number.isdigit() or len(values) != 4 or not all(0 <= v < 100_000 for v in values):
            raise ValueError(f"mark {part!r}: expected N:x0,top,x1,bottom in points")
        marks.append(Mark(int(number), (values[0], values[1], values[2], values[3])))
    if len(marks) > MAX_MARKS:
        raise ValueError(f"at most {MAX_MARKS} marks")
    return tuple(marks)


def marks_to_text(marks: tuple[Mark, ...]) -> str:
    return ";".join(f"{m.number}:" + ",".join(f"{v:.1f}" for v in m.box) for m in marks)
