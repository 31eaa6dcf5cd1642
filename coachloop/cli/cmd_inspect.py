"""``coachloop inspect``: what is in these transcript files (format, length, who talks how long)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from coachloop.cli.common import ReportFormat, out_console, report_error, run_each, warn
from coachloop.model import Meeting

_FORMATS_HELP = (
    "Force a format instead of detecting it: zoom-vtt, teams-vtt, vtt, srt, google-meet, "
    "otter, text, whisper, whisperx, assemblyai, deepgram."
)


def check_input_format(value: str | None) -> str | None:
    """Typer callback: refuse an unknown ``--input-format`` with the list of choices."""
    from coachloop.readers import FORMATS

    if value is not None and value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(FORMATS)}")
    return value


def read_one(path: Path, input_format: str | None) -> Meeting:
    from coachloop.readers import read_transcript

    return read_transcript(path, format=input_format)


def warn_skipped(file: str, meeting: Meeting) -> None:
    skipped = meeting.meta.get("skipped") or []
    if skipped:
        places = "; ".join(
            ", ".join(
                p
                for p in (
                    f"line {s['line']}" if s.get("line") is not None else "",
                    f"cue {s['cue']}" if s.get("cue") is not None else "",
                )
                if p
            )
            or "?"
            for s in skipped[:5]
        )
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        warn(
            f"{file}: left out {len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} without text ({places}{more})"
        )


def clock(seconds: float) -> str:
    whole = round(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def summary(file: str, meeting: Meeting) -> dict[str, Any]:
    timed_ends = any(u.end is not None for u in meeting.utterances)
    talk = meeting.talk_time()
    total = sum(talk.values())
    counts = dict.fromkeys(talk, 0)
    words = dict.fromkeys(talk, 0)
    for utt in meeting.utterances:
        counts[utt.speaker] += 1
        words[utt.speaker] += utt.n_words
    return {
        "file": file,
        "format": meeting.source_format,
        "title": meeting.title,
        "started_at": meeting.started_at.isoformat() if meeting.started_at else None,
        "duration": round(meeting.duration, 3),
        "utterances": len(meeting.utterances),
        "skipped": len(meeting.meta.get("skipped") or []),
        "speakers": [
            {
                "label": s.label,
                "name": s.name,
                "utterances": counts[s.label],
                "words": words[s.label],
                "talk_time": round(talk[s.label], 3) if timed_ends else None,
                "talk_share": round(talk[s.label] / total, 3) if timed_ends and total else None,
            }
            for s in meeting.speakers
        ],
        "id": meeting.id,
    }


def _table(rows: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    table = Table("file", "format", "duration", "utterances", "speaker", "talk time", "words")
    table.columns[0].overflow = "fold"
    for col in table.columns[1:4]:
        col.no_wrap = True
    untimed = False
    for row in rows:
        for k, spk in enumerate(row["speakers"]):
            if spk["talk_time"] is None:
                untimed = True
                talk = "-"
            else:
                share = f" ({spk['talk_share']:.0%})" if spk["talk_share"] is not None else ""
                talk = clock(spk["talk_time"]) + share
            head = (
                [row["file"], row["format"], clock(row["duration"]), str(row["utterances"])]
                if k == 0
                else ["", "", "", ""]
            )
            table.add_row(*head, spk["name"] or spk["label"], talk, str(spk["words"]))
    if untimed:
        table.caption = "talk time '-': the format has no end times"
    return table


def register(app: typer.Typer) -> None:
    @app.command("inspect")
    def inspect_cmd(
        files: list[Path] = typer.Argument(..., metavar="FILE", help="Transcript files."),
        input_format: str | None = typer.Option(
            None, "--input-format", "-f", help=_FORMATS_HELP, callback=check_input_format
        ),
        output: ReportFormat = typer.Option(
            ReportFormat.table, "--output", "-o", help="table or json."
        ),
    ) -> None:
        """Show each transcript's format, duration, speakers with talk time and utterance count.

        Example: coachloop inspect standup.vtt 1on1.json --output json
        """

        def work(path: Path) -> dict[str, Any]:
            meeting = read_one(path, input_format)
            warn_skipped(str(path), meeting)
            return summary(str(path), meeting)

        done, failed = run_each(files, work, label="reading")
        for _, exc in failed:
            report_error(exc)
        rows = [row for _, row in done]
        if output is ReportFormat.json:
            from coachloop.cli.common import emit_json

            emit_json(rows)
        elif rows:
            out_console.print(_table(rows))
        if failed:
            raise typer.Exit(2)
