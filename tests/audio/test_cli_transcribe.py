"""``coachloop transcribe`` end to end: audio in, transcripts the readers read, a scorecard."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from coachloop.cli import app
from coachloop.readers import read_transcript
from tests.audio.conftest import SR, write_wav

runner = CliRunner()


def test_bad_audio_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "broken.mp3"
    bad.write_bytes(bytes(range(256)) * 8)
    silent = write_wav(tmp_path / "muted.wav", np.zeros(2 * SR, np.float32))
    result = runner.invoke(
        app, ["transcribe", str(bad), str(silent), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert lines == [
        f"coachloop: error[CL200]: {bad}: cannot decode this file as audio (InvalidDataError) "
        "(check it plays in a media player; WAV, MP3, M4A, MP4 and WebM are read)",
        f"coachloop: error[CL200]: {silent}: the audio is silent (digital silence) "
        "(check the microphone or the track that was exported; there is no speech to transcribe)",
    ]
    assert not (tmp_path / "out").exists()


def test_speaker_names_need_tracks(tmp_path: Path) -> None:
    result = runner.invoke(app, ["transcribe", str(tmp_path / "a.wav"), "--speaker", "Ana"])
    assert result.exit_code == 2
    assert "--speaker names tracks; use it with --tracks" in result.stderr


@pytest.mark.slow
def test_mixed_recording_to_scorecard(tmp_path: Path, short_1on1: Any) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["transcribe", str(short_1on1.mixed), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    vtt, wx = out / "short_mixed.vtt", out / "short_mixed.whisperx.json"
    assert result.stdout.split() == [str(vtt), str(wx)]
    assert "speakers SPEAKER_00, SPEAKER_01, mixed-resemblyzer" in result.stderr
    from_vtt, from_json = read_transcript(vtt), read_transcript(wx)
    assert from_vtt.source_format == "teams-vtt" and from_json.source_format == "whisperx"
    assert [s.label for s in from_vtt.speakers] == ["SPEAKER_00", "SPEAKER_01"]
    assert len(from_vtt.utterances) == len(from_json.utterances) >= 4
    assert all(u.words for u in from_json.utterances)
    from coachloop.audio.output import audio_meta_from_text

    carried = audio_meta_from_text(vtt.read_text())
    assert carried is not None and carried["diarisation"] == "mixed-resemblyzer"
    assert carried["overlaps_measured"] is False
    assert audio_meta_from_text(wx.read_text()) == carried
    scored = runner.invoke(app, ["score", str(vtt), "--manager", "SPEAKER_00", "--output", "json"])
    assert scored.exit_code == 0, scored.stderr
    card = json.loads(scored.stdout)
    row = card[0] if isinstance(card, list) else card
    assert row["manager"] == "SPEAKER_00"
    assert row["signals"]["questions"] >= 1


@pytest.mark.slow
def test_tracks_with_names_write_vtt_only(tmp_path: Path, short_1on1: Any) -> None:
    files = [str(short_1on1.tracks[s]) for s in ("Manager", "Rep")]
    result = runner.invoke(
        app,
        [
            "transcribe",
            *files,
            "--tracks",
            "-s",
            "Ana Ruiz",
            "-s",
            "Ben Hart",
            "--format",
            "vtt",
            "-d",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    (vtt,) = tmp_path.glob("*.vtt")
    assert vtt.name == "short.vtt"
    assert list(tmp_path.glob("*.json")) == []
    meeting = read_transcript(vtt)
    assert [s.label for s in meeting.speakers] == ["Ana Ruiz", "Ben Hart"]
    starts = [(u.speaker, u.start, u.end) for u in meeting.utterances]
    # the manager's interruption overlaps the rep's turn in the file, as spoken
    assert any(
        a[0] == "Ben Hart" and b[0] == "Ana Ruiz" and b[1] < a[2]
        for a, b in itertools.pairwise(starts)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--script", "nope"],
            "unknown script(s) ['nope'] (choose from: pipeline-review, feedback, short)",
        ),
        (["--voices", "robot"], "unknown voice set(s) ['robot'] (choose from: distinct, similar)"),
    ],
)
def test_validate_audio_refuses_unknown_choices(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["validate-audio", *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"coachloop: error[CL300]: {message}"
