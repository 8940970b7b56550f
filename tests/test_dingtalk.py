"""The 钉钉 robot end to end: bot/dingtalk.py run as `budgetbot serve` runs it (run_dingtalk), against the
stand-in DingTalk server (tests/standins/dingtalk_api.py) over real DuckDB files: Stream mode through the
official SDK's routing over a real websocket, and the signed HTTP callback mode."""

from __future__ import annotations

import asyncio
import base64
import csv
import hashlib
import hmac
import io
import logging
import os
import socket
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.dingtalk import run_dingtalk, signature, signed
from bot.messenger import REFUSED, Access, MessengerCore
from bot.platform_api import Backoff
from bot.settings import load_settings
from queries.run import Answerer
from tests import messenger_helpers
from tests.messenger_helpers import HELP_START, SAMPLE_FIGURE, SAMPLE_TABLE
from tests.standins.background import LoopThread
from tests.standins.dingtalk_api import APP_KEY, DingtalkStandIn, Failure, Sent
from tests.standins.documents import SAMPLE_CHOICE, three_documents

SECRET_ENV = "BUDGETBOT_TEST_DINGTALK_SECRET"
FAST = Backoff(attempts=5, first=0.01, longest=0.05)
OPEN = Access((), (), rate_limit_per_minute=10_000)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def dingtalk_bot(database: Path, mode: str = "stream", access: Access = OPEN) -> Iterator[DingtalkStandIn]:
    """The robot serving `database` through a new stand-in, in `mode`, until the block ends."""
    with DingtalkStandIn(departments={"clerk": [7, 1]}) as standin:
        port = free_port()
        secret_env = f"{SECRET_ENV}_{port}"  # bots of nested blocks each have their own
        settings = replace(
            load_settings(None).dingtalk,
            enabled=True,
            mode=mode,
            api_base_url=standin.base_url,
            oapi_base_url=standin.base_url,
            app_key=APP_KEY,
            app_secret_env=secret_env,
            listen_port=port,
        )
        os.environ[secret_env] = standin.secret
        loop = LoopThread("dingtalk-bot")
        core = MessengerCore(Answerer(database), access)
        stop = asyncio.Event()
        running = asyncio.run_coroutine_threadsafe(run_dingtalk(settings, core, stop, FAST), loop.loop)
        try:
            if mode == "stream":
                wait_until(lambda: standin.connections > 0, running)
            else:
                standin.callback_url = f"http://127.0.0.1:{port}{settings.path}"
                wait_until(lambda: listening(port), running)
            yield standin
        finally:
            loop.loop.call_soon_threadsafe(stop.set)
            running.result(30)
            loop.run(core.close())
            loop.close()
            del os.environ[secret_env]


def wait_until(condition: Any, running: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if running.done():
            running.result()  # the robot stopped: its exception
        assert time.monotonic() < deadline, "the robot did not start"
        time.sleep(0.02)


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def ask(standin: DingtalkStandIn, user: str, text: str, count: int = 1, **kw: Any) -> list[Sent]:
    standin.push_text(user, text, **kw)
    return standin.take(kw.get("group") or f"cid-{user}", count)


@pytest.fixture(scope="module")
def stream(sample_db: Path) -> Iterator[DingtalkStandIn]:
    with dingtalk_bot(sample_db) as standin:
        yield standin


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DingtalkStandIn]:
    with dingtalk_bot(three_documents(tmp_path_factory.mktemp("three"))) as standin:
        yield standin


def test_signature_is_dingtalks_and_the_window_is_an_hour() -> None:
    # as DingTalk documents it: base64 of HmacSHA256 over "timestamp\nsecret", keyed with the secret
    mac = hmac.new(b"this is secret", b"1577262236757\nthis is secret", hashlib.sha256).digest()
    assert signature("this is secret", "1577262236757") == base64.b64encode(mac).decode()
    now = 1_700_000_000_000
    good = signature("s", str(now - 3_599_000))
    assert signed("s", str(now - 3_599_000), good, now)
    assert not signed("s", str(now - 3_601_000), signature("s", str(now - 3_601_000)), now)
    assert not signed("s", str(now + 3_601_000), signature("s", str(now + 3_601_000)), now)
    assert not signed("s", str(now), signature("other", str(now)), now)
    assert not signed("s", "", "", now)


# -- Stream mode ------------------------------------------------------------------------------------


def test_stream_question_is_acknowledged_and_answered_with_figure_and_source(stream: DingtalkStandIn) -> None:
    ack = stream.push_text("u1", "三公经费多少？")
    assert ack.status == 200  # the SDK's ACK, sent before the answer
    [reply] = stream.take("cid-u1")
    assert reply.via == "webhook" and reply.kind == "markdown"
    assert f"**{SAMPLE_FIGURE}**" in reply.text and f"《{SAMPLE_TABLE}》，第 17 页" in reply.text
    assert reply.title.startswith("许昌市建安区")


