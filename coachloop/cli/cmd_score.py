"""``coachloop score``: score the manager of each transcript on the seven behaviours."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from coachloop.cli.cmd_inspect import check_input_format
from coachloop.cli.common import ReportFormat, handle_errors, report_error, run_each, warn

if TYPE_CHECKING:
    from rich.console import RenderableType

    from coachloop.roles import Roster
    from coachloop.scoring import ScoringConfig, ScoringContext

_FORMATS_HELP = (
    "Force a format instead of detecting it: zoom-vtt, teams-vtt, vtt, srt, google-meet, "
    "otter, text, whisper, whisperx, assemblyai, deepgram."
)
_SIGNALS_SHOWN = (
    ("talk_share", "talk share", "{:.0%}"),
    ("longest_monologue_s", "longest monologue", "{:.0f} s"),
    ("questions", "questions", "{}"),
    ("open_question_share", "open questions", "{:.0%}"),
    ("advice", "advice", "{}"),
    ("tell_before_ask", "tell before ask", "{}"),
    ("interruptions", "interruptions", "{}"),
    ("patience_s", "patience", "{:.1f} s"),
    ("feedback", "feedback", "{}"),
    ("evidence_feedback_share", "feedback with evidence", "{:.0%}"),
    ("coaching_topics", "skills coached", "{}"),
)


def score_file(
    path: Path,
    *,
    manager: str | None,
    roster: Roster | None,
    input_format: str | None,
    config: ScoringConfig,
    context: ScoringContext,
) -> dict[str, Any]:
    """Read, assign roles, score: the JSON object for one file."""
    from coachloop.readers import read_transcript
    from coachloop.roles import assign_roles
    from coachloop.scoring import score_meeting

    meeting = read_transcript(path, format=input_format)
    roles = assign_roles(meeting, manager=manager, roster=roster)
    if roles.inferred:
        warn(f"{path}: {roles.reason}")
    card = score_meeting(roles.meeting, config=config, context=context)
    return {"file": str(path), "manager_inferred": roles.inferred, **card.to_dict()}


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


def render_card(row: dict[str, Any]) -> RenderableType:
    """A readable scorecard: one line per behaviour with its score, change and evidence."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    guess = " (inferred)" if row.get("manager_inferred") else ""
    head = Text.assemble(
        (row["file"], "bold"),
        f" — manager {row['manager']}{guess}, {_clock(row['duration_s'])}",
    )
    table = Table(show_lines=True, expand=False)
    table.add_column("behaviour", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("to raise it / why no score", ratio=3)
    table.add_column("evidence", ratio=2)
    for behavior_id, b in row["behaviors"].items():
        score = "—" if b["score"] is None else str(b["score"])
        note = b["reason"] if b["score"] is None else b["why_not_higher"]
        ev = "\n".join(
            f"{_clock(e['start'])} “{e['quote']}” — {e['shows']}"
            if e["start"] is not None
            else f"“{e['quote']}” — {e['shows']}"
            for e in b["evidence"][:2]
        )
        table.add_row(behavior_id.replace("_", " "), score, Text(note), Text(ev))
    sig = row["signals"]
    parts = [
        f"{label} {fmt.format(sig[key])}"
        for key, label, fmt in _SIGNALS_SHOWN
        if sig.get(key) is not None
    ]
    caveats = [Text(f"caveat: {c}", style="yellow") for c in row.get("caveats", ())]
    return Group(
        head, Text("signals: " + " · ".join(parts), style="dim"), *caveats, table, Text("")
    )


def register(app: typer.Typer) -> None:
    @app.command("score")
    def score_cmd(
        files: list[Path] = typer.Argument(..., metavar="FILE...", help="Transcript files."),
        manager: str | None = typer.Option(
            None, "--manager", "-m", help="The manager: a speaker label, name or roster email."
        ),
        roster: Path | None = typer.Option(
            None, "--roster", help="Roster CSV (name,email,role,manager_email) to find the manager."
        ),
        input_format: str | None = typer.Option(
            None, "--input-format", "-f", help=_FORMATS_HELP, callback=check_input_format
        ),
        config_file: Path | None = typer.Option(
            None, "--config", "-c", help="YAML or TOML file overriding component settings."
        ),
        focus: str | None = typer.Option(
            None,
            "--focus",
            help="The cycle's focus topic (e.g. discovery), for one_behavior_per_cycle.",
        ),
        output: ReportFormat = typer.Option(
            ReportFormat.table, "--output", "-o", help="table or json."
        ),
    ) -> None:
        """Score the manager of each transcript on the seven coaching behaviours.

        Every score carries evidence (quote and time) and the change that would raise
        it; behaviours a transcript cannot show are null with a reason. A bad file
        prints one error line and the others are still scored (exit 2).

        Example: coachloop score 1on1.vtt --manager "Ana Ruiz" --output json
        """
        from coachloop.cli.common import emit_json, out_console
        from coachloop.scoring import ScoringContext, default_config, load_config

        with handle_errors():
            config = load_config(config_file) if config_file else default_config()
            context = ScoringContext(focus_topic=focus)
            loaded_roster = None
            if roster is not None:
                from coachloop.roles import load_roster

                loaded_roster = load_roster(roster)

        done, failed = run_each(
            files,
            lambda p: score_file(
                p,
                manager=manager,
                roster=loaded_roster,
                input_format=input_format,
                config=config,
                context=context,
            ),
            label="scoring",
        )
        for _path, exc in failed:
            report_error(exc)
        rows = [row for _, row in done]
        if output is ReportFormat.json:
            emit_json(rows)
        else:
            for row in rows:
                out_console.print(render_card(row))
        if failed:
            raise typer.Exit(2)
