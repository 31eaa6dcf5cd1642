"""Calendars: ICS exports in, stored event occurrences and manager-week calendar scores out.

``import_calendars`` expands every file with :func:`coachloop.analytics.calendar.load_ics`
(recurring series with EXDATEs, moved and cancelled overrides; an occurrence seen in
several people's exports once) and upserts one row per occurrence, keyed by
(UID, original start): importing the same or a newer export again updates in place.
A cancelled occurrence is stored with ``status='cancelled'`` and never counts as held.

``calendar_scores`` computes, for each manager and ISO week, the ``hold_cadence``
(the manager's reps' 1:1 pairs over the four weeks ending with the week) and
``protect_rep_calendars`` (each rep's load in the week) behaviour results with the
analytics functions, and stores them in ``manager_week_scores``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select

from coachloop.errors import InputError, unreadable_hint
from coachloop.workspace._csv import week_start
from coachloop.workspace.models import (
    CalendarEvent as EventRow,
)
from coachloop.workspace.models import (
    ImportLog,
    ManagerWeekScore,
    MeetingRow,
    Person,
    ReportingLine,
    utcnow,
)
from coachloop.workspace.store import _jsonable

if TYPE_CHECKING:
    from coachloop.analytics.calendar import CalendarEvent
    from coachloop.workspace.core import Workspace

CALENDAR_BEHAVIORS = ("hold_cadence", "protect_rep_calendars")
CADENCE_WINDOW = timedelta(weeks=4)
_DTSTART = re.compile(rb"^(?:DTSTART|RECURRENCE-ID|UNTIL)[^:\r\n]*:(\d{8})", re.M)
_UNTIL = re.compile(rb"UNTIL=(\d{8})")


def _window(paths: Sequence[Path], latest: date | None) -> tuple[date, date]:
    """The expansion window: the earliest start in the files to a week after the latest
    of (last dated line, latest stored meeting, today), at most three years long."""
    days: list[date] = []
    for p in paths:
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(
                f"cannot read: {exc.strerror}", file=p, hint=unreadable_hint(exc)
            ) from None
        for m in [*_DTSTART.finditer(data), *_UNTIL.finditer(data)]:
            try:
                days.append(datetime.strptime(m.group(1).decode(), "%Y%m%d").date())
            except ValueError:
                continue  # load_ics reports the bad date with its line
    today = utcnow().date()
    lo = min(days) if days else today - timedelta(weeks=52)
    hi = max([*days, today, *([latest] if latest else [])]) + timedelta(days=7)
    return lo, min(hi, lo + timedelta(days=3 * 366))


def import_calendars(ws: Workspace, paths: Sequence[Path]) -> dict[str, Any]:
    from coachloop.analytics.calendar import load_ics

    if not paths:
        return {"files": 0, "events": 0, "added": 0, "updated": 0, "cancelled": 0}
    with ws.session() as s:
        latest = s.scalar(
            select(MeetingRow.started_at).order_by(MeetingRow.started_at.desc()).limit(1)
        )
    # With several files a bad one is left out and reported under "failed" (the others
    # are imported); a single bad file raises as before.
    failed: list[dict[str, str]] = []
    good = list(paths)
    while True:
        try:
            lo, hi = _window(good, latest.date() if latest else None)
            events = load_ics([str(p) for p in good], start=lo, end=hi)
            break
        except InputError as exc:
            bad = next((p for p in good if str(p) == exc.file), None)
            if bad is None or (len(good) == 1 and not failed):
                raise
            good.remove(bad)
            failed.append({"file": str(bad), "code": exc.code, "error": str(exc)})
            if not good:
                return {
                    "files": 0,
                    "events": 0,
                    "added": 0,
                    "updated": 0,
                    "cancelled": 0,
                    "failed": failed,
                }
    paths = good
    added = updated = 0
    source = ";".join(str(p) for p in paths)[:2000]
    with ws.write() as s:
        people = {e: (i, r) for e, i, r in s.execute(select(Person.email, Person.id, Person.role))}
        lines = _lines(s)
        uids = sorted({e.uid for e in events})
        existing: dict[tuple[str, str], EventRow] = {}
        for i in range(0, len(uids), 500):
            q = select(EventRow).where(EventRow.uid.in_(uids[i : i + 500]))
            existing.update({(row.uid, row.occurrence): row for row in s.scalars(q)})
        new_rows: dict[tuple[str, str], dict[str, Any]] = {}
        for e in events:
            key = (e.uid, _occ(e))
            values = _row_values(e, people, lines, source=source)
            row = existing.get(key)
            if row is None:
                new_rows[key] = {"uid": e.uid, "occurrence": key[1], **values}
            elif e.sequence >= row.sequence:
                changed = False
                for k, v in values.items():
                    if k == "attendees":
                        v = sorted(set(row.attendees) | set(v))
                    if getattr(row, k) != v:
                        setattr(row, k, v)
                        changed = changed or k != "source_file"
                updated += changed
        if new_rows:
            s.execute(insert(EventRow), list(new_rows.values()))
        added = len(new_rows)
        summary = {
            "files": len(paths),
            "events": len(events),
            "added": added,
            "updated": updated,
            "cancelled": sum(e.cancelled for e in events),
            "one_on_ones": sum(1 for e in events if _pair_of(e, people, lines) is not None),
            "window": f"{lo}..{hi}",
        }
        if failed:
            summary["failed"] = failed
        s.add(ImportLog(kind="calendar", source=";".join(map(str, paths))[:2000], summary=summary))
    return summary


def _occ(e: CalendarEvent) -> str:
    return (e.original_start or e.start).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Lines = dict[int, list[tuple[int, date, date | None]]]


def _lines(s: Any) -> Lines:
    out: Lines = {}
    for line in s.scalars(select(ReportingLine)):
        out.setdefault(line.person_id, []).append((line.manager_id, line.valid_from, line.valid_to))
    return out


def _boss(lines: Lines, person: int, day: date) -> int | None:
    for boss, start, end in lines.get(person, ()):
        if start <= day and (end is None or day < end):
            return boss
    return None


def _pair_of(
    e: CalendarEvent, people: dict[str, tuple[int, str]], lines: Lines
) -> tuple[int, int] | None:
    """(manager id, rep id) when the event is a 1:1 between a person and their manager."""
    parts = sorted(e.participants)
    if len(parts) != 2 or e.all_day or any(p not in people for p in parts):
        return None
    a, b = (people[p][0] for p in parts)
    day = e.start.date()
    if _boss(lines, b, day) == a:
        return a, b
    if _boss(lines, a, day) == b:
        return b, a
    return None


def _row_values(
    e: CalendarEvent, people: dict[str, tuple[int, str]], lines: Lines, *, source: str
) -> dict[str, Any]:
    pair = _pair_of(e, people, lines)
    return {
        "source_file": source,
        "summary": e.title,
        "organizer_email": e.organizer,
        "attendees": list(e.attendees),
        "manager_id": pair[0] if pair else None,
        "rep_id": pair[1] if pair else None,
        "start": e.start,
        "end": e.end,
        "week": week_start(e.start.date()),
        "status": e.status,
        "recurring": e.recurring,
        "moved": e.moved,
        "rule": e.rule,
        "all_day": e.all_day,
        "sequence": e.sequence,
    }


def _to_event(row: EventRow) -> CalendarEvent:
    from coachloop.analytics.calendar import CalendarEvent

    occ = datetime.strptime(row.occurrence, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return CalendarEvent(
        uid=row.uid,
        title=row.summary or "",
        start=row.start,
        end=row.end,
        organizer=row.organizer_email,
        attendees=tuple(row.attendees),
        status=row.status,
        recurring=row.recurring,
        moved=row.moved,
        original_start=occ,
        all_day=row.all_day,
        rule=row.rule,
        sequence=row.sequence,
    )


def stored_calendar_scores(ws: Workspace, week: date) -> dict[int, dict[str, dict[str, Any]]]:
    """What :func:`calendar_scores` stored for ``week`` (empty when never computed)."""
    out: dict[int, dict[str, dict[str, Any]]] = {}
    with ws.session() as s:
        q = select(ManagerWeekScore).where(
            ManagerWeekScore.week == week, ManagerWeekScore.behavior.in_(CALENDAR_BEHAVIORS)
        )
        for row in s.scalars(q):
            out.setdefault(row.manager_id, {})[row.behavior] = dict(row.detail)
    return out


def calendar_scores(ws: Workspace, week: date) -> dict[int, dict[str, dict[str, Any]]]:
    """manager id → behaviour → result for ``week`` (a Monday); stored as well.

    Managers are everyone with reports on the week's Monday; a manager with no calendar
    data gets the analytics' refusal (score None, with the reason).
    """
    from coachloop.analytics.calendar import (
        hold_cadence,
        pair_cadence,
        protect_rep_calendars,
        rep_week_load,
    )

    week_end = week + timedelta(days=7)
    lo = datetime.combine(week_end - CADENCE_WINDOW, time(0), tzinfo=UTC)
    hi = datetime.combine(week_end, time(0), tzinfo=UTC)
    with ws.session() as s:
        n_events = s.scalar(select(EventRow.id).limit(1))
        if n_events is None:
            return {}
        people = {i: e for i, e in s.execute(select(Person.id, Person.email))}
        lines = _lines(s)
        rows = s.scalars(select(EventRow).where(EventRow.start < hi, EventRow.end > lo)).all()
        events = [_to_event(r) for r in rows]
        # Planned 1:1s are matched to recordings where the pair's 1:1s are recorded at all
        # (any recorded meeting of the pair, ever); a pair never recorded trusts the calendar.
        recorded_pairs: set[tuple[int, int]] = set()
        recordings: dict[tuple[int, int], list[datetime]] = {}
        for m_id, r_id, started in s.execute(
            select(MeetingRow.manager_id, MeetingRow.rep_id, MeetingRow.started_at).where(
                MeetingRow.kind == "recorded",
                MeetingRow.manager_id.is_not(None),
                MeetingRow.rep_id.is_not(None),
            )
        ):
            if m_id is None or r_id is None:
                continue
            key = (m_id, r_id)
            recorded_pairs.add(key)
            if started is not None and lo <= started < hi:
                recordings.setdefault(key, []).append(started)
    teams: dict[int, list[int]] = {}
    for person in lines:
        boss = _boss(lines, person, week)
        if boss is not None:
            teams.setdefault(boss, []).append(person)
    # Index events by participant once: each rep's functions then scan only their events
    # (scanning every event of the org per rep is quadratic in the org's size).
    by_person: dict[str, list[CalendarEvent]] = {}
    for e in events:
        for p in e.participants:
            by_person.setdefault(p, []).append(e)
    week_lo = datetime.combine(week, time(0), tzinfo=UTC) - timedelta(days=1)
    out: dict[int, dict[str, dict[str, Any]]] = {}
    for manager, reps in sorted(teams.items()):
        m_email = people[manager]
        pairs, loads = [], []
        for r in sorted(reps):
            mine = by_person.get(people[r], [])
            held = recordings.get((manager, r), []) if (manager, r) in recorded_pairs else None
            pairs.append(pair_cadence(mine, m_email, people[r], start=lo, end=hi, held=held))
            in_week = [e for e in mine if e.end > week_lo]  # the load's week, padded for time zones
            loads.append(rep_week_load(in_week, people[r], m_email, week_start=week))
        out[manager] = {
            "hold_cadence": _jsonable(hold_cadence(pairs, as_of=hi - timedelta(seconds=1))),
            "protect_rep_calendars": _jsonable(protect_rep_calendars(loads)),
        }
    with ws.write() as s:
        s.execute(
            delete(ManagerWeekScore).where(
                ManagerWeekScore.week == week, ManagerWeekScore.behavior.in_(CALENDAR_BEHAVIORS)
            )
        )
        for manager, results in out.items():
            for behavior, result in results.items():
                s.add(
                    ManagerWeekScore(
                        manager_id=manager,
                        week=week,
                        behavior=behavior,
                        score=result.get("score"),
                        detail=result,
                    )
                )
    return out
