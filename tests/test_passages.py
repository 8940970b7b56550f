"""Questions no printed row answers, in words the document's sentences hold ("公报计划发行多少期", "学位供给率提到
多少"): the sentence quoted as printed, with its page, never read for a figure; and the questions a quote must
not answer (a count the document never states, an operation no sentence carries out, a year it does not print)."""

from __future__ import annotations

from pathlib import Path

import pytest

from queries.passages import answers_the_kind, asked_words, share_held
from queries.run import Answerer


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


@pytest.mark.parametrize(
    ("question", "said", "page"),
    [
        ("《深圳市人民政府公报》今年计划发行多少期", "42期", 11),
        ("无锡教育局今年打算把普通高中学位供给率提到多少", "70%左右", 8),
        ("信访局的内设机构有哪些？有没有负责复查复核的", "督查室(复查复核处)", 4),
        # no body named: the one page that holds the words places the question
        ("会展业发展专项资金的绩效目标里扶持项目数量要达到多少", "8个及以上", 32),
    ],
)
def test_a_sentence_holding_the_words_is_quoted_with_its_page(
    real_answerer: Answerer, question: str, said: str, page: int
) -> None:
    answer = real_answerer.answer(question)
    assert answer.status == "answered", answer.headline
    assert answer.template == "passage"
    assert any(said in (v.text or "") and answer.sources[v.source].file_page == page for v in answer.values)
    assert all(v.value is None and v.role == "text" for v in answer.values)  # a quote is never a figure
    assert any("照原文引出" in note for note in answer.notes)


@pytest.mark.parametrize(
    "question",
    [
        "大鹏管理局在编人员有多少人",  # 在编人员 is in a sentence, but no number of them is
        "工务署教育工程管理中心2026年预算有多少",  # a sentence about 工程管理中心 is another unit's
        "江苏高院2019年人均人员经费是多少？",  # 人均: an operation no sentence carries out
        "司法局2026年预算里有没有写2025年的机关运行经费是多少",  # the sentences print 2026's
        "财政局2026年公务接待安排了多少批次",  # 批次 is in no sentence
    ],
)
def test_a_question_a_quote_does_not_answer_is_still_refused(real_answerer: Answerer, question: str) -> None:
    answer = real_answerer.answer(question)
    assert answer.status != "answered" or answer.template != "passage", answer.values


def test_the_words_asked_and_what_a_sentence_must_hold() -> None:
    assert asked_words("无锡教育局今年打算把普通高中学位供给率提到多少", []) == ["无锡教育局", "普通高中学位供给率"]
    assert share_held(["公务接待安排", "批次"], "2.公务接待费:2026年安排公务接待费预算5.80万元") == 0.0
    assert share_held(["普通高中学位供给率"], "推动普通高中学位供给率稳步提升至70%左右。") == 1.0
    assert answers_the_kind("计划发行多少期", [], "发行数量大于等于42期")
    assert not answers_the_kind("在编人员有多少人", [], "2026年在编人员数量增加")
    assert not answers_the_kind("2025年的机关运行经费", [2025], "2026年机关运行经费预算为217.83万元")
