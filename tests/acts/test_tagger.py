"""Canonical sentences per act, and the context rules on hand-built meetings."""

from __future__ import annotations

import re

import pytest

from coachloop.acts import (
    ACTS,
    TOPICS,
    is_vague_feedback,
    tag_meeting,
    tag_text,
    tag_texts,
    topics_of,
)
from coachloop.model import build_meeting


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("What did they say about the budget?", "open_question"),
        ("what did they say about the budget", "open_question"),
        ("Walk me through the call.", "open_question"),
        ("Did you send the recap?", "closed_question"),
        ("did you send the recap", "closed_question"),
        ("Don't you think you should loop in the CFO earlier?", "leading_question"),
        ("wouldn't it be better to send pricing after the demo", "leading_question"),
        ("You need to slow down on the pricing slide.", "advice"),
        ("Next time, open with the business case.", "advice"),
        ("Send the recap before lunch.", "advice"),
        ("Good job.", "feedback"),
        ("The demo was too long.", "feedback"),
        ("You handled the security question really well.", "feedback"),
        ("At minute 12 the CFO asked about the rollout.", "evidence"),
        ("They want 40 seats by March.", "evidence"),
        ("When you said 'we can figure out pricing later', they went quiet.", "evidence"),
        ("We lost the deal and you're behind quota.", "outcome_talk"),
        ("The renewal slipped to next quarter.", "outcome_talk"),
        ("You asked great discovery questions.", "behavior_talk"),
        ("mm-hmm", "backchannel"),
        ("Yeah.", "backchannel"),
        ("The team average is three next steps per call.", "benchmark"),
        ("Most reps on the team book the follow-up on the call.", "benchmark"),
        ("I'll take the Friday pipeline review off your calendar.", "commitment"),
        ("Let me talk to legal about the redlines.", "commitment"),
    ],
)
def test_canonical_sentence_gets_act(text: str, act: str) -> None:
    assert act in tag_text(text)


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("Let me know how it goes.", "commitment"),
        ("What did they say about the budget?", "advice"),
        ("Did you send the recap?", "advice"),
        ("I think the demo is on Tuesday.", "feedback"),
        ("Yeah, so the thing with that account is the CFO changed.", "backchannel"),
        ("How did the call go?", "feedback"),
        ("We lost the deal.", "behavior_talk"),
        ("So tell me about your week.", "advice"),
        ("The call was with their ops team.", "advice"),
    ],
)
def test_sentence_lacks_act(text: str, act: str) -> None:
    assert act not in tag_text(text)


def test_every_tag_is_in_the_vocabulary() -> None:
    texts = ["Don't you think you should ask? Good job at minute 3. I'll move it.", "mm-hmm"]
    for acts in tag_texts(texts):
        assert acts <= set(ACTS)


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Good job.", True),
        ("That was great!", True),
        ("Great job when you asked about their budget at minute 12.", False),
        ("Your discovery was strong.", False),
        ("Did you send it?", False),
    ],
)
def test_vague_feedback(text: str, vague: bool) -> None:
    assert is_vague_feedback(text) is vague


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("They pushed back hard on price.", "objection_handling"),
        ("Is that in your commit for the quarter?", "forecasting"),
        ("Clean up the close dates in Salesforce.", "pipeline_hygiene"),
        ("You talked over them twice.", "listening"),
        ("Book the next meeting before you hang up.", "next_steps"),
    ],
)
def test_topics(text: str, topic: str) -> None:
    assert topic in topics_of(text)
    assert topics_of(text) <= set(TOPICS)


def _meeting(rows: list[tuple[str, float, float, str]]):  # type: ignore[no-untyped-def]
    return build_meeting(
        id="m",
        rows=[{"speaker": s, "start": a, "end": b, "text": t} for s, a, b, t in rows],
    )


def test_overlap_start_is_interruption_and_backchannel_is_not() -> None:
    meeting = _meeting(
        [
            ("M", 0.0, 6.0, "So the thing I want to look at is the discovery on that call."),
            ("R", 2.0, 2.4, "Mm-hmm."),
            ("R", 3.0, 5.0, "Sorry, can I just say the CFO was not on the call."),
            ("M", 6.5, 8.0, "Okay, go on."),
        ]
    )
    acts = tag_meeting(meeting)
    assert "backchannel" in acts[1] and "interruption" not in acts[1]
    assert "interruption" in acts[2]
    assert "interruption" not in acts[3]


def test_reply_after_cut_off_is_interruption() -> None:
    meeting = _meeting(
        [
            ("R", 0.0, 3.0, "I was going to send the proposal but—"),
            ("M", 3.2, 5.0, "Send it today."),
            ("R", 9.0, 10.0, "Okay, I will."),
        ]
    )
    acts = tag_meeting(meeting)
    assert "interruption" in acts[1]
    assert "interruption" not in acts[2]


def test_yeah_that_takes_the_floor_is_not_a_backchannel() -> None:
    meeting = _meeting(
        [
            ("M", 0.0, 2.0, "How did it go?"),
            ("R", 2.5, 3.0, "Yeah."),
            ("R", 3.1, 8.0, "It went fine, they want a second demo next week."),
        ]
    )
    assert "backchannel" not in tag_meeting(meeting)[1]


PLAIN = r"\bfoo(?:d|s)?\b|\bbar (?:baz|qux)\b|\d+ of|(?<!if )\byou said\b|\"[^\"]+\""


@pytest.mark.parametrize(
    "text",
    ["foods here", "afoo", "the bar qux", "bar", "3 of them", "if you said", "you said", 'a "b"'],
)
def test_factored_pattern_agrees_with_plain_alternation(text: str) -> None:
    from coachloop.acts import rules

    factored = rules._factored(PLAIN)
    assert factored.pattern != PLAIN
    assert (re.search(PLAIN, text) is None) == (factored.search(text) is None)


def test_model_cut_off_marks_the_nearest_other_speaker() -> None:
    from coachloop.acts.context import interruption_pairs

    meeting = _meeting(
        [
            ("R", 0.0, 3.0, "I was going to send the proposal but—"),
            ("M", 2.9, 5.0, "Send it today."),
        ]
    )
    acts: list[set[str]] = [set(), set()]
    assert interruption_pairs(meeting.utterances, acts, method="model") == [(1, 0)]
    assert interruption_pairs(meeting.utterances, [set(), {"backchannel"}], method="model") == []


def test_interruption_method_is_checked() -> None:
    from coachloop.acts.context import interruption_pairs

    with pytest.raises(ValueError, match="method must be one of"):
        interruption_pairs([], [], method="magic")
