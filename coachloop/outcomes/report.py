"""The 90-day reports (per manager, per org) and the weekly briefs, as HTML and PDF.

Each document is a Jinja2 template (``templates/*.html.j2``) filled from a plain context
dict built here from the panels; charts are matplotlib PNGs embedded as ``data:`` URIs,
so one HTML file is the whole report, and WeasyPrint turns the same HTML into the PDF.

:func:`write_reports` is what ``coachloop report`` runs.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coachloop.errors import AnalysisError
from coachloop.outcomes.panel import Panels

REPORT_WEEKS = 13  # 90 days
EDGE_WEEKS = 2


def png_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _figure_png(draw: Callable[[Any], None], *, size: tuple[float, float] = (9.0, 3.4)) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    draw(ax)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def _lines_chart(frame: pd.DataFrame, *, column: str, value: str, ylabel: str) -> str:
    """One line per ``column`` value over weeks (3-week centred mean to show the trend)."""

    def draw(ax: Any) -> None:
        for name, g in frame.groupby(column):
            g = g.sort_values("week")
            smooth = g[value].rolling(3, center=True, min_periods=1).mean()
            ax.plot(g["week"], smooth, label=str(name), lw=1.6)
        ax.set_xlabel("week")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))

    return png_uri(_figure_png(draw))


def _window(panels: Panels, end_week: int | None, weeks: int) -> tuple[int, int]:
    last = int(panels.behaviors["week"].max()) if end_week is None else end_week
    return last - weeks + 1, last


def _trend(g: pd.DataFrame) -> tuple[float, float]:
    import statsmodels.api as sm

    if g["week"].nunique() < 3:
        return float("nan"), float("nan")
    fit = sm.OLS(g["score"], sm.add_constant(g["week"].astype(float))).fit(
        cov_type="HAC", cov_kwds={"maxlags": 2}
    )
    return float(fit.params["week"]), float(fit.pvalues["week"])


def _manager_rows(b: pd.DataFrame, first: int, last: int) -> list[dict[str, Any]]:
    rows = []
    for behavior, g in b.groupby("behavior"):
        start = g.loc[g["week"] < first + EDGE_WEEKS, "score"].mean()
        end = g.loc[g["week"] > last - EDGE_WEEKS, "score"].mean()
        slope, p = _trend(g)
        rows.append(
            {
                "behavior": behavior,
                "start": start,
                "end": end,
                "change": end - start,
                "slope": slope,
                "p_value": p,
            }
        )
    return rows


def _next_focus(rows: list[dict[str, Any]]) -> str:
    usable = [r for r in rows if not np.isnan(r["end"])]
    if not usable:
        return "Not enough recent 1:1s to suggest a focus."
    low = min(usable, key=lambda r: r["end"])
    return (
        f"Lowest-scoring behaviour now: {low['behavior']} ({low['end']:.0f}/100). "
        "One behaviour per cycle: make it the next focus unless the current cycle's focus "
        "is still climbing."
    )


def _manager_frame(panels: Panels, manager: str) -> pd.DataFrame:
    b = panels.behaviors[panels.behaviors["manager"] == manager]
    if b.empty:
        known = sorted(panels.behaviors["manager"].unique())
        raise AnalysisError(
            f"no scores for manager {manager!r}",
            hint=f"managers with scores: {', '.join(known[:5])}{'…' if len(known) > 5 else ''}",
        )
    return b


def manager_context(
    panels: Panels, manager: str, *, end_week: int | None = None, weeks: int = REPORT_WEEKS
) -> dict[str, Any]:
    """Everything the per-manager 90-day report shows."""
    b = _manager_frame(panels, manager)
    first, last = _window(panels, end_week, weeks)
    b = b[(b["week"] >= first) & (b["week"] <= last)]
    if b["week"].nunique() < 2 * EDGE_WEEKS:
        raise AnalysisError(
            f"{manager} has scores in {b['week'].nunique()} of the last {weeks} weeks; "
            f"a 90-day report needs at least {2 * EDGE_WEEKS}"
        )
    team, cohort = b["team"].iloc[0], b["cohort"].iloc[0]
    rows = _manager_rows(b, first, last)
    k = panels.kpis
    k = k[(k["team"] == team) & (k["week"] >= first) & (k["week"] <= last)]
    k = k.groupby(["metric", "week"])["value"].mean().reset_index()
    kpis = []
    for metric, g in k.groupby("metric"):
        start = g.loc[g["week"] < first + EDGE_WEEKS, "value"].mean()
        end = g.loc[g["week"] > last - EDGE_WEEKS, "value"].mean()
        kpis.append({"metric": metric, "start": start, "end": end, "change": end - start})
    charts = {"behaviors": _lines_chart(b, column="behavior", value="score", ylabel="score")}
    if kpis:
        charts["kpis"] = _lines_chart(k, column="metric", value="value", ylabel="value")
    return {
        "title": f"90-day report: {manager}",
        "subtitle": f"team {team}"
        + (f", {cohort} cohort" if cohort else "")
        + f" — weeks {first} to {last}",
        "behaviors": rows,
        "edge_weeks": EDGE_WEEKS,
        "kpis": kpis,
        "next_focus": _next_focus(rows),
        "charts": charts,
    }


def _nanmean(values: list[float]) -> float:
    """The mean of the values that are not NaN; NaN (without numpy's warning) if none are."""
    kept = [v for v in values if not np.isnan(v)]
    return float(np.mean(kept)) if kept else float("nan")


def org_context(
    panels: Panels,
    *,
    end_week: int | None = None,
    weeks: int = REPORT_WEEKS,
    impact_options: dict[str, Any] | None = None,
    cohort_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the org report shows; impact and cohorts show their refusal if they refuse."""
    from coachloop.outcomes.cohorts import cohort_chart, compare_cohorts
    from coachloop.outcomes.impact import estimate_impact

    first, last = _window(panels, end_week, weeks)
    b = panels.behaviors[(panels.behaviors["week"] >= first) & (panels.behaviors["week"] <= last)]
    managers = []
    for (manager, team, cohort), g in b.groupby(["manager", "team", "cohort"]):
        rows = _manager_rows(g.drop(columns=["manager"]), first, last)
        usable = [r for r in rows if not np.isnan(r["end"])] or rows
        managers.append(
            {
                "manager": manager,
                "team": team,
                "cohort": cohort,
                "end": _nanmean([r["end"] for r in rows]),
                "change": _nanmean([r["change"] for r in rows]),
                "lowest": min(usable, key=lambda r: r["end"])["behavior"],
            }
        )
    means = b.groupby(["behavior", "week"])["score"].mean().reset_index()
    charts = {
        "behaviors": _lines_chart(means, column="behavior", value="score", ylabel="mean score")
    }
    try:
        cohorts = compare_cohorts(panels, **(cohort_options or {}))
        cohort_part: dict[str, Any] = {
            "did": [asdict(d) for d in cohorts.did],
            "shapes": [asdict(s) for s in cohorts.shapes],
        }
        charts["cohorts"] = png_uri(cohort_chart(cohorts))
    except AnalysisError as exc:
        cohort_part = {"error": f"No cohort comparison: {exc}"}
    try:
        impact = estimate_impact(panels, **(impact_options or {}))
        impact_part: dict[str, Any] = impact.to_dict()
    except AnalysisError as exc:
        impact_part = {"error": f"No impact estimates: {exc}"}
    return {
        "title": "90-day report: organisation",
        "subtitle": f"{len(managers)} managers — weeks {first} to {last}",
        "managers": managers,
        "cohorts": cohort_part,
        "impact": impact_part,
        "charts": charts,
    }


def brief_context(panels: Panels, manager: str, *, week: int | None = None) -> dict[str, Any]:
    """The weekly brief: this week against last week and the 4-week mean."""
    b = _manager_frame(panels, manager)
    week = int(b["week"].max()) if week is None else week
    recent = b[(b["week"] > week - 8) & (b["week"] <= week)]

    def cell(behavior: str, lo: int, hi: int) -> str:
        x = b[(b["behavior"] == behavior) & (b["week"] >= lo) & (b["week"] <= hi)]["score"]
        return f"{x.mean():.0f}" if len(x) else "—"

    rows = [
        {
            "behavior": beh,
            "now": cell(beh, week, week),
            "last": cell(beh, week - 1, week - 1),
            "mean4": cell(beh, week - 3, week),
        }
        for beh in sorted(b["behavior"].unique())
    ]
    four = _manager_rows(b[(b["week"] > week - 4) & (b["week"] <= week)], week - 3, week)
    return {
        "title": f"Weekly brief: {manager}",
        "subtitle": f"team {b['team'].iloc[0]} — week {week}",
        "behaviors": rows,
        "next_focus": _next_focus(four),
        "charts": {
            "behaviors": _lines_chart(recent, column="behavior", value="score", ylabel="score")
        },
    }


def render_html(template: str, context: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    from coachloop import __version__

    env = Environment(
        loader=PackageLoader("coachloop.outcomes", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return env.get_template(template).render(version=__version__, **context)


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint present but Pango missing
        raise AnalysisError(
            f"cannot make PDFs: {exc}",
            hint="install Pango (scripts/system-deps.sh) or use --no-pdf",
        ) from None
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "report"


def write_reports(
    panels: Panels,
    out_dir: str | Path,
    *,
    manager: str | None = None,
    weekly: bool = False,
    week: int | None = None,
    pdf: bool = True,
    impact_options: dict[str, Any] | None = None,
    cohort_options: dict[str, Any] | None = None,
) -> list[Path]:
    """Write the requested documents (HTML, and PDF unless ``pdf=False``) into ``out_dir``.

    * default: the org report and one 90-day report per manager;
    * ``manager``: that manager's 90-day report only;
    * ``weekly``: weekly briefs (for ``manager`` or every manager) for ``week``.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from coachloop.errors import InputError

        raise InputError(
            f"cannot create the output folder: {exc.strerror}",
            file=out,
            hint="give --out a folder you can write to (new or existing), not a file",
        ) from None
    docs: list[tuple[str, str, dict[str, Any]]] = []
    managers = [manager] if manager else sorted(panels.behaviors["manager"].unique())
    if weekly:
        for m in managers:
            docs.append((f"brief-{_slug(m)}", "brief.html.j2", brief_context(panels, m, week=week)))
    else:
        if manager is None:
            docs.append(
                (
                    "org",
                    "org.html.j2",
                    org_context(
                        panels,
                        end_week=week,
                        impact_options=impact_options,
                        cohort_options=cohort_options,
                    ),
                )
            )
        for m in managers:
            docs.append(
                (
                    f"manager-{_slug(m)}",
                    "manager.html.j2",
                    manager_context(panels, m, end_week=week),
                )
            )
    written = []
    for stem, template, context in docs:
        html = render_html(template, context)
        path = out / f"{stem}.html"
        path.write_text(html, encoding="utf-8")
        written.append(path)
        if pdf:
            pdf_path = out / f"{stem}.pdf"
            pdf_path.write_bytes(html_to_pdf(html))
            written.append(pdf_path)
    return written
