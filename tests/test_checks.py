"""The figure checker (checker/) on the sample, on the real corpus and on narrative cases.

Expected findings are in tests/data/findings.toml, as claims (rule, severity, pages, the printed
figures compared); every one was read against its page. Their wording may change without a test changing.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from checker.document import check_document
from checker.figures import check_sum
from checker.narrative import check_narrative, growth
from checker.stored import StoredDocument
from checker.text import PageText, check_text
from ingest.identify import Identity
from ingest.narrative import statements_of
from ingest.tables import Fact, join_code
from tests.corpus import DOCUMENTS as CORPUS_DOCUMENTS

DATA = Path(__file__).parent / "data"
DOCUMENTS: list[dict[str, Any]] = tomllib.loads((DATA / "findings.toml").read_text(encoding="utf-8"))["document"]
CASES: list[dict[str, Any]] = tomllib.loads((DATA / "check_texts.toml").read_text(encoding="utf-8"))["case"]
SAMPLE = "jianan-2021-budget.pdf"
FIRST_ROUND = 23  # the documents listed first in tests/data/real_documents.toml (Shanghai, Jiangsu province)
REAL = [d for d in DOCUMENTS if d["file"] != SAMPLE]
Row = tuple[str, str, tuple[int, ...], tuple[str, ...]]  # a claim: rule, severity, pages, printed figures


def stored(database: Path, file: str, errors_only: bool = False) -> list[Row]:
    """The findings stored for the document holding `file`, in their stored order, as claims."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select rule, severity, pages, figures from findings "
            "where document_id = (select document_id from files where file_name = ?) "
            "and (not ? or severity = 'error') order by seq",
            [file, errors_only],
        ).fetchall()
    return [(rule, severity, tuple(pages), tuple(figures)) for rule, severity, pages, figures in rows]


def expected(document: dict[str, Any]) -> list[Row]:
    return [(f["rule"], f["severity"], tuple(f["pages"]), tuple(f["figures"])) for f in document.get("finding", [])]


def test_sample_findings_exactly(sample_db: Path) -> None:
    """The seed's own slips: 基本支出 355.35 in the text against 130.34 in the tables, 2021 against 2021."""
    sample = next(d for d in DOCUMENTS if d["file"] == SAMPLE)
    assert stored(sample_db, SAMPLE) == expected(sample)


@pytest.mark.parametrize("document", REAL, ids=[d["file"] for d in REAL])
def test_real_document_findings(real_db: Path, document: dict[str, Any]) -> None:
    """All findings of the documents marked `all`, the errors of the others: exactly, in order."""
    assert stored(real_db, document["file"], errors_only=not document["all"]) == expected(document)


def test_at_least_five_real_documents_are_checked_in_full() -> None:
    assert len([d for d in REAL if d["all"]]) >= 5


def test_every_error_in_the_real_corpus_was_verified(real_db: Path) -> None:
    """No error the checker reports on the real corpus is missing from the read-and-verified list."""
    with duckdb.connect(str(real_db), read_only=True) as con:
        found = con.execute(
            "select (select min(file_name) from files f where f.document_id = x.document_id), rule, pages, figures "
            "from findings x where severity = 'error'"
        ).fetchall()
    listed = sorted(
        (d["file"], f["rule"], list(f["pages"]), list(f["figures"]))
        for d in REAL
        for f in d.get("finding", [])
        if f["severity"] == "error"
    )
    assert sorted((file, rule, list(pages), list(figures)) for file, rule, pages, figures in found) == listed
    # each claim was read against its page: true (what the page prints) or a known false error (why)
    assert all(bool(f.get("verified")) != bool(f.get("false_error")) for d in DOCUMENTS for f in d.get("finding", []))


def test_no_false_error_on_the_documents_the_checker_was_built_on() -> None:
    """Known false errors are allowed only on the corpus's second-round documents (issue 24 fixes them)."""
    first_round = {name for d in CORPUS_DOCUMENTS[:FIRST_ROUND] for name in d.files} | {SAMPLE}
    assert [
        d["file"] for d in DOCUMENTS for f in d.get("finding", []) if f.get("false_error") and d["file"] in first_round
    ] == []


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_narrative_rules(case: dict[str, Any]) -> None:
    identity = Identity(case.get("body", "某局"), case.get("region", ""), case["year"], case["phase"], "部门")
    statements = statements_of(3, case["text"])
    pages = [PageText(3, case["text"], False)]
    found = check_narrative(statements, [], {3: case["text"]}, identity) + [
        f for f in check_text([], pages, identity) if f.rule not in ("C01", "C02")
    ]
    assert sorted((f.rule, f.severity) for f in found) == sorted(tuple(pair) for pair in case["expect"])


def fact(printed: str, unit: str = "万元") -> Fact:
    amount = Decimal(printed.replace(",", "")) if printed else None
    return Fact(1, 0, 0, None, "", "", "line", "合计", (), printed, amount, unit, None)


