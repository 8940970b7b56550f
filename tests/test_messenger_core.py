"""The messengers' shared core (bot/messenger.py) over real DuckDB files: what every platform adapter
gets back for a message or a button press, before any platform is involved."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.conversation import NO_SOURCE, NO_SQL
from bot.messenger import EXPIRED, REFUSED, Access, MessengerCore, Reply, Sender, split_text
from queries.run import Answerer
from tests.standins.background import LoopThread
from tests.standins.documents import SAMPLE_CHOICE, three_documents

SAMPLE_FIGURE = "0.20 万元"  # 三公经费 of the sample, on page 17
SAMPLE_TABLE = "2021年一般公共预算“三公”经费支出情况表"
PNG = b"\x89PNG\r\n\x1a\n"
OPEN = Access((), (), rate_limit_per_minute=10_000)


class Driver:
    """A core on an event loop of its own (as an adapter runs it), called from the test's thread."""

    def __init__(self, database: Path, access: Access = OPEN, workers: int = 1) -> None:
        self.loop = LoopThread("messenger-core")
        self.core = MessengerCore(Answerer(database), access, workers)

    def say(self, user: str, text: str, chat: str = "", departments: tuple[str, ...] = ()) -> list[Reply]:
        return self.loop.run(self.core.message(Sender("test", user, chat or user, departments), text))

    def press(self, user: str, payload: str, chat: str = "") -> list[Reply]:
        return self.loop.run(self.core.press(Sender("test", user, chat or user), payload))

    def close(self) -> None:
        self.loop.run(self.core.close())
        self.loop.close()


@pytest.fixture(scope="module")
def sample(sample_db: Path) -> Iterator[Driver]:
    driver = Driver(sample_db)
    yield driver
    driver.close()


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    driver = Driver(three_documents(tmp_path_factory.mktemp("three")))
    yield driver
    driver.close()


def test_a_question_is_answered_with_figure_and_source_as_text_and_markdown(sample: Driver) -> None:
    [reply] = sample.say("u1", "三公经费多少？")
    assert f"“三公”经费：{SAMPLE_FIGURE}" in reply.text
    assert f"《{SAMPLE_TABLE}》，第 17 页" in reply.text
    assert f"**{SAMPLE_FIGURE}**" in reply.markdown and "第 17 页" in reply.markdown
    assert reply.markdown.startswith("**许昌市建安区") and not reply.buttons and reply.image is None


def test_a_follow_up_keeps_the_document_and_chats_are_apart(three: Driver) -> None:
    assert SAMPLE_FIGURE in three.say("u2", "许昌市建安区三公经费多少？")[0].text
    [follow] = three.say("u2", "那公务接待费呢？")
    assert follow.text.startswith(SAMPLE_CHOICE) and "公务接待费：0.20 万元" in follow.text
    [other] = three.say("u3", "那公务接待费呢？")  # a chat of its own: no document yet, so a choice
    assert len(other.buttons) == 3


def test_commands_and_their_chinese_words(sample: Driver) -> None:
    assert sample.say("u4", "/sql")[0].text == NO_SQL
    assert sample.say("u4", "来源")[0].text == NO_SOURCE
    assert "三公经费多少？" in sample.say("u4", "/help")[0].text
    assert "现有 1 份文档" in sample.say("u4", "/start")[0].text
    assert sample.say("u4", "文档")[0].text.startswith("1. 许昌市建安区")
    assert sample.say("u4", "/use 1")[0].text.startswith("已选定：许昌市建安区")
    sample.say("u4", "三公经费多少？")
    sql = sample.say("u4", "/sql")[0]
    assert "select" in sql.text.lower() and "参数：" in sql.text and sql.markdown.startswith("```sql")
    page, note_page = sample.say("u4", "/source")  # the table on page 17, the 情况说明 on page 5
    assert note_page.image_name == "page-5.png"
    assert page.image is not None and page.image.startswith(PNG) and page.image_name == "page-17.png"
    assert "第 17 页" in page.text and "红框" in page.text
    [export] = sample.say("u4", "导出")
    assert export.file is not None and export.file_name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(export.file.decode("utf-8-sig"))))
    assert any("0.20" in row for row in rows[1:])
    assert sample.say("u4", "核对")[0].text.startswith("数字核对：许昌市建安区")


