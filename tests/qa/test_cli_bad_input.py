"""Bad input through the CLI: one clean line on stderr, exit 2, the other files kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.cli import app
from coachloop.workspace import Workspace

from ..workspace.test_calendars import ICS
from ..workspace.ws_doubles import ROSTER, write_meeting

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ws(workspace_dir: Path, tmp_path: Path) -> str:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    code, _, err = run(
        "roster", "import", str(roster), "--effective", "2026-01-05", "-w", str(workspace_dir)
    )
    assert (code, err) == (0, ""), err
    return str(workspace_dir)


@pytest.mark.parametrize("command", [["sim-check", "."], ["sim", "out"]])
def test_jobs_zero_is_a_usage_error_not_a_traceback(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--jobs", "0"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Invalid value for '--jobs' / '-j'" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_calendar_import_reports_a_bad_file_and_imports_the_others(ws: str, tmp_path: Path) -> None:
    good = tmp_path / "ana.ics"
    good.write_text(ICS)
    bad = tmp_path / "bad.ics"
    bad.write_text("not a calendar\n")
    code, out, err = run("calendar", "import", str(bad), str(good), "-w", ws, "-o", "json")
    assert code == 2
    assert err == (
        f"coachloop: error[CL210]: {bad}, line 1: not an iCalendar file (it does not start "
        "with BEGIN:VCALENDAR) (export the calendar as .ics)\n"
    )
    assert '"files": 1' in out
    with Workspace.open(ws) as w, w.session() as s:
        from sqlalchemy import func, select

        from coachloop.workspace.models import CalendarEvent

        assert s.scalar(select(func.count()).select_from(CalendarEvent)) > 0


def test_calendar_import_of_one_bad_file_is_one_line(ws: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("not a calendar\n")
    code, out, err = run("calendar", "import", str(bad), "-w", ws)
    assert (code, out) == (2, "")
    assert err.startswith(f"coachloop: error[CL210]: {bad}, line 1: not an iCalendar file")
    assert err.count("\n") == 1


def test_ingest_of_a_missing_path_exits_2_and_keeps_the_good_file(ws: str, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    write_meeting(calls, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart", questions=2)
    missing = tmp_path / "nope.vtt"
    code, out, err = run("ingest", str(calls), str(missing), "-j", "1", "-w", ws)
    assert code == 2
    assert out.endswith("1 file: 1 added, 0 unchanged, 0 skipped, 1 failed\n")
    assert f"coachloop: failed: {missing}: no such file or directory\n" in err
    assert "Traceback" not in err


def test_practice_list_with_replay_is_a_conflict() -> None:
    code, out, err = run("practice", "--list", "--replay", "lines.txt")
    assert (code, out) == (2, "")
    assert err == (
        "coachloop: error[CL650]: --list and --replay cannot be used together "
        "(--list runs on its own; drop the other options)\n"
    )


def test_org_report_mean_of_nothing_is_nan_without_a_warning() -> None:
    import math
    import warnings

    from coachloop.outcomes.report import _nanmean

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(_nanmean([float("nan"), float("nan")]))
        assert _nanmean([1.0, float("nan"), 3.0]) == 2.0


@pytest.mark.parametrize(
    ("command", "name", "hint"),
    [
        (["roster", "import"], "nope.csv", "No such file or directory (check the path)"),
        (["kpi", "import"], "", "Is a directory (give the file itself, not a folder)"),
        (["calendar", "import"], "nope.ics", "No such file or directory (check the path)"),
    ],
)
def test_an_unreadable_import_file_says_how_to_fix_it(
    ws: str, tmp_path: Path, command: list[str], name: str, hint: str
) -> None:
    path = tmp_path / name if name else tmp_path
    code, out, err = run(*command, str(path), "-w", ws)
    assert (code, out) == (2, "")
    assert err == f"coachloop: error[CL200]: {path}: cannot read: {hint}\n"


def test_a_workspace_that_is_a_file_says_how_to_fix_it(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("")
    code, out, err = run("workspace", "info", "-w", str(afile))
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL500]: workspace {afile} is not a directory "
        "(give a folder (it is created if missing) or a postgresql:// URL)\n"
    )


@pytest.mark.parametrize("days", ["-5", "0"])
def test_retention_refuses_a_period_that_would_delete_recent_transcripts(
    ws: str, tmp_path: Path, days: str
) -> None:
    calls = tmp_path / "calls"
    write_meeting(calls, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart", questions=2)
    assert run("ingest", str(calls), "-j", "1", "-w", ws)[0] == 0
    code, out, err = run("retention", "--days", days, "-w", ws)
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL310]: a retention period of {days} days would delete recent "
        "transcripts (keep at least 1 day, e.g. --days 365)\n"
    )
    with Workspace.open(ws) as w, w.session() as s:
        from sqlalchemy import func, select

        from coachloop.workspace.models import UtteranceRow

        assert s.scalar(select(func.count()).select_from(UtteranceRow)) > 0


def test_serve_port_out_of_range_is_a_usage_error() -> None:
    result = runner.invoke(app, ["serve", "--port", "99999"])
    assert result.exit_code == 2
    assert "Invalid value for '--port'" in result.stderr
    assert "Traceback" not in result.output


def test_sim_into_a_file_says_it_is_a_file(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("")
    code, out, err = run("sim", str(afile), "--managers", "1", "--weeks", "1")
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL200]: {afile}: is a file, not a folder "
        "(give a new folder for the simulated org)\n"
    )


def test_users_add_with_both_password_options_is_a_conflict(ws: str) -> None:
    result = runner.invoke(
        app,
        [
            *("users", "add", "ana@ex.com", "--role", "manager"),
            *("--password", "longenough123", "--password-stdin", "-w", ws),
        ],
        input="otherpassword1\n",
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "coachloop: error[CL300]: --password and --password-stdin cannot be used together "
        "(give the password one way; --password-stdin keeps it out of the shell history)\n"
    )


def test_meetings_unknown_kind_is_a_usage_error(ws: str) -> None:
    code, out, err = run("meetings", "--kind", "bogus", "-w", ws)
    assert (code, out) == (2, "")
    assert "Invalid value for --kind: 'bogus' is not a kind (use recorded or practice)" in err


def test_practice_validate_a_binary_file_is_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "scenario.yaml"
    binary.write_bytes(b"\x99\x00\xffnot yaml")
    code, out, err = run("practice", "--validate", str(binary))
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL600]: {binary}: not UTF-8 text (byte 0) "
        "(give a scenario YAML file saved as UTF-8)\n"
    )


def test_practice_from_an_unknown_moment_names_the_command_that_lists_meetings(
    ws: str, tmp_path: Path
) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("What happened?\n")
    code, out, err = run("practice", "--from-moment", "99999:3", "-w", ws, "--replay", str(lines))
    assert (code, out) == (2, "")
    assert err == (
        "coachloop: error[CL635]: no meeting '99999' in the workspace "
        "(`coachloop meetings` lists stored meetings with their ids)\n"
    )


def test_practice_checks_the_manager_before_the_session_is_played(ws: str, tmp_path: Path) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("What happened?\n")
    args = ["practice", "--scenario", "abt-lost-renewal", "--replay", str(lines), "-w", ws]
    code, out, err = run(*args, "--manager", "nobody@ex.com")
    assert (code, out) == (2, "")
    assert err == (
        "coachloop: error[CL500]: manager nobody@ex.com is not in the workspace roster "
        "(give a manager's e-mail from `coachloop roster list`)\n"
    )


def test_practice_does_not_create_a_workspace_from_a_typo(tmp_path: Path) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("What happened?\n")
    typo = tmp_path / "wss"
    code, out, err = run(
        "practice", "--scenario", "abt-lost-renewal", "--replay", str(lines), "-w", str(typo)
    )
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL500]: workspace {typo} does not exist "
        "(check the path; `coachloop roster import` creates a workspace)\n"
    )
    assert not typo.exists()


def test_roster_reimported_with_an_earlier_date_extends_the_same_lines_back(
    workspace_dir: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    w = str(workspace_dir)
    assert run("roster", "import", str(roster), "--effective", "2026-12-04", "-w", w)[0] == 0
    code, out, err = run("roster", "import", str(roster), "--effective", "2026-01-05", "-w", w)
    assert (code, err) == (0, "")
    assert "lines_changed: 6" in out
    code, out, _ = run("roster", "list", "--on", "2026-02-01", "-w", w, "-o", "csv")
    assert "Ben Hart" in out and "ben@ex.com,Ben Hart,rep,ana@ex.com" in out.replace('"', "")
    code, out, _ = run("roster", "import", str(roster), "--effective", "2026-01-05", "-w", w)
    assert "lines_changed: 0" in out


def test_calendar_import_warns_when_no_event_is_a_roster_one_on_one(
    workspace_dir: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    w = str(workspace_dir)
    assert run("roster", "import", str(roster), "--effective", "2026-12-20", "-w", w)[0] == 0
    ics = tmp_path / "ana.ics"
    ics.write_text(ICS)
    code, out, err = run("calendar", "import", str(ics), "-w", w)
    assert code == 0
    assert "one_on_ones: 0" in out
    assert err == (
        "coachloop: no event is a 1:1 of a manager and a rep reporting to them on its date; "
        "if the roster's lines start after these events, re-import it with --effective DATE "
        "(the first week of the calendars)\n"
    )


def test_sim_next_step_is_a_command_to_copy(tmp_path: Path) -> None:
    out_dir = tmp_path / "org"
    code, out, _ = run("sim", str(out_dir), "--managers", "1", "--weeks", "1")
    assert code == 0
    assert out.splitlines()[-1] == (
        f"  next: coachloop roster import {out_dir}/roster.csv --effective 2026-09-07; "
        f"coachloop ingest {out_dir}/transcripts"
    )


def test_report_out_that_is_a_file_is_one_line(ws: str, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    write_meeting(calls, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart", questions=2)
    assert run("ingest", str(calls), "-j", "1", "-w", ws)[0] == 0
    kpis = tmp_path / "kpis.csv"
    kpis.write_text("subject_type,subject,week,metric,value\nrep,ben@ex.com,2026-11-16,calls,5\n")
    assert run("kpi", "import", str(kpis), "-w", ws)[0] == 0
    afile = tmp_path / "afile"
    afile.write_text("")
    code, out, err = run("report", "--no-pdf", "--out", str(afile), "-w", ws)
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL200]: {afile}: cannot create the output folder: File exists "
        "(give --out a folder you can write to (new or existing), not a file)\n"
    )


def test_an_empty_workspace_option_is_no_workspace_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COACHLOOP_WORKSPACE", "")
    for args in (["workspace", "info", "-w", ""], ["workspace", "info"]):
        code, out, err = run(*args)
        assert (code, out) == (2, "")
        assert err == (
            "coachloop: error[CL500]: no workspace given "
            "(pass --workspace DIR or set COACHLOOP_WORKSPACE)\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_practice_replay_of_a_binary_file_is_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "lines.txt"
    binary.write_bytes(b"\x99\x00\xff")
    code, out, err = run("practice", "--focus", "hold_cadence", "--replay", str(binary))
    assert (code, out) == (2, "")
    assert err == (
        f"coachloop: error[CL651]: {binary}: not UTF-8 text (byte 0) "
        "(give a text file with one manager line per line, saved as UTF-8)\n"
    )


def test_cycle_briefs_into_a_file_says_how_to_fix_it(ws: str, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    write_meeting(calls, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart", questions=2)
    assert run("ingest", str(calls), "-j", "1", "-w", ws)[0] == 0
    afile = tmp_path / "afile"
    afile.write_text("")
    code, _, err = run("cycle", "--week", "2026-W47", "--briefs", str(afile), "-w", ws)
    assert code == 2
    assert err == (
        f"coachloop: error[CL500]: cannot create {afile}: File exists "
        "(give --briefs a folder you can write to (new or existing), not a file)\n"
    )
    with Workspace.open(ws) as w, w.session() as s:
        from sqlalchemy import func, select

        from coachloop.workspace.models import Cycle

        assert s.scalar(select(func.count()).select_from(Cycle)) == 0  # nothing half-done


def test_meetings_of_an_unknown_manager_is_an_error_not_an_empty_table(ws: str) -> None:
    code, out, err = run("meetings", "--manager", "nobody@x.com", "-w", ws)
    assert (code, out) == (2, "")
    assert err == (
        "coachloop: error[CL500]: no person with e-mail nobody@x.com in the workspace "
        "(import the roster first: coachloop roster import FILE.csv)\n"
    )
