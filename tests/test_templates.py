"""The template catalogue: every shipped template loads; bad ones are refused with the reason."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from queries import catalogue
from queries.catalogue import load_catalogue, parse_template, validated_cache
from queries.errors import TemplateError

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "data" / "bad_templates.toml").read_text(encoding="utf-8")
)["cases"]


def test_shipped_templates_load_with_metadata() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) >= 40
    for template in catalogue.values():
        assert template.title and template.description and template.examples


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_template_is_refused(case: dict[str, Any]) -> None:
    with pytest.raises(TemplateError) as error:
        parse_template(case["name"], case["text"])
    assert case["error"] in str(error.value)
    assert str(error.value).startswith(f"template {case['name']}")


def test_validated_sql_is_remembered_and_a_changed_template_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    catalogue._validated.cache_clear()
    try:
        text = (Path(catalogue.__file__).parent / "templates" / "documents.sql").read_text(encoding="utf-8")
        parse_template("documents.sql", text)
        remembered = validated_cache().read_text(encoding="utf-8").split()
        assert len(remembered) == 1  # the SQL that passed, by its hash
        changed = text.replace("from documents", "from documentz", 1)
        assert changed != text
        with pytest.raises(TemplateError, match="reads unknown table 'documentz'"):
            parse_template("documents.sql", changed)
        assert validated_cache().read_text(encoding="utf-8").split() == remembered
    finally:
        catalogue._validated.cache_clear()
