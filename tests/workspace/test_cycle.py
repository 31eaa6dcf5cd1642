from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from coachloop.errors import WorkspaceError
from coachloop.workspace import Workspace
from coachloop.workspace.cycle import stored_cycle
from coachloop.workspace.models import Cycle

from .ws_doubles import PIPE, write_meeting

ORG = """name,email,role,manager_email,team
Dana Diaz,dana@ex.com,director,,Sales
Ana Lopez,ana@ex.com,manager,dana@ex.com,East
Max Moor,max@ex.com,manager,dana@ex.com,West
Kim Kay,kim@ex.com,manager,dana@ex.com,North
Ben Hart,ben@ex.com,rep,ana@ex.com,East
Dev Dutt,dev@ex.com,rep,max@ex.com,West
Liv Lund,liv@ex.com,rep,kim@ex.com,North
"""
MONDAY = date(2026, 11, 2)
#: questions asked per week by each manager (ask_before_tell = 100 q / (q + 1))
PLAN = {"Ana Lopez": [1, 3, 3], "Max Moor": [4, 4, 4], "Kim Kay": [6, 6, 8]}
REPS = {"Ana Lopez": "Ben Hart", "Max Moor": "Dev Dutt", "Kim Kay": "Liv Lund"}


@pytest.fixture
def org(workspace: Workspace, tmp_path: Path) -> Workspace:
    roster = tmp_path / "roster.csv"
    roster.write_text(ORG)
    workspace.import_roster(roster, effective=date(2026, 1, 5))
    calls = tmp_path / "calls"
    for manager, plan in PLAN.items():
        for i, q in enumerate(plan):
            day = MONDAY + timedelta(weeks=i, days=1)
            slug = manager.split()[0].lower()
            write_meeting(
                calls, f"{day}_{slug}.txt", manager, REPS[manager], questions=q, extra=str(day)
            )
    report = workspace.ingest([calls], jobs=1, pipeline=PIPE)
    assert report.meetings_added == 9, report.failed
    return workspace


def test_cycle_week_one(org: Workspace) -> None:
    results = org.cycle(week="2026-W45")
    assert [r["manager"] for r in results] == ["ana@ex.com", "kim@ex.com", "max@ex.com"]
    ana = results[0]
    assert ana["week"] == "2026-W45" and ana["week_start"] == "2026-11-02"
    assert ana["focus"] == "ask_before_tell"
    assert ana["focus_reason"].startswith("ask before tell: 50 vs team ")
    assert ana["cycle_start"] == "2026-11-02" and ana["cycle_end"] == "2026-11-16"
    abt = ana["behaviors"]["ask_before_tell"]
    assert abt == {
        "score": 50.0,
        "delta_week": None,
        "delta_baseline": 0.0,
        "delta_team": round(50 - (80 + 6 / 7 * 100) / 2, 1),
        "team": round((80 + 6 / 7 * 100) / 2, 1),
        "benchmark": abt["benchmark"],
        "meetings": 1,
        "confidence": 0.333,
        "source": "meetings",
    }
    assert set(ana["behaviors"]) == {
        "ask_before_tell",
        "one_behavior_per_cycle",
        "evidence_based_feedback",
        "behavior_not_outcome",
        "calibrate_against_team",
        "protect_rep_calendars",
        "hold_cadence",
    }
    assert ana["evidence"] and ana["evidence"][0]["quote"] == "How did call 0 go?"
    # Kim and Max are at or above the benchmark / mastery: stretch focus or none
    assert {r["manager"]: r["focus"] for r in results}["kim@ex.com"] in (
        None,
        "evidence_based_feedback",
    )


def test_focus_persists_and_deltas(org: Workspace) -> None:
    org.cycle(week="2026-W45")
    second = {r["manager"]: r for r in org.cycle(week="2026-W46")}
    ana = second["ana@ex.com"]
    assert ana["focus"] == "ask_before_tell" and ana["focus_kept"] is True
    assert ana["cycle_start"] == "2026-11-02"
    assert ana["behaviors"]["ask_before_tell"]["delta_week"] == 25.0
    assert ana["behaviors"]["ask_before_tell"]["delta_baseline"] == 12.5
    with org.session() as s:
        assert len(s.scalars(select(Cycle).where(Cycle.focus == "ask_before_tell")).all()) == 1


def test_rerun_is_stable(org: Workspace) -> None:
    first = org.cycle(week="2026-W45")
    again = org.cycle(week="2026-W45")
    assert again == first
    assert stored_cycle(org, "2026-W45") == first


def test_default_week_is_last_with_data(org: Workspace) -> None:
    assert org.cycle()[0]["week"] == "2026-W47"


def test_bad_week(org: Workspace) -> None:
    with pytest.raises(WorkspaceError) as info:
        org.cycle(week="2026-W99")
    assert str(info.value) == "week '2026-W99' does not exist (give --week like 2026-W47)"


def test_empty_workspace(workspace: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="^no recorded meetings in the workspace"):
        workspace.cycle()


def test_curves_recorded_and_practice(org: Workspace) -> None:
    (curve,) = org.curves("ana@ex.com", behavior="ask_before_tell")
    assert [(p["week"], p["score"], p["meetings"]) for p in curve["recorded"]] == [
        ("2026-W45", 50.0, 1),
        ("2026-W46", 75.0, 1),
        ("2026-W47", 75.0, 1),
    ]
    assert curve["practice"] == []
    assert curve["recorded_trend"]["n"] == 3
    assert curve["recorded_trend"]["reason"] == "3 weekly point(s); a trend needs at least 4"
    assert len(org.curves("ana@ex.com")) == 7
    with pytest.raises(WorkspaceError, match="^unknown behaviour 'asking'"):
        org.curves("ana@ex.com", behavior="asking")


def test_withdrawn_consent_stops_counting(org: Workspace, tmp_path: Path) -> None:
    change = tmp_path / "consent.csv"
    change.write_text(
        "name,email,role,manager_email,consent\nBen Hart,ben@ex.com,rep,ana@ex.com,false\n"
        "Max Moor,max@ex.com,manager,dana@ex.com,false\n"
    )
    org.import_roster(change, effective=date(2026, 1, 5))
    results = {r["manager"]: r for r in org.cycle(week="2026-W45")}
    assert sorted(results) == ["ana@ex.com", "kim@ex.com"]
    assert results["ana@ex.com"]["meetings"] == 0
    assert results["ana@ex.com"]["behaviors"]["ask_before_tell"]["score"] is None


def test_curves_refuse_without_consent(org: Workspace, tmp_path: Path) -> None:
    change = tmp_path / "consent.csv"
    change.write_text(
        "name,email,role,manager_email,consent\nAna Lopez,ana@ex.com,manager,dana@ex.com,no\n"
    )
    org.import_roster(change, effective=date(2026, 1, 5))
    with pytest.raises(WorkspaceError) as info:
        org.curves("ana@ex.com")
    assert str(info.value) == "ana@ex.com has not consented (consent=false); nothing is shown"
