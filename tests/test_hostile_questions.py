"""Whatever people type, the answerer replies and never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.run import Answerer

HOSTILE = [
    "'; drop table facts; --",
    '三公经费" or 1=1 --',
    "select * from documents",
    "三公经费;delete from facts",
    "x" * 10_000,
    "三公经费" * 2_000,
    "\x00\x01\x02三公\x1b[31m经费",
    "💰💰💰 三公经费 🚗",
    "",
    "   ",
    "？？？",
    "2021" * 100,
]


@pytest.mark.parametrize("question", HOSTILE)
def test_hostile_text_gets_a_normal_reply(sample_answerer: Answerer, question: str) -> None:
    answer = sample_answerer.answer(question)
    assert answer.status in ("answered", "no_data", "not_understood", "ambiguous")
    assert answer.headline


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_matcher_never_raises(sample_answerer: Answerer, question: str) -> None:
    assert sample_answerer.answer(question).headline
