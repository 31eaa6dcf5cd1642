"""``coachloop demo`` (what ``make demo`` runs): simulate, load, run the cycles, serve."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import typer

from coachloop.cli.common import emit_json, err_console, handle_errors, out_console

LABELS = {
    "ask_before_tell": "ask before tell",
    "one_behavior_per_cycle": "one behaviour per cycle",
    "evidence_based_feedback": "evidence-based feedback",
    "behavior_not_outcome": "behaviour not outcome",
    "calibrate_against_team": "calibrate against team",
    "protect_rep_calendars": "protect rep calendars",
    "hold_cadence": "hold cadence",
}


def _print_summary(data: dict[str, Any]) -> None:
    from rich.table import Table

    sim = data["sim"]
    out_console.print(
        f"Org: {sim['directors']} directors, {sim['managers']} managers, {sim['reps']} reps; "
        f"{sim['meetings']} 1:1s held over {data['weeks']} weeks from {data['start']} "
        f"({sim['cancelled']} cancelled, {sim['moved']} moved; mean {sim['mean_minutes']} min)",
        markup=False,
    )
    ing = data["ingest"]
    out_console.print(
        f"Workspace: {ing.get('meetings_added', 0)} meetings ingested, "
        f"{len(ing.get('failed', []))} failed; calendars, ratings and KPIs imported; "
        f"{len(data['briefs'])} briefs in {Path(data['out_dir']) / 'briefs'}",
        markup=False,
    )
    table = Table(title="Mean scores by cohort (measured; true level ×100 in brackets)")
    table.add_column("behaviour")
    cohorts = sorted(data["cohorts"])
    for c in cohorts:
        table.add_column(f"{c}: weeks 1–4", justify="right")
        table.add_column(f"{c}: last 4", justify="right")
    for b, label in LABELS.items():
        row = [label]
        for c in cohorts:
            entry = data["cohorts"][c]
            for span in ("first_4_weeks", "last_4_weeks"):
                measured = entry.get(span, {}).get(b)
                true = entry["true_levels"][span].get(b)
                row.append(f"{'—' if measured is None else f'{measured:.0f}'} ({true:.0f})")
        table.add_row(*row)
    out_console.print(table)
    rec = data.get("truth_recovery") or {}
    if rec:
        parts = ", ".join(
            f"{LABELS[b]} {v['rho']:.2f}" for b, v in rec.items() if v.get("rho") is not None
        )
        out_console.print(
            f"Measured vs true level across managers (Spearman): {parts or 'needs 3 managers or more'}",
            markup=False,
        )
    steps = ", ".join(f"{s['step']} {s['seconds']:.0f} s" for s in data["steps"])
    out_console.print(f"Took {data['seconds']:.0f} s ({steps}).", markup=False)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_cmd(
        out: Path = typer.Option(Path("demo"), "--out", help="Demo folder (remade on each run)."),
        managers: int = typer.Option(24, "--managers", "-m", help="Managers to simulate."),
        weeks: int = typer.Option(12, "--weeks", help="Weeks of 1:1s."),
        seed: int = typer.Option(7, "--seed", help="Random seed of the simulated org."),
        jobs: int = typer.Option(2, "--jobs", "-j", min=1, help="Worker processes."),
        serve: bool = typer.Option(
            True, "--serve/--no-serve", help="Start the dashboard at the end (--no-serve for CI)."
        ),
        host: str = typer.Option("127.0.0.1", "--host", help="Dashboard address."),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="Dashboard port."),
        output: str = typer.Option("table", "--output", "-o", help="table or json (the summary)."),
    ) -> None:
        """Simulate a 24-manager org over 12 weeks into ./demo, ingest it into a workspace
        there, import calendars, ratings and KPIs, run every week's cycle, write the briefs
        and start the dashboard with demo accounts.

        Example: coachloop demo --no-serve --out /tmp/demo
        """
        from coachloop.sim.demo import DEMO_PASSWORD, run_demo

        if output not in ("table", "json"):
            raise typer.BadParameter("use table or json", param_hint="--output")
        with handle_errors():
            result = run_demo(
                out,
                managers=managers,
                weeks=weeks,
                seed=seed,
                jobs=jobs,
                status=lambda msg: err_console.print(f"demo: {msg}", markup=False),
            )
        data = result.to_dict()
        if output == "json":
            emit_json(data)
        else:
            _print_summary(data)
        if not serve:
            return
        if importlib.util.find_spec("coachloop.web") is None:
            out_console.print("The dashboard is not installed; the briefs are in the demo folder.")
            return
        _serve(result, host=host, port=port, password=DEMO_PASSWORD)


def _serve(result: Any, *, host: str, port: int, password: str) -> None:
    import uvicorn

    from coachloop.web import create_app
    from coachloop.web.accounts import create_user
    from coachloop.web.settings import WebSettings, random_secret
    from coachloop.workspace import Workspace

    ws = Workspace.open(result.workspace)
    roles = {
        "director": "director",
        "manager (coached)": "manager",
        "manager (classroom)": "manager",
        "rep": "rep",
    }
    logins = [("admin@example.com", "admin")]
    with handle_errors():
        create_user(ws, "admin@example.com", role="admin", password=password, replace=True)
        for label, email in result.people.items():
            create_user(ws, email, role=roles[label], password=password, replace=True)
            logins.append((email, label))
        settings = WebSettings(environment="demo", secret_key=random_secret())
        today = result.start + timedelta(weeks=result.weeks)
        app = create_app(ws, settings, today=min(today, date.today()))
    url = f"http://{host}:{port}"
    out_console.print(f"\nDashboard: {url}   (Ctrl-C to stop)", markup=False)
    out_console.print(f"Logins (password for all: {password}):", markup=False)
    for email, label in logins:
        out_console.print(f"  {email:45s} {label}", markup=False)
    out_console.print(
        "What to look at: the overview heatmap (seven behaviours × managers, coached vs "
        f"classroom); a coached manager's {result.weeks}-week curves (their focus behaviour climbs cycle "
        "by cycle) beside a classroom manager's (jump in week 1, plateau, decay); a meeting "
        "page (every score with the quotes behind it); the practice chat for the focus; "
        "and the briefs in the demo folder.",
        markup=False,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
