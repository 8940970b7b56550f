"""`budgetbot serve` as its own process, starting every platform config.toml enables: Telegram (against the
local Bot API stand-in), 钉钉, 企业微信 and 飞书 (each against its stand-in) side by side, answering from one
database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.local_bot_api import LocalBotApi
from tests.conftest import ROOT
from tests.standins.dingtalk_api import APP_KEY, DingtalkStandIn
from tests.standins.feishu_api import FeishuStandIn, private_chat
from tests.standins.wecom_api import WecomStandIn

SAMPLE_FIGURE = "0.20 万元"
SAMPLE_PAGE = "第 17 页"
SECRET_ENV = "BUDGETBOT_TEST_SERVE_DINGTALK"
# the names config.toml gives the 企业微信 and 飞书 secrets' variables in these tests
WECOM_ENV = ("BUDGETBOT_TEST_SERVE_WECOM_SECRET", "BUDGETBOT_TEST_SERVE_WECOM_TOKEN", "BUDGETBOT_TEST_SERVE_WECOM_AES")
FEISHU_ENV = ("BUDGETBOT_TEST_SERVE_FEISHU_SECRET", "BUDGETBOT_TEST_SERVE_FEISHU_VT", "BUDGETBOT_TEST_SERVE_FEISHU_EK")


def config(
    folder: Path,
    database: Path,
    api: LocalBotApi | None,
    dingtalk: DingtalkStandIn | None,
    wecom: tuple[WecomStandIn, int] | None = None,
    feishu: FeishuStandIn | None = None,
) -> Path:
    """config.toml for the platforms given; 企业微信's callback listens on the port given with its stand-in,
    飞书 uses its long connection (no port)."""
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
    if wecom is not None:
        standin, port = wecom
        lines += [
            "[wecom]",
            "enabled = true",
            f'api_base_url = "{standin.base_url}"',
            f'corp_id = "{standin.corp_id}"',
            f"agent_id = {standin.agent_id}",
            *(
                f'{key} = "{name}"'
                for key, name in zip(("secret_env", "token_env", "aes_key_env"), WECOM_ENV, strict=True)
            ),
            f"listen_port = {port}",
        ]
    if feishu is not None:
        keys = ("app_secret_env", "verification_token_env", "encrypt_key_env")
        lines += [
            "[feishu]",
            "enabled = true",
            'mode = "long_connection"',
            f'api_base_url = "{feishu.base_url}"',
            f'app_id = "{feishu.app_id}"',
            *(f'{key} = "{name}"' for key, name in zip(keys, FEISHU_ENV, strict=True)),
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


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


def test_serve_runs_all_four_platforms_in_one_process_and_stops_cleanly(sample_db: Path, tmp_path: Path) -> None:
    port = free_port()
    with LocalBotApi() as api, DingtalkStandIn() as dingtalk, WecomStandIn() as wecom, FeishuStandIn() as feishu:
        secrets = {
            "BUDGETBOT_TOKEN": api.token,
            SECRET_ENV: dingtalk.secret,
            **dict(zip(WECOM_ENV, (wecom.secret, wecom.token, wecom.aes_key), strict=True)),
            **dict(zip(FEISHU_ENV, (feishu.app_secret, feishu.verification_token, feishu.encrypt_key), strict=True)),
        }
        process = budgetbot(config(tmp_path, sample_db, api, dingtalk, (wecom, port), feishu), secrets)
        wecom.callback_url = f"http://127.0.0.1:{port}/wecom"
        try:
            wait_for(lambda: bool(api.commands) and dingtalk.connections > 0 and listening(port), process)
            feishu.wait_connected()
            api.push_text(601, "三公经费多少")
            dingtalk.push_text("d3", "三公经费多少")
            wecom.push_text("w3", "三公经费多少")
            feishu.push_text("ou_f3", "三公经费多少")
            answers = {
                "telegram": api.take(601)[0].text,
                "dingtalk": dingtalk.take("cid-d3")[0].text,
                "wecom": wecom.take("w3")[0].text,
                "feishu": feishu.take(private_chat("ou_f3"))[0].text,
            }
            for platform, text in answers.items():
                assert SAMPLE_FIGURE in text and SAMPLE_PAGE in text, (platform, text)
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "serving: dingtalk, wecom, feishu, telegram" in err
    assert "Traceback" not in err
    for name, secret in secrets.items():
        assert secret not in out and secret not in err, f"the value of {name} was logged"


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
