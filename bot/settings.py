"""config.toml → typed, validated settings.

Every key has a default; an unknown key or a bad value stops start-up with the file, the key, the
value and what is accepted.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
CONFIG_NAME = "config.toml"


class SettingsError(Exception):
    """A configuration file that cannot be used; the message names file, key and the fix."""


@dataclass(frozen=True)
class DatabaseSettings:
    path: Path


@dataclass(frozen=True)
class CorpusSettings:
    folders: tuple[Path, ...]


@dataclass(frozen=True)
class IngestSettings:
    workers: int
    max_pages: int
    max_file_mb: int
    timeout_seconds: int
    cluster: str  # a Dask scheduler address, "local", or "" for this machine's processes

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True)
class BotSettings:
    token_env: str
    api_base_url: str
    allowed_user_ids: tuple[int, ...]
    allowed_chat_ids: tuple[int, ...]
    rate_limit_per_minute: int
    max_question_chars: int
    flood_control: bool
    mode: str
    webhook_url: str
    webhook_listen: str
    webhook_port: int
    workers: int  # processes that answer questions; 0 = one per CPU core

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True)
class WebSettings:
    host: str
    port: int
    token_env: str  # the environment variable holding the access token; unset or empty: no token


@dataclass(frozen=True)
class WecomSettings:
    """企业微信 / 政务微信: a self-built application's callback (bot/wecom.py)."""

    enabled: bool
    api_base_url: str  # 政务微信 and other private deployments have their own host
    corp_id: str  # CorpID: not a secret; also the receiveid inside every encrypted message
    agent_id: int
    secret_env: str  # the application's Secret (gettoken)
    token_env: str  # the callback's Token (msg_signature)
    aes_key_env: str  # the callback's EncodingAESKey (43 characters)
    allowed_user_ids: tuple[str, ...]
    allowed_departments: tuple[str, ...]
    rate_limit_per_minute: int
    listen_host: str
    listen_port: int
    path: str


@dataclass(frozen=True)
class FeishuSettings:
    """飞书: an app's bot, by long connection or HTTP event callback (bot/feishu.py)."""

    enabled: bool
    api_base_url: str
    mode: str  # "long_connection" (no public address) or "callback"
    app_id: str  # not a secret
    app_secret_env: str
    verification_token_env: str
    encrypt_key_env: str
    allowed_user_ids: tuple[str, ...]  # open_id (ou_...)
    allowed_departments: tuple[str, ...]  # open_department_id (od-...)
    rate_limit_per_minute: int
    listen_host: str
    listen_port: int
    path: str


@dataclass(frozen=True)
class DingtalkSettings:
    """钉钉 (浙政钉 and other private deployments): an enterprise-internal app's robot (bot/dingtalk.py)."""

    enabled: bool
    mode: str  # "stream" (the bot connects out, no public address) or "callback" (DingTalk posts to us)
    api_base_url: str  # the new OpenAPI host: access token, Stream gateway, robot messages
    oapi_base_url: str  # the old OpenAPI host: media upload, user lookup
    app_key: str  # Client ID (AppKey): not a secret
    robot_code: str  # the robot's code; empty: the same as app_key (an enterprise-internal app's robot)
    app_secret_env: str  # Client Secret (AppSecret): fetches tokens, and signs HTTP callbacks
    allowed_user_ids: tuple[str, ...]  # userid (staffId) as in the address book
    allowed_departments: tuple[str, ...]  # department ids (dept_id)
    rate_limit_per_minute: int
    listen_host: str
    listen_port: int
    path: str


@dataclass(frozen=True)
class Settings:
    file: Path | None
    database: DatabaseSettings
    corpus: CorpusSettings
    ingest: IngestSettings
    bot: BotSettings
    web: WebSettings
    wecom: WecomSettings
    feishu: FeishuSettings
    dingtalk: DingtalkSettings


Parser = Callable[[Any], Any]


