from datetime import UTC, datetime

import pytest

from coachloop.errors import ModelError
from coachloop.model import Meeting, Role, SourceLocation, Speaker, Utterance, Word, build_meeting


def utt(i: int = 0, **kw: object) -> Utterance:
    args: dict[str, object] = {
        "index": i,
        "speaker": "Ana",
        "start": 1.0,
        "end": 2.0,
        "text": "Hello",
    }
    args.update(kw)
    return Utterance(**args)  # type: ignore[arg-type]


def test_meeting_adds_undeclared_speakers_in_order_of_appearance() -> None:
    m = Meeting(
        id="m1", utterances=(utt(0, speaker="Bo"), utt(1, speaker="Ana"), utt(2, speaker="Bo"))
    )
    assert [s.label for s in m.speakers] == ["Bo", "Ana"]
    assert m.duration == 2.0
    assert m.talk_time() == {"Bo": 2.0, "Ana": 1.0}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": -1.0}, "utterance 0: start is negative (-1.0); times count from 0"),
        ({"end": 0.5}, "utterance 0: end 0.5 is before start 1.0"),
        ({"text": "   "}, "utterance 0: text is empty"),
        ({"text": "a\x00b"}, "utterance 0: text contains a NUL byte"),
        ({"speaker": ""}, "utterance 0: speaker label is empty"),
        ({"start": float("nan")}, "utterance 0: start must be a finite number of seconds, got nan"),
    ],
)
def test_impossible_utterances_are_refused_with_exact_messages(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ModelError) as info:
        utt(**kwargs)
    assert str(info.value) == message


def test_error_names_the_source_file() -> None:
    with pytest.raises(ModelError, match=r"utterance 3 \(a.vtt, line 12\): text is empty"):
        utt(3, text="", source=SourceLocation(file="a.vtt", line=12))


def test_indexes_must_follow_input_order() -> None:
    with pytest.raises(ModelError, match="utterance at position 1 has index 2"):
        Meeting(id="m", utterances=(utt(0), utt(2)))


def test_meeting_needs_utterances_and_aware_start() -> None:
    with pytest.raises(ModelError, match="no utterances"):
        Meeting(id="m", utterances=())
    with pytest.raises(ModelError, match="timezone-aware"):
        Meeting(id="m", utterances=(utt(),), started_at=datetime(2026, 1, 1))
    ok = Meeting(id="m", utterances=(utt(),), started_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert ok.started_at is not None


def test_with_roles_sets_roles_and_refuses_unknown_labels() -> None:
    m = build_meeting(
        id="m",
        rows=[
            {"speaker": "A", "start": 0, "end": 1, "text": "hi"},
            {"speaker": "B", "start": 1, "end": 2, "text": "yo"},
        ],
    )
    m2 = m.with_roles({"A": "manager", "B": Role.REP})
    assert m2.manager == Speaker(label="A", role=Role.MANAGER)
    assert m2.labels_with_role(Role.REP) == ["B"]
    assert m.manager is None  # the original is unchanged
    with pytest.raises(ModelError, match=r"no speaker labelled \['C'\]"):
        m.with_roles({"C": "rep"})


def test_speaker_role_is_validated() -> None:
    with pytest.raises(ModelError, match="role must be one of manager, rep, other"):
        Speaker(label="x", role="boss")  # type: ignore[arg-type]


def test_word_times_are_validated() -> None:
    with pytest.raises(ModelError, match=r"word .hi.: end 1\.0 is before start 2\.0"):
        Word(text="hi", start=2.0, end=1.0)
