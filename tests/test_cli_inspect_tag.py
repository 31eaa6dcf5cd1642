"""The inspect and tag commands: exit codes, exact messages, the same 1:1 in every format."""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import coachloop.readers
from coachloop.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
runner = CliRunner()

TEXTS = [
    "Hi Ben, thanks for making time. How did the Globex call go?",
    "Honestly, not great. They pushed back on price again.",
    "What did they say exactly?",
    "That our quote was 20% above the other vendor.",
    "Okay. What would you try differently next time?",
    "I'd lead with the rollout plan before we get to numbers.",
]
STARTS = [0.0, 4.12, 10.9, 13.6, 21.4, 26.3]
ENDS = [3.84, 11.5, 13.2, 21.05, 26.0, 33.75]

# fixture, format, --manager, the two speaker labels (manager first), start precision
SAME_MEETING = [
    ("zoom.vtt", "zoom-vtt", "Ana Silva", ("Ana Silva", "Ben Okafor"), 0.001),
    ("teams.vtt", "teams-vtt", "ana silva", ("Ana Silva", "Ben Okafor"), 0.001),
    ("plain.vtt", "vtt", None, ("Unknown", "Unknown"), 0.001),
    ("named.srt", "srt", "Ana Silva", ("Ana Silva", "Ben Okafor"), 0.001),
    ("meet.txt", "google-meet", "Ana Silva", ("Ana Silva", "Ben Okafor"), 1.0),
    ("otter.txt", "otter", "Ana Silva", ("Ana Silva", "Ben Okafor"), 1.0),
    ("notes.txt", "text", "Ana Silva", ("Ana Silva", "Ben Okafor"), 1.0),
    ("whisper.json", "whisper", None, ("Unknown", "Unknown"), 0.001),
    ("whisperx.json", "whisperx", "SPEAKER_00", ("SPEAKER_00", "SPEAKER_01"), 0.001),
    ("assemblyai.json", "assemblyai", "A", ("A", "B"), 0.001),
    ("deepgram.json", "deepgram", "0", ("0", "1"), 0.001),
    ("deepgram-multichannel.json", "deepgram", "0", ("0", "1"), 0.001),
]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def jsonl(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.mark.parametrize(("name", "fmt", "manager", "labels", "precision"), SAME_MEETING)
def test_the_same_1on1_comes_out_the_same_in_every_format(
    name: str, fmt: str, manager: str | None, labels: tuple[str, str], precision: float
) -> None:
    args = ["tag", str(FIXTURES / name), "--output", "jsonl"]
    if manager is not None:
        args += ["--manager", manager]
    code, out, err = run(*args)
    assert code == 0, err
    rows = jsonl(out)
    assert [r["text"] for r in rows] == TEXTS
    assert [r["index"] for r in rows] == list(range(6))
    assert {r["file"] for r in rows} == {str(FIXTURES / name)}
    for r, start in zip(rows, STARTS, strict=True):
        assert abs(r["start"] - start) < precision
    speakers = [labels[i % 2] for i in range(6)]
    assert [r["speaker"] for r in rows] == speakers
    if labels[0] == "Unknown":
        assert [r["role"] for r in rows] == ["other"] * 6
        assert (
            err
            == f"coachloop: {FIXTURES / name}: no speaker names in this transcript; every speaker's role is 'other'\n"
        )
    else:
        assert [r["role"] for r in rows] == ["manager", "rep"] * 3
        assert err == ""
    if fmt in ("google-meet", "otter", "text"):
        assert {r["end"] for r in rows} == {None}
    elif "multichannel" in name:  # utterances are runs of words: they end with the last word
        assert [r["end"] for r in rows] == [round(e - 0.04, 3) for e in ENDS]
    else:
        assert [r["end"] for r in rows] == ENDS
    assert all(isinstance(r["acts"], list) for r in rows)


def test_tag_infers_the_manager_and_says_so() -> None:
    code, out, err = run("tag", str(FIXTURES / "zoom.vtt"), "-o", "csv")
    assert code == 0
    assert err == (
        f"coachloop: {FIXTURES / 'zoom.vtt'}: manager inferred: Ana Silva asked the most questions "
        "(3; Ben Okafor 0); pass --manager to be sure\n"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["file", "index", "speaker", "role", "start", "end", "text", "acts"]
    assert [(r["speaker"], r["role"]) for r in rows[:2]] == [
        ("Ana Silva", "manager"),
        ("Ben Okafor", "rep"),
    ]
    assert rows[2]["start"] == "10.9"


def test_tag_uses_the_roster(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,email,role,manager_email\n"
        "Ana Silva,ana@example.com,manager,\n"
        "Ben Okafor,ben@example.com,rep,ana@example.com\n"
    )
    code, out, err = run("tag", str(FIXTURES / "otter.txt"), "--roster", str(roster), "-o", "jsonl")
    assert (code, err) == (0, "")
    assert [r["role"] for r in jsonl(out)][:2] == ["manager", "rep"]


def test_tag_bad_roster_is_one_line_and_exit_2(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nAna,ana@example.com\n")
    code, out, err = run("tag", str(FIXTURES / "otter.txt"), "--roster", str(roster))
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL200]: {roster}, line 1: roster header lacks role, manager_email "
        "(the first line must be name,email,role,manager_email[,team,cohort])\n"
    )


def test_tag_unknown_manager_fails_that_file_only() -> None:
    code, out, err = run(
        "tag",
        str(FIXTURES / "whisperx.json"),
        str(FIXTURES / "zoom.vtt"),
        "-m",
        "Ana Silva",
        "-o",
        "jsonl",
    )
    assert code == 2
    assert {r["file"] for r in jsonl(out)} == {str(FIXTURES / "zoom.vtt")}
    assert err == (
        f"coachloop: error[CL400]: {FIXTURES / 'whisperx.json'}: no speaker matches --manager 'Ana Silva'; "
        "the speakers are SPEAKER_00, SPEAKER_01 (pass one of those labels or names)\n"
    )


def test_inspect_json() -> None:
    code, out, err = run(
        "inspect", str(FIXTURES / "whisperx.json"), str(FIXTURES / "otter.txt"), "-o", "json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [d["format"] for d in data] == ["whisperx", "otter"]
    assert data[0]["utterances"] == 6
    assert data[0]["duration"] == 33.75
    assert [(s["label"], s["talk_time"]) for s in data[0]["speakers"]] == [
        ("SPEAKER_00", pytest.approx(3.84 + 2.3 + 4.6)),
        ("SPEAKER_01", pytest.approx(7.38 + 7.45 + 7.45)),
    ]
    assert data[1]["speakers"][0]["talk_time"] is None  # Otter has no end times
    assert data[1]["speakers"][0]["words"] == 12 + 5 + 8


def test_inspect_table_lists_format_and_speakers() -> None:
    code, out, _ = run("inspect", str(FIXTURES / "meet.txt"))
    assert code == 0
    lines = out.splitlines()
    first = next(line for line in lines if "google-meet" in line)
    assert [c.strip() for c in first.split("│")[2:5]] == ["google-meet", "0:26", "6"]
    assert [c.strip() for c in first.split("│")[6:8]] == ["-", "25"]
    assert lines[-1].strip() == "talk time '-': the format has no end times"


# -- bad input: one line naming the file and the place, exit code 2, others still processed ----


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


ZOOM = (FIXTURES / "zoom.vtt").read_text()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.vtt", b"", "CL200]: {p}: the file is empty (export the transcript again)"),
        ("blank.txt", b"  \n\n", "CL200]: {p}: the file is empty (export the transcript again)"),
        (
            "rec.vtt",
            b"\x1aE\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x1fB\x86\x81\x01",
            "CL220]: {p}: binary data, not text (a zero byte at byte 5) "
            "(give the exported transcript (.vtt, .srt, .txt or .json), not the recording)",
        ),
        (
            "cut.json",
            b'{"segments": [{"start": 0.0, "end": 1.0, "text": " Hi"}',
            "CL210]: {p}, line 1: JSON ends early (truncated file?) at column 56 (export the transcript again)",
        ),
        (
            "time.vtt",
            ZOOM.replace("00:00:10.900 --> 00:00:13.200", "00:00:10.900 --> 00:00:1x.200").encode(),
            "CL210]: {p}, line 12, cue 3: malformed cue timing '00:00:10.900 --> 00:00:1x.200' "
            "(a cue timing line looks like 00:00:01.000 --> 00:00:04.000)",
        ),
        (
            "minutes.vtt",
            ZOOM.replace("00:00:10.900", "00:75:10.900").encode(),
            "CL210]: {p}, line 12, cue 3: malformed time '00:75:10.900': minutes and seconds must be below 60 "
            "(fix the time in the file)",
        ),
        (
            "backwards.vtt",
            ZOOM.replace("00:00:10.900 --> 00:00:13.200", "00:00:13.200 --> 00:00:10.900").encode(),
            "CL210]: {p}, line 12, cue 3: end 00:00:10.900 is before start 00:00:13.200 (fix the times in the file)",
        ),
        (
            "mystery.txt",
            b"Lorem ipsum dolor sit amet\nconsectetur adipiscing elit\n",
            "CL210]: {p}: cannot tell the transcript format (force one with --input-format "
            "(zoom-vtt, teams-vtt, vtt, srt, google-meet, otter, text, whisper, whisperx, assemblyai, deepgram))",
        ),
        (
            "other.json",
            b'{"hello": "world"}',
            "CL210]: {p}: JSON, but not a transcript export coachloop knows "
            "(supported JSON exports: Whisper, WhisperX, AssemblyAI, Deepgram)",
        ),
    ],
)
def test_bad_input_is_one_clean_line_and_exit_2(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    bad = write(tmp_path, name, data)
    good = FIXTURES / "zoom.vtt"
    for command in ("inspect", "tag"):
        extra = ["-o", "json"] if command == "inspect" else ["-o", "jsonl", "-m", "Ana Silva"]
        code, out, err = run(command, str(bad), str(good), *extra)
        assert code == 2
        assert err == "coachloop: error[" + message.format(p=bad) + "\n"
        assert str(good) in out  # the good file is still processed
        assert "Traceback" not in err


def test_missing_file_and_directory(tmp_path: Path) -> None:
    code, _, err = run("inspect", str(tmp_path / "nope.vtt"), str(tmp_path))
    assert code == 2
    assert err.splitlines() == [
        f"coachloop: error[CL200]: {tmp_path / 'nope.vtt'}: no such file (check the path)",
        f"coachloop: error[CL200]: {tmp_path}: is a directory, not a transcript file "
        "(pass the files inside it, e.g. DIR/*.vtt)",
    ]


def test_a_cue_without_text_is_left_out_with_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "gap.vtt",
        ZOOM.replace("Ana Silva: What did they say exactly?", "Ana Silva:").encode(),
    )
    code, out, err = run("tag", str(path), "-m", "Ana Silva", "-o", "jsonl")
    assert code == 0
    assert err == f"coachloop: {path}: left out 1 entry without text (line 12, cue 3)\n"
    assert [r["index"] for r in jsonl(out)] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("cp1252", b""),
    ],
)
def test_other_encodings_are_read(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = ZOOM.replace("Globex", "Café “Globex” – Zoë")
    path = write(tmp_path, "enc.vtt", prefix + text.encode(encoding))
    code, out, err = run("tag", str(path), "-m", "Ana Silva", "-o", "jsonl")
    assert (code, err) == (0, "")
    assert (
        jsonl(out)[0]["text"]
        == "Hi Ben, thanks for making time. How did the Café “Globex” – Zoë call go?"
    )


def test_size_limit_refuses_big_files_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coachloop.readers, "MAX_INPUT_BYTES", 100)
    code, _, err = run("inspect", str(FIXTURES / "zoom.vtt"))
    assert code == 2
    assert err == (
        f"coachloop: error[CL200]: {FIXTURES / 'zoom.vtt'}: the file is 0.0 MB, over the 0.0 MB limit for one "
        "transcript (an hour-long 1:1 exports to well under 1 MB; check it is one transcript, or raise the "
        "limit with COACHLOOP_MAX_INPUT_MB)\n"
    )


def test_size_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHLOOP_MAX_INPUT_MB", "0.0001")
    code, _, err = run("inspect", str(FIXTURES / "teams.vtt"))
    assert code == 2
    assert "over the 0.0 MB limit" in err
    monkeypatch.setenv("COACHLOOP_MAX_INPUT_MB", "lots")
    code, _, err = run("inspect", str(FIXTURES / "teams.vtt"))
    assert code == 2
    assert err == (
        "coachloop: error[CL300]: COACHLOOP_MAX_INPUT_MB must be a positive number of megabytes, got 'lots' "
        "(unset it to use the default of 64)\n"
    )


def test_forced_format_and_bad_format_option() -> None:
    code, out, _ = run("inspect", str(FIXTURES / "zoom.vtt"), "--input-format", "vtt", "-o", "json")
    assert code == 0
    assert json.loads(out)[0]["speakers"][0]["label"] == "Unknown"
    code, _, err = run("inspect", str(FIXTURES / "zoom.vtt"), "--input-format", "docx")
    assert code == 2
    assert "'docx' is not one of: zoom-vtt, teams-vtt" in " ".join(err.replace("│", " ").split())


def test_help_has_an_example() -> None:
    for command in ("inspect", "tag"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Example: coachloop " + command in out
