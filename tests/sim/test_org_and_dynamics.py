import random
from collections import Counter
from datetime import date

import pytest

from coachloop.errors import ConfigError
from coachloop.sim import plan_org
from coachloop.sim.managers import BEHAVIORS, Dynamics, latin_baselines, simulate_trajectory
from coachloop.sim.org import build_org


def test_org_has_directors_managers_and_six_to_ten_reps_each() -> None:
    org = build_org(managers=9, weeks=4, seed=1, start=date(2026, 9, 7))
    assert len(org.directors) == 2  # one per 8 managers
    assert all(6 <= len(m.reps) <= 10 for m in org.managers)
    emails = [p.email for p in org.people()]
    assert len(emails) == len(set(emails))
    assert Counter(m.person.cohort for m in org.managers) == {"coached": 5, "classroom": 4}
    for m in org.managers:
        assert m.person.manager_email in {d.email for d in org.directors}
        assert {r.person.manager_email for r in m.reps} == {m.person.email}
        assert {r.person.cohort for r in m.reps} == {m.person.cohort}


def test_latin_baselines_put_one_manager_in_each_stratum() -> None:
    dyn = Dynamics()
    base = latin_baselines(10, random.Random(3), dyn)
    width = (dyn.high - dyn.low) / 10
    for b in BEHAVIORS:
        strata = sorted(int((m[b] - dyn.low) / width) for m in base)
        assert strata == list(range(10))


def _traj(cohort: str, level: float = 0.3, weeks: int = 12):
    base = {b: level for b in BEHAVIORS}
    dyn = Dynamics(weekly_noise=0.0)
    return simulate_trajectory(
        cohort=cohort, baseline=base, weeks=weeks, rng=random.Random(1), dyn=dyn
    ), dyn


def test_coached_manager_improves_the_focus_behaviour_each_cycle_and_keeps_gains() -> None:
    traj, dyn = _traj("coached")
    focus1 = traj.focus[0]
    assert focus1 is not None
    assert traj.focus[1] == focus1  # one focus per cycle (2 weeks)
    assert traj.levels[1][focus1] > traj.levels[0][focus1] > traj.baseline[focus1]
    # the next cycle picks another (now weakest) behaviour, the first gain is kept
    focus2 = traj.focus[dyn.cycle_weeks]
    assert focus2 != focus1
    assert traj.levels[-1][focus1] == traj.levels[dyn.cycle_weeks - 1][focus1]
    assert traj.levels[-1][focus2] > traj.baseline[focus2]


def test_classroom_manager_jumps_plateaus_by_week_4_then_decays() -> None:
    traj, dyn = _traj("classroom")
    b = "ask_before_tell"
    lv = [w[b] for w in traj.levels]
    assert lv[0] > traj.baseline[b] + 0.15  # the workshop jump in week 1
    assert lv[3] == pytest.approx(0.3 + dyn.workshop_jump * 0.7)  # the plateau
    assert lv[4] < lv[3] and lv[11] < lv[6] < lv[4]  # decay after week 4
    assert lv[11] > traj.baseline[b]  # toward, not below, the baseline
    assert all(f is None for f in traj.focus)


def test_params_follow_levels() -> None:
    traj, _ = _traj("coached")
    p, lv = traj.params[0], traj.levels[0]
    assert p["evidence_use"] == lv["evidence_based_feedback"]
    assert p["outcome_focus"] == pytest.approx(1 - lv["behavior_not_outcome"])
    assert p["tell_before_ask"] > 0.5 > p["open_question_share"]  # a weak asker (0.3)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"managers": 0, "weeks": 4}, "--managers must be between 1 and 2000, got 0"),
        ({"managers": 2, "weeks": 0}, "--weeks must be between 1 and 104, got 0"),
        ({"managers": 2, "weeks": 4, "start": date(2026, 9, 8)}, "the start date must be a Monday"),
    ],
)
def test_plan_org_refuses_bad_sizes(kw: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        plan_org(seed=1, **kw)
