"""Each signal on hand-built meetings with explicit acts (see scoring_helpers)."""

from __future__ import annotations

import pytest

from coachloop.scoring import SIGNALS, score_meeting
from tests.scoring.scoring_helpers import Q_CLOSED, Q_OPEN, Row, meeting_of, score

SIGNAL_NAMES = [
    "talk_share",
    "longest_monologue_s",
    "questions",
    "questions_per_10min",
    "open_question_share",
    "question_statement_ratio",
    "advice",
    "tell_before_ask",
    "interruptions",
    "interruptions_per_10min",
    "patience_s",
    "feedback",
    "evidence_feedback_share",
    "vague_feedback",
    "behavior_outcome_ratio",
    "coaching_topics",
    "benchmark_refs",
]


def test_every_issue_signal_is_registered_and_reported_under_its_json_name() -> None:
    assert [c.id for c in SIGNALS.defaults()] == SIGNAL_NAMES
    card = score([("M", 0, 1, "Hi there Bo.", ""), ("R", 1, 2, "Hi Ana.", "")])
    assert list(card.signals) == SIGNAL_NAMES


@pytest.mark.parametrize(
    ("rows", "manager", "rep"),
    [
        pytest.param(
            [("M", 0, 30, "a b c", ""), ("R", 30, 100, "d e f", "")], 0.3, 0.7, id="real-ends"
        ),
        # 5 words at 2.5 words/s = 2 s estimated; the rep's 10 s are real
        pytest.param(
            [("M", 0, None, "one two three four five", ""), ("R", 10, 20, "x y", "")],
            0.167,
            0.833,
            id="estimated-end",
        ),
        # 10 words would be 4 s, but the rep starts after 1 s
        pytest.param(
            [("M", 0, None, "w " * 10, ""), ("R", 1, 5, "x y", "")], 0.2, 0.8, id="capped-estimate"
        ),
    ],
)
def test_talk_share(rows: list[Row], manager: float, rep: float) -> None:
    card = score(rows)
    assert (card.signals["talk_share"], card.rep_signals["talk_share"]) == (manager, rep)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                ("M", 0, 10, "one long point here", ""),
                ("M", 11, 20, "and another one here", ""),
                ("R", 20, 21, "mm-hmm", "backchannel"),
                ("M", 21, 40, "still going on and on", ""),
                ("R", 41, 50, "can I say something here", ""),
                ("M", 51, 55, "sure go ahead now", ""),
            ],
            40.0,
            id="backchannel-does-not-break",
        ),
        pytest.param(
            [("M", 0, 10, "one long point here", ""), ("M", 14, 20, "after a long pause", "")],
            10.0,
            id="gap-over-3s-breaks",
        ),
        pytest.param(
            [
                ("M", 0, 10, "one long point here", ""),
                ("R", 10, 12, "but what about pricing though", ""),
                ("M", 12, 20, "fine let me go on", ""),
            ],
            10.0,
            id="rep-turn-breaks",
        ),
    ],
)
def test_longest_monologue(rows: list[Row], expected: float) -> None:
    assert score(rows).signals["longest_monologue_s"] == expected


def test_longest_monologue_gap_is_configurable() -> None:
    rows: list[Row] = [("M", 0, 10, "one long point", ""), ("M", 14, 20, "after a pause", "")]
    config = {"signals": {"longest_monologue_s.v1": {"max_gap_s": 5}}}
    assert score(rows, config=config).signals["longest_monologue_s"] == 20.0


QUESTION_ROWS: list[Row] = [
    ("M", 0, 5, "How did it go?", Q_OPEN),
    ("R", 5, 60, "Fine, the call went long.", ""),
    ("M", 60, 65, "Did they sign?", Q_CLOSED),
    ("R", 65, 70, "Not yet.", ""),
    ("M", 70, 75, "Right.", "backchannel"),
    ("M", 75, 80, "Send the recap today.", "advice"),
    ("M", 80, 85, "Was the champion there?", "question leading_question closed_question advice"),
    ("M", 85, 90, "I liked the opener.", "feedback"),
    ("R", 90, 300, "Okay, thanks for that.", ""),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("questions", 3),
        ("questions_per_10min", 6.0),  # 3 questions in 300 s
        ("open_question_share", 0.333),
        ("question_statement_ratio", 1.5),  # 3 questions / 2 statements (backchannel excluded)
        ("advice", 2),
        ("feedback", 1),
    ],
)
def test_question_and_advice_counts(name: str, expected: float) -> None:
    assert score(QUESTION_ROWS).signals[name] == expected


