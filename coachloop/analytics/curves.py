"""Trend tests on weekly curves (a behaviour score per week, meeting hours per week…).

:func:`trend` fits ``value ~ 1 + weeks`` by OLS (statsmodels) with Newey–West (HAC)
standard errors, because weekly scores of one manager are autocorrelated, and looks for
one change point with a Chow F-test at every admissible split, Bonferroni-corrected for
the number of splits tried. :func:`compare_series` sets a recorded-1:1 curve beside a
practice curve. Too few points give a :class:`Trend` with ``reason`` set and no numbers,
never an exception: a short curve is normal for a new manager.

Formulas and their caveats: docs/analytics.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import statsmodels.api as sm
from scipy import stats

from coachloop.errors import AnalysisError

__all__ = ["CurveComparison", "Trend", "compare_series", "trend"]

#: points needed on each side of a candidate change point
MIN_SEGMENT = 3


@dataclass(frozen=True, slots=True)
class Trend:
    """A fitted weekly trend.

    n                points used (None values dropped)
    slope            change in value per week (OLS)
    ci_low, ci_high  95 % confidence interval of the slope (HAC standard errors)
    p_value          two-sided test of slope = 0
    intercept        fitted value at the first point's week
    direction        'up' / 'down' when p < 0.05, else 'flat'
    change_week      date of the first point after the best split, when it is significant
                     at 0.05 after correction; else None
    change_p         Bonferroni-corrected p-value of the best split (None when untested)
    change_f         Chow F statistic at the best split
    best_split       date of the first point after the best split, significant or not
    reason           why there are no numbers (too few points); None otherwise
    """

    n: int
    slope: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    intercept: float | None = None
    direction: str | None = None
    change_week: date | None = None
    change_p: float | None = None
    change_f: float | None = None
    best_split: date | None = None
    reason: str | None = None


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _clean(points: Sequence[tuple[date | datetime, float | None]]) -> list[tuple[date, float]]:
    out = []
    for d, v in points:
        if v is None:
            continue
        fv = float(v)
        if math.isnan(fv):
            continue
        if math.isinf(fv):
            raise AnalysisError(f"curve value on {d} is infinite", hint="scores are finite numbers")
        out.append((_day(d), fv))
    out.sort(key=lambda p: p[0])
    return out


def _finite(x: float) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


def _rss(x: np.ndarray, y: np.ndarray) -> float:
    return float(sm.OLS(y, sm.add_constant(x, has_constant="add")).fit().ssr)


def _chow(x: np.ndarray, y: np.ndarray) -> tuple[int, float, float] | None:
    """(split index, F, corrected p) of the best single break, or None when untestable."""
    n = len(y)
    splits = list(range(MIN_SEGMENT, n - MIN_SEGMENT + 1))
    if not splits:
        return None
    k = 2  # intercept and slope in each segment
    pooled = _rss(x, y)
    best: tuple[int, float, float] | None = None
    for s in splits:
        within = _rss(x[:s], y[:s]) + _rss(x[s:], y[s:])
        df2 = n - 2 * k
        if within <= 1e-12 * max(1.0, pooled):
            f_stat, p = (math.inf, 0.0) if pooled > 1e-12 else (0.0, 1.0)
        else:
            f_stat = ((pooled - within) / k) / (within / df2)
            p = float(stats.f.sf(f_stat, k, df2))
        if best is None or f_stat > best[1]:
            best = (s, f_stat, p)
    if best is None:
        return None
    s, f_stat, p = best
    return s, f_stat, min(1.0, p * len(splits))


def trend(
    points: Sequence[tuple[date | datetime, float | None]],
    *,
    min_points: int = 4,
    alpha: float = 0.05,
) -> Trend:
    """The weekly slope of ``points`` with a 95 % CI, p-value and a change-point test.

    ``points`` are (date, value); the x axis is weeks since the first date, so irregular
    spacing is respected. HAC lags follow Newey–West's rule floor(4·(n/100)^(2/9)).
    The change-point test needs ``2 × MIN_SEGMENT`` points (6).
    """
    if min_points < 3:
        raise AnalysisError(
            f"min_points must be at least 3 to fit a slope with an error, got {min_points}"
        )
    pts = _clean(points)
    n = len(pts)
    if n < min_points:
        return Trend(n=n, reason=f"{n} weekly point(s); a trend needs at least {min_points}")
    first = pts[0][0]
    x = np.array([(d - first).days / 7.0 for d, _ in pts])
    y = np.array([v for _, v in pts])
    if np.ptp(x) == 0:
        return Trend(n=n, reason="all points fall on the same date; a trend needs several weeks")
    lags = max(1, int(4 * (n / 100.0) ** (2.0 / 9.0)))
    fit = sm.OLS(y, sm.add_constant(x, has_constant="add")).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True
    )
    slope = float(fit.params[1])
    if fit.ssr <= 1e-12 * max(1.0, float(np.sum((y - y.mean()) ** 2))):
        # An exact line: the error is zero and the test degenerate; say so plainly.
        ci_low = ci_high = slope
        p_value: float | None = 0.0 if abs(slope) > 1e-12 else 1.0
    else:
        lo, hi = fit.conf_int(alpha=0.05)[1]
        ci_low, ci_high, p_value = float(lo), float(hi), _finite(float(fit.pvalues[1]))
    direction = "flat"
    if p_value is not None and p_value < alpha:
        direction = "up" if slope > 0 else "down"
    chow = _chow(x, y)
    change_week = best_split = None
    change_p = change_f = None
    if chow is not None:
        s, change_f, change_p = chow
        best_split = pts[s][0]
        if change_p < alpha:
            change_week = best_split
    return Trend(
        n=n,
        slope=slope,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
        intercept=float(fit.params[0]),
        direction=direction,
        change_week=change_week,
        change_p=change_p,
        change_f=None if change_f is None else float(change_f),
        best_split=best_split,
    )


@dataclass(frozen=True, slots=True)
class CurveComparison:
    """A recorded-1:1 curve beside a practice curve for the same behaviour.

    common_weeks     ISO weeks (keyed by their Monday) present in both
    mean_gap         mean of practice − recorded over the common weeks (None without any)
    correlation      Pearson r over common weeks and its p-value (None below 4 weeks)
    summary          one sentence for a report
    """

    recorded: Trend
    practice: Trend
    common_weeks: int
    mean_gap: float | None
    correlation: float | None
    correlation_p: float | None
    summary: str


def _weekly(points: Sequence[tuple[date | datetime, float | None]]) -> dict[date, float]:
    buckets: dict[date, list[float]] = {}
    for d, v in _clean(points):
        buckets.setdefault(d - timedelta(days=d.weekday()), []).append(v)
    return {k: float(np.mean(v)) for k, v in buckets.items()}


def compare_series(
    recorded: Sequence[tuple[date | datetime, float | None]],
    practice: Sequence[tuple[date | datetime, float | None]],
    *,
    min_points: int = 4,
) -> CurveComparison:
    """Compare a behaviour's curve in recorded 1:1s with its curve in practice sessions."""
    rec_t, pra_t = trend(recorded, min_points=min_points), trend(practice, min_points=min_points)
    rec_w, pra_w = _weekly(recorded), _weekly(practice)
    common = sorted(set(rec_w) & set(pra_w))
    gap = float(np.mean([pra_w[w] - rec_w[w] for w in common])) if common else None
    r = r_p = None
    if len(common) >= 4:
        a, b = [rec_w[w] for w in common], [pra_w[w] for w in common]
        if np.ptp(a) > 0 and np.ptp(b) > 0:
            res = stats.pearsonr(a, b)
            r, r_p = float(res.statistic), float(res.pvalue)

    def says(t: Trend, what: str) -> str:
        if t.reason:
            return f"{what}: not enough weeks ({t.n})"
        return f"{what} {t.direction} ({t.slope:+.2f}/week, p={t.p_value:.3g})"

    parts = [says(rec_t, "recorded"), says(pra_t, "practice")]
    if gap is not None:
        parts.append(
            f"practice runs {gap:+.1f} points vs recorded over {len(common)} common week(s)"
        )
    return CurveComparison(
        recorded=rec_t,
        practice=pra_t,
        common_weeks=len(common),
        mean_gap=gap,
        correlation=r,
        correlation_p=r_p,
        summary="; ".join(parts),
    )
