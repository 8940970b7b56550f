"""A synthetic 部门决算 in the national template (财政部 部门决算公开表): line-number columns (行次)
beside every amount column of the 收入支出决算总表, a column-number row (栏次), and 年初预算数 /
调整预算数 / 决算数 columns in the expenditure table.

No real 决算 in this template is in the shared corpus (those that exist are kept for independent
testing), so its layout is built here from the published template and tested on this document:
a 行次 column must never be read as amounts. Labelled synthetic like samples/synthetic.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.identify import SYNTHETIC_MARK
from samples.render import MERGED_LEFT as L
from samples.render import MERGED_UP as U
from samples.render import Publication, SourceTable, render
from samples.synthetic import COVER_NOTE, Budget, money, wan

BODY = "江苏省某某厅"
YEAR = 2024


@dataclass(frozen=True)
class FinalFigures:
    """What the document prints, in 分, for a test to expect."""

    income_total: int  # 本年收入合计 = 总计 (no carry-over)
    final_by_subject: tuple[tuple[str, str, int, int, int], ...]  # code, name, 年初预算, 调整预算, 决算
    final_by_class: tuple[tuple[str, int], ...]  # 类 name, 决算 (the 收入支出决算总表's expenditure lines)
    three_public_budget: int
    three_public_final: int


def final_figures(b: Budget) -> FinalFigures:
    """The 决算 of a budget: each subject spent 95% of its adjusted budget (whole hundreds of 元)."""
    rows = []
    for (code, _, _, name, _), basic, project in b.spending:
        start = basic + project
        adjusted = start
        final = adjusted * 95 // 100 // 10_000 * 10_000
        rows.append((code, name, start, adjusted, final))
    classes: dict[str, int] = {}
    for (subject, _, _), (*_, final) in zip(b.spending, rows, strict=True):
        classes[subject[1]] = classes.get(subject[1], 0) + final
    spent = sum(final for *_, final in rows)
    three_final = b.three_public * 9 // 10 // 10_000 * 10_000
    return FinalFigures(spent, tuple(rows), tuple(classes.items()), b.three_public, three_final)


def tables(b: Budget, f: FinalFigures) -> list[SourceTable]:
    dept = f"编制单位：{b.body}"
    total = money(f.income_total, "万元")
    # 公开01表 收入支出决算总表: 项目 | 行次 | 金额 on each side; 栏次 row under the header.
    left = [
        ("一、一般公共预算财政拨款收入", "1", total),
        ("二、政府性基金预算财政拨款收入", "2", ""),
        ("三、国有资本经营预算财政拨款收入", "3", ""),
        ("四、上级补助收入", "4", ""),
        ("五、事业收入", "5", ""),
        ("六、经营收入", "6", ""),
    ]
    right = [(name, str(32 + i), money(amount, "万元")) for i, (name, amount) in enumerate(f.final_by_class)]
    rows = [["栏次", U, "1", "栏次", U, "2"]]
    for i in range(max(len(left), len(right))):
        a = list(left[i]) if i < len(left) else ["", "", ""]
        c = list(right[i]) if i < len(right) else ["", "", ""]
        rows.append(a + c)
    rows += [
        ["本年收入合计", "7", total, "本年支出合计", "57", total],
        ["使用非财政拨款结余", "8", "", "结余分配", "58", ""],
        ["年初结转和结余", "9", "", "年末结转和结余", "59", ""],
        ["总计", "10", total, "总计", "60", total],
    ]
    head = [["收入", L, L, "支出", L, L], ["项目", "行次", "金额", "项目", "行次", "金额"]]
    summary = SourceTable(1, "公开01表 收入支出决算总表", head, rows, [3.2, 0.7, 1.5, 3.2, 0.7, 1.5], dept=dept,
                          unit="单位：万元")  # fmt: skip
    # 公开05表 一般公共预算财政拨款支出决算表: 年初预算数 | 调整预算数 | 决算数 (支出决算 by 基本/项目 left out).
    head = [["科目编码", "科目名称", "年初预算数", "调整预算数", "决算数"]]
    body = [["栏次", U, "1", "2", "3"]]
    body += [
        [code, name, money(a, "万元"), money(j, "万元"), money(x, "万元")] for code, name, a, j, x in f.final_by_subject
    ]
    sums = (
        sum(r[2] for r in f.final_by_subject),
        sum(r[3] for r in f.final_by_subject),
        sum(r[4] for r in f.final_by_subject),
    )
    body.append(["合计", L, *(money(s, "万元") for s in sums)])
    spending = SourceTable(2, "公开05表 一般公共预算财政拨款支出决算表", head, body, [1.6, 4.0, 1.6, 1.6, 1.6],
                           dept=dept, unit="单位：万元")  # fmt: skip
    # 公开07表 财政拨款“三公”经费支出决算表: 预算数 | 决算数.
    head = [["预算数", "决算数"]]
    three = SourceTable(3, "公开07表 财政拨款“三公”经费支出决算表", head,
                        [["1", "2"], [money(f.three_public_budget, "万元"), money(f.three_public_final, "万元")]],
                        [2.0, 2.0], dept=dept, unit="单位：万元")  # fmt: skip
    return [summary, spending, three]


def publication(b: Budget, f: FinalFigures) -> Publication:
    shown = tables(b, f)
    text = "\n\n".join(
        [
            "@newpage",
            f"# {b.body}{b.year}年度部门决算说明",
            f">> {COVER_NOTE}",
            "## 一、收入支出决算总体情况说明",
            f"{b.year}年度收入、支出决算总计均为{wan(f.income_total)}万元。",
            "## 二、“三公”经费财政拨款支出决算情况说明",
            f"{b.year}年度“三公”经费财政拨款支出预算为{wan(f.three_public_budget)}万元，"
            f"支出决算为{wan(f.three_public_final)}万元。",
        ]
    )
    return Publication(
        title=f"{b.body}{b.year}年度部门决算（{SYNTHETIC_MARK}）",
        author="budgetbot samples/final_account.py",
        cover=(b.body, f"{b.year}年度部门决算", COVER_NOTE),
        date=f"{b.year + 1}年",
        contents_title="目 录",
        contents=("一、部门决算说明", "二、部门决算表", *(f"    {t.number}. {t.title}" for t in shown)),
        narrative=text,
        tables=tuple(shown),
    )


def render_final(b: Budget, path: Path) -> FinalFigures:
    """Render `b`'s 决算 in the national template to `path`; return the figures it prints."""
    figures = final_figures(b)
    render(publication(b, figures), path)
    return figures
