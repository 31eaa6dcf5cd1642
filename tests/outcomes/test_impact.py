from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coachloop.errors import AnalysisError
from coachloop.outcomes.impact import ImpactResult, coverage, estimate_impact, noise_covariance
from coachloop.outcomes.panel import make_panels, week_index, wide_behaviors
from coachloop.outcomes.synthetic import SyntheticOrg, synthetic_panels


@pytest.fixture(scope="module")
def fitted(org: SyntheticOrg) -> ImpactResult:
    return estimate_impact(org.panels)


@pytest.fixture(scope="module")
def naive(org: SyntheticOrg) -> ImpactResult:
    return estimate_impact(org.panels, correction="none")


def by_behavior(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("behavior")


def test_uncorrected_estimates_are_attenuated_and_the_correction_recovers_them(
    org: SyntheticOrg, naive: ImpactResult, fitted: ImpactResult
) -> None:
    uncorrected = by_behavior(coverage(naive, org.truth)[0])
    fixed = by_behavior(coverage(fitted, org.truth)[0])
    # the weekly scores' noise shrinks the effect of ask_before_tell (true 0.15) by ~1.8x
    assert uncorrected.loc["ask_before_tell", "estimate"] < 0.15 * 0.6
    assert not uncorrected.loc["ask_before_tell", "covered"]
    assert fixed["covered"].all()
    gap = {
        name: abs(f.loc["ask_before_tell", "estimate"] - 0.15)
        for name, f in (("naive", uncorrected), ("fixed", fixed))
    }
    assert gap["fixed"] < gap["naive"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_true_effects_fall_inside_their_intervals(seed: int) -> None:
    org = synthetic_panels(seed=seed)
    frame, share = coverage(estimate_impact(org.panels), org.truth)
    assert share == 1.0, frame


def test_only_real_effects_survive_holm_once_corrected(
    naive: ImpactResult, fitted: ImpactResult
) -> None:
    result = fitted
    # uncorrected, the real effects leak into behaviours that rose with them (false positives)
    assert "one_behavior_per_cycle" in {e.behavior for e in naive.estimates if e.significant}
    sig = {e.behavior for e in result.estimates if e.significant}
    assert sig == {"ask_before_tell"}
    for e in result.estimates:
        assert e.p_holm >= e.p_value and e.p_bh >= e.p_value and e.p_bh <= e.p_holm + 1e-12
    assert "Survive Holm correction: ask_before_tell → win_rate (lag 4" in result.summary
    assert result.n_teams == 40 and result.n_weeks == 36


def test_reading_is_plain_language(fitted: ImpactResult) -> None:
    result = fitted
    abt = next(e for e in result.estimates if e.behavior == "ask_before_tell")
    assert abt.reading.startswith(
        "When a manager's ask_before_tell score was 10 points higher, their teams' win_rate was"
    )
    assert "survives Holm correction for 7 tests" in abt.reading


def test_scanning_lags_widens_the_multiple_comparison_family(org: SyntheticOrg) -> None:
    result = estimate_impact(org.panels, lags=[3, 4])
    assert len(result.estimates) == 14
    assert set(result.n_obs) == {"win_rate@lag3", "win_rate@lag4"}
    assert "for 14 tests" in next(e for e in result.estimates if e.significant).reading


def test_refuses_a_too_small_org() -> None:
    small = synthetic_panels(teams=8, weeks=20, seed=4)
    with pytest.raises(AnalysisError) as exc:
        estimate_impact(small.panels)
    assert exc.value.message == (
        "not enough data: 8 teams × 16 weeks, need at least 20 teams × 8 weeks with a KPI "
        "and a behaviour score 4 weeks earlier"
    )


def test_refuses_when_behaviours_cannot_be_separated_from_noise() -> None:
    # slow coaching gains: the weakest combination of behaviours is mostly scoring noise
    weak = synthetic_panels(gain=2.0, seed=0)
    with pytest.raises(AnalysisError, match="do not vary independently enough"):
        estimate_impact(weak.panels)
    # the uncorrected model still runs (and says nothing about noise)
    assert estimate_impact(weak.panels, correction="none").correction == "none"


def test_noise_covariance_recovers_the_scoring_noise(org: SyntheticOrg) -> None:
    beh = sorted(org.panels.behaviors["behavior"].unique())
    sigma, n = noise_covariance(wide_behaviors(org.panels.behaviors), beh)
    assert n > 1000
    # noise sd 8 (variance 64), a little less after clipping to 0..100
    assert np.diag(sigma) == pytest.approx(np.full(7, 64.0), rel=0.15)
    off = sigma[~np.eye(7, dtype=bool)]
    assert np.abs(off).max() < 10


def test_rep_level_kpis_cluster_by_team() -> None:
    org = synthetic_panels(teams=24, weeks=30, reps_per_team=3, seed=5)
    result = estimate_impact(org.panels, level="rep")
    assert result.n_teams == 24
    assert result.n_obs["win_rate@lag4"] > 24 * 3 * 20
    frame, share = coverage(result, org.truth)
    assert share == 1.0, frame


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lags": [13]}, "lag must be between 1 and 12 weeks, not 13"),
        ({"metrics": ["nps"]}, "no team-level KPI named 'nps'"),
        ({"smooth": 9}, "smoothing window 9 is not allowed with lag 4"),
        ({"correction": "magic"}, "unknown correction 'magic'"),
        ({"lags": [1], "smooth": 3}, "smoothing window 3 is not allowed with lag 1"),
    ],
)
def test_bad_options_are_refused(org: SyntheticOrg, kwargs: dict, message: str) -> None:
    with pytest.raises(AnalysisError) as exc:
        estimate_impact(org.panels, **kwargs)
    assert exc.value.message == message


def test_weeks_may_be_iso_weeks_or_dates() -> None:
    assert week_index(pd.Series(["2026-W01", "2026-W03", "2025-W52"])).tolist() == [1, 3, 0]
    assert week_index(pd.Series(["2026-03-04", "2026-03-09"])).tolist() == [0, 1]
    with pytest.raises(AnalysisError, match="cannot read week 'soon'"):
        week_index(pd.Series(["soon"]))


def test_panels_refuse_scores_out_of_range() -> None:
    b = pd.DataFrame(
        [("m", "t", 0, "ask_before_tell", 120.0)],
        columns=["manager", "team", "week", "behavior", "score"],
    )
    k = pd.DataFrame(columns=["subject_type", "subject_key", "team", "week", "metric", "value"])
    with pytest.raises(AnalysisError, match="between 0 and 100"):
        make_panels(b, k)
