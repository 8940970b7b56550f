"""企业微信 / 政务微信 end to end: the adapter (bot/wecom.py) serving its callback on loopback, the stand-in
platform (tests/standins/wecom_api.py) calling it with signed, encrypted messages and serving the API the
bot replies through, over real DuckDB files ingested from the sample PDF."""

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
from bot.messenger import EXPIRED, REFUSED, Button, Reply
from bot.platform_api import Backoff
from bot.settings import SettingsError, WecomSettings, load_settings
from bot.wecom import WecomBot, WecomSecrets, read_secrets, template_card
from bot.wecom_crypto import WecomCrypto, WecomCryptoError, signature
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
from tests.standins.wecom_api import Failure, Sent, WecomStandIn

FAST = Backoff(attempts=8, first=0.02, longest=0.2)


@contextmanager
def wecom_bot(
    database: Path, standin: WecomStandIn, passive_seconds: float = 4.0, **overrides: Any
) -> Iterator[WecomBot]:
    """A WecomBot on its own event loop, its callback registered with `standin`."""
    settings = loopback_settings(
        load_settings(None).wecom, standin.base_url, corp_id=standin.corp_id, agent_id=standin.agent_id, **overrides
    )

    async def start() -> WecomBot:
        secrets = WecomSecrets(standin.secret, standin.token, standin.aes_key)
        bot = WecomBot(
            settings, messenger_core(database, settings), secrets, passive_seconds=passive_seconds, backoff=FAST
        )
        await bot.start()
        return bot

    with bot_on_loop("wecom-bot", start) as bot:
        standin.callback_url = f"http://127.0.0.1:{bot.port}{settings.path}"
        yield bot


@pytest.fixture(scope="module")
def standin() -> Iterator[WecomStandIn]:
    with WecomStandIn(departments={"carol": [7, 12], "dave": [3]}) as server:
        yield server


@pytest.fixture(scope="module")
def sample_bot(sample_db: Path, standin: WecomStandIn) -> Iterator[WecomStandIn]:
    with wecom_bot(sample_db, standin):
        yield standin


@pytest.fixture(scope="module")
def three_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return three_documents(tmp_path_factory.mktemp("wecom-three"))


def ask(standin: WecomStandIn, user: str, text: str, count: int = 1) -> list[Sent]:
    standin.push_text(user, text)
    return standin.take(user, count)


def until_help(standin: WecomStandIn, user: str) -> list[Sent]:
    """Everything still coming to `user` before the reply to a /help sent now."""
    return messenger_helpers.until_help(lambda: standin.push_text(user, "/help"), lambda: standin.take(user))


def assert_quiet(standin: WecomStandIn, user: str) -> None:
    """Nothing more reaches `user`: a chat's messages are delivered in order, so the reply to a /help sent now
    must be the next thing `user` receives."""
    [reply] = ask(standin, user, "/help")
    assert reply.text.startswith(HELP_START), f"sent to {user} before the /help's reply: {reply}"


# -- the encryption, against WeCom's own documented example ---------------------------------------


def test_crypto_decrypts_wecom_documented_example() -> None:
    # 企业微信's sample (加解密库 example): Token QDG6eK, CorpID wx5823bf96d3bd56c7, this EncodingAESKey.
    crypto = WecomCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
    echostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
    assert signature("QDG6eK", "1409659589", "263014780", echostr) == "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
    crypto.verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", echostr, now=1409659600)
    assert crypto.decrypt(echostr) == "1616140317555161061"
    message = "<xml><Content><![CDATA[三公经费多少？]]></Content></xml>" * 7  # several 32-byte blocks
    assert crypto.decrypt(crypto.encrypt(message)) == message
    with pytest.raises(WecomCryptoError, match="CorpID"):
        WecomCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "another").decrypt(echostr)
    with pytest.raises(WecomCryptoError, match="window"):
        crypto.verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", echostr, now=1409669589)
    with pytest.raises(WecomCryptoError, match="43"):
        WecomCrypto("t", "too-short", "c")


# -- callbacks ------------------------------------------------------------------------------------


def test_url_verification_answers_the_decrypted_echostr(sample_bot: WecomStandIn) -> None:
    answer = sample_bot.verify_url()
    assert answer.status == 200 and answer.body.isdigit()
    assert sample_bot.verify_url(tamper="signature").status == 403


def test_question_is_answered_passively_with_figure_table_and_page(sample_bot: WecomStandIn) -> None:
    pushed = sample_bot.push_text("zhangsan", "三公经费多少？")
    [reply] = sample_bot.take("zhangsan")
    assert pushed.status == 200 and "<Encrypt>" in pushed.body
    assert reply.via == "passive" and reply.msgtype == "text"
    assert f"“三公”经费：{SAMPLE_FIGURE}" in reply.text
    assert f"《{SAMPLE_TABLE}》，第 17 页" in reply.text


