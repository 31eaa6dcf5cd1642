"""docs/audio.md stays honest: it names every setting, metadata key, script and command."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachloop.audio import AUDIO_EXTENSIONS
from coachloop.audio.diarise import DIARISER_ENV, PYANNOTE_ENV
from coachloop.audio.output import META_KEYS
from coachloop.audio.transcribe import LANGUAGE_ENV, MODEL_ENV, THREADS_ENV
from coachloop.audio.validate import SCRIPTS, VOICE_SETS

DOC = (Path(__file__).parents[2] / "docs" / "audio.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name",
    [
        MODEL_ENV,
        THREADS_ENV,
        LANGUAGE_ENV,
        PYANNOTE_ENV,
        DIARISER_ENV,
        *META_KEYS,
        *SCRIPTS,
        *VOICE_SETS,
        "coachloop transcribe",
        "coachloop validate-audio",
        "python -m coachloop.audio.validate",
        "bench/bench_audio.py",
        "bench/bench_diarise.py",
        "bench/bench_decode.py",
        "bench/compare_resemblyzer.py",
        "mixed-resemblyzer",
        "mixed-voiceprint",
    ],
)
def test_doc_names_it(name: str) -> None:
    assert name in DOC


def test_doc_has_no_unfilled_placeholders() -> None:
    assert "_TABLE" not in DOC and "_NOTES" not in DOC


def test_doc_lists_the_promised_containers() -> None:
    for ext in (".wav", ".mp3", ".m4a", ".mp4", ".webm"):
        assert ext in AUDIO_EXTENSIONS
        assert ext[1:] in DOC.lower()
