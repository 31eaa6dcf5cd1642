"""The focus-picking rule: gap × impact, cycle keeping, mastery, hysteresis, tie-breaks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachloop.analytics.focus import (
    DEFAULT_IMPACT,
    FocusState,
    pick_focus,
    suggest_debrief_questions,
    team_benchmark,
)
from coachloop.errors import ConfigError

WEEK = date(2026, 12, 2)  # a Wednesday; its cycle starts Monday Nov 30
SCORES = {"ask_before_tell": 50.0, "hold_cadence": 70.0, "evidence_based_feedback": None}
TEAM = {"ask_before_tell": 80.0, "hold_cadence": 85.0, "evidence_based_feedback": 90.0}


def test_largest_weighted_gap_wins():
    d = pick_focus(SCORES, TEAM, week=WEEK)
    assert (d.behavior, d.cycle_start, d.kept) == ("ask_before_tell", date(2026, 11, 30), False)
    assert d.priorities == {"ask_before_tell": 30.0, "hold_cadence": 15.0}
    assert d.reason.startswith("ask before tell: 50 vs team 80 (gap 30.0 × impact 1 = 30.0)")


def test_impact_reweights():
    # 30 × .4 = 12 < 15 × 1
    d = pick_focus(SCORES, TEAM, week=WEEK, impact={"ask_before_tell": 0.4})
    assert d.behavior == "hold_cadence"


def test_none_score_is_never_picked():
    d = pick_focus({"evidence_based_feedback": None}, TEAM, week=WEEK)
    assert d.behavior is None and d.reason == "no behaviour has a score this cycle"


def test_ties_break_on_raw_gap_then_name():
    # priority 10 each: gap 20 × .5 vs gap 10 × 1 → the larger raw gap
    d = pick_focus({"x": 60, "y": 70}, {"x": 80, "y": 80}, impact={"x": 0.5, "y": 1}, week=WEEK)
    assert d.behavior == "x"
    d = pick_focus({"b": 60, "a": 60}, {"b": 80, "a": 80}, week=WEEK)
    assert d.behavior == "a"


def test_small_gaps_and_mastered_behaviours_are_not_candidates():
    d = pick_focus({"x": 76, "y": 82}, {"x": 80, "y": 99}, week=WEEK)
    assert d.behavior is None and "below 80" in d.reason


def test_kept_inside_the_cycle_even_if_another_gap_is_larger():
    prev = FocusState("hold_cadence", date(2026, 11, 30), 2)
    d = pick_focus(SCORES, TEAM, previous=prev, week=date(2026, 12, 9))
    assert (d.behavior, d.cycle_start, d.kept) == ("hold_cadence", date(2026, 11, 30), True)
    assert "runs to 2026-12-13" in d.reason


def test_mastered_mid_cycle_releases_the_focus():
    prev = FocusState("hold_cadence", date(2026, 11, 30), 2)
    scores = {**SCORES, "hold_cadence": 85.0}
    d = pick_focus(scores, TEAM, previous=prev, week=date(2026, 12, 9))
    assert (d.behavior, d.kept, d.cycle_start) == ("ask_before_tell", False, date(2026, 12, 7))
    assert d.reason.startswith("hold cadence mastered (85 ≥ 80); ")


@pytest.mark.parametrize(
    ("challenger_score", "expected", "kept"),
    [(62.0, "hold_cadence", True), (59.0, "ask_before_tell", False)],
)
def test_hysteresis_at_cycle_end(challenger_score, expected, kept):
    # current priority 15; challenger 80 − 62 = 18 (≤ 15 + 5: keep) or 80 − 59 = 21 (switch)
    prev = FocusState("hold_cadence", date(2026, 11, 16), 2)
    scores = {**SCORES, "ask_before_tell": challenger_score}
    d = pick_focus(scores, TEAM, previous=prev, week=WEEK)
    assert (d.behavior, d.kept, d.cycle_start) == (expected, kept, date(2026, 11, 30))


def test_state_round_trip():
    d = pick_focus(SCORES, TEAM, week=WEEK, cycle_weeks=3)
    assert d.state == FocusState("ask_before_tell", date(2026, 11, 30), 3)
    assert d.state.cycle_end == date(2026, 12, 21)


@pytest.mark.parametrize(
    "kwargs", [{"cycle_weeks": 0}, {"mastery": 0}, {"min_gap": -1}, {"impact": {"x": -1}}]
)
def test_bad_settings(kwargs):
    with pytest.raises(ConfigError):
        pick_focus(SCORES, TEAM, week=WEEK, **kwargs)


def test_team_benchmark():
    team = {"a": [10, 20, None, 30, 40], "b": [None]}
    assert team_benchmark(team) == {"a": 32.5, "b": None}
    assert team_benchmark(team, kind="median") == {"a": 25.0, "b": None}
    with pytest.raises(ConfigError):
        team_benchmark(team, kind="mean")


BEHAVIORS = sorted(DEFAULT_IMPACT)
score = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(BEHAVIORS), score, min_size=1),
       st.dictionaries(st.sampled_from(BEHAVIORS), score, min_size=1))  # fmt: skip
def test_pick_is_deterministic_and_maximal(scores, team):
    d = pick_focus(scores, team, week=WEEK)
    again = pick_focus(
        dict(reversed(list(scores.items()))), dict(reversed(list(team.items()))), week=WEEK
    )
    assert (d.behavior, d.reason) == (again.behavior, again.reason)
    if d.behavior is not None:
        assert scores[d.behavior] is not None and scores[d.behavior] < 80
        assert d.priorities[d.behavior] == max(d.priorities.values())
    else:
        assert d.priorities == {}


def test_debrief_questions_new_focus():
    d = pick_focus(SCORES, TEAM, week=WEEK)
    qs = suggest_debrief_questions(d, {"ask_before_tell": 8.0, "hold_cadence": -6.0, "x": 12.0})
    assert qs == [
        "'ask before tell' rose 8 points this cycle. What did they do differently in their 1:1s, "
        "and in which conversation did it work best?",
        "'ask before tell' is the new focus. Which rep would notice the change first, and how "
        "will they check it landed?",
        "'hold cadence' fell 6 points while they worked on something else. A trade-off they "
        "chose, or a sign of a busy cycle?",
        "'x' rose 12 points without being the focus. What changed?",
    ]


def test_debrief_questions_kept_without_a_score():
    prev = FocusState("hold_cadence", date(2026, 11, 30), 2)
    d = pick_focus(SCORES, TEAM, previous=prev, week=WEEK)
    qs = suggest_debrief_questions(d, {"hold_cadence": None})
    assert len(qs) == 2
    assert qs[0].startswith("There is no 'hold cadence' score for this cycle")
    assert qs[1].startswith("This is another cycle on 'hold cadence'")


def test_debrief_questions_without_focus_has_two():
    d = pick_focus({}, {}, week=WEEK)
    assert len(suggest_debrief_questions(d, {})) == 2
