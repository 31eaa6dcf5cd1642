"""Behaviourally coached vs classroom-only managers: did the loop make the difference?

* :func:`cohort_curves` — each cohort's mean change since the programme started, week by
  week, with 95% intervals (statsmodels ``DescrStatsW``);
* :func:`diff_in_diff` — difference-in-differences on the behaviour score and each KPI
  over the programme's first ``weeks`` weeks: ``y = unit FE + week FE + delta * coached * post``
  (linearmodels ``PanelOLS``, standard errors clustered by manager), and the event-study
  version with one ``delta_k`` per programme week (reference: the last week before it);
* :func:`shape` — plateau, decay or compounding: piecewise-linear slopes
  ``y = manager FE + b1 * k + b2 * max(0, k - c)`` with the break ``c`` chosen by least
  squares over the middle of the window; the slopes before (``b1``) and after the break
  (``b1 + b2``) and the change (``b2``) are tested (clustered by manager). Because the break is searched, the
  p-values are somewhat optimistic; the docs say so;
* :func:`cohort_chart` — the two curves side by side, as PNG bytes.

The cohort of a manager is the ``cohort`` column of the behaviour panel (``coached`` /
``classroom``); ``start`` is the first programme week (weeks before it are the baseline).
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from coachloop.errors import AnalysisError
from coachloop.outcomes.panel import Panels

COACHED = "coached"
CLASSROOM = "classroom"
WINDOW = 12
SCORE = "behavior_score"  # the mean of the behaviour scores, the first outcome


@dataclass(frozen=True)
class DidEstimate:
    outcome: str
    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    n_managers: int
    n_obs: int
    event_study: list[dict[str, float]]


@dataclass(frozen=True)
class Shape:
    cohort: str
    outcome: str
    break_week: int
    slope_before: float
    p_before: float
    slope_after: float
    p_after: float
    change: float
    p_change: float
    #: compounding, steady rise, plateau, plateau then decay, decay, decay then plateau, flat
    verdict: str


def _num(x: Any) -> float:
    return float(x)


def _default_start(panels: Panels) -> int:
    return int(panels.behaviors["week"].min()) + 1


def outcome_frame(panels: Panels, *, start: int | None = None, weeks: int = WINDOW) -> pd.DataFrame:
    """Long frame: unit, manager, cohort, week, k (weeks since start), outcome, value.

    The behaviour outcome is the manager-week mean over behaviours; KPI outcomes are the
    team-level KPIs, each team taking its manager's cohort.
    """
    start = _default_start(panels) if start is None else start
    b = panels.behaviors
    cohorts = b.groupby("manager")["cohort"].first()
    known = set(cohorts.unique())
    if not {COACHED, CLASSROOM} <= known:
        raise AnalysisError(
            "the cohort comparison needs managers in both cohorts 'coached' and 'classroom'",
            hint=f"cohorts found: {', '.join(sorted(c or '(none)' for c in known))}; "
            "set them in the roster",
        )
    score = b.groupby(["manager", "team", "cohort", "week"])["score"].mean().reset_index()
    score = score.assign(unit=score["manager"], outcome=SCORE).rename(columns={"score": "value"})
    team_cohort = b.groupby("team")[["manager", "cohort"]].first().reset_index()
    k = panels.kpis[panels.kpis["subject_type"] == "team"]
    kpi = k.merge(team_cohort, on="team").rename(columns={"metric": "outcome"})
    kpi = kpi.assign(unit=kpi["team"])
    cols = ["unit", "manager", "team", "cohort", "week", "outcome", "value"]
    frame = pd.concat([score[cols], kpi[cols]], ignore_index=True)
    frame = frame[frame["cohort"].isin([COACHED, CLASSROOM])]
    frame["k"] = frame["week"] - start
    frame = frame[frame["k"] < weeks]
    if (frame["k"] < 0).sum() == 0:
        raise AnalysisError(
            f"no baseline: nothing was recorded before the programme started (week {start})",
            hint="pass --start with the first programme week; the week before it is the baseline",
        )
    return frame.reset_index(drop=True)


def cohort_curves(frame: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per cohort and programme week: mean change since baseline, 95% interval, n."""
    from statsmodels.stats.weightstats import DescrStatsW

    f = frame[frame["outcome"] == outcome]
    base = f[f["k"] < 0].groupby("unit")["value"].mean()
    f = f.assign(change=f["value"] - f["unit"].map(base)).dropna(subset=["change"])
    rows = []
    for (cohort, k), g in f.groupby(["cohort", "k"]):
        x = g["change"].to_numpy(dtype=float)
        lo, hi = DescrStatsW(x).tconfint_mean() if len(x) > 1 else (np.nan, np.nan)
        rows.append(
            {
                "cohort": cohort,
                "k": int(k),  # type: ignore[call-overload]
                "mean": float(x.mean()),
                "ci_low": float(lo),
                "ci_high": float(hi),
                "n": len(x),
            }
        )
    return pd.DataFrame(rows)


