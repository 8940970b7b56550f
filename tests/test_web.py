"""`budgetbot web`, run as a real process over the shared corpus's database, asked over HTTP and in a
real browser (the system's Chromium, driven by Playwright).

Figures expected here are read from the PDF pages: 万里街道 2025 部门预算 p29 (table) and p30 (说明):
“三公”经费 37.91 万元, 公务接待费 1.35 万元.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect, sync_playwright

from tests.conftest import REAL_CORPUS, ROOT
from tests.corpus import documents_present

SCREENSHOT = os.environ.get("BUDGETBOT_SCREENSHOT")  # where to save the page answering (README picture)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_web(database: Path, folder: Path, per_minute: int, token: str = "") -> Iterator[str]:
    config = folder / "config.toml"
    config.write_text(f"[bot]\nrate_limit_per_minute = {per_minute}\nmax_question_chars = 200\n", encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETBOT_WEB_TOKEN": token}
    command = [sys.executable, "-m", "bot.cli", "web", "--config", str(config), "--db", str(database)]
    process = subprocess.Popen(
        [*command, "--port", str(port)], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/documents?token={token}", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"budgetbot web did not start: {process.stderr.read()!r}") from None  # type: ignore[union-attr]
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from start_web(real_db, tmp_path_factory.mktemp("web"), per_minute=1000)


def call(url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            kind = response.headers.get("Content-Type", "")
            return response.status, json.loads(raw) if "json" in kind else raw
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# ---- the API ------------------------------------------------------------------------------------


def test_ask_returns_the_ask_json_object_with_image_urls(server: str, real_db: Path) -> None:
    status, data = call(f"{server}/api/ask", {"question": "万里街道2025年三公经费多少"})
    assert status == 200
    assert data["status"] == "answered" and data["template"] == "item_figure"
    assert data["values"][0]["printed"] == "37.91" and data["values"][0]["unit"] == "万元"
    cli = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "万里街道2025年三公经费多少", "--json", "--db", str(real_db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    same = json.loads(cli.stdout)
    assert {k: v for k, v in data.items() if k not in ("session", "images", "csv")} == same
    pages = data["images"]["pages"]
    assert [p["file_page"] for p in pages] == [29, 30]
    status, image = call(server + pages[0]["url"])
    assert status == 200 and image.startswith(b"\x89PNG")
    assert data["images"]["chart"] is None  # one value: no chart
    status, csv = call(server + data["csv"])
    assert status == 200 and "37.91" in csv.decode("utf-8-sig")


def test_a_series_comes_with_its_chart(server: str) -> None:
    status, data = call(f"{server}/api/ask", {"question": "江苏省政协办公厅历年三公经费"})
    assert status == 200 and data["chart"] == "line"
    status, image = call(server + data["images"]["chart"])
    assert status == 200 and image.startswith(b"\x89PNG")


def test_documents_and_check(server: str) -> None:
    status, documents = call(f"{server}/api/documents")
    assert status == 200 and len(documents) == len(documents_present(REAL_CORPUS))
    wanli = next(d for d in documents if d["body"] == "上海市普陀区人民政府万里街道办事处" and d["year"] == 2025)
    status, findings = call(f"{server}/api/check?document={wanli['id']}")
    assert status == 200 and findings[0]["document"]["id"] == wanli["id"]
    status, error = call(f"{server}/api/check?document=nothing")
    assert status == 404 and "/api/documents" in error["error"]


def test_bad_requests_are_refused_with_a_reason(server: str) -> None:
    status, error = call(f"{server}/api/ask", {"question": "三" * 300})
    assert status == 413 and "200" in error["error"]
    status, error = call(f"{server}/api/ask", {"document": "x"})
    assert status == 400 and "question" in error["error"]
    status, error = call(f"{server}/page/nothing/none.pdf/1.png")
    assert status == 404
    status, error = call(f"{server}/page/x/y.pdf/1.png?mark=1:a,b")
    assert status == 400 and "mark" in error["error"]


def test_the_token_and_the_rate_limit(real_db: Path, tmp_path: Path) -> None:
    for base in start_web(real_db, tmp_path, per_minute=2, token="s3cret"):
        status, error = call(f"{base}/api/ask", {"question": "三公经费多少"})
        assert status == 401 and "令牌" in error["error"]
        with_token = {"Authorization": "Bearer s3cret"}
        assert call(f"{base}/api/ask", {"question": "万里街道2025年三公经费多少"}, with_token)[0] == 200
        assert call(f"{base}/api/ask", {"question": "万里街道2025年公务接待费"}, with_token)[0] == 200
        status, error = call(f"{base}/api/ask", {"question": "万里街道2025年会议费"}, with_token)
        assert status == 429 and "稍等" in error["error"]


# ---- the page, in a real browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Page]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "no system Chromium; scripts/setup.sh --dev installs the Debian package chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        yield page
        browser.close()


def test_the_page_answers_offers_choices_marks_the_source_and_follows_up(server: str, browser_page: Page) -> None:
    page = browser_page
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:  # an alert() would mean user text ran as script
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(server + "/")
    page.fill("#question", "万里街道三公经费")
    page.click("#send")
    choices = page.locator(".answer .choices button")
    expect(choices).to_have_count(2)
    expect(choices.nth(1)).to_contain_text("2025")
    choices.nth(1).click()
    answer = page.locator(".answer[data-status=answered]").last
    expect(answer.locator("pre")).to_contain_text("37.91 万元")
    source = answer.locator("figure.source-page img").first
    expect(source).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=source.element_handle())
    assert "mark=" in (source.get_attribute("src") or "")
    expect(answer.locator("figcaption").first).to_contain_text("红框")
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True)
    # a follow-up stays with the chosen document
    page.fill("#question", "那公务接待费呢？")
    page.click("#send")
    follow = page.locator(".answer[data-status=answered]").nth(1)
    expect(follow.locator("pre")).to_contain_text("1.35 万元")
    expect(follow.locator("pre")).to_contain_text("2025")
    # user text is shown as text, never run
    hostile = "<script>alert(1)</script>三公经费"
    page.fill("#question", hostile)
    page.click("#send")
    expect(page.locator(".question").last).to_have_text(hostile)
    expect(page.locator(".answer").last).to_be_visible()
    assert page.locator("main script").count() == 0
    assert dialogs == []
