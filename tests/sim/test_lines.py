"""The line library speaks the tagger's language: each kind of manager move shows the
acts and the coaching topic it stands for, and nothing else that a behaviour reads."""

import random
from datetime import date

import pytest

from coachloop.acts import tag_text, topics_of
from coachloop.sim.conversation import _Script
from coachloop.sim.lines import Slots, count_templates, library
from coachloop.sim.org import RATED_SKILLS

LIB = library()
SKILLS = sorted(LIB["skills"])


def _slots(seed: int) -> Slots:
    return Slots(
        random.Random(seed),
        date(2026, 9, 8),
        rep_first="Ana",
        mgr_first="Bo",
        account="Granite Bank",
        contact="Nadia",
        peer="Leo",
    )


def test_library_is_large_and_its_skills_are_the_rated_skills() -> None:
    assert count_templates() >= 350
    assert set(SKILLS) == set(RATED_SKILLS)


def _check(text: str, need: tuple[str, ...], forbid: tuple[str, ...], topics: set[str]) -> None:
    acts = tag_text(text)
    assert set(need) <= acts, (text, acts)
    assert not set(forbid) & acts, (text, acts)
    assert topics_of(text) == topics, (text, topics_of(text))


@pytest.mark.parametrize("skill", SKILLS)
def test_skill_lines_show_their_act_and_only_their_topic(skill: str) -> None:
    for seed in range(3):
        slots = _slots(seed)
        script = _Script(random.Random(seed), slots, {}, 1.0)
        script.skill_text(skill)
        sk = LIB["skills"][skill]
        m = LIB["manager"]
        for t in sk["ask"]:
            _check(slots.fill(t), ("open_question",), ("advice",), {skill})
        for t in sk["advice"]:
            _check(slots.fill(t), ("advice",), ("question", "outcome_talk", "feedback"), {skill})
        for t in m["feedback_evidence"]:
            _check(slots.fill(t), ("feedback", "evidence"), ("outcome_talk",), {skill})
        for t in m["feedback_vague"]:
            _check(slots.fill(t), ("feedback",), ("evidence", "outcome_talk"), {skill})
        for t in m["behavior_talk"]:
            _check(
                slots.fill(t), ("behavior_talk", "advice"), ("outcome_talk", "feedback"), {skill}
            )
        for t in m["benchmark"]:
            _check(slots.fill(t), ("benchmark",), ("outcome_talk", "advice"), {skill})


@pytest.mark.parametrize(
    ("kind", "need", "forbid"),
    [
        ("outcome_talk", ("outcome_talk",), ("behavior_talk", "benchmark")),
        ("followup_open", ("open_question",), ("advice", "behavior_talk", "outcome_talk")),
        ("closed_status", ("closed_question",), ("advice", "outcome_talk", "feedback")),
    ],
)
def test_generic_manager_lines_carry_no_skill(kind: str, need: tuple, forbid: tuple) -> None:
    slots = _slots(0)
    for t in LIB["manager"][kind]:
        _check(slots.fill(t), need, forbid, set())
