"""Rating calibration: is a manager lenient or severe against peers, do their ratings
rank reps the way measured performance does, and is their spread like the team's?

:func:`calibrate` takes skill ratings (one row per manager, rep, period, skill) and,
optionally, measured performance (rep, period, value) and returns one
:class:`CalibrationResult` per manager:

* leniency — OLS ``rating ~ is_manager + C(skill) [+ performance]`` (statsmodels), the
  coefficient of ``is_manager`` is how far this manager rates above (+) or below (−)
  peers for the same skill and measured performance; standard errors clustered by rep
  (a rep's ratings are not independent) when there are ≥ 10 reps, HC1 otherwise;
* rank agreement — Spearman's rho (scipy) between the manager's mean rating of a rep in a
  period and that rep's measured performance in the period;
* spread — SD of the manager's ratings against the SD of all peers' ratings, with a
  Brown–Forsythe test (scipy ``levene(center='median')``).

:func:`calibrate_against_team_score` turns one result into the ``calibrate_against_team``
behaviour result. Too few ratings give a result with ``reason`` set, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

from coachloop.analytics.thresholds import CalibrationConfig, resolve
from coachloop.errors import InputError

__all__ = ["CalibrationResult", "calibrate", "calibrate_against_team_score"]

RATING_COLUMNS = ("manager", "rep", "period", "skill", "rating")
PERFORMANCE_COLUMNS = ("rep", "period", "value")
#: reps needed before standard errors are clustered by rep
MIN_CLUSTERS = 10


@dataclass(frozen=True, slots=True)
class CalibrationResult:
    """One manager's calibration against peers (None fields: not computable, see notes).

    effect              rating points above (+) / below (−) peers, adjusted for skill and
                        measured performance when given
    effect_sd           effect in SDs of all ratings (scale-free)
    ci_low, ci_high     95 % CI of ``effect``
    leniency            'lenient' / 'severe' when the CI excludes 0, else 'in line'
    rho, rho_p, n_pairs Spearman rank agreement with performance over (rep, period) pairs
    sd, peer_sd         SD of this manager's ratings and of all peers' ratings
    spread_ratio        sd / peer_sd; spread_p the Brown–Forsythe p-value
    last_period         the latest period rated (for evidence dates)
    reason              why there is no result at all (too few ratings / managers)
    notes               why individual parts are missing
    """

    manager: str
    n_ratings: int
    n_reps: int
    mean_rating: float | None = None
    effect: float | None = None
    effect_sd: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    effect_p: float | None = None
    leniency: str | None = None
    rho: float | None = None
    rho_p: float | None = None
    n_pairs: int = 0
    sd: float | None = None
    peer_sd: float | None = None
    spread_ratio: float | None = None
    spread_p: float | None = None
    last_period: str | None = None
    adjusted_for_performance: bool = False
    reason: str | None = None
    notes: tuple[str, ...] = ()


def _check_frame(df: Any, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            f"{what} is missing column(s) {missing}", hint=f"expected columns {list(columns)}"
        )
    out = df.loc[:, list(columns)].copy()
    value_col = columns[-1]
    out[value_col] = pd.to_numeric(out[value_col], errors="coerce")
    for col in columns[:-1]:
        out[col] = out[col].astype(str)
    return out.dropna(subset=[value_col])


def _f(x: Any) -> float | None:
    value = float(x)
    return None if math.isnan(value) or math.isinf(value) else value


def calibrate(
    ratings: pd.DataFrame,
    performance: pd.DataFrame | None = None,
    *,
    config: CalibrationConfig | Mapping[str, Any] | None = None,
) -> dict[str, CalibrationResult]:
    """Calibration of every manager in ``ratings`` (see module docstring)."""
    cfg = resolve(CalibrationConfig, config)
    df = _check_frame(ratings, RATING_COLUMNS, "ratings")
    if performance is not None:
        perf = _check_frame(performance, PERFORMANCE_COLUMNS, "performance")
        mean_perf = perf.groupby(["rep", "period"], as_index=False)["value"].mean()
        df = df.merge(mean_perf, on=["rep", "period"], how="left")
    counts = df.groupby("manager")["rating"].size()
    enough = sorted(str(m) for m, n in counts.items() if n >= cfg.min_ratings)
    overall_sd = float(df["rating"].std(ddof=1)) if len(df) > 1 else float("nan")

    results: dict[str, CalibrationResult] = {}
    for manager in sorted(str(m) for m in counts.index):
        mine = df[df["manager"] == manager]
        base: dict[str, Any] = {
            "manager": manager,
            "n_ratings": len(mine),
            "n_reps": int(mine["rep"].nunique()),
            "mean_rating": _f(mine["rating"].mean()),
            "last_period": str(max(mine["period"])),
        }
        if len(mine) < cfg.min_ratings:
            results[manager] = CalibrationResult(
                **base,
                reason=f"{len(mine)} rating(s); calibration needs at least {cfg.min_ratings}",
            )
            continue
        if len(enough) < cfg.min_managers:
            results[manager] = CalibrationResult(
                **base,
                reason=f"{len(enough)} manager(s) with at least {cfg.min_ratings} ratings; "
                f"comparing against peers needs {cfg.min_managers}",
            )
            continue
        results[manager] = _one(
            manager, df[df["manager"].isin(enough)], mine, base, cfg, overall_sd
        )
    return results


def _one(
    manager: str,
    df: pd.DataFrame,
    mine: pd.DataFrame,
    base: dict[str, Any],
    cfg: CalibrationConfig,
    overall_sd: float,
) -> CalibrationResult:
    notes: list[str] = []
    data = df.assign(is_manager=(df["manager"] == manager).astype(float))
    terms = ["is_manager"]
    if data["skill"].nunique() > 1:
        terms.append("C(skill)")
    adjusted = (
        "value" in data.columns
        and bool(data["value"].notna().all())
        and data["value"].nunique() > 1
    )
    if adjusted:
        terms.append("value")
    elif "value" in data.columns:
        notes.append("performance missing for some ratings: leniency not adjusted for it")
    model = smf.ols("rating ~ " + " + ".join(terms), data=data)
    n_reps = data["rep"].nunique()
    if n_reps >= MIN_CLUSTERS:
        groups = pd.factorize(data["rep"])[0]
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
    else:
        fit = model.fit(cov_type="HC1")
        notes.append(f"{n_reps} reps: heteroskedasticity-robust (HC1) errors, not clustered by rep")
    effect = _f(fit.params["is_manager"])
    lo, hi = (float(v) for v in fit.conf_int(alpha=cfg.alpha).loc["is_manager"])
    effect_p = _f(fit.pvalues["is_manager"])
    if effect is not None and (math.isnan(lo) or math.isnan(hi)):
        lo = hi = effect
    leniency = "in line"
    if lo > 0:
        leniency = "lenient"
    elif hi < 0:
        leniency = "severe"

    rho = rho_p = None
    n_pairs = 0
    if "value" in mine.columns:
        pairs = mine.groupby(["rep", "period"]).agg(
            rating=("rating", "mean"), value=("value", "first")
        )
        pairs = pairs.dropna()
        n_pairs = len(pairs)
        if n_pairs < cfg.min_pairs_for_rank:
            notes.append(
                f"{n_pairs} rep-period(s) with performance; rank agreement needs {cfg.min_pairs_for_rank}"
            )
        elif pairs["rating"].nunique() < 2 or pairs["value"].nunique() < 2:
            notes.append("ratings or performance do not vary: rank agreement undefined")
        else:
            res = stats.spearmanr(pairs["rating"], pairs["value"])
            rho, rho_p = _f(res.statistic), _f(res.pvalue)
    else:
        notes.append("no performance data: rank agreement not computed")

    peers = df[df["manager"] != manager]["rating"]
    sd = _f(mine["rating"].std(ddof=1))
    peer_sd = _f(peers.std(ddof=1))
    ratio = spread_p = None
    if sd is not None and peer_sd:
        ratio = sd / peer_sd
        if sd > 0 or peer_sd > 0:
            # Equal spreads of absolute deviations make the statistic 0/0: p is then None.
            with np.errstate(invalid="ignore", divide="ignore"):
                spread_p = _f(stats.levene(mine["rating"], peers, center="median").pvalue)
    return CalibrationResult(
        **base,
        effect=effect,
        effect_sd=(effect / overall_sd) if effect is not None and overall_sd > 0 else None,
        ci_low=lo,
        ci_high=hi,
        effect_p=effect_p,
        leniency=leniency,
        rho=rho,
        rho_p=rho_p,
        n_pairs=n_pairs,
        sd=sd,
        peer_sd=peer_sd,
        spread_ratio=ratio,
        spread_p=spread_p,
        adjusted_for_performance=adjusted,
        notes=tuple(notes),
    )


def calibrate_against_team_score(
    result: CalibrationResult,
    benchmark_refs_per_meeting: float | None,
    *,
    config: CalibrationConfig | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``calibrate_against_team`` behaviour result from one manager's calibration.

    score = 100 × weighted mean of the components that could be computed (weights
    renormalised over them):

    * leniency  1 − |effect_sd| / effect_max_sd, floored at 0
    * rank      rho / rho_good, clipped to [0, 1]
    * spread    1 − |ln(spread_ratio)| / ln 2, floored at 0 (half or double the peers' SD → 0)
    * refs      benchmark references per meeting / refs_good, capped at 1 (how often the
                manager names a team benchmark in their 1:1s, from the conversation signals)
    """
    cfg = resolve(CalibrationConfig, config)
    if result.reason:
        return {
            "score": None,
            "reason": result.reason,
            "evidence": [],
            "why_not_higher": result.reason,
            "signals": {"n_ratings": result.n_ratings},
        }
    parts: dict[str, float] = {}
    if result.effect_sd is not None:
        parts["leniency"] = max(0.0, 1.0 - abs(result.effect_sd) / cfg.effect_max_sd)
    if result.rho is not None:
        parts["rank"] = min(1.0, max(0.0, result.rho / cfg.rho_good))
    if result.spread_ratio is not None and result.spread_ratio > 0:
        parts["spread"] = max(0.0, 1.0 - abs(math.log(result.spread_ratio)) / math.log(2.0))
    elif result.spread_ratio == 0:
        parts["spread"] = 0.0
    if benchmark_refs_per_meeting is not None:
        if benchmark_refs_per_meeting < 0 or math.isnan(benchmark_refs_per_meeting):
            raise InputError(
                f"benchmark references per meeting must be ≥ 0, got {benchmark_refs_per_meeting!r}"
            )
        parts["refs"] = min(1.0, benchmark_refs_per_meeting / cfg.refs_good)
    weights = {
        "leniency": cfg.w_leniency,
        "rank": cfg.w_rank,
        "spread": cfg.w_spread,
        "refs": cfg.w_refs,
    }
    total = sum(weights[k] for k in parts)
    if not parts or total == 0:
        why = "no calibration component could be computed"
        return {"score": None, "reason": why, "evidence": [], "why_not_higher": why, "signals": {}}
    score = 100.0 * sum(parts[k] * weights[k] for k in parts) / total

    when = result.last_period
    evidence = []
    reasons = []
    if result.effect is not None:
        direction = "above" if result.effect > 0 else "below"
        shows = (
            f"rates {abs(result.effect):.2f} points {direction} peers"
            + (" for the same measured performance" if result.adjusted_for_performance else "")
            + f" (95% CI {result.ci_low:.2f} to {result.ci_high:.2f}): {result.leniency}"
        )
        evidence.append(
            {
                "date": when,
                "event": f"{result.n_ratings} ratings of {result.n_reps} reps",
                "shows": shows,
            }
        )
        if result.leniency != "in line":
            reasons.append(
                f"ratings run {abs(result.effect):.2f} points {direction} peers ({result.leniency})"
            )
    if result.rho is not None:
        evidence.append(
            {
                "date": when,
                "event": f"{result.n_pairs} rep-periods with measured performance",
                "shows": f"rank agreement with performance rho = {result.rho:.2f} (p = {result.rho_p:.3g})",
            }
        )
        if result.rho < cfg.rho_good:
            reasons.append(
                f"ratings rank reps unlike measured performance (rho {result.rho:.2f} < {cfg.rho_good:g})"
            )
    if result.spread_ratio is not None:
        evidence.append(
            {
                "date": when,
                "event": "spread of ratings",
                "shows": f"SD {result.sd:.2f} vs peers {result.peer_sd:.2f} (ratio {result.spread_ratio:.2f})",
            }
        )
        if abs(math.log(result.spread_ratio or 1e-9)) > math.log(1.25):
            kind = "narrower" if result.spread_ratio < 1 else "wider"
            reasons.append(
                f"ratings are {kind} than peers' (SD {result.sd:.2f} vs {result.peer_sd:.2f})"
            )
    if "refs" in parts and parts["refs"] < 1:
        reasons.append(
            f"names a team benchmark {benchmark_refs_per_meeting:.2f} times per 1:1 (target {cfg.refs_good:g})"
        )
    reasons.extend(result.notes)
    why = (
        "; ".join(reasons)
        if reasons
        else "Nothing to fix: ratings are in line with peers and performance."
    )
    return {
        "score": round(score, 1),
        "reason": None,
        "evidence": evidence,
        "why_not_higher": why,
        "signals": {
            "effect": result.effect,
            "effect_sd": result.effect_sd,
            "ci_low": result.ci_low,
            "ci_high": result.ci_high,
            "leniency": result.leniency,
            "rho": result.rho,
            "rho_p": result.rho_p,
            "spread_ratio": result.spread_ratio,
            "benchmark_refs_per_meeting": benchmark_refs_per_meeting,
            "components": {k: round(v, 4) for k, v in parts.items()},
        },
    }
