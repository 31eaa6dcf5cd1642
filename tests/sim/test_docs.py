"""docs/simulation.md and docs/demo.md stay in step with the code."""

import re
from pathlib import Path

import pytest
import typer.main

from coachloop.cli import app
from coachloop.sim.kpis import DEFAULT_EFFECTS
from coachloop.sim.lines import count_templates, library

DOCS = Path(__file__).resolve().parents[2] / "docs"
SIM_DOC = (DOCS / "simulation.md").read_text(encoding="utf-8")
DEMO_DOC = (DOCS / "demo.md").read_text(encoding="utf-8")


def _options(command: str) -> set[str]:
    click_cmd = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    return {o for p in click_cmd.params for o in getattr(p, "opts", []) if o.startswith("--")}


@pytest.mark.parametrize(
    ("command", "doc"), [("sim", SIM_DOC), ("sim-check", SIM_DOC), ("demo", DEMO_DOC)]
)
def test_every_command_and_long_option_is_documented(command: str, doc: str) -> None:
    assert f"coachloop {command}" in doc
    missing = {o for o in _options(command) if o not in doc and o not in ("--output", "--help")}
    assert not missing, f"document {sorted(missing)} for coachloop {command}"


def test_template_counts_in_the_doc_are_the_library_s() -> None:
    lib = library()
    expected = (
        f"{count_templates()} templates ({count_templates(lib['manager'])} manager, "
        f"{count_templates(lib['rep'])} rep, {count_templates(lib['skills'])} per-skill"
    )
    assert expected in SIM_DOC


def test_kpi_effects_table_is_the_default_model() -> None:
    for metric in DEFAULT_EFFECTS:
        row = next(line for line in SIM_DOC.splitlines() if line.startswith(f"| `{metric.name}`"))
        for e in metric.effects:
            assert re.search(rf"{e.behavior} \+{e.coef:g} \({e.lag} wk\)", row), (metric.name, e)
        assert row.rstrip(" |").endswith(f"{metric.noise_sd:g}")
