"""Calibration on tiny rating tables whose answers can be worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from coachloop.analytics.calibration import (
    CalibrationResult,
    calibrate,
    calibrate_against_team_score,
)
from coachloop.errors import ConfigError, InputError

COLS = ["manager", "rep", "period", "skill", "rating"]


def table(spec: dict[str, list[float]], periods=("Q1", "Q2")) -> pd.DataFrame:
    """Each manager rates their own reps r<m>-0… in every period, one skill."""
    rows = []
    for manager, values in spec.items():
        per = len(values) // len(periods)
        for pi, period in enumerate(periods):
            for i in range(per):
                rows.append((manager, f"{manager}-r{i}", period, "discovery", values[pi * per + i]))
    return pd.DataFrame(rows, columns=COLS)


TWO = table({"m1": [4, 4, 5, 5, 4, 4, 5, 5], "m2": [2, 2, 3, 3, 2, 2, 3, 3]})


def test_leniency_is_the_mean_difference_without_covariates():
    res = calibrate(TWO)
    m1, m2 = res["m1"], res["m2"]
    assert m1.effect == pytest.approx(2.0) and m2.effect == pytest.approx(-2.0)
    assert (m1.leniency, m2.leniency) == ("lenient", "severe")
    # all 16 ratings: 2, 3, 4, 5 four times each → SD √(20/15) = 1.154701
    assert m1.effect_sd == pytest.approx(2.0 / math.sqrt(20 / 15))
    assert m1.ci_low < 2.0 < m1.ci_high
    # both SDs √(2/7) → ratio 1
    assert m1.sd == pytest.approx(math.sqrt(2 / 7)) and m1.spread_ratio == pytest.approx(1.0)
    assert any("HC1" in n for n in m1.notes)  # 8 reps < 10: not clustered
    assert m1.rho is None and "no performance data" in " ".join(m1.notes)


def test_rank_agreement_joins_mean_rating_to_performance():
    ratings = table({"m1": [1, 2, 3, 4, 5, 1, 2, 3], "m2": [3] * 8}, periods=("Q1",))
    perf = pd.DataFrame(
        [(f"m1-r{i}", "Q1", v) for i, v in enumerate([2, 1, 4, 3, 5, 0.5, 6, 7])],
        columns=["rep", "period", "value"],
    )
    res = calibrate(ratings, perf, config={"min_pairs_for_rank": 5})
    m1 = res["m1"]
    # m2's reps have no performance, so leniency is not adjusted for it
    assert not m1.adjusted_for_performance
    assert m1.n_pairs == 8
    # ranks: ratings 1,2,3,4,5,1,2,3 vs values 2,1,4,3,5,.5,6,7 — scipy's tie-aware rho
    from scipy.stats import spearmanr

    expected = spearmanr([1, 2, 3, 4, 5, 1, 2, 3], [2, 1, 4, 3, 5, 0.5, 6, 7]).statistic
    assert m1.rho == pytest.approx(expected)
    assert res["m2"].rho is None  # no performance for m2's reps


def test_rho_without_ties_by_hand():
    # ratings 1..5 vs values 2,1,4,3,5: d = 1,-1,1,-1,0 → rho = 1 − 6·4/(5·24) = .8
    ratings = table({"m1": [1, 2, 3, 4, 5, 1, 2, 3], "m2": [3] * 8}, periods=("Q1",))
    ratings = ratings[
        ratings["rep"].isin([f"m1-r{i}" for i in range(5)]) | (ratings["manager"] == "m2")
    ]
    perf = pd.DataFrame(
        [(f"m1-r{i}", "Q1", v) for i, v in enumerate([2, 1, 4, 3, 5])],
        columns=["rep", "period", "value"],
    )
    res = calibrate(ratings, perf, config={"min_ratings": 5})
    assert res["m1"].rho == pytest.approx(0.8)


def test_performance_adjustment_removes_deserved_difference():
    # m1's reps perform better and are rated exactly performance + 1, like m2's: no leniency.
    rows, perf = [], []
    for m, base in (("m1", 3.0), ("m2", 1.0)):
        for i in range(4):
            for period in ("Q1", "Q2"):
                value = base + i * 0.5 + (0.25 if period == "Q2" else 0)
                perf.append((f"{m}-r{i}", period, value))
                rows.append((m, f"{m}-r{i}", period, "discovery", value + 1))
    res = calibrate(
        pd.DataFrame(rows, columns=COLS), pd.DataFrame(perf, columns=["rep", "period", "value"])
    )
    assert res["m1"].adjusted_for_performance
    assert res["m1"].effect == pytest.approx(0.0, abs=1e-9)
    assert res["m1"].rho == pytest.approx(1.0)


def test_too_few_ratings_refuses():
    ratings = pd.concat([TWO, pd.DataFrame([("m3", "x", "Q1", "discovery", 3)], columns=COLS)])
    res = calibrate(ratings)
    assert res["m3"].reason == "1 rating(s); calibration needs at least 8"
    assert res["m1"].reason is None


def test_single_manager_has_no_peers():
    res = calibrate(TWO[TWO["manager"] == "m1"])
    assert "comparing against peers needs 2" in res["m1"].reason


def test_missing_column_and_bad_config():
    with pytest.raises(InputError, match=r"missing column\(s\) \['skill'\]"):
        calibrate(TWO.drop(columns=["skill"]))
    with pytest.raises(ConfigError):
        calibrate(TWO, config={"alpha": 2})


def result(**kw) -> CalibrationResult:
    base = dict(manager="m", n_ratings=20, n_reps=5, effect=0.5, effect_sd=0.5, ci_low=0.1, ci_high=0.9,
                leniency="lenient", rho=0.3, rho_p=0.2, n_pairs=10, sd=2.0, peer_sd=1.0, spread_ratio=2.0,
                last_period="2026-Q3")  # fmt: skip
    return CalibrationResult(**{**base, **kw})


def test_score_by_hand():
    # leniency 1 − .5 = .5; rank .3/.6 = .5; spread 1 − ln2/ln2 = 0; refs .5/1 = .5
    # (.4·.5 + .3·.5 + .15·0 + .15·.5) / 1 = .425
    out = calibrate_against_team_score(result(), 0.5)
    assert out["score"] == 42.5
    assert out["evidence"][0]["date"] == "2026-Q3"
    assert "ratings run 0.50 points above peers (lenient)" in out["why_not_higher"]
    assert "ratings are wider than peers' (SD 2.00 vs 1.00)" in out["why_not_higher"]


def test_score_renormalises_missing_components():
    # leniency .5 (w .4) and spread 0 (w .15) only: .2 / .55 = .363636
    out = calibrate_against_team_score(result(rho=None), None)
    assert out["score"] == 36.4
    assert set(out["signals"]["components"]) == {"leniency", "spread"}


def test_score_refuses_with_reason():
    out = calibrate_against_team_score(CalibrationResult("m", 2, 1, reason="too few"), 1.0)
    assert (out["score"], out["reason"]) == (None, "too few")


def test_clustered_errors_with_ten_or_more_reps():
    # 3 managers × 4 reps × 2 periods: m1 averages 3.5, peers 2.5 → effect +1.0
    ratings = table({"m1": [3, 4] * 4, "m2": [2, 3] * 4, "m3": [3, 2] * 4})
    m1 = calibrate(ratings)["m1"]
    assert m1.effect == pytest.approx(1.0)
    assert not any("HC1" in n for n in m1.notes)
    assert m1.ci_low < 1.0 < m1.ci_high and m1.leniency == "lenient"
