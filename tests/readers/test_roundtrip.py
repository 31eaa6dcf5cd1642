"""write_transcript -> read_text gives the same utterances, within each format's precision."""

import datetime as dt

import pytest
import srt
import webvtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachloop.errors import FormatError
from coachloop.model import Meeting, build_meeting
from coachloop.readers import FORMATS, UNKNOWN_SPEAKER, detect_format, read_text
from coachloop.readers.writers import WRITERS, write_transcript

from .conftest import DIARISED, NO_ENDS, NO_SPEAKERS, START_PRECISION, WORDS, one_on_one


def test_every_reader_has_a_writer() -> None:
    assert set(WRITERS) == set(FORMATS)


def assert_same(original: Meeting, back: Meeting, fmt: str) -> None:
    assert back.source_format == fmt
    assert len(back.utterances) == len(original.utterances)
    mapping: dict[str, str] = {}
    for a, b in zip(original.utterances, back.utterances, strict=True):
        assert b.text == " ".join(a.text.split())
        assert abs(b.start - a.start) <= START_PRECISION[fmt]
        if fmt in NO_ENDS:
            assert b.end is None
        else:
            assert b.end is not None and a.end is not None
            assert abs(b.end - a.end) <= START_PRECISION[fmt]
        if fmt in NO_SPEAKERS:
            assert b.speaker == UNKNOWN_SPEAKER
        elif fmt in DIARISED:
            assert mapping.setdefault(a.speaker, b.speaker) == b.speaker
        else:
            assert b.speaker == a.speaker
        if fmt in WORDS:
            assert [(w.text, round(w.start, 3), round(w.end, 3)) for w in b.words] == [
                (w.text, round(w.start, 3), round(w.end, 3)) for w in a.words
            ]
    if fmt in DIARISED:
        assert len(set(mapping.values())) == len(mapping), "two speakers were merged"


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_then_read_gives_the_same_utterances(fmt: str, meeting: Meeting) -> None:
    text = write_transcript(meeting, fmt)
    assert detect_format(text) == fmt
    back = read_text(text, name=f"sample.{fmt}")
    assert_same(meeting, back, fmt)


@pytest.mark.parametrize(
    ("fmt", "labels"),
    [
        ("whisperx", ["SPEAKER_00", "SPEAKER_01"]),
        ("assemblyai", ["A", "B"]),
        ("deepgram", ["0", "1"]),
    ],
)
def test_diarised_writers_number_speakers_in_order_of_appearance(
    fmt: str, labels: list[str]
) -> None:
    back = read_text(write_transcript(one_on_one(), fmt), name="x")
    assert [u.speaker for u in back.utterances] == [labels[0], labels[1], labels[0], labels[1]]


def test_google_meet_keeps_title_and_start_to_the_minute(meeting: Meeting) -> None:
    text = write_transcript(meeting, "google-meet")
    assert text.splitlines()[:4] == [
        "Ana / Ben 1:1 (2026-03-05 10:00 GMT) - Transcript",
        "Attendees",
        "Ana Silva, Ben Okafor",
        "Transcript",
    ]
    back = read_text(text, name="meet.txt")
    assert back.title == "Ana / Ben 1:1"
    assert back.started_at == dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def test_exact_zoom_layout(meeting: Meeting) -> None:
    assert write_transcript(meeting, "zoom-vtt").splitlines()[:9] == [
        "WEBVTT",
        "",
        "1",
        "00:00:00.500 --> 00:00:04.250",
        "Ana Silva: Hi Ben, how's the quarter going?",
        "",
        "2",
        "00:00:04.000 --> 00:00:09.500",
        "Ben Okafor: Pretty well. We closed Acme &amp; &lt;Globex&gt;.",
    ]


def test_exact_otter_and_text_layout(meeting: Meeting) -> None:
    assert write_transcript(meeting, "otter").splitlines()[:3] == [
        "Ana Silva  0:00",
        "Hi Ben, how's the quarter going?",
        "",
    ]
    assert write_transcript(meeting, "otter").splitlines()[6] == "Ana Silva  1:02:05"
    assert (
        write_transcript(meeting, "text").splitlines()[2]
        == "[01:02:05] Ana Silva: What got in the way?"
    )


def test_writer_refuses_a_name_it_cannot_write() -> None:
    m = build_meeting(id="x", rows=[{"speaker": "Dr: Who", "start": 0, "end": 1, "text": "hi"}])
    with pytest.raises(FormatError) as info:
        write_transcript(m, "zoom-vtt")
    assert str(info.value).startswith("cannot write speaker 'Dr: Who' as zoom-vtt")


def test_unknown_writer_format() -> None:
    with pytest.raises(FormatError, match="no writer for format 'docx'"):
        write_transcript(one_on_one(), "docx")


# -- independent writers: the ecosystem's libraries write, we read ---------------------------


def test_reads_what_webvtt_py_writes() -> None:
    doc = webvtt.WebVTT()
    doc.captions.append(webvtt.Caption("00:00:01.000", "00:00:02.500", "<v Ana>Hello there</v>"))
    doc.captions.append(webvtt.Caption("00:00:02.000", "00:00:04.000", "<v Ben>Hi Ana</v>"))
    back = read_text(doc.content, name="lib.vtt")
    assert back.source_format == "teams-vtt"
    assert [(u.speaker, u.start, u.end, u.text) for u in back.utterances] == [
        ("Ana", 1.0, 2.5, "Hello there"),
        ("Ben", 2.0, 4.0, "Hi Ana"),
    ]


def test_reads_what_srt_writes() -> None:
    subs = [
        srt.Subtitle(1, dt.timedelta(seconds=1), dt.timedelta(seconds=2.5), "Ana: Hello\nthere"),
        srt.Subtitle(
            2, dt.timedelta(hours=1, seconds=2), dt.timedelta(hours=1, seconds=4), "Ben: Hi"
        ),
    ]
    back = read_text(srt.compose(subs), name="lib.srt")
    assert back.source_format == "srt"
    assert [(u.speaker, u.start, u.end, u.text) for u in back.utterances] == [
        ("Ana", 1.0, 2.5, "Hello there"),
        ("Ben", 3602.0, 3604.0, "Hi"),
    ]


# -- property: random meetings survive every writer/reader pair --------------------------------

_names = st.sampled_from(["Ana Silva", "Ben Okafor", "Chen Wei", "Dana O'Neil", "Élodie Roux"])
_text = st.text(
    alphabet=st.sampled_from(list("abcdefghij KLMNOP.,?!'-&é0123456789")), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")


@st.composite
def meetings(draw: st.DrawFn) -> Meeting:
    n = draw(st.integers(1, 6))
    rows = []
    for _ in range(n):
        start = draw(st.integers(0, 5_000_000)) / 1000
        rows.append(
            {
                "speaker": draw(_names),
                "start": start,
                "end": start + draw(st.integers(0, 60_000)) / 1000,
                "text": draw(_text),
            }
        )
    return build_meeting(id="cd" * 32, rows=rows, title="t")


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m=meetings())
def test_property_roundtrip(fmt: str, m: Meeting) -> None:
    back = read_text(write_transcript(m, fmt), name="p", format=fmt)
    assert_same(m, back, fmt)
