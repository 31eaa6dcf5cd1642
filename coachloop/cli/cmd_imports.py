"""``coachloop calendar import``, ``coachloop ratings import|import-rep``, ``coachloop kpi import|list``.

Each import validates the whole file first and writes nothing when a row is bad; the
error names the file and line (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import typer

from coachloop.cli.cmd_workspace import (
    OUTPUT_OPTION,
    WORKSPACE_OPTION,
    emit_rows,
    emit_summary,
    open_workspace,
)
from coachloop.cli.common import EXIT_BAD_INPUT, TableFormat, err_console, handle_errors, warn


def register(app: typer.Typer) -> None:
    calendar = typer.Typer(
        help="Calendars: 1:1 cadence and rep meeting load.", no_args_is_help=True
    )
    app.add_typer(calendar, name="calendar")

    @calendar.command("import")
    def calendar_import(
        files: list[Path] = typer.Argument(
            ..., help="iCalendar exports (.ics), one per person or one for the org."
        ),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Store event occurrences (recurring series expanded; moved and cancelled
        occurrences kept as such). Re-importing updates in place.

        Example: coachloop calendar import calendars/*.ics -w ws
        """
        with handle_errors(), open_workspace(workspace) as ws:
            summary = ws.import_calendars(files)
        failed = summary.pop("failed", [])
        for item in failed:
            err_console.print(f"coachloop: error[{item['code']}]: {item['error']}", markup=False)
        emit_summary(summary, output)
        if summary.get("events") and summary.get("one_on_ones") == 0:
            warn(
                "no event is a 1:1 of a manager and a rep reporting to them on its date; "
                "if the roster's lines start after these events, re-import it with "
                "--effective DATE (the first week of the calendars)"
            )
        if failed:
            raise typer.Exit(EXIT_BAD_INPUT)  # the other files are imported

    @calendar.command("scores")
    def calendar_scores_cmd(
        week: str = typer.Option(..., "--week", help="ISO week, e.g. 2026-W47."),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """hold_cadence and protect_rep_calendars per manager for one week.

        Example: coachloop calendar scores --week 2026-W47 -o json
        """
        from coachloop.workspace.calendars import calendar_scores
        from coachloop.workspace.cycle import resolve_week

        with handle_errors(), open_workspace(workspace) as ws:
            w = resolve_week(ws, week)
            results = calendar_scores(ws, w)
            emails = {p["id"]: p["email"] for p in ws.people()}
        rows = [
            {
                "manager": emails[m],
                "week": week,
                "hold_cadence": r["hold_cadence"].get("score"),
                "protect_rep_calendars": r["protect_rep_calendars"].get("score"),
                **({"detail": r} if output is TableFormat.json else {}),
            }
            for m, r in sorted(results.items(), key=lambda kv: emails[kv[0]])
        ]
        emit_rows(rows, ["manager", "week", "hold_cadence", "protect_rep_calendars"], output)

    ratings = typer.Typer(
        help="Ratings: managers' ratings of reps, reps' ratings of 1:1s.", no_args_is_help=True
    )
    app.add_typer(ratings, name="ratings")

    @ratings.command("import")
    def ratings_import(
        file: Path = typer.Argument(..., help="CSV: manager, rep, period, skill, rating."),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Managers' skill ratings of their reps (for calibrate_against_team).

        Example: coachloop ratings import ratings.csv -w ws
        """
        with handle_errors(), open_workspace(workspace) as ws:
            emit_summary(ws.import_ratings(file), output)

    @ratings.command("import-rep")
    def ratings_import_rep(
        file: Path = typer.Argument(
            ..., help="CSV: rep, rating (1–5), and meeting (id or file) or date; comment."
        ),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Reps' 1–5 ratings of their 1:1s, joined to the stored meetings.

        Example: coachloop ratings import-rep rep_ratings.csv -w ws
        """
        with handle_errors(), open_workspace(workspace) as ws:
            emit_summary(ws.import_rep_ratings(file), output)

    kpi = typer.Typer(help="KPIs per rep or team and week.", no_args_is_help=True)
    app.add_typer(kpi, name="kpi")

    @kpi.command("import")
    def kpi_import(
        file: Path = typer.Argument(
            ..., help="CSV: rep or team (or subject_type, subject), week, metric, value."
        ),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Import weekly KPIs (quota_attainment, win_rate, pipeline_created, ramp_time,
        retention, leavers, calibration_accuracy or any named metric).

        Example: coachloop kpi import kpis.csv -w ws
        """
        with handle_errors(), open_workspace(workspace) as ws:
            emit_summary(ws.import_kpis(file), output)

    @kpi.command("list")
    def kpi_list(
        metric: str = typer.Option(None, "--metric", help="Only this metric."),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Stored KPIs.

        Example: coachloop kpi list --metric win_rate -o csv
        """
        with handle_errors(), open_workspace(workspace) as ws:
            rows = ws.kpis(metric=metric)
        emit_rows(rows, ["subject_type", "subject", "week", "metric", "value"], output)
