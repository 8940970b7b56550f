"""The pieces both chats share: help examples, message splitting, choice buttons, rate limits."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from telegram import Chat, Message, User

from benchmarks.local_bot_api import parse_html
from bot.conversation import HELP_TOPICS, choice_data, parse_choice
from bot.limits import RateLimiter
from bot.render import preformatted, split_lines, telegram_length
from bot.telegram_app import addressed, question_text
from queries.answer import Choice
from queries.run import Answerer


def test_every_help_example_is_understood(sample_answerer: Answerer) -> None:
    for _, examples in HELP_TOPICS:
        for example in examples:
            answer = sample_answerer.answer(example, sample_answerer.snapshot().documents[0].id)
            assert answer.status != "not_understood", example


lines = st.lists(st.text(alphabet=st.sampled_from("预算<>&\"' ab😀"), max_size=60), max_size=40)


@given(lines, st.integers(min_value=8, max_value=200))
def test_split_lines_keeps_every_line_and_respects_the_limit(texts: list[str], limit: int) -> None:
    escaped = [html.escape(t, quote=False) for t in texts]
    messages = split_lines(escaped, limit)
    assert all(telegram_length(m) <= limit for m in messages)
    shown = "\n".join(parse_html(m) for m in messages)
    if not texts:
        assert messages == [""]
    elif all(telegram_length(e) <= limit for e in escaped):
        assert shown == "\n".join(texts)
    else:  # an over-long line is cut into pieces: the characters survive, in order
        assert shown.replace("\n", "") == "".join(texts)


def test_a_long_line_with_markup_is_cut_without_breaking_tags_or_entities() -> None:
    line = "<b>" + "&amp;预算" * 50 + "</b>"
    messages = split_lines([line], 20)
    assert all(telegram_length(m) <= 20 for m in messages)
    assert "".join(parse_html(m) for m in messages) == "&预算" * 50


def test_preformatted_splits_sql_between_lines() -> None:
    sql = "\n".join(f"select {i} as x where a < b" for i in range(400))
    messages = preformatted(sql)
    assert len(messages) > 1
    assert "\n".join(parse_html(m) for m in messages) == sql


@given(st.text(min_size=1, max_size=80), st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=4))
def test_choice_data_fits_telegram_and_reads_back(question: str, path: list[int]) -> None:
    document = "sh-putuo-wanli-street-2025-budget-" + question
    data = choice_data(document, tuple(path), Choice("label", document, question))
    assert len(data.encode()) <= 64
    pressed = parse_choice(data)
    assert pressed is not None and pressed.path == tuple(path)


def test_malformed_choice_data_is_refused() -> None:
    for data in ("", "x:1:2:3", "c:-:1.a:ffff", "c:-:1", "c::"):
        assert parse_choice(data) is None


def test_rate_limiter_counts_a_sliding_minute_and_warns_once() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.allow(1) and limiter.allow(1)
    assert not limiter.allow(1) and limiter.allow(2)
    assert limiter.should_warn(1) and not limiter.should_warn(1)
    now[0] = 59.9
    assert not limiter.allow(1)
    now[0] = 60.0
    assert limiter.allow(1) and limiter.should_warn(1)


def test_question_text_drops_the_mention_in_any_case() -> None:
    assert question_text("@Budget_Test_Bot 三公经费 @budget_test_bot", "budget_test_bot") == "三公经费"


def test_addressed_is_a_pure_function_of_the_message() -> None:
    group = Chat(-1, "group")
    bot = User(9, "bot", True)
    person = User(1, "记者", False)

    def message(text: str, chat: Chat = group, reply_to: Message | None = None) -> Message:
        return Message(1, datetime.now(UTC), chat, from_user=person, text=text, reply_to_message=reply_to)

    assert addressed(message("三公经费", Chat(1, "private")), "budget_bot", 9)
    assert not addressed(message("三公经费"), "budget_bot", 9)
    assert addressed(message("@Budget_Bot 三公经费"), "budget_bot", 9)
    assert addressed(message("/help"), "budget_bot", 9)
    assert addressed(message("/help@budget_bot"), "budget_bot", 9)
    assert not addressed(message("/help@other_bot"), "budget_bot", 9)
    ours = Message(2, datetime.now(UTC), group, from_user=bot, text="答案")
    assert addressed(message("那公务接待费呢", reply_to=ours), "budget_bot", 9)
