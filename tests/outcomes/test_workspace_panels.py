from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from coachloop.errors import AnalysisError
from coachloop.outcomes.panel import panels_from_workspace

ROSTER = """name,email,role,manager_email,team,cohort
Dana Diaz,dana@ex.com,director,,Sales,
Ana Lopez,ana@ex.com,manager,dana@ex.com,East,coached
Max Moor,max@ex.com,manager,dana@ex.com,West,classroom
Ben Hart,ben@ex.com,rep,ana@ex.com,East,
Dev Dutt,dev@ex.com,rep,max@ex.com,,
"""
MONDAY = date(2026, 9, 7)


def _people(ws: Any) -> dict[str, int]:
    from sqlalchemy import select

    from coachloop.workspace.models import Person

    with ws.session() as s:
        return {e: i for i, e in s.execute(select(Person.id, Person.email)).all()}


def test_panels_come_from_scores_meetings_and_kpis(workspace: Any, tmp_path: Path) -> None:
    from coachloop.workspace.models import BehaviorScore, ManagerWeekScore, MeetingRow

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    workspace.import_roster(roster, effective=MONDAY)
    ids = _people(workspace)
    with workspace.write() as s:
        # two 1:1s of Ana in week 2 (scores 40 and 60 -> 50), and a weekly roll-up
        for n, score in enumerate((40.0, 60.0)):
            s.add(
                MeetingRow(
                    id=f"m{n}",
                    manager_id=ids["ana@ex.com"],
                    rep_id=ids["ben@ex.com"],
                    week=MONDAY + timedelta(weeks=1),
                    duration_s=1800.0,
                    transcript={},
                )
            )
            s.flush()
            s.add(
                BehaviorScore(
                    meeting_id=f"m{n}", behavior="ask_before_tell", score=score, evidence=[]
                )
            )
        s.add(
            ManagerWeekScore(
                manager_id=ids["max@ex.com"],
                week=MONDAY,
                behavior="hold_cadence",
                score=75.0,
                detail={},
            )
        )
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(
        "subject_type,subject,week,metric,value\n"
        "team,East,2026-W38,win_rate,0.2\n"
        "rep,dev@ex.com,2026-09-14,meetings_booked,5\n",
        encoding="utf-8",
    )
    workspace.import_kpis(kpis)

    panels = panels_from_workspace(workspace)
    b = panels.behaviors.set_index(["manager", "behavior"])
    assert b.loc[("ana@ex.com", "ask_before_tell"), "score"] == 50.0
    assert b.loc[("ana@ex.com", "ask_before_tell"), "week"] == 1
    assert b.loc[("ana@ex.com", "ask_before_tell"), "cohort"] == "coached"
    assert b.loc[("max@ex.com", "hold_cadence"), ["team", "week", "score"]].tolist() == [
        "West",
        0,
        75.0,
    ]
    k = panels.kpis.set_index("metric")
    assert k.loc["win_rate", ["subject_type", "team", "week"]].tolist() == ["team", "East", 1]
    # Dev has no team of his own: his manager's
    assert k.loc["meetings_booked", ["subject_key", "team"]].tolist() == ["dev@ex.com", "West"]


def test_an_empty_workspace_is_refused(workspace: Any) -> None:
    with pytest.raises(AnalysisError, match="the workspace has no behaviour scores yet"):
        panels_from_workspace(workspace)
