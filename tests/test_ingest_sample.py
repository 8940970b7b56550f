"""Ingesting the sample PDF gives exactly the figures of its source data (tables.toml, narrative.md)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import duckdb

from ingest.numbers import parse_amount
from tests.conftest import SAMPLE_PDF, SAMPLE_SOURCE, ingest_into


def query(database: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_document_identity_read_from_the_pdf(sample_db: Path) -> None:
    rows = query(sample_db, "select body, region, year, phase, edition, pages from documents")
    assert rows == [("许昌市建安区政务服务和大数据管理局", "许昌市建安区", 2021, "预算", "部门", 23)]
    files = query(sample_db, "select file_name, first_page, pages from files")
    assert files == [("jianan-2021-budget.pdf", 1, 23)]


def test_every_table_found_with_kind_unit_and_pages(sample_db: Path) -> None:
    rows = query(
        sample_db,
        "select kind, title, unit, first_page, last_page, is_empty from doc_tables order by table_no",
    )
    assert rows == [
        ("summary", "2021年部门收支总体情况表", "万元", 9, 9, False),
        ("income", "2021年部门收入总体情况表", "万元", 10, 10, False),
        ("expenditure", "2021年部门支出总体情况表", "万元", 11, 11, False),
        ("fiscal_summary", "2021年财政拨款收支总体情况表", "万元", 12, 13, False),
        ("general_basic", "2021年一般公共预算基本支出情况表", "万元", 14, 14, False),
        ("general_expenditure", "2021年一般公共预算支出表", "万元", 15, 15, False),
        ("general_basic", "2021年一般公共预算基本支出情况表(按经济分类)", "万元", 16, 16, False),
        ("three_public", "2021年一般公共预算“三公”经费支出情况表", "万元", 17, 17, False),
        ("gov_fund", "2021年政府性基金支出情况表", "万元", 18, 18, True),
        ("state_capital", "2021年国有资本经营预算表", "万元", 19, 19, True),
        ("performance_overall", "建安区政数局整体绩效目标表", None, 20, 22, True),
        (
            "performance_project",
            "许昌市建安区政务服务和大数数据管理局（部门）预算项目绩效目标表",
            None,
            23,
            23,
            False,
        ),
    ]


def test_amount_facts_equal_the_source_data(sample_db: Path) -> None:
    """Every amount cell of every amount table, as the source data prints it, is stored exactly once."""
    tables = tomllib.loads((SAMPLE_SOURCE / "tables.toml").read_text(encoding="utf-8"))["tables"]
    titles = {t["title"]: t for t in tables}
    for title, table in titles.items():
        if table["number"] in (11, 12):
            continue  # performance forms: text facts, checked below
        expected = sorted(
            str(amount)
            for row in table["rows"]
            for cell in row
            if (amount := parse_amount(cell)) is not None and "." in cell
        )
        stored = query(
            sample_db,
            "select f.printed from figures f join doc_tables t using (document_id, table_no) "
            "where t.title = ? and f.value is not null and contains(f.printed, '.')",
            title,
        )
        assert sorted(str(Decimal(str(p))) for (p,) in stored) == expected, title


def test_three_public_facts(sample_db: Path) -> None:
    rows = query(
        sample_db,
        "select row_name, item, column_name, printed, value, value_yuan, concepts from figures f "
        "join doc_tables t using (document_id, table_no) where t.kind = 'three_public' order by row_no",
    )
    assert rows == [
        ("共计", "三公经费", "预算数", "0.20", Decimal("0.2000"), Decimal("2000.0000"), ["“三公”经费"]),
        ("1、因公出国（境）费用", "因公出国(境)费用", "预算数", "", None, None, ["因公出国（境）费"]),
        ("2、公务接待费", "公务接待费", "预算数", "0.20", Decimal("0.2000"), Decimal("2000.0000"), ["公务接待费"]),
        ("3、公务用车费", "公务用车费", "预算数", "", None, None, ["公务用车购置及运行费"]),
        ("其中：（1）公务用车运行维护费", "公务用车运行维护费", "预算数", "", None, None, ["公务用车运行维护费"]),
        ("（2）公务用车购置", "公务用车购置", "预算数", "", None, None, ["公务用车购置费"]),
    ]


def test_split_codes_join_into_functional_and_economic_codes(sample_db: Path) -> None:
    functional = query(
        sample_db,
        "select distinct code, row_name from figures f join doc_tables t using (document_id, table_no) "
        "where t.kind = 'general_expenditure' and code is not null order by code",
    )
    assert functional == [
        ("201", "一般公共服务支出"),
        ("20103", "政府办公厅（室）及相关机构事务"),
        ("2010301", "行政运行（政府办公厅（室）及相关机构事务）"),
    ]
    economic = query(
        sample_db,
        "select code, value from figures where classification = 'economic' and code is not null "
        "and column_name = '一般公共预算' order by code",
    )
    assert economic[0] == ("30101", Decimal("35.7800"))
    assert economic[-1] == ("30239", Decimal("6.9000"))
    assert len(economic) == 15


def test_merged_headers_become_column_paths(sample_db: Path) -> None:
    measures = query(
        sample_db,
        "select distinct column_name from figures f join doc_tables t using (document_id, table_no) "
        "where t.kind = 'expenditure' order by column_name",
    )
    assert [m for (m,) in measures] == [
        "合计",
        "基本支出",
        "基本支出/商品和服务支出",
        "基本支出/对个人和家庭的补助",
        "基本支出/工资福利支出",
        "项目支出",
        "项目支出/一般性项目",
    ]


def test_narrative_figures_with_page_and_sentence(sample_db: Path) -> None:
    """Figures the narrative ties to a concept in its own words, with their scope and measure (the seed's
    page 4 says 一般公共预算基本支出 355.35: a misprint the tables contradict, stored as printed)."""
    rows = query(
        sample_db,
        "select page, unnest(concepts) as concept, scope, measure, value, unit from figures "
        "where source = 'text' and list_has_any(concepts, "
        "['收入总计', '“三公”经费', '公务接待费', '机关运行经费', '政府采购工程', '基本支出', '车辆']) "
        "order by page, row_no, col_no",
    )
    assert rows == [
        (4, "收入总计", None, "金额", Decimal("355.3500"), "万元"),
        (4, "收入总计", None, "增减额", Decimal("104.3500"), "万元"),  # "收入增加104.35万元，增长41%"
        (4, "收入总计", None, "增减率", Decimal("41.0000"), "%"),
        (4, "基本支出", None, "金额", Decimal("130.3400"), "万元"),
        (4, "基本支出", None, "占比", Decimal("37.0000"), "%"),
        (4, "基本支出", "一般公共预算", "金额", Decimal("355.3500"), "万元"),
        (5, "“三公”经费", None, "金额", Decimal("0.2000"), "万元"),
        (5, "“三公”经费", None, "增减额", Decimal("0.1000"), "万元"),
        (5, "“三公”经费", None, "增减率", Decimal("100.0000"), "%"),
        (5, "公务接待费", None, "金额", Decimal("0.2000"), "万元"),
        (5, "公务接待费", None, "增减额", Decimal("0.1000"), "万元"),
        (5, "公务接待费", None, "增减率", Decimal("100.0000"), "%"),
        (5, "机关运行经费", None, "金额", Decimal("233.6000"), "万元"),
        (5, "政府采购工程", None, "金额", Decimal("195.0100"), "万元"),
        (5, "基本支出", None, "金额", Decimal("130.3400"), "万元"),
        (6, "车辆", None, "数量", Decimal("0.0000"), "辆"),
    ]
    sentences = query(sample_db, "select sentence from figures where source = 'text' and printed = '233.6 万元'")
    assert sentences and "机关运行经费" in str(sentences[0][0])


def test_text_facts(sample_db: Path) -> None:
    duties = query(sample_db, "select text from text_facts where kind = 'duty' order by seq")
    assert len(duties) == 12
    assert duties[0][0] == "统筹推进全区“数字政府”改革建设，拟订建设规划和年度建设计划并组织实施。"
    assert duties[-1][0] == "完成区委、区政府交办的其他任务。"
    units = query(sample_db, "select label, text from text_facts where kind = 'unit'")
    assert units == [
        (
            "机构设置",
            "许昌市建安区政务服务和大数据管理局机关，共有股室4个，分别是办公室、电子政务和服务环境股、"
            "审批改革协调股和数据管理应用股。无独立核算的二级机构。",
        ),
        ("预算单位构成", "许昌市建安区政务服务和大数据管理局部门预算包括局机关本级预算。"),
    ]
    staffing = query(sample_db, "select label, text from text_facts where kind = 'staffing' order by seq")
    assert staffing == [
        ("编制", "19名"),
        ("行政编制", "11名"),
        ("公务员编制", "11名"),
        ("事业编制", "8名"),
        ("在职人数", "16名"),
    ]
    terms = query(sample_db, "select label from text_facts where kind = 'term' order by seq")
    assert [t for (t,) in terms] == [
        "财政拨款收入",
        "事业收入",
        "其他收入",
        "基本支出",
        "项目支出",
        "“三公”经费",
        "机关运行经费",
    ]
    targets = {str(k): str(v) for k, v in query(sample_db, "select label, text from text_facts where kind = 'target'")}
    assert targets["群众满意度"] == "≥95%"
    assert targets["预算执行率"] == "≥90%"  # in a row whose long 指标说明 once split across pages
    assert targets["资产管理规范性"] == "规范"
    assert targets["运行维护响应时间"] == "≤10分钟（电子政务外网运行维护）"


def test_reingesting_an_unchanged_file_changes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb"
    first = ingest_into(database, SAMPLE_PDF)
    assert first.documents == 1
    before = query(database, "select count(*) from figures")
    second = ingest_into(database, SAMPLE_PDF)
    assert (second.documents, second.unchanged) == (0, 1)
    assert query(database, "select count(*) from figures") == before
    assert query(database, "select count(*) from documents") == [(1,)]


def test_a_changed_file_replaces_its_document(tmp_path: Path, real_corpus: Path) -> None:
    database = tmp_path / "budget.duckdb"
    pdf = tmp_path / "budget.pdf"
    pdf.write_bytes(SAMPLE_PDF.read_bytes())
    ingest_into(database, pdf)
    pdf.write_bytes((real_corpus / "sh-putuo-justice-2026-dept-budget.pdf").read_bytes())
    summary = ingest_into(database, pdf)
    assert summary.documents == 1
    assert query(database, "select body, year from documents") == [("上海市普陀区司法局", 2026)]
    assert query(database, "select count(distinct document_id) from figures") == [(1,)]
