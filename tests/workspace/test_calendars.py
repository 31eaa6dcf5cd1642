from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from coachloop.errors import InputError
from coachloop.workspace import Workspace
from coachloop.workspace.calendars import calendar_scores
from coachloop.workspace.models import CalendarEvent, ManagerWeekScore

from .ws_doubles import ROSTER

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:series-ana-ben
DTSTART:20261102T100000Z
DTEND:20261102T103000Z
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE:20261109T100000Z
SUMMARY:Ana / Ben 1:1
ORGANIZER:mailto:ana@ex.com
ATTENDEE:mailto:ben@ex.com
END:VEVENT
BEGIN:VEVENT
UID:series-ana-ben
RECURRENCE-ID:20261116T100000Z
DTSTART:20261117T150000Z
DTEND:20261117T153000Z
SUMMARY:Ana / Ben 1:1 (moved)
ORGANIZER:mailto:ana@ex.com
ATTENDEE:mailto:ben@ex.com
END:VEVENT
BEGIN:VEVENT
UID:series-ana-ben
RECURRENCE-ID:20261123T100000Z
DTSTART:20261123T100000Z
DTEND:20261123T103000Z
STATUS:CANCELLED
SUMMARY:Ana / Ben 1:1
ORGANIZER:mailto:ana@ex.com
ATTENDEE:mailto:ben@ex.com
END:VEVENT
BEGIN:VEVENT
UID:team-sync
DTSTART:20261118T090000Z
DTEND:20261118T110000Z
SUMMARY:Team sync
ORGANIZER:mailto:ana@ex.com
ATTENDEE:mailto:ben@ex.com
ATTENDEE:mailto:cat@ex.com
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def org(workspace: Workspace, tmp_path: Path) -> Workspace:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    workspace.import_roster(roster, effective=date(2026, 1, 5))
    return workspace


def test_import_expands_series_with_exceptions(org: Workspace, tmp_path: Path) -> None:
    ics = tmp_path / "ana.ics"
    ics.write_text(ICS)
    summary = org.import_calendars([ics])
    assert {k: summary[k] for k in ("events", "added", "updated", "cancelled", "one_on_ones")} == {
        "events": 5,
        "added": 5,
        "updated": 0,
        "cancelled": 2,
        "one_on_ones": 4,
    }
    with org.session() as s:
        rows = s.scalars(
            select(CalendarEvent).order_by(CalendarEvent.occurrence, CalendarEvent.uid)
        ).all()
        got = [
            (r.occurrence, r.start.isoformat(), r.status, r.moved, r.manager_id is not None)
            for r in rows
        ]
    assert got == [
        ("2026-11-02T10:00:00Z", "2026-11-02T10:00:00+00:00", "confirmed", False, True),
        ("2026-11-09T10:00:00Z", "2026-11-09T10:00:00+00:00", "cancelled", False, True),
        ("2026-11-16T10:00:00Z", "2026-11-17T15:00:00+00:00", "confirmed", True, True),
        ("2026-11-18T09:00:00Z", "2026-11-18T09:00:00+00:00", "confirmed", False, False),
        ("2026-11-23T10:00:00Z", "2026-11-23T10:00:00+00:00", "cancelled", False, True),
    ]
    again = org.import_calendars([ics])
    assert (again["added"], again["updated"]) == (0, 0)


def test_calendar_scores_per_manager_week(org: Workspace, tmp_path: Path) -> None:
    ics = tmp_path / "ana.ics"
    ics.write_text(ICS)
    org.import_calendars([ics])
    week = date(2026, 11, 23)
    results = calendar_scores(org, week)
    ana = {p["email"]: p["id"] for p in org.people()}["ana@ex.com"]
    cadence = results[ana]["hold_cadence"]
    assert cadence["score"] is not None and 0 <= cadence["score"] <= 100
    assert results[ana]["protect_rep_calendars"]["score"] is not None
    with org.session() as s:
        stored = {
            (r.behavior, r.score)
            for r in s.scalars(select(ManagerWeekScore).where(ManagerWeekScore.manager_id == ana))
        }
    assert stored == {
        ("hold_cadence", cadence["score"]),
        ("protect_rep_calendars", results[ana]["protect_rep_calendars"]["score"]),
    }


def test_bad_ics_names_the_file(org: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("not a calendar\n")
    with pytest.raises(InputError) as info:
        org.import_calendars([bad])
    assert str(bad) in str(info.value)


def test_recorded_pairs_match_planned_one_on_ones_to_recordings(
    org: Workspace, tmp_path: Path
) -> None:
    from .ws_doubles import PIPE, write_meeting

    ics = tmp_path / "ana.ics"
    ics.write_text(ICS)
    org.import_calendars([ics])
    week = date(2026, 11, 23)
    ana = {p["email"]: p["id"] for p in org.people()}["ana@ex.com"]
    trusted = calendar_scores(org, week)[ana]["hold_cadence"]["signals"]
    # No recording of Ana and Ben yet: the calendar is trusted (Nov 2 and the moved Nov 17).
    assert (trusted["planned"], trusted["held"], trusted["missed"]) == (4, 2, 0)
    # Their 1:1s are recorded: the Nov 2 one has a recording, the moved one has none.
    write_meeting(
        tmp_path / "rec",
        "call.txt",
        "Ana Lopez",
        "Ben Hart",
        sidecar={
            "manager_email": "ana@ex.com",
            "rep_email": "ben@ex.com",
            "started_at": "2026-11-02T10:02:00+00:00",
        },
    )
    assert org.ingest([tmp_path / "rec"], jobs=1, pipeline=PIPE).meetings_added == 1
    matched = calendar_scores(org, week)[ana]["hold_cadence"]["signals"]
    assert (matched["planned"], matched["held"], matched["missed"]) == (4, 1, 1)
