"""Behaviour scores: values, nulls with reasons, evidence, why_not_higher, monotonicity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachloop.errors import ConfigError
from coachloop.scoring import (
    BEHAVIOR_IDS,
    BEHAVIORS,
    Evidence,
    ExternalResult,
    ScoringContext,
    score_meeting,
)
from tests.scoring.scoring_helpers import Q_CLOSED, Q_OPEN, Row, meeting_of, score

ASK_FIRST: list[Row] = [
    ("M", 0, 5, "How is discovery going on Acme?", Q_OPEN),
    ("R", 5, 60, "Slow, they will not tell me the budget.", ""),
    ("M", 60, 65, "Ask about their pain points earlier in discovery.", "advice"),
    ("R", 65, 100, "Good idea, I will.", ""),
]
TELL_FIRST: list[Row] = [
    ("M", 0, 5, "Ask about their pain points earlier in discovery.", "advice"),
    ("R", 5, 60, "Ok, I can try that.", ""),
    ("M", 60, 65, "How is discovery going on Acme?", Q_OPEN),
    ("R", 65, 100, "Slow.", ""),
]


def test_the_seven_behaviours_are_registered_in_issue_order() -> None:
    assert tuple(c.id for c in BEHAVIORS.defaults()) == BEHAVIOR_IDS


def test_asking_before_telling_scores_full_marks() -> None:
    b = score(ASK_FIRST).behaviors["ask_before_tell"]
    assert b.score == 100
    assert b.why_not_higher == (
        "Nothing to change in this meeting: every piece of advice followed a question on its topic."
    )
    assert [(e.index, e.shows) for e in b.evidence] == [(0, "open question before any advice")]


def test_telling_first_loses_the_ask_first_part_and_says_what_to_change() -> None:
    b = score(TELL_FIRST).behaviors["ask_before_tell"]
    assert b.score == 40  # ask_first 0 (weight 0.6), open questions 1, listening 1
    assert b.why_not_higher == (
        'You advised on discovery at 0:00 ("Ask about their pain points earlier in discovery.") '
        'before asking about it: first ask an open question such as "What have you tried on '
        'discovery so far?" and let the rep answer (1 of 1 pieces of advice came before a question).'
    )
    assert b.evidence[0] == Evidence(
        index=0,
        start=0.0,
        quote="Ask about their pain points earlier in discovery.",
        shows="advice on discovery before asking about it",
    )
    assert b.signals == {
        "advice": 1,
        "tell_before_ask": 1,
        "questions": 1,
        "open_question_share": 1.0,
        "talk_share": 0.1,
    }


def test_closed_questions_and_talking_too_much_lower_ask_before_tell() -> None:
    rows: list[Row] = [
        ("M", 0, 60, "Did discovery on Acme go well?", Q_CLOSED),
        ("R", 60, 70, "Yes.", ""),
        ("M", 70, 100, "Then ask about pain earlier in discovery.", "advice"),
    ]
    b = score(rows).behaviors["ask_before_tell"]
    # ask_first 1 (0.6); open 0 (0.25); listening: talk 0.9 ≥ ceiling 0.65 -> 0 (0.15)
    assert b.score == 60
    assert b.why_not_higher == (
        '1 of your 1 questions were closed, e.g. at 0:00 ("Did discovery on Acme go well?"); '
        "reword them as open questions starting with what or how (open share 0%, target 70%)."
    )


def test_ask_before_tell_is_null_without_questions_or_advice() -> None:
    b = score([("M", 0, 5, "Morning.", ""), ("R", 5, 9, "Hi.", "")]).behaviors["ask_before_tell"]
    assert (b.score, b.reason) == (
        None,
        "The manager neither asked a question nor gave advice, so ask-before-tell cannot be "
        "judged from this meeting.",
    )


def _ask_tell_meeting(asked_first: int, told_first: int, closed: int) -> list[Row]:
    """Zero-length manager turns so talk share stays fixed while counts change."""
    rows: list[Row] = [("R", 0, 100, "Here is my update on the deals.", "")]
    t = 100.0
    for _ in range(told_first):
        rows.append(("M", t, t, "Hold the line on the discount next time.", "advice"))
    for _ in range(closed):
        rows.append(("M", t, t, "Did the demo land?", Q_CLOSED))
    for _ in range(asked_first):
        rows += [
            ("M", t, t, "How is discovery going?", Q_OPEN),
            ("M", t, t, "Ask about pain earlier in discovery.", "advice"),
        ]
    rows.append(("R", t, t + 10, "Thanks.", ""))
    return rows


@settings(max_examples=40, deadline=None)
@given(asked=st.integers(0, 4), told=st.integers(0, 4), closed=st.integers(0, 3))
def test_ask_before_tell_is_monotone(asked: int, told: int, closed: int) -> None:
    def s(a: int, t: int, c: int) -> int | None:
        return score(_ask_tell_meeting(a, t, c)).behaviors["ask_before_tell"].score

    base = s(asked, told, closed)
    if base is None:
        return
    worse = s(asked, told + 1, closed)
    assert worse is not None and worse <= base
    more_closed = s(asked, told, closed + 1)
    assert more_closed is not None and more_closed <= base


@pytest.mark.parametrize(
    ("rows", "focus", "expected", "why"),
    [
        pytest.param(
            [
                ("M", 0, 5, "Ask about pain earlier in discovery.", "advice"),
                ("M", 5, 9, "Your discovery on Acme was thin.", "feedback"),
                ("R", 9, 20, "Fair.", ""),
            ],
            None,
            100,
            "Nothing to change in this meeting: all coaching was on discovery.",
            id="one-topic",
        ),
        pytest.param(
            [
                ("M", 0, 5, "Ask about pain earlier in discovery.", "advice"),
                ("M", 5, 9, "Hold the line on the discount next time.", "advice"),
                ("R", 9, 20, "Fair.", ""),
            ],
            None,
            50,  # half on discovery; negotiation named once is not a second skill coached
            "50% of your coaching was on discovery; the rest touched negotiation in passing "
            '(at 0:05 ("Hold the line on the discount next time.")) — bring those back to '
            "discovery.",
            id="second-topic-in-passing",
        ),
        pytest.param(
            [
                ("M", 0, 5, "Ask about pain earlier in discovery.", "advice"),
                ("M", 5, 9, "Hold the line on the discount next time.", "advice"),
                ("M", 9, 12, "And hold the discount on Globex too.", "advice"),
                ("M", 12, 15, "Your discovery on Acme was thin.", "feedback"),
                ("R", 15, 20, "Fair.", ""),
            ],
            None,
            40,  # half on discovery (ties go to the earliest), minus 10 for negotiation
            "You coached 2 skills; keep to discovery and park negotiation for a later cycle "
            '(first drift at 0:05 ("Hold the line on the discount next time.")).',
            id="two-topics-coached",
        ),
        pytest.param(
            [
                ("M", 0, 5, "Ask about pain earlier in discovery.", "advice"),
                ("R", 9, 20, "Fair.", ""),
            ],
            "negotiation",
            0,
            "The cycle's focus is negotiation but none of your coaching was about it; spend "
            "this 1:1 on negotiation and leave discovery for later.",
            id="off-focus",
        ),
        pytest.param(
            [
                ("M", 0, 5, "Ask about pain earlier in discovery.", "advice"),
                ("M", 5, 9, "Hold the line on the discount next time.", "advice"),
                ("M", 9, 12, "And hold the discount on Globex too.", "advice"),
                ("R", 12, 20, "Fair.", ""),
            ],
            "negotiation",
            67,  # 2 of 3 on the focus; discovery named once
            "67% of your coaching was on negotiation; the rest touched discovery in passing "
            '(at 0:00 ("Ask about pain earlier in discovery.")) — bring those back to '
            "negotiation.",
            id="focus-from-context",
        ),
    ],
)
def test_one_behavior_per_cycle(
    rows: list[Row], focus: str | None, expected: int, why: str
) -> None:
    b = score(rows, context=ScoringContext(focus_topic=focus)).behaviors["one_behavior_per_cycle"]
    assert (b.score, b.why_not_higher) == (expected, why)


def test_one_behavior_per_cycle_v1_stays_available() -> None:
    rows: list[Row] = [
        ("M", 0, 5, "Ask about pain earlier in discovery.", "advice"),
        ("M", 5, 9, "Hold the line on the discount next time.", "advice"),
        ("R", 9, 20, "Fair.", ""),
    ]
    v1 = {"behaviors": {"one_behavior_per_cycle.v1": {}}}
    card = score(rows, config=v1)
    assert "one_behavior_per_cycle.v1" in card.components
    b = card.behaviors["one_behavior_per_cycle"]
    assert b.score == 35  # half on discovery, minus 15 for negotiation named once
    assert score(rows).behaviors["one_behavior_per_cycle"].score == 50  # v2, the default


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [("M", 0, 5, "On Tuesday's Acme call you asked about budget.", "feedback evidence")],
            100,
            id="all-evidenced",
        ),
        pytest.param(
            [
                ("M", 0, 5, "On Tuesday's Acme call you asked about budget.", "feedback evidence"),
                ("M", 5, 9, "Great work on the demo.", "feedback"),
            ],
            65,  # evidence share 0.5 (0.7), none vague (0.3)
            id="half-evidenced",
        ),
        pytest.param([("M", 0, 5, "Good job.", "feedback")], 0, id="vague-only"),
    ],
)
def test_evidence_based_feedback(rows: list[Row], expected: int) -> None:
    rows = [*rows, ("R", 20, 30, "Thanks.", "")]
    assert score(rows).behaviors["evidence_based_feedback"].score == expected


@settings(max_examples=30, deadline=None)
@given(evidenced=st.integers(0, 4), bare=st.integers(0, 4), vague=st.integers(0, 4))
def test_evidence_based_feedback_is_monotone(evidenced: int, bare: int, vague: int) -> None:
    def s(e: int, b: int, v: int) -> int | None:
        rows: list[Row] = [("R", 0, 10, "Update.", "")]
        rows += [("M", 10, 10, "On the Acme call you asked about budget.", "feedback evidence")] * e
        rows += [("M", 10, 10, "Great work on the demo.", "feedback")] * b
        rows += [("M", 10, 10, "Good job.", "feedback")] * v
        return score(rows).behaviors["evidence_based_feedback"].score

    base = s(evidenced, bare, vague)
    better = s(evidenced + 1, bare, vague)
    assert better is not None and (base is None or better >= base)
    if base is not None:
        worse = s(evidenced, bare, vague + 1)
        assert worse is not None and worse <= base


def test_no_feedback_means_no_evidence_based_feedback_score() -> None:
    b = score([("M", 0, 5, "How are you?", Q_OPEN)]).behaviors["evidence_based_feedback"]
    assert (b.score, b.reason) == (
        None,
        "No feedback was given in this meeting, so evidence-based feedback cannot be judged.",
    )


@pytest.mark.parametrize(
    ("acts", "expected"),
    [
        (["behavior_talk"] * 3 + ["outcome_talk"], 100),  # share 0.75 = target
        (["behavior_talk", "outcome_talk"], 67),  # 0.5 / 0.75
        (["outcome_talk"] * 2, 0),
    ],
)
def test_behavior_not_outcome(acts: list[str], expected: int) -> None:
    rows: list[Row] = [("M", i, i + 1, f"point number {i}", a) for i, a in enumerate(acts)]
    assert score(rows).behaviors["behavior_not_outcome"].score == expected


@pytest.mark.parametrize(
    ("refs", "calibration", "expected"),
    [
        (2, None, 100),
        (1, None, 50),
        (0, None, 0),
        (2, 60.0, 80),
        (0, 60.0, 30),
    ],
)
def test_calibrate_against_team(refs: int, calibration: float | None, expected: int) -> None:
    rows: list[Row] = [("M", 0, 5, "Send the recap today.", "advice")]
    rows += [("M", 5, 9, "Our top reps book a next step on 8 of 10 calls.", "benchmark")] * refs
    context = ScoringContext(
        calibration=None
        if calibration is None
        else ExternalResult(
            score=calibration, why_not_higher="Rate closer to the team.", source="calibration"
        )
    )
    assert score(rows, context=context).behaviors["calibrate_against_team"].score == expected


@pytest.mark.parametrize("behavior", ["protect_rep_calendars", "hold_cadence"])
def test_calendar_behaviours_are_null_until_the_workspace_passes_results(behavior: str) -> None:
    rows: list[Row] = [("M", 0, 5, "Hi.", ""), ("R", 5, 9, "Hi.", "")]
    assert score(rows).behaviors[behavior].score is None
    found = ExternalResult(
        score=72.5,
        why_not_higher="Move Thursday's pipeline review out of the rep's calling block.",
        evidence=(
            Evidence(
                index=None,
                start=None,
                quote="Pipeline review, Thu 10:00",
                shows="internal meeting in a calling block",
            ),
        ),
        signals={"internal_hours": 6.5},
        source="calendar",
    )
    b = score(rows, context=ScoringContext(calendar={behavior: found})).behaviors[behavior]
    assert (b.score, b.why_not_higher, b.signals, b.reason) == (
        72,
        "Move Thursday's pipeline review out of the rep's calling block.",
        {"internal_hours": 6.5},
        None,
    )
    assert b.evidence == found.evidence


def test_calendar_reason_says_what_is_needed() -> None:
    b = score([("M", 0, 5, "Hi.", "")]).behaviors["hold_cadence"]
    assert b.reason == (
        "Needs calendars: how regularly the 1:1 happens cannot be seen in one meeting's "
        "transcript; connect calendars in the workspace to score it."
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"focus_topic": "juggling"}, "scoring context: unknown focus topic 'juggling'"),
        (
            {"calendar": {"ask_before_tell": ExternalResult(score=1, why_not_higher="x")}},
            "scoring context: calendar results for unknown behaviours ['ask_before_tell']",
        ),
    ],
)
def test_bad_context_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        ScoringContext(**kwargs)  # type: ignore[arg-type]
    assert info.value.message == message


def test_external_score_outside_0_100_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"external calendar score must be within 0–100, got 101"):
        ExternalResult(score=101, why_not_higher="x", source="calendar")


def test_real_tagger_end_to_end_asking_first_beats_telling_first() -> None:
    """The same sentences through the real tagger (no explicit acts)."""
    asked, _ = meeting_of(ASK_FIRST)
    told, _ = meeting_of(TELL_FIRST)
    a = score_meeting(asked).behaviors["ask_before_tell"].score
    t = score_meeting(told).behaviors["ask_before_tell"].score
    assert a is not None and t is not None and a > t


def test_analytics_result_dicts_are_accepted_as_context() -> None:
    """coachloop.analytics returns {score, reason, evidence, why_not_higher, signals} dicts."""
    rating = {"index": None, "start": None, "quote": "Rated Bo 4/5", "shows": "lenient rating"}
    context = ScoringContext(
        calendar={
            "hold_cadence": {
                "score": None,
                "reason": "no reps with calendar data for this manager",
                "evidence": [],
                "why_not_higher": "no reps with calendar data for this manager",
                "signals": {},
            }
        },
        calibration={
            "score": 80.0,
            "reason": None,
            "evidence": [rating],
            "why_not_higher": "Rate closer to your peers.",
            "signals": {"n_ratings": 12},
        },
    )
    rows: list[Row] = [("M", 0, 5, "Send the recap today.", "advice")]
    rows += [("M", 5, 9, "Our top reps book a next step on 8 of 10 calls.", "benchmark")] * 2
    card = score(rows, context=context)
    cadence = card.behaviors["hold_cadence"]
    assert (cadence.score, cadence.reason) == (None, "no reps with calendar data for this manager")
    calib = card.behaviors["calibrate_against_team"]
    assert calib.score == 90  # conversation 1.0 and ratings 0.8, equal weights
    assert calib.signals["calibration.n_ratings"] == 12
    assert calib.evidence[-1] == Evidence.from_dict(rating)


def test_an_external_result_without_score_needs_a_reason() -> None:
    with pytest.raises(ConfigError, match=r"^external calendar result has no score and no reason$"):
        ExternalResult(score=None, why_not_higher="x", source="calendar")


def _timed(lines: list[tuple[str, str]]) -> list[Row]:
    rows: list[Row] = []
    t = 0.0
    for who, text in lines:
        d = len(text.split()) / 2.5
        rows.append((who, t, t + d, text, ""))
        t += d + 1.0
    return rows


GOOD_1ON1 = [
    ("M", "How did discovery go on the Acme call yesterday?"),
    (
        "R",
        "Pretty well. Reporting takes them two days a month, but I never found the budget owner.",
    ),
    ("M", "What would you ask differently in discovery next time?"),
    ("R", "I think I would ask who signs off on the budget before I demo anything."),
    (
        "M",
        "Nice work on yesterday's Acme call: you asked about their reporting pain before you pitched.",
    ),
    ("R", "Thanks, I felt that."),
    ("M", "Our top reps confirm the budget owner in the first call on eight of ten deals."),
    ("M", "Next time in discovery, ask who owns the budget in the first ten minutes."),
    ("R", "Will do."),
]
POOR_1ON1 = [
    ("M", "You need to hold the line on the discount."),
    ("M", "And send the recap email today, and update your forecast in the CRM."),
    ("R", "Okay."),
    ("M", "Good job."),
    ("M", "We lost Globex and you missed quota this month."),
    ("M", "Your numbers are down and you are at sixty percent of quota."),
    ("M", "We need more revenue from you this quarter."),
    ("M", "The deal slipped again."),
    ("M", "Did you do the demo?"),
    ("R", "Yes."),
    ("M", "Great work."),
]


@pytest.mark.parametrize(
    "behavior",
    [
        "ask_before_tell",
        "one_behavior_per_cycle",
        "evidence_based_feedback",
        "behavior_not_outcome",
        "calibrate_against_team",
    ],
)
def test_a_good_1on1_outscores_a_poor_one_through_the_real_tagger(behavior: str) -> None:
    good_meeting, _ = meeting_of(_timed(GOOD_1ON1))
    poor_meeting, _ = meeting_of(_timed(POOR_1ON1))
    good = score_meeting(good_meeting).behaviors[behavior].score
    poor = score_meeting(poor_meeting).behaviors[behavior].score
    assert good is not None and poor is not None
    assert good - poor >= 30, (good, poor)


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        pytest.param(
            [("M", 0, 5, "Do this next time.", "advice"), ("R", 5, 60, "Ok.", "")],
            'You advised at 0:00 ("Do this next time.") before asking the rep anything: first '
            'ask an open question such as "What have you tried so far?" and let the rep answer '
            "(1 of 1 pieces of advice came before a question).",
            id="advice-without-topic",
        ),
        pytest.param(
            [
                ("M", 0, 50, "How was your week?", Q_OPEN),
                ("R", 50, 60, "Fine.", ""),
                ("M", 60, 100, "Do this next time.", "advice"),
            ],
            "You spoke 90% of the time; speak at most 43% by letting the rep finish and asking "
            "before you advise.",
            id="talking-too-much",
        ),
    ],
)
def test_ask_before_tell_why_not_higher(rows: list[Row], why: str) -> None:
    assert score(rows).behaviors["ask_before_tell"].why_not_higher == why
