from __future__ import annotations

import json
from pathlib import Path

import pytest

from coachloop.behaviors import BEHAVIOR_IDS as LAB_BEHAVIORS
from coachloop.errors import AnalysisError
from coachloop.outcomes.impact import (
    Estimate,
    ImpactResult,
    TrueEffect,
    coverage,
    load_truth_effects,
)

LAB_TRUTH = {
    "behaviors": ["ask_before_tell", "hold_cadence", "protect_rep_calendars"],
    "kpi_effects": {
        "activities": {
            "base": 90.0,
            "rep_sd": 12.0,
            "effects": [
                {"behavior": "protect_rep_calendars", "coef": 25.0, "lag_weeks": 1},
                {"behavior": "hold_cadence", "coef": 10.0, "lag_weeks": 3},
            ],
        }
    },
}


@pytest.fixture
def truth_file(tmp_path: Path) -> Path:
    path = tmp_path / "truth.json"
    path.write_text(json.dumps(LAB_TRUTH), encoding="utf-8")
    return path


def test_lab_coefficients_become_per_point_effects_with_lags(truth_file: Path) -> None:
    truth = load_truth_effects(truth_file)
    assert truth[("activities", "protect_rep_calendars")] == TrueEffect(
        "activities", "protect_rep_calendars", 0.25, 1, "rep"
    )
    # behaviours the metric does not list have no effect; "base" is not a behaviour
    assert truth[("activities", "ask_before_tell")].per_point == 0.0
    assert set(truth) == {("activities", b) for b in LAB_TRUTH["behaviors"]}


def _result(level: str, lag: int) -> ImpactResult:
    est = [
        Estimate("activities", "protect_rep_calendars", lag, 0.2, 0.05, 0.1, 0.3, 0.01),
        Estimate("activities", "hold_cadence", lag, 0.05, 0.05, -0.05, 0.15, 0.3),
        Estimate("activities", "ask_before_tell", lag, 0.1, 0.02, 0.06, 0.14, 0.001),
    ]
    return ImpactResult(est, {}, 30, 20, level, "reliability", 1, 0.05)


def test_non_zero_effects_are_compared_at_their_own_lag(truth_file: Path) -> None:
    frame, share = coverage(_result("rep", 1), load_truth_effects(truth_file))
    # hold_cadence acts at lag 3, so the lag-1 estimate is not held against it
    assert frame["behavior"].tolist() == ["protect_rep_calendars", "ask_before_tell"]
    assert frame["covered"].tolist() == [True, False]
    assert share == 0.5


def test_team_estimates_are_not_compared_with_per_rep_truth(truth_file: Path) -> None:
    with pytest.raises(AnalysisError, match="the true effects are per rep, the estimates per team"):
        coverage(_result("team", 1), load_truth_effects(truth_file))


def test_unreadable_truth(tmp_path: Path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(AnalysisError, match="no KPI effects found"):
        load_truth_effects(bad)


def test_scorer_calibration_recovers_the_scorers_slope(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from coachloop.outcomes.impact import scorer_calibration
    from coachloop.outcomes.synthetic import synthetic_panels

    org = synthetic_panels(teams=20, weeks=12, noise_sd=2.0, seed=6)
    # the lab says level = skill / 50, so one level point (1/100) is worth 0.5 score points
    managers = []
    for manager, g in org.skill.groupby("manager"):
        weeks = [
            {
                "week_start": (date(2026, 9, 7) + timedelta(weeks=int(w))).isoformat(),
                "levels": dict(zip(gw["behavior"], gw["skill"] / 50, strict=True)),
            }
            for w, gw in g.groupby("week")
        ]
        managers.append({"email": manager, "weeks": weeks})
    path = tmp_path / "truth.json"
    path.write_text(json.dumps({"managers": managers}), encoding="utf-8")
    slopes = scorer_calibration(org.panels, path)
    assert set(slopes) == set(LAB_BEHAVIORS)
    assert all(s == pytest.approx(0.5, abs=0.03) for s in slopes.values()), slopes