@pytest.mark.parametrize(
    ("total", "parts", "severity"),
    [
        ("10.00", ["6.00", "4.00"], None),
        ("10.00", ["6.00", "4.01"], "info"),  # within the rounding of three printed figures
        ("10.00", ["6.00", "3.00"], "error"),  # every part printed: the figures disagree
        ("10.00", ["6.00", ""], "warning"),  # a blank part is not a zero: it might hold the 4.00
        ("10.00", ["6.00", "5.00", ""], "error"),  # the printed parts already exceed the total
        ("", ["6.00", "4.00"], "warning"),  # a blank total over parts with figures
        ("", ["", ""], None),
        ("10.00", ["", ""], None),  # nothing printed to add up
    ],
)
def test_a_blank_is_not_a_zero(total: str, parts: list[str], severity: str | None) -> None:
    assert check_sum(fact(total), [fact(p) for p in parts]).severity == severity


def test_a_document_without_tables_or_narrative_lacks_them() -> None:
    identity = Identity("某局", "", 2025, "预算", "部门")
    findings = check_document(StoredDocument(identity, (), (PageText(1, "某局2025年部门预算", True),)))
    assert {f.rule for f in findings} == {"C01", "C02"}
    assert all("没有" in f.message for f in findings)


def test_a_checker_bug_costs_its_findings_not_the_document(caplog: pytest.LogCaptureFixture) -> None:
    """A page the rules cannot read (here: no text at all) is reported, and the other rules still run."""
    identity = Identity("某局", "", 2025, "预算", "部门")
    broken = PageText(1, None, False)  # type: ignore[arg-type]
    findings = check_document(StoredDocument(identity, (), (broken,)))
    assert [(f.rule, f.severity, f.message) for f in findings] == [
        ("Z01", "warning", "核对“完整性与文字”的规则出错，这部分没有核对"),
        ("Z01", "warning", "核对“说明与表格”的规则出错，这部分没有核对"),
    ]  # and the table rules ran (they find nothing without tables)
    assert "checking 某局" in caplog.text


@pytest.mark.parametrize(
    ("rate", "severity"),
    [
        ("25%", None),  # 0.10 ÷ 0.40 exactly
        ("23%", None),  # the amounts are rounded too: 0.095 ÷ 0.405 = 23.5% is possible
        ("30%", "error"),  # beyond anything 0.50 and 0.10 (±0.005) allow: 23.2% to 26.9%
    ],
)
def test_a_growth_rate_is_judged_against_every_value_the_printed_amounts_allow(rate: str, severity: str | None) -> None:
    text = f"2021年“三公”经费预算0.50万元，比上年增加0.10万元，增长{rate}。"
    found = list(growth(statements_of(1, text)))
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_a_total_printed_without_decimals_is_rounding_of_parts_printed_with_two() -> None:
    # 1,234 over parts adding up to 1,233.66: the total's own rounding (±0.5) covers it
    assert check_sum(fact("1,234"), [fact("600.33"), fact("633.33")]).severity == "info"
    assert check_sum(fact("1,235"), [fact("600.33"), fact("633.33")]).severity == "error"


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        (["30102"], "30102"),
        (["301 2"], "30102"),  # the 款 printed without its zero, after a space: not code 3012
        (["301 02"], "30102"),
        (["301", "2"], "30102"),  # 类 | 款 in columns of their own
        (["201", "3", "1"], "2010301"),
        (["", "", "02"], "2010302"),  # the levels left blank come from the row above
    ],
)
def test_economic_and_functional_codes_keep_their_levels(cells: list[str], code: str) -> None:
    state = ["201", "03", "01"]
    assert join_code(cells, state) == code


def test_template_words_left_in_the_narrative_are_reported() -> None:
    identity = Identity("某局", "", 2025, "预算", "部门")
    pages = [
        PageText(3, "政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少）0%。", False),
        PageText(4, "“三公”经费预算比上年减少2万元，主要原因是压减公务接待。", False),
    ]
    found = [f for f in check_text([], pages, identity) if f.rule == "S05"]
    assert [(f.severity, f.pages) for f in found] == [("warning", (3,))]
    assert "“增加(减少)”" in found[0].message and "“增长(减少)”" in found[0].message


def test_a_part_stated_as_its_own_total_is_that_part() -> None:
    """ "基本支出合计为1208.20万元" states 基本支出 (长春), not the 支出合计 of the whole table."""
    text = "2026年支出总计1682.76万元。其中：基本支出合计为1208.20万元，项目支出合计为474.56万元。"
    assert [(s.item, str(s.value)) for s in statements_of(3, text)] == [
        ("支出总计", "1682.76"),
        ("基本支出", "1208.20"),
        ("项目支出", "474.56"),
    ]
