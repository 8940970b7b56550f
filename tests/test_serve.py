"""`budgetbot serve` as its own process, starting every platform config.toml enables: Telegram (against the
local Bot API stand-in) and 钉钉 (against its stand-in) side by side, answering from one database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.local_bot_api import LocalBotApi
from tests.conftest import ROOT
from tests.standins.dingtalk_api import APP_KEY, DingtalkStandIn

SAMPLE_FIGURE = "0.20 万元"
SECRET_ENV = "BUDGETBOT_TEST_SERVE_DINGTALK"


def config(folder: Path, database: Path, api: LocalBotApi | None, dingtalk: DingtalkStandIn | None) -> Path:
    lines = ["[database]", f'path = "{database}"', "[bot]", "workers = 1", "flood_control = false"]
    if api is not None:
        lines.append(f'api_base_url = "{api.base_url}"')
    if dingtalk is not None:
        lines += [
            "[dingtalk]",
            "enabled = true",
            f'api_base_url = "{dingtalk.base_url}"',
            f'oapi_base_url = "{dingtalk.base_url}"',
            f'app_key = "{APP_KEY}"',
            f'app_secret_env = "{SECRET_ENV}"',
        ]
    file = folder / "config.toml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file


def budgetbot(file: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "-v", "serve", "--config", str(file)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: object, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if process.poll() is not None:
            raise AssertionError(f"budgetbot serve ended: {process.communicate()[1]}")
        assert time.monotonic() < deadline, "budgetbot serve did not start"
        time.sleep(0.05)


def test_serve_starts_telegram_and_dingtalk_in_one_process(sample_db: Path, tmp_path: Path) -> None:
    with LocalBotApi() as api, DingtalkStandIn() as dingtalk:
        env = {"BUDGETBOT_TOKEN": api.token, SECRET_ENV: dingtalk.secret}
        process = budgetbot(config(tmp_path, sample_db, api, dingtalk), env)
        try:
            wait_for(lambda: bool(api.commands) and dingtalk.connections > 0, process)
            api.push_text(501, "三公经费多少？")
            dingtalk.push_text("d1", "三公经费多少？")
            assert SAMPLE_FIGURE in api.take(501)[0].text
            assert SAMPLE_FIGURE in dingtalk.take("cid-d1")[0].text
        finally:
            process.terminate()
            _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "serving: dingtalk, telegram" in err
    assert "everyone in the organisation can ask" in err  # open access is announced for each platform
    assert api.token not in err and dingtalk.secret not in err


def test_serve_runs_dingtalk_alone_when_telegram_has_no_token(sample_db: Path, tmp_path: Path) -> None:
    with DingtalkStandIn() as dingtalk:
        process = budgetbot(
            config(tmp_path, sample_db, None, dingtalk), {"BUDGETBOT_TOKEN": "", SECRET_ENV: dingtalk.secret}
        )
        try:
            wait_for(lambda: dingtalk.connections > 0, process)
            dingtalk.push_text("d2", "三公经费多少？")
            assert SAMPLE_FIGURE in dingtalk.take("cid-d2")[0].text
        finally:
            process.terminate()
            _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "serving: dingtalk\n" in err


def test_an_enabled_platform_without_its_secret_stops_start_up(sample_db: Path, tmp_path: Path) -> None:
    with LocalBotApi() as api, DingtalkStandIn() as dingtalk:
        env = {"BUDGETBOT_TOKEN": api.token, SECRET_ENV: ""}
        process = budgetbot(config(tmp_path, sample_db, api, dingtalk), env)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.strip().count("\n") == 0 and f"环境变量 {SECRET_ENV} 没有设置" in err
    assert not api.commands  # Telegram never started
