"""Each reader on small hand-made samples: detection, speakers, times, places, meta."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coachloop.errors import FormatError, InputError
from coachloop.model import SourceLocation
from coachloop.readers import detect_format, read_text, read_transcript

FIXTURES = Path(__file__).parent.parent / "fixtures" / "transcripts"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("zoom.vtt", "zoom-vtt"),
        ("teams.vtt", "teams-vtt"),
        ("plain.vtt", "vtt"),
        ("named.srt", "srt"),
        ("meet.txt", "google-meet"),
        ("otter.txt", "otter"),
        ("notes.txt", "text"),
        ("whisper.json", "whisper"),
        ("whisperx.json", "whisperx"),
        ("assemblyai.json", "assemblyai"),
        ("deepgram.json", "deepgram"),
        ("deepgram-multichannel.json", "deepgram"),
    ],
)
def test_detects_every_fixture(name: str, fmt: str) -> None:
    path = FIXTURES / name
    assert detect_format(path.read_text(encoding="utf-8")) == fmt
    meeting = read_transcript(path)
    assert meeting.source_format == fmt
    assert meeting.id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(meeting.utterances) == 6


def test_overlaps_are_kept_exactly() -> None:
    m = read_transcript(FIXTURES / "zoom.vtt")
    assert (m.utterances[1].end, m.utterances[2].start) == (11.5, 10.9)


def test_source_locations_name_line_and_cue() -> None:
    assert read_transcript(FIXTURES / "teams.vtt").utterances[2].source == SourceLocation(
        file=str(FIXTURES / "teams.vtt"), line=12, cue="7d3c2a1e-5b4f-4c6d-8e9f-0a1b2c3d4e5f/15-0"
    )
    assert read_transcript(FIXTURES / "otter.txt").utterances[1].source.line == 4
    assert read_transcript(FIXTURES / "whisperx.json").utterances[3].source.cue == "segments[3]"


def test_title_is_the_file_stem_unless_the_export_has_one() -> None:
    assert read_transcript(FIXTURES / "zoom.vtt").title == "zoom"
    assert read_transcript(FIXTURES / "meet.txt").title == "Ana / Ben weekly 1:1"


def test_meet_header_date_attendees_and_end() -> None:
    m = read_transcript(FIXTURES / "meet.txt")
    assert m.started_at == datetime(2026, 3, 5, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert m.meta["attendees"] == ["Ana Silva", "Ben Okafor"]
    assert m.meta["ended_after"] == 34.0
    assert [u.end for u in m.utterances] == [None] * 6


@pytest.mark.parametrize(
    ("title", "when"),
    [
        ("1:1 (2026-01-02 09:30 GMT) - Transcript", datetime(2026, 1, 2, 9, 30, tzinfo=UTC)),
        (
            "1:1 (2026-01-02 09:30 GMT-5:30) - Transcript",
            datetime(2026, 1, 2, 9, 30, tzinfo=timezone(-timedelta(hours=5, minutes=30))),
        ),
        ("1:1 - Transcript", None),
    ],
)
def test_meet_title_dates(title: str, when: datetime | None) -> None:
    m = read_text(f"{title}\nTranscript\n00:00:00\nAna: Hi\n", name="m.txt")
    assert (m.title, m.started_at) == ("1:1", when)


def test_zoom_cue_without_a_name_gets_the_unknown_speaker() -> None:
    text = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nAna: Hi\n\n2\n00:00:01.000 --> 00:00:02.000\nAna: Hello\n\n3\n00:00:02.000 --> 00:00:03.000\n(laughter)\n"
    m = read_text(text, name="z.vtt")
    assert m.source_format == "zoom-vtt"
    assert [(u.speaker, u.text) for u in m.utterances][2] == ("Unknown", "(laughter)")


def test_vtt_note_style_settings_tags_and_entities() -> None:
    text = (
        "WEBVTT - exported\n\nSTYLE\n::cue { color: red }\n\nNOTE a comment\n\n"
        "00:01.000 --> 00:02.500 line:0 position:20%\n<c.yellow>Tom &amp; Jerry</c> <i>&lt;3</i>\n"
    )
    m = read_text(text, name="p.vtt")
    assert [(u.speaker, u.start, u.end, u.text) for u in m.utterances] == [
        ("Unknown", 1.0, 2.5, "Tom & Jerry <3")
    ]


def test_srt_without_names_keeps_the_text_whole() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nNote: this is not a speaker\n\n2\n00:00:03,000 --> 00:00:04,000\nplain words\n\n3\n00:00:05,000 --> 00:00:06,000\n<i>more</i>\n"
    m = read_text(text, name="s.srt")
    assert [(u.speaker, u.text) for u in m.utterances] == [
        ("Unknown", "Note: this is not a speaker"),
        ("Unknown", "plain words"),
        ("Unknown", "more"),
    ]


def test_plain_text_without_times() -> None:
    m = read_text("Ana: How are you?\n\nBen: Fine: thanks.\n", name="n.txt")
    assert m.source_format == "text"
    assert [(u.speaker, u.start, u.text) for u in m.utterances] == [
        ("Ana", 0.0, "How are you?"),
        ("Ben", 0.0, "Fine: thanks."),
    ]
    assert m.meta["timed"] is False


def test_whisperx_unaligned_word_keeps_its_place() -> None:
    m = read_transcript(FIXTURES / "whisperx.json")
    words = m.utterances[3].words
    pct = next(w for w in words if w.text == "20%")
    before = words[words.index(pct) - 1]
    assert (pct.start, pct.end, pct.confidence) == (before.end, before.end, None)
    assert m.utterances[3].n_words == 9


def test_deepgram_meta_and_multichannel() -> None:
    one = read_transcript(FIXTURES / "deepgram.json")
    assert one.meta["channels"] == 1 and one.meta["unit"] == "utterance"
    assert one.meta["deepgram_created"] == "2026-03-05T10:40:12.113Z"
    assert one.utterances[0].words[0].text == "Hi"  # the punctuated word
    multi = read_transcript(FIXTURES / "deepgram-multichannel.json")
    assert multi.meta["channels"] == 2 and multi.meta["unit"] == "speaker run"


def test_assemblyai_milliseconds() -> None:
    m = read_transcript(FIXTURES / "assemblyai.json")
    assert (m.utterances[1].start, m.utterances[1].end) == (4.12, 11.5)
    assert m.meta["assemblyai_id"].startswith("6rlr37h8a1")


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n00:00:03.000 --> 00:00:04.000\nthere\n",
            None,
            "x, line 5: a second cue timing line inside one cue (add the missing blank line before it)",
        ),
        (
            "WEBVTT\n00:00:01.000 --> 00:00:02.000\nhi\n",
            None,
            "x, line 2: a cue starts inside the WEBVTT header (add a blank line after the WEBVTT line)",
        ),
        (
            "WEBVTT\n\nhello\nworld\n",
            None,
            "x, line 3: expected a cue timing line, got 'hello' (a cue timing line looks like 00:00:01.000 --> 00:00:04.000)",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nhi\n\nstray words\n",
            None,
            "x, line 5: expected a cue number then a timing line, got 'stray words' "
            "(an SRT cue is a number, a line 00:00:01,000 --> 00:00:04,000, then the text)",
        ),
        (
            "[00:00:01] Ana: hi\nBen: hello\n",
            None,
            "x, line 2: this line has no [HH:MM:SS] time but the lines above have one (give every line a time or none)",
        ),
        (
            "Ana: hi\nthis line wrapped\n",
            None,
            "x, line 2: expected '[HH:MM:SS] Name: text' or 'Name: text', got 'this line wrapped' "
            "(join a wrapped line to the line above, or pick another --input-format)",
        ),
        (
            "Ana  0:01\nhi\n\nnot a header\ntext\n",
            None,
            "x, line 4: expected a paragraph header 'Name  M:SS', got 'not a header' "
            "(each paragraph is a 'Name  M:SS' line, the text below it, then a blank line)",
        ),
        (
            "Ana  0:75\nhi\n",
            None,
            "x, line 1: malformed time '0:75': minutes and seconds must be below 60 (fix the time in the file)",
        ),
        (
            '{"segments": [{"start": "0", "end": 1, "text": "hi"}]}',
            None,
            "x: segments[0].start must be a number, got '0' "
            "(export the transcript again; the file looks damaged or is not this format)",
        ),
        (
            '{"segments": [{"start": 0, "end": 1, "text": "hi", "words": [{"word": "hi", "start": 2, "end": 1}]}]}',
            "whisper",
            "x: segments[0].words[0]: end 1.0 is before start 2.0 "
            "(export the transcript again; the file looks damaged or is not this format)",
        ),
        (
            '{"segments": [{"start": 1' + "0" * 400 + ', "end": 1, "text": "hi"}]}',
            None,
            "x: segments[0].start is too large (over 1e15) "
            "(export the transcript again; the file looks damaged or is not this format)",
        ),
        (
            '{"id": "t1", "status": "completed", "utterances": null, "words": []}',
            None,
            "x: no utterances: the transcript was made without speaker labels "
            "(request the transcript with speaker_labels=true and export it again)",
        ),
        (
            '{"segments": [{"start": 0, "end": 1, "text": "a\\u0000b"}]}',
            None,
            "x, cue segments[0]: text contains a NUL byte (fix this entry in the file)",
        ),
        (
            '{"segments": []}',
            None,
            "x: no utterances: nothing to read as whisper "
            "(check that this is a transcript export and not an empty file)",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n",
            None,
            "x: only entries without text: nothing to read as vtt "
            "(check that this is a transcript export and not an empty file)",
        ),
        (
            "Ana: hi\n",
            "whisperx",
            "x, line 1: invalid JSON: Expecting value at column 1 (fix the JSON syntax)",
        ),
        (
            "Ana: hi\n",
            "zoom-vtt",
            "x, line 1: not WebVTT: the first line must start with WEBVTT (use --input-format to pick the right format)",
        ),
        (
            "Ana: hi\n",
            "docx",
            "x: unknown format 'docx' (use one of: zoom-vtt, teams-vtt, vtt, srt, google-meet, otter, text, whisper, whisperx, assemblyai, deepgram)",
        ),
    ],
)
def test_malformed_input_names_the_place(text: str, fmt: str | None, message: str) -> None:
    with pytest.raises(InputError) as info:
        read_text(text, name="x", format=fmt)
    assert str(info.value) == message


def test_errors_are_format_errors_with_codes() -> None:
    with pytest.raises(FormatError) as info:
        read_text("WEBVTT\n\nbad\n", name="x")
    assert (info.value.code, info.value.file, info.value.line, info.value.exit_code) == (
        "CL210",
        "x",
        3,
        2,
    )


def test_read_text_id_is_sha256_of_the_utf8_text() -> None:
    text = "Ana: hi\n"
    assert read_text(text, name="x").id == hashlib.sha256(text.encode()).hexdigest()


def test_non_utf8_encoding_is_recorded_in_meta(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes("Zoë: Ça va?\n".encode("cp1252"))
    m = read_transcript(path)
    assert (m.utterances[0].speaker, m.utterances[0].text, m.meta["encoding"]) == (
        "Zoë",
        "Ça va?",
        "cp1252",
    )


def test_whisper_segment_text_is_stripped_and_language_kept() -> None:
    raw = json.loads((FIXTURES / "whisper.json").read_text())
    m = read_transcript(FIXTURES / "whisper.json")
    assert [u.text for u in m.utterances] == [s["text"].strip() for s in raw["segments"]]
    assert m.meta["language"] == "en"


def _dg_word(word: str, start: float, **extra: object) -> dict[str, object]:
    return {
        "word": word.lower(),
        "punctuated_word": word,
        "start": start,
        "end": start + 0.4,
        **extra,
    }


def test_deepgram_words_without_utterances_become_speaker_runs() -> None:
    words = [
        _dg_word("Hi", 0.0, speaker=0),
        _dg_word("Ben.", 0.5, speaker=0),
        _dg_word("Hey.", 1.0, speaker=1),
        _dg_word("So?", 1.5, speaker=0),
    ]
    doc = {
        "metadata": {"channels": 1},
        "results": {"channels": [{"alternatives": [{"words": words}]}]},
    }
    m = read_text(json.dumps(doc), name="dg.json")
    assert [(u.speaker, u.start, u.end, u.text) for u in m.utterances] == [
        ("0", 0.0, 0.9, "Hi Ben."),
        ("1", 1.0, 1.4, "Hey."),
        ("0", 1.5, 1.9, "So?"),
    ]
    assert m.utterances[1].source.cue == "results.channels[0].alternatives[0].words[2]"


def test_deepgram_multichannel_utterances_are_labelled_by_channel() -> None:
    utts = [
        {"start": 0.0, "end": 1.0, "channel": 0, "speaker": 0, "transcript": "Hi."},
        {"start": 0.8, "end": 2.0, "channel": 1, "speaker": 0, "transcript": "Hello."},
    ]
    doc = {"metadata": {"channels": 2}, "results": {"channels": [{}, {}], "utterances": utts}}
    m = read_text(json.dumps(doc), name="dg.json")
    assert [u.speaker for u in m.utterances] == ["0", "1"]
    assert m.meta["channels"] == 2


def test_exact_teams_and_srt_layout() -> None:
    from coachloop.readers.writers import write_transcript

    from .conftest import one_on_one

    assert write_transcript(one_on_one(), "teams-vtt").splitlines()[:5] == [
        "WEBVTT",
        "",
        "abababab-abab-abab-abab-abababababab/1-0",
        "00:00:00.500 --> 00:00:04.250",
        "<v Ana Silva>Hi Ben, how's the quarter going?</v>",
    ]
    assert write_transcript(one_on_one(), "srt").splitlines()[:4] == [
        "1",
        "00:00:00,500 --> 00:00:04,250",
        "Ana Silva: Hi Ben, how's the quarter going?",
        "",
    ]
    whisperx = json.loads(write_transcript(one_on_one(), "whisperx"))
    assert sorted(whisperx) == ["segments", "word_segments"]
    assert whisperx["segments"][2]["words"][0] == {
        "word": "What",
        "start": 3725.123,
        "end": 3725.4,
        "score": 0.91,
        "speaker": "SPEAKER_00",
    }
