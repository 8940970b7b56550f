"""The synthetic corpus (samples/synthetic.py) and `budgetbot bench`: generated, ingested, labelled."""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from queries.run import Answerer
from samples.synthetic import Budget, budget, budgets, file_name, generate, render_one
from tests.conftest import SAMPLE_PDF, ingest_into
from tests.test_cli import budgetbot


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two synthetic documents (one per layout) and the database they were ingested into."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, 2, seed=7, workers=1)
    database = folder / "budget.duckdb"
    summary = ingest_into(database, folder)
    assert summary.failures == [] and summary.documents == 2
    return folder, database


def test_generated_files_say_they_are_synthetic(synthetic: tuple[Path, Path]) -> None:
    folder, database = synthetic
    names = sorted(p.name for p in folder.glob("*.pdf"))
    assert [re.sub(r"\d{4}", "N", name) for name in names] == ["synthetic-N-sh-N.pdf", "synthetic-N-js-N.pdf"]
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select bool_and(synthetic), count(*) from documents").fetchone() == (True, 2)
    labels = [doc.label for doc in Answerer(database).snapshot().documents]
    assert all(label.endswith("（合成数据）") for label in labels)


def test_each_layout_has_the_standard_tables(synthetic: tuple[Path, Path]) -> None:
    _, database = synthetic
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select f.file_name, list(t.kind order by t.table_no), list(distinct t.unit) from doc_tables t "
            "join files f using (document_id) group by all order by 1"
        ).fetchall()
    standard = ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "gov_fund"]
    assert rows[0][1] == [*standard, "state_capital", "general_basic", "three_public"]  # Shanghai: nine tables
    assert sorted(rows[0][2]) == ["万元", "元"]  # 元 tables and a 万元 三公 table, as in the real ones
    assert rows[1][1] == [*standard, "general_basic", "three_public"]
    assert rows[1][2] == ["万元"]


def test_consistent_figures_give_no_findings(synthetic: tuple[Path, Path]) -> None:
    """The generator's figures all agree, so every finding would be a false alarm of the checker."""
    _, database = synthetic
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select rule, message from findings").fetchall() == []


def test_answers_are_the_generated_figures(synthetic: tuple[Path, Path]) -> None:
    """What the bot answers is what the generator put in: 三公经费 and 基本支出 of each document."""
    _, database = synthetic
    answerer = Answerer(database)
    documents = {(doc.body, doc.year): doc for doc in answerer.snapshot().documents}
    for generated in budgets(2, seed=7):
        doc = documents[(generated.body, generated.year)]
        three = answerer.answer("三公经费多少", doc.id)
        assert three.values[0].value_wan == Decimal(generated.three_public) / 1_000_000
        basic = answerer.answer("基本支出是多少", doc.id)
        assert basic.values[0].value_wan == Decimal(generated.basic) / 1_000_000


# 项 the glossary has never seen, under 款 it has never seen, with codes no real document prints.
RENAMED = (
    ("2013861", "一般公共服务支出", "数字治理事务", "星图数据治理运维"),
    ("2013862", "一般公共服务支出", "数字治理事务", "城市记忆档案抢救保护"),
    ("2129951", "城乡社区支出", "河湖共治事务", "河湖长制巡查协同"),
)


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Budget, Answerer]:
    """A synthetic budget whose functional rows carry invented names and codes, ingested alone."""
    generated = budget(random.Random(11), "shanghai", "上海市静安区档案局", 2024)
    spending = tuple(
        ((code, cls, kuan, item, True), basic, project)
        for (code, cls, kuan, item), (_, basic, project) in zip(RENAMED, generated.spending, strict=False)
    ) + tuple(entry for entry in generated.spending if entry[0][0].startswith(("208", "210", "221")))
    b = replace(generated, spending=spending)
    folder = tmp_path_factory.mktemp("renamed")
    render_one((1, b, folder))
    database = folder / "budget.duckdb"
    assert ingest_into(database, folder).failures == []
    return b, Answerer(database)


def test_rows_the_glossary_never_saw_are_answered_by_their_printed_names(renamed: tuple[Budget, Answerer]) -> None:
    b, answerer = renamed
    for (code, _, kuan, item), (_, basic, project) in zip(RENAMED, b.spending, strict=False):
        expected = Decimal(basic + project) / 1_000_000  # 分 → 万元
        by_name = answerer.answer(f"静安区档案局{item}是多少")
        assert by_name.status == "answered", by_name.headline
        assert by_name.values[0].value_wan == expected and item in by_name.values[0].label
        by_code = answerer.answer(f"{code}多少钱")
        assert by_code.values[0].value_wan == expected
        # the 款 before its 项 narrows to that row, and a question typed with a word dropped still finds it
        assert answerer.answer(f"{kuan}{item}预算").values[0].value_wan == expected
    shortened = answerer.answer("档案抢救保护多少")
    assert shortened.values[0].value_wan == Decimal(sum(b.spending[1][1:])) / 1_000_000


def test_a_renamed_row_it_does_not_print_is_refused_by_name(renamed: tuple[Budget, Answerer]) -> None:
    _, answerer = renamed
    answer = answerer.answer("静安区档案局星图数据治理运维和智慧河道建设各多少")
    assert answer.status == "no_data" and "智慧河道建设" in answer.headline


def test_synthetic_never_goes_beside_real_pdfs(tmp_path: Path) -> None:
    shutil.copy(SAMPLE_PDF, tmp_path / SAMPLE_PDF.name)
    with pytest.raises(ValueError, match="not synthetic"):
        generate(tmp_path, 1)


def test_file_names_say_synthetic() -> None:
    b = budget(random.Random(1), "jiangsu", "江苏省某厅", 2024)
    assert file_name(3, b) == "synthetic-0003-js-2024.pdf"


def test_bench_prints_every_measure_against_its_baseline(tmp_path: Path) -> None:
    result = budgetbot(
        "bench", "--documents", "2", "--questions", "30", "--updates", "10", "--chats", "2", "--folder", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for marker in (
        "[1] 2 synthetic documents",
        "bare pdfplumber tables+text, 1 process",
        "ours (read + store), 1 process",
        "speed-up with",
        "KB per document); peak memory of ingest",
        "ratio ours / bare SQL (wall",
        "ratio ours / bare SQL (CPU",
        "`budgetbot ask` on 2 documents, median of 10",
        "ratio bot / bare",
        "peak memory (VmHWM): the bot's process",
        "Dask LocalCluster, 2 workers",
        "goals:",
        "the whole benchmark:",
    ):
        assert marker in out
