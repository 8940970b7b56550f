"""How other provinces print and how people ask there, read on real PDFs of the corpus: a fund scope asked a
second time, "占几辆" (of which), a body named by a part of a sub-body's name, a narrative that names its own
subject before "较上年", counts of vehicles held by "所属各预算单位"."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from bot.render import to_text
from queries.run import Answerer


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


def _printed(answer_values: object) -> list[str]:
    return [v.printed for v in answer_values]  # type: ignore[attr-defined]


def test_a_scope_asked_again_in_a_later_clause_answers_both(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("民政局财政拨款收入多少，其中一般公共预算拨款是多少")
    assert answer.status == "answered", answer.headline
    assert {"28,097.48", "8,761.33"} <= set(_printed(answer.values))
    answer = real_answerer.answer("信访局信访业务（2014004）财政拨款是多少？算上全部资金又是多少")
    assert {"724.50", "868.50"} <= set(_printed(answer.values))
    assert not answer.conflicts  # the narrative's 724.5 is the 财政拨款 figure, no contradiction


def test_one_item_in_two_scopes_is_not_added_up(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("宣传部文化旅游体育与传媒支出总共多少？其中一般公共预算安排的是多少")
    assert answer.status == "answered", answer.headline
    assert answer.template != "item_sum"
    assert not any(v.label.startswith("合计") for v in answer.values)
    assert "137,466.61" in _printed(answer.values)  # all funds, 政府性基金 380.00 included


def test_of_which_how_many_is_a_count_not_a_share(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("卫健委系统现在有多少辆车，特种专业技术用车占几辆")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values)[:2] == ["70", "49"]
    assert "share" not in {v.role for v in answer.values}


@pytest.mark.parametrize(
    ("question", "body"),
    [
        ("大鹏规自局三公经费今年多少", "深圳市规划和自然资源局大鹏管理局"),
        ("大鹏规划自然资源管理局的劳务费安排了多少", "深圳市规划和自然资源局大鹏管理局"),
        ("深圳民政其他对个人和家庭的补助是多少", "深圳市民政局"),
    ],
)
def test_a_body_named_the_way_people_shorten_it(real_answerer: Answerer, question: str, body: str) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert {s.body for s in answer.sources} == {body}


def _narrative(
    real_db: Path, body: str, page: int, measure: str, edition: str = "部门"
) -> list[tuple[str, str, list[str]]]:
    """(item, printed, concepts) of the narrative figures of one page of a body's document, in reading order."""
    with duckdb.connect(str(real_db), read_only=True) as con:
        return [
            (str(item), str(printed), list(concepts))
            for item, printed, concepts in con.execute(
                "select f.item, f.printed, f.concepts from figures f join documents d using (document_id) "
                "where d.body = ? and d.edition = ? and f.source = 'text' and f.page = ? and f.measure = ? "
                "order by f.ordinal",
                [body, edition, page, measure],
            ).fetchall()
        ]


def test_a_change_clause_that_names_its_own_subject(real_db: Path) -> None:
    # "…下降1.9%，主要是政府性基金预算收入较上年执行数下降45.9%，一般公共预算收入……下降23.9%，事业收入……增长7.6%"
    rates = [(item, printed) for item, printed, _ in _narrative(real_db, "湖州市卫生健康委员会", 7, "增减率")]
    by_item = {str(item): {str(p) for i, p in rates if i == item} for item, _ in rates}
    assert by_item["收入"] == {"1.9%"}
    assert by_item["政府性基金预算收入"] == {"45.9%"}
    assert by_item["事业收入"] == {"7.6%"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("珠海工务中心今年收入预算比上年增加多少，增长率多少", {"6,816.11", "925.1"}),  # "本部门收入预算"
        ("湖州市财政局一共几辆车", {"1"}),  # "所属各预算单位共有车辆 1 辆"
        ("长春信访局有几台机动车", {"3"}),  # "固定资产账上共有机动车3辆"
        # "（本级）系统机关运行经费预算总计211万元，占基本支出经费的17.46%"
        ("长春信访局机关运行经费占基本支出的比例", {"211", "17.46"}),
        ("长春市信访局2026年预算比上年增加了多少", {"50.32"}),  # "2026年预算比2025年预算增加50.32万元"
    ],
)
def test_narrative_wordings_of_other_provinces(real_answerer: Answerer, question: str, expected: set[str]) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert expected <= set(_printed(answer.values))


def test_own_unit_of_a_department_answers_for_benji_when_no_unit_budget_is_loaded(real_answerer: Answerer) -> None:
    # no 单位预算 of 深圳市建筑工务署 is loaded; its 部门预算 lists "深圳市建筑工务署（本级）" with its rows
    answer = real_answerer.answer("工务署本级基本支出是多少")
    assert answer.status == "answered", answer.headline
    assert answer.values[0].printed == "4,614.06"  # the 本级 row, not the department's 20,723.90
    assert any("（本级）" in note for note in answer.notes)


