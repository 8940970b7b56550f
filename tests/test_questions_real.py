"""Data-driven questions about the real corpus (tests/data/questions_real.toml)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from bot.conversation import Conversation
from bot.render import to_text
from queries.run import Answerer
from tests.corpus import documents_present
from tests.test_questions_sample import check

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "data" / "questions_real.toml").read_text(encoding="utf-8")
)["questions"]


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


@pytest.mark.parametrize("case", CASES, ids=[c["question"] for c in CASES])
def test_question(real_answerer: Answerer, case: dict[str, Any]) -> None:
    answer = real_answerer.answer(case["question"])
    check(answer, case)


def test_every_question_is_asked_once_and_every_answer_is_checked() -> None:
    """No repeated question; an "answered" case names what the answer must hold, read from the page (figures,
    phrases, the cited page) or, for questions about the whole corpus, the documents list."""
    questions = [c["question"] for c in CASES]
    assert len(questions) == len(set(questions))
    expectations = ("values", "computed", "texts", "says", "cites", "corpus")
    assert [c["question"] for c in CASES if c["status"] == "answered" and not any(k in c for k in expectations)] == []


def test_what_the_corpus_holds_is_listed(real_corpus: Path, real_answerer: Answerer) -> None:
    present = documents_present(real_corpus)
    documents = real_answerer.answer("有哪些文档")
    shown = " ".join(v.text or "" for v in documents.values)
    assert len(documents.values) == len(present)
    assert all(name in shown for d in present for name in d.files)
    bodies = real_answerer.answer("有哪些部门")
    assert sorted(v.label for v in bodies.values) == sorted({d.body for d in present})
    years = to_text(real_answerer.answer("收录了哪几年"))
    assert all(f"{year}年" in years or str(year) in years for year in {d.year for d in present})
    cppcc = real_answerer.answer("江苏省政协办公厅有哪些文档")
    assert len(cppcc.values) == len([d for d in present if d.body == "江苏省政协办公厅"])


def test_choosing_a_candidate_answers_the_original_question(real_answerer: Answerer) -> None:
    chat = Conversation()
    first = chat.ask(real_answerer, "万里街道三公经费")
    assert first.status == "ambiguous"
    assert [c.label for c in first.choices] == [
        "上海市普陀区人民政府万里街道办事处 2023年部门预算",
        "上海市普陀区人民政府万里街道办事处 2025年部门预算",
    ]
    answer = chat.choose(real_answerer, 2)
    assert answer is not None and answer.status == "answered"
    assert answer.sources[0].year == 2025 and answer.sources[0].file == "sh-putuo-wanli-street-2025-dept-budget.pdf"
    # A follow-up stays with the chosen document.
    follow = chat.ask(real_answerer, "那公务接待费呢？")
    assert follow.sources[0].year == 2025 and follow.template == "item_figure"


def page_text(path: Path, page: int) -> str:
    """The text pdfium reads from one page, without spaces and thousands separators."""
    pdf = pdfium.PdfDocument(path)
    try:
        text = pdf[page - 1].get_textpage().get_text_range()
    finally:
        pdf.close()
    return re.sub(r"[\s,]", "", text)


@pytest.mark.parametrize("case", [c for c in CASES if c["status"] == "answered"], ids=lambda c: c["question"])
def test_every_printed_figure_is_on_its_cited_page(real_answerer: Answerer, case: dict[str, Any]) -> None:
    """Independent of the database: the cited PDF page itself prints each figure the answer quotes."""
    answer = real_answerer.answer(case["question"])
    for value in answer.values:
        if value.printed:
            source = answer.sources[value.source]
            path = real_answerer.file_path(source.document, source.file)
            assert path is not None, source
            assert value.printed.replace(",", "") in page_text(path, source.file_page), (value, source)


def test_choosing_a_year_answers_a_ranking(real_answerer: Answerer) -> None:
    chat = Conversation()
    first = chat.ask(real_answerer, "哪个部门三公经费最多")
    assert first.status == "ambiguous" and "2019年" in [c.label for c in first.choices]
    answer = chat.choose(real_answerer, [c.label for c in first.choices].index("2019年") + 1)
    assert answer is not None and answer.template == "item_rank_top"
    assert [v.label for v in answer.values][:2] == ["第1名 江苏省人大常委会办公厅", "第2名 江苏省政协办公厅"]


def test_every_template_example_is_answered(real_answerer: Answerer, sample_answerer: Answerer) -> None:
    """Each template's own example questions reach that template and get an answer (or a choice)."""
    failures = []
    for template in real_answerer.catalogue.values():
        for example in template.examples:
            answers = [real_answerer.answer(example), sample_answerer.answer(example)]
            if not any(a.template == template.id and a.status in ("answered", "ambiguous") for a in answers):
                failures.append((template.id, example, [(a.template, a.status) for a in answers]))
    assert failures == []