def test_a_series_answer_carries_its_chart(sample: Driver) -> None:
    [reply] = sample.say("u5", "三公经费由哪些构成")
    assert reply.image is not None and reply.image.startswith(PNG) and reply.image_name == "chart.png"
    [chart] = sample.say("u5", "/chart")
    assert chart.image is not None and chart.image.startswith(PNG)


def test_a_choice_by_button_and_by_number(three: Driver) -> None:
    [offered] = three.say("c1", "三公经费多少")
    assert len(offered.buttons) == 3 and "1. " in offered.text
    assert all(len(button.payload.encode()) <= 64 for button in offered.buttons)
    sample_button = next(b for b in offered.buttons if SAMPLE_CHOICE in b.label)
    [chosen] = three.press("c1", sample_button.payload)
    assert chosen.text.startswith(f"已选择：{SAMPLE_CHOICE}") and SAMPLE_FIGURE in chosen.text
    assert "公务接待费：0.20 万元" in three.say("c1", "那公务接待费呢？")[0].text
    # the same buttons still answer after other questions, as long as the data has not changed
    assert SAMPLE_FIGURE in three.press("c1", sample_button.payload)[0].text

    [offered] = three.say("c2", "三公经费多少")
    number = next(n for n, b in enumerate(offered.buttons, start=1) if SAMPLE_CHOICE in b.label)
    assert SAMPLE_FIGURE in three.say("c2", str(number))[0].text


def test_a_button_that_no_longer_leads_to_its_choice_has_expired(three: Driver) -> None:
    [offered] = three.say("c3", "三公经费多少")
    payload = offered.buttons[0].payload
    assert three.press("c3", payload[:-8] + "00000000")[0].text == EXPIRED
    assert three.press("c3", "garbage")[0].text == EXPIRED
    assert three.press("c4", payload)[0].text == EXPIRED  # another chat never asked that question


def test_access_by_user_or_department(sample_db: Path) -> None:
    driver = Driver(sample_db, Access(("boss",), ("d7",), rate_limit_per_minute=100))
    try:
        assert SAMPLE_FIGURE in driver.say("boss", "三公经费多少")[0].text
        assert SAMPLE_FIGURE in driver.say("clerk", "三公经费多少", departments=("d1", "d7"))[0].text
        assert driver.say("stranger", "三公经费多少", departments=("d1",)) == [Reply(REFUSED)]
        assert driver.press("stranger", "x:y") == [Reply(REFUSED)]
    finally:
        driver.close()


def test_rate_limit_warns_once_and_long_questions_are_refused(sample_db: Path) -> None:
    driver = Driver(sample_db, Access((), (), rate_limit_per_minute=2, max_question_chars=20))
    try:
        assert SAMPLE_FIGURE in driver.say("r1", "三公经费多少")[0].text
        assert "太长" in driver.say("r1", "三" * 21)[0].text
        [wait] = driver.say("r1", "三公经费多少")
        assert "每分钟最多 2 次" in wait.text
        assert driver.say("r1", "三公经费多少") == []  # flooding: silence until the minute is over
        assert SAMPLE_FIGURE in driver.say("r2", "三公经费多少")[0].text  # others are not held up
    finally:
        driver.close()


def test_a_chats_messages_are_answered_in_order(three: Driver) -> None:
    async def both() -> list[list[Reply]]:
        sender = Sender("test", "o1", "o1")
        first = three.core.message(sender, "许昌市建安区三公经费多少")
        return list(await asyncio.gather(first, three.core.message(sender, "那公务接待费呢")))

    first, second = three.loop.run(both())
    assert SAMPLE_FIGURE in first[0].text
    assert second[0].text.startswith(SAMPLE_CHOICE) and "公务接待费：0.20 万元" in second[0].text


def test_worker_processes_answer_and_draw_like_the_thread(sample_db: Path) -> None:
    driver = Driver(sample_db, workers=2)
    try:
        assert SAMPLE_FIGURE in driver.say("w1", "三公经费多少")[0].text
        chart = driver.say("w1", "三公经费由哪些构成")[0].image
        assert chart is not None and chart.startswith(PNG)
    finally:
        driver.close()


def test_split_text_respects_bytes_and_keeps_every_character() -> None:
    text = "\n".join(["预算" * 30, "a" * 5, "三公经费" * 200, ""])
    pieces = split_text(text, 100)
    assert all(len(piece.encode()) <= 100 for piece in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert split_text("短", 100) == ["短"]
