"""Invariants of the engine over arbitrary conversations (fake tagger, Hypothesis)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from coachloop.practice import PracticeSession, SessionState
from tests.practice.conftest import ACTS, FakeTagger, make_scenario

MESSAGES = sorted(ACTS)
TAGGER = FakeTagger(ACTS)
SCENARIO = make_scenario(end={"max_turns": 12, "clarity_at": 0.95})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(MESSAGES), min_size=1, max_size=14), st.integers(0, 10**6))
def test_any_conversation_keeps_the_invariants(messages: list[str], seed: int) -> None:
    s = PracticeSession(SCENARIO, seed=seed, tagger=TAGGER)
    s.start()
    for i, m in enumerate(messages):
        if s.status is SessionState.FINISHED:
            break
        if i == len(messages) // 2:
            # a restore in the middle changes nothing
            s = PracticeSession.from_dict(json.loads(json.dumps(s.to_dict())), tagger=TAGGER)
        reply = s.send(m)
        for v in reply.state.values():  # type: ignore[union-attr]
            assert 0.0 <= v <= 1.0
        if reply.revealed is not None:
            assert "open_question" in ACTS[m]
    said = [t.text for t in s.turns if t.speaker == "rep"] + [t.lead for t in s.turns if t.lead]
    assert len(said) == len(set(said))
    assert len(set(s.unlocked)) == len(s.unlocked)
    assert s.manager_turns <= 12
