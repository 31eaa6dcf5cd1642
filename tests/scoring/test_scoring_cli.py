"""``coachloop score``: JSON shape, table, bad files, config and role errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.cli import app
from coachloop.model import build_meeting
from coachloop.readers.writers import write_transcript

ROWS = [
    ("Ana Ruiz", 0, 5, "How did the discovery call with Acme go?"),
    ("Bo Lee", 6, 40, "It went ok. They had pain around reporting."),
    ("Ana Ruiz", 41, 48, "What would you ask differently next time?"),
    ("Bo Lee", 49, 80, "I would ask who owns the budget earlier in discovery."),
    ("Ana Ruiz", 81, 90, "Next time, ask about the budget owner early in discovery."),
    ("Bo Lee", 91, 95, "Will do."),
]


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    meeting = build_meeting(
        id="cli",
        rows=[{"speaker": s, "start": a, "end": b, "text": t} for s, a, b, t in ROWS],
    )
    path = tmp_path / "one.vtt"
    path.write_text(write_transcript(meeting, "zoom-vtt"))
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["score", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_has_one_object_per_file_with_the_issue_fields(transcript: Path) -> None:
    code, out, err = run(str(transcript), "--manager", "Ana Ruiz", "--output", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert len(data) == 1
    row = data[0]
    assert {"file", "manager", "duration_s", "signals", "behaviors"} <= set(row)
    assert (row["file"], row["manager"], row["duration_s"]) == (str(transcript), "Ana Ruiz", 95.0)
    assert row["manager_inferred"] is False
    b = row["behaviors"]["ask_before_tell"]
    assert b["score"] == 100
    assert {"score", "evidence", "why_not_higher", "signals"} <= set(b)
    assert row["signals"]["questions"] == 2


def test_bad_files_get_one_error_line_each_and_the_rest_are_scored(
    transcript: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.vtt"
    bad.write_bytes(b"WEBVTT\n\nnot a cue at all\x01\n")
    missing = tmp_path / "missing.vtt"
    code, out, err = run(str(bad), str(transcript), str(missing), "-m", "Ana Ruiz", "-o", "json")
    assert code == 2
    assert [r["file"] for r in json.loads(out)] == [str(transcript)]
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("coachloop: error[CL2") and str(bad) in lines[0]
    assert lines[1] == f"coachloop: error[CL200]: {missing}: no such file (check the path)"


def test_without_manager_the_guess_is_announced(transcript: Path) -> None:
    code, out, err = run(str(transcript), "-o", "json")
    assert code == 0
    assert json.loads(out)[0]["manager_inferred"] is True
    assert err.startswith(f"coachloop: {transcript}: inferred: Ana Ruiz asked the most questions")


def test_unknown_manager_is_an_error_for_that_file(transcript: Path) -> None:
    code, out, err = run(str(transcript), "-m", "Zed", "-o", "json")
    assert (code, json.loads(out)) == (2, [])
    assert err.startswith(
        f"coachloop: error[CL400]: {transcript}: no speaker matches --manager 'Zed'"
    )


def test_table_is_a_readable_scorecard(transcript: Path) -> None:
    code, out, _ = run(str(transcript), "-m", "Ana Ruiz")
    assert code == 0
    assert out.startswith(f"{transcript} — manager Ana Ruiz, 1:35\nsignals: talk share ")
    for behavior in ("ask before tell", "evidence based feedback", "hold cadence"):
        assert behavior in out


def test_config_file_overrides_and_bad_config_stops_before_scoring(
    transcript: Path, tmp_path: Path
) -> None:
    good = tmp_path / "c.yaml"
    good.write_text("behaviors:\n  calibrate_against_team.v1:\n    target_refs: 0\n")
    code, out, _ = run(str(transcript), "-m", "Ana Ruiz", "-o", "json", "--config", str(good))
    assert code == 0
    assert json.loads(out)[0]["behaviors"]["calibrate_against_team"]["score"] == 100
    bad = tmp_path / "bad.toml"
    bad.write_text('[signals."talk_share.v1"]\nx = 1\n')
    code, out, err = run(str(transcript), "-o", "json", "--config", str(bad))
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL300]: {bad}: signals.talk_share.v1.x: unknown setting (settings: none)\n"
    )


def test_unknown_focus_topic_is_refused(transcript: Path) -> None:
    code, _, err = run(str(transcript), "--focus", "juggling")
    assert code == 2
    assert err.startswith(
        "coachloop: error[CL300]: scoring context: unknown focus topic 'juggling'"
    )


def test_roster_names_the_manager(transcript: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,email,role,manager_email\n"
        "Ana Ruiz,ana@example.com,manager,\n"
        "Bo Lee,bo@example.com,rep,ana@example.com\n"
    )
    code, out, err = run(str(transcript), "--roster", str(roster), "-o", "json")
    assert (code, err) == (0, "")
    row = json.loads(out)[0]
    assert (row["manager"], row["manager_inferred"]) == ("Ana Ruiz", False)


def test_missing_roster_stops_before_scoring(transcript: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    code, out, err = run(str(transcript), "--roster", str(missing))
    assert (code, out) == (2, "")
    assert err == f"coachloop: error[CL200]: {missing}: no such roster file (check the path)\n"


def test_focus_topic_is_passed_to_one_behavior_per_cycle(transcript: Path) -> None:
    code, out, _ = run(str(transcript), "-m", "Ana Ruiz", "-o", "json", "--focus", "negotiation")
    assert code == 0
    b = json.loads(out)[0]["behaviors"]["one_behavior_per_cycle"]
    assert (b["score"], b["signals"]["focus_share"]) == (0, 0.0)
    assert b["why_not_higher"].startswith("The cycle's focus is negotiation but none of your")