def test_stream_follow_up_and_group_chat(stream: DingtalkStandIn) -> None:
    ask(stream, "u2", "三公经费多少？")
    [follow] = ask(stream, "u2", "那公务接待费呢？")
    assert "公务接待费：**0.20 万元**" in follow.text
    [in_group] = ask(stream, "u3", "三公经费多少？", group="cid-group-1")
    assert SAMPLE_FIGURE in in_group.text


def test_source_page_is_uploaded_and_sent_as_an_image(stream: DingtalkStandIn) -> None:
    ask(stream, "u4", "三公经费多少？")
    caption, image, *_ = ask(stream, "u4", "/source", count=4)  # two pages: a caption and an image each
    assert caption.kind == "markdown" and "第 17 页" in caption.text and "红框" in caption.text
    assert image.kind == "image" and image.via == "api" and image.media.startswith(b"\x89PNG")
    assert image.media_name == "page-17.png"


def test_export_is_sent_as_a_zipped_csv_file(stream: DingtalkStandIn) -> None:
    ask(stream, "u5", "三公经费多少？")
    caption, sent = ask(stream, "u5", "导出", count=2)
    assert "行）" in caption.text
    assert sent.kind == "file" and sent.media_name.endswith(".csv.zip")
    with zipfile.ZipFile(io.BytesIO(sent.media)) as archive:
        [name] = archive.namelist()
        rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert any("0.20" in row for row in rows[1:])


def test_a_repeated_delivery_is_answered_once(stream: DingtalkStandIn) -> None:
    stream.push_text("u6", "三公经费多少？", message_id="same-1")
    stream.push_text("u6", "三公经费多少？", message_id="same-1")
    stream.take("cid-u6")
    [help_reply] = ask(stream, "u6", "/help")  # answered in order: nothing else came before it
    assert help_reply.text.startswith(HELP_START)


def test_choices_are_action_card_buttons_that_answer_when_pressed(three: DingtalkStandIn) -> None:
    [card] = ask(three, "c1", "三公经费多少")
    assert card.kind == "actionCard" and len(card.buttons) == 3
    button = next(b for b in card.buttons if SAMPLE_CHOICE in b[0])
    three.press("c1", button)
    [chosen] = three.take("cid-c1")
    assert f"已选择：{SAMPLE_CHOICE}" in chosen.text and SAMPLE_FIGURE in chosen.text
    [follow] = ask(three, "c1", "那公务接待费呢？")
    assert follow.text.startswith(f"**{SAMPLE_CHOICE}")
    [card] = ask(three, "c2", "三公经费多少")
    number = next(n for n, b in enumerate(card.buttons, start=1) if SAMPLE_CHOICE in b[0])
    assert SAMPLE_FIGURE in ask(three, "c2", str(number))[0].text


def test_after_the_session_webhook_expires_replies_go_by_the_openapi(three: DingtalkStandIn) -> None:
    three.webhook_minutes = 0  # messages from now on carry an already expired sessionWebhook
    try:
        [card] = ask(three, "c3", "三公经费多少")
        assert card.via == "api" and card.kind == "markdown"
        assert "dtmd://dingtalkclient/sendMessage?content=" in card.text  # the choices, as links
        [in_group] = ask(three, "c4", "许昌市建安区三公经费多少", group="cid-group-2")
        assert in_group.via == "api" and SAMPLE_FIGURE in in_group.text
    finally:
        three.webhook_minutes = 90


def until_help(standin: DingtalkStandIn, user: str, group: str = "") -> list[Sent]:
    """Everything still coming to the chat before the reply to a /help sent now (a chat's replies go in
    order): all the pieces of a reply whose length the test does not fix."""
    chat = group or f"cid-{user}"
    return messenger_helpers.until_help(lambda: standin.push_text(user, "/help", group), lambda: standin.take(chat))


def test_docs_use_sql_and_check_come_as_markdown(three: DingtalkStandIn) -> None:
    [docs] = ask(three, "m1", "/docs 建安")
    number, _, label = docs.text.split("\n", 1)[0].partition(". ")
    assert docs.kind == "markdown" and label == SAMPLE_CHOICE and "/use 序号" in docs.text
    [used] = ask(three, "m1", f"/use {number}")
    assert used.text.startswith(f"已选定：{SAMPLE_CHOICE}")
    [answer] = ask(three, "m1", "三公经费多少")  # about the chosen document: no choice offered
    assert answer.kind == "markdown" and SAMPLE_FIGURE in answer.text and "第 17 页" in answer.text
    [sql] = ask(three, "m1", "/sql")
    assert sql.text.startswith("```sql\n") and "select" in sql.text.lower() and "参数：" in sql.text
    three.push_text("m1", "/check")
    report = until_help(three, "m1")
    assert all(sent.kind == "markdown" for sent in report)
    assert report[0].text.startswith(f"**数字核对：{SAMPLE_CHOICE}**") and "【错误】" in report[0].text


