"""Property tests: no input makes a reader raise anything but the project's own errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachloop.errors import CoachloopError, InputError
from coachloop.model import Meeting
from coachloop.readers import FORMATS, read_bytes, read_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "transcripts"
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks a little like transcripts, so the fuzzer gets past the first line.
_pieces = st.sampled_from(
    [
        "WEBVTT\n",
        "\n",
        "\n\n",
        "1\n",
        "00:00:01.000 --> 00:00:02.000\n",
        "00:00:01,000 --> 00:00:0",
        "-->",
        "<v Ana>",
        "</v>",
        "Ana: ",
        "[00:00:01] ",
        "Ana  0:01\n",
        "Transcript\n",
        "00:00:05\n",
        "NOTE ",
        "{",
        "}",
        "[",
        "]",
        '"segments": [',
        '"start": 1, "end": 0',
        '"utterances": ',
        '"results": {"channels": [',
        '"words": [{"word": "x"}]',
        ":",
        "?",
        "\x00",
        "\ufeff",
        "é",
        "99:99:99.999",
        "9" * 40 + ":00:00.000",
        "-1",
        "1e309",
        "NaN",
        "text",
    ]
)
transcript_like = st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=30).map("".join)


def _check(call: object) -> None:
    try:
        result = call()  # type: ignore[operator]
    except CoachloopError as exc:
        assert isinstance(exc, InputError), f"{type(exc).__name__}: {exc}"
        assert str(exc)
    else:
        assert isinstance(result, Meeting)
        assert [u.index for u in result.utterances] == list(range(len(result.utterances)))


@FUZZ
@given(text=transcript_like)
def test_detection_never_crashes(text: str) -> None:
    _check(lambda: read_text(text, name="fuzz"))


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(text=transcript_like)
def test_forced_reader_never_crashes(fmt: str, text: str) -> None:
    _check(lambda: read_text(text, name="fuzz", format=fmt))


@FUZZ
@given(data=st.binary(max_size=200))
def test_any_bytes(data: bytes) -> None:
    _check(lambda: read_bytes(data, name="fuzz.bin"))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.integers(10**300, 10**400)
    | st.floats(allow_nan=True)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "segments",
                    "utterances",
                    "results",
                    "channels",
                    "alternatives",
                    "words",
                    "start",
                    "end",
                    "text",
                    "speaker",
                    "transcript",
                    "word",
                    "punctuated_word",
                    "channel",
                    "metadata",
                    "score",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@pytest.mark.parametrize("fmt", ["whisper", "whisperx", "assemblyai", "deepgram", None])
@FUZZ
@given(value=json_values)
def test_json_readers_never_crash(fmt: str | None, value: object) -> None:
    text = json.dumps(value)
    _check(lambda: read_text(text, name="fuzz.json", format=fmt))


_FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir())


@pytest.mark.parametrize("name", _FIXTURE_NAMES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mutated_fixtures_never_crash(name: str, data: st.DataObject) -> None:
    raw = bytearray((FIXTURES / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "dup", "truncate"]))
        if action == "flip":
            raw[pos] = data.draw(st.sampled_from(list(b':->\n0123456789<{}[]", \x00\xff')))
        elif action == "cut":
            del raw[pos : pos + data.draw(st.integers(1, 20))]
        elif action == "dup":
            raw[pos:pos] = raw[pos : pos + data.draw(st.integers(1, 40))]
        else:
            del raw[pos:]
        if not raw:
            break
    _check(lambda: read_bytes(bytes(raw), name=name))
