"""Checker rules on crafted documents: a case that must be found and the consistent case beside it.

The documents are built the way the checker reads a stored one (checker/stored.py), from table lines and
page texts; the rules on real pages are in tests/test_checks.py and tests/data/findings.toml."""

from __future__ import annotations

from dataclasses import replace

import pytest

from checker.document import check_document
from checker.findings import Finding
from checker.notes import notes_on
from checker.stored import StoredDocument, StoredFigure, StoredTable, meaning_of, stored_document
from checker.text import PageText
from ingest.figures import document_figures
from ingest.identify import Identity
from ingest.projects import restated_figures
from ingest.tables import Cell, FoundTable

IDENTITY = Identity("某局", "某市", 2025, "预算", "部门")
Row = tuple[str | None, str, dict[str, str]]  # code, row name, column → printed


class Draft:
    """Tables and pages of one crafted document."""

    def __init__(self) -> None:
        self.tables: list[StoredTable] = []
        self.figures: list[StoredFigure] = []
        self.pages: dict[int, PageText] = {}

    def table(self, kind: str, title: str, page: int, rows: list[Row], note: str = "") -> Draft:
        number = len(self.tables) + 1
        printed = [p for _, _, cells in rows for p in cells.values() if p]
        self.tables.append(StoredTable(number, kind, title, "万元", page, page, 2, not printed))
        for row_no, (code, name, cells) in enumerate(rows, start=2):
            for col_no, (column, value) in enumerate(cells.items(), start=2):
                kind_of_code = "economic" if code and code.startswith("3") else "functional"
                figure = StoredFigure(number, page, row_no, col_no, code, name, column, kind_of_code, value)
                self.figures.append(figure)
        self.pages[page] = PageText(page, f"{title}\n单位：万元\n{note}", True)
        return self

    def restating(self, title: str, page: int, block: list[tuple[str, str]]) -> Draft:
        """An 整体支出绩效目标表 restating the budget in a form: "年度预算安排（万元）" beside each label and its
        number, read as ingest reads it (ingest/projects.py)."""
        number = len(self.tables) + 1
        self.tables.append(StoredTable(number, "performance_overall", title, None, page, page, 0, True))
        heading = Cell(page, 0, 0, "年度预算安排（万元）", (80.0, 100.0, 170.0, 100.0 + 25 * len(block)))
        cells = [heading]
        for row, (label, printed) in enumerate(block):
            top = 100.0 + 25 * row
            cells += [Cell(page, row, 1, label, (170.0, top, 260.0, top + 25)), Cell(page, row, 2, printed, None)]
        sheet = FoundTable("performance_overall", title, None, (page,), 0, tuple(cells), (), True)
        for f in restated_figures(number, sheet, IDENTITY):
            stored = StoredFigure(number, f.page, f.row_no, f.col_no, None, f.row_name, "", f.classification, f.printed)
            self.figures.append(replace(stored, meaning=meaning_of(f)))
        self.pages[page] = PageText(page, title, True)
        return self

    def text(self, page: int, text: str) -> Draft:
        self.pages[page] = PageText(page, text, False)
        return self

    def document(self) -> StoredDocument:
        """The document as ingest stores it: each table figure with the meaning ingest reads it as."""
        bare = stored_document(IDENTITY, self.tables, self.figures, self.pages.values())
        read = {(f.table_no, f.page, f.row_no, f.col_no): f for f in document_figures(bare.tables, (), IDENTITY)}
        figures = []
        for figure in self.figures:
            meaning = read.get((figure.table_no, figure.page, figure.row_no, figure.col_no))
            figures.append(replace(figure, meaning=meaning_of(meaning)) if meaning is not None else figure)
        return stored_document(IDENTITY, self.tables, figures, self.pages.values())


def found(draft: Draft, rule: str) -> list[Finding]:
    return [f for f in check_document(draft.document()) if f.rule == rule]


def _fund_table(amount: str, note: str) -> Draft:
    rows: list[Row] = [(None, "合计", {"合计": amount}), ("229", "其他支出", {"合计": amount})]
    return Draft().text(1, "某局2025年部门预算说明。").table("gov_fund", "2025年政府性基金预算支出表", 5, rows, note)


def test_a_note_saying_empty_under_a_table_with_figures_is_an_error() -> None:
    findings = found(_fund_table("12.00", "注：本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"), "C03")
    assert [(f.severity, f.pages, f.figures) for f in findings] == [("error", (5,), ("12.00",))]
    assert "表下却注明“注:本部门2025年无政府性基金预算财政拨款安排的预算,故本表为空表”" in findings[0].message


