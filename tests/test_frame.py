"""The question frame on its own: no database, only the documents' names and the printed vocabulary."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.meaning import label_key
from queries.bodies import BODY_PHRASE, BodyIndex, best_matches
from queries.coverage import leftover_words
from queries.frame import DocumentInfo, Frame, frame_of
from queries.glossary import load_glossary
from queries.vocabulary import Vocabulary, normalize_question

DOCUMENTS = (
    DocumentInfo("fin24", "上海市普陀区财政局", "上海市普陀区", 2024, "决算", "部门"),
    DocumentInfo("fin25", "上海市普陀区财政局", "上海市普陀区", 2025, "预算", "部门"),
    DocumentInfo("court19", "江苏省高级人民法院", "江苏省", 2019, "预算", "部门"),
    DocumentInfo("npc19", "江苏省人大常委会办公厅", "江苏省", 2019, "预算", "部门"),
    DocumentInfo("party19", "中共江苏省委办公厅", "江苏省", 2019, "预算", "部门"),
)
# What the documents print: row names and codes (a real vocabulary comes from the figures table).
VOCABULARY = Vocabulary.of(
    [
        "住房公积金",
        "行政运行",
        "城乡社区管理事务",
        "津贴补贴",
        "一般公共服务支出",
        "机关事业单位基本养老保险缴费支出",
        "编报绩效目标的项目",
    ],
    ["2210201", "2010101", "30102", "201"],
    {"政府采购预算总额": "政府采购"},
)
GLOSSARY = load_glossary()


def frame(question: str) -> Frame:
    return frame_of(question, DOCUMENTS, GLOSSARY, VOCABULARY)


def test_a_printed_row_is_the_item_not_its_parent() -> None:
    f = frame("普陀区财政局2025年基本支出里住房公积金是多少")
    assert [i.names for i in f.items if i.names] == [("住房公积金",)]
    assert f.hints.bodies == ("fin24", "fin25") and f.hints.years == (2025,)


def test_a_code_names_its_row() -> None:
    f = frame("财政局2025年30102多少")
    assert [i.codes for i in f.items] == [("30102",)]


def test_a_count_is_asked_of_the_item_next_to_the_count_word() -> None:
    f = frame("财政局编报绩效目标的项目有几个，涉及多少预算资金")
    assert f.count
    money = [i for i in f.items if i.concept == "绩效目标管理资金"]
    assert money and not money[0].counted
    cars = frame("省高院2019年有几辆公务用车")
    assert [(i.concept, i.measure, i.counted) for i in cars.items] == [("车辆", "count", True)]


def test_last_year_and_the_execution_column() -> None:
    assert frame("财政局2025年上年住房公积金预算多少").prior
    assert frame("财政局2025年住房公积金上年执行数").role == "执行"


def test_a_scope_written_with_one_mention_only() -> None:
    f = frame("财政局2025年基本支出是多少，财政拨款的基本支出又是多少")
    assert [(i.concept, i.scope) for i in f.items] == [("基本支出", None), ("基本支出", "财政拨款")]


def test_a_share_has_its_base() -> None:
    f = frame("财政局2025年住房公积金占基本支出的比例")
    assert [i.names for i in f.items] == [("住房公积金",)]
    assert f.base is not None and f.base.concept == "基本支出"


def test_bodies_listed_without_separators_stay_apart() -> None:
    f = frame("2019年省法院、省人大、省委办公厅三公经费排名")
    assert set(f.hints.body_names) == {"江苏省高级人民法院", "江苏省人大常委会办公厅", "中共江苏省委办公厅"}
    assert f.hints.mentions == 3


def test_an_unknown_body_is_named_not_guessed() -> None:
    f = frame("黄浦区财政局2025年三公经费")
    assert f.hints.unknown_body == "黄浦区财政局" and f.hints.bodies == ()


def test_a_stock_date_reads_the_next_budget() -> None:
    f = frame("财政局截至2024年8月底有几辆车")
    assert f.hints.years == (2025,)


def test_a_threshold_and_a_top() -> None:
    f = frame("2019年三公经费超过100万的单位")
    assert f.threshold == Decimal(1_000_000)
    assert frame("2019年机关运行经费排前三的单位").top == 3


def test_words_nothing_binds_are_left_over() -> None:
    f = frame("财政局2025年住房公积金和智慧河道建设各多少")
    assert [word for _, _, word in leftover_words(f.question, f.spans)] == ["智慧河道建设"]


@pytest.mark.parametrize(
    ("question", "kuan", "xiang"), [("财政局2025年城乡社区管理事务行政运行多少", "城乡社区管理事务", "行政运行")]
)
def test_a_kuan_then_its_xiang_are_two_names_the_answerer_joins(question: str, kuan: str, xiang: str) -> None:
    # the frame keeps both printed names; which row is meant is settled against one document's codes
    assert [i.names[0] for i in frame(question).items] == [kuan, xiang]


def test_the_body_index_finds_what_trying_every_body_finds() -> None:
    """Bodies are matched through an index (a character shared, the reach of a match bounding its
    length); over a hundred bodies alike in name, it must name the same bodies as trying each one."""
    districts = ("普陀", "黄浦", "静安", "徐汇", "长宁", "虹口", "杨浦", "闵行", "宝山", "嘉定")
    offices = ("财政局", "人民政府办公室", "商务委员会", "司法局", "教育局", "民政局", "卫生健康委员会", "统计局")
    names = [f"上海市{d}区{o}" for d in districts for o in offices] + ["江苏省高级人民法院", "江苏省人大常委会办公厅"]
    index = BodyIndex({label_key(name): [name] for name in names})
    asked = [
        "普陀区财政局三公经费",
        "区府办2025年基本支出",
        "上海市嘉定区人民政府办公室2019年公用经费多少",
        "黄埔区财政局人员经费",
        "静安商务委和徐汇统计局各多少",
        "省高院2019年会议费",
        "人大办公厅培训费",
        "长宁区卫健委项目支出",
        "宝山司法局",
        "区政府办公室",
    ]
    for question in asked:
        text = normalize_question(question)
        everyone = best_matches(text, index.names)
        top = max((m.key for m in everyone.values()), default=None)
        expected = {n for n, m in everyone.items() if m.key == top}
        assert set(index.best(text)) >= expected, question
        assert {n for n, m in index.best(text).items() if m.key == top} == expected, question
        for phrase in BODY_PHRASE.finditer(text):
            whole = any(
                m.start == 0 and m.end == len(phrase.group(0))
                for m in best_matches(phrase.group(0), index.names).values()
            )
            assert index.names_whole(phrase.group(0)) == whole, (question, phrase.group(0))


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("省法院会议费", "江苏省高级人民法院"),  # the level before the organisation word says which
        ("区府办办公费", "上海市普陀区人民政府办公室"),
        ("市行政中心保安服务项目", None),  # "政中心": one generic character before 中心 says nothing
        ("技术中心", "泉州市市场监管综合监测与技术保障中心"),
        ("中心的项目", None),  # a bare organisation word of two characters
        # "务中心" ends the question's own word for another unit (文体和水务工程管理中心), not 工务中心's name
        ("文体和水务中心的三公经费", None),
        ("2018年省法院会议费", "江苏省高级人民法院"),  # a level after a year is no word of the question's own
        ("工务中心的项目", "珠海市政府投资交通市政项目工务中心"),
    ],
)
def test_an_abbreviation_says_which_body_before_its_organisation_word(text: str, named: str | None) -> None:
    names = ["江苏省高级人民法院", "上海市普陀区人民政府办公室", "珠海市政府投资交通市政项目工务中心"]
    names.append("泉州市市场监管综合监测与技术保障中心")
    index = BodyIndex({label_key(name): [name] for name in names})
    found = index.best(normalize_question(text))
    assert (sorted(found)[0] if found else None) == (label_key(named) if named else None), text


def test_a_latin_word_left_over_is_a_word_the_question_asks_about() -> None:
    # "有PPP项目吗": the Latin letters are what is asked about; left unbound, they must be named, not dropped
    assert [word for _, _, word in leftover_words("有ppp吗", [])] == ["ppp"]


def test_a_code_written_before_a_name_is_that_names() -> None:
    # "办公费、30299其他商品和服务支出" (the 、 normalised away): 30299 is 其他商品和服务支出's, not 办公费's
    vocabulary = Vocabulary.of(["办公费", "其他商品和服务支出"], ["30201", "30299"])
    f = frame_of("长春市信访局办公费、30299其他商品和服务支出各多少", DOCUMENTS, load_glossary(), vocabulary)
    coded = [(i.names, i.codes) for i in f.items if i.codes]
    assert coded == [(("其他商品和服务支出",), ("30299",))]


@pytest.mark.parametrize(
    ("question", "read"),
    [
        # a row, then a fund's flow: the row in that fund
        ("普陀财政局2025年行政运行财政拨款支出多少", [("行政运行", "财政拨款")]),
        (
            "普陀财政局2025年住房公积金和津贴补贴的一般公共预算支出各多少",
            [("住房公积金", "一般公共预算"), ("津贴补贴", "一般公共预算")],
        ),
        # "A、财政拨款支出各多少" (the 、 normalised away) and "A和财政拨款支出": two things
        ("普陀财政局2025年行政运行、财政拨款支出各多少", [("行政运行", None), ("财政拨款支出", "财政拨款")]),
        ("普陀财政局2025年行政运行和财政拨款支出各多少", [("行政运行", None), ("财政拨款支出", "财政拨款")]),
    ],
)
def test_a_funds_flow_written_after_rows_is_their_fund(question: str, read: list[tuple[str, str | None]]) -> None:
    assert [(i.words, i.scope) for i in frame(question).items] == read


def test_a_joining_word_inside_the_beginning_of_a_printed_name_holds_it_together() -> None:
    # "服务" is printed as a row of its own (政府采购 by type); "商品和服务" begins 商品和服务支出
    vocabulary = Vocabulary.of(["商品和服务支出", "服务", "工资福利支出"], [])
    f = frame_of("财政局2025年工资福利、商品和服务各多少", DOCUMENTS, GLOSSARY, vocabulary)
    assert [(i.words, i.names[:1]) for i in f.items] == [
        ("工资福利", ("工资福利支出",)),
        ("商品和服务", ("商品和服务支出",)),
    ]


def test_接待_beside_三公_is_公务接待费() -> None:
    f = frame("财政局2025年三公经费，出国、接待、公车各多少")
    assert [i.concept for i in f.items] == ["“三公”经费", "因公出国（境）费", "公务接待费", "公务用车购置及运行费"]
    assert [i.concept for i in frame("财政局2025年接待了几批次").items] != ["公务接待费"]


@pytest.mark.parametrize(
    ("question", "share"),
    [
        ("财政局2025年基本支出多少，其中人员经费占多少钱", False),  # an amount of the part
        ("财政局2025年基本支出多少，其中人员经费占多少", True),
    ],
)
def test_占多少钱_asks_an_amount_not_a_share(question: str, share: bool) -> None:
    f = frame(question)
    assert (f.base is not None) == share
    assert [i.concept for i in f.items] == (["人员经费"] if share else ["基本支出", "人员经费"])


def test_each_share_of_listed_items_is_of_their_whole() -> None:
    f = frame("财政局2025年基本支出、项目支出各占多少")
    assert f.base is not None and f.base.concept == "支出总计"
    assert [i.concept for i in f.items] == ["基本支出", "项目支出"]


@pytest.mark.parametrize(
    "question", ["财政局2025年支出总共多少，事业收入也算上", "财政局2025年支出总共多少，含事业收入"]
)
def test_a_fund_said_to_be_included_asks_the_all_funds_total(question: str) -> None:
    f = frame(question)
    assert [(i.concept, i.scope) for i in f.items] == [("支出总计", None)]
    assert leftover_words(f.question, f.spans) == []


def test_a_figure_of_the_name_before_it_is_asked_of_that_name() -> None:
    # "总投资" (glossary `of_named`): the project's whole cost, asked of the project; its year's amount is not asked
    vocabulary = Vocabulary.of(["市中医院迁建工程"], [])
    f = frame_of("财政局2025年市中医院迁建工程总投资多少", DOCUMENTS, GLOSSARY, vocabulary)
    assert [(i.concept, i.within) for i in f.items] == [("项目总投资", "市中医院迁建工程")]
