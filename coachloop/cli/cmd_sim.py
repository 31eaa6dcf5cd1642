"""``coachloop sim``: write a simulated org (transcripts, calendars, ratings, KPIs, truth)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from coachloop.cli.common import ReportFormat, emit_json, err_console, handle_errors, out_console


def register(app: typer.Typer) -> None:
    @app.command("sim")
    def sim_cmd(
        out_dir: Path = typer.Argument(..., help="Folder to write (must be new or empty)."),
        managers: int = typer.Option(24, "--managers", "-m", help="Front-line managers."),
        weeks: int = typer.Option(12, "--weeks", help="Weeks of 1:1s."),
        seed: int = typer.Option(
            0, "--seed", help="Random seed: the same seed gives the same bytes."
        ),
        start: str = typer.Option("2026-09-07", "--start", help="Monday of week 1 (YYYY-MM-DD)."),
        jobs: int = typer.Option(
            1, "--jobs", "-j", min=1, help="Worker processes (same output as 1)."
        ),
        output: ReportFormat = typer.Option(
            ReportFormat.table, "--output", "-o", help="table or json."
        ),
    ) -> None:
        """Simulate a sales org: 1:1 transcripts in real export formats, calendars (ICS),
        manager and rep ratings, weekly KPIs, a roster and the ground truth (truth.json).

        Example: coachloop sim out/org --managers 24 --weeks 12 --seed 7

        Load it with the ordinary commands: ``coachloop roster import OUT/roster.csv``,
        ``coachloop ingest OUT/transcripts`` (sidecars match each file to its pair), then
        the calendar, ratings and KPI imports. Layout and model: docs/simulation.md.
        """
        from rich.progress import Progress

        from coachloop.sim import simulate_org

        try:
            day = date.fromisoformat(start)
        except ValueError:
            raise typer.BadParameter(
                f"{start!r} is not a date (YYYY-MM-DD)", param_hint="--start"
            ) from None
        with (
            handle_errors(),
            Progress(
                console=err_console, transient=True, disable=not err_console.is_terminal
            ) as bar,
        ):
            task = bar.add_task("simulating managers", total=managers)

            def tick(done: int, total: int) -> None:
                bar.update(task, completed=done)

            summary = simulate_org(
                out_dir,
                managers=managers,
                weeks=weeks,
                seed=seed,
                start=day,
                jobs=jobs,
                progress=tick,
            )
        data = summary.to_dict()
        if output is ReportFormat.json:
            emit_json(data)
            return
        out_console.print(
            f"Simulated {data['managers']} managers ({data['directors']} directors, {data['reps']} reps) "
            f"over {data['weeks']} weeks into {data['out_dir']}",
            markup=False,
        )
        fmts = ", ".join(f"{k} {v}" for k, v in data["formats"].items())
        out_console.print(
            f"  1:1s held {data['meetings']} (cancelled {data['cancelled']}, moved {data['moved']}); "
            f"mean {data['mean_minutes']} min; formats: {fmts}; ASR-style {data['asr_style_transcripts']}",
            markup=False,
        )
        out_console.print(
            f"  calendars {data['calendars']}; {data['megabytes']} MB in {data['seconds']} s",
            markup=False,
        )
        out_console.print(
            f"  next: coachloop roster import {data['out_dir']}/roster.csv --effective {day}; "
            f"coachloop ingest {data['out_dir']}/transcripts",
            markup=False,
        )

    @app.command("sim-check")
    def sim_check_cmd(
        org_dir: Path = typer.Argument(..., help="A folder written by coachloop sim."),
        jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for scoring."),
        output: ReportFormat = typer.Option(
            ReportFormat.table, "--output", "-o", help="table or json."
        ),
    ) -> None:
        """Does the product find the simulated truth? Reads every 1:1 back, scores it, scores
        the calendars, and prints Spearman's rho between true and measured levels across
        managers, per behaviour.

        Example: coachloop sim-check out/org --jobs 2
        """
        from coachloop.errors import InputError
        from coachloop.sim.truth import check_org

        with handle_errors():
            if not (org_dir / "truth.json").is_file():
                raise InputError(
                    "no truth.json here",
                    file=org_dir,
                    hint="give a folder written by coachloop sim",
                )
            result = check_org(org_dir, jobs=jobs)
        if output is ReportFormat.json:
            emit_json(result)
            return
        for behavior, r in result.items():
            rho = "—" if r["rho"] is None else f"{r['rho']:.3f}"
            out_console.print(f"{behavior:26s} rho {rho}  ({r['managers']} managers)", markup=False)
