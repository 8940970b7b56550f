"""A 部门决算 in the national template (samples/final_account.py): 行次 columns beside the amounts, a 栏次
row under the header, 年初预算数 / 调整预算数 / 决算数 columns. The line numbers are never amounts, so
the checker finds nothing wrong in a consistent document and the answers give the printed figures."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from queries.run import Answerer
from samples.final_account import BODY, YEAR, FinalFigures, render_final
from samples.synthetic import budget, money
from tests.conftest import ingest_into


@pytest.fixture(scope="module")
def final(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FinalFigures]:
    folder = tmp_path_factory.mktemp("final")
    figures = render_final(budget(random.Random(3), "jiangsu", BODY, YEAR), folder / "synthetic-final-2024.pdf")
    database = folder / "budget.duckdb"
    summary = ingest_into(database, folder / "synthetic-final-2024.pdf")
    assert summary.failures == [] and summary.documents == 1
    return database, figures


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_summary_reads_amounts_and_never_line_numbers(final: tuple[Path, FinalFigures]) -> None:
    database, f = final
    total = money(f.income_total, "万元")
    printed = rows(database, "select row_name, printed from figures where table_no = 1 and printed <> '' order by all")
    expected = [("一、一般公共预算财政拨款收入", total), ("本年收入合计", total), ("本年支出合计", total)]
    expected += [("总计", total), ("总计", total), *((name, money(x, "万元")) for name, x in f.final_by_class)]
    assert sorted(printed) == sorted(expected)
    assert rows(database, "select count(*) from figures where column_name like '%行次%'") == [(0,)]


def test_a_consistent_final_account_has_no_error(final: tuple[Path, FinalFigures]) -> None:
    database, _ = final
    assert rows(database, "select rule, message from findings where severity = 'error'") == []


def test_the_columns_have_their_roles(final: tuple[Path, FinalFigures]) -> None:
    database, f = final
    start = sum(r[2] for r in f.final_by_subject)
    adjusted = sum(r[3] for r in f.final_by_subject)
    spent = sum(r[4] for r in f.final_by_subject)
    found = rows(
        database,
        "select role, printed from figures where table_no = 2 and row_name = '合计' order by col_no",
    )
    assert found == [
        ("年初预算", money(start, "万元")),
        ("调整预算", money(adjusted, "万元")),
        ("决算", money(spent, "万元")),
    ]


def test_answers_give_the_printed_final_figures(final: tuple[Path, FinalFigures]) -> None:
    database, f = final
    answerer = Answerer(database, answers_kept=0)
    total = answerer.answer("支出决算总计是多少")
    assert total.status == "answered" and total.values[0].printed == money(f.income_total, "万元")
    three = answerer.answer("三公经费决算数多少")
    assert three.status == "answered"
    assert money(f.three_public_final, "万元") in [v.printed for v in three.values]