def test_an_empty_table_with_its_note_or_figures_without_one_is_consistent() -> None:
    assert found(_fund_table("", "注：本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"), "C03") == []
    assert found(_fund_table("12.00", ""), "C03") == []


def test_an_empty_fund_table_needs_a_note_or_a_word_in_the_text() -> None:
    silent = found(_fund_table("", ""), "C03")
    assert [(f.severity, f.pages) for f in silent] == [("warning", (5,))]
    explained = _fund_table("", "").text(2, "本部门2025年政府性基金预算支出为0万元。")
    assert [(f.severity, f.pages) for f in found(explained, "C03")] == [("info", (5, 2))]


def _fiscal_summary(fund: str) -> list[Row]:
    return [
        (None, "一般公共预算", {"预算数": "100.00"}),
        (None, "政府性基金预算", {"预算数": fund}),
        (None, "合计", {"预算数": "100.00" if fund in ("", "0.00") else "112.00"}),
    ]


def test_a_fund_the_summary_says_is_zero_has_no_figures_in_its_own_table() -> None:
    draft = _fund_table("12.00", "").table("fiscal_summary", "2025年财政拨款收支总表", 4, _fiscal_summary("0.00"))
    findings = found(draft, "X06")
    assert [(f.severity, f.pages, f.figures) for f in findings] == [("error", (4, 5), ("0.00", "12.00"))]
    consistent = _fund_table("12.00", "").table("fiscal_summary", "2025年财政拨款收支总表", 4, _fiscal_summary("12.00"))
    assert found(consistent, "X06") == []


def _expenditure(total: str, basic: str, project: str) -> Row:
    return (None, "合计", {"合计": total, "基本支出": basic, "项目支出": project})


def test_the_overall_performance_table_restates_the_budget() -> None:
    def draft(total: str, basic: str, project: str) -> Draft:
        budget = [_expenditure("355.35", "130.34", "225.01")]
        tables = Draft().table("expenditure", "2025年部门支出总体情况表", 3, budget)
        block = [("资金总额", total), ("项目支出", project), ("基本支出", basic), ("其他资金", "0.00")]
        return tables.restating("部门整体支出绩效目标表", 9, block)

    wrong = found(draft("225.01", "30", "195.01"), "X08")
    assert sorted(f.figures for f in wrong) == [("195.01", "225.01"), ("225.01", "355.35"), ("30", "130.34")]
    assert all(f.severity == "error" and f.pages == (3, 9) for f in wrong)
    assert found(draft("355.35", "130.34", "225.01"), "X08") == []


def test_an_overall_performance_table_may_restate_one_fund() -> None:
    """The sheet does not say which fund it restates: a figure of any fund scope's agrees."""
    budget = [_expenditure("355.35", "130.34", "225.01")]
    general: list[Row] = [(None, "合计", {"合计": "300.00", "基本支出": "130.34", "项目支出": "169.66"})]
    tables = Draft().table("expenditure", "2025年部门支出总体情况表", 3, budget)
    tables = tables.table("general_expenditure", "2025年一般公共预算支出情况表", 4, general)
    block = [("资金总额", "300.00"), ("项目支出", "169.66"), ("基本支出", "130.34")]
    assert found(tables.restating("部门整体支出绩效目标表", 9, block), "X08") == []
    wrong = [("资金总额", "300.00"), ("项目支出", "159.66"), ("基本支出", "130.34")]
    assert [f.figures for f in found(tables.restating("部门整体支出绩效目标表", 9, wrong), "X08")] == [
        ("159.66", "225.01")
    ]


def _basic(goods: str) -> list[Row]:
    return [(None, "合计", {"合计": "200.00", "人员经费": "150.00", "公用经费": goods})]


def test_running_costs_stated_above_public_costs_are_found_unless_the_document_counts_them_wider() -> None:
    said = "2025年机关运行经费支出预算233.6万元，主要用于办公费。"
    draft = Draft().table("general_basic", "2025年一般公共预算基本支出表", 6, _basic("8.59")).text(2, said)
    assert [(f.severity, f.pages, f.figures) for f in found(draft, "X04")] == [("warning", (2, 6), ("233.6", "8.59"))]
    wider = said + "本年机关运行经费统计口径含项目经费中商品服务支出。"
    draft = Draft().table("general_basic", "2025年一般公共预算基本支出表", 6, _basic("8.59")).text(2, wider)
    assert [f.severity for f in found(draft, "X04")] == ["info"]
    equal = Draft().table("general_basic", "2025年一般公共预算基本支出表", 6, _basic("233.60")).text(2, said)
    assert found(equal, "X04") == []


