"""Weekly trend and change-point tests on tiny curves with hand-computed answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachloop.analytics.curves import compare_series, trend
from coachloop.errors import AnalysisError

MON = date(2026, 9, 7)


def weekly(values, start=MON):
    return [(start + timedelta(weeks=i), v) for i, v in enumerate(values)]


def test_too_few_points_refuses():
    t = trend(weekly([1, 2, 3]))
    assert (t.n, t.slope, t.p_value) == (3, None, None)
    assert t.reason == "3 weekly point(s); a trend needs at least 4"


def test_none_and_nan_values_are_dropped():
    t = trend(weekly([1, None, 2, float("nan"), 3]))
    assert t.n == 3 and t.reason


def test_slope_and_intercept_by_hand():
    # x̄ = 1.5, ȳ = 2.5, Sxy = 4, Sxx = 5 → slope .8, intercept 1.3
    t = trend(weekly([1, 3, 2, 4]))
    assert t.slope == pytest.approx(0.8) and t.intercept == pytest.approx(1.3)
    assert t.ci_low < 0.8 < t.ci_high and 0 < t.p_value < 1
    assert t.change_week is None and t.change_p is None  # 4 points: no split testable


def test_exact_line_has_zero_width_interval():
    t = trend(weekly([1, 3, 5, 7, 9]))
    assert (t.slope, t.ci_low, t.ci_high, t.p_value, t.direction) == (
        pytest.approx(2.0),
        pytest.approx(2.0),
        pytest.approx(2.0),
        0.0,
        "up",
    )


def test_x_axis_is_weeks_between_dates():
    # days 0, 7, 21, 28 → weeks 0, 1, 3, 4; y = 10 − x exactly
    pts = [
        (MON, 10),
        (MON + timedelta(7), 9),
        (MON + timedelta(21), 7),
        (datetime(2026, 10, 5, 9), 6),
    ]
    assert trend(pts).slope == pytest.approx(-1.0)


def test_flat_noise_is_flat():
    t = trend(weekly([5, 6, 5, 6, 5, 6, 5, 6]))
    assert t.direction == "flat" and t.change_week is None


def test_chow_statistic_by_hand():
    # One admissible split (3 | 3). Each half 0,1,3 / 3,4,6 has RSS 1/6; pooled RSS 1.104762.
    # F = ((1.104762 − 1/3)/2) / ((1/3)/2) = 2.314286; F(2, 2) tail = 1/(1 + F) = .301724
    t = trend(weekly([0, 1, 3, 3, 4, 6]))
    assert t.change_f == pytest.approx(2.314286, abs=1e-6)
    assert t.change_p == pytest.approx(0.301724, abs=1e-6)
    assert t.best_split == MON + timedelta(weeks=3) and t.change_week is None


def test_step_is_found_at_its_week():
    t = trend(weekly([50, 50, 50, 50, 50, 50, 70, 70, 70, 70, 70, 70]))
    assert t.change_week == MON + timedelta(weeks=6) and t.change_p == 0.0


def test_bonferroni_multiplies_by_splits():
    values = [0, 1, 3, 3, 4, 6, 5]  # 7 points: splits 3 and 4
    t = trend(weekly(values))
    assert t.change_p == pytest.approx(min(1.0, 2 * _best_p(values)))


def _best_p(values):
    import numpy as np
    from scipy import stats

    def rss(x, y):
        b = np.polyfit(x, y, 1)
        return float(np.sum((np.polyval(b, x) - y) ** 2))

    x = np.arange(len(values), dtype=float)
    y = np.array(values, dtype=float)
    best = None
    for s in (3, 4):
        within = rss(x[:s], y[:s]) + rss(x[s:], y[s:])
        f = ((rss(x, y) - within) / 2) / (within / (len(y) - 4))
        if best is None or f > best[0]:
            best = (f, stats.f.sf(f, 2, len(y) - 4))
    return best[1]


def test_min_points_below_three_is_refused():
    with pytest.raises(AnalysisError):
        trend(weekly([1, 2, 3, 4]), min_points=2)


def test_infinite_value_is_refused():
    with pytest.raises(AnalysisError, match="infinite"):
        trend(weekly([1, 2, float("inf"), 4]))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=4, max_size=12),
    st.floats(-5, 5, allow_nan=False),
    st.floats(-50, 50, allow_nan=False),
)
def test_slope_shifts_with_added_line(values, slope, shift):
    """Adding a line a + b·week to any curve adds exactly b to the fitted slope."""
    base = trend(weekly(values))
    moved = trend(weekly([v + shift + slope * i for i, v in enumerate(values)]))
    assert moved.slope == pytest.approx(base.slope + slope, abs=1e-6)
    assert moved.ci_low <= moved.slope <= moved.ci_high


def test_compare_series():
    rec = weekly([50, 52, 54, 56, 58])
    pra = weekly([60, 61, 65, 66, 69])
    cmp = compare_series(rec, pra)
    # gaps 10, 9, 11, 10, 11 → mean 10.2
    assert cmp.common_weeks == 5 and cmp.mean_gap == pytest.approx(10.2)
    # Sxy = 46, Sxx = 40, Syy = 54.8 → r = 46 / √2192 = .982511
    assert cmp.correlation == pytest.approx(0.982511, abs=1e-6)
    assert cmp.summary.startswith("recorded up (+2.00/week")
    assert "practice runs +10.2 points vs recorded over 5 common week(s)" in cmp.summary


def test_compare_series_short_practice():
    cmp = compare_series(weekly([50, 52, 54, 56]), weekly([60]))
    assert cmp.practice.reason and cmp.correlation is None
    assert "practice: not enough weeks (1)" in cmp.summary
