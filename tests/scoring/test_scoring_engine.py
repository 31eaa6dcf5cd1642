"""score_meeting as a whole: roles, the stored form, what the dashboard reads."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachloop.errors import ModelError, RoleError
from coachloop.model import Role, Speaker, build_meeting
from coachloop.scoring import SPEC_VERSION, Scorecard, score_meeting
from tests.scoring.scoring_helpers import Q_OPEN, Row, meeting_of, score

ROWS: list[Row] = [
    ("M", 0, 5, "How is discovery going on Acme?", Q_OPEN),
    ("R", 5, 60, "Slow.", ""),
    ("M", 60, 65, "Ask about their pain points earlier in discovery.", "advice"),
]


def test_a_meeting_without_a_manager_is_refused_with_the_fix() -> None:
    meeting, acts = meeting_of(ROWS, manager=False)
    with pytest.raises(RoleError) as info:
        score_meeting(meeting, acts=acts)
    assert str(info.value) == (
        "meeting Ana / Bo: no speaker has the manager role (name the manager "
        "(coachloop score --manager NAME or --roster FILE), or set roles with "
        "coachloop.roles.assign_roles)"
    )


def test_two_managers_are_refused() -> None:
    meeting = build_meeting(
        id="m2",
        speakers=[Speaker("Ana", role=Role.MANAGER), Speaker("Bo", role=Role.MANAGER)],
        rows=[{"speaker": "Ana", "start": 0, "end": 1, "text": "Hi."}],
    )
    with pytest.raises(RoleError) as info:
        score_meeting(meeting)
    assert info.value.message == "meeting m2: 2 speakers have the manager role (Ana, Bo)"


def test_acts_must_match_the_utterances() -> None:
    meeting, _ = meeting_of(ROWS)
    with pytest.raises(ModelError) as info:
        score_meeting(meeting, acts=[frozenset()])
    assert info.value.message == "meeting m-test: the tagger returned 1 act sets for 3 utterances"


def test_without_rep_roles_every_other_speaker_is_the_rep() -> None:
    meeting = build_meeting(
        id="m3",
        speakers=[Speaker("Ana", role=Role.MANAGER)],
        rows=[
            {"speaker": "Ana", "start": 0, "end": 10, "text": "Hi both."},
            {"speaker": "Bo", "start": 10, "end": 20, "text": "Hi."},
            {"speaker": "Cy", "start": 20, "end": 40, "text": "Hello."},
        ],
    )
    card = score_meeting(meeting, acts=[frozenset()] * 3)
    assert card.rep_signals["talk_share"] == 0.75


def test_the_stored_form_is_json_and_reads_back_unchanged() -> None:
    card = score(ROWS)
    data = card.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert Scorecard.from_dict(data) == card
    assert data["spec_version"] == SPEC_VERSION
    assert (data["manager"], data["duration_s"], data["meeting_id"]) == ("Ana", 65.0, "m-test")
    assert set(data["behaviors"]["ask_before_tell"]) == {
        "component",
        "score",
        "reason",
        "evidence",
        "why_not_higher",
        "signals",
    }
    assert data["behaviors"]["ask_before_tell"]["evidence"] == [
        {
            "index": 0,
            "start": 0.0,
            "quote": "How is discovery going on Acme?",
            "shows": "open question before any advice",
        }
    ]


def test_long_quotes_are_cut_to_160_characters() -> None:
    long = "Ask about their pain points earlier in discovery " + "and keep going " * 20
    card = score([("M", 0, 5, long.strip(), "advice"), ("R", 5, 30, "Ok.", "")])
    q = card.behaviors["ask_before_tell"].evidence[0].quote
    assert len(q) == 160 and q.endswith("…") and q.startswith("Ask about their pain points")


def test_manager_is_reported_by_display_name() -> None:
    meeting = build_meeting(
        id="m4",
        speakers=[Speaker("SPEAKER_00", name="Ana Ruiz", role=Role.MANAGER)],
        rows=[{"speaker": "SPEAKER_00", "start": 0, "end": 1, "text": "Hi."}],
    )
    assert score_meeting(meeting, acts=[frozenset()]).manager == "Ana Ruiz"


ACT_NAMES = [
    "question open_question",
    "question closed_question",
    "question closed_question leading_question advice",
    "advice",
    "feedback",
    "feedback evidence",
    "behavior_talk",
    "outcome_talk",
    "backchannel",
    "interruption",
    "benchmark",
    "",
]
TEXTS = [
    "How is discovery going?",
    "Hold the discount next time.",
    "Good job.",
    "mm-hmm",
    "We lost the deal.",
    "Send the recap today.",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["M", "R", "X"]),
            st.floats(0, 5, allow_nan=False),
            st.one_of(st.none(), st.floats(0, 8, allow_nan=False)),
            st.sampled_from(TEXTS),
            st.sampled_from(ACT_NAMES),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_any_meeting_scores_within_range_or_null_with_a_reason(
    steps: list[tuple[str, float, float | None, str, str]],
) -> None:
    rows: list[Row] = []
    t = 0.0
    for who, gap, length, text, acts in steps:
        t += gap
        rows.append((who, t, None if length is None else t + length, text, acts))
    card = score(rows)
    json.dumps(card.to_dict())
    for b in card.behaviors.values():
        if b.score is None:
            assert b.reason
        else:
            assert 0 <= b.score <= 100 and b.reason is None
        assert b.why_not_higher
        assert all(e.index is None or 0 <= e.index < len(rows) for e in b.evidence)
    share = card.signals["talk_share"]
    assert share is None or 0 <= share <= 1


def test_audio_diarisation_flags_become_caveats() -> None:
    from coachloop.scoring import score_meeting
    from coachloop.scoring.engine import caveats_for

    m, acts = meeting_of([("M", 0, 5, "How did the call go?", Q_OPEN), ("R", 5, 9, "Fine.", "")])
    assert caveats_for(m) == ()
    mixed = m.with_meta(
        diarisation="mixed-voiceprint",
        speakers_uncertain=True,
        overlaps_measured=False,
        possible_interruptions=[{"index": 1}],
        low_confidence_utterances=[1],
    )
    assert caveats_for(mixed) == (
        "speakers were told apart on one mixed audio track: talk share, monologues, "
        "questions and interruptions are estimates",
        "the two voices could not be told apart reliably: every speaker-dependent signal "
        "is unreliable for this meeting",
        "overlapping speech cannot be measured on a mixed track, so interruptions and "
        "patience are undercounted; 1 possible interruptions were flagged from the audio",
        "1 utterances have an uncertain speaker",
    )
    assert caveats_for(m.with_meta(diarisation="tracks")) == ()
    card = score_meeting(mixed, acts=acts)
    assert list(card.caveats) == list(caveats_for(mixed))
    assert card.to_dict()["caveats"] == list(caveats_for(mixed))
