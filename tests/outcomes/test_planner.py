from __future__ import annotations

import math
import re

import pytest

from coachloop.errors import AnalysisError
from coachloop.outcomes.planner import (
    ACTIVITIES,
    ASSUMPTION,
    PARAMETERS,
    PROGRAMMES,
    plan,
    plan_chart,
)


def test_hours_by_activity_follow_the_shares() -> None:
    p = plan(
        managers=200,
        hours=100,
        overrides={"loop_real_1on1_practice": 0.6, "loop_observed_real_work": 0.3},
    )
    assert p.hours_by_activity["loop"]["real_1on1_practice"] == pytest.approx(60.0)
    assert p.hours_by_activity["loop"]["observed_real_work"] == pytest.approx(30.0)
    for programme in PROGRAMMES:
        assert sum(p.hours_by_activity[programme].values()) == pytest.approx(100.0)


def test_classroom_delivery_cost_recomputed_from_the_parameters() -> None:
    v = {name: par.default for name, par in PARAMETERS.items()}
    managers, hours = 210, 100.0
    group = hours * (
        v["classroom_theory"] + v["classroom_case_studies"] + v["classroom_scenario_practice"]
    )
    classes = math.ceil(managers / v["class_size"])  # 11 classes for 210 managers
    expected = (
        classes * group * v["facilitator_rate"] * (1 + v["facilitator_prep_ratio"])
        + managers * group * v["venue_per_participant_hour"]
        + managers * hours * v["classroom_observed_real_work"] * v["facilitator_rate"]
    )
    cost = plan(managers=managers, hours=hours).cost["classroom"]
    assert classes == 11 and cost["classes"] == 11
    assert cost["delivery"] == pytest.approx(expected)
    # 11 classes x 95 h x $250 x 2 + 210 x 95 h x $12 + 210 x 5 h x $250
    assert cost["delivery"] == pytest.approx(522_500 + 239_400 + 262_500)
    assert cost["delivery_per_manager"] == pytest.approx(expected / managers)


def test_loop_cost_recomputed_and_real_1on1s_cost_no_extra_time() -> None:
    p = plan(managers=200, hours=100)
    loop = p.cost["loop"]
    years = 12 / 52
    assert loop["software"] == pytest.approx(200 * 600 * years)
    assert loop["coaching"] == pytest.approx(200 * 20 * 1.0 * 150)
    # only the 30 hours outside real 1:1s take the manager's time
    assert loop["manager_time"] == pytest.approx(200 * 30 * 90)
    more = plan(managers=200, hours=100, overrides={"real_work_extra_time_share": 1.0})
    assert more.cost["loop"]["manager_time"] == pytest.approx(200 * 100 * 90)


def test_cost_per_manager_falls_as_classes_fill_and_fixed_costs_spread() -> None:
    p = plan(managers=200, hours=100, sizes=(10, 20, 21))
    per = {g["managers"]: g for g in p.growth}
    assert set(per) == {10, 20, 21, 200}
    # 10 and 20 managers share one class; 21 need a second
    assert per[20]["classroom_delivery_per_manager"] < per[10]["classroom_delivery_per_manager"]
    assert per[21]["classroom_delivery_per_manager"] > per[20]["classroom_delivery_per_manager"]
    assert per[200]["loop_delivery_per_manager"] < per[10]["loop_delivery_per_manager"]


def test_retention_follows_the_forgetting_curve() -> None:
    p = plan(managers=1, hours=100, overrides={"classroom_delivery_days": 1})
    # all 100 classroom hours on day 0, measured on day 90 with a 30-day time constant
    assert p.retained["classroom"] == pytest.approx(100 * math.exp(-90 / 30))
    assert p.retained["loop"] > p.retained["classroom"]


def test_every_default_names_a_source_or_says_assumption() -> None:
    for par in PARAMETERS.values():
        # a citation is "Author (year), title"; a cited default that is not itself in the
        # source says which part is an assumption
        cited = re.match(r"[A-Z][^()]+ \((18|19|20)\d\d\), ", par.source)
        assert par.source == ASSUMPTION or cited, par.name
    assert {f"{p}_{a}" for p in PROGRAMMES for a in ACTIVITIES} <= set(PARAMETERS)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"coffee": 1.0}, "unknown planner parameter 'coffee'"),
        ({"loop_theory": 0.5}, "the loop activity shares add up to 1.45, not 1"),
        ({"coach_rate": -1.0}, "planner parameter coach_rate must be a number >= 0, not -1.0"),
    ],
)
def test_bad_parameters_are_refused(overrides: dict, message: str) -> None:
    with pytest.raises(AnalysisError) as exc:
        plan(managers=10, hours=10, overrides=overrides)
    assert exc.value.message == message


def test_json_lists_every_parameter_and_chart_is_png() -> None:
    p = plan(managers=50, hours=40)
    data = p.to_dict()
    assert [x["name"] for x in data["parameters"]] == list(PARAMETERS)
    assert plan_chart(p)[:4] == b"\x89PNG"
