"""Utterance acts: the fixed vocabulary the tagger assigns (see docs/metrics.md).

Interface placeholder while the tagger is being written: ``tag_meeting`` returns one
frozenset of act names per utterance, in utterance order.
"""

from __future__ import annotations

from coachloop.model import Meeting

ACTS: tuple[str, ...] = (
    "question",
    "open_question",
    "closed_question",
    "leading_question",
    "advice",
    "feedback",
    "evidence",
    "outcome_talk",
    "behavior_talk",
    "backchannel",
    "interruption",
    "benchmark",
    "commitment",
)


def tag_meeting(meeting: Meeting) -> list[frozenset[str]]:
    """One set of acts per utterance (placeholder: the tagger replaces this)."""
    return [frozenset() for _ in meeting.utterances]
