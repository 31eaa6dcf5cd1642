"""Outcome commands: ``outcomes`` (impact model, cohorts), ``report`` and ``plan``.

They read the panels from a workspace (``--workspace``), from two CSV files
(``--scores``/``--kpis``) or from a synthetic org with known effects (``--synthetic SEED``),
call :mod:`coachloop.outcomes` and format what comes back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from coachloop.cli.cmd_workspace import WORKSPACE_OPTION, open_workspace
from coachloop.cli.common import ReportFormat, emit_json, err_console, handle_errors, out_console
from coachloop.errors import AnalysisError, ConfigError

if TYPE_CHECKING:
    from coachloop.outcomes.panel import Panels


class Correction(StrEnum):
    reliability = "reliability"
    none = "none"


class Level(StrEnum):
    auto = "auto"
    team = "team"
    rep = "rep"


#: Tables are wider than 80 columns; piped output keeps them whole rather than eliding.
WIDE = 132

SCORES_OPTION = typer.Option(
    None,
    "--scores",
    help="CSV of scores: manager,team,cohort,week,behavior,score (instead of a workspace).",
)
KPIS_OPTION = typer.Option(
    None,
    "--kpis",
    help="CSV of KPIs: subject_type,subject_key,team,week,metric,value (with --scores).",
)
SYNTHETIC_OPTION = typer.Option(
    None,
    "--synthetic",
    metavar="SEED",
    help="Use a synthetic org with known effects (40 teams x 40 weeks) to try the command.",
)


def parse_lags(values: list[str]) -> list[int]:
    """``4``, ``2..12``, ``2-6`` or ``3,4,6`` (repeatable) -> sorted week lags."""
    lags: set[int] = set()
    for value in values or ["4"]:
        for part in value.split(","):
            m = re.fullmatch(r"\s*(\d+)\s*(?:(?:\.\.|-)\s*(\d+))?\s*", part)
            if not m:
                raise typer.BadParameter(
                    f"{part!r} is not a lag (4, 2..12 or 3,4,6)", param_hint="--lag"
                )
            lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
            lags.update(range(lo, hi + 1))
    return sorted(lags)


def load_panels(
    workspace: str | None, scores: Path | None, kpis: Path | None, synthetic: int | None
) -> tuple[Panels, dict[tuple[str, str], float] | None, int | None]:
    """The panels from one source; with ``--synthetic`` also its true effects and start week."""
    import pandas as pd

    from coachloop.outcomes.panel import make_panels, panels_from_workspace

    if synthetic is not None:
        if scores or kpis:
            raise ConfigError("--synthetic cannot be combined with --scores/--kpis")
        from coachloop.outcomes.synthetic import synthetic_panels

        org = synthetic_panels(seed=synthetic)
        return org.panels, org.truth, org.start
    if scores or kpis:
        if not (scores and kpis):
            raise ConfigError("--scores and --kpis go together", hint="give both CSV files")
        frames = []
        for path in (scores, kpis):
            try:
                frames.append(pd.read_csv(path))
            except (OSError, ValueError) as exc:
                raise AnalysisError(f"cannot read {path}: {exc}") from None
        return make_panels(frames[0], frames[1]), None, None
    with open_workspace(workspace) as ws:
        return panels_from_workspace(ws), None, None


def _f(x: float, digits: str = ".3g") -> str:
    return "—" if x != x else format(x, digits)


def register(app: typer.Typer) -> None:
    @app.command("outcomes")
    def outcomes_cmd(
        metric: list[str] = typer.Option(
            None, "--metric", "-m", help="KPI to explain (repeatable; default: all)."
        ),
        lag: list[str] = typer.Option(
            None,
            "--lag",
            help="Weeks between behaviour and KPI: 4, 2..12 or 3,4,6 (1-12; default 4).",
        ),
        level: Level = typer.Option(
            Level.auto,
            "--level",
            help="team-week or rep-week KPIs (auto: team when there are team KPIs).",
        ),
        smooth: int | None = typer.Option(
            None,
            "--smooth",
            help="Centred rolling window (weeks) over the weekly scores (default 3, 1 at lag 1).",
        ),
        correction: Correction = typer.Option(
            Correction.reliability,
            "--correction",
            help="Measurement-error correction: reliability or none.",
        ),
        alpha: float = typer.Option(0.05, "--alpha", help="Significance level (after Holm)."),
        min_teams: int = typer.Option(20, "--min-teams", help="Refuse below this many teams."),
        min_weeks: int = typer.Option(
            8, "--min-weeks", help="Refuse below this many usable weeks."
        ),
        truth: Path | None = typer.Option(
            None, "--truth", help="A simulation lab truth.json: show the true effects and coverage."
        ),
        calibrate: bool = typer.Option(
            True,
            "--calibrate/--no-calibrate",
            help="With --truth: rescale the true effects to the scorer's scale using the true levels.",
        ),
        cohorts: bool = typer.Option(
            False, "--cohorts", help="Compare coached and classroom managers instead."
        ),
        start: int | None = typer.Option(
            None, "--start", help="With --cohorts: the first programme week (week index)."
        ),
        chart: Path | None = typer.Option(
            None, "--chart", help="With --cohorts: write the two curves to this PNG."
        ),
        output: ReportFormat = typer.Option(
            ReportFormat.table, "--output", "-o", help="table or json."
        ),
        workspace: str | None = WORKSPACE_OPTION,
        scores: Path | None = SCORES_OPTION,
        kpis: Path | None = KPIS_OPTION,
        synthetic: int | None = SYNTHETIC_OPTION,
    ) -> None:
        """Which behaviours moved the team's numbers: lagged two-way fixed effects, clustered by team.

        Example:

          coachloop outcomes -w ./ws --metric win_rate --lag 2..6
          coachloop outcomes --synthetic 0            # a synthetic org with known effects
          coachloop outcomes -w ./ws --cohorts --chart cohorts.png
        """
        with handle_errors():
            panels, known, synth_start = load_panels(workspace, scores, kpis, synthetic)
            if cohorts:
                _cohorts(panels, start if start is not None else synth_start, chart, output)
                return
            if chart is not None:
                raise ConfigError("--chart goes with --cohorts")
            from coachloop.outcomes.impact import (
                coverage,
                estimate_impact,
                load_truth_effects,
                scorer_calibration,
            )

            result = estimate_impact(
                panels,
                metrics=metric or None,
                lags=parse_lags(lag),
                level=level.value,
                smooth=smooth,
                correction=correction.value,
                alpha=alpha,
                min_teams=min_teams,
                min_weeks=min_weeks,
            )
            calibration: dict[str, float] | None = None
            true: Mapping[tuple[str, str], Any] | None
            if truth:
                if calibrate:
                    calibration = scorer_calibration(panels, truth)
                true = load_truth_effects(truth, calibration=calibration)
            else:
                true = known
            cov = coverage(result, true) if true else None
            if output is ReportFormat.json:
                data = result.to_dict()
                if cov is not None:
                    data["truth"] = {
                        "coverage": cov[1],
                        "scorer_calibration": calibration,
                        "rows": cov[0].to_dict(orient="records"),
                    }
                emit_json(data)
                return
            _impact_table(result, cov)
            if calibration:
                slopes = ", ".join(f"{b} {v:.2f}" for b, v in sorted(calibration.items()))
                _wide().print(
                    f"Scorer calibration (score points per true level point, within managers): "
                    f"{slopes}; true effects are per score point on this scale.",
                    markup=False,
                )

    @app.command("report")
    def report_cmd(
        out: Path = typer.Option(
            ..., "--out", help="Directory to write the HTML and PDF files into."
        ),
        manager: str | None = typer.Option(
            None, "--manager", help="Only this manager's report (e-mail)."
        ),
        weekly: bool = typer.Option(
            False, "--weekly", help="Weekly briefs instead of 90-day reports."
        ),
        week: int | None = typer.Option(
            None, "--week", help="Last week covered (week index; default: the latest)."
        ),
        pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also write PDFs (WeasyPrint)."),
        workspace: str | None = WORKSPACE_OPTION,
        scores: Path | None = SCORES_OPTION,
        kpis: Path | None = KPIS_OPTION,
        synthetic: int | None = SYNTHETIC_OPTION,
    ) -> None:
        """The 90-day report per manager and per org (or weekly briefs) as HTML and PDF.

        Example:

          coachloop report -w ./ws --out reports/
          coachloop report -w ./ws --manager dana@example.com --out reports/
          coachloop report -w ./ws --weekly --out briefs/
        """
        from coachloop.outcomes.report import write_reports

        with handle_errors():
            panels, _, synth_start = load_panels(workspace, scores, kpis, synthetic)
            cohort_options = {"start": synth_start} if synth_start is not None else None
            paths = write_reports(
                panels,
                out,
                manager=manager,
                weekly=weekly,
                week=week,
                pdf=pdf,
                cohort_options=cohort_options,
            )
        for path in paths:
            out_console.print(str(path), markup=False)
        err_console.print(f"coachloop: wrote {len(paths)} files to {out}", markup=False)

    @app.command("plan")
    def plan_cmd(
        managers: int = typer.Option(200, "--managers", help="Managers in the programme."),
        hours: float = typer.Option(100.0, "--hours", help="Development hours per manager."),
        set_: list[str] = typer.Option(
            None,
            "--set",
            metavar="NAME=VALUE",
            help="Override a parameter (repeatable; see --list).",
        ),
        sizes: str = typer.Option(
            "25,50,100,200,500,1000", "--sizes", help="Org sizes for the cost-per-manager curve."
        ),
        chart: Path | None = typer.Option(
            None, "--chart", help="Write the hours and cost chart to this PNG."
        ),
        list_: bool = typer.Option(
            False, "--list", help="List the parameters, their defaults and sources."
        ),
        output: ReportFormat = typer.Option(
            ReportFormat.table, "--output", "-o", help="table or json."
        ),
    ) -> None:
        """Classroom programme vs the behavioural loop: hours by activity and cost as the org grows.

        Every figure follows from a parameter; each default names its source or says
        "assumption".

        Example:

          coachloop plan --managers 200 --hours 100 --chart plan.png
          coachloop plan --managers 50 --set coach_rate=120 --set class_size=12 -o json
        """
        from coachloop.outcomes.planner import PARAMETERS, plan, plan_chart

        with handle_errors():
            if list_:
                if output is ReportFormat.json:
                    emit_json([vars(p) for p in PARAMETERS.values()])
                else:
                    _parameter_table()
                return
            overrides: dict[str, float] = {}
            for item in set_ or []:
                name, sep, value = item.partition("=")
                try:
                    overrides[name.strip()] = float(value)
                except ValueError:
                    sep = ""
                if not sep:
                    raise ConfigError(f"--set {item!r} is not NAME=NUMBER")
            try:
                size_list = [int(s) for s in sizes.split(",") if s.strip()]
            except ValueError:
                raise ConfigError(f"--sizes {sizes!r} is not a list of whole numbers") from None
            result = plan(managers=managers, hours=hours, overrides=overrides, sizes=size_list)
            if chart is not None:
                chart.write_bytes(plan_chart(result))
                err_console.print(f"coachloop: wrote {chart}", markup=False)
            if output is ReportFormat.json:
                emit_json(result.to_dict())
            else:
                _plan_tables(result)


# ------------------------------------------------------------------ table output


def _wide() -> Any:
    """stdout, at least WIDE columns: piped tables stay whole instead of eliding cells."""
    from rich.console import Console

    from coachloop.cli.common import out_console as out

    return Console(highlight=False, soft_wrap=True, width=max(out.width, WIDE))


def _impact_table(result: Any, cov: Any) -> None:
    out_console = _wide()
    from rich.box import SIMPLE_HEAD
    from rich.table import Table

    truth = None
    if cov is not None:
        truth = {(r["metric"], r["behavior"]): r for r in cov[0].to_dict(orient="records")}
    several = len(result.n_obs) > 1
    first = result.estimates[0]
    where = "" if several else f": {first.metric}, lag {first.lag} weeks"
    table = Table(
        box=SIMPLE_HEAD,
        title=f"Behaviour → KPI{where} — effect of +10 score points "
        f"({result.level}-week, correction: {result.correction})",
    )
    columns = [
        "behaviour",
        *(["metric@lag"] if several else []),
        "effect",
        "95% CI",
        "Holm p",
        "BH p",
        "uncorr.",
        "rel.",
    ]
    if truth:
        columns += ["true", "ok"]
    for c in columns:
        table.add_column(
            c, justify="left" if c in ("behaviour", "metric@lag") else "right", no_wrap=True
        )
    for e in result.estimates:
        row = [
            e.behavior,
            *([f"{e.metric}@{e.lag}"] if several else []),
            _f(10 * e.estimate, ".2g"),
            f"{_f(10 * e.ci_low, '.2g')}..{_f(10 * e.ci_high, '.2g')}",
            _f(e.p_holm, ".2g"),
            _f(e.p_bh, ".2g"),
            _f(10 * e.naive_estimate, ".2g"),
            _f(e.reliability, ".2f"),
        ]
        if truth:
            t = truth.get((e.metric, e.behavior))
            row += [_f(10 * t["true"], ".2g"), "yes" if t["covered"] else "NO"] if t else ["—", "—"]
        table.add_row(*row, style="bold" if e.significant else None)
    out_console.print(table)
    obs = ", ".join(f"{k}: {v}" for k, v in result.n_obs.items())
    out_console.print(f"n = {obs}; {result.n_teams} teams, {result.n_weeks} weeks.", markup=False)
    out_console.print(result.summary, markup=False)
    for e in result.estimates:
        if e.significant or e.p_value < result.alpha:
            out_console.print(f"• {e.reading}", markup=False)
    if cov is not None:
        covered = int(cov[0]["covered"].sum())
        out_console.print(
            f"True effects inside their 95% interval: {covered}/{len(cov[0])} ({cov[1]:.0%}).",
            markup=False,
        )
    for note in result.notes:
        out_console.print(f"Note: {note}", markup=False, style="dim")


def _cohorts(panels: Panels, start: int | None, chart: Path | None, output: ReportFormat) -> None:
    out_console = _wide()
    from rich.box import SIMPLE_HEAD
    from rich.table import Table

    from coachloop.outcomes.cohorts import cohort_chart, compare_cohorts

    result = compare_cohorts(panels, start=start)
    if chart is not None:
        chart.write_bytes(cohort_chart(result))
        err_console.print(f"coachloop: wrote {chart}", markup=False)
    if output is ReportFormat.json:
        emit_json(result.to_dict())
        return
    did = Table(
        box=SIMPLE_HEAD,
        title=f"Coached vs classroom: difference-in-differences over {result.weeks} weeks from week {result.start}",
    )
    for c in ("outcome", "estimate", "95% CI", "p", "managers", "n"):
        did.add_column(c, justify="left" if c == "outcome" else "right", no_wrap=True)
    for d in result.did:
        did.add_row(
            d.outcome,
            _f(d.estimate),
            f"{_f(d.ci_low)}..{_f(d.ci_high)}",
            _f(d.p_value, ".2g"),
            str(d.n_managers),
            str(d.n_obs),
        )
    out_console.print(did)
    shapes = Table(
        box=SIMPLE_HEAD, title="Curve shapes (piecewise slopes per week, clustered by manager)"
    )
    for c in ("cohort", "outcome", "break", "before", "after", "p after", "p Δ", "shape"):
        shapes.add_column(
            c, justify="left" if c in ("cohort", "outcome", "shape") else "right", no_wrap=True
        )
    for s in result.shapes:
        shapes.add_row(
            s.cohort,
            s.outcome,
            str(s.break_week),
            _f(s.slope_before, ".2g"),
            _f(s.slope_after, ".2g"),
            _f(s.p_after, ".2g"),
            _f(s.p_change, ".2g"),
            s.verdict,
        )
    out_console.print(shapes)


def _parameter_table() -> None:
    out_console = _wide()
    from rich.box import SIMPLE_HEAD
    from rich.table import Table

    from coachloop.outcomes.planner import PARAMETERS

    table = Table(box=SIMPLE_HEAD, title="Planner parameters")
    for c in ("name", "default", "unit", "source"):
        table.add_column(c, overflow="fold")
    for p in PARAMETERS.values():
        table.add_row(p.name, f"{p.default:g}", p.unit, p.source)
    out_console.print(table)


def _plan_tables(result: Any) -> None:
    out_console = _wide()
    from rich.box import SIMPLE_HEAD
    from rich.table import Table

    from coachloop.outcomes.planner import ACTIVITIES, PROGRAMMES

    hours = Table(box=SIMPLE_HEAD, title=f"Hours per manager ({result.hours:g} h each)")
    hours.add_column("activity")
    for p in PROGRAMMES:
        hours.add_column(p, justify="right")
    for a in ACTIVITIES:
        hours.add_row(
            a.replace("_", " "), *[f"{result.hours_by_activity[p][a]:.1f}" for p in PROGRAMMES]
        )
    hours.add_row(
        f"retained on day {result.values['retention_day']:g}",
        *[f"{result.retained[p]:.1f}" for p in PROGRAMMES],
    )
    out_console.print(hours)
    cost = Table(box=SIMPLE_HEAD, title=f"Cost for {result.managers} managers ($)")
    cost.add_column("")
    for p in PROGRAMMES:
        cost.add_column(p, justify="right")
    for key in ("delivery", "manager_time", "total", "delivery_per_manager", "total_per_manager"):
        cost.add_row(key.replace("_", " "), *[f"{result.cost[p][key]:,.0f}" for p in PROGRAMMES])
    out_console.print(cost)
    growth = Table(
        box=SIMPLE_HEAD,
        title="Cost per manager as the org grows ($, delivery | incl. manager time)",
    )
    for c in ("managers", "classroom", "loop", "classroom total", "loop total"):
        growth.add_column(c, justify="right")
    for g in result.growth:
        growth.add_row(
            str(g["managers"]),
            f"{g['classroom_delivery_per_manager']:,.0f}",
            f"{g['loop_delivery_per_manager']:,.0f}",
            f"{g['classroom_total_per_manager']:,.0f}",
            f"{g['loop_total_per_manager']:,.0f}",
        )
    out_console.print(growth)
    out_console.print(
        "Every default is listed with its source by `coachloop plan --list`.", markup=False
    )
