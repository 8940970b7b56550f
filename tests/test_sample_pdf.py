"""The sample PDF: rendered from the checked-in source data, faithful to the seed, readable by pdfplumber."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from samples.render import FONT_FILES, build
from tests.conftest import SAMPLE_PDF, SAMPLE_SOURCE


def source_tables() -> dict[int, dict[str, Any]]:
    raw = tomllib.loads((SAMPLE_SOURCE / "tables.toml").read_text(encoding="utf-8"))
    return {table["number"]: table for table in raw["tables"]}


def page_words(pdf: Path) -> list[list[tuple[str, int, int]]]:
    with pdfplumber.open(pdf) as document:
        return [[(w["text"], round(w["x0"]), round(w["top"])) for w in page.extract_words()] for page in document.pages]


def test_committed_pdf_is_what_the_source_data_renders(tmp_path: Path) -> None:
    assert any(path.exists() for path in FONT_FILES), "run scripts/setup.sh --dev to install the CJK font"
    source = tmp_path / "jianan-2021"
    shutil.copytree(SAMPLE_SOURCE, source)
    rendered = build(source)
    assert rendered == (tmp_path / "jianan-2021-budget.pdf").resolve()
    assert page_words(rendered) == page_words(SAMPLE_PDF), (
        "samples/jianan-2021-budget.pdf is stale: run python -m samples.render samples/jianan-2021"
    )


def test_sample_pdf_looks_like_a_published_budget() -> None:
    with pdfplumber.open(SAMPLE_PDF) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        fonts = {char["fontname"] for page in pdf.pages for char in page.chars}
        landscape = [page.page_number for page in pdf.pages if page.width > page.height]
    assert "2021 年度部门预算" in texts[0] and "二〇二一年五月" in texts[0]
    assert texts[1].startswith("目 录")
    assert all(re.search(rf"- {n} -", text) for n, text in enumerate(texts[1:], start=2))
    assert fonts and all("UMing" in font for font in fonts)  # the embedded CJK font only
    assert landscape == list(range(9, len(texts) + 1))  # narrative portrait, tables landscape
    units = [text for text in texts if "单位：万元" in text]
    assert len(units) >= 10


@pytest.mark.parametrize("number", [2, 3, 4, 5, 7, 8, 10, 12])
def test_transcribed_tables_hold_the_seed_figures(number: int, seed_text: str) -> None:
    """Every cell of a seed table in tables.toml is printed in the seed text (typos included)."""
    seed = re.sub(r"\s+", "", seed_text)
    table = source_tables()[number]
    assert table["provenance"] == "seed"
    for row in table["rows"] + table["header"]:
        for cell in row:
            if cell not in ("", "<", "^"):
                assert re.sub(r"\s+", "", cell) in seed, f"table {number}: {cell!r} is not in the seed"


def extracted_rows(title: str) -> list[list[str]]:
    with pdfplumber.open(SAMPLE_PDF) as pdf:
        for page in pdf.pages:
            if title in (page.extract_text() or ""):
                rows = page.extract_tables()[0]
                return [[re.sub(r"\s+", "", cell or "") for cell in row] for row in rows]
    raise AssertionError(f"no page prints {title}")


def test_expenditure_table_rows_as_published() -> None:
    rows = extracted_rows("2021年部门支出总体情况表")
    assert rows[2:] == [
        ["", "", "", "合计", "355.35", "130.34", "121.75", "8.59", "225.01", "", "225.01"],
        ["", "", "", "", "355.35", "130.34", "121.75", "8.59", "225.01", "", "225.01"],
        ["201", "", "", "", "355.35", "130.34", "121.75", "8.59", "225.01", "", "225.01"],
        ["", "03", "", "", "355.35", "130.34", "121.75", "8.59", "225.01", "", "225.01"],
        [
            "201",
            "03",
            "01",
            "行政运行（政府办公厅（室）及相关机构事务）",
            "355.35",
            "130.34",
            "121.75",
            "8.59",
            "225.01",
            "",
            "225.01",
        ],
    ]


def test_basic_expenditure_by_economic_class_rows_as_published() -> None:
    rows = extracted_rows("2021年一般公共预算基本支出情况表(按经济分类)")
    body = [row for row in rows[2:] if row[0] in ("301", "302")]
    assert [(r[0], r[1], r[2], r[6]) for r in body] == [
        ("301", "01", "基本工资", "35.78"),
        ("301", "02", "津贴补贴", "51.79"),
        ("301", "03", "奖金", "6.05"),
        ("301", "08", "机关事业单位基本养老保险缴费", "9.43"),
        ("301", "10", "职工基本医疗保险缴费", "3.54"),
        ("301", "11", "公务员医疗补助缴费", "3.54"),
        ("301", "12", "其他社会保障缴费", "0.38"),
        ("301", "13", "住房公积金", "11.24"),
        ("302", "01", "办公费", "0.68"),
        ("302", "02", "印刷费", "0.10"),
        ("302", "07", "邮电费", "0.30"),
        ("302", "11", "差旅费", "0.20"),
        ("302", "15", "会议费", "0.21"),
        ("302", "17", "公务接待费", "0.20"),
        ("302", "39", "其他交通费用", "6.90"),
    ]
    assert rows[2][2:] == ["合计", "", "", "", "130.34", "130.34", ""]


def test_three_public_table_rows_as_published() -> None:
    rows = extracted_rows("2021年一般公共预算“三公”经费支出情况表")
    assert rows == [
        ["项目", "2021年预算数"],
        ["共计", "0.20"],
        ["1、因公出国（境）费用", ""],
        ["2、公务接待费", "0.20"],
        ["3、公务用车费", ""],
        ["其中：（1）公务用车运行维护费", ""],
        ["（2）公务用车购置", ""],
    ]


def test_every_table_of_the_contents_is_printed() -> None:
    with pdfplumber.open(SAMPLE_PDF) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages[8:])
    for table in source_tables().values():
        assert table["title"] in re.sub(r"\n", "", text), table["title"]
