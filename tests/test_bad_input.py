"""Bad input: a clear message naming the file (and page), the other files still ingest, the database unchanged."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ingest.run import IngestOptions, ingest
from tests.conftest import SAMPLE_PDF, ingest_into


def counts(database: Path) -> list[tuple[str, int]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return [
            (table, len(con.execute(f"select 1 from {table}").fetchall()))
            for table in ("documents", "files", "doc_tables", "figures", "text_facts")
        ]


def not_a_pdf(path: Path) -> None:
    path.write_text("这不是 PDF，只是一段文字。\n" * 20, encoding="utf-8")


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncated(path: Path) -> None:
    data = SAMPLE_PDF.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def encrypted(path: Path) -> None:
    canvas = Canvas(str(path), encrypt=StandardEncryption("secret", canPrint=0))
    canvas.drawString(72, 720, "Budget 2021")
    canvas.save()


def scanned(path: Path) -> None:
    image = Image.new("RGB", (400, 300), "white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    canvas = Canvas(str(path))
    canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 72, 400, 400, 300)
    canvas.showPage()
    canvas.save()


def no_budget(path: Path) -> None:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Minutes of the annual meeting of the chess club, with no tables at all.")
    canvas.save()


CASES = [
    (not_a_pdf, "not a readable PDF"),
    (empty, "the file is empty (0 bytes)"),
    (encrypted, "the PDF is encrypted"),
    (scanned, "no page has a text layer (a scanned document?); OCR would be needed first"),
    (no_budget, "no budget tables or budget narrative found"),
]


@pytest.fixture()
def database(tmp_path: Path, sample_db: Path) -> Path:
    """A database holding the sample document, to check that bad input leaves it unchanged."""
    database = tmp_path / "budget.duckdb"
    shutil.copy(sample_db, database)
    return database


@pytest.mark.parametrize(("make", "message"), CASES, ids=[make.__name__ for make, _ in CASES])
def test_bad_file_is_reported_and_loses_nothing(
    tmp_path: Path, database: Path, make: Callable[[Path], None], message: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / "bad.pdf"
    make(bad)
    before = counts(database)
    summary = ingest_into(database, bad)
    assert [str(f) for f in summary.failures] and summary.failures[0].file == "bad.pdf"
    assert message in summary.failures[0].reason
    assert counts(database) == before


def test_truncated_file_is_reported_with_its_name(tmp_path: Path, database: Path) -> None:
    bad = tmp_path / "truncated.pdf"
    truncated(bad)
    before = counts(database)
    summary = ingest_into(database, bad)
    assert len(summary.failures) == 1
    assert summary.failures[0].file == "truncated.pdf"
    assert counts(database) == before


def test_other_files_still_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_PDF, folder / "good.pdf")
    not_a_pdf(folder / "bad.pdf")
    database = tmp_path / "budget.duckdb"
    summary = ingest_into(database, folder)
    assert summary.documents == 1
    assert [f.file for f in summary.failures] == ["bad.pdf"]


def test_too_many_pages_is_refused(tmp_path: Path) -> None:
    options = IngestOptions(workers=1, max_pages=5, max_file_mb=200, timeout_seconds=300, progress=False)
    summary = ingest([SAMPLE_PDF], tmp_path / "budget.duckdb", options)
    assert summary.documents == 0
    assert "more than [ingest] max_pages = 5" in summary.failures[0].reason


def test_missing_path_is_reported(tmp_path: Path) -> None:
    summary = ingest_into(tmp_path / "budget.duckdb", tmp_path / "nowhere")
    assert "no such file or folder" in summary.failures[0].reason


def test_too_large_file_is_refused(tmp_path: Path, real_corpus: Path) -> None:
    large = real_corpus / "sh-putuo-finance-2024-final.pdf"  # 3.5 MB
    options = IngestOptions(workers=1, max_pages=2000, max_file_mb=1, timeout_seconds=300, progress=False)
    summary = ingest([large], tmp_path / "budget.duckdb", options)
    assert summary.documents == 0
    assert summary.failures[0].file == large.name
    assert "more than [ingest] max_file_mb = 1" in summary.failures[0].reason


def test_a_database_path_with_a_quote_and_a_space_is_written_and_read(tmp_path: Path) -> None:
    # ingest attaches the file by its path in SQL (to set its row group size): the path is quoted there
    database = tmp_path / "it's a budget" / "budget.duckdb"
    assert ingest_into(database, SAMPLE_PDF).documents == 1
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from documents").fetchone() == (1,)
    assert not list(database.parent.glob(".*.work*")), "the working copy was switched in, not left behind"
