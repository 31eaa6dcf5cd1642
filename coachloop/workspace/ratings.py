"""Ratings: managers' skill ratings of their reps, and reps' 1–5 ratings of each 1:1.

Both imports validate every row first (errors by line) and write nothing when any row is
bad; re-importing the same key updates the rating in place.

Manager ratings (``coachloop ratings import``): ``manager, rep, period, skill, rating``
(e-mails, free-text period like ``2026-Q3`` or ``2026-11``, skill name, a number). They
feed :func:`coachloop.analytics.calibration.calibrate` for ``calibrate_against_team``.

Rep ratings (``coachloop ratings import-rep``): ``rep, rating`` and optionally ``meeting``,
``started_at``, ``date``, ``manager``, ``comment``; the 1:1 is found by ``meeting`` (a meeting
id, an id prefix of at least 8 characters, or the transcript's file name/path), else the
rep's recorded 1:1 closest to ``started_at`` (within 12 hours), else the rep's only 1:1 on
``date``. A ``manager`` given must be that meeting's manager.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from coachloop.workspace._csv import (
    RowError,
    parse_date,
    parse_datetime,
    parse_email,
    parse_float,
    raise_row_errors,
    read_rows,
)
from coachloop.workspace.models import (
    ImportLog,
    ManagerRating,
    MeetingRow,
    Person,
    RepMeetingRating,
)

if TYPE_CHECKING:
    from coachloop.workspace.core import Workspace


def import_manager_ratings(ws: Workspace, path: Path) -> dict[str, Any]:
    rows = read_rows(path, required=("manager", "rep", "period", "skill", "rating"))
    errors: list[tuple[int, str]] = []
    with ws.write() as s:
        ids = dict(s.execute(select(Person.email, Person.id)).all())
        seen: dict[tuple[int, int, str, str], int] = {}
        parsed = []
        for line, row in rows:
            try:
                manager = parse_email(row["manager"], "manager")
                rep = parse_email(row["rep"], "rep")
                for who, email in (("manager", manager), ("rep", rep)):
                    if email not in ids:
                        raise RowError(f"{who} {email} is not in the roster")
                if not row["period"]:
                    raise RowError("period is empty")
                if not row["skill"]:
                    raise RowError("skill is empty")
                rating = parse_float(row["rating"], "rating")
                key = (ids[manager], ids[rep], row["period"], row["skill"])
                if key in seen:
                    raise RowError(f"the same manager, rep, period and skill as line {seen[key]}")
                seen[key] = line
                parsed.append((key, rating))
            except RowError as exc:
                errors.append((line, str(exc)))
        raise_row_errors(path, errors)
        existing = {
            (r.manager_id, r.rep_id, r.period, r.skill): r for r in s.scalars(select(ManagerRating))
        }
        added = updated = 0
        for key, rating in parsed:
            row_ = existing.get(key)
            if row_ is None:
                s.add(
                    ManagerRating(
                        manager_id=key[0], rep_id=key[1], period=key[2], skill=key[3], rating=rating
                    )
                )
                added += 1
            elif row_.rating != rating:
                row_.rating = rating
                updated += 1
        summary = {"rows": len(parsed), "added": added, "updated": updated}
        s.add(ImportLog(kind="ratings", source=str(path), summary=summary))
    return summary


def _find_meeting(s: Any, ref: str, rep_id: int | None, day: Any) -> MeetingRow:
    if ref:
        q = select(MeetingRow)
        if len(ref) >= 8 and all(c in "0123456789abcdef" for c in ref.lower()):
            found = s.scalars(q.where(MeetingRow.id.startswith(ref.lower())).limit(2)).all()
        else:
            found = []
        if not found:
            name = ref.replace("\\", "/")
            cands = s.scalars(
                q.where(MeetingRow.source_file.endswith(name.rsplit("/", 1)[-1]))
            ).all()
            found = [m for m in cands if (m.source_file or "").replace("\\", "/").endswith(name)]
        if not found:
            raise RowError(f"no stored meeting matches {ref!r}")
        if len(found) > 1:
            raise RowError(f"{ref!r} matches more than one meeting; give the full meeting id")
        return found[0]
    if day is None:
        raise RowError("give the meeting (id or file), started_at or the date of the 1:1")
    mine = s.scalars(
        select(MeetingRow).where(MeetingRow.rep_id == rep_id, MeetingRow.kind == "recorded")
    ).all()
    if isinstance(day, datetime):
        near = [
            (abs((m.started_at - day).total_seconds()), m.id, m)
            for m in mine
            if m.started_at is not None and abs((m.started_at - day).total_seconds()) <= 12 * 3600
        ]
        if not near:
            raise RowError(f"the rep has no recorded 1:1 within 12 hours of {day.isoformat()}")
        return min(near, key=lambda x: (x[0], x[1]))[2]
    cands = [m for m in mine if m.started_at is not None and m.started_at.date() == day]
    if not cands:
        raise RowError(f"the rep has no recorded 1:1 on {day}")
    if len(cands) > 1:
        raise RowError(f"the rep has {len(cands)} 1:1s on {day}; give the meeting id")
    return cands[0]


def import_rep_ratings(ws: Workspace, path: Path) -> dict[str, Any]:
    rows = read_rows(
        path,
        required=("rep", "rating"),
        optional=("meeting", "date", "started_at", "manager", "comment"),
    )
    errors: list[tuple[int, str]] = []
    with ws.write() as s:
        ids = dict(s.execute(select(Person.email, Person.id)).all())
        parsed: dict[tuple[str, int], tuple[int, int, str | None]] = {}
        for line, row in rows:
            try:
                rep = parse_email(row["rep"], "rep")
                if rep not in ids:
                    raise RowError(f"rep {rep} is not in the roster")
                try:
                    rating = int(row["rating"])
                except ValueError:
                    raise RowError(f"rating {row['rating']!r} is not a whole number 1–5") from None
                if not 1 <= rating <= 5:
                    raise RowError(f"rating {rating} is outside 1–5")
                day: date | datetime | None = None
                if row.get("started_at"):
                    day = parse_datetime(row["started_at"], "started_at")
                    if day.tzinfo is None:
                        day = day.replace(tzinfo=UTC)
                elif row.get("date"):
                    day = parse_date(row["date"], "date")
                meeting = _find_meeting(s, row.get("meeting", ""), ids[rep], day)
                if meeting.rep_id != ids[rep]:
                    raise RowError(f"meeting {meeting.id[:12]} is not a 1:1 of {rep}")
                boss = row.get("manager", "")
                if boss and ids.get(boss.lower()) != meeting.manager_id:
                    raise RowError(f"meeting {meeting.id[:12]} is not a 1:1 with manager {boss}")
                key = (meeting.id, ids[rep])
                if key in parsed:
                    raise RowError(f"the same 1:1 is rated on line {parsed[key][0]}")
                parsed[key] = (line, rating, row.get("comment") or None)
            except RowError as exc:
                errors.append((line, str(exc)))
        raise_row_errors(path, errors)
        existing = {(r.meeting_id, r.rep_id): r for r in s.scalars(select(RepMeetingRating))}
        added = updated = 0
        for (mid, rid), (_, rating, comment) in parsed.items():
            row_ = existing.get((mid, rid))
            if row_ is None:
                s.add(RepMeetingRating(meeting_id=mid, rep_id=rid, rating=rating, comment=comment))
                added += 1
            elif (row_.rating, row_.comment) != (rating, comment):
                row_.rating, row_.comment = rating, comment
                updated += 1
        summary = {"rows": len(parsed), "added": added, "updated": updated}
        s.add(ImportLog(kind="rep_ratings", source=str(path), summary=summary))
    return summary


def ratings_frame_rows(ws: Workspace) -> list[dict[str, Any]]:
    """Manager ratings as plain rows (manager, rep e-mails, period, skill, rating)."""
    from sqlalchemy.orm import aliased

    m, r = aliased(Person), aliased(Person)
    q = (
        select(m.email, r.email, ManagerRating.period, ManagerRating.skill, ManagerRating.rating)
        .join(m, ManagerRating.manager_id == m.id)
        .join(r, ManagerRating.rep_id == r.id)
        .order_by(m.email, r.email, ManagerRating.period, ManagerRating.skill)
    )
    with ws.session() as s:
        return [
            {"manager": a, "rep": b, "period": p, "skill": k, "rating": v}
            for a, b, p, k, v in s.execute(q)
        ]


def rep_rating_counts(ws: Workspace) -> int:
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(RepMeetingRating)) or 0
