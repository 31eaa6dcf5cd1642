"""Every command a user can type is documented somewhere they will look."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from coachloop.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(
    p.read_text(encoding="utf-8")
    for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", _commands())
def test_command_is_documented(name: str) -> None:
    assert f"coachloop {name}" in DOCS, (
        f"`coachloop {name}` appears in no doc (README.md, docs/*.md)"
    )


def test_there_are_commands() -> None:
    assert {
        "inspect",
        "tag",
        "score",
        "ingest",
        "cycle",
        "practice",
        "serve",
        "sim",
        "demo",
    } <= set(_commands())
