"""``coachloop validate``: recompute the validation table on the public datasets."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from coachloop.cli.common import emit_json, err_console, handle_errors, write_between_markers

_BEGIN = "<!-- validation:begin -->"
_END = "<!-- validation:end -->"


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate(
        datasets: Path = typer.Option(
            ...,
            "--datasets",
            help="Folder with mrda/ and ami/ (see shared/datasets/README.md).",
            file_okay=False,
        ),
        write: Path | None = typer.Option(
            None,
            "--write",
            help="Rewrite the tables between the validation markers of this Markdown file "
            "and the figures in the .json beside it.",
        ),
        check: Path | None = typer.Option(
            None,
            "--check",
            help="Recorded figures (JSON); exit 1 if any F1 fell (or error rose) by more "
            "than the tolerance.",
        ),
    ) -> None:
        """Recompute question/directive/interruption figures (MRDA test), talk share and
        overlap (AMI test) and the hand-labelled test set.

        Example: coachloop validate --datasets ../shared/datasets --check docs/validation.json
        """
        from coachloop.validation import TOLERANCE, render_markdown, run_validation
        from coachloop.validation import check as check_figures

        with handle_errors():
            figures = run_validation(datasets)
        if write is not None:
            command = f"coachloop validate --datasets {datasets} --write {write}"
            table = render_markdown(figures, command=command)
            write_between_markers(write, _BEGIN, _END, table)
            write.with_suffix(".json").write_text(json.dumps(figures, indent=2) + "\n")
            err_console.print(f"wrote {write} and {write.with_suffix('.json')}")
        if check is not None:
            if not check.is_file():
                err_console.print(f"coachloop: recorded figures not found: {check}")
                raise typer.Exit(2)
            problems = check_figures(figures, json.loads(check.read_text()))
            for line in problems:
                err_console.print(f"regression: {line}", markup=False)
            if problems:
                raise typer.Exit(1)
            err_console.print(
                f"validation: no figure below the recorded one (tolerance {TOLERANCE})"
            )
        if write is None and check is None:
            emit_json(figures)
