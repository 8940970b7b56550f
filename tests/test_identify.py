"""Who published a document, for which year, phase and edition: read from the pages' text alone.

The covers below are written as the corpus's documents print them (深圳, 泉州, 长春 …) and as the
held-out provinces did (a page number glued to the name); no PDF is needed to read them."""

from __future__ import annotations

import pytest

from ingest.identify import clean_body, identify, not_a_budget, region_of


@pytest.mark.parametrize(
    ("cover", "body", "year", "phase", "edition"),
    [
        ("2026 年深圳市财政局（本级）部门预\n算", "深圳市财政局", 2026, "预算", "部门"),  # year first, 本级, wrapped
        ("2026 年度\n泉州市人民政府办公室\n部门预算", "泉州市人民政府办公室", 2026, "预算", "部门"),
        ("2026 年度\n泉州市市场监管综合监测\n与技术保障中心\n单位预算", "泉州市市场监管综合监测与技术保障中心",
         2026, "预算", "单位"),
        (".\n长春市信访局（本级）\n2026年度部门预算公开\n初审：某某\n2026年2月14日", "长春市信访局",
         2026, "预算", "部门"),
        ("—1—重庆市水利局\n2024年度部门决算", "重庆市水利局", 2024, "决算", "部门"),
        ("上海市普陀区财政局\n2025年度区级部门预算", "上海市普陀区财政局", 2025, "预算", "部门"),
    ],
)  # fmt: skip
def test_a_cover_in_either_order(cover: str, body: str, year: int, phase: str, edition: str) -> None:
    found = identify([cover, "目 录\n一、收支总表"])
    assert (found.body, found.year, found.phase, found.edition) == (body, year, phase, edition)


def test_a_labelled_body_line_names_the_body_and_a_table_heading_does_too() -> None:
    found = identify(["2026年部门预算", "部门名称：深圳市水务局 单位：万元\n收支总表"])
    assert found.body == "深圳市水务局" and found.year == 2026


@pytest.mark.parametrize(
    ("printed", "clean"),
    [("—1—重庆市水利局", "重庆市水利局"), (".长春市信访局(本级)", "长春市信访局"), ("- 2 -某市财政局", "某市财政局"),
     ("深圳市", ""), ("财政局", "")],
)  # fmt: skip
def test_a_body_name_without_page_numbers_punctuation_or_scope(printed: str, clean: str) -> None:
    assert clean_body(printed) == clean


def test_a_performance_self_evaluation_is_no_budget() -> None:
    assert (
        not_a_budget(["部门整体绩效自评表\n（2024年度）\n部门（单位）名称 某市人民政府办公室"]) == "部门整体绩效自评表"
    )
    assert not_a_budget(["某局2025年度部门预算\n目录"]) is None


@pytest.mark.parametrize(
    ("body", "region"),
    [("教育部", "中央"), ("国家统计局", "中央"), ("中共中央宣传部", "中央"), ("上海市普陀区财政局", "上海市普陀区"),
     ("中共深圳市委宣传部", "深圳市"), ("江苏省高级人民法院", "江苏省")],
)  # fmt: skip
def test_a_central_body_has_region_zhongyang(body: str, region: str) -> None:
    assert region_of(body) == region