def test_a_summary_class_one_cent_off_its_coded_line_is_a_hint_and_more_a_warning() -> None:
    def draft(summary: str) -> Draft:
        coded: list[Row] = [(None, "合计", {"合计": "326.72"}), ("208", "社会保障和就业支出", {"合计": "326.72"})]
        rows: list[Row] = [(None, "八、社会保障和就业支出", {"决算数": summary})]
        return Draft().table("expenditure", "支出决算表", 10, coded).table("summary", "收入支出决算总表", 6, rows)

    assert [(f.severity, f.figures) for f in found(draft("326.71"), "X07")] == [("info", ("326.71", "326.72"))]
    assert [f.severity for f in found(draft("320.72"), "X07")] == ["warning"]
    assert found(draft("326.72"), "X07") == []


def test_shares_over_a_hundred_and_negative_amounts_in_a_table() -> None:
    rows: list[Row] = [
        (None, "合计", {"金额": "100.00", "占比(%)": "100.00"}),
        ("201", "一般公共服务", {"金额": "60.00", "占比(%)": "60.00"}),
    ]
    assert found(Draft().table("expenditure", "2025年支出表", 3, rows), "T06") == []
    rows[1] = ("201", "一般公共服务", {"金额": "-60.00", "占比(%)": "160.00"})
    findings = found(Draft().table("expenditure", "2025年支出表", 3, rows), "T06")
    assert [(f.severity, f.figures) for f in findings] == [("error", ("160.00",)), ("warning", ("-60.00",))]
    change: list[Row] = [(None, "合计", {"比上年增减": "-5.00"})]
    assert found(Draft().table("expenditure", "2025年支出表", 3, change), "T06") == []  # a decrease, not an error


def test_a_table_titled_with_another_year() -> None:
    rows: list[Row] = [(None, "合计", {"合计": "100.00"})]
    stale = found(Draft().table("expenditure", "2024年部门支出总表", 3, rows), "S06")
    assert [(f.severity, f.pages, f.message) for f in stale] == [
        ("warning", (3,), "2025年预算中的《2024年部门支出总表》（第3页）标题写的是2024年")
    ]
    assert found(Draft().table("expenditure", "2025年部门支出总表", 3, rows), "S06") == []


def test_two_tables_of_one_total_split_it_the_same_way() -> None:
    def draft(basic_in_general: str) -> Draft:
        spending: list[Row] = [(None, "合计", {"合计": "300.00", "基本支出": "200.00", "项目支出": "100.00"})]
        general: list[Row] = [(None, "合计", {"合计": "300.00", "基本支出": basic_in_general, "项目支出": "100.00"})]
        tables = Draft().table("expenditure", "2025年支出总表", 3, spending)
        return tables.table("general_expenditure", "2025年一般公共预算支出表", 5, general)

    assert found(draft("200.00"), "X09") == []
    assert [(f.severity, f.pages, f.figures) for f in found(draft("180.00"), "X09")] == [
        ("error", (3, 5), ("200.00", "180.00"))
    ]
    assert [f.severity for f in found(draft("200.01"), "X09")] == ["info"]


def test_a_scope_named_in_the_text_is_the_scope_of_the_figure() -> None:
    def draft(stated: str) -> Draft:
        spending: list[Row] = [(None, "合计", {"合计": "300.00", "基本支出": "130.34", "项目支出": "169.66"})]
        basic: list[Row] = [
            (None, "合计", {"合计": "120.00"}),
            ("301", "工资福利支出", {"合计": "100.00"}),
            ("302", "商品和服务支出", {"合计": "20.00"}),
        ]
        tables = Draft().table("expenditure", "2025年部门支出总表", 3, spending)
        tables.table("general_basic", "2025年一般公共预算基本支出表", 5, basic)
        return tables.text(2, f"2025年一般公共预算基本支出{stated}万元，主要用于人员支出。")

    wrong = found(draft("130.34"), "N01")
    assert [(f.severity, f.pages, f.figures) for f in wrong] == [("error", (2, 5), ("130.34万元", "120.00"))]
    assert wrong[0].message.endswith("；这个数是全部资金的基本支出，口径不是一般公共预算")
    assert found(draft("120.00"), "N01") == []


@pytest.mark.parametrize(
    ("printed", "claims"),
    [
        ("注：无。", False),  # nothing to remark
        ("备注：无。", False),
        ("此表如无数字则表示单位无该项支出", False),  # a condition, not a claim
        ("注：本表本年无发生额。", True),
        ("注：本部门无政府性基金预算，故本表为空表。", True),
    ],
)
def test_a_note_is_read_for_what_it_says(printed: str, claims: bool) -> None:
    assert bool(notes_on(PageText(9, f"合计 10.00\n{printed}", True))) == claims


