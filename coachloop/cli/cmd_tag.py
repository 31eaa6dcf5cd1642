"""``coachloop tag``: one row per utterance with speaker, role and acts, for many files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from coachloop.cli.cmd_inspect import _FORMATS_HELP, check_input_format, read_one, warn_skipped
from coachloop.cli.common import (
    RowFormat,
    emit_csv,
    handle_errors,
    out_console,
    report_error,
    run_each,
    warn,
)

COLUMNS = ("file", "index", "speaker", "role", "start", "end", "text", "acts")


def tag_rows(
    path: Path, input_format: str | None, manager: str | None, roster: Any
) -> list[dict[str, Any]]:
    """Read, assign roles, tag acts; one dict per utterance (the CLI's unit of work)."""
    from coachloop.acts import tag_meeting
    from coachloop.roles import assign_roles

    file = str(path)
    meeting = read_one(path, input_format)
    warn_skipped(file, meeting)
    assignment = assign_roles(meeting, manager=manager, roster=roster)
    if assignment.inferred or assignment.manager_label is None:
        warn(
            f"{file}: manager {assignment.reason}"
            if assignment.inferred
            else f"{file}: {assignment.reason}"
        )
    meeting = assignment.meeting
    roles = {s.label: s.role.value for s in meeting.speakers}
    acts = tag_meeting(meeting)
    return [
        {
            "file": file,
            "index": utt.index,
            "speaker": utt.speaker,
            "role": roles[utt.speaker],
            "start": round(utt.start, 3),
            "end": None if utt.end is None else round(utt.end, 3),
            "text": utt.text,
            "acts": sorted(acts[utt.index]),
        }
        for utt in meeting.utterances
    ]


def register(app: typer.Typer) -> None:
    @app.command("tag")
    def tag_cmd(
        files: list[Path] = typer.Argument(..., metavar="FILE", help="Transcript files."),
        manager: str | None = typer.Option(
            None,
            "--manager",
            "-m",
            help="The manager: a display name or a diarisation label (SPEAKER_00, A, 0). "
            "Without it (and without a roster match) the manager is inferred and a note says so.",
        ),
        roster: Path | None = typer.Option(
            None, "--roster", help="Roster CSV: name,email,role,manager_email."
        ),
        input_format: str | None = typer.Option(
            None, "--input-format", "-f", help=_FORMATS_HELP, callback=check_input_format
        ),
        output: RowFormat = typer.Option(
            RowFormat.table, "--output", "-o", help="table, jsonl or csv."
        ),
    ) -> None:
        """One row per utterance: file, index, speaker, role, start, end, text, acts.

        Example: coachloop tag 1on1.vtt --manager "Ana Silva" --output jsonl
        """
        loaded = None
        if roster is not None:
            from coachloop.roles import load_roster

            with handle_errors():
                loaded = load_roster(roster)
        done, failed = run_each(
            files, lambda p: tag_rows(p, input_format, manager, loaded), label="tagging"
        )
        for _, exc in failed:
            report_error(exc)
        rows = [row for _, file_rows in done for row in file_rows]
        if output is RowFormat.jsonl:
            sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        elif output is RowFormat.csv:
            emit_csv([{**r, "acts": ";".join(r["acts"])} for r in rows], COLUMNS)
        elif rows:
            from rich.table import Table

            table = Table(*COLUMNS)
            for r in rows:
                table.add_row(
                    r["file"],
                    str(r["index"]),
                    r["speaker"],
                    r["role"],
                    f"{r['start']:.3f}",
                    "" if r["end"] is None else f"{r['end']:.3f}",
                    r["text"],
                    ", ".join(r["acts"]),
                )
            out_console.print(table)
        if failed:
            raise typer.Exit(2)