def test_one_item_in_two_funds_that_do_not_overlap_adds_up(real_answerer: Answerer) -> None:
    question = "泉州市政府办公室2026年部门预算项目支出一般公共预算安排了多少？加上政府性基金总共多少"
    answer = real_answerer.answer(question)
    assert answer.template == "item_sum", (answer.template, answer.headline)


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # the reason in a paragraph of its own after the total's two sentences (收入, then 支出, alike at their ends)
        ("深圳建筑工务署2026年预算比25年少了4个多亿，为啥", "不含中央基建资金"),
        # a proportion the asker estimates ("近一半") is no item
        ("苏州科技局26年一般公共预算拨款为什么少了近一半", "苏州实验室未安排预算"),
    ],
)
def test_why_a_budget_changed_quotes_the_reason_printed_after_it(
    real_answerer: Answerer, question: str, reason: str
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert any(reason in (v.text or "") for v in answer.values)


def test_funds_listed_inside_a_scope_are_each_an_item(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("湖州卫健委的财政拨款里，一般公共预算和政府性基金各安排了多少")
    assert answer.status == "answered", answer.headline
    assert {Decimal("37018.75"), Decimal("27600.00")} <= {v.value for v in answer.values}


def test_a_word_asked_inside_a_named_project_is_read_within_it(real_answerer: Answerer) -> None:
    # the project's own 116.00 is not the answer to "…运行费里，电费安排了多少"; no 电费 is printed inside it
    answer = real_answerer.answer("长春信访局的信访接待中心运行费里，电费安排了多少？")
    assert answer.status != "answered" or "116.00" not in {v.printed for v in answer.values}
    assert "电费" in to_text(answer)


def test_a_unit_the_items_are_asked_within(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("工程设计管理中心里，其他工资福利支出有多少")
    assert answer.status == "answered", answer.headline
    assert Decimal("4039.57") in {v.value for v in answer.values}


def test_a_count_asked_beside_an_amount_is_the_one_stated_with_it(real_answerer: Answerer) -> None:
    # "本部门共 9 个项目纳入绩效目标管理,涉及财政性资金合计 1,175.65 万元"
    answer = real_answerer.answer("无锡信访局有几个项目纳入了绩效目标管理？涉及资金多少")
    assert answer.status == "answered", answer.headline
    counts = [v for v in answer.values if v.role == "count"]
    assert [c.value for c in counts] == [Decimal("9")]
    assert Decimal("1175.65") in {v.value for v in answer.values}


def test_why_with_counts_gives_the_counts_the_reason_states(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("监测与技术保障中心预算为啥减少？调出了多少人、退休几人")
    assert answer.status == "answered", answer.headline
    assert [(v.role, v.value) for v in answer.values[:2]] == [("count", Decimal("14")), ("count", Decimal("1"))]
    assert any("调出 14 人" in (v.text or "") for v in answer.values)


# ---- layouts and wordings read in session 12 (each on the real page that prints it) -----------------------------


def _rows(real_db: Path, body: str, page: int) -> list[tuple[str | None, str, str, str]]:
    with duckdb.connect(str(real_db), read_only=True) as con:
        return con.execute(
            "select distinct f.code, f.item, f.parent, f.printed from figures f join documents d using (document_id) "
            "where d.body = ? and f.page = ? and f.source = 'table' and f.col_no = "
            "(select min(col_no) from figures g where g.document_id = f.document_id and g.page = f.page "
            "and g.row_no = f.row_no and g.source = 'table')",
            [body, page],
        ).fetchall()


def test_ruling_drawn_a_fraction_off_the_page_keeps_the_code_column(real_db: Path) -> None:
    """长春 p8 draws its table's left edge at x = -0.4: the 科目编码 column inside it is read, not dropped."""
    rows = _rows(real_db, "长春市信访局", 8)
    assert ("2014001", "行政运行", "", "903.85") in rows
    assert ("20140", "信访事务", "", "1378.41") in rows


def test_a_code_printed_in_the_name_cell_is_the_rows_code(real_db: Path) -> None:
    """珠海 表7 prints "[30206]电费": code 30206, name 电费."""
    rows = _rows(real_db, "珠海市商务局", 17)
    assert ("30206", "电费", "", "6,420.00") in rows
    assert ("302", "商品和服务支出", "", "29,417.31") in rows


def test_a_unit_column_beside_the_project_names_is_each_projects_unit(real_db: Path) -> None:
    """湖州 表10 "单位名称 | 项目名称 | 总计 …" with a column-number row ("** ** 1 2 …") under its header: each row is
    the project, under its unit."""
    rows = _rows(real_db, "湖州市交通运输局", 38)
    assert (None, "水运交通建设养护", "湖州市港航管理中心", "73570.53") in rows
    assert (None, "低碳交通发展推广", "湖州市公路与运输管理中心", "7990.81") in rows
    assert (None, "低碳交通发展推广", "湖州市港航管理中心", "1012.17") in rows


def test_the_largest_projects_name_their_units_across_the_tables_pages(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("湖州市卫健委项目支出预算表里最大的三个项目是？")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values)[:3] == ["16623.88", "10202.50", "5500.00"]  # the third is on the next page
    assert "湖州市中医院" in answer.values[2].label  # two units print a project called 医院建设发展


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("湖州交通运输局2026年在编人员有多少", "在编人员"),
        ("无锡市教育局部门预算2026年在职教职工人数有多少", "在职教职工人数"),
    ],
)
def test_a_head_count_not_printed_is_refused_in_the_askers_words(
    real_answerer: Answerer, question: str, named: str
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status != "answered"
    assert f"“{named}”" in to_text(answer)


def test_two_units_asked_for_one_kind_of_spending(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("珠海市会议展览局和贸易服务中心的基本支出分别是多少")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["191.17", "1,069.53"]


def test_a_change_stated_for_a_class_or_a_funds_appropriation(real_answerer: Answerer) -> None:
    # "科学技术支出（类）支出50,527万元…与上年相比减少5,589.4万元"
    answer = real_answerer.answer("无锡市教育局部门预算科学技术支出跟去年比是增是减，变了多少")
    assert {"5,589.4", "9.96"} <= set(_printed(answer.values))
    answer = real_answerer.answer("湖州交通局政府性基金拨款比去年执行数多了多少，增长率多少")  # "…当年拨款…增加"
    assert {"94084.46", "205.1"} <= set(_printed(answer.values))


def test_one_word_read_as_two_rows_is_not_added_twice(real_answerer: Answerer) -> None:
    """ "职业年金" is printed as 2080506 (by function) and 30109 (by economic class): the same money."""
    answer = real_answerer.answer("应急执法局基本养老保险缴费和职业年金各多少，合计多少")
    sums = [v for v in answer.values if v.role == "sum"]
    assert [v.value for v in sums] in ([Decimal("135.06")], [])
    assert Decimal("180.08") not in {v.value for v in answer.values}


def test_a_row_printed_by_name_takes_the_code_the_document_gives_that_name(real_db: Path) -> None:
    """深圳's 收支总表 names 其他建筑业支出 without a code; the unit tables print it as 2150399."""
    rows = _rows(real_db, "深圳市建筑工务署", 17)
    assert ("2150399", "其他建筑业支出", "", "14,446.24") in rows


def test_a_department_figure_asked_by_code_where_only_units_print_codes(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("深圳市水务局2130301行政运行支出是多少")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values)[0] == "4,260.52"


def test_a_fund_said_to_be_included_is_no_item_to_add(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("深汕监管局食品安全监管（2013816）总共安排多少，含单位资金")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["510.56"]  # all funds, 单位资金 included; not 510.56 + 单位资金 1,012.29


@pytest.mark.parametrize(
    ("question", "says"),
    [
        # 湖州: 单位名称 | 项目名称 | 金额 | 项目总体绩效目标 (a goal written as a sentence)
        ("湖州市财政项目预算审核中心的市级预算项目评审，全年审核目标定的是多少", "全年完成审核目标100亿元"),
        # 泉州: 三级指标 | 目标值, one project per sheet named in its title; the indicator asked without a word
        ("泉州市政府办本级政策解读类原创短视频目标几条", "≥30条"),
        ("泉州市场监管技术保障中心预算控制率目标是多少", "≤50%"),
        # 深圳: a table of projects and goals in the narrative (第七部分 重点项目预算绩效情况说明); 是什么 asks for it
        ("民政局安全生产和应急管理专项经费的绩效目标是什么", "应急预案的实用性和可操作性显著提升"),
    ],
)
def test_performance_targets_in_other_layouts(real_answerer: Answerer, question: str, says: str) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert says in (answer.values[0].text or "")


def test_a_one_project_sheet_names_its_project_in_its_title(real_db: Path) -> None:
    with duckdb.connect(str(real_db), read_only=True) as con:
        labels = {
            text
            for (text,) in con.execute(
                "select t.text from text_facts t join documents d using (document_id) "
                "where d.body = '泉州市人民政府办公室' and d.edition = '单位' and t.kind = 'target' and t.page = 27"
            ).fetchall()
        }
    assert "≥30条（“泉州政务”新媒体号运营资金项目）" in labels


def test_a_page_with_its_own_performance_header_starts_a_new_table(real_db: Path) -> None:
    """珠海 p32: "项目 | 预算数（单位：万元） | 绩效目标" after the ten-column 项目支出表 (p22–29) is the 重点项目
    table, titled by the heading above it, not more rows of the table before."""
    with duckdb.connect(str(real_db), read_only=True) as con:
        tables = con.execute(
            "select kind, title, first_page, last_page from doc_tables t join documents d using (document_id) "
            "where d.body = '珠海市商务局' and t.first_page >= 22 order by t.table_no"
        ).fetchall()
    assert tables == [
        ("project_expenditure", "部门预算项目支出及其他支出预算表", 22, 29),
        ("performance_project", "七、重点项目预算绩效目标情况", 32, 34),
    ]


def test_a_project_printed_with_two_amounts_shows_both(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("珠海商务局今年拱北口岸和青茂口岸设施设备维保费预算多少钱")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["234.48", "175"]
    assert answer.conflicts


def test_a_target_of_another_unit_is_not_given_for_the_unit_asked(real_answerer: Answerer) -> None:
    """水务局's 污水处理服务费 goal printed for 本级 is no answer for 茅洲河流域管理中心's project of that name."""
    answer = real_answerer.answer("深圳水务局茅洲河流域管理中心污水处理服务费的绩效目标里，全年污水处理量要达到多少")
    assert not any("本级" in (v.text or "") for v in answer.values)


@pytest.mark.parametrize(
    ("question", "printed"),
    [
        # printed "辅助人员补助经费-拱北海关", "…-珠海边检总站": the 对象 listed after the 项目, or before it with 的
        ("珠海市商务局辅助人员补助经费，拱北海关和珠海边检总站各多少", ["7,672.50", "5,411.25"]),
        ("珠海商务局给拱北海关和珠海边检总站的辅助人员补助经费加起来多少", ["7,672.50", "5,411.25", "13,083.75"]),
        ("宣传文化发展专项资金产业方向、事业方向各多少？两项合计呢", ["15,000.00", "38,720.00", "53,720.00"]),
    ],
)
def test_names_printed_as_project_dash_recipient(real_answerer: Answerer, question: str, printed: list[str]) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    said = to_text(answer)
    assert [p for p in printed if p not in said] == []


def test_a_difference_between_two_recipients_of_one_project(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("珠海商务局2026年春节慰问金，拱北海关比珠海边检总站多给多少")
    assert answer.status == "answered", answer.headline
    assert [v.value for v in answer.values if v.role == "difference"] == [Decimal("560.00")]


def test_projects_listed_under_a_unit_row_are_that_units(real_answerer: Answerer) -> None:
    """深圳 项目支出总表 lists each unit as a row with its projects below it: 工程管理 is printed for four units; the
    unit named ("工程管理中心", not the …文体和水务工程管理中心 whose name ends alike) gets its own."""
    answer = real_answerer.answer("深圳建筑工务署下面那个工程管理中心，工程管理和综合管理两个项目各安排了多少钱")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["1,117.49", "108.00"]


def test_a_share_larger_than_the_whole_it_is_said_to_be_in_is_not_computed(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("深圳市民政局2026年部门预算社工服务项目628万，里面一般公共预算拨款和上年结转各占多少")
    assert not any(v.role == "share" and (v.value or 0) > 100 for v in answer.values)
    assert "还大" in to_text(answer)


def _figures(real_db: Path, body: str, page: int, row_name: str) -> list[tuple[str, tuple[str, ...], str | None, str]]:
    with duckdb.connect(str(real_db), read_only=True) as con:
        found = con.execute(
            "select f.column_name, f.concepts, f.scope, f.printed from figures f join documents d using (document_id) "
            "where d.body = ? and f.page = ? and f.row_name = ? and f.source = 'table' order by f.col_no",
            [body, page, row_name],
        ).fetchall()
    return [(column, tuple(concepts), scope, printed) for column, concepts, scope, printed in found]


def test_a_basic_tables_row_is_the_basic_part_beside_a_project_table_by_economic_class(
    real_answerer: Answerer,
) -> None:
    """珠海 表6 一般公共预算基本支出 prints 差旅费 23.00, 表7 一般公共预算项目支出（按经济分类科目） 11.70, no table
    their sum: both parts and the sum said to be computed, and no "two values of one item"."""
    answer = real_answerer.answer("珠海商务局差旅费多少")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == [None, "23.00", "11.70"]
    assert answer.values[0].value == Decimal("34.70") and answer.values[0].role == "sum"
    assert not answer.conflicts
    answer = real_answerer.answer("珠海商务局项目支出里的差旅费")
    assert _printed(answer.values) == ["11.70"]
    assert not any("只在" in note for note in answer.notes)  # the part asked for needs no word on the whole


def test_a_running_costs_tables_row_is_no_second_value_of_the_item(real_answerer: Answerer) -> None:
    """江苏高院 2017: 办公费 380.00 in the 一般公共预算基本支出 table, 879.00 in the 机关运行经费 table (which counts
    project spending too): the first for the item, the second only when asked within 机关运行经费."""
    answer = real_answerer.answer("江苏高院2017年一般公共预算办公费")
    assert _printed(answer.values) == ["380.00"] and not answer.conflicts
    answer = real_answerer.answer("江苏高院2017年机关运行经费里的办公费")
    assert _printed(answer.values) == ["879.00"]


def test_an_economic_class_is_read_from_the_table_of_all_its_spending(real_answerer: Answerer) -> None:
    """泉州 表9 一般公共预算支出经济分类 prints 商品和服务支出 5,474.56, 表10 (基本支出 only) 832.69."""
    answer = real_answerer.answer("泉州市政府办部门预算一般公共预算商品和服务支出多少")
    assert _printed(answer.values) == ["5474.56", "832.69"] and not answer.conflicts
    assert "其中基本支出部分" in answer.values[1].label  # the basic table's figure is shown as the part it is


def test_an_income_tables_total_beside_its_carry_over_column_is_the_grand_total(real_db: Path) -> None:
    """深圳水务 表2 收入总表: 收入总计 857,808.76 includes 上年结余 298.06; its 一般公共预算拨款 column (under 财政拨款)
    is 一般公共预算's. 珠海 收入总体情况表: 合计 66,307.98 = 本年收入 46,403.97 + 上年结转结余 19,904.01."""
    water = _figures(real_db, "深圳市水务局", 61, "深圳市水务局")
    assert water[0] == ("收入总计", ("收入总计",), "全部资金", "857,808.76")
    assert water[1] == ("本年收入/财政拨款/一般公共预算拨款", ("本年收入合计",), "一般公共预算", "723,488.70")
    commerce = _figures(real_db, "珠海市商务局", 8, "合计")
    assert commerce[0][1:] == (("收入总计",), "全部资金", "66,307.98")


def test_subtotals_under_each_fund_group_are_not_the_years_income(real_db: Path) -> None:
    """江苏检察院 2018 公开02表 prints 小计 under each fund group (21,940.96 under 一般公共预算资金, 14.39 under
    其他资金): none of them is the year's income."""
    subtotals = _figures(real_db, "江苏省人民检察院", 14, "小计")
    assert subtotals and all(concepts == () for _, concepts, _, _ in subtotals)


def test_an_aside_that_adds_two_funds_is_not_read_as_a_comment(real_answerer: Answerer) -> None:
    question = "深圳水务局本级的污水处理服务费（一般公共预算那块加政府性基金那块）占本级项目支出多少？"
    answer = real_answerer.answer(question)
    assert answer.status != "answered"
    assert "政府性基金" in answer.headline


def test_the_parts_other_tables_print_are_shown_as_parts_of_the_whole(real_answerer: Answerer) -> None:
    """大鹏 表8 p34: 其他交通费用 34.00 = 基本支出 33.00 (also 表4 基本支出总表) + 项目支出 1.00; no contradiction."""
    answer = real_answerer.answer("大鹏管理局其他交通费用是多少")
    assert _printed(answer.values) == ["34.00", "33.00", "1.00"]
    labels = [v.label for v in answer.values[1:]]
    assert labels == ["其他交通费用（其中基本支出部分）", "其他交通费用（其中项目支出部分）"]
    assert not answer.conflicts
    assert any("是其中的一部分，不是另一个数" in note for note in answer.notes)


@pytest.mark.parametrize(
    ("question", "body"),
    [
        ("深圳民政局办公费预算多少", "深圳市民政局"),  # not "…局办" read as a 政府办's name, leaving "公费"
        # "泉州" and "政务" name bodies at two places: not the one 政务 names alone (建安区政务服务…局)
        ("“泉州政务”新媒体号运营那个项目给了多少钱？公众满意度目标定的多少", None),
    ],
)
def test_a_body_named_just_before_an_item_keeps_its_own_name(
    real_answerer: Answerer, question: str, body: str | None
) -> None:
    answer = real_answerer.answer(question)
    assert "许昌" not in answer.headline and "人民政府办公厅" not in answer.headline
    if body is not None:
        assert answer.status == "answered" and answer.headline.startswith(body)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("应急管理综合行政执法监督局内设哪些机构", "四大队"),  # "内设哪些机构", not only "内设机构有哪些"
        ("珠海商务局2026有无公务用车购置和运维的钱", "公务用车购置及运行费"),  # 购置和运维: the 公车 concept
    ],
)
def test_general_wordings_of_known_things(real_answerer: Answerer, question: str, says: str) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert says in to_text(answer)


def test_a_project_printed_only_under_one_unit_is_that_units(real_answerer: Answerer) -> None:
    """湖州财政 表10 p31 prints 市级预算项目评审 371.00 under 湖州市财政项目预算审核中心 only: its figure, labelled
    with the unit (a name several units print stays refused without the unit, as before)."""
    answer = real_answerer.answer("湖州财政的市级预算项目评审项目安排多少钱")
    assert answer.status == "answered", answer.headline
    assert [(v.printed, v.label) for v in answer.values[:1]] == [
        ("371.00", "市级预算项目评审（湖州市财政项目预算审核中心）")
    ]


def test_a_numbered_item_named_on_its_own_gives_its_name_to_the_figures_after_it(real_db: Path) -> None:
    # 深圳市财政局 p9: "2.公务接待费。2026 年预算数 9.46 万元，较 2025 年年初预算增加 0.00 万元，…"
    found = [(p, c) for item, p, c in _narrative(real_db, "深圳市财政局", 9, "金额") if item == "公务接待费"]
    assert found == [("9.46 万元", ["公务接待费"])]


@pytest.mark.parametrize(
    ("page", "item", "count"),
    [
        (45, "项目纳入绩效目标管理", "38 个"),  # "本部门共 38 个项目纳入绩效目标管理"
    ],
)
def test_projects_counted_under_performance_targets_are_that_concept(
    real_db: Path, page: int, item: str, count: str
) -> None:
    found = [(p, c) for name, p, c in _narrative(real_db, "苏州市自然资源和规划局", page, "数量") if name == item]
    assert found == [(count, ["绩效目标项目"])]


@pytest.mark.parametrize(
    ("question", "printed"),
    [
        # what the asked row excludes by its own name (本年 against 上年; one fund against another)
        ("水务局2026年本年收入合计是多少？不算上年结转的那块", "857,510.70"),
        ("深圳水务局一般公共预算支出总共多少，不含污水处理费那些政府性基金", "723,786.76"),
        # the row the asker points at and does not mean
        ("苏州自然资源和规划局本级2026年人员经费是多少？不是工资福利那一项", "4,320.89"),
    ],
)
def test_a_clause_saying_what_is_not_asked_is_no_second_item(
    real_answerer: Answerer, question: str, printed: str
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values)[0] == printed
    assert len({v.label for v in answer.values if v.role != "text"}) == 1 or printed in _printed(answer.values)


def test_taking_a_part_out_of_a_total_is_not_read_as_a_comment(real_answerer: Answerer) -> None:
    # 收入总计 holds 上年结转: "不算上年结转" asks for what is left, which is named back, never 收入总计 itself
    answer = real_answerer.answer("水务局2026年收入总计是多少？不算上年结转的那块")
    assert "857,808.76" not in _printed(answer.values)


@pytest.mark.parametrize(
    ("question", "printed"),
    [
        # the asker's short forms of printed names, each bound to the one name holding its characters in order
        ("办公厅研究调研活动里，文稿起草调研和党建业务培训各花多少", ["116.3", "49.72"]),
        # no body named: the one document printing both names
        ("黄杨泵站至缯坑水库第二条原水管和广南梅第二条原水管道一期各安排多少钱", ["4,237.00", "2,579.00"]),
    ],
)
def test_a_printed_name_the_asker_shortens_is_read_as_that_name(
    real_answerer: Answerer, question: str, printed: list[str]
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values)[: len(printed)] == printed
    assert any("按文档印的" in note for note in answer.notes)  # said to be read as close


def test_a_short_form_followed_by_another_flow_is_not_that_row(real_answerer: Answerer) -> None:
    # "土地出让收入" is not the printed 土地出让业务支出
    answer = real_answerer.answer("大鹏管理局2026年土地出让收入预计有多少")
    assert answer.status != "answered"
    assert "土地出让收入" in answer.headline


def test_the_narrative_section_of_a_unit_answers_for_the_unit(real_answerer: Answerer) -> None:
    # "市建筑工务署本级预算14,480.17万元，包括在职人员经费3,169.47万元…": the unit's own section
    answer = real_answerer.answer("工务署本级基本支出是多少？其中在职人员经费多少")
    assert answer.status == "answered", answer.headline
    assert {"4,614.06", "3,169.47"} <= set(_printed(answer.values))
    answer = real_answerer.answer("工务署工程管理中心在职人员经费多少")
    assert _printed(answer.values) == ["5,690.00"]


def test_every_figure_of_a_units_numbered_section_is_the_units(real_db: Path) -> None:
    """深圳市水务局 p24-26 "七、深圳市公明供水调蓄工程管理处 … 3.水资源管理与保护89,291.40万元，主要包括：西江水费
    （含水资源税）89,178.00万元": the unit's, though the sentence does not name it; "一、深圳市水务局（本级）" is the
    department's own unit; a document whose sections are headed by its own name ("一、深圳市市场监督管理局深汕
    监管局") has no unit sections."""
    with duckdb.connect(str(real_db), read_only=True) as con:
        rows = con.execute(
            "select d.body, f.name, f.parent from figures f join documents d using (document_id) "
            "where f.source = 'text' and f.name in ('西江水费（含水资源税）', '水资源管理与保护') and f.page = 26"
        ).fetchall()
        parents = con.execute(
            "select d.body, f.parent, count(*) from figures f join documents d using (document_id) "
            "where f.source = 'text' and f.parent like '深圳%' group by all order by 1, 2"
        ).fetchall()
    assert set(rows) == {
        ("深圳市水务局", "西江水费（含水资源税）", "深圳市公明供水调蓄工程管理处"),
        ("深圳市水务局", "水资源管理与保护", "深圳市公明供水调蓄工程管理处"),
    }
    assert {(body, parent) for body, parent, _ in parents} >= {
        ("深圳市水务局", "深圳市水务局（本级）"),
        ("深圳市民政局", "深圳市民政局（本级）"),
    }
    assert not any(body == "深圳市市场监督管理局深汕监管局" for body, _, _ in parents)


@pytest.mark.parametrize(
    "question", ["公明供水调蓄工程管理处西江水费要付多少", "深圳水务公明供水调蓄工程管理处的西江水费多少"]
)
def test_a_name_asked_without_its_closing_aside_in_a_units_section(real_answerer: Answerer, question: str) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["89,178.00"]


def test_each_share_of_items_listed_is_of_the_whole_they_make(real_answerer: Answerer) -> None:
    # 长春市信访局 p17: 基本支出1208.20万元，占71.80%；项目支出474.56万元，占28.20% (of 1682.76)
    answer = real_answerer.answer("长春市信访局基本支出、项目支出各多少，各占多少")
    shares = {v.label: v.value for v in answer.values if v.role == "share" and v.printed is None}
    assert shares == {"基本支出占支出总计": Decimal("71.80"), "项目支出占支出总计": Decimal("28.20")}


def test_a_reason_goes_on_in_the_sentence_after_it(real_answerer: Answerer) -> None:
    # 苏州资规局 单位预算 p35: "…增长78.87%。主要原因是上年度在职人员提租补贴预算合并至购房补贴，未单独编列。本年度根据
    # 预算编制要求，单独编列在职人员提租补贴，相应提租补贴支出增加。" (the asker's "快八成" is their own estimate)
    answer = real_answerer.answer("苏州资规局单位预算里提租补贴怎么涨了快八成")
    assert answer.status == "answered", answer.headline
    assert "单独编列在职人员提租补贴" in to_text(answer)


def test_buying_vehicles_said_plainly_is_the_purchase_count(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("泉州市政府办本级有几辆公车，今年预算买几辆")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["8", "0"]


def test_a_row_asked_whole_then_for_its_basic_part_gives_both_and_adds_nothing(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("泉州市场监管技术保障中心商品和服务支出一共多少，其中基本支出里的是多少")
    assert answer.status == "answered", answer.headline
    assert [(v.label, v.printed) for v in answer.values] == [
        ("商品和服务支出", "341.65"),
        ("商品和服务支出（基本支出）", "118.20"),
    ]
    assert "sum" not in {v.role for v in answer.values}


def test_one_body_compared_with_another_is_not_a_change_on_last_year(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("湖州卫健委的政府采购预算比交通局多多少")
    assert answer.status == "answered", answer.headline
    assert answer.template == "item_compare_bodies"
    assert "172,185.92" in to_text(answer)


def test_a_missing_final_account_is_refused_naming_the_figure_asked(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("苏州自然资源和规划局2025年一般公共预算支出决算数是多少")
    assert answer.status == "no_data"
    assert "“决算数”" in answer.headline


def test_the_procurement_total_the_narrative_states_is_procurement_not_all_spending(real_db: Path) -> None:
    # "2026年度政府采购支出预算总额14,549.77万元": 政府采购, never 支出总计
    with duckdb.connect(str(real_db), read_only=True) as con:
        concepts = {
            tuple(c)
            for (c,) in con.execute(
                "select concepts from figures where source = 'text' and item = '政府采购支出预算总额'"
            ).fetchall()
        }
    assert concepts == {("政府采购",)}


def test_the_money_of_the_projects_counted_is_the_one_in_the_count_sentence(real_answerer: Answerer) -> None:
    doc = next(d for d in real_answerer.snapshot().documents if d.body == "无锡市教育局" and d.edition == "部门")
    answer = real_answerer.answer("教育局部门今年有多少个项目纳入绩效目标管理，涉及多少钱", doc.id)
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["252", "231,909.4"]  # not the whole department's 512,434.34


def test_a_head_count_printed_under_a_longer_name_than_asked(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("长春信访局离退休几个人")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["26"]


@pytest.mark.parametrize("question", ["大鹏规自管理局有几辆车？都是什么车", "深圳民政局有几辆公务车？都是什么车"])
def test_a_total_with_no_declared_parts_is_broken_down_by_its_own_sentence(
    real_answerer: Answerer, question: str
) -> None:
    # "共有车辆2辆，其中：机要通信用车1辆、应急保障用车1辆、执法执勤用车0辆…"
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert [v.label for v in answer.values][:3] == [
        "车辆（情况说明）",
        "其中：机要通信用车（情况说明）",
        "其中：应急保障用车（情况说明）",
    ]
    assert _printed(answer.values)[:3] == ["2", "1", "1"]


def test_names_listed_whose_separators_are_gone_are_each_read(real_answerer: Answerer) -> None:
    # "社会" begins the printed 社会公益类项目: no body; the three names, written without 、 once normalised, each bind
    answer = real_answerer.answer("民政福彩公益金里社会公益类、老年人福利类、儿童福利类项目各多少")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["3,837.58", "1,522.10", "476.47"]


def test_each_item_a_list_of_reasons_names_has_its_change(real_answerer: Answerer) -> None:
    # p8 "预算收支减少主要原因说明：…；2.林业专项资金减少191.56万元，主要由于…；3.区经费减少483.36万元"
    answer = real_answerer.answer("大鹏管理局林业专项资金比上年减了多少")
    assert answer.status == "answered", answer.headline
    change = next(v for v in answer.values if v.role == "change")
    assert change.printed == "191.56" and change.value is not None and change.value < 0


def _restated(database: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select d.body, f.page, f.name, f.concepts, f.printed, f.unit, f.scope from figures f "
            "join documents d using (document_id) where f.kind = 'performance_overall' order by d.body, f.row_no"
        ).fetchall()


def test_the_overall_performance_table_restates_the_budget_by_its_labels(real_db: Path, sample_db: Path) -> None:
    """泉州 p37 "年度预算安排（万元） | 资金总额 8200.95 | 项目支出 2285.57 | 基本支出 5915.38 | 其他资金 0.00", and the
    seed's p20 "部门预算总金额（万元） 225.01 / 其中：基本支出 30 / 项目支出 195.01": each a figure of its concept, in
    the unit its block's heading or the label above names, of no fund said."""
    assert _restated(real_db) == [
        ("泉州市人民政府办公室", 37, "资金总额", ["支出总计"], "8200.95", "万元", None),
        ("泉州市人民政府办公室", 37, "项目支出", ["项目支出"], "2285.57", "万元", None),
        ("泉州市人民政府办公室", 37, "基本支出", ["基本支出"], "5915.38", "万元", None),
    ]
    assert _restated(sample_db) == [
        ("许昌市建安区政务服务和大数据管理局", 20, "部门预算总金额", ["支出总计"], "225.01", "万元", None),
        ("许昌市建安区政务服务和大数据管理局", 20, "基本支出", ["基本支出"], "30", "万元", None),
        ("许昌市建安区政务服务和大数据管理局", 20, "项目支出", ["项目支出"], "195.01", "万元", None),
    ]


def test_a_project_sheets_funds_block_gives_the_projects_amount(real_db: Path) -> None:
    """泉州 p30: "专项资金情况（万元） | 资金总额： 4200.00 | 财政拨款： 0.00 | 其他资金： 4200.00" under the title
    市行政中心保安服务项目绩效目标表: 4,200.00 万元 of that project."""
    with duckdb.connect(str(real_db), read_only=True) as con:
        rows = con.execute(
            "select f.name, f.printed, f.unit from figures f join documents d using (document_id) "
            "where d.body = '泉州市人民政府办公室' and d.edition = '部门' and f.page = 30 and f.source = 'table'"
        ).fetchall()
    assert rows == [("市行政中心保安服务项目", "4200.00", "万元")]


@pytest.mark.parametrize(
    ("question", "printed", "text"),
    [
        ("市行政中心保安服务项目安排了多少钱？安全事故发生数的绩效目标是多少", "4200.00", "=0起"),
        ("知创大厦泉州知识产权馆建设费用项目多少钱？预算控制率目标是多少", "230.38", "≤50%"),
    ],
)
def test_an_amount_and_a_target_asked_in_one_message_are_both_answered(
    real_answerer: Answerer, question: str, printed: str, text: str
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert [v.printed for v in answer.values if v.printed] == [printed]
    assert any(text in (v.text or "") for v in answer.values)
    assert len(answer.sources) == 2  # the project sheet's table, and the same page's target


def test_questions_of_one_kind_sent_together_stay_one_question(real_answerer: Answerer) -> None:
    """ "…多少？比上年增长多少" is read whole, as one template reads it: not two answers joined."""
    answer = real_answerer.answer("长春市信访局2026年三公经费多少？比上年增长多少")
    assert "+" not in (answer.template or "")


@pytest.mark.parametrize(
    ("question", "printed"),
    [
        # 湖州市公路与运输管理中心's row of the “三公” table p35 (the department's is 749.83)
        ("湖州交通局下面那个公路运输中心，三公经费多少", ["249.00"]),
        # 珠海市贸易服务中心 in the 基本支出预算表 p21
        ("珠海商务局下面贸易中心的基本支出多少", ["1,069.53"]),
        # 无锡市教育信息化和装备管理服务中心: the 收入总表 p16 lists the units' budgets as their income
        ("无锡教育局下面信息化装备中心一年预算多少钱", ["1,766.96"]),
        ("无锡教育局下属的教科院今年预算多少", ["3,076.25"]),  # 无锡市教育科学研究院
        ("珠海会展局今年预算总共多少", ["512.90"]),  # 珠海市会议展览局, p8 (one figure: nothing to add up)
        # the third of three items mistyped (积效 for 绩效): read as its homophone, not silently left out
        ("无锡教育局基本工资、津贴补贴、积效工资各安排多少", ["40,124.56", "44,302.61", "63,559.00"]),
    ],
)
def test_a_unit_named_by_a_shortened_form_of_its_printed_name(
    real_answerer: Answerer, question: str, printed: list[str]
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == printed


def _rows_of(database: Path, columns: str, body: str, where: str) -> list[tuple[object, ...]]:
    """The stored figures of one body's documents that `where` selects, in printed order."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            f"select {columns} from figures f join documents d using (document_id) where d.body = ? and {where} "
            "order by f.page, f.row_no, f.col_no",
            [body],
        ).fetchall()


def test_a_funds_column_under_the_carry_over_is_that_funds_carry_over(real_db: Path) -> None:
    """湖州卫健委 表02 p28: "上年结转结余 / 一般公共预算 | 政府性基金预算 | 国有资本经营预算" beside "本年收入 /
    一般公共预算 …": a fund's column under the carry-over is that fund's 上年结转结余, not its part of the year's
    income."""
    rows = _rows_of(
        real_db,
        "f.concepts, f.scope",
        "湖州市卫生健康委员会",
        "f.page = 28 and f.parent = '湖州市中心血站' and f.column_name like '上年结转结余/%' and f.scope <> '全部资金'",
    )
    assert rows == [
        (["上年结转结余"], "一般公共预算"),
        (["上年结转结余"], "政府性基金"),
        (["上年结转结余"], "国有资本经营预算"),
    ]


def test_one_funds_part_of_a_units_total_is_its_years_total_in_that_fund(real_answerer: Answerer) -> None:
    # 湖州卫健委 表02 p28: 湖州市中心血站 收入总计 3666.11, 本年收入 / 一般公共预算 1545.00 (its 上年结转结余 blank)
    answer = real_answerer.answer("湖州卫健委下面的中心血站一般公共预算拨款多少")
    assert answer.status == "answered", answer.headline
    assert _printed(answer.values) == ["1545.00"]
    assert any("上年结转" in note for note in answer.notes)


def test_last_years_fund_income_from_the_change_stated_of_its_spending(real_answerer: Answerer) -> None:
    # 泉州市场监管技术保障中心 p19: "2026年度一般公共预算拨款支出1468.70万元，比上年减少205.75万元": the fund received
    # last year what it spent, 1,674.45
    answer = real_answerer.answer("泉州市场监管综合监测与技术保障中心去年一般公共预算拨款是多少")
    assert answer.status == "answered", answer.headline
    prior = next(v for v in answer.values if v.role == "prior")
    assert prior.value == Decimal("1674.45")
    assert any("收入与支出相等" in note for note in answer.notes)


def test_spending_arranged_accordingly_is_the_total_spending(real_db: Path) -> None:
    # 泉州 p19: "单位收入预算为1468.70万元…；相应安排支出预算1468.70万元，比上年减少205.75万元": the total spending
    where = "f.page = 19 and f.name = '相应安排支出'"
    rows = _rows_of(real_db, "f.concepts, f.measure, f.printed", "泉州市市场监管综合监测与技术保障中心", where)
    assert rows == [(["支出总计"], "金额", "1468.70 万元"), (["支出总计"], "增减额", "205.75 万元")]
