from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coachloop.errors import InputError
from coachloop.workspace import Workspace

from .ws_doubles import PIPE, ROSTER, write_meeting


@pytest.fixture
def org(workspace: Workspace, tmp_path: Path) -> Workspace:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    workspace.import_roster(roster, effective=date(2026, 1, 5))
    return workspace


def test_manager_ratings(org: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "ratings.csv"
    f.write_text(
        "manager,rep,period,skill,rating\nana@ex.com,ben@ex.com,2026-Q4,discovery,4\n"
        "ana@ex.com,cat@ex.com,2026-Q4,discovery,3.5\n"
    )
    assert org.import_ratings(f) == {"rows": 2, "added": 2, "updated": 0}
    f.write_text("manager,rep,period,skill,rating\nana@ex.com,ben@ex.com,2026-Q4,discovery,5\n")
    assert org.import_ratings(f) == {"rows": 1, "added": 0, "updated": 1}
    assert org.manager_ratings() == [
        {
            "manager": "ana@ex.com",
            "rep": "ben@ex.com",
            "period": "2026-Q4",
            "skill": "discovery",
            "rating": 5.0,
        },
        {
            "manager": "ana@ex.com",
            "rep": "cat@ex.com",
            "period": "2026-Q4",
            "skill": "discovery",
            "rating": 3.5,
        },
    ]


def test_manager_ratings_bad_rows(org: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "ratings.csv"
    f.write_text(
        "manager,rep,period,skill,rating\nana@ex.com,ben@ex.com,Q4,x,4\n"
        "ana@ex.com,zed@ex.com,Q4,x,4\nana@ex.com,cat@ex.com,Q4,x,high\n"
    )
    with pytest.raises(InputError) as info:
        org.import_ratings(f)
    assert str(info.value) == (
        f"{f}, line 3: rep zed@ex.com is not in the roster; "
        "line 4: rating 'high' is not a number (2 bad rows, nothing imported)"
    )
    assert org.manager_ratings() == []


def test_rep_ratings_join_meetings(org: Workspace, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    write_meeting(calls, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart")
    write_meeting(calls, "2026-11-18_ana_cat.txt", "Ana Lopez", "Cat Cole", questions=2)
    org.ingest([calls], jobs=1, pipeline=PIPE)
    ids = {m["rep_email"]: m["id"] for m in org.meetings()}
    f = tmp_path / "rep.csv"
    f.write_text(
        f"rep,meeting,date,rating,comment\nben@ex.com,2026-11-17_ana_ben.txt,,4,useful\n"
        f"cat@ex.com,{ids['cat@ex.com'][:10]},,5,\n"
    )
    assert org.import_rep_ratings(f) == {"rows": 2, "added": 2, "updated": 0}
    f.write_text("rep,date,rating\nben@ex.com,2026-11-17,2\n")
    assert org.import_rep_ratings(f) == {"rows": 1, "added": 0, "updated": 1}
    got = {
        m["rep_email"]: (m["rep_rating"], m["rep_comment"], m["scores"]["ask_before_tell"])
        for m in org.meetings()
    }
    assert got == {"ben@ex.com": (2, None, 50.0), "cat@ex.com": (5, None, 100 * 2 / 3)}


def test_rep_ratings_bad_rows(org: Workspace, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    write_meeting(calls, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart")
    org.ingest([calls], jobs=1, pipeline=PIPE)
    f = tmp_path / "rep.csv"
    f.write_text(
        "rep,meeting,date,rating\nben@ex.com,,2026-11-18,4\ncat@ex.com,2026-11-17_ana_ben.txt,,3\n"
        "ben@ex.com,,2026-11-17,6\nben@ex.com,nothing.txt,,3\n"
    )
    with pytest.raises(InputError) as info:
        org.import_rep_ratings(f)
    assert str(info.value) == (
        f"{f}, line 2: the rep has no recorded 1:1 on 2026-11-18; "
        f"line 3: meeting {org.meetings()[0]['id'][:12]} is not a 1:1 of cat@ex.com; "
        "line 4: rating 6 is outside 1–5; line 5: no stored meeting matches 'nothing.txt' "
        "(4 bad rows, nothing imported)"
    )


def test_kpis(org: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "kpi.csv"
    f.write_text(
        "rep,team,week,metric,value\nben@ex.com,,2026-W47,quota_attainment,0.8\n"
        ",East,2026-11-18,Win Rate,0.25\n"
    )
    assert org.import_kpis(f) == {
        "rows": 2,
        "added": 2,
        "updated": 0,
        "metrics": ["quota_attainment", "win_rate"],
    }
    assert org.kpis() == [
        {
            "subject_type": "rep",
            "subject": "ben@ex.com",
            "week": date(2026, 11, 16),
            "metric": "quota_attainment",
            "value": 0.8,
        },
        {
            "subject_type": "team",
            "subject": "East",
            "week": date(2026, 11, 16),
            "metric": "win_rate",
            "value": 0.25,
        },
    ]
    g = tmp_path / "kpi2.csv"
    g.write_text(
        "subject_type,subject,week,metric,value\nrep,ben@ex.com,2026-W47,quota_attainment,0.9\n"
    )
    assert org.import_kpis(g)["updated"] == 1


def test_kpis_bad_rows(org: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "kpi.csv"
    f.write_text(
        "subject_type,subject,week,metric,value\nrep,ben@ex.com,2026-W47,quota,1\n"
        "team,North,2026-W47,quota,1\nrep,ben@ex.com,2026-W60,quota,1\nrep,ben@ex.com,2026-W47,quota,nan\n"
        "boss,x,2026-W47,quota,1\nrep,ben@ex.com,2026-W47,quota,2\n"
    )
    with pytest.raises(InputError) as info:
        org.import_kpis(f)
    assert str(info.value) == (
        f"{f}, line 3: team 'North' is not a team in the roster; line 4: week '2026-W60' does not exist; "
        "line 5: value 'nan' is not a finite number; line 6: subject_type 'boss' is not rep or team; "
        "line 7: the same rep, week and metric as line 2 (5 bad rows, nothing imported)"
    )
    assert org.kpis() == []


def test_performance_for_calibration_comes_from_kpis(org: Workspace, tmp_path: Path) -> None:
    from coachloop.workspace.cycle import _performance

    f = tmp_path / "kpi.csv"
    f.write_text(
        "rep,week,metric,value\nben@ex.com,2026-W47,win_rate,0.3\ncat@ex.com,2026-11-18,win_rate,0.1\n"
        "ben@ex.com,2026-W48,win_rate,0.5\nben@ex.com,2026-W47,leavers,1\n"
    )
    org.import_kpis(f)
    assert _performance(org, {"2026-W47", "2026-Q4"}) == [
        {"rep": "ben@ex.com", "period": "2026-W47", "value": 0.3},
        {"rep": "cat@ex.com", "period": "2026-W47", "value": 0.1},
    ]
