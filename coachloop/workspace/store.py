"""The write path for meetings: one meeting, one transaction.

A meeting row, its utterances (with acts), signals and behaviour scores are inserted
together or not at all; a meeting whose id (content hash) is already stored is left
untouched, which makes ingestion idempotent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, aliased

from coachloop.errors import WorkspaceError
from coachloop.workspace._csv import week_start
from coachloop.workspace.models import (
    MEETING_KINDS,
    Base,
    BehaviorScore,
    MeetingRow,
    Person,
    RepMeetingRating,
)

#: the tables written with Core inserts
TABLES = Base.metadata.tables

if TYPE_CHECKING:
    from coachloop.model import Meeting
    from coachloop.workspace.core import Workspace


def _number(value: Any) -> float | None:
    if isinstance(value, Mapping):
        value = value.get("value")
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _jsonable(value: Any) -> Any:
    """Plain JSON: tuples to lists, sets sorted, NaN/inf to None, objects to str."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def transcript_json(meeting: Meeting) -> dict[str, Any]:
    return {
        "speakers": [
            {"label": s.label, "name": s.name, "role": str(s.role), "email": s.email}
            for s in meeting.speakers
        ],
        "meta": _jsonable(dict(meeting.meta)),
    }


def meeting_exists(s: Session, meeting_id: str) -> bool:
    return s.scalar(select(MeetingRow.id).where(MeetingRow.id == meeting_id)) is not None


def insert_meeting(
    s: Session,
    meeting: Meeting,
    scorecard: Mapping[str, Any] | None,
    *,
    manager_id: int | None,
    rep_id: int | None,
    kind: str = "recorded",
    acts: Sequence[Iterable[str]] | None = None,
    source_file: str | None = None,
    matched_by: str | None = None,
    scenario_id: str | None = None,
    seed: int | None = None,
) -> bool:
    """Insert inside the caller's transaction. False (and nothing written) if stored."""
    if kind not in MEETING_KINDS:
        raise WorkspaceError(f"meeting kind {kind!r} is not one of {', '.join(MEETING_KINDS)}")
    if meeting_exists(s, meeting.id):
        return False
    if acts is not None and len(acts) != len(meeting.utterances):
        raise WorkspaceError(
            f"meeting {meeting.id[:12]}: {len(acts)} act sets for {len(meeting.utterances)} utterances"
        )
    card = _jsonable(dict(scorecard)) if scorecard is not None else None
    started = meeting.started_at
    # Core inserts, not ORM objects: the same rows for a fraction of the work (the ORM
    # unit of work and its bulk path cost more than the SQL itself on a 500-cue meeting).
    s.execute(
        insert(TABLES["meetings"]),
        {
            "id": meeting.id,
            "kind": kind,
            "manager_id": manager_id,
            "rep_id": rep_id,
            "started_at": started,
            "week": week_start(started.date()) if started is not None else None,
            "duration_s": float(meeting.duration),
            "title": meeting.title,
            "source_format": meeting.source_format,
            "source_file": source_file,
            "matched_by": matched_by,
            "transcript": transcript_json(meeting),
            "scorecard": card,
            "scenario_id": scenario_id,
            "seed": seed,
        },
    )
    roles = {sp.label: str(sp.role) for sp in meeting.speakers}
    if meeting.utterances:
        s.execute(
            insert(TABLES["utterances"]),
            [
                {
                    "meeting_id": meeting.id,
                    "index": u.index,
                    "speaker": u.speaker,
                    "role": roles.get(u.speaker, "other"),
                    "start": u.start,
                    "end": u.end,
                    "text": u.text,
                    "acts": sorted(acts[u.index]) if acts is not None else [],
                }
                for u in meeting.utterances
            ],
        )
    if card:
        signals = card.get("signals") or {}
        if isinstance(signals, Mapping) and signals:
            s.execute(
                insert(TABLES["signals"]),
                [
                    {"meeting_id": meeting.id, "name": name, "value": _number(v)}
                    for name, v in signals.items()
                ],
            )
        behaviors = card.get("behaviors") or {}
        if behaviors:
            s.execute(
                insert(TABLES["behavior_scores"]),
                [
                    {
                        "meeting_id": meeting.id,
                        "behavior": bid,
                        "score": _number(b.get("score")),
                        "evidence": b.get("evidence") or [],
                        "why_not_higher": _why(b.get("why_not_higher")),
                    }
                    for bid, b in behaviors.items()
                ],
            )
    return True


