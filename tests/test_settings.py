"""config.toml → settings: defaults, overrides, and messages that name the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import REPOSITORY, SettingsError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return config


def test_repository_config_holds_the_defaults() -> None:
    settings = load_settings(REPOSITORY / "config.toml")
    assert settings.database.path == REPOSITORY / "data" / "budget.duckdb"
    assert settings.corpus.folders == (REPOSITORY / "samples",)
    assert settings.bot.token_env == "BUDGETBOT_TOKEN"
    assert settings.bot.allowed_user_ids == ()
    assert settings.ingest.worker_count >= 1


def test_empty_file_means_defaults_relative_to_the_file(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""))
    assert settings.database.path == tmp_path / "data" / "budget.duckdb"
    assert settings.bot.rate_limit_per_minute == 20


def test_db_option_overrides_the_file(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[database]\npath = "x.duckdb"\n'), tmp_path / "other.duckdb")
    assert settings.database.path == tmp_path / "other.duckdb"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[ingest]\nworkers = -1\n",
            "[ingest] workers = -1 is not valid; expected a whole number ≥ 0 and ≤ 256",
        ),
        ('[ingest]\nworkers = "two"\n', "[ingest] workers = 'two' is not valid; expected a whole number"),
        (
            '[bot]\nmode = "push"\n',
            '[bot] mode = \'push\' is not valid; expected one of "polling", "webhook"',
        ),
        (
            '[bot]\napi_base_url = "localhost"\n',
            "[bot] api_base_url = 'localhost' is not valid; expected a URL",
        ),
        (
            '[bot]\nallowed_user_ids = ["me"]\n',
            "[bot] allowed_user_ids = ['me'] is not valid; expected a list",
        ),
        ('[bot]\ntoken_env = "my token"\n', "expected an environment variable name"),
        ('[bot]\nflood_control = "yes"\n', "[bot] flood_control = 'yes' is not valid; expected true or false"),
        ("[bot]\ntoken = 1\n", "[bot] has unknown key 'token'; accepted keys: token_env"),
        ("[telegram]\n", "unknown section [telegram]; accepted sections: database, corpus, ingest, bot"),
        ("[bot\n", "not valid TOML"),
    ],
)
def test_bad_values_name_key_and_accepted_values(tmp_path: Path, text: str, message: str) -> None:
    config = write(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        load_settings(config)
    assert str(config) in str(error.value)
    assert message in str(error.value)


def test_missing_config_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no such configuration file"):
        load_settings(tmp_path / "nope.toml")