def diff_in_diff(frame: pd.DataFrame, outcome: str, *, alpha: float = 0.05) -> DidEstimate:
    """Pooled and event-study difference-in-differences for one outcome."""
    from linearmodels import PanelOLS

    f = frame[frame["outcome"] == outcome].copy()
    if f.empty:
        raise AnalysisError(f"no outcome named {outcome!r}")
    if not (f["k"] < 0).any():
        raise AnalysisError(f"no baseline weeks for {outcome!r} before the programme started")
    n_managers = f["manager"].nunique()
    per = f.groupby("cohort")["manager"].nunique()
    if per.min() < 3 or len(per) < 2:
        raise AnalysisError(
            f"not enough managers: {per.get(COACHED, 0)} coached and "
            f"{per.get(CLASSROOM, 0)} classroom, need at least 3 in each"
        )
    f["treated_post"] = ((f["cohort"] == COACHED) & (f["k"] >= 0)).astype(float)
    ks = sorted(k for k in f["k"].unique() if k >= 0)
    for k in ks:
        f[f"ev_{k}"] = ((f["cohort"] == COACHED) & (f["k"] == k)).astype(float)
    f = f.groupby(["unit", "week"], as_index=False).first()  # one row per unit-week
    indexed = f.set_index(["unit", "week"])
    clusters = pd.DataFrame({"m": pd.factorize(indexed["manager"])[0]}, index=indexed.index)
    pooled = PanelOLS(
        indexed["value"], indexed[["treated_post"]], entity_effects=True, time_effects=True
    ).fit(cov_type="clustered", clusters=clusters)
    ci = pooled.conf_int(level=1 - alpha).loc["treated_post"]
    ev_cols = [f"ev_{k}" for k in ks]
    event = PanelOLS(
        indexed["value"], indexed[ev_cols], entity_effects=True, time_effects=True
    ).fit(cov_type="clustered", clusters=clusters)
    eci = event.conf_int(level=1 - alpha)
    study = [
        {
            "k": int(k),
            "estimate": _num(event.params[c]),
            "ci_low": _num(eci.loc[c, "lower"]),
            "ci_high": _num(eci.loc[c, "upper"]),
        }
        for k, c in zip(ks, ev_cols, strict=True)
    ]
    return DidEstimate(
        outcome=outcome,
        estimate=_num(pooled.params["treated_post"]),
        std_error=_num(pooled.std_errors["treated_post"]),
        ci_low=_num(ci["lower"]),
        ci_high=_num(ci["upper"]),
        p_value=_num(pooled.pvalues["treated_post"]),
        n_managers=int(n_managers),
        n_obs=int(pooled.nobs),
        event_study=study,
    )


