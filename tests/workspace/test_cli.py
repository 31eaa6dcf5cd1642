"""The workspace commands end to end through the CLI (real readers, tagger and scorer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.cli import app

from .ws_doubles import ROSTER, write_meeting

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ws(workspace_dir: Path, tmp_path: Path) -> str:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    code, out, err = run(
        "roster", "import", str(roster), "--effective", "2026-01-05", "-w", str(workspace_dir)
    )
    assert (code, err) == (0, ""), err
    assert "people_added: 7" in out
    return str(workspace_dir)


def test_ingest_json_summary_and_idempotence(ws: str, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    write_meeting(calls, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart", questions=2)
    write_meeting(calls, "2026-11-18_max_eve.txt", "Max Moor", "Eve Ek")
    (calls / "2026-11-19_bad.txt").write_text("nothing: \n")
    code, out, _ = run("ingest", str(calls), "--jobs", "1", "-w", ws, "--output", "json")
    assert code == 2  # the good file is stored; the unreadable one is bad input
    data = json.loads(out)
    assert (data["meetings_added"], data["meetings_unchanged"]) == (1, 0)
    assert [f["file"] for f in data["failed"]] == [str(calls / "2026-11-19_bad.txt")]
    assert data["skipped"] == [
        {
            "file": str(calls / "2026-11-18_max_eve.txt"),
            "reason": "eve@ex.com has not consented (consent=false)",
        }
    ]
    code, out, _ = run("ingest", str(calls), "-j", "1", "-w", ws, "-o", "json")
    assert (json.loads(out)["meetings_added"], json.loads(out)["meetings_unchanged"]) == (0, 1)
    code, out, _ = run("meetings", "-w", ws, "-o", "csv")
    assert out.splitlines()[0] == (
        "id,kind,started_at,manager_email,rep_email,duration_s,matched_by,source_file,"
        "rep_rating,rep_comment,ask_before_tell,behavior_not_outcome,calibrate_against_team,"
        "evidence_based_feedback,hold_cadence,one_behavior_per_cycle,protect_rep_calendars"
    )
    assert len(out.splitlines()) == 2


def test_cycle_json_and_briefs(ws: str, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    write_meeting(calls, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart", questions=2)
    write_meeting(calls, "2026-11-18_max_dev.txt", "Max Moor", "Dev Dutt", questions=1)
    run("ingest", str(calls), "-j", "1", "-w", ws)
    briefs = tmp_path / "briefs"
    code, out, err = run(
        "cycle", "--week", "2026-W47", "--briefs", str(briefs), "-w", ws, "-o", "json"
    )
    assert code == 0, err
    results = json.loads(out)
    assert [r["manager"] for r in results] == ["ana@ex.com", "max@ex.com"]
    for r in results:
        assert {"manager", "week", "focus", "behaviors"} <= set(r)
        assert set(r["behaviors"]["ask_before_tell"]) >= {
            "score",
            "delta_week",
            "delta_baseline",
            "meetings",
        }
    assert sorted(p.name for p in briefs.iterdir()) == [
        "ana@ex.com.md",
        "dana@ex.com.team.md",
        "max@ex.com.md",
    ]
    assert err == f"coachloop: wrote 3 briefs to {briefs}\n"
    code, out, _ = run(
        "curves", "--manager", "ana@ex.com", "--behavior", "ask_before_tell", "-w", ws, "-o", "csv"
    )
    assert out.splitlines()[:2] == ["behavior,series,week,score,n", out.splitlines()[1]]
    assert out.splitlines()[1].startswith("ask_before_tell,recorded,2026-W47,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("cycle",),
            "coachloop: error[CL500]: no recorded meetings in the workspace",
        ),
        (
            ("curves", "--manager", "zed@ex.com"),
            "coachloop: error[CL500]: no person with e-mail zed@ex.com",
        ),
        (
            ("kpi", "import", "missing.csv"),
            "coachloop: error[CL200]: missing.csv: cannot read: No such file",
        ),
    ],
)
def test_errors_are_one_line_exit_2(ws: str, args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args, "-w", ws)
    assert code == 2
    assert out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_bad_kpi_rows(ws: str, tmp_path: Path) -> None:
    f = tmp_path / "kpi.csv"
    f.write_text("rep,week,metric,value\nben@ex.com,2026-W47,win_rate,x\n")
    code, _, err = run("kpi", "import", str(f), "-w", ws)
    assert code == 2
    assert err == (
        f"coachloop: error[CL200]: {f}, line 2: value 'x' is not a number "
        "(1 bad row, nothing imported)\n"
    )


def test_workspace_info(ws: str) -> None:
    code, out, _ = run("workspace", "info", "-w", ws, "-o", "json")
    info = json.loads(out)
    assert (code, info["revision"], info["people"], info["reporting_lines"]) == (0, "0004", 7, 6)
