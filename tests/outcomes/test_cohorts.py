from __future__ import annotations

import pandas as pd
import pytest

from coachloop.errors import AnalysisError
from coachloop.outcomes.cohorts import (
    SCORE,
    CohortResult,
    cohort_chart,
    compare_cohorts,
    diff_in_diff,
    outcome_frame,
    shape,
)
from coachloop.outcomes.panel import make_panels
from coachloop.outcomes.synthetic import SyntheticOrg, synthetic_panels


@pytest.fixture(scope="module")
def result(org: SyntheticOrg) -> CohortResult:
    return compare_cohorts(org.panels, start=org.start)


def test_classroom_decays_and_coached_keeps_rising(result: CohortResult) -> None:
    verdicts = {(s.cohort, s.outcome): s.verdict for s in result.shapes}
    # the workshop peaks in week 1 and fades: the first segment is too short to call a rise
    assert verdicts[("classroom", SCORE)] in {"decay", "plateau then decay"}
    assert verdicts[("coached", SCORE)] in {"steady rise", "compounding"}
    did = {d.outcome: d for d in result.did}
    late = did[SCORE].event_study[-1]
    early = did[SCORE].event_study[1]
    # one week in, the workshop is ahead; twelve weeks in, the loop is
    assert early["ci_high"] < 0 < late["ci_low"]


def test_did_recovers_a_known_lift() -> None:
    # classroom without any course effect: the DiD is the coached lift alone
    org = synthetic_panels(course_jump=0.0, course_retained=0.0, seed=3)
    frame = outcome_frame(org.panels, start=org.start)
    did = diff_in_diff(frame, SCORE)
    skill = org.skill.assign(k=org.skill["week"] - org.start).query("k < 12")
    mean = skill.groupby(["cohort", skill["k"] >= 0])["skill"].mean()
    truth = (mean["coached", True] - mean["coached", False]) - (
        mean["classroom", True] - mean["classroom", False]
    )
    assert did.ci_low < truth < did.ci_high
    assert did.p_value < 0.001
    assert shape(frame, SCORE, "classroom").verdict == "flat"


def test_plateau_is_told_apart_from_decay() -> None:
    org = synthetic_panels(course_jump=12.0, course_retained=10.0, forget_weeks=1.0, seed=2)
    frame = outcome_frame(org.panels, start=org.start)
    assert shape(frame, SCORE, "classroom").verdict == "plateau"


def test_compounding_is_detected_when_gains_accelerate() -> None:
    # each cycle's weekly gain is 3x the last one's; low noise so 20 managers can show it
    org = synthetic_panels(gain=1.0, compounding=2.0, noise_sd=3.0, drift_sd=0.2, seed=1)
    frame = outcome_frame(org.panels, start=org.start)
    s = shape(frame, SCORE, "coached")
    assert s.verdict == "compounding"
    assert s.slope_after > s.slope_before > 0


def test_chart_is_a_png(result: CohortResult) -> None:
    png = cohort_chart(result)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_refuses_without_both_cohorts(org: SyntheticOrg) -> None:
    b = org.panels.behaviors.assign(cohort="coached")
    with pytest.raises(AnalysisError, match="needs managers in both cohorts"):
        compare_cohorts(make_panels(b, org.panels.kpis))


def test_refuses_without_a_baseline(org: SyntheticOrg) -> None:
    with pytest.raises(AnalysisError, match=r"no baseline: nothing was recorded before"):
        outcome_frame(org.panels, start=0)


def test_to_dict_is_json_ready(result: CohortResult) -> None:
    import json

    data = result.to_dict()
    assert isinstance(json.loads(json.dumps(data))["curves"][SCORE], list)
    assert pd.DataFrame(data["curves"][SCORE])["k"].max() == 11