def shape(frame: pd.DataFrame, outcome: str, cohort: str, *, alpha: float = 0.05) -> Shape:
    """Piecewise-linear slopes of one cohort's curve over the programme weeks."""
    from linearmodels import PanelOLS

    f = frame[(frame["outcome"] == outcome) & (frame["cohort"] == cohort) & (frame["k"] >= 0)]
    f = f.groupby(["unit", "k"], as_index=False).agg(
        value=("value", "mean"), manager=("manager", "first")
    )
    ks = sorted(f["k"].unique())
    if len(ks) < 6:
        raise AnalysisError(
            f"not enough programme weeks for the {cohort} curve: {len(ks)}, need at least 6"
        )
    indexed = f.set_index(["unit", "k"]).copy()
    kk = indexed.index.get_level_values("k").to_numpy(dtype=float)
    indexed["slope"] = kk
    clusters = pd.DataFrame({"m": pd.factorize(indexed["manager"])[0]}, index=indexed.index)
    # choose the break by the residual sum of squares of the manager-demeaned fit (the
    # unadjusted PanelOLS, cheap); only the chosen break gets the clustered fit
    best: tuple[float, int] | None = None
    for c in ks[2:-2]:
        indexed["hinge"] = np.maximum(0.0, kk - c)
        ssr = float(
            PanelOLS(indexed["value"], indexed[["slope", "hinge"]], entity_effects=True)
            .fit(cov_type="unadjusted")
            .resid_ss
        )
        if best is None or ssr < best[0]:
            best = (ssr, int(c))
    assert best is not None  # ks has >= 6 weeks, so the loop ran
    c = best[1]
    indexed["hinge"] = np.maximum(0.0, kk - c)
    fit = PanelOLS(indexed["value"], indexed[["slope", "hinge"]], entity_effects=True).fit(
        cov_type="clustered", clusters=clusters
    )
    b1, b2 = float(fit.params["slope"]), float(fit.params["hinge"])
    after = fit.wald_test(formula="slope + hinge = 0")
    p_after = float(after.pval)
    p_change = float(fit.pvalues["hinge"])
    p_before = float(fit.pvalues["slope"])
    slope_after = b1 + b2
    rising_before = b1 > 0 and p_before < alpha
    falling_before = b1 < 0 and p_before < alpha
    if slope_after > 0 and p_after < alpha:
        verdict = "compounding" if b2 > 0 and p_change < alpha else "steady rise"
    elif slope_after < 0 and p_after < alpha:
        verdict = "decay" if rising_before or falling_before else "plateau then decay"
    elif rising_before:
        verdict = "plateau"  # rose, then levelled off
    elif falling_before:
        verdict = "decay then plateau"
    else:
        verdict = "flat"
    return Shape(cohort, outcome, c, b1, p_before, slope_after, p_after, b2, p_change, verdict)


@dataclass(frozen=True)
class CohortResult:
    start: int
    weeks: int
    did: list[DidEstimate]
    shapes: list[Shape]
    curves: dict[str, pd.DataFrame]

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "weeks": self.weeks,
            "did": [asdict(d) for d in self.did],
            "shapes": [asdict(s) for s in self.shapes],
            "curves": {k: v.to_dict(orient="records") for k, v in self.curves.items()},
        }


def compare_cohorts(
    panels: Panels, *, start: int | None = None, weeks: int = WINDOW, alpha: float = 0.05
) -> CohortResult:
    """DiD, curve shapes and curves for the behaviour score and every team KPI."""
    start = _default_start(panels) if start is None else start
    frame = outcome_frame(panels, start=start, weeks=weeks)
    with_baseline = set(frame.loc[frame["k"] < 0, "outcome"])
    outcomes = [SCORE, *sorted(o for o in with_baseline if o != SCORE)]
    did = [diff_in_diff(frame, o, alpha=alpha) for o in outcomes]
    shapes = [shape(frame, o, c, alpha=alpha) for o in outcomes for c in (COACHED, CLASSROOM)]
    curves = {o: cohort_curves(frame, o) for o in outcomes}
    return CohortResult(start, weeks, did, shapes, curves)


def cohort_chart(result: CohortResult, *, kpi: str | None = None) -> bytes:
    """The two cohorts' curves side by side (behaviour score | a KPI) as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outcomes = [SCORE]
    kpis = [o for o in result.curves if o != SCORE]
    if kpi is not None or kpis:
        outcomes.append(kpi or kpis[0])
    fig, axes = plt.subplots(1, len(outcomes), figsize=(5.2 * len(outcomes), 3.6), squeeze=False)
    colours = {COACHED: "#1b7837", CLASSROOM: "#762a83"}
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        curves = result.curves[outcome]
        for cohort in (COACHED, CLASSROOM):
            c = curves[curves["cohort"] == cohort].sort_values("k")
            ax.plot(c["k"], c["mean"], marker="o", ms=3, color=colours[cohort], label=cohort)
            ax.fill_between(c["k"], c["ci_low"], c["ci_high"], color=colours[cohort], alpha=0.15)
        ax.axvline(-0.5, color="grey", lw=0.8, ls="--")
        ax.axhline(0, color="grey", lw=0.5)
        label = "mean behaviour score" if outcome == SCORE else outcome
        ax.set_title(f"{label}: change since baseline")
        ax.set_xlabel("weeks since the programme started")
        ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()
