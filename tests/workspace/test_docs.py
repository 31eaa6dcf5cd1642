"""Every workspace command has help with an example and a place in docs/workspace.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.cli import app

DOC = (Path(__file__).parents[2] / "docs" / "workspace.md").read_text(encoding="utf-8")
COMMANDS = [
    "roster import",
    "roster list",
    "ingest",
    "meetings",
    "workspace info",
    "calendar import",
    "calendar scores",
    "ratings import",
    "ratings import-rep",
    "kpi import",
    "kpi list",
    "cycle",
    "curves",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_documented_with_example(command: str) -> None:
    assert f"coachloop {command}" in DOC
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Example: coachloop " + command in " ".join(result.stdout.split())
