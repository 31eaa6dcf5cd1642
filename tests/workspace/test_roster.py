from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coachloop.errors import InputError, WorkspaceError
from coachloop.workspace import Workspace
from coachloop.workspace.roster import history

from .ws_doubles import ROSTER


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_import_roster(workspace: Workspace, roster_file: Path) -> None:
    summary = workspace.import_roster(roster_file, effective=date(2026, 1, 5))
    assert summary == {
        "people_added": 7,
        "people_updated": 0,
        "lines_changed": 6,
        "rows": 7,
        "effective": "2026-01-05",
    }
    people = {p["email"]: p for p in workspace.people()}
    assert people["ben@ex.com"]["manager_email"] == "ana@ex.com"
    assert people["ana@ex.com"]["manager_email"] == "dana@ex.com"
    assert people["dana@ex.com"]["manager_email"] is None
    assert people["eve@ex.com"]["consent"] is False
    assert people["cat@ex.com"]["consent"] is True
    assert [p["email"] for p in workspace.people(role="manager")] == ["ana@ex.com", "max@ex.com"]


def test_reimport_changes_nothing(workspace: Workspace, roster_file: Path) -> None:
    workspace.import_roster(roster_file, effective=date(2026, 1, 5))
    again = workspace.import_roster(roster_file, effective=date(2026, 2, 2))
    assert again["people_added"] == again["people_updated"] == again["lines_changed"] == 0


def test_manager_change_keeps_history(
    workspace: Workspace, roster_file: Path, tmp_path: Path
) -> None:
    workspace.import_roster(roster_file, effective=date(2026, 1, 5))
    moved = tmp_path / "moved.csv"
    moved.write_text(
        "name,email,role,manager_email,team,cohort\nBen Hart,ben@ex.com,rep,max@ex.com,West,2025\n"
    )
    summary = workspace.import_roster(moved, effective=date(2026, 3, 2))
    assert (summary["people_updated"], summary["lines_changed"]) == (1, 1)
    assert history(workspace, "ben@ex.com") == [
        {
            "manager_email": "ana@ex.com",
            "valid_from": date(2026, 1, 5),
            "valid_to": date(2026, 3, 2),
        },
        {"manager_email": "max@ex.com", "valid_from": date(2026, 3, 2), "valid_to": None},
    ]
    on_feb = {p["email"]: p["manager_email"] for p in workspace.org(on=date(2026, 2, 1))}
    assert on_feb["ben@ex.com"] == "ana@ex.com"
    assert {p["email"]: p["team"] for p in workspace.people()}["ben@ex.com"] == "West"


def test_effective_before_current_line_is_refused(
    workspace: Workspace, roster_file: Path, tmp_path: Path
) -> None:
    workspace.import_roster(roster_file, effective=date(2026, 3, 2))
    moved = tmp_path / "moved.csv"
    moved.write_text("name,email,role,manager_email\nBen Hart,ben@ex.com,rep,max@ex.com\n")
    with pytest.raises(InputError) as info:
        workspace.import_roster(moved, effective=date(2026, 1, 5))
    assert str(info.value) == (
        f"{moved}, line 2: ben@ex.com: effective date 2026-01-05 is before their current "
        "reporting line started (2026-03-02) (1 bad row, nothing imported)"
    )


def test_bad_rows_reported_by_line_nothing_imported(workspace: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,email,role,manager_email\n"
        "Dana Diaz,dana@ex.com,director,\n"
        "Ana Lopez,ana-at-ex.com,manager,dana@ex.com\n"
        "Ben Hart,ben@ex.com,boss,ana@ex.com\n"
        "Cat Cole,cat@ex.com,rep,nobody@ex.com\n"
        "Dana Two,dana@ex.com,rep,\n"
    )
    with pytest.raises(InputError) as info:
        workspace.import_roster(bad)
    assert info.value.line == 3
    assert str(info.value) == (
        f"{bad}, line 3: email 'ana-at-ex.com' is not an e-mail address; "
        "line 4: role 'boss' is not one of director, manager, rep, admin; "
        "line 6: dana@ex.com already appears on line 2 (3 bad rows, nothing imported)"
    )
    assert workspace.people() == []


def test_unknown_manager_and_loops(workspace: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,email,role,manager_email\n"
        "A,a@ex.com,manager,b@ex.com\n"
        "B,b@ex.com,manager,a@ex.com\n"
        "C,c@ex.com,rep,nobody@ex.com\n"
        "D,d@ex.com,rep,c@ex.com\n"
    )
    with pytest.raises(InputError) as info:
        workspace.import_roster(bad)
    assert str(info.value) == (
        f"{bad}, line 2: reporting loop: a@ex.com -> b@ex.com -> a@ex.com; "
        "line 3: reporting loop: b@ex.com -> a@ex.com -> b@ex.com; "
        "line 4: manager nobody@ex.com is neither in this file nor in the workspace; "
        "line 5: manager c@ex.com is a rep; reps have no reports (4 bad rows, nothing imported)"
    )
    assert workspace.people() == []


def test_missing_column(workspace: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,mail,role\nA,a@ex.com,rep\n")
    with pytest.raises(InputError) as info:
        workspace.import_roster(bad)
    assert str(info.value) == (
        f"{bad}, line 1: missing column email "
        "(expected columns: name, email, role, manager_email, team, cohort, consent)"
    )


def test_history_of_unknown_person(workspace: Workspace) -> None:
    with pytest.raises(WorkspaceError, match=r"^no person with e-mail x@ex.com in the workspace"):
        history(workspace, "x@ex.com")
