"""Workspace commands: ``roster``, ``ingest``, ``meetings``, ``workspace info``.

Every command takes ``--workspace DIR`` (or ``$COACHLOOP_WORKSPACE``); the database is the
SQLite file in it unless ``coachloop.toml`` or ``$COACHLOOP_DATABASE_URL`` names
PostgreSQL. The helpers here (``open_workspace``, ``emit_rows``) are shared by the other
workspace command modules (calendar, ratings, kpi, cycle, curves).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from coachloop.cli.common import (
    EXIT_BAD_INPUT,
    TableFormat,
    emit_csv,
    emit_json,
    err_console,
    handle_errors,
    out_console,
)

if TYPE_CHECKING:
    from coachloop.workspace import Workspace

WORKSPACE_OPTION = typer.Option(
    None,
    "--workspace",
    "-w",
    envvar="COACHLOOP_WORKSPACE",
    help="Workspace directory (or a database URL). Env: COACHLOOP_WORKSPACE.",
    show_default=False,
)
#: short column names for tables
BEHAVIOR_SHORT = {
    "ask_before_tell": "ask",
    "one_behavior_per_cycle": "one",
    "evidence_based_feedback": "evid",
    "behavior_not_outcome": "beh",
    "calibrate_against_team": "calib",
    "protect_rep_calendars": "protect",
    "hold_cadence": "cadence",
}
OUTPUT_OPTION = typer.Option(TableFormat.table, "--output", "-o", help="table, json or csv.")


def open_workspace(location: str | None) -> Workspace:
    from coachloop.workspace import Workspace

    return Workspace.open(location)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.0f}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    output: TableFormat,
    *,
    title: str | None = None,
) -> None:
    if output is TableFormat.json:
        emit_json(list(rows))
    elif output is TableFormat.csv:
        emit_csv(list(rows), columns)
    else:
        from rich.table import Table

        table = Table(title=title, show_edge=False, header_style="bold")
        for col in columns:
            table.add_column(col)
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        out_console.print(table)


def emit_summary(summary: dict[str, Any], output: TableFormat) -> None:
    if output is TableFormat.json:
        emit_json(summary)
    elif output is TableFormat.csv:
        emit_csv([summary], list(summary))
    else:
        for key, value in summary.items():
            out_console.print(f"{key}: {_cell(value)}", markup=False)


def register(app: typer.Typer) -> None:
    roster = typer.Typer(help="The org: people and reporting lines.", no_args_is_help=True)
    app.add_typer(roster, name="roster")

    @roster.command("import")
    def roster_import(
        file: Path = typer.Argument(
            ..., help="CSV: name, email, role, manager_email, team, cohort[, consent]."
        ),
        effective: str = typer.Option(
            None, "--effective", help="Date the changes take effect (default: today)."
        ),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Import or update the roster; a changed manager keeps history.

        Example: coachloop roster import org.csv --effective 2026-03-01 -w ws
        """
        day = parse_day(effective, "--effective")
        with handle_errors(), open_workspace(workspace) as ws:
            emit_summary(ws.import_roster(file, effective=day), output)

    @roster.command("list")
    def roster_list(
        on: str = typer.Option(None, "--on", help="Show reporting lines as of this date."),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Everyone in the org with their manager.

        Example: coachloop roster list --on 2026-02-01 -o csv
        """
        day = parse_day(on, "--on")
        with handle_errors(), open_workspace(workspace) as ws:
            rows = ws.org(on=day)
        emit_rows(
            rows, ["email", "name", "role", "manager_email", "team", "cohort", "consent"], output
        )

    @app.command("ingest")
    def ingest_cmd(
        paths: list[Path] = typer.Argument(..., help="Transcript files or folders (recursive)."),
        jobs: int = typer.Option(
            None, "--jobs", "-j", help="Worker processes (default: all cores)."
        ),
        scheduler: str = typer.Option(
            None, "--scheduler", help="Dask scheduler, e.g. tcp://HOST:8786."
        ),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Read, match, tag, score and store 1:1 transcripts. Safe to re-run: stored
        files are recognised by content and left alone.

        Example: coachloop ingest calls/ --jobs 4 -w ws --output json
        """
        if jobs is not None and jobs < 1:
            raise typer.BadParameter("must be at least 1", param_hint="--jobs")
        if jobs is not None and scheduler:
            raise typer.BadParameter("use either --jobs or --scheduler", param_hint="--scheduler")
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with (
            handle_errors(),
            open_workspace(workspace) as ws,
            Progress(
                TextColumn("ingesting"),
                BarColumn(),
                MofNCompleteColumn(),
                console=err_console,
                transient=True,
                disable=not err_console.is_terminal,
            ) as bar,
        ):
            task = bar.add_task("ingest", total=None)

            def tick(done: int, total: int, _file: str) -> None:
                bar.update(task, completed=done, total=total)

            report = ws.ingest(
                [str(p) for p in paths], jobs=jobs, scheduler=scheduler, progress=tick
            )
        data = report.to_dict()
        if output is TableFormat.table:
            for item in data["failed"]:
                err_console.print(f"coachloop: failed: {item['error']}", markup=False)
            for item in data["skipped"]:
                err_console.print(
                    f"coachloop: skipped {item['file']}: {item['reason']}", markup=False
                )
            out_console.print(
                f"{data['files']} file{'' if data['files'] == 1 else 's'}: "
                f"{data['meetings_added']} added, "
                f"{data['meetings_unchanged']} unchanged, {len(data['skipped'])} skipped, "
                f"{len(data['failed'])} failed",
                markup=False,
            )
        elif output is TableFormat.json:
            emit_json(data)
        else:
            emit_csv(
                [
                    {"file": f["file"], "status": "failed", "detail": f["error"]}
                    for f in data["failed"]
                ]
                + [
                    {"file": f["file"], "status": "skipped", "detail": f["reason"]}
                    for f in data["skipped"]
                ],
                ["file", "status", "detail"],
            )
        if data["failed"]:
            # the others are stored; a file that could not be read is still bad input
            raise typer.Exit(EXIT_BAD_INPUT)

    @app.command("meetings")
    def meetings_cmd(
        manager: str = typer.Option(None, "--manager", help="Manager e-mail."),
        rep: str = typer.Option(None, "--rep", help="Rep e-mail."),
        kind: str = typer.Option(None, "--kind", help="recorded or practice."),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Stored meetings, newest first, with their behaviour scores.

        Example: coachloop meetings --manager ana@example.com -o json
        """
        if kind not in (None, "recorded", "practice"):
            raise typer.BadParameter(
                f"{kind!r} is not a kind (use recorded or practice)", param_hint="--kind"
            )
        with handle_errors(), open_workspace(workspace) as ws:
            rows = ws.meetings(manager=manager, rep=rep, kind=kind)
        behaviors = sorted({b for row in rows for b in row["scores"]})
        if output is TableFormat.table:
            short = [BEHAVIOR_SHORT.get(b, b) for b in behaviors]
            for row in rows:
                row["id"] = row["id"][:8]
                row["date"] = row["started_at"].date().isoformat() if row["started_at"] else None
                row["min"] = round(row["duration_s"] / 60)
                row["rep★"] = row["rep_rating"]
                row.update({BEHAVIOR_SHORT.get(b, b): row["scores"].get(b) for b in behaviors})
            columns = ["id", "date", "manager_email", "rep_email", "min", "rep★", *short]
        else:
            for row in rows:
                if output is TableFormat.csv:
                    row.update({b: row["scores"].get(b) for b in behaviors})
            columns = ["id", "kind", "started_at", "manager_email", "rep_email", "duration_s"]
            columns += ["matched_by", "source_file", "rep_rating", "rep_comment", *behaviors]
        emit_rows(rows, columns, output)

    ws_app = typer.Typer(
        help="The workspace itself: where it is, what it holds.", no_args_is_help=True
    )
    app.add_typer(ws_app, name="workspace")

    @ws_app.command("info")
    def info(workspace: str = WORKSPACE_OPTION, output: TableFormat = OUTPUT_OPTION) -> None:
        """Database, schema revision and row counts (creates and migrates the workspace).

        Example: coachloop workspace info -w ws
        """
        with handle_errors(), open_workspace(workspace) as ws:
            emit_summary(ws.info(), output)
