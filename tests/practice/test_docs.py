"""docs/practice.md stays honest: every field, reaction, effect, option and code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from coachloop.practice import DEFAULT_EFFECTS, Reaction
from coachloop.practice.schema import (
    EndConditions,
    Fact,
    Persona,
    ReactionSpec,
    Scenario,
    State,
    SuccessCriteria,
)

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "practice.md").read_text(encoding="utf-8")


def documented_fields() -> set[str]:
    return set(re.findall(r"^\| `([a-z_.\[\]*]+)` \|", DOC, flags=re.M))


@pytest.mark.parametrize(
    ("prefix", "model"),
    [
        ("", Scenario),
        ("persona.", Persona),
        ("state.", State),
        ("facts[].", Fact),
        ("end.", EndConditions),
        ("success.", SuccessCriteria),
    ],
)
def test_every_field_is_documented(prefix: str, model: type[BaseModel]) -> None:
    fields = documented_fields()
    for name in model.model_fields:
        nested = any(f.startswith((f"{prefix}{name}.", f"{prefix}{name}[].")) for f in fields)
        assert f"{prefix}{name}" in fields or nested, name


def test_reaction_spec_fields_are_documented() -> None:
    for name in ReactionSpec.model_fields:
        assert f"`{name}`" in DOC


def test_the_reaction_table_matches_the_default_effects() -> None:
    rows = {
        m.group(1): tuple(float(x) for x in m.group(2, 3, 4))
        for m in re.finditer(
            r"^\| `([a-z_]+)` \| [^|]+ \| ([-+]\d\.\d\d) \| ([-+]\d\.\d\d) \| ([-+]\d\.\d\d) \|$",
            DOC,
            flags=re.M,
        )
    }
    assert set(rows) == {r.value for r in Reaction}
    for r, eff in DEFAULT_EFFECTS.items():
        assert rows[r.value] == (eff.openness, eff.defensiveness, eff.clarity), r


def test_every_error_code_is_documented() -> None:
    code = ROOT / "coachloop" / "practice"
    sources = [*code.glob("*.py"), ROOT / "coachloop" / "cli" / "cmd_practice.py"]
    used = {c for p in sources for c in re.findall(r'code="(CL6\d\d)"', p.read_text())}
    table = set(re.findall(r"^\| (CL6\d\d) \|", DOC, flags=re.M))
    assert used == table


def test_every_cli_option_is_documented() -> None:
    import inspect

    from coachloop.cli.cmd_practice import practice

    for param in inspect.signature(practice).parameters.values():
        flag = param.default.param_decls[0]  # type: ignore[attr-defined]
        assert flag in DOC, flag


def test_the_example_in_the_docs_is_a_valid_scenario() -> None:
    import yaml

    from coachloop.practice import parse_scenario

    block = DOC.split("### A complete example", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    sc = parse_scenario(yaml.safe_load(block), source="docs/practice.md")
    assert sc.id == "renewal-slipped" and len(sc.facts) == 2
