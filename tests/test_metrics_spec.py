"""docs/metrics.md stays in step with the registered components and their defaults."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from coachloop.scoring import BEHAVIORS, SIGNALS, SPEC_VERSION, Component

SPEC = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"
HEADING = re.compile(r"^### `([^`]+)`\s*$", re.MULTILINE)
SETTING = re.compile(r"`([a-z_][a-z0-9_.]*) = ([^`]+)`")


def sections(text: str) -> dict[str, str]:
    """Component name -> the text of its section (up to the next heading)."""
    found = list(HEADING.finditer(text))
    out: dict[str, str] = {}
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        body = text[match.end() : end]
        body = re.split(r"^## ", body, flags=re.MULTILINE)[0]
        out[match.group(1)] = body
    return out


def flatten(config: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in config.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def documented_config(body: str) -> dict[str, Any]:
    """The settings on a section's '**Default config:**' line(s)."""
    match = re.search(r"\*\*Default config:\*\*(.*?)(?:\n\*\*|\Z)", body, re.DOTALL)
    assert match, "no **Default config:** line"
    text = match.group(1)
    if text.strip().rstrip(".") == "none":
        return {}
    return {key: float(value) for key, value in SETTING.findall(text)}


SPEC_TEXT = SPEC.read_text(encoding="utf-8")
SECTIONS = sections(SPEC_TEXT)
COMPONENTS: list[Component] = [*SIGNALS, *BEHAVIORS]


def test_the_spec_is_versioned_like_the_code() -> None:
    first_lines = SPEC_TEXT.splitlines()[:4]
    assert f"Spec version: {SPEC_VERSION}" in first_lines
    assert f"- {SPEC_VERSION} — " in SPEC_TEXT, "the changelog has no entry for this version"


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.name)
def test_every_registered_component_has_a_section(component: Component) -> None:
    assert component.name in SECTIONS, f"docs/metrics.md has no section '### `{component.name}`'"
    body = SECTIONS[component.name]
    for part in ("**Definition.**", "**Formula.**", "**Thresholds and sources.**", "**Limits.**"):
        assert part in body, f"{component.name}: section lacks {part}"


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.name)
def test_documented_defaults_equal_the_code(component: Component) -> None:
    expected = {k: float(v) for k, v in flatten(component.default_config).items()}
    assert documented_config(SECTIONS[component.name]) == expected


@pytest.mark.parametrize("component", [c for c in SIGNALS], ids=lambda c: c.name)
def test_rep_signals_say_so(component: Component) -> None:
    assert ("Also for the rep." in SECTIONS[component.name]) is component.for_rep


def test_no_section_for_a_component_that_does_not_exist() -> None:
    assert set(SECTIONS) - {c.name for c in COMPONENTS} == set()


def test_parser_finds_a_missing_section() -> None:
    """The check above can fail: a spec without a section is caught."""
    trimmed = SPEC_TEXT.replace("### `talk_share.v1`", "### talk share")
    assert "talk_share.v1" not in sections(trimmed)
    assert documented_config("**Default config:** `a.b = 0.5`, `c = 2`.\n**Limits.**") == {
        "a.b": 0.5,
        "c": 2.0,
    }
