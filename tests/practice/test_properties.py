"""Measured properties on every shipped scenario, with the REAL tagger and scorer.

A replayed "coaching" manager (open questions first, evidence-grounded feedback, a
behaviour-focused close) must score higher on the scenario's behaviour and unlock
more hidden facts than a replayed "telling" manager.
"""

from __future__ import annotations

import pytest

from coachloop.practice import PracticeSession, load_scenarios, replay
from coachloop.practice.scripts import coaching_script, telling_script

SCENARIOS = sorted(load_scenarios())


def run(scenario_id: str, script: str) -> tuple[float, int, PracticeSession]:
    sc = load_scenarios()[scenario_id]
    lines = coaching_script(sc) if script == "coaching" else telling_script(sc)
    s = replay(PracticeSession(sc, seed=7), lines)
    d = s.finish()
    score = d.score
    return (-1.0 if score is None else float(score)), len(s.unlocked), s


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_coaching_beats_telling(scenario_id: str) -> None:
    c_score, c_facts, coach = run(scenario_id, "coaching")
    t_score, t_facts, tell = run(scenario_id, "telling")
    assert c_score >= 0, f"coaching was not scored on {coach.scenario.behavior}"
    assert c_score > t_score, (c_score, t_score)
    assert c_facts > t_facts, (c_facts, t_facts)
    assert coach.finish().success["passed"]
    assert not tell.finish().success["passed"]


def test_the_library_covers_every_behaviour_twice() -> None:
    from collections import Counter

    from coachloop.practice import BEHAVIORS

    counts = Counter(s.behavior for s in load_scenarios().values())
    assert len(counts) == len(BEHAVIORS)
    assert min(counts.values()) >= 2


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_no_rep_line_or_lead_in_repeats_in_a_replay(scenario_id: str) -> None:
    for script in ("coaching", "telling"):
        _, _, s = run(scenario_id, script)
        said = [t.text for t in s.turns if t.speaker == "rep"]
        said += [t.lead for t in s.turns if t.lead]
        assert len(said) == len(set(said)), said


def test_a_scenario_may_bring_its_own_scripts() -> None:
    from tests.practice.conftest import make_scenario

    sc = make_scenario(meta={"coaching_script": ["Ask."], "telling_script": ["Tell."]})
    assert coaching_script(sc) == ["Ask."]
    assert telling_script(sc) == ["Tell."]