def test_rep_questions_are_reported_for_the_rep() -> None:
    rows: list[Row] = [("M", 0, 5, "Update?", ""), ("R", 5, 600, "Can I ask?", Q_CLOSED)]
    assert score(rows).rep_signals["questions"] == 1
    assert score(rows).rep_signals["questions_per_10min"] == 1.0


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("open_question_share", [("M", 0, 5, "Send it.", "advice"), ("R", 5, 9, "Ok.", "")]),
        ("question_statement_ratio", [("M", 0, 5, "Why?", Q_OPEN), ("R", 5, 9, "Because.", "")]),
        ("evidence_feedback_share", [("M", 0, 5, "Send it.", "advice"), ("R", 5, 9, "Ok.", "")]),
        ("behavior_outcome_ratio", [("M", 0, 5, "Send it.", "advice"), ("R", 5, 9, "Ok.", "")]),
        ("patience_s", [("M", 0, None, "Send it.", "advice"), ("R", 5, None, "Ok.", "")]),
    ],
)
def test_undefined_ratios_are_null(name: str, rows: list[Row]) -> None:
    assert score(rows).signals[name] is None


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                ("M", 0, 5, "How is discovery going on Acme?", Q_OPEN),
                ("R", 5, 30, "Slow.", ""),
                ("M", 30, 35, "Ask about their pain points earlier in discovery.", "advice"),
            ],
            0,
            id="asked-on-topic-first",
        ),
        pytest.param(
            [
                ("M", 0, 5, "How is discovery going on Acme?", Q_OPEN),
                ("R", 5, 30, "Slow.", ""),
                ("M", 30, 35, "Hold the line on the discount next time.", "advice"),
            ],
            1,
            id="asked-about-another-topic",
        ),
        pytest.param(
            [
                ("M", 0, 5, "Hold the line on the discount next time.", "advice"),
                ("M", 5, 9, "What did you do about the pricing objection?", Q_OPEN),
                ("R", 9, 30, "I caved.", ""),
                ("M", 30, 35, "Hold the line on the discount next time.", "advice"),
            ],
            1,
            id="second-advice-after-asking",
        ),
        pytest.param(
            [("M", 0, 5, "Do this next time.", "advice"), ("R", 5, 9, "Ok.", "")],
            1,
            id="no-topic-no-question-before",
        ),
        pytest.param(
            [
                ("M", 0, 5, "How was your week?", Q_OPEN),
                ("R", 5, 9, "Busy.", ""),
                ("M", 9, 12, "Do this next time.", "advice"),
            ],
            0,
            id="no-topic-after-a-question",
        ),
        pytest.param(
            [
                ("M", 0, 5, "How is discovery? Ask about pain in discovery.", Q_OPEN + " advice"),
                ("R", 5, 9, "Ok.", ""),
            ],
            1,
            id="same-utterance-question-does-not-count",
        ),
    ],
)
def test_tell_before_ask(rows: list[Row], expected: int) -> None:
    assert score(rows).signals["tell_before_ask"] == expected


@pytest.mark.parametrize(
    ("rows", "manager", "rep"),
    [
        pytest.param(
            [
                ("R", 0, 10, "so I was saying", ""),
                ("M", 3, 5, "wait let me stop you", "interruption"),
            ],
            1,
            0,
            id="manager-marked",
        ),
        pytest.param(
            [
                ("M", 0, 10, "here is my view on it", ""),
                ("R", 5, 12, "but that is wrong", "interruption"),
            ],
            0,
            1,
            id="rep-marked",
        ),
        pytest.param(
            [
                ("R", 0, 10, "so I was saying", ""),
                ("M", 8, 9, "mm-hmm", "backchannel interruption"),
            ],
            0,
            0,
            id="backchannel-never-counts",
        ),
    ],
)
def test_interruptions_count_the_taggers_marks(rows: list[Row], manager: int, rep: int) -> None:
    card = score(rows)
    assert (card.signals["interruptions"], card.rep_signals["interruptions"]) == (manager, rep)


@pytest.mark.parametrize(
    ("start", "expected"),
    [(9.0, 1), (9.8, 0)],  # the rep goes on 1 s / 0.2 s after the manager starts
)
def test_interruptions_by_timing_through_the_real_tagger(start: float, expected: int) -> None:
    meeting, _ = meeting_of(
        [
            ("R", 0, 10, "So I was saying the Acme deal is moving along nicely now.", ""),
            ("M", start, 12, "Wait, hold on, which deal do you mean exactly?", ""),
        ]
    )
    assert score_meeting(meeting).signals["interruptions"] == expected


def test_interruptions_per_10min() -> None:
    rows: list[Row] = [
        ("R", 0, 10, "so I was saying", ""),
        ("M", 9, 12, "wait no hold on", "interruption"),
        ("R", 12, 300, "ok as I said", ""),
    ]
    assert score(rows).signals["interruptions_per_10min"] == 2.0


def test_patience_is_the_median_pause_before_the_manager_takes_the_floor() -> None:
    rows: list[Row] = [
        ("R", 0, 10, "first point made", ""),
        ("M", 10.5, 12, "I see what you mean", ""),
        ("R", 12, 20, "second point made", ""),
        ("M", 21.5, 25, "that makes sense now", ""),
        ("R", 25, 30, "third point made", ""),
        ("M", 29, 31, "no that is wrong", ""),  # overlap counts as 0
        ("R", 31, 35, "fourth point made", ""),
        ("M", 38, 40, "tell me more please", ""),
    ]
    assert score(rows).signals["patience_s"] == 1.0  # median of 0.5, 1.5, 0, 3


FEEDBACK_ROWS: list[Row] = [
    ("M", 0, 5, "Good job.", "feedback"),
    (
        "M",
        5,
        10,
        "On Tuesday's Acme call you asked great questions about budget.",
        "feedback evidence behavior_talk",
    ),
    ("M", 10, 15, "Great work on the demo.", "feedback"),
    ("M", 15, 20, "You lost the deal and missed quota.", "feedback outcome_talk"),
    (
        "M",
        20,
        25,
        "Our top reps book a next step on 8 of 10 calls.",
        "benchmark evidence behavior_talk",
    ),
    ("R", 25, 30, "Understood.", ""),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("feedback", 4),
        ("evidence_feedback_share", 0.25),
        ("vague_feedback", 1),  # "Good job." (the demo one names a topic)
        ("behavior_outcome_ratio", 0.667),  # 2 behaviour / (2 + 1 outcome)
        ("coaching_topics", 2),  # demo, forecasting (topics of the tagger's lexicon)
        ("benchmark_refs", 1),
    ],
)
def test_feedback_signals(name: str, expected: float) -> None:
    assert score(FEEDBACK_ROWS).signals[name] == expected
