"""飞书 end to end: the adapter (bot/feishu.py, over the lark-oapi SDK) receiving events from the stand-in
platform (tests/standins/feishu_api.py) by HTTP callback (encrypted, signed) and over the SDK's long
connection, and replying through the stand-in's API, over real DuckDB files ingested from the sample PDF."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.conversation import EXPORT_COLUMNS
from bot.feishu import FeishuBot, FeishuSecrets, message_text, read_secrets
from bot.messenger import EXPIRED, REFUSED
from bot.platform_api import Backoff
from bot.settings import SettingsError, load_settings
from tests import messenger_helpers
from tests.messenger_helpers import (
    HELP_START,
    SAMPLE_FIGURE,
    SAMPLE_TABLE,
    bot_on_loop,
    loopback_settings,
    messenger_core,
)
from tests.standins.documents import SAMPLE_CHOICE, three_documents
from tests.standins.feishu_api import Failure, FeishuStandIn, Sent, private_chat

FAST = Backoff(attempts=8, first=0.02, longest=0.2)


@contextmanager
def feishu_bot(database: Path, standin: FeishuStandIn, mode: str = "callback", **overrides: Any) -> Iterator[FeishuBot]:
    """A FeishuBot on its own event loop: in callback mode its address given to `standin`, in long-connection
    mode connected to it."""
    settings = loopback_settings(
        load_settings(None).feishu, standin.base_url, mode=mode, app_id=standin.app_id, **overrides
    )

    async def start() -> FeishuBot:
        secrets = FeishuSecrets(standin.app_secret, standin.verification_token, standin.encrypt_key)
        bot = FeishuBot(settings, messenger_core(database, settings), secrets, backoff=FAST)
        await bot.start()
        return bot

    with bot_on_loop("feishu-bot", start) as bot:
        if mode == "callback":
            standin.callback_url = f"http://127.0.0.1:{bot.port}{settings.path}"
        else:
            standin.callback_url = ""
            standin.wait_connected()
        yield bot


@pytest.fixture(scope="module")
def standin() -> Iterator[FeishuStandIn]:
    with FeishuStandIn() as server:
        yield server


@pytest.fixture(scope="module")
def sample_bot(sample_db: Path, standin: FeishuStandIn) -> Iterator[FeishuStandIn]:
    with feishu_bot(sample_db, standin):
        yield standin


@pytest.fixture(scope="module")
def three_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return three_documents(tmp_path_factory.mktemp("feishu-three"))


def ask(standin: FeishuStandIn, user: str, text: str, count: int = 1) -> list[Sent]:
    pushed = standin.push_text(user, text)
    assert pushed.status == 200, pushed
    return standin.take(private_chat(user), count)


def until_help(standin: FeishuStandIn, user: str, chat: str = "") -> list[Sent]:
    """Everything still coming to the chat before the reply to a /help sent now (a chat's replies go in
    order): all the pieces of a reply whose length the test does not fix."""
    chat = chat or private_chat(user)
    return messenger_helpers.until_help(lambda: standin.push_text(user, "/help", chat=chat), lambda: standin.take(chat))


def assert_quiet(standin: FeishuStandIn, user: str) -> None:
    """Nothing more reaches `user`'s chat: its replies go in order, so /help's reply must come next."""
    [reply] = ask(standin, user, "/help")
    assert reply.text.startswith(HELP_START), f"sent to {user} before the /help's reply: {reply}"


# -- HTTP callback --------------------------------------------------------------------------------


def test_url_verification_answers_the_challenge(sample_bot: FeishuStandIn) -> None:
    answer = sample_bot.url_verification()
    assert answer.status == 200 and len(answer.body["challenge"]) == 16


def test_question_is_answered_with_figure_table_and_page(sample_bot: FeishuStandIn) -> None:
    [reply] = ask(sample_bot, "ou_zhang", "三公经费多少？")
    assert reply.msg_type == "text"
    assert f"“三公”经费：{SAMPLE_FIGURE}" in reply.text
    assert f"《{SAMPLE_TABLE}》，第 17 页" in reply.text


def test_follow_up_and_a_mention_in_a_group(sample_bot: FeishuStandIn) -> None:
    ask(sample_bot, "ou_li", "三公经费多少？")
    [follow] = ask(sample_bot, "ou_li", "那公务接待费呢？")
    assert "公务接待费" in follow.text and SAMPLE_FIGURE in follow.text
    sample_bot.push_text("ou_li", "@_user_1 三公经费多少？", chat="oc_group_budget")
    [group] = sample_bot.take("oc_group_budget")
    assert SAMPLE_FIGURE in group.text


def test_source_page_is_uploaded_and_sent_as_an_image(sample_bot: FeishuStandIn) -> None:
    ask(sample_bot, "ou_wang", "三公经费多少？")
    caption, image = ask(sample_bot, "ou_wang", "/source", 2)
    assert "第 17 页" in caption.text and "红框" in caption.text
    assert image.msg_type == "image" and image.media.startswith(b"\x89PNG") and image.media_name == "page-17.png"


def test_export_is_sent_as_a_csv_file(sample_bot: FeishuStandIn) -> None:
    ask(sample_bot, "ou_zhao", "三公经费多少？")
    caption, file = ask(sample_bot, "ou_zhao", "/export", 2)
    assert "行）" in caption.text
    assert file.msg_type == "file" and file.media_name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(file.media.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS


def test_an_event_delivered_twice_is_answered_once(sample_bot: FeishuStandIn) -> None:
    sample_bot.push_text("ou_sun", "三公经费多少？", times=2)
    [reply] = sample_bot.take(private_chat("ou_sun"))
    assert SAMPLE_FIGURE in reply.text
    assert_quiet(sample_bot, "ou_sun")


def test_forged_replayed_or_foreign_callbacks_are_refused_and_the_secrets_stay_out_of_the_log(
    sample_bot: FeishuStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for tamper in ("signature", "timestamp", "token"):
        refused = sample_bot.push_text("ou_zhou", "三公经费多少？", tamper=tamper)
        assert refused.status != 200, tamper
    assert_quiet(sample_bot, "ou_zhou")
    assert "signature verification failed" in caplog.text and "stale" in caplog.text
    for secret in (sample_bot.app_secret, sample_bot.encrypt_key, sample_bot.verification_token):
        assert secret not in caplog.text


def test_rate_limits_and_server_errors_are_retried_and_the_answer_arrives_once(sample_db: Path) -> None:
    with FeishuStandIn() as standin, feishu_bot(sample_db, standin):
        standin.fail_next("tenant_access_token", Failure(http_status=500))
        standin.fail_next("im/v1/messages", Failure(http_status=503), Failure(code=99991400), Failure(code=230020))
        [reply] = ask(standin, "ou_wu", "三公经费多少？")
        assert SAMPLE_FIGURE in reply.text and standin.requests["im/v1/messages"] == 4
        standin.expire_tokens()  # the cached token stops working: fetched again, the file still sent once
        standin.fail_next("im/v1/files", Failure(http_status=502))
        file = ask(standin, "ou_wu", "/export", 2)[1]
        assert file.msg_type == "file" and standin.token_requests == 2
        assert_quiet(standin, "ou_wu")


def test_only_allowed_users_and_departments_are_answered(sample_db: Path) -> None:
    access: dict[str, Any] = {"allowed_user_ids": ("ou_alice",), "allowed_departments": ("od-budget",)}
    departments = {"ou_carol": ["od-other", "od-budget"], "ou_dave": ["od-other"]}
    with FeishuStandIn(departments) as standin, feishu_bot(sample_db, standin, **access):
        for user in ("ou_alice", "ou_carol"):
            assert SAMPLE_FIGURE in ask(standin, user, "三公经费多少？")[0].text
        for user in ("ou_dave", "ou_mallory"):
            assert ask(standin, user, "三公经费多少？")[0].text == REFUSED


def test_choices_come_as_an_interactive_card_whose_buttons_answer(three_db: Path) -> None:
    with FeishuStandIn() as standin, feishu_bot(three_db, standin):
        [card] = ask(standin, "ou_chen", "三公经费多少")
        assert card.msg_type == "interactive" and len(card.buttons) == 3
        chosen = next(b for b in card.buttons if SAMPLE_CHOICE in b["text"]["content"])
        pressed = standin.press("ou_chen", chosen)
        assert pressed.status == 200 and pressed.body["toast"]["type"] == "info"
        [answer] = standin.take(private_chat("ou_chen"))
        assert answer.text.startswith(f"已选择：{SAMPLE_CHOICE}") and SAMPLE_FIGURE in answer.text
        standin.press("ou_chen", {"value": {"payload": chosen["value"]["payload"][:-8] + "00000000"}})
        assert standin.take(private_chat("ou_chen"))[0].text == EXPIRED
        [card] = ask(standin, "ou_lin", "三公经费多少")
        number = next(n for n, b in enumerate(card.buttons, start=1) if SAMPLE_CHOICE in b["text"]["content"])
        [numbered] = ask(standin, "ou_lin", str(number))  # a number chooses too
        assert SAMPLE_FIGURE in numbered.text and not numbered.text.startswith("已选择：")


def test_docs_use_sql_and_check_come_as_text(three_db: Path) -> None:
    with FeishuStandIn() as standin, feishu_bot(three_db, standin):
        [docs] = ask(standin, "ou_he", "/docs 建安")
        number, _, label = docs.text.split("\n", 1)[0].partition(". ")
        assert docs.msg_type == "text" and label == SAMPLE_CHOICE and "/use 序号" in docs.text
        [used] = ask(standin, "ou_he", f"/use {number}")
        assert used.text.startswith(f"已选定：{SAMPLE_CHOICE}")
        [answer] = ask(standin, "ou_he", "三公经费多少")  # about the chosen document: no choice card
        assert answer.msg_type == "text" and SAMPLE_FIGURE in answer.text and "第 17 页" in answer.text
        [sql] = ask(standin, "ou_he", "/sql")
        assert "select" in sql.text.lower() and "参数：" in sql.text
        group = "oc_group_check"  # a conversation of its own, with no document chosen: named in the command
        standin.push_text("ou_he", "@_user_1 核对 建安", chat=group)
        [report] = until_help(standin, "ou_he", group)
        assert report.text.startswith(f"数字核对：{SAMPLE_CHOICE}") and "【错误】" in report.text


def test_a_series_answer_and_chart_send_the_chart_as_an_uploaded_image(sample_bot: FeishuStandIn) -> None:
    answer, chart = ask(sample_bot, "ou_xu", "三公经费由哪些构成", 2)
    assert answer.msg_type == "text" and "公务接待费：0.20 万元" in answer.text
    assert chart.msg_type == "image" and chart.media.startswith(b"\x89PNG") and chart.media_name == "chart.png"
    title, again = ask(sample_bot, "ou_xu", "/chart", 2)
    assert "“三公”经费的构成" in title.text
    assert again.msg_type == "image" and again.media.startswith(b"\x89PNG")


def test_rate_limit_warns_once_then_drops_and_holds_no_one_else_up(sample_db: Path) -> None:
    group = "oc_group_rate"
    with FeishuStandIn() as standin, feishu_bot(sample_db, standin, rate_limit_per_minute=2):
        for _ in range(2):
            standin.push_text("ou_fast", "@_user_1 三公经费多少", chat=group)
            assert SAMPLE_FIGURE in standin.take(group)[0].text
        standin.push_text("ou_fast", "@_user_1 三公经费多少", chat=group)
        assert "每人每分钟最多 2 次" in standin.take(group)[0].text
        standin.push_text("ou_fast", "@_user_1 三公经费多少", chat=group)  # over the limit again: nothing
        assert until_help(standin, "ou_other", group) == []  # and another user in the group is answered at once


# -- long connection ------------------------------------------------------------------------------


def test_long_connection_receives_events_through_the_sdk_client(sample_db: Path) -> None:
    with FeishuStandIn() as standin, feishu_bot(sample_db, standin, mode="long_connection"):
        acknowledged = standin.push_text("ou_qian", "三公经费多少？")
        [reply] = standin.take(private_chat("ou_qian"))
        assert acknowledged.status == 200
        assert SAMPLE_FIGURE in reply.text and "第 17 页" in reply.text
        [follow] = ask(standin, "ou_qian", "那公务接待费呢？")
        assert "公务接待费" in follow.text


# -- pieces ---------------------------------------------------------------------------------------


def test_message_text_drops_mentions_and_tolerates_bad_content() -> None:
    assert message_text('{"text":"@_user_1 三公经费多少？"}') == "三公经费多少？"
    assert message_text("not json") == ""


def test_missing_secrets_stop_start_up_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = replace(load_settings(None).feishu, enabled=True, app_id="cli_1", mode="callback")
    for name in (settings.app_secret_env, settings.verification_token_env, settings.encrypt_key_env):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(settings.app_secret_env, "s")
    with pytest.raises(SettingsError, match=settings.verification_token_env):
        read_secrets(settings)
    assert read_secrets(replace(settings, mode="long_connection")).app_secret == "s"
