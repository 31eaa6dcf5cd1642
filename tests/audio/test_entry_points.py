"""Recordings go wherever transcripts go: `score` and `ingest` read audio directly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from coachloop.cli import app
from coachloop.readers import read_transcript

runner = CliRunner()


def test_read_transcript_transcribes_a_recording(short_1on1: Any) -> None:
    meeting = read_transcript(short_1on1.stereo)
    assert meeting.meta["diarisation"] == "stereo-channels"
    assert len(meeting.speakers) == 2
    assert any("proposal" in u.text.lower() for u in meeting.utterances)


def test_score_takes_a_recording_with_one_command(short_1on1: Any) -> None:
    result = runner.invoke(app, ["score", str(short_1on1.stereo), "--output", "json"])
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)[0]
    assert card["file"] == str(short_1on1.stereo)
    assert card["behaviors"]["ask_before_tell"]["score"] is not None
    assert card["duration_s"] > 5


def test_ingest_takes_the_transcript_beside_a_recording_not_both(
    short_1on1: Any, tmp_path: Path
) -> None:
    from coachloop.workspace.ingest import discover

    folder = tmp_path / "calls"
    folder.mkdir()
    wav = Path(shutil.copy(short_1on1.stereo, folder / "call.wav"))
    files, _ = discover([folder])
    assert files == [wav]
    (folder / "call.vtt").write_text("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nAna: Hi\n")
    files, _ = discover([folder])
    assert files == [folder / "call.vtt"]