def _why(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def store_meeting(
    ws: Workspace,
    meeting: Meeting,
    scorecard: Mapping[str, Any] | None,
    *,
    manager_email: str | None,
    rep_email: str | None,
    kind: str = "recorded",
    acts: Sequence[Iterable[str]] | None = None,
    source_file: str | None = None,
    matched_by: str | None = "given",
    scenario_id: str | None = None,
    seed: int | None = None,
) -> bool:
    with ws.write() as s:
        ids: dict[str, int | None] = {}
        for what, email in (("manager", manager_email), ("rep", rep_email)):
            if email is None:
                ids[what] = None
                continue
            found = s.scalars(select(Person.id).where(Person.email == email.lower())).first()
            if found is None:
                raise WorkspaceError(f"{what} {email} is not in the workspace roster")
            ids[what] = found
        return insert_meeting(
            s,
            meeting,
            scorecard,
            manager_id=ids["manager"],
            rep_id=ids["rep"],
            kind=kind,
            acts=acts,
            source_file=source_file,
            matched_by=matched_by,
            scenario_id=scenario_id,
            seed=seed,
        )


def list_meetings(
    ws: Workspace,
    *,
    manager: str | None = None,
    rep: str | None = None,
    week: date | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Stored meetings (newest first) with manager/rep e-mails and behaviour scores.

    A ``manager`` or ``rep`` e-mail that is not in the roster is an error (an empty list
    would read as "no meetings yet" when the address is mistyped).
    """
    from coachloop.workspace.roster import person_by_email

    with ws.session() as s:
        for email in (manager, rep):
            if email:
                person_by_email(s, email)
    m, r = aliased(Person), aliased(Person)
    q = (
        select(MeetingRow, m.email, r.email)
        .outerjoin(m, MeetingRow.manager_id == m.id)
        .outerjoin(r, MeetingRow.rep_id == r.id)
    )
    if manager:
        q = q.where(m.email == manager.lower())
    if rep:
        q = q.where(r.email == rep.lower())
    if week:
        q = q.where(MeetingRow.week == week)
    if kind:
        q = q.where(MeetingRow.kind == kind)
    q = q.order_by(MeetingRow.started_at.desc(), MeetingRow.id)
    with ws.session() as s:
        rows = s.execute(q).all()
        ids = [row[0].id for row in rows]
        scores: dict[str, dict[str, float | None]] = {i: {} for i in ids}
        rep_ratings: dict[str, tuple[int, str | None]] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for b in s.scalars(select(BehaviorScore).where(BehaviorScore.meeting_id.in_(part))):
                scores[b.meeting_id][b.behavior] = b.score
            for rr in s.scalars(
                select(RepMeetingRating).where(RepMeetingRating.meeting_id.in_(part))
            ):
                rep_ratings[rr.meeting_id] = (rr.rating, rr.comment)
        return [
            {
                "id": row.id,
                "kind": row.kind,
                "manager_email": me,
                "rep_email": re_,
                "started_at": row.started_at,
                "week": row.week,
                "duration_s": row.duration_s,
                "title": row.title,
                "source_format": row.source_format,
                "source_file": row.source_file,
                "matched_by": row.matched_by,
                "scenario_id": row.scenario_id,
                "scores": scores[row.id],
                "rep_rating": rep_ratings.get(row.id, (None, None))[0],
                "rep_comment": rep_ratings.get(row.id, (None, None))[1],
            }
            for row, me, re_ in rows
        ]
