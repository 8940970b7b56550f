"""A document that contradicts itself (issue 26): an answer shows every printed figure of the item with its
page, and `ask --json` groups them under `conflicts`, so that no reader takes one of them alone."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from bot.render import to_json, to_text
from queries.run import Answerer


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


def test_a_units_subtotal_printed_under_the_departments_name_is_no_second_figure(real_answerer: Answerer) -> None:
    # 珠海市商务局: 本年支出总体情况表 p9 prints 项目支出 58,788.54; the project table p22 prints the same 合计 first,
    # then 58,446.21 on the row "珠海市商务局" — the 本级 unit's subtotal above its projects, not the department's
    answer = real_answerer.answer("珠海市商务局2026年项目支出多少")
    data = json.loads(to_json(answer))
    shown = {(v["printed"], data["sources"][v["source"]]["file_page"]) for v in data["values"]}
    assert shown == {("58,788.54", 9)}
    assert data["conflicts"] == []


def test_two_printed_figures_are_grouped_as_a_conflict_in_json(real_answerer: Answerer) -> None:
    # 长春市信访局: 基本支出表 p11 prints 其他商品和服务支出 12.59, the narrative p18 says 12.58
    data = json.loads(to_json(real_answerer.answer("长春市信访局2026年其他商品和服务支出多少")))
    pages = [(v["printed"], data["sources"][v["source"]]["file_page"]) for v in data["values"]]
    assert data["conflicts"] == [[pages.index(("12.59", 11)), pages.index(("12.58", 18))]]


def test_the_narrative_against_a_table_is_a_conflict(real_answerer: Answerer) -> None:
    # 长春市信访局: 基本支出表 p11 prints 其他商品和服务支出 12.59, the narrative p18 says 12.58
    answer = real_answerer.answer("长春市信访局2026年其他商品和服务支出多少")
    printed = [v.printed for v in answer.values]
    assert "12.59" in printed and "12.58" in printed
    assert answer.conflicts == ((printed.index("12.59"), printed.index("12.58")),)


def test_one_figure_printed_alike_is_no_conflict(real_answerer: Answerer) -> None:
    # 上海市财政局: the “三公” table p20 and the narrative p21 both print 公务接待费 25.40
    answer = real_answerer.answer("上海市财政局2025年公务接待费多少")
    assert answer.status == "answered"
    assert answer.conflicts == ()
    assert json.loads(to_json(answer))["conflicts"] == []


def test_the_narrative_stating_one_figure_twice_is_a_conflict(real_answerer: Answerer) -> None:
    # 普陀区司法局 p9: "住房公积金208.8万元……2026年预算安排201.50万元" in one paragraph (the tables print 2,087,959 元)
    answer = real_answerer.answer("普陀司法局2026年住房公积金预算是多少")
    printed = [v.printed for v in answer.values]
    assert {"2087959.00", "208.8", "201.50"} <= {p.replace(",", "") for p in printed if p}
    assert (printed.index("208.8"), printed.index("201.50")) in answer.conflicts


def test_a_word_before_a_concepts_word_that_ends_a_printed_name_is_that_row(real_answerer: Answerer) -> None:
    # 长春市信访局: "临聘人员经费" is the printed project 信访局临聘人员经费 (p14 16.56), not 人员经费 with 临聘
    # unbound; the narrative p18 says 15.56 — both shown, as a conflict
    answer = real_answerer.answer("长春市信访局2026年临聘人员经费预算多少")
    assert answer.status == "answered", answer.headline
    assert {v.printed for v in answer.values} >= {"16.56", "15.56"}
    assert answer.conflicts


def test_a_funds_income_and_spending_asked_together_are_each_answered(real_answerer: Answerer) -> None:
    # 普陀区商务委员会 2025 p7: 财政拨款收入 "比2024年预算执行数增加24,558.18万元"; 财政拨款支出 "比2024年预算增加
    # 24,491.71万元" — one document, two changes of the same 37,151.47
    answer = real_answerer.answer("上海市普陀区商务委员会2025年部门预算的财政拨款收支比2024年多了多少")
    assert answer.status == "answered", answer.headline
    changes = {(v.label.split("比")[0], v.printed) for v in answer.values if v.role == "change" and v.printed}
    assert changes == {("财政拨款收入", "24,558.18"), ("财政拨款支出", "24,491.71")}


def test_a_share_of_an_item_printed_twice_is_computed_with_each(real_answerer: Answerer) -> None:
    # 长春市信访局: 信访局临聘人员经费 16.56 (tables) and 15.56 (narrative p18) over 项目支出 474.56
    answer = real_answerer.answer("长春市信访局临聘人员经费占项目支出的比重是多少")
    shares = sorted(str(v.value) for v in answer.values if v.role == "share")
    assert shares == ["3.28", "3.49"]
    assert answer.conflicts


def test_a_funds_change_asked_bare_gives_the_changes_stated_of_its_income_and_its_spending(
    real_answerer: Answerer,
) -> None:
    # 普陀区商务委员会 2025 单位预算 p7: one 37,151.47 of 财政拨款, up 24,558.18 as income and 24,491.71 as spending
    answer = real_answerer.answer("普陀商务委2025年单位预算财政拨款比上年增加了多少")
    stated = {v.printed for v in answer.values if v.role == "change" and v.printed}
    assert stated == {"24,558.18", "24,491.71"}, to_text(answer)


def test_an_all_funds_scope_asked_in_words_keeps_the_narratives_second_figure(real_answerer: Answerer) -> None:
    # 江苏省人民检察院 2017: the tables print 基本支出 12,323.48; the narrative p19 says 12323.46 in one section
    answer = real_answerer.answer("江苏省检察院2017年部门预算（全部资金）基本支出是多少")
    printed = [v.printed for v in answer.values]
    assert "12,323.48" in printed and "12323.46" in {p.replace(",", "") for p in printed if p}
    assert len(answer.conflicts) == 1


def test_a_change_is_computed_with_each_figure_printed_for_this_year(real_answerer: Answerer) -> None:
    # 普陀区司法局 p9: 住房公积金 208.8万元 (the tables' 2,087,959 元) and "2026年预算安排201.50万元", 2025执行数 198.34
    answer = real_answerer.answer("司法局住房公积金比2025年执行数多了多少万元")
    changes = [(n, v) for n, v in enumerate(answer.values) if v.role == "change" and v.printed is None]
    assert [str(round(v.value, 2)) for _, v in changes if v.value is not None] == ["10.46", "3.16"]
    assert (changes[0][0], changes[1][0]) in answer.conflicts


def test_last_years_figure_that_disagrees_with_its_own_rate_is_shown_with_the_one_they_give(
    real_answerer: Answerer,
) -> None:
    # 普陀区司法局 p9: "其他司法支出3845.49万元，比2025年预算执行数43269.3万元增加17.62%": 3845.49 ÷ 1.1762 = 3,269.42
    answer = real_answerer.answer("普陀区司法局其他司法支出2025年预算执行数是多少？")
    priors = [(n, v) for n, v in enumerate(answer.values) if v.role == "prior"]
    assert [v.printed or str(v.value) for _, v in priors] == ["43269.3", "3269.42"]
    assert (priors[0][0], priors[1][0]) in answer.conflicts


def test_last_years_figure_that_agrees_with_its_rate_stands_alone(real_answerer: Answerer) -> None:
    # 普陀区司法局 p9: 住房公积金 2025执行数 198.34, 208.8 and +5.27% agree: nothing derived
    answer = real_answerer.answer("普陀区司法局住房公积金2025年预算执行数是多少？")
    assert [v.printed for v in answer.values if v.role == "prior"] == ["198.34"]
    assert not any("推算" in v.label for v in answer.values)


def test_a_change_the_narrative_states_under_a_longer_name_of_the_same_money(real_answerer: Answerer) -> None:
    # 万里街道 2023 p7: "机关事业单位职业年金缴费支出（项）220.63万元…2022年执行数132.59万元…增加60.54%";
    # the tables print 职业年金缴费 2,206,272 元: the printed 60.54% and the 66.40% the two amounts give, said to differ
    answer = real_answerer.answer("万里街道办职业年金缴费比2022年执行数增长了百分之几")
    assert answer.status == "answered", answer.headline
    rates = {v.printed or str(v.value) for v in answer.values if v.role == "rate"}
    assert {"60.54", "66.40"} <= rates
    assert any("机关事业单位职业年金缴费支出" in note for note in answer.notes)


def test_the_overall_performance_tables_restated_budget_is_a_second_figure(real_answerer: Answerer) -> None:
    # 泉州市人民政府办公室 p37 部门整体支出绩效目标表: "年度预算安排（万元） 资金总额 8200.95 / 项目支出 2285.57 /
    # 基本支出 5915.38"; the 支出预算总表 p15 prints 项目支出 9269.43, and p13 支出合计 15184.81
    data = json.loads(to_json(real_answerer.answer("泉州市政府办2026年部门预算项目支出多少")))
    pages = [(v["printed"], data["sources"][v["source"]]["file_page"]) for v in data["values"]]
    assert pages[0] == ("9269.43", 15)
    assert [pages.index(("9269.43", 15)), pages.index(("2285.57", 37))] in data["conflicts"]
    total = real_answerer.answer("泉州市人民政府办公室2026年部门预算资金总额是多少？")
    assert [v.printed for v in total.values][:2] == ["15184.81", "8200.95"]
    assert total.conflicts == ((0, 1),)


def test_a_restated_figure_that_agrees_is_no_conflict(real_answerer: Answerer) -> None:
    # the same sheet's 基本支出 5915.38 is the 支出预算总表's (p15)
    answer = real_answerer.answer("泉州市政府办2026年部门预算基本支出多少")
    assert answer.values[0].printed == "5915.38"
    assert answer.conflicts == ()


def test_the_narratives_figure_under_a_longer_name_of_the_same_money_is_compared(real_answerer: Answerer) -> None:
    # 普陀区财政局 2025: the tables print 30109 职业年金缴费 and 2080506 机关事业单位职业年金缴费支出 alike (873,617.00
    # 元); the 编制说明 p7 states "机关事业单位职业年金缴费支出887.36万元": the same money, printed otherwise
    answer = real_answerer.answer("普陀财政局2025年部门预算职业年金缴费是多少")
    printed = [v.printed for v in answer.values]
    assert printed == ["873,617.00", "887.36"]
    assert answer.conflicts == ((0, 1),)
    agrees = real_answerer.answer("普陀财政局2025年部门预算机关事业单位基本养老保险缴费是多少")
    assert agrees.conflicts == ()  # 174.83万元 on p7 is the tables' 1,748,327.00 元 rounded


def test_a_part_of_a_whole_no_table_prints_is_read_from_the_column_that_holds_it_by_definition(
    real_answerer: Answerer,
) -> None:
    # 长春市信访局 prints no 机关运行经费表; 机关运行经费 is the 一般公共预算 基本支出's 公用经费: the 预算表6 p11
    # 公用经费 column prints 办公费 34.82 and 30299 12.59, the narrative's 机关运行经费 section p18 says 34.82, 12.58
    answer = real_answerer.answer("长春市信访局机关运行经费里办公费、30299其他商品和服务支出各安排多少")
    printed = [v.printed for v in answer.values]
    assert printed == ["34.82", "34.82", "12.59", "12.58"]
    assert answer.conflicts == ((2, 3),)
    assert any("公用经费" in note for note in answer.notes)


def test_a_total_stated_as_收支总预算_is_compared_with_the_tables(real_answerer: Answerer) -> None:
    # 湖州市交通运输局 p7: "财政拨款收支总预算192,207.76万元"; 表04 p29 (财政拨款收支预算总表) prints 42,673.03
    answer = real_answerer.answer("湖州交通局2026年财政拨款收支总预算到底是多少")
    printed = [v.printed for v in answer.values]
    assert {"42673.03", "192207.76"} <= {p.replace(",", "") for p in printed if p}
    assert answer.conflicts


def _stated_of(database: Path, body: str, where: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select f.page, f.name, f.role, f.ref_year, f.measure, f.printed, f.scope, f.parent, f.column_name, "
            "f.place "
            f"from figures f join documents d using (document_id) where d.body = ? and f.source = 'text' and {where} "
            "order by f.page, f.row_no, f.col_no",
            [body],
        ).fetchall()


def test_the_科目_a_heading_lists_as_one_funds_are_that_funds(real_db: Path) -> None:
    """普陀区社会福利院 p6: "财政拨款支出主要内容如下：… 4. “…社会福利事业单位（项）”738.66万元 … 2023年当年预算执行数为
    711.34万元 … 增加3.84%": the listed 科目 and what is said of them are 财政拨款 figures; the totals before the
    heading ("收入预算1,212.12万元") are not."""
    rows = _stated_of(real_db, "上海市普陀区社会福利院", "f.name = '社会福利事业单位'")
    assert {(r[2], r[3], r[4], r[5], r[6]) for r in rows} == {
        ("预算", 2024, "金额", "738.66万元", "财政拨款"),
        ("执行", 2023, "金额", "711.34万元", "财政拨款"),
        ("预算", 2024, "增减率", "3.84%", "财政拨款"),
    }
    totals = _stated_of(real_db, "上海市普陀区社会福利院", "f.printed = '1,212.12万元'")
    assert totals and all(r[6] is None for r in totals)


def test_a_change_on_last_years_one_fund_figure_is_computed_in_that_fund(real_answerer: Answerer) -> None:
    # the tables print 2081005 社会福利事业单位 9,584,796 元 in all (with 事业收入 2,620,000) and 6,964,796 in the
    # 财政拨款 column (p8); last year's 711.34万元 is 财政拨款: 696.48 − 711.34 = −14.86 (−2.09%), and the narrative's
    # own 738.66 gives its +3.84%: both shown, as a conflict
    answer = real_answerer.answer("福利院社会福利事业单位支出比2023年执行数增长多少")
    assert answer.status == "answered", answer.headline
    rates = {v.value for v in answer.values if v.role == "rate"}
    assert {Decimal("-2.09"), Decimal("3.84")} <= rates
    assert "6,964,796" in [v.printed for v in answer.values]
    assert "9,584,796" not in [v.printed for v in answer.values]
    assert answer.conflicts


def test_the_narratives_one_fund_figure_is_compared_with_that_funds_column(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("福利院社会福利事业单位支出多少")
    printed = [v.printed for v in answer.values]
    assert printed[0] == "9,584,796"  # the item's figure asked, all funds
    assert (printed.index("6,964,796"), printed.index("738.66")) in answer.conflicts
    assert not any("9,584,796" in note and "738.66" in note for note in answer.notes)


def test_last_year_executed_is_last_years_figure_when_the_budget_prints_no_other(real_answerer: Answerer) -> None:
    # p6 "住房公积金（项）”33.58万元 … 2023年当年预算执行数为33.74万元 … 减少0.47%": 比上年 is on the 33.74
    answer = real_answerer.answer("福利院住房公积金比上年增长多少")
    assert "33.74" in [v.printed for v in answer.values]
    computed = next(v for v in answer.values if v.role == "rate" and v.printed is None)
    assert computed.value == Decimal("-0.47")


def test_amounts_written_in_a_performance_tables_cells_are_figures_of_the_rows_project(real_db: Path) -> None:
    """长春 预算表11 p16: the project 2026年信访接待中心运行费 writes "2、缴纳电费27万元" in 年度绩效目标 and
    "2、缴纳电费20万元" in 指标解释; 湖州市财政局 p32's "全年完成审核目标100亿元，节约财政资金8亿元" is a target,
    no money paid."""
    rows = _stated_of(real_db, "长春市信访局", "f.name = '电费'")
    assert [(r[0], r[5], r[7], r[8]) for r in rows] == [
        (16, "27万元", "2026年信访接待中心运行费", "年度绩效目标"),
        (16, "20万元", "2026年信访接待中心运行费", "指标解释"),
    ]
    assert all(str(r[9]).startswith("长春市信访局2026年项目支出绩效目标表") for r in rows)
    assert _stated_of(real_db, "湖州市财政局", "f.kind like 'performance%'") == []


def test_one_thing_written_with_two_amounts_in_a_projects_cells_is_a_conflict(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("长春信访局的信访接待中心运行费里，电费安排了多少？")
    assert [v.printed for v in answer.values] == ["27", "20"]
    assert answer.conflicts == ((0, 1),)
    assert ["年度绩效目标栏" in v.label for v in answer.values] == [True, False]
    assert answer.sources[0].table.startswith("长春市信访局2026年项目支出绩效目标表")


def test_a_row_asked_in_one_fund_is_that_funds_figure_without_all_funds_parts(real_answerer: Answerer) -> None:
    # "社会福利事业单位财政拨款支出": the row in the 财政拨款 column (p8 6,964,796), not the row and the fund's total;
    # the 支出预算总表's 项目支出 2,620,000 beside its 合计 9,584,796 (事业收入) is no part of it
    answer = real_answerer.answer("福利院社会福利事业单位财政拨款支出多少")
    printed = [v.printed for v in answer.values]
    assert printed[0] == "6,964,796"
    assert "2,620,000" not in printed and "9,501,164" not in printed


def test_parts_of_all_funds_are_not_shown_as_parts_of_one_funds_figure(real_answerer: Answerer) -> None:
    # 深圳 大鹏管理局: 自然资源事务 财政拨款 2,646.81; all funds' 基本 1,599.41 + 项目 1,231.90 = 2,831.31 is more
    answer = real_answerer.answer("大鹏管理局自然资源事务这一款，财政拨款安排了多少")
    printed = [v.printed for v in answer.values]
    assert "2,646.81" in printed
    assert "1,231.90" not in printed


def test_spending_stated_after_the_last_source_of_income_is_the_total_spending(real_db: Path) -> None:
    """普陀区社会福利院 p6: "…其他收入0.00万元。支出预算1,212.12万元，其中：…": the other flow, 支出总计, not 其他收入
    in another role (which showed 其他收入 as printed twice, 0.00 and 1,212.12)."""
    rows = _stated_of(real_db, "上海市普陀区社会福利院", "f.page = 6 and f.printed = '1,212.12万元'")
    assert {(r[1], r[4]) for r in rows} == {("收入", "金额"), ("支出", "金额")}
    assert not _stated_of(real_db, "上海市普陀区社会福利院", "f.name = '其他收入' and f.printed <> '0.00万元'")