def test_follow_up_asks_about_the_same_document(sample_bot: WecomStandIn) -> None:
    ask(sample_bot, "lisi", "三公经费多少？")
    [reply] = ask(sample_bot, "lisi", "那公务接待费呢？")
    assert "公务接待费" in reply.text and SAMPLE_FIGURE in reply.text
    assert "第 17 页" in reply.text


def test_source_page_is_uploaded_and_sent_as_an_image(sample_bot: WecomStandIn) -> None:
    ask(sample_bot, "wangwu", "三公经费多少？")
    caption, image = ask(sample_bot, "wangwu", "/source", 2)
    assert caption.via == "api" and "第 17 页" in caption.text and "红框" in caption.text
    assert image.msgtype == "image" and image.media.startswith(b"\x89PNG") and image.media_name == "page-17.png"


def test_export_is_sent_as_a_csv_file(sample_bot: WecomStandIn) -> None:
    ask(sample_bot, "zhaoliu", "三公经费多少？")
    caption, file = ask(sample_bot, "zhaoliu", "/export", 2)
    assert "1 行" in caption.text or "行）" in caption.text
    assert file.msgtype == "file" and file.media_name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(file.media.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert any("0.2" in cell for row in rows[1:] for cell in row)


def test_a_message_delivered_twice_is_answered_once(sample_bot: WecomStandIn) -> None:
    sample_bot.push_text("sunqi", "三公经费多少？", times=2)
    [reply] = sample_bot.take("sunqi")
    assert SAMPLE_FIGURE in reply.text
    assert_quiet(sample_bot, "sunqi")


def test_forged_or_replayed_callbacks_are_refused_and_the_secrets_stay_out_of_the_log(
    sample_bot: WecomStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for tamper in ("signature", "timestamp"):
        refused = sample_bot.push_text("zhouba", "三公经费多少？", tamper=tamper)
        assert refused.status == 403 and refused.body == "forbidden"
    assert_quiet(sample_bot, "zhouba")
    assert "msg_signature does not match" in caplog.text and "window" in caplog.text
    for secret in (sample_bot.secret, sample_bot.token, sample_bot.aes_key):
        assert secret not in caplog.text


def test_a_series_answer_and_chart_send_the_chart_as_an_uploaded_image(sample_bot: WecomStandIn) -> None:
    answer, chart = ask(sample_bot, "xuer", "三公经费由哪些构成", 2)
    assert answer.via == "api" and "公务接待费：0.20 万元" in answer.text  # with an image: not passive
    assert chart.msgtype == "image" and chart.media.startswith(b"\x89PNG") and chart.media_name == "chart.png"
    title, again = ask(sample_bot, "xuer", "图表", 2)
    assert "“三公”经费的构成" in title.text
    assert again.msgtype == "image" and again.media.startswith(b"\x89PNG")


# -- replies by API -------------------------------------------------------------------------------


def test_slow_answers_go_by_api_with_one_cached_token(sample_db: Path) -> None:
    with WecomStandIn() as standin, wecom_bot(sample_db, standin, passive_seconds=0):
        pushed = standin.push_text("qianjiu", "三公经费多少？")
        [reply] = standin.take("qianjiu")
        assert pushed.status == 200 and pushed.body == ""
        assert reply.via == "api" and SAMPLE_FIGURE in reply.text
        [follow] = ask(standin, "qianjiu", "那公务接待费呢？")
        assert follow.via == "api" and "公务接待费" in follow.text
        assert standin.token_requests == 1


def test_rate_limits_and_server_errors_are_retried_and_the_answer_arrives_once(sample_db: Path) -> None:
    with WecomStandIn() as standin, wecom_bot(sample_db, standin, passive_seconds=0):
        standin.fail_next("gettoken", Failure(http_status=502))
        standin.fail_next(
            "message/send",
            Failure(http_status=503),
            Failure(errcode=45009),
            Failure(http_status=429),
            Failure(errcode=-1),
        )
        [reply] = ask(standin, "wuyi", "三公经费多少？")
        assert SAMPLE_FIGURE in reply.text
        assert standin.requests["message/send"] == 5
        standin.expire_tokens()  # the cached token stops working: fetched again, the reply still sent once
        standin.fail_next("media/upload", Failure(errcode=45033))
        file = ask(standin, "wuyi", "/export", 2)[1]
        assert file.msgtype == "file" and standin.token_requests == 2
        assert_quiet(standin, "wuyi")


# -- access and choices ---------------------------------------------------------------------------


def test_only_allowed_users_and_departments_are_answered(sample_db: Path) -> None:
    access: dict[str, Any] = {"allowed_user_ids": ("alice",), "allowed_departments": ("12",)}
    with WecomStandIn(departments={"carol": [7, 12], "dave": [3]}) as standin, wecom_bot(sample_db, standin, **access):
        for user in ("alice", "carol"):
            assert SAMPLE_FIGURE in ask(standin, user, "三公经费多少？")[0].text
        for user in ("dave", "mallory"):  # another department; not in the address book
            [refusal] = ask(standin, user, "三公经费多少？")
            assert refusal.text == REFUSED


def test_choices_come_as_a_template_card_whose_buttons_answer(three_db: Path) -> None:
    with WecomStandIn() as standin, wecom_bot(three_db, standin):
        text, card = ask(standin, "chen", "三公经费多少", 2)
        assert "1. " in text.text and text.via == "api"
        assert card.msgtype == "template_card" and len(card.buttons) == 3
        labels = card.body["template_card"]["sub_title_text"].split("\n")  # the choices in full
        chosen = card.buttons[next(n for n, label in enumerate(labels) if SAMPLE_CHOICE in label)]
        standin.press("chen", chosen["key"], card.body["template_card"]["task_id"])
        [answer] = standin.take("chen")
        assert answer.text.startswith(f"已选择：{SAMPLE_CHOICE}") and SAMPLE_FIGURE in answer.text
        standin.press("chen", chosen["key"][:-8] + "00000000")
        assert standin.take("chen")[0].text == EXPIRED
        ask(standin, "lin", "三公经费多少", 2)
        [numbered] = ask(standin, "lin", "2")  # a number chooses too
        assert "“三公”经费" in numbered.text and not numbered.text.startswith("已选择：")


def test_docs_use_sql_and_check_come_as_text_within_wecoms_limit(three_db: Path) -> None:
    with WecomStandIn() as standin, wecom_bot(three_db, standin):
        [docs] = ask(standin, "he", "/docs 建安")
        number, _, label = docs.text.split("\n", 1)[0].partition(". ")
        assert docs.via == "passive" and label == SAMPLE_CHOICE and "/use 序号" in docs.text
        [used] = ask(standin, "he", f"/use {number}")
        assert used.text.startswith(f"已选定：{SAMPLE_CHOICE}")
        [answer] = ask(standin, "he", "三公经费多少")  # about the chosen document: no choice offered
        assert answer.msgtype == "text" and SAMPLE_FIGURE in answer.text and "第 17 页" in answer.text
        standin.push_text("he", "/sql")
        sql = "\n".join(sent.text for sent in until_help(standin, "he"))
        assert "select" in sql.lower() and "参数：" in sql
        standin.push_text("he", "核对")
        report = until_help(standin, "he")  # longer than one text message: in pieces, in order
        assert all(sent.msgtype == "text" and len(sent.text.encode()) <= 2048 for sent in report)
        assert report[0].text.startswith(f"数字核对：{SAMPLE_CHOICE}")
        assert "【错误】" in "\n".join(sent.text for sent in report)


def test_rate_limit_warns_once_then_drops_and_holds_no_one_else_up(sample_db: Path) -> None:
    with WecomStandIn() as standin, wecom_bot(sample_db, standin, rate_limit_per_minute=2):
        for _ in range(2):
            assert SAMPLE_FIGURE in ask(standin, "kuai", "三公经费多少")[0].text
        [wait] = ask(standin, "kuai", "三公经费多少")
        assert "每人每分钟最多 2 次" in wait.text
        dropped = standin.push_text("kuai", "三公经费多少")  # over the limit again: not answered, not warned
        assert dropped.status == 200 and dropped.body == ""
        assert SAMPLE_FIGURE in ask(standin, "bie", "三公经费多少")[0].text  # others are not held up
        assert standin.pending("kuai") == []


def test_template_card_keeps_to_wecom_limits() -> None:
    reply = Reply(
        "选择", buttons=tuple(Button(f"{n}. 上海市普陀区财政局 2024年部门决算", f"k{n}") for n in range(1, 9))
    )
    card = template_card(reply)["template_card"]
    assert len(card["button_list"]) == 6 and all(len(b["text"]) <= 10 for b in card["button_list"])


def test_missing_secrets_stop_start_up_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    settings: WecomSettings = replace(load_settings(None).wecom, enabled=True, corp_id="ww1", agent_id=1000002)
    for name in (settings.secret_env, settings.token_env, settings.aes_key_env):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SettingsError, match=settings.secret_env):
        read_secrets(settings)
    monkeypatch.setenv(settings.secret_env, "s")
    monkeypatch.setenv(settings.token_env, "t")
    monkeypatch.setenv(settings.aes_key_env, "short")
    with pytest.raises(SettingsError, match="43"):
        read_secrets(settings)
