"""The Telegram bot end to end: a real python-telegram-bot Application talking HTTP to the local
stand-in Bot API server (benchmarks/local_bot_api.py), over real DuckDB files ingested from real PDFs."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pypdfium2 as pdfium
import pytest

from benchmarks.local_bot_api import BOT_USERNAME, Call, LocalBotApi, parse_html
from bot.conversation import COMMANDS, EXPORT_COLUMNS, NO_CHECK, NO_SQL, digest
from bot.pages import page_png
from bot.render import to_html, to_text
from bot.settings import load_settings
from bot.telegram_app import APOLOGY, DATABASE_DOWN, EXPIRED, REFUSED, BudgetBot, serving_in_thread, webhook_secret
from queries.run import Answerer
from tests.conftest import REAL_CORPUS, ROOT, SAMPLE_PDF, ingest_into
from tests.corpus import documents_present
from tests.test_source_marks import drawn_region, inside, printed_at

SAMPLE_FIGURE = "0.20 万元"  # 三公经费, 2021年一般公共预算“三公”经费支出情况表, p17 of the sample
SAMPLE_TABLE = "2021年一般公共预算“三公”经费支出情况表"


@contextmanager
def telegram_bot(database: Path, api: LocalBotApi | None = None, **settings: Any) -> Iterator[LocalBotApi]:
    """A BudgetBot serving `database` through the local Bot API server (`api`, or a new one)."""
    defaults: dict[str, Any] = {"allowed_user_ids": (), "allowed_chat_ids": (), "rate_limit_per_minute": 10_000}
    with ExitStack() as stack:
        server = api or stack.enter_context(LocalBotApi())
        bot_settings = replace(load_settings(None).bot, api_base_url=server.base_url, **{**defaults, **settings})
        bot = BudgetBot(bot_settings, Answerer(database))
        with serving_in_thread(bot, server.token):
            server.wait_until(lambda: bool(server.commands))
            yield server
        server.commands = []


def stored_messages(database: Path) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        return [message for (message,) in con.execute("select message from findings order by seq").fetchall()]


def ask(api: LocalBotApi, user: int, text: str, count: int = 1, chat: int | None = None, **kw: Any) -> list[Call]:
    api.push_text(user, text, chat_id=chat, **kw)
    return api.take(user if chat is None else chat, count)


HELP_START = "直接输入"  # how /help's reply begins


def assert_quiet(api: LocalBotApi, chat: int, by: int | None = None, reply: str = HELP_START) -> None:
    """Nothing more is sent to `chat`. Absence cannot be awaited, but order can: the bot answers a chat's
    updates in the order they came (ChatOrder), so a /help sent now is answered after everything the earlier
    updates would send, and its reply must be the next thing the chat receives. `by` sends the /help (the
    chat's own user by default); `reply` is how that reply begins."""
    group = chat < 0
    user = chat if by is None else by
    api.push_text(
        user, f"/help@{BOT_USERNAME}" if group else "/help", chat_id=chat, chat_type="group" if group else "private"
    )
    [next_reply] = api.take(chat)
    assert next_reply.text.startswith(reply), f"sent to chat {chat} before the /help's reply: {next_reply.text!r}"


@pytest.fixture(scope="module")
def sample_bot(sample_db: Path) -> Iterator[LocalBotApi]:
    with telegram_bot(sample_db) as api:
        yield api


@pytest.fixture(scope="module")
def real_bot(real_db: Path) -> Iterator[LocalBotApi]:
    with telegram_bot(real_db) as api:
        yield api


# -- commands and questions -----------------------------------------------------------------------


def test_start_registers_the_commands_in_chinese_and_greets(sample_db: Path) -> None:
    with telegram_bot(sample_db) as api:
        assert [(c["command"], c["description"]) for c in api.commands] == list(COMMANDS)
        reply = ask(api, 101, "/start")[0]
    assert reply.method == "sendMessage"
    assert "现有 1 份文档" in reply.text
    assert "三公经费多少？" in reply.text and "/source" in reply.text


def test_question_is_answered_with_figure_unit_table_and_page(sample_bot: LocalBotApi) -> None:
    reply = ask(sample_bot, 102, "三公经费多少？")[0]
    assert reply.params["parse_mode"] == "HTML"
    assert f"“三公”经费：<b>{SAMPLE_FIGURE}</b>" in reply.params["text"]
    assert f"《{SAMPLE_TABLE}》，第 17 页" in reply.text
    assert "情况说明第5页写作 0.2万元，与表格一致" in reply.text


def test_follow_up_asks_about_the_same_document(sample_bot: LocalBotApi) -> None:
    ask(sample_bot, 103, "三公经费多少？")
    reply = ask(sample_bot, 103, "那公务接待费呢？")[0]
    assert reply.text.startswith("许昌市建安区政务服务和大数据管理局 2021年部门预算：公务接待费")
    assert "• 公务接待费：0.20 万元" in reply.text


def test_help_lists_examples_by_topic(sample_bot: LocalBotApi) -> None:
    reply = ask(sample_bot, 104, "/help")[0]
    assert "【一个数字】" in reply.text and "【表格与页码】" in reply.text


def test_docs_and_use_choose_the_document(sample_bot: LocalBotApi) -> None:
    docs = ask(sample_bot, 105, "/docs 建安")[0]
    assert "1. 许昌市建安区政务服务和大数据管理局 2021年部门预算" in docs.text
    used = ask(sample_bot, 105, "/use 1")[0]
    assert used.text.startswith("已选定：许昌市建安区政务服务和大数据管理局")
    assert "（当前）" in ask(sample_bot, 105, "/docs")[0].text
    assert "没有文档的名称包含“静安”" in ask(sample_bot, 105, "/docs 静安")[0].text
    assert ask(sample_bot, 105, "/use 20")[0].text.startswith("没有第 20 份文档：序号是 1 到 1")
    assert ask(sample_bot, 105, "/use 建安 2021")[0].text.startswith("已选定：许昌市建安区")


def test_sql_shows_the_query_and_its_parameters(sample_bot: LocalBotApi) -> None:
    assert ask(sample_bot, 106, "/sql")[0].text == NO_SQL
    ask(sample_bot, 106, "三公经费多少？")
    replies: list[Call] = []
    sample_bot.push_text(106, "/sql")
    while not replies or not replies[-1].text.startswith("参数："):
        replies += sample_bot.take(106)
    assert all(r.params["text"].startswith("<pre>") for r in replies)
    sql = "\n".join(r.text for r in replies[:-1])
    assert "from figures" in sql.lower()
    params = json.loads(replies[-1].text.removeprefix("参数："))
    assert params["concepts"] == ["“三公”经费"]


def test_source_sends_the_cited_page_as_an_image(sample_bot: LocalBotApi) -> None:
    ask(sample_bot, 107, "三公经费多少？")
    # Both cited pages (the table's and the narrative's) arrive before this thread touches PDFium: the bot
    # renders the second on its own thread meanwhile, and PDFium is not thread-safe (a race here crashed
    # the test process with SIGTRAP, once in several runs).
    photo, narrative = ask(sample_bot, 107, "/source", count=2)
    assert narrative.method == "sendPhoto" and "《情况说明》" in narrative.text
    assert photo.method == "sendPhoto"
    assert f"《{SAMPLE_TABLE}》第 17 页" in photo.text
    assert "红框" in photo.text
    image = photo.files["photo"][1]
    assert image.startswith(b"\x89PNG")
    document = pdfium.PdfDocument(str(SAMPLE_PDF))
    assert "三公" in document[16].get_textpage().get_text_range()  # the page shown is the one that prints it
    document.close()
    # page 17 with the cited 0.20 boxed: the image differs from the plain page around that figure
    region = drawn_region(image, page_png(SAMPLE_PDF, 17))
    assert [p for p in printed_at(SAMPLE_PDF, 17, "0.20") if inside(p, region)]


def test_export_sends_the_rows_as_csv(sample_bot: LocalBotApi) -> None:
    ask(sample_bot, 108, "三公经费由哪些构成")
    sent = ask(sample_bot, 108, "/export")[0]
    assert sent.method == "sendDocument"
    name, content = sent.files["document"]
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    by_item = {row["项目"]: row for row in rows}
    assert by_item["其中：公务接待费"]["原文数字"] == "0.20"
    assert by_item["其中：公务接待费"]["单位"] == "万元"
    assert by_item["其中：公务接待费"]["页"] == "17"
    assert by_item["其中：因公出国（境）费"]["数值"] == ""  # blank, not zero


def test_long_reply_is_split_at_line_boundaries(sample_bot: LocalBotApi, sample_answerer: Answerer) -> None:
    question = "显示财政拨款收支总表"
    whole = to_text(sample_answerer.answer(question))
    assert len(whole) > 4096
    sample_bot.push_text(109, question)
    replies = sample_bot.take(109, len(to_html(sample_answerer.answer(question))))
    assert len(replies) >= 2
    assert all(len(r.params["text"]) <= 4096 for r in replies)
    assert "\n".join(r.text for r in replies) == whole  # nothing lost, every break between lines
    for line in (line for r in replies for line in r.params["text"].split("\n")):
        parse_html(line)  # every line's markup is whole
    assert_quiet(sample_bot, 109)


# -- buttons ------------------------------------------------------------------------------------


def test_check_shows_the_findings_of_the_current_document(sample_bot: LocalBotApi, sample_db: Path) -> None:
    assert ask(sample_bot, 110, "/check")[0].text == NO_CHECK
    ask(sample_bot, 110, "三公经费多少？")
    reply = ask(sample_bot, 110, "/check")[0]
    assert reply.text.startswith("数字核对：许昌市建安区政务服务和大数据管理局 2021年部门预算")
    assert "<b>【错误】</b>N01" in reply.params["text"]
    messages = stored_messages(sample_db)
    assert len(messages) >= 3 and all(message in reply.text for message in messages)


def test_check_names_a_document_in_its_argument(real_bot: LocalBotApi) -> None:
    reply = ask(real_bot, 211, "/check 财政局 2024 决算")[0]
    assert reply.text.startswith("数字核对：上海市普陀区财政局 2024年部门决算")
    assert "财政拨款收支总计0.3万元" in reply.text and "第 21 页" in reply.text
    finance = [d for d in documents_present(REAL_CORPUS) if "财政局" in d.body]
    assert ask(real_bot, 211, "/check 财政局")[0].text.startswith(f"有 {len(finance)} 份文档符合“财政局”")


def test_ambiguous_question_offers_buttons_that_answer_it(real_bot: LocalBotApi) -> None:
    question = ask(real_bot, 201, "三公经费多少")[0]
    buttons = question.keyboard
    assert len(buttons) >= 10
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    chosen = next(b for b in buttons if "上海市普陀区财政局 2024年部门决算" in b["text"])
    real_bot.push_callback(201, question, chosen["callback_data"])
    answered, edited, reply = real_bot.take(201, 3)
    assert answered.method == "answerCallbackQuery"
    assert edited.method == "editMessageText" and "上海市普陀区财政局 2024年部门决算" in edited.text
    assert reply.text.startswith("上海市普陀区财政局 2024年部门决算：“三公”经费")
    follow = ask(real_bot, 201, "那公务接待费呢？")[0]
    assert follow.text.startswith("上海市普陀区财政局 2024年部门决算：公务接待费")


def test_a_new_body_or_year_in_a_question_moves_the_context(real_bot: LocalBotApi) -> None:
    first = ask(real_bot, 202, "江苏省政协办公厅2019年三公经费")[0]
    assert first.text.startswith("江苏省政协办公厅 2019年")
    assert ask(real_bot, 202, "那会议费呢")[0].text.startswith("江苏省政协办公厅 2019年")
    moved = ask(real_bot, 202, "普陀区财政局2024年三公经费")[0]
    assert moved.text.startswith("上海市普陀区财政局 2024年")
    assert ask(real_bot, 202, "那公务接待费呢？")[0].text.startswith("上海市普陀区财政局 2024年")


def test_buttons_survive_a_restart(real_db: Path) -> None:
    with LocalBotApi() as api:
        with telegram_bot(real_db, api):
            question = ask(api, 203, "三公经费多少")[0]
        button = next(b for b in question.keyboard if "上海市普陀区财政局 2024年部门决算" in b["text"])
        with telegram_bot(real_db, api):  # a new process would have no memory either
            api.push_callback(203, question, button["callback_data"])
            reply = api.take(203, 3)[2]
    assert reply.text.startswith("上海市普陀区财政局 2024年部门决算：“三公”经费")


def test_a_button_that_no_longer_leads_to_its_choice_has_expired(real_bot: LocalBotApi) -> None:
    question = ask(real_bot, 204, "三公经费多少")[0]
    data = question.keyboard[0]["callback_data"]
    stale = data[: -len(digest(""))] + "00000000"
    real_bot.push_callback(204, question, stale)
    alert = real_bot.take(204)[0]
    assert alert.method == "answerCallbackQuery"
    assert alert.text == EXPIRED and alert.params["show_alert"] in (True, "true", "True")
    assert_quiet(real_bot, 204)


# -- access, limits, groups ---------------------------------------------------------------------


def test_unauthorised_user_gets_a_short_refusal_and_nothing_else(sample_db: Path) -> None:
    with telegram_bot(sample_db, allowed_user_ids=(301,)) as api:
        assert SAMPLE_FIGURE in ask(api, 301, "三公经费多少？")[0].text
        refusal = ask(api, 302, "三公经费多少？")[0]
        assert refusal.text == REFUSED
        assert_quiet(api, 302, reply=REFUSED)
        api.push_text(302, "/source")
        assert api.take(302)[0].text == REFUSED
        assert_quiet(api, 302, reply=REFUSED)


def test_allowed_chat_admits_its_members(sample_db: Path) -> None:
    with telegram_bot(sample_db, allowed_chat_ids=(-3001,)) as api:
        reply = ask(api, 303, f"@{BOT_USERNAME} 三公经费多少？", chat=-3001, chat_type="supergroup")[0]
        assert SAMPLE_FIGURE in reply.text
        assert ask(api, 303, "三公经费多少？")[0].text == REFUSED  # the same user, privately


def test_rate_limited_user_is_told_once_and_others_are_served(sample_db: Path) -> None:
    with telegram_bot(sample_db, rate_limit_per_minute=3) as api:
        for _ in range(3):
            assert SAMPLE_FIGURE in ask(api, 311, "三公经费多少？")[0].text
        assert ask(api, 311, "三公经费多少？")[0].text.startswith("提问太频繁了：每人每分钟最多 3 次")
        # over the limit again, in a group (the limit is the user's): a second member's /help there
        # shows that the bot has handled it and sent nothing
        api.push_text(311, f"@{BOT_USERNAME} 三公经费多少？", chat_id=-4311, chat_type="group")
        assert_quiet(api, -4311, by=313)
        assert SAMPLE_FIGURE in ask(api, 312, "三公经费多少？")[0].text


def test_over_long_question_is_refused_politely(sample_bot: LocalBotApi) -> None:
    reply = ask(sample_bot, 321, "三公经费" * 200)[0]
    assert reply.text.startswith("问题太长了（800 字）。请把问题缩短到 500 字以内")


def test_group_chat_answers_only_when_addressed(sample_bot: LocalBotApi) -> None:
    group = -4001
    sample_bot.push_text(331, "三公经费多少？", chat_id=group, chat_type="group")
    sample_bot.push_text(331, "/help@some_other_bot", chat_id=group, chat_type="group")
    assert_quiet(sample_bot, group, by=331)
    mentioned = ask(sample_bot, 331, f"@{BOT_USERNAME} 三公经费多少？", chat=group, chat_type="group")[0]
    assert SAMPLE_FIGURE in mentioned.text
    assert mentioned.params["reply_parameters"]["message_id"] > 0
    follow = ask(
        sample_bot, 332, "那公务接待费呢？", chat=group, chat_type="group", reply_to=mentioned.params["_message_id"]
    )
    assert "公务接待费：0.20 万元" in follow[0].text
    assert ask(sample_bot, 331, f"/help@{BOT_USERNAME}", chat=group, chat_type="group")[0].text.startswith("直接输入")


def test_html_in_a_question_is_escaped(sample_bot: LocalBotApi) -> None:
    reply = ask(sample_bot, 341, "<b>三公经费</b> & <script>多少")[0]
    assert reply.method == "sendMessage"  # the server refuses unescaped HTML, so a reply means it parsed


# -- failures -----------------------------------------------------------------------------------


def test_a_failed_telegram_call_is_logged_and_the_bot_keeps_serving(
    sample_bot: LocalBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.telegram_app")
    sample_bot.fail_next("sendMessage")
    assert ask(sample_bot, 351, "三公经费多少？")[0].text == APOLOGY
    assert "Traceback" in caplog.text or caplog.records[-1].exc_info is not None
    assert SAMPLE_FIGURE in ask(sample_bot, 351, "三公经费多少？")[0].text


def test_telegram_flood_control_is_waited_out_and_the_answer_arrives(sample_bot: LocalBotApi) -> None:
    sample_bot.fail_next("sendMessage", 429)
    reply = ask(sample_bot, 352, "三公经费多少？")[0]
    assert SAMPLE_FIGURE in reply.text
    assert_quiet(sample_bot, 352)


def test_unreadable_database_gets_an_apology_and_the_bot_recovers(
    sample_db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "budget.duckdb"
    shutil.copy(sample_db, database)
    with telegram_bot(database) as api:
        assert SAMPLE_FIGURE in ask(api, 361, "三公经费多少？")[0].text
        broken = tmp_path / "broken.duckdb"
        broken.write_bytes(b"this is not a database" * 100)
        os.replace(broken, database)
        assert ask(api, 361, "三公经费多少？")[0].text == DATABASE_DOWN
        shutil.copy(sample_db, tmp_path / "good.duckdb")
        os.replace(tmp_path / "good.duckdb", database)
        assert SAMPLE_FIGURE in ask(api, 361, "三公经费多少？")[0].text
    assert any(r.exc_info for r in caplog.records if r.name == "bot.telegram_app")


def test_database_replaced_by_ingest_is_served_without_restart(tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb"
    ingest_into(database)
    with telegram_bot(database) as api:
        assert ask(api, 371, "三公经费多少？")[0].text.startswith("数据库中还没有文档")
        summary = ingest_into(database, SAMPLE_PDF)
        assert summary.failures == []
        assert SAMPLE_FIGURE in ask(api, 371, "三公经费多少？")[0].text
        assert "现有 1 份文档" in ask(api, 371, "/start")[0].text


# -- the `budgetbot serve` command --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _config(tmp_path: Path, database: Path, api: LocalBotApi, **bot: Any) -> Path:
    lines = ["[database]", f'path = "{database}"', "[bot]", f'api_base_url = "{api.base_url}"']
    lines += [f"{key} = {json.dumps(value)}" for key, value in bot.items()]
    config = tmp_path / "config.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def _budgetbot(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_without_a_token_is_a_one_line_error(sample_db: Path, tmp_path: Path) -> None:
    with LocalBotApi() as api:
        process = _budgetbot("serve", "--config", str(_config(tmp_path, sample_db, api)), env={"BUDGETBOT_TOKEN": ""})
        _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.strip().count("\n") == 0
    assert "环境变量 BUDGETBOT_TOKEN 没有设置" in err


def test_serve_without_a_database_is_a_clear_error(tmp_path: Path) -> None:
    with LocalBotApi() as api:
        config = _config(tmp_path, tmp_path / "missing.duckdb", api)
        process = _budgetbot("serve", "--config", str(config), env={"BUDGETBOT_TOKEN": api.token})
        _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert f"数据库 {tmp_path / 'missing.duckdb'} 不存在；请先运行 budgetbot ingest" in err


def test_serve_answers_and_never_logs_the_token(sample_db: Path, tmp_path: Path) -> None:
    with LocalBotApi() as api:
        config = _config(tmp_path, sample_db, api)
        process = _budgetbot("-v", "serve", "--config", str(config), env={"BUDGETBOT_TOKEN": api.token})
        try:
            api.wait_until(lambda: bool(api.commands), timeout=60)
            assert SAMPLE_FIGURE in ask(api, 381, "三公经费多少？")[0].text
        finally:
            process.terminate()
            _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "anyone who finds the bot can use it" in err  # open access is announced
    assert "Application started" in err
    assert api.token not in err and api.token.split(":")[1] not in err


def test_webhook_mode_accepts_updates_with_the_secret_only(sample_db: Path, tmp_path: Path) -> None:
    port = _free_port()
    with LocalBotApi() as api:
        config = _config(
            tmp_path, sample_db, api, mode="webhook", webhook_url="https://bot.example.org/telegram", webhook_port=port
        )
        process = _budgetbot("serve", "--config", str(config), env={"BUDGETBOT_TOKEN": api.token})
        try:
            api.wait_until(lambda: bool(api.commands), timeout=60)
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": {"id": 391, "type": "private"},
                    "from": {"id": 391, "is_bot": False, "first_name": "记者"},
                    "text": "三公经费多少？",
                },
            }
            url = f"http://127.0.0.1:{port}/telegram"
            assert _post(url, update, "wrong-secret") == 403
            assert _post(url, update, webhook_secret(api.token)) == 200
            assert SAMPLE_FIGURE in api.take(391)[0].text
        finally:
            process.terminate()
            process.communicate(timeout=60)


def _post(url: str, payload: dict[str, Any], secret: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status: int = response.status
                return status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:  # the webhook server is still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_series_is_sent_as_a_chart_with_the_answer_as_caption(real_bot: LocalBotApi) -> None:
    # js-cppcc-office 2017 p31, 2018 p26, 2019 p27: “三公”经费 676.10, 675.10, 660.10 万元
    sent = ask(real_bot, 231, "江苏省政协办公厅历年三公经费")[0]
    assert sent.method == "sendPhoto"
    assert sent.files["photo"][1].startswith(b"\x89PNG")
    assert "2017年：<b>676.10 万元</b>" in sent.params["caption"]
    assert "2019年：<b>660.10 万元</b>" in sent.params["caption"]
    again = ask(real_bot, 231, "/chart")[0]
    assert again.method == "sendPhoto" and "三公" in again.text
    assert ask(real_bot, 231, "江苏省政协办公厅2018年三公经费")[0].method == "sendMessage"  # one value: no chart
    assert ask(real_bot, 231, "/chart")[0].text.startswith("上一答案不是一组数字")


def test_a_chart_drawn_in_an_answer_worker_is_the_one_drawn_on_the_bots_thread(
    real_db: Path, real_bot: LocalBotApi
) -> None:
    # real_bot answers and draws in worker processes (one per core); with one worker, the bot's thread does
    pooled = ask(real_bot, 232, "江苏省政协办公厅历年三公经费")[0]
    with telegram_bot(real_db, workers=1) as api:
        threaded = ask(api, 232, "江苏省政协办公厅历年三公经费")[0]
    assert pooled.method == threaded.method == "sendPhoto"
    assert pooled.files["photo"][1] == threaded.files["photo"][1]
    assert pooled.params["caption"] == threaded.params["caption"]