def _whole(minimum: int, maximum: int | None = None) -> Parser:
    accepted = f"a whole number ≥ {minimum}" + (f" and ≤ {maximum}" if maximum is not None else "")

    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(accepted)
        if value < minimum or (maximum is not None and value > maximum):
            raise ValueError(accepted)
        return value

    return parse


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a string in quotes")
    return value


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.replace("_", "").isalnum():
        raise ValueError("an environment variable name such as BUDGETBOT_TOKEN")
    return value


def _ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValueError("a list of whole numbers such as [123456789], or [] for everyone")
    return tuple(value)


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError('a list of ids in quotes such as ["zhangsan"], or [] for everyone')
    return tuple(value)


def _url_path(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("/"):
        raise ValueError('a URL path starting with /, such as "/wecom"')
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _one_of(*choices: str) -> Parser:
    def parse(value: Any) -> str:
        if value not in choices:
            raise ValueError("one of " + ", ".join(f'"{c}"' for c in choices))
        return str(value)

    return parse


def _url(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError('a URL starting with http:// or https://, such as "https://api.telegram.org/bot"')
    return value


def _paths(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError('a list of folder paths such as ["samples"]')
    return tuple(value)


# section → key → (default, parser). Paths are resolved against the config file's folder.
SCHEMA: dict[str, dict[str, tuple[Any, Parser]]] = {
    "database": {"path": ("data/budget.duckdb", _text)},
    "corpus": {"folders": (["samples"], _paths)},
    "ingest": {
        "workers": (0, _whole(0, 256)),
        "max_pages": (2000, _whole(1)),
        "max_file_mb": (200, _whole(1)),
        "timeout_seconds": (300, _whole(1)),
        "cluster": ("", _text),
    },
    "bot": {
        "token_env": ("BUDGETBOT_TOKEN", _name),
        "api_base_url": ("https://api.telegram.org/bot", _url),
        "allowed_user_ids": ([], _ids),
        "allowed_chat_ids": ([], _ids),
        "rate_limit_per_minute": (20, _whole(1, 10_000)),
        "max_question_chars": (500, _whole(10, 4096)),
        "flood_control": (True, _bool),
        "mode": ("polling", _one_of("polling", "webhook")),
        "webhook_url": ("", _text),
        "webhook_listen": ("127.0.0.1", _text),
        "webhook_port": (8443, _whole(1, 65535)),
        "workers": (0, _whole(0, 64)),
    },
    "web": {
        "host": ("127.0.0.1", _text),
        "port": (8080, _whole(1, 65535)),
        "token_env": ("BUDGETBOT_WEB_TOKEN", _name),
    },
    "wecom": {
        "enabled": (False, _bool),
        "api_base_url": ("https://qyapi.weixin.qq.com", _url),
        "corp_id": ("", _text),
        "agent_id": (0, _whole(0)),
        "secret_env": ("WECOM_SECRET", _name),
        "token_env": ("WECOM_TOKEN", _name),
        "aes_key_env": ("WECOM_AES_KEY", _name),
        "allowed_user_ids": ([], _texts),
        "allowed_departments": ([], _texts),
        "rate_limit_per_minute": (20, _whole(1, 10_000)),
        "listen_host": ("127.0.0.1", _text),
        "listen_port": (8091, _whole(1, 65535)),
        "path": ("/wecom", _url_path),
    },
    "dingtalk": {
        "enabled": (False, _bool),
        "mode": ("stream", _one_of("stream", "callback")),
        "api_base_url": ("https://api.dingtalk.com", _url),
        "oapi_base_url": ("https://oapi.dingtalk.com", _url),
        "app_key": ("", _text),
        "robot_code": ("", _text),
        "app_secret_env": ("DINGTALK_APP_SECRET", _name),
        "allowed_user_ids": ([], _texts),
        "allowed_departments": ([], _texts),
        "rate_limit_per_minute": (20, _whole(1, 10_000)),
        "listen_host": ("127.0.0.1", _text),
        "listen_port": (8093, _whole(1, 65535)),
        "path": ("/dingtalk", _url_path),
    },
    "feishu": {
        "enabled": (False, _bool),
        "api_base_url": ("https://open.feishu.cn", _url),
        "mode": ("long_connection", _one_of("long_connection", "callback")),
        "app_id": ("", _text),
        "app_secret_env": ("FEISHU_APP_SECRET", _name),
        "verification_token_env": ("FEISHU_VERIFICATION_TOKEN", _name),
        "encrypt_key_env": ("FEISHU_ENCRYPT_KEY", _name),
        "allowed_user_ids": ([], _texts),
        "allowed_departments": ([], _texts),
        "rate_limit_per_minute": (20, _whole(1, 10_000)),
        "listen_host": ("127.0.0.1", _text),
        "listen_port": (8092, _whole(1, 65535)),
        "path": ("/feishu", _url_path),
    },
}


def find_config(explicit: Path | None) -> Path | None:
    """The --config file, else ./config.toml, else the repository's; None when there is none."""
    if explicit is not None:
        if not explicit.is_file():
            raise SettingsError(f"{explicit}: no such configuration file; check the --config path")
        return explicit
    for candidate in (Path.cwd() / CONFIG_NAME, REPOSITORY / CONFIG_NAME):
        if candidate.is_file():
            return candidate
    return None


def _section(file: str, name: str, raw: dict[str, Any]) -> dict[str, Any]:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise SettingsError(f"{file}: [{name}] must be a table of settings")
    spec = SCHEMA[name]
    unknown = sorted(set(table) - set(spec))
    if unknown:
        raise SettingsError(f"{file}: [{name}] has unknown key {unknown[0]!r}; accepted keys: {', '.join(spec)}")
    values: dict[str, Any] = {}
    for key, (default, parse) in spec.items():
        value = table.get(key, default)
        try:
            values[key] = parse(value)
        except ValueError as accepted:
            raise SettingsError(f"{file}: [{name}] {key} = {value!r} is not valid; expected {accepted}") from None
    return values


def env_secret(variable: str, what: str) -> str:
    """A secret from the environment variable the configuration names, or SettingsError saying which variable and
    what to put in it (secrets are never written in config.toml)."""
    value = os.environ.get(variable, "").strip()
    if not value:
        raise SettingsError(
            f"环境变量 {variable} 没有设置：把{what}放进这个变量（export {variable}=...）后再运行 budgetbot serve"
        )
    return value


def load_settings(config: Path | None = None, database: Path | None = None) -> Settings:
    """Read settings from `config` (see find_config); `database` overrides [database] path."""
    file = find_config(config)
    raw: dict[str, Any] = {}
    base = Path.cwd()
    if file is not None:
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError(f"{file}: not valid TOML ({error}); fix the line it names") from None
        base = file.resolve().parent
    unknown = sorted(set(raw) - set(SCHEMA))
    if unknown:
        raise SettingsError(f"{file}: unknown section [{unknown[0]}]; accepted sections: {', '.join(SCHEMA)}")
    where = str(file) if file else "defaults"
    sections = {name: _section(where, name, raw) for name in SCHEMA}
    db_path = database if database is not None else base / sections["database"]["path"]
    return Settings(
        file=file,
        database=DatabaseSettings(path=Path(db_path)),
        corpus=CorpusSettings(folders=tuple(base / f for f in sections["corpus"]["folders"])),
        ingest=IngestSettings(**sections["ingest"]),
        bot=BotSettings(**sections["bot"]),
        web=WebSettings(**sections["web"]),
        wecom=WecomSettings(**sections["wecom"]),
        feishu=FeishuSettings(**sections["feishu"]),
        dingtalk=DingtalkSettings(**sections["dingtalk"]),
    )
