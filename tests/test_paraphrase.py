"""A printed name the asker shortens: bound to the one name that holds the words in order and of which they are most,
never to one of several names that hold them as well (queries/paraphrase.py)."""

from __future__ import annotations

from queries.coverage import Span, leftover_words
from queries.paraphrase import abbreviated_unit, closest_name, rebind

NAMES = {
    "政府重要文稿起草及调研工作": "政府重要文稿起草及调研工作",
    "党建及业务专题培训": "党建及业务专题培训",
    "西江水费(含水资源税)": "西江水费(含水资源税)",
    "广南梅第二条原水管道工程一期工程-2026年": "广南梅第二条原水管道工程一期工程-2026年",
    "广南梅第二条原水管道工程二期工程-2026年": "广南梅第二条原水管道工程二期工程-2026年",
}


def test_a_short_form_binds_to_the_name_holding_it_in_order() -> None:
    assert closest_name("文稿起草调研", NAMES) == "政府重要文稿起草及调研工作"
    assert closest_name("党建业务培训", NAMES) == "党建及业务专题培训"
    assert closest_name("西江水费", NAMES) == "西江水费(含水资源税)"  # its parenthetical left out
    assert closest_name("广南梅第二条原水管道一期", NAMES) == "广南梅第二条原水管道工程一期工程-2026年"


def test_words_two_names_hold_alike_or_too_few_bind_to_none() -> None:
    assert closest_name("广南梅第二条原水管道", NAMES) is None  # 一期 and 二期 hold it alike
    assert closest_name("培训", NAMES) is None  # too short to be a name
    assert closest_name("调研工作经费", NAMES) is None  # not in order in any name


def test_a_joining_word_inside_a_printed_name_is_read_with_it() -> None:
    """ "文体和水务中心" is 文体和水务工程管理中心 shortened, not 文体 and 水务中心 listed: the run is bound whole
    where the name holds the 和 too."""
    names = {"文体和水务工程管理中心": "文体和水务工程管理中心", "文体活动经费": "文体活动经费"}
    question = "文体和水务中心的三公经费今年多少"
    spans = [Span(8, 12, "item")]
    bound = rebind(question, spans, leftover_words(question, spans), names, "深圳市建筑工务署")
    assert bound is not None
    assert [(b.words, b.name) for b in bound] == [("文体和水务中心", "文体和水务工程管理中心")]


def test_words_on_both_sides_of_a_shortened_name_are_the_askers() -> None:
    """ "下面信息化装备中心一年": the name read inside the run, the asker's words around it left out."""
    names = {"教育信息化和装备管理服务中心": "无锡市教育信息化和装备管理服务中心"}
    question = "无锡教育局下面信息化装备中心一年预算多少钱"
    spans = [Span(0, 5, "body"), Span(7, 10, "item"), Span(16, 18, "phase")]
    bound = rebind(question, spans, leftover_words(question, spans), names, "无锡市教育局")
    assert bound is not None
    assert [(b.words, b.name) for b in bound] == [("信息化装备中心", "无锡市教育信息化和装备管理服务中心")]


def test_a_unit_called_by_three_characters_ending_in_its_organisation_word() -> None:
    units = {
        "教育科学研究院": "无锡市教育科学研究院",
        "教师发展学院": "无锡市教师发展学院",
        "会议展览局": "珠海市会议展览局",
    }
    assert abbreviated_unit("教科院", units) == "无锡市教育科学研究院"
    assert abbreviated_unit("会展局", units) == "珠海市会议展览局"
    assert abbreviated_unit("教学院", units) is None  # 教…学院 is in both 院s' names
    assert abbreviated_unit("办公室", units) is None
