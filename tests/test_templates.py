"""The template catalogue: every shipped template loads; bad ones are refused with the reason."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from queries.catalogue import load_catalogue, parse_template
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
