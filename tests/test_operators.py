"""The operator vocabulary (queries/operators.toml): no operator word is a stop-word, every operation is
carried out by a template, and every operator word in a question either gets an answer from a template
that carries it out (with a value of the operation's role) or a refusal that names the word."""

from __future__ import annotations

import itertools
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from bot.render import to_text
from queries.catalogue import load_catalogue
from queries.coverage import STOPWORD_LINES
from queries.operators import OperatorError, operators, parse_operators
from queries.run import Answerer

STOPWORDS = [word for line in STOPWORD_LINES for word in line.split()]
# Every word and pattern example of the vocabulary, with its operation.
WORDS = [(word, o.name) for o in operators().operators for word in (*o.words, *o.examples)]


@pytest.mark.parametrize("word", STOPWORDS)
def test_no_stopword_is_an_operator_word(word: str) -> None:
    asked = [found.word for found in operators().find(word)]
    assert not asked, f"stop-word {word!r} holds the operator word(s) {asked}: it would be dropped unanswered"


def test_every_operation_is_carried_out_by_a_template() -> None:
    carried = {name for template in load_catalogue().values() for name in template.operators}
    assert carried == operators().names


@pytest.mark.parametrize(("word", "name"), WORDS)
def test_every_word_is_found_as_its_operation(word: str, name: str) -> None:
    found = operators().find(f"三公经费{word}")
    assert [f.operator.name for f in found if f.start == len("三公经费")] == [name]


# A question per operation, in the sample document's words: {word} is each of the operation's words.
FORMS = {
    "change": "三公经费比上年{word}多少",
    "rate": "三公经费{word}是多少",
    "share": "三公经费{word}支出总计多少",
    "ratio": "基本支出是项目支出的{word}",
    "per_unit": "基本支出{word}多少",
    "per_period": "三公经费{word}多少",
    "average": "三公经费{word}多少",
    "rank": "三公经费里哪项{word}",
    "sum": "基本支出和项目支出{word}多少",
    "explanation": "三公经费{word}",
    "provenance": "三公经费{word}",
    "existence": "三公经费{word}",
    "remainder": "支出总计{word}基本支出多少",
}


@pytest.mark.parametrize(("word", "name"), WORDS)
def test_an_operator_word_is_carried_out_or_named(sample_answerer: Answerer, word: str, name: str) -> None:
    question = FORMS[name].format(word=word)
    answer = sample_answerer.answer(question)
    catalogue = load_catalogue()
    operator = operators().named(name)
    if answer.template is not None and name in catalogue[answer.template].operators:
        if answer.status == "answered" and operator.role is not None:
            roles = {value.role for value in answer.values}
            # the operation's own value, or (a change asked of a document that prints only this year) none
            # and a note saying why
            assert operator.role in roles or answer.notes, (question, roles)
        return
    said = re.sub(r"[\s“”]", "", to_text(answer))
    assert answer.status != "answered", f"{question!r} answered by {answer.template} without {name}"
    # the word as found in the question (a pattern's example holds more than the word it claims)
    found = [f.word for f in operators().find(question) if f.operator.name == name]
    assert any(w in said for w in found), f"{question!r} refused without naming {found}: {said[:200]}"


@pytest.mark.parametrize(("question", "periods"), [("支出总计平均每月多少", 12), ("基本支出一天合多少钱", 365)])
def test_a_per_period_average_divides_the_year_by_its_months_or_days(
    sample_answerer: Answerer, question: str, periods: int
) -> None:
    answer = sample_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    # the figure divided is the first shown (the seed's 整体绩效目标表 prints another one beside it, as a conflict)
    amount = next(v for v in answer.values if v.role == "current")
    (each,) = (v for v in answer.values if v.role == "per_unit")
    assert amount.value is not None and each.value is not None
    assert each.value == (Decimal(amount.value) / periods).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert str(periods) in answer.notes[0]  # the formula, with the months or days it divides by