def test_a_series_answer_and_chart_send_the_chart_as_an_uploaded_image(stream: DingtalkStandIn) -> None:
    answer, chart = ask(stream, "m2", "三公经费由哪些构成", count=2)
    assert answer.kind == "markdown" and "公务接待费：**0.20 万元**" in answer.text
    assert chart.kind == "image" and chart.via == "api" and chart.media.startswith(b"\x89PNG")
    assert chart.media_name == "chart.png"
    title, again = ask(stream, "m2", "/chart", count=2)
    assert title.kind == "markdown" and "“三公”经费的构成" in title.text
    assert again.kind == "image" and again.media.startswith(b"\x89PNG")


def test_rate_limit_warns_once_then_drops_and_holds_no_one_else_up(sample_db: Path) -> None:
    group = "cid-group-rate"
    with dingtalk_bot(sample_db, access=Access((), (), rate_limit_per_minute=2)) as standin:
        for _ in range(2):
            assert SAMPLE_FIGURE in ask(standin, "fast", "三公经费多少", group=group)[0].text
        [wait] = ask(standin, "fast", "三公经费多少", group=group)
        assert "每人每分钟最多 2 次" in wait.text
        standin.push_text("fast", "三公经费多少", group)  # over the limit again: not answered, not warned again
        assert until_help(standin, "other", group) == []  # and another user in the group is answered at once


# -- failures and retries ----------------------------------------------------------------------------


def test_busy_platform_is_retried_and_the_answer_arrives_once(stream: DingtalkStandIn) -> None:
    stream.fail_next("/robot/sendBySession", Failure(http_status=502), Failure(errcode=130101))
    stream.fail_next("/media/upload", Failure(http_status=429))
    stream.fail_next("/v1.0/robot/oToMessages/batchSend", Failure(http_status=503), Failure(code="Throttling"))
    before = dict(stream.requests)
    [answer] = ask(stream, "r1", "三公经费多少？")
    assert SAMPLE_FIGURE in answer.text
    assert stream.requests["/robot/sendBySession"] - before.get("/robot/sendBySession", 0) == 3
    stream.expire_tokens()  # the cached token is refused once: a new one is fetched, the image still goes
    tokens = stream.token_requests
    sent = ask(stream, "r1", "/source", count=4)
    assert [s.kind for s in sent] == ["markdown", "image", "markdown", "image"]
    assert stream.token_requests == tokens + 1
    [help_reply] = ask(stream, "r1", "/help")
    assert help_reply.text.startswith(HELP_START)  # nothing was sent twice


# -- access and the HTTP callback mode -----------------------------------------------------------


def test_users_not_allowed_are_refused_and_departments_are_looked_up(sample_db: Path) -> None:
    with dingtalk_bot(sample_db, access=Access(("boss",), ("7",), rate_limit_per_minute=100)) as standin:
        assert SAMPLE_FIGURE in ask(standin, "boss", "三公经费多少")[0].text
        assert SAMPLE_FIGURE in ask(standin, "clerk", "三公经费多少")[0].text  # in department 7
        assert ask(standin, "stranger", "三公经费多少")[0].text == REFUSED


def test_callback_mode_answers_signed_messages_and_refuses_the_rest(
    sample_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with dingtalk_bot(sample_db, mode="callback") as standin:
        answered = standin.push_text("h1", "三公经费多少？")
        assert answered.status == 200
        [reply] = standin.take("cid-h1")
        assert SAMPLE_FIGURE in reply.text and reply.via == "webhook"
        for tamper in ({"bad_sign": True}, {"age_seconds": 2 * 3600}, {"age_seconds": -2 * 3600}, {"unsigned": True}):
            refused = standin.push_text("h2", "三公经费多少？", **tamper)
            assert refused.status == 403, tamper
        [help_reply] = ask(standin, "h2", "/help")  # the first thing h2 gets: nothing refused was answered
        assert help_reply.text.startswith(HELP_START)
        secret = standin.secret
    assert "bad signature" in caplog.text
    assert secret not in caplog.text


def test_a_missing_secret_stops_start_up_with_the_variable_named() -> None:
    from bot.dingtalk import check_dingtalk
    from bot.settings import SettingsError

    settings = replace(load_settings(None).dingtalk, enabled=True, app_key="k", app_secret_env="NO_SUCH_VARIABLE_X")
    with pytest.raises(SettingsError, match="NO_SUCH_VARIABLE_X"):
        check_dingtalk(settings)
    with pytest.raises(SettingsError, match="app_key"):
        check_dingtalk(replace(settings, app_key=""))