def _three_public(carried_reception: str) -> Draft:
    """A 三公 table (长春's layout) with a grand total column and the same parts under 当年预算 and 上年结转结余."""
    columns = {
        "“三公”经费合计": "7.61",
        "当年预算": "7.61",
        "当年预算/因公出国(境)费": "0.00",
        "当年预算/公务用车购置及运行费": "6.75",
        "当年预算/公务用车购置及运行费/公务用车购置费": "0.00",
        "当年预算/公务用车购置及运行费/公务用车运行费": "6.75",
        "当年预算/公务接待费": "0.86",
        "上年结转结余": "0.00",
        "上年结转结余/因公出国(境)费": "0.00",
        "上年结转结余/公务用车购置及运行费": "0.00",
        "上年结转结余/公务用车购置及运行费/公务用车购置费": "0.00",
        "上年结转结余/公务用车购置及运行费/公务用车运行费": "0.00",
        "上年结转结余/公务接待费": carried_reception,
    }
    rows: list[Row] = [(None, "", columns)]
    return Draft().text(1, "某局2025年部门预算说明。").table("three_public", "“三公”经费支出表", 12, rows)


def test_three_public_parts_under_a_fund_group_add_up_within_their_group() -> None:
    assert found(_three_public("0.00"), "T03") == []  # not 7.61 ≠ 0.00 (出国) + 0.00 (购置) across the groups
    wrong = found(
        _three_public("0.00").table(
            "three_public",
            "“三公”经费支出表（续）",
            13,
            [
                (
                    None,
                    "",
                    {
                        "当年预算/公务用车购置及运行费": "6.75",
                        "当年预算/公务用车购置及运行费/公务用车购置费": "1.00",
                        "当年预算/公务用车购置及运行费/公务用车运行费": "6.75",
                    },
                )
            ],
        ),
        "T03",
    )
    assert [(f.severity, f.pages) for f in wrong] == [("error", (13,))]


def test_one_figure_printed_twice_with_two_values() -> None:
    def draft(income: dict[str, str]) -> Draft:
        summary: list[Row] = [(None, "本年收入合计", {"预算数": "500.00"})]
        tables = Draft().table("summary", "2025年收支总表", 3, summary)
        return tables.table("income", "2025年收入总表", 4, [(None, "合计", income)])

    twice = found(draft({"合计": "480.00", "一般公共预算": "480.00"}), "X10")
    assert [(f.severity, f.pages, f.figures) for f in twice] == [("warning", (3, 4), ("500.00", "480.00"))]
    assert "《2025年收支总表》第3页为500.00万元，在《2025年收入总表》第4页为480.00万元" in twice[0].message
    assert found(draft({"合计": "500.00", "一般公共预算": "500.00"}), "X10") == []
    # the income table's 合计 beside its 上年结转 column is the grand total: 500 this year + 20 carried over
    carried = {"合计": "520.00", "一般公共预算": "500.00", "上年结转结余": "20.00"}
    assert found(draft(carried), "X10") == []
    # a 基本支出 table's 办公费 is the basic part of the 办公费 a table of all spending prints
    parts: list[Row] = [(None, "合计", {"合计": "90.00"}), ("30201", "办公费", {"合计": "30.00"})]
    whole: list[Row] = [(None, "合计", {"合计": "150.00"}), ("30201", "办公费", {"合计": "45.00"})]
    tables = Draft().table("general_basic", "2025年一般公共预算基本支出表", 5, parts)
    assert found(tables.table("economic_summary", "2025年一般公共预算支出经济分类表", 6, whole), "X10") == []


def test_a_rate_copied_from_the_line_above_is_named_so() -> None:
    def draft(second_rate: str) -> Draft:
        text = (
            "机关事业单位基本养老保险缴费支出。2025年当年预算执行数为156.34万元,2026年预算安排183.95万元,"
            "比2025年预算执行数增加17.66%。机关事业单位职业年金缴费支出。2025年当年预算执行数为77.99万元,"
            f"2026年预算安排91.97万元,比2025年预算执行数增加{second_rate}%。"
        )
        return Draft().text(9, text)

    copied = found(draft("17.66"), "N04")
    assert [(f.severity, f.pages, f.figures) for f in copied] == [("error", (9,), ("77.99", "91.97", "17.66"))]
    assert copied[0].message.endswith("按这些数算应为17.93%；与上一项写的增长率17.66%相同，像是照抄了上一项")
    assert found(draft("17.93"), "N04") == []
    assert not found(draft("18.50"), "N04")[0].message.endswith("像是照抄了上一项")