def test_a_ratio_is_the_quotient_of_the_two_figures_shown(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("基本支出是项目支出的几倍")
    assert answer.status == "answered", answer.headline
    # (the seed's 整体绩效目标表 prints 基本支出 30 beside the tables' 130.34: shown, not divided)
    basic, project = (next(v for v in answer.values if v.role == "current" and v.label.startswith(w)) for w in "基项")
    (times,) = (v for v in answer.values if v.role == "ratio")
    assert basic.value is not None and project.value is not None
    assert times.value == (basic.value / project.value).quantize(Decimal("0.01"))
    assert times.unit == "倍"
    assert any("÷" in note for note in answer.notes)


def test_a_ratio_with_one_item_is_refused_naming_the_word(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("基本支出是几倍")
    assert answer.status != "answered"
    assert "几倍" in answer.headline


def test_per_unit_divides_by_the_count_it_names(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("人均基本支出多少")
    assert answer.status == "answered", answer.headline
    amount = next(v for v in answer.values if v.role == "current")
    (count,) = (v for v in answer.values if v.role == "count")
    (each,) = (v for v in answer.values if v.role == "per_unit")
    assert amount.value is not None and count.value
    assert each.value == (amount.value / count.value).quantize(Decimal("0.01"))
    assert each.unit == f"{amount.unit}/{count.unit}"
    # the other staff counts the page prints are named, so that the reader sees the choice
    assert any("按它算结果不同" in note for note in answer.notes)


def test_per_unit_without_a_printed_count_is_refused(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("平均每人次公务接待费多少")
    assert answer.status != "answered"
    assert not [v for v in answer.values if v.role == "per_unit"]
    assert "人次" in answer.headline


def test_parts_are_ranked_within_the_document(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("三公经费里哪一项最多")
    assert answer.template == "item_parts_rank", answer.headline
    ranked = [v for v in answer.values if v.role == "rank"]
    assert ranked and all(a.value_wan >= b.value_wan for a, b in itertools.pairwise(ranked))  # type: ignore[operator]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"operators": []}, "at least one"),
        ({"operators": [{"name": "x", "words": ["倍"]}]}, "no title"),
        ({"operators": [{"name": "x", "title": "t"}]}, "neither words nor patterns"),
        (
            {"operators": [{"name": "x", "title": "t", "words": ["倍"]}, {"name": "y", "title": "t", "words": ["倍"]}]},
            "both",
        ),
        (
            {"operators": [{"name": "x", "title": "t", "patterns": [{"pattern": "前\\d", "examples": ["前"]}]}]},
            "not match",
        ),
    ],
)
def test_a_bad_vocabulary_is_refused_with_the_entry_named(data: dict[str, object], says: str) -> None:
    with pytest.raises(OperatorError, match=says):
        parse_operators(data)


# ---- series whose years are written short or in two phases (real documents) ---------------------------------------


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


def test_short_years_listed_are_each_a_year(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("江苏政协办公厅三公经费17、18、19三年的数和变化")
    assert answer.status == "answered", answer.headline
    assert [v.printed for v in answer.values[:3]] == ["676.10", "675.10", "660.10"]


@pytest.mark.parametrize(
    ("question", "points"),
    [
        ("财政局（普陀）办公费2024年花了多少、2025年预算多少", ["2024年（决算）", "2025年（预算）"]),
        ("普陀财政局三公经费：24年实际花了多少，25年预算安排多少", ["2024年（决算）", "2025年（预算）"]),
    ],
)
def test_a_year_asked_in_the_other_phase_is_read_in_its_own_document(
    real_answerer: Answerer, question: str, points: list[str]
) -> None:
    """The phase word of one year ("预算") does not drop the year whose only document is a 决算, and a role word
    of one year ("实际") does not empty the other year's budget: each point says its phase, nothing is subtracted."""
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert [v.label for v in answer.values] == points
    assert not any(v.role in ("change", "rate") for v in answer.values)


def test_why_quoting_the_change_finds_the_sentence_that_states_it(real_answerer: Answerer) -> None:
    """ "预算为啥少了990万" names no item the narrative ties a figure to: the sentence stating a change of 990万元 is
    the one asked about, with the reason printed after it."""
    answer = real_answerer.answer("上海市财政局25年预算为啥少了990万")
    assert answer.status == "answered", answer.headline
    assert "预计注册会计师考试人数" in (answer.values[0].text or "")


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("深圳民政局项目支出扣掉福彩公益金项目后还剩多少", Decimal("3365.62")),  # 福彩: 福利彩票, a short form
        ("万里街道2025年政采预算，扣除面向中小企业预留的部分以后还剩多少？", Decimal("2892.72")),
    ],
)
def test_what_is_left_after_a_part_is_taken_out(real_answerer: Answerer, question: str, left: Decimal) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert answer.values[0].role == "difference" and answer.values[0].value == left


def test_a_part_larger_than_the_whole_is_not_subtracted(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("基本支出扣除支出总计后还剩多少")
    assert answer.status != "answered"
    assert "不是它的一部分" in to_text(answer)


@pytest.mark.parametrize(
    ("question", "share", "summed"),
    [
        # 湖州卫健委 p25/p27: 事业收入 436,671.20 + 其他收入 14,023.40 of 收入总计 515,313.35
        ("湖州卫健委事业收入和其他收入加起来占全部收入预算多少", Decimal("87.46"), Decimal("450694.60")),
        # 大鹏 表8 p33-34: 劳务费 709.92 + 委托业务费 905.49 of 一般公共预算 商品和服务支出 1,932.41 ("加" alone)
        ("大鹏规自局劳务费加委托业务费，占一般公共预算商品和服务支出多少", Decimal("83.60"), Decimal("1615.41")),
    ],
)
def test_a_share_of_several_items_added_up(
    real_answerer: Answerer, question: str, share: Decimal, summed: Decimal
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    computed = {v.role: v.value for v in answer.values if v.printed is None}
    assert computed == {"sum": summed, "share": share}
    assert any(note.startswith("比例 = (") for note in answer.notes)


def test_a_share_of_a_class_added_to_its_own_item_is_not_computed(sample_answerer: Answerer) -> None:
    # 201 一般公共服务支出 holds 2010301 行政运行: adding them counts the same money twice
    answer = sample_answerer.answer("科目201和2010301加起来占支出总计多少")
    assert answer.status != "answered"
    assert "上级科目" in to_text(answer)


def test_a_growth_in_tenths_from_the_stated_change_of_the_departments_income(real_answerer: Answerer) -> None:
    # 泉州市政府办 p24: "部门收入预算为15184.81万元，比上年增加4385.72万元" and no rate: 4385.72 ÷ 10799.09
    answer = real_answerer.answer("泉州市政府办2026年部门预算收入比上年增长了几成")
    assert answer.status == "answered", answer.headline
    computed = {v.role: v.value for v in answer.values if v.printed is None}
    assert computed.get("rate") == Decimal("40.61")
    assert "4385.72" in [v.printed for v in answer.values]


def test_both_years_asked_of_one_document_give_both(real_answerer: Answerer) -> None:
    # 省政协办公厅 2017: 支出总计 9,146.79 (tables p1), and the narrative p6 gives 2016's 8,648.07
    answer = real_answerer.answer("省政协办公厅2017年部门支出预算多少？2016年的是多少？")
    printed = {(v.printed, v.role) for v in answer.values}
    assert {("9,146.79", "current"), ("8,648.07", "prior")} <= printed


def test_which_three_with_a_superlative_is_a_top_three(real_answerer: Answerer) -> None:
    # 无锡市教育局 公开02表 p16: the units by 合计, 本级 131,349.60 first
    answer = real_answerer.answer("无锡市教育局26年部门预算里，哪三个单位的盘子最大？")
    assert answer.status == "answered", answer.headline
    ranked = [v for v in answer.values if v.role == "rank"]
    assert len(ranked) == 3 and ranked[0].printed == "131,349.60"


# ---- session 14: per-unit amounts of what the narrative counts, existence asked in other words, both years ----------


@pytest.mark.parametrize(
    ("question", "amount", "count", "each"),
    [
        # 苏州资规局 p45: "本部门共 38 个项目纳入绩效目标管理,涉及财政性资金合计 74,051.18 万元"
        ("苏州市自然资源和规划局部门预算平均每个绩效项目涉及多少财政资金？", "74,051.18 万元", "38 个", "1948.72"),
        # 湖州卫健委 p16: "涉及一般公共预算当年拨款 15858.46 万元,一级项目 17 个" (the amount before the count)
        ("湖州卫健委一级项目平均每个多少一般公共预算拨款", "15858.46 万元", "17 个", "932.85"),
        # 深汕监管局 p20 "计划购置车辆 2 辆" and its 三公 table's 公务用车购置费 36.00 (p41)
        ("深汕市场监管局今年计划买车，平均一辆多少钱", "36.00", "2 辆", "18.00"),
    ],
)
def test_per_unit_of_what_the_narrative_counts(
    real_answerer: Answerer, question: str, amount: str, count: str, each: str
) -> None:
    """A count the question names with no money beside it: the amount its own sentence states, or the money of what
    is counted (购置车辆 → 公务用车购置费), divided by it."""
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    shown = {(v.printed, v.role) for v in answer.values}
    assert (amount.split(" ")[0], "current") in shown or any(v.printed == amount.split(" ")[0] for v in answer.values)
    assert any(v.role == "count" and f"{v.printed}" in count for v in answer.values)
    (per,) = (v for v in answer.values if v.role == "per_unit")
    assert per.value == Decimal(each)


def test_per_unit_refusal_names_the_word_asked(real_answerer: Answerer) -> None:
    # 深圳市财政局 prints 在职人员经费 but no staff count
    answer = real_answerer.answer("深圳财政局今年在职人员人均经费多少")
    assert answer.status != "answered"
    assert "人均" in to_text(answer)


@pytest.mark.parametrize(
    ("question", "printed", "page"),
    [
        # 湖州卫健委 表08 p43 etc.: 2290402 其他地方自行试点项目收益专项债券收入安排的支出 15000.00
        ("湖州卫健委26年预算里有没有用专项债？", "15000.00", 27),
        # 湖州交通 p12: "…事务 15500.00 万元,主要用于 104 国道…改建工程 PPP 项目"
        ("湖州市交通局有没有PPP项目的钱", "15500.00", 12),
    ],
)
def test_existence_in_words_no_row_is_printed_as(
    real_answerer: Answerer, question: str, printed: str, page: int
) -> None:
    """ "有没有专项债/PPP": no row is named so; the rows whose name holds the words, or the amount whose own clause
    says it goes to them, each with its page, and the answer says these are mentions, not a row of that name."""
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    first = answer.values[0]
    assert first.printed == printed and answer.sources[first.source].page == page
    assert any("文档没有名为" in note for note in answer.notes)


def test_existence_asked_of_what_no_page_mentions_names_the_words_as_written(real_answerer: Answerer) -> None:
    # 省政协办公厅 2019: no 债 anywhere; the frame knows "专项债" as a printed name elsewhere, the refusal names
    # what was asked, "专项债券"
    answer = real_answerer.answer("省政协办公厅2019年有专项债券资金吗")
    assert answer.status == "no_data"
    assert "“专项债券”" in answer.headline
    assert not [v for v in answer.values if v.value is not None]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("省检察院18年有没有买公务车的预算？", "无公务用车购置预算安排"),
        ("湖州交通运输局有没有国有资本经营预算安排的支出", "没有使用国有资本经营预算拨款安排的支出"),
    ],
)
def test_existence_answered_by_the_sentence_saying_none(real_answerer: Answerer, question: str, said: str) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert said in (answer.values[0].text or "")
    assert answer.values[0].role == "text"


def test_an_amount_for_something_that_only_explains_a_change_is_no_amount_of_it(real_answerer: Answerer) -> None:
    # 湖州交通 p8: "一般公共预算当年拨款52244.36万元,比上年执行数减少…主要是…PPP 项目资金性质变为政府性基金":
    # the 52,244.36 is not PPP money
    answer = real_answerer.answer("湖州市交通局有没有PPP项目的钱")
    assert "52,244.36" not in to_text(answer)


@pytest.mark.parametrize(
    ("question", "prior", "current"),
    [
        # 福利院 p6 "2023年当年预算执行数为44.17万元"; p9 事业单位医疗 503,724 元
        ("福利院事业单位医疗这项，24年预算和23年执行数各多少", "44.17", "503,724"),
        # 深圳水务局 表9 p180: 2025年 382.64, 2026年 469.17
        ("深圳水务局三公经费今年和去年分别是多少", "382.64", "469.17"),
        # 普陀司法局 p8: "2025年当年预算执行数为1690.69万元"; p12 行政运行 16726725.44
        ("普陀司法局行政运行今年预算多少？2025年实际执行了多少，分别说下", "1690.69", "16,726,725.44"),
    ],
)
def test_this_year_and_last_asked_together(real_answerer: Answerer, question: str, prior: str, current: str) -> None:
    """Last year's execution and this year's budget in one question: both, each with its role; the 执行 of last year
    is not asked of this year's budget."""
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    roles = {v.printed.replace(",", ""): v.role for v in answer.values if v.printed}
    assert roles.get(prior.replace(",", "")) == "prior"
    assert roles.get(current.replace(",", "")) == "current"


def test_the_own_part_of_a_department_with_no_other_unit_is_the_department(real_answerer: Answerer) -> None:
    # 深圳市民政局 lists one unit, 深圳市民政局（本级）: p7 在职人员经费 3,738.92, 项目支出 22,701.77
    answer = real_answerer.answer("深圳民政局(本级)项目支出是在职人员经费的几倍")
    assert answer.status == "answered", answer.headline
    (times,) = (v for v in answer.values if v.role == "ratio")
    assert times.value == Decimal("6.07")
    assert any("只有" in note and "一个单位" in note for note in answer.notes)


def test_why_quoting_a_change_answers_with_the_reason_said_without_the_word_reason(real_answerer: Answerer) -> None:
    # 江苏省政协办公厅 2018 text p9: "与上年相比减少238.10万元，下降4.02%。退休人员退休费由省社保机构统一发放，
    # 单位支出减少。"
    answer = real_answerer.answer("江苏政协办公厅2018年基本支出咋还减少了238万")
    assert answer.status == "answered", answer.headline
    assert "退休费由省社保机构统一发放" in (answer.values[0].text or "")


def test_why_and_how_much_give_the_stated_change_first(real_answerer: Answerer) -> None:
    # 苏州资规局 p38: 土地开发支出 "与上年相比减少 32,690.08 万元,减少 77.3%。主要原因是…"
    answer = real_answerer.answer("苏州自规局土地开发支出咋一下少了这么多？到底少了多少")
    change, rate = answer.values[0], answer.values[1]
    assert (change.role, change.printed, change.value) == ("change", "32,690.08", Decimal("-32690.08"))
    assert "减少" in change.label
    assert rate.role == "rate" and "下降" in rate.label
    assert any("主要原因" in (v.text or "") for v in answer.values)


def test_the_largest_row_and_its_share_of_its_level(real_answerer: Answerer) -> None:
    # 长春市信访局 预算表9 p14: four projects, 驻京经费 312.00 the largest; 312.00 ÷ 474.56 (their sum, the 项目支出)
    answer = real_answerer.answer("长春信访局项目里哪个花钱最多，占项目支出多少")
    assert answer.status == "answered", answer.headline
    assert [v.printed for v in answer.values if v.role == "rank"] == ["312.00"]
    assert [v.value for v in answer.values if v.role == "share"] == [Decimal("65.75")]
    assert any("474.56" in note for note in answer.notes)


def test_the_largest_unit_and_its_share_of_the_whole_body(real_answerer: Answerer) -> None:
    # 深圳市建筑工务署 收入总表 p19: 本级 14,480.17 of the four units' 33,934.54 (42.67%); "全署" is the whole body
    answer = real_answerer.answer("工务署下面几家单位谁的预算最多？占全署多少")
    assert answer.status == "answered", answer.headline
    rank = next(v for v in answer.values if v.role == "rank")
    assert rank.printed == "14,480.17" and rank.label == "第1名 深圳市建筑工务署（本级）"
    assert [v.value for v in answer.values if v.role == "share"] == [Decimal("42.67")]


def test_a_units_projects_are_listed_with_their_sum(real_answerer: Answerer) -> None:
    # 深圳市建筑工务署 表5 p37: 工程管理中心's projects 工程管理 1,117.49 and 综合管理 108.00 (its 项目支出
    # 1,225.49), not the 本级's 工程管理 6,832.94
    answer = real_answerer.answer("工务署工程管理中心的项目支出有哪些，各多少钱")
    assert answer.status == "answered", answer.headline
    assert [v.printed for v in answer.values if v.role == "rank"] == ["1,117.49", "108.00"]
    assert [v.value for v in answer.values if v.role == "sum"] == [Decimal("1225.49")]


def test_a_long_listing_shows_the_largest_rows_and_says_how_many(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("深圳水务局有哪些项目")
    assert answer.status == "answered", answer.headline
    assert len([v for v in answer.values if v.role == "rank"]) == 20
    said = [m for note in answer.notes if (m := re.match(r"共 (\d+) 个项目，列出金额最大的 20 个", note))]
    assert said and int(said[0].group(1)) > 20
