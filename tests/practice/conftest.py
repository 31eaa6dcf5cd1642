"""Fixtures for the practice tests: a tiny scenario and a table-driven fake tagger.

Unit tests of the engine use the fake tagger so each act is exactly what the test says;
the property tests (test_properties.py) use the real tagger and scorer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from coachloop.model import Meeting
from coachloop.practice import PracticeSession, Scenario, parse_scenario

SCENARIO: dict[str, Any] = {
    "id": "tiny",
    "behavior": "ask_before_tell",
    "title": "Tiny",
    "brief": "Ana lost the Acme deal.",
    "persona": {
        "name": "Ana Silva",
        "tenure": "1 year",
        "temperament": "direct",
        "issue": "the Acme deal",
        "account": "Acme",
    },
    "opening": ["Hi {manager}."],
    "state": {"openness": 0.5, "defensiveness": 0.3, "clarity": 0.2},
    "facts": [
        {
            "id": "budget_cut",
            "text": "Their budget was cut in May.",
            "about": ["budget", "money"],
            "tells": ["budget", "may"],
        },
        {
            "id": "new_cfo",
            "text": "A new CFO froze all purchases.",
            "about": ["who", "decision"],
            "min_openness": 0.6,
        },
    ],
    "reactions": {
        "tell_before_ask": {"lines": ["Fine, whatever you say."]},
        "vague_feedback": {"lines": ["What do you mean?"]},
    },
    "end": {"max_turns": 50, "clarity_at": None},
}


def make_scenario(**changes: Any) -> Scenario:
    data = {**SCENARIO, **changes}
    return parse_scenario(data)


class FakeTagger:
    """Acts by exact text; anything unknown gets no acts."""

    def __init__(self, table: Mapping[str, set[str]]) -> None:
        self.table = {k: frozenset(v) for k, v in table.items()}
        self.seen: list[Meeting] = []

    def __call__(self, meeting: Meeting) -> list[frozenset[str]]:
        self.seen.append(meeting)
        return [self.table.get(u.text, frozenset()) for u in meeting.utterances]


ACTS: dict[str, set[str]] = {
    "You should call the CFO.": {"advice"},
    "What happened with the budget?": {"question", "open_question"},
    "Who made the decision?": {"question", "open_question"},
    "What's up?": {"question", "open_question"},
    "Did it go well?": {"question", "closed_question"},
    "Was it the budget?": {"question", "closed_question"},
    "Good job.": {"feedback"},
    "At minute 4 you let them talk, good work.": {"feedback", "evidence"},
    "We lost the deal.": {"outcome_talk"},
    "I'll move your Thursday review.": {"commitment"},
    "Okay.": {"backchannel"},
}


@pytest.fixture
def tagger() -> FakeTagger:
    return FakeTagger(ACTS)


@pytest.fixture
def new_session(tagger: FakeTagger) -> Callable[..., PracticeSession]:
    def make(scenario: Scenario | None = None, **kw: Any) -> PracticeSession:
        s = PracticeSession(scenario or make_scenario(), tagger=tagger, **kw)
        return s

    return make
