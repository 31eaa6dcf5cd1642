"""The Markdown tables that ``validate --write`` and ``validate-audio --write`` keep."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from coachloop.cli.common import write_between_markers

B, E = "<!-- t:begin -->", "<!-- t:end -->"


def test_only_the_text_between_the_markers_changes(tmp_path: Path) -> None:
    page = tmp_path / "v.md"
    page.write_text(f"# Title\n\nprose\n\n{B}\nold table\n{E}\n\nmore prose\n")
    write_between_markers(page, B, E, "| new | table |\n")
    assert page.read_text() == f"# Title\n\nprose\n\n{B}\n| new | table |\n{E}\n\nmore prose\n"
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("text", ["no markers\n", f"{E}\nreversed\n{B}\n", f"{B}\nonly begin\n"])
def test_a_page_without_both_markers_is_refused_and_left_alone(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "v.md"
    page.write_text(text)
    with pytest.raises(typer.Exit) as exc:
        write_between_markers(page, B, E, "table\n")
    assert exc.value.exit_code == 2
    assert page.read_text() == text
    assert "has no" in capsys.readouterr().err


def test_a_missing_page_is_created_with_the_markers(tmp_path: Path) -> None:
    page = tmp_path / "new.md"
    write_between_markers(page, B, E, "t\n")
    assert page.read_text() == f"{B}\nt\n{E}\n"
