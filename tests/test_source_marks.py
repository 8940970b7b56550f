"""The cited figure boxed on its source page.

Where the figure is printed is found independently of ingest: pdfplumber's characters of the page
(after /Rotate, top-left origin). The test renders the marked page and the plain page, takes the
region where they differ (the box and its number), and checks that the figure's printed characters
lie inside it and that nothing else was drawn far from them — on a portrait page, an A3 landscape
table, and a page rotated by /Rotate 90.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageChops

from bot.pages import SCALE, page_png, source_pages
from queries.run import Answerer

Box = tuple[float, float, float, float]
CASES = [
    # question, file, page in file, the figure as printed (with its unit in a sentence), what the page is
    ("社工部2024年人员经费", "sh-putuo-socialwork-2024-final.pdf", 20, "95.36万元", "portrait, narrative"),
    ("省委办公厅2017年基本支出", "js-party-office-2017-budget-tables.pdf", 1, "9,964.07", "A3 landscape table"),
    ("人大办公厅2019年三公经费", "js-npc-office-2019-budget-tables.pdf", 9, "767.60", "/Rotate 90 table"),
]


def printed_at(pdf: Path, page: int, text: str) -> list[Box]:
    """Every place `text` is printed on the page (pdfplumber's characters, spaces ignored)."""
    with pdfplumber.open(pdf) as document:
        chars = [c for c in document.pages[page - 1].chars if not c["text"].isspace()]
    joined = "".join(c["text"] for c in chars)
    target = "".join(text.split())
    found = []
    at = joined.find(target)
    while at >= 0:
        run = chars[at : at + len(target)]
        found.append(
            (
                min(c["x0"] for c in run),
                min(c["top"] for c in run),
                max(c["x1"] for c in run),
                max(c["bottom"] for c in run),
            )
        )
        at = joined.find(target, at + 1)
    return found


def drawn_region(marked: bytes, plain: bytes) -> Box:
    """Where the marked page differs from the plain one, in points."""
    difference = ImageChops.difference(
        Image.open(io.BytesIO(marked)).convert("RGB"), Image.open(io.BytesIO(plain)).convert("RGB")
    )
    box = difference.getbbox()
    assert box is not None, "nothing was drawn on the page"
    return box[0] / SCALE, box[1] / SCALE, box[2] / SCALE, box[3] / SCALE


def inside(inner: Box, outer: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


@pytest.mark.parametrize(("question", "file", "page", "printed", "kind"), CASES, ids=[c[4] for c in CASES])
def test_the_box_lies_on_the_cited_figure(
    real_answerer: Answerer, real_corpus: Path, question: str, file: str, page: int, printed: str, kind: str
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered"
    cited = next(p for p in source_pages(answer) if p.file == file and p.file_page == page)
    assert cited.marks, f"no box on {file} p{page}"
    assert any(v.printed and printed.startswith(v.printed) for v in answer.values)
    pdf = real_corpus / file
    region = drawn_region(page_png(pdf, page, cited.marks), page_png(pdf, page))
    places = printed_at(pdf, page, printed)
    within = [p for p in places if inside(p, region)]
    assert within, f"{printed} at {places} is not inside the drawn {region}"
    # amounts are printed flush right in their cell or run on in a sentence: the box ends where they end
    assert min(region[2] - p[2] for p in within) < 12, (within, region)
    # the box is the figure's cell or sentence figure, not a band across the page
    width, height = region[2] - region[0], region[3] - region[1]
    assert width < 250 and height < 80, region


def test_an_answer_citing_two_pages_marks_both(real_answerer: Answerer, real_corpus: Path) -> None:
    answer = real_answerer.answer("省委办公厅2017年基本支出")  # the table (p1 of the tables) and the narrative
    pages = source_pages(answer)
    assert len(pages) == 2 and all(p.marks for p in pages)
    assert [m.number for p in pages for m in p.marks] == [1, 2]
    text = next(p for p in pages if p.file == "js-party-office-2017-budget-text.pdf")
    region = drawn_region(
        page_png(real_corpus / text.file, text.file_page, text.marks), page_png(real_corpus / text.file, text.file_page)
    )
    assert [p for p in printed_at(real_corpus / text.file, text.file_page, "9964.07") if inside(p, region)]
