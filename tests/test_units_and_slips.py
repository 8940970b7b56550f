"""A department's units in its tables, rows that name a project, and questions typed with a slip of the
input method: real PDFs of the corpus, a real database, answers read back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from bot.render import to_text
from queries.run import Answerer
from queries.typos import Homophones, corrected


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


def _figures(real_db: Path, body: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    with duckdb.connect(str(real_db), read_only=True) as con:
        return con.execute(
            "select f.item, f.printed, f.parent, f.concepts from figures f join documents d using (document_id) "
            f"where d.body = ? and f.source = 'table' and {sql} order by f.page, f.row_no, f.col_no",
            [body, *params],
        ).fetchall()


def test_a_row_named_for_a_unit_holds_that_units_totals(real_db: Path) -> None:
    # 湖州 prints its 三公 table by unit: a row per unit, the parts as columns, a footnote mark on two headers
    rows = _figures(real_db, "湖州市交通运输局", "f.kind = 'three_public' and f.parent = ?", "湖州市交通运输行政执法队")
    printed = {str(item): str(value) for item, value, _, _ in rows if value}
    assert printed["三公经费"] == "372.56"
    assert printed["公务接待费"] == "13.36"
    assert all(concepts for item, value, _, concepts in rows if item in ("三公经费", "公务接待费"))
    # the department's own total row, its header "“三公”经费合计1" read without the footnote mark
    total = _figures(real_db, "湖州市交通运输局", "f.kind = 'three_public' and f.parent = '' and f.item = '三公经费'")
    assert [str(value) for _, value, _, _ in total][:1] == ["749.83"]


def test_the_one_unit_of_a_department_is_its_total(real_db: Path) -> None:
    # 深圳市财政局 lists one unit, 深圳市财政局（本级）, in its 预算单位 column: that row is the department's
    rows = _figures(real_db, "深圳市财政局", "f.kind = 'expenditure' and list_contains(f.concepts, '基本支出')")
    assert [str(value) for _, value, parent, _ in rows if not parent] == ["11,024.31"]


def test_items_asked_beside_a_units_name_are_that_units(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("湖州市交通运输行政执法队的三公经费和其中公务接待费各是多少")
    assert answer.status == "answered", answer.headline
    shown = {v.printed for v in answer.values}
    assert {"372.56", "13.36"} <= shown
    assert "749.83" not in shown  # the department's “三公”经费 is not the unit's
    assert all("湖州市交通运输行政执法队" in v.label for v in answer.values)


def test_a_unit_inside_a_grouped_table_by_the_end_of_its_name(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("建筑工务署工程设计管理中心的其他工资福利支出有多少？")
    assert answer.status == "answered", answer.headline
    assert {v.printed for v in answer.values if v.role == "current"} >= {"4,039.57"}
    assert "100.00" not in {v.printed for v in answer.values}  # the department's own 30199 row


def test_a_project_row_answers_for_the_project_and_the_narrative_that_differs_is_shown(
    real_answerer: Answerer,
) -> None:
    # no body named: only one loaded document prints this project; the narrative says 15.56, the tables 16.56
    answer = real_answerer.answer("信访局临聘人员经费安排了多少")
    assert answer.status == "answered", answer.headline
    assert [v.printed for v in answer.values] == ["16.56", "15.56"]
    assert answer.conflicts and "长春市信访局" in to_text(answer)


@pytest.mark.parametrize(
    ("question", "written", "meant", "expected"),
    [
        ("大鹏管理局基本之出总表在第几页", "基本之出", "基本支出", "第24页"),
        ("湖州市财政局三公经费支出表在第几叶", "第几叶", "第几页", "第28页"),
        ("江苏高院2019年平均每辆车的运行维户费", "运行维户费", "运行维护费", "4.04"),
    ],
)
def test_a_same_sounding_slip_is_read_as_the_known_word_and_said(
    real_answerer: Answerer, question: str, written: str, meant: str, expected: str
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    text = to_text(answer)
    assert expected in text
    assert any(written in note and meant in note for note in answer.notes), answer.notes


def test_a_slip_is_corrected_only_to_one_known_word_of_the_same_sound() -> None:
    known = Homophones(["基本支出", "机关运行经费", "第几页", "公务接待费"])
    slips = known.corrections("基本之出和机关运形经费")
    assert corrected("基本之出和机关运形经费", slips) == "基本支出和机关运行经费"
    assert known.corrections("基本支付") == []  # 付 does not sound like 出
    assert known.corrections("公务接待费") == []  # a known word is left alone
    # two known words fit the slip equally: nothing is guessed
    assert Homophones(["事业收入", "事业首入"]).corrections("事业手入") == []


def test_a_slip_that_still_finds_nothing_keeps_the_first_refusal(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("大鹏管理局2026年土地出让收入预计有多少")
    assert answer.status != "answered"
    assert "土地出让收入" in answer.headline  # the unprinted item named whole, not "土地出让" beside 收入总计


def test_a_per_month_average_of_a_project(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("长春信访驻京经费平均每个月多少钱")
    assert answer.status == "answered", answer.headline
    (each,) = (v for v in answer.values if v.role == "per_unit")
    assert each.value == Decimal("26.00") and each.unit == "万元/月"


@pytest.mark.parametrize(
    ("question", "unit", "expected"),
    [
        # the unit without its place, or by a tail no other loaded name ends with
        ("深圳水务局下面的水文水质中心项目支出多少", "深圳市水文水质中心", "5,346.65"),
        ("湖州交通局下面的执法队三公经费多少", "湖州市交通运输行政执法队", "372.56"),
        # a unit listed with its own six-digit code (114002) in the income table
        ("苏州市土地储备中心2026年收入预算是多少", "苏州市土地储备中心", "69,998.00"),
    ],
)
def test_a_unit_named_the_way_people_shorten_it(
    real_answerer: Answerer, question: str, unit: str, expected: str
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert answer.values[0].printed == expected
    assert unit in answer.values[0].label


def test_a_units_change_is_its_own_row_of_changes(real_answerer: Answerer) -> None:
    # 深圳's “三公” table prints 增减变化金额 under each unit: the unit's -2.40, not the department's -17.20
    (works,) = (d.id for d in real_answerer.snapshot().documents if d.body == "深圳市建筑工务署")
    answer = real_answerer.answer("建筑工务署文体和水务工程管理中心的三公经费比去年少了多少", works)
    printed = [v.printed for v in answer.values]
    assert "-2.40" in printed and "17.20" not in printed


def test_units_ranked_by_the_row_asked_not_by_their_totals(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("工务署下面四家单位，谁的住房公积金最多？多少")
    assert answer.status == "answered", answer.headline
    (first,) = (v for v in answer.values if v.role == "rank")
    assert first.printed == "436.23" and "工程设计管理中心" in first.label


def test_a_count_the_asker_states_is_the_one_divided_by(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("湖州交通局今年买10辆公务车，按购置费算平均一辆多少钱")
    (each,) = (v for v in answer.values if v.role == "per_unit")
    assert each.value == Decimal("17.18")


def test_a_name_the_compared_items_are_in_is_not_compared(real_answerer: Answerer) -> None:
    # "…专项里，市级支持总部经济比区级多多少": 区级 (an elided name) is not printed; never 专项 − 市级
    answer = real_answerer.answer("普陀商务委贸易高质量发展专项里，市级支持总部经济比区级多多少")
    assert "difference" not in {v.role for v in answer.values}


def test_the_first_year_row_of_a_unit_is_that_units(real_db: Path) -> None:
    # 深圳's “三公” table: "深圳市建筑工务署（本级） | 2025年 | 72.00 …": that 2025 row is the unit's
    where = (
        "f.kind = 'three_public' and f.item = '因公出国(境)费' and f.scope = '一般公共预算' "
        "and f.ref_year = 2025 and f.measure = '金额'"
    )
    rows = _figures(real_db, "深圳市建筑工务署", where)
    assert [(str(v), str(p)) for _, v, p, _ in rows][:2] == [("72.00", ""), ("72.00", "深圳市建筑工务署（本级）")]
    assert len([p for _, _, p, _ in rows if p == ""]) == 1


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a column under the 政府采购 group of the 支出总表
        ("工务署今年政府采购里预留给中小企业的有多少", {"1,424.37"}),
        # the change printed in the table's 增减变化金额 row, and the 2025 row it comes from
        ("工务署因公出国（境）费用今年比2025年年初预算多了多少", {"5.20", "72.00"}),
    ],
)
def test_shenzhen_columns_and_rows_of_changes(real_answerer: Answerer, question: str, expected: set[str]) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert expected <= {v.printed for v in answer.values}
