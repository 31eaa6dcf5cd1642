"""A scenario from a moment of a real 1:1, and storing sessions in the workspace."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from coachloop.errors import PracticeError
from coachloop.model import Meeting, Role, Speaker, build_meeting
from coachloop.practice import PracticeSession, get_scenario, replay
from coachloop.practice.from_moment import (
    infer_behavior,
    load_moment_meeting,
    parse_moment,
    scenario_from_moment,
)
from coachloop.practice.scripts import coaching_script

LINES = [
    ("ana", "Hi Ben, how did the Globex call go?"),
    ("ben", "Not great. They pushed back on price again and the CFO joined late."),
    ("ana", "You need to lead with the rollout plan before any numbers."),
    ("ben", "Okay."),
    ("ana", "Anything else?"),
    ("ben", "Their procurement team wants three competing quotes before the end of March."),
    ("ben", "And honestly the champion is leaving the company next month, which worries me."),
]


def meeting(*, roles: bool = True) -> Meeting:
    speakers = (
        [Speaker("ana", "Ana Silva", Role.MANAGER), Speaker("ben", "Ben Okafor", Role.REP)]
        if roles
        else []
    )
    return build_meeting(
        id="abc123def456",
        title="Ana / Ben weekly",
        rows=[
            {"speaker": s, "start": 5.0 * i, "end": 5.0 * i + 4, "text": t}
            for i, (s, t) in enumerate(LINES)
        ],
        speakers=speakers,
    )


def test_a_tell_moment_becomes_an_ask_before_tell_scenario() -> None:
    sc = scenario_from_moment(meeting(), 2)
    assert sc.behavior == "ask_before_tell"
    assert sc.persona.name == "Ben Okafor"
    assert sc.opening == ["Not great. They pushed back on price again and the CFO joined late."]
    assert "You need to lead with the rollout plan" in sc.brief and "00:10" in sc.brief
    assert [f.id for f in sc.facts] == ["said_5", "said_6"]
    assert "procurement" in sc.facts[0].about
    assert sc.meta == {"source_meeting": "abc123def456", "source_index": 2, "from_moment": True}


def test_the_moment_scenario_plays_with_the_same_mechanics() -> None:
    sc = scenario_from_moment(meeting(), 2, "ask_before_tell")
    s = replay(PracticeSession(sc, seed=1), ["What happened with procurement and the quotes?"])
    assert s.unlocked == ["said_5"]


@pytest.mark.parametrize(
    ("kwargs", "code", "text"),
    [
        ({"index": 99}, "CL630", "has no utterance 99 (it has 7, numbered 0–6)"),
        ({"index": 1}, "CL632", "utterance 1 of meeting abc123def456 is not the manager's"),
        ({"index": 2, "behavior": "charm"}, "CL604", "unknown behaviour 'charm'"),
    ],
)
def test_bad_moments(kwargs: dict[str, Any], code: str, text: str) -> None:
    with pytest.raises(PracticeError) as info:
        scenario_from_moment(meeting(), **kwargs)
    assert info.value.code == code
    assert text in str(info.value)


def test_a_meeting_without_roles_is_refused_with_the_fix() -> None:
    with pytest.raises(PracticeError, match="assign roles first"):
        scenario_from_moment(meeting(roles=False), 2)


@pytest.mark.parametrize(
    ("acts", "behavior"),
    [
        ({"advice"}, "ask_before_tell"),
        ({"feedback"}, "evidence_based_feedback"),
        ({"outcome_talk"}, "behavior_not_outcome"),
        ({"benchmark", "evidence"}, "calibrate_against_team"),
    ],
)
def test_infer_behavior(acts: set[str], behavior: str) -> None:
    assert infer_behavior(frozenset(acts)) == behavior


def test_parse_moment() -> None:
    assert parse_moment("abc:12") == ("abc", 12)
    with pytest.raises(PracticeError, match="is not MEETING_ID:INDEX"):
        parse_moment("abc")


# -- the workspace ----------------------------------------------------------------------


def test_a_session_lands_in_the_workspace_with_its_scores(workspace: Any) -> None:
    from coachloop.practice.storage import store_session

    sc = get_scenario("abt-lost-renewal")
    s = replay(PracticeSession(sc, seed=2), coaching_script(sc))
    s.finish()
    when = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    out = store_session(s, workspace, started_at=when)
    assert out["stored"] is True
    assert out["scores"]["ask_before_tell"] == 100
    rows = workspace.meetings(kind="practice")
    assert [r["id"] for r in rows] == [out["meeting_id"]]
    assert rows[0]["scenario_id"] == "abt-lost-renewal"
    assert rows[0]["scores"]["ask_before_tell"] == 100
    assert workspace.meetings(kind="recorded") == []
    # the same session at the same time is not stored twice
    assert store_session(s, workspace, started_at=when)["stored"] is False
    # and a stored meeting can seed a practice of its own moment
    back = load_moment_meeting(workspace, out["meeting_id"][:20])
    assert back.manager is not None and back.utterances[1].text == s.turns[1].text


def test_only_finished_sessions_are_stored(workspace: Any) -> None:
    from coachloop.practice.storage import store_session

    s = PracticeSession(get_scenario("abt-lost-renewal"))
    s.start()
    with pytest.raises(PracticeError, match="only a finished session"):
        store_session(s, workspace)


def test_an_unknown_meeting_id(workspace: Any) -> None:
    with pytest.raises(PracticeError, match="no meeting 'zzz' in the workspace"):
        load_moment_meeting(workspace, "zzz")


def test_practice_sessions_feed_the_managers_practice_curve(workspace: Any, tmp_path: Any) -> None:
    from datetime import date, timedelta
    from pathlib import Path

    from coachloop.practice.scripts import telling_script
    from coachloop.practice.storage import store_session

    roster = Path(str(tmp_path)) / "roster.csv"
    roster.write_text(
        "name,email,role,manager_email,team,cohort,consent\n"
        "Ana Lopez,ana@ex.com,manager,,East,2025,true\n",
        encoding="utf-8",
    )
    workspace.import_roster(roster, effective=date(2026, 1, 5))
    sc = get_scenario("abt-lost-renewal")
    week1 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for when, script in ((week1, telling_script), (week1 + timedelta(days=7), coaching_script)):
        s = replay(PracticeSession(sc, seed=1), script(sc))
        s.finish()
        store_session(s, workspace, manager_email="ana@ex.com", started_at=when)
    # The series the manager's curve is drawn from (workspace.curves adds the trend
    # statistics on top; weekly_series keeps this test free of the statistics imports).
    from coachloop.workspace.curves import weekly_series
    from coachloop.workspace.roster import person_by_email

    with workspace.session() as sess:
        manager_id = person_by_email(sess, "ana@ex.com").id
    assert weekly_series(workspace, manager_id, kind="recorded") == {}
    series = weekly_series(workspace, manager_id, kind="practice")["ask_before_tell"]
    assert [(w.isoformat(), n) for w, _, n in series] == [("2026-03-02", 1), ("2026-03-09", 1)]
    first, second = (v for _, v, _ in series)
    assert second == 100 and first < second


def test_the_cli_stores_in_the_workspace_named_by_the_environment(
    workspace: Any, tmp_path: Any
) -> None:
    import json
    from datetime import date
    from pathlib import Path

    from typer.testing import CliRunner

    from coachloop.cli import app

    roster = Path(str(tmp_path)) / "roster.csv"
    roster.write_text(
        "name,email,role,manager_email,team,cohort,consent\n"
        "Ana Lopez,ana@ex.com,manager,,East,2025,true\n",
        encoding="utf-8",
    )
    workspace.import_roster(roster, effective=date(2026, 1, 5))
    sc = get_scenario("abt-lost-renewal")
    lines = Path(str(tmp_path)) / "lines.txt"
    lines.write_text("\n".join(coaching_script(sc)) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "practice",
            "--scenario",
            sc.id,
            "--replay",
            str(lines),
            "--manager",
            "ana@ex.com",
            "-o",
            "json",
        ],
        env={"COACHLOOP_WORKSPACE": workspace.url},
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"]["stored"] is True
    assert [m["kind"] for m in workspace.meetings()] == ["practice"]
