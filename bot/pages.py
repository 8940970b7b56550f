"""A source page of a PDF as a PNG image (for /source)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium

SCALE = 1.5  # 108 dpi: readable on a phone, a few hundred KB


def page_png(pdf: Path, page: int, scale: float = SCALE) -> bytes:
    """PNG bytes of 1-based `page` of `pdf`."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        image = document[page - 1].render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()
