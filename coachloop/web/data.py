"""Read models for the dashboard and the API: plain dicts, permission-filtered.

Every function takes the :class:`~coachloop.web.access.Viewer` and returns only what
that viewer may see; callers record views of other people's data with :func:`audit`.
Weekly scores come from one grouped query over stored behaviour scores (weighted by
meeting length) plus the manager-level scores (calendars, calibration); the result
is cached per workspace *version* (row counts and last-change times of the tables it
reads), so a page view after an ingest, a roster change or a cycle is never stale.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coachloop.errors import AccessError
from coachloop.scoring import BEHAVIOR_IDS
from coachloop.web.access import Viewer, may_see_manager, may_see_meeting, scope_for, visible_until
from coachloop.web.models import AuditEntry, DebriefNote, User
from coachloop.workspace.core import Workspace
from coachloop.workspace.models import (
    BehaviorScore,
    Cycle,
    ManagerWeekScore,
    MeetingRow,
    Person,
    RepMeetingRating,
    ReportingLine,
    UtteranceRow,
)

BEHAVIOR_LABELS: dict[str, str] = {
    "ask_before_tell": "Ask before tell",
    "one_behavior_per_cycle": "One behaviour per cycle",
    "evidence_based_feedback": "Evidence-based feedback",
    "behavior_not_outcome": "Behaviour, not outcome",
    "calibrate_against_team": "Calibrate against team",
    "protect_rep_calendars": "Protect rep calendars",
    "hold_cadence": "Hold 1:1 cadence",
}


@dataclass
class Snapshot:
    """Everything the overview and manager pages need, computed once per version."""

    people: dict[int, dict[str, Any]]
    reports: dict[int, list[int]]
    #: (manager_id, kind) -> behavior -> week -> (score, meetings)
    series: dict[tuple[int, str], dict[str, dict[date, tuple[float, int]]]]
    focus: dict[int, dict[str, Any]]
    practice_counts: dict[int, int] = field(default_factory=dict)
    #: (manager_id, visible until) -> the curves with their trend tests; the tests fit
    #: dozens of small regressions per manager, so they are computed once per version
    curves: dict[tuple[int, date | None], dict[str, dict[str, Any]]] = field(default_factory=dict)


class _Cache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._value: Snapshot | None = None

    def get(self, key: tuple[Any, ...]) -> Snapshot | None:
        with self._lock:
            return self._value if key == self._key else None

    def put(self, key: tuple[Any, ...], value: Snapshot) -> None:
        with self._lock:
            self._key, self._value = key, value


_caches: dict[str, _Cache] = {}


def _version(s: Session) -> tuple[Any, ...]:
    # One statement (it runs on every request). Meetings are content-addressed and only
    # ever added, so their count moves with every change; a max() over meetings would
    # scan the table (no index on ingested_at) and cost more than the rest together.
    return tuple(
        s.execute(
            select(
                select(func.count()).select_from(MeetingRow).scalar_subquery(),
                select(func.count()).select_from(ManagerWeekScore).scalar_subquery(),
                select(func.count()).select_from(Cycle).scalar_subquery(),
                select(func.max(Cycle.created_at)).scalar_subquery(),
                select(func.count()).select_from(Person).scalar_subquery(),
                select(func.max(Person.updated_at)).scalar_subquery(),
                select(func.count()).select_from(ReportingLine).scalar_subquery(),
            )
        ).one()
    )


def snapshot(ws: Workspace) -> Snapshot:
    cache = _caches.setdefault(ws.url, _Cache())
    with ws.session() as s:
        key = _version(s)
        hit = cache.get(key)
        if hit is not None:
            return hit
        snap = _build_snapshot(s)
    cache.put(key, snap)
    return snap


def _build_snapshot(s: Session) -> Snapshot:
    people = {
        p.id: {
            "id": p.id,
            "name": p.name,
            "email": p.email,
            "role": p.role,
            "team": p.team,
            "cohort": p.cohort,
            "consent": p.consent,
        }
        for p in s.scalars(select(Person))
    }
    reports: dict[int, list[int]] = defaultdict(list)
    for line in s.scalars(select(ReportingLine).where(ReportingLine.valid_to.is_(None))):
        reports[line.manager_id].append(line.person_id)
    for pid, line_manager in _current_manager(s).items():
        people[pid]["manager_id"] = line_manager

    series: dict[tuple[int, str], dict[str, dict[date, tuple[float, int]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    weighted = func.sum(BehaviorScore.score * MeetingRow.duration_s) / func.sum(
        MeetingRow.duration_s
    )
    rows = s.execute(
        select(
            MeetingRow.manager_id,
            MeetingRow.kind,
            MeetingRow.week,
            BehaviorScore.behavior,
            weighted,
            func.count(),
        )
        .join(MeetingRow, MeetingRow.id == BehaviorScore.meeting_id)
        .where(BehaviorScore.score.is_not(None), MeetingRow.manager_id.is_not(None))
        .group_by(MeetingRow.manager_id, MeetingRow.kind, MeetingRow.week, BehaviorScore.behavior)
    )
    for manager_id, kind, week, behavior, score, n in rows:
        if week is None or score is None or manager_id is None:
            continue
        series[(int(manager_id), str(kind))][behavior][week] = (float(score), int(n))
    for mws in s.scalars(select(ManagerWeekScore).where(ManagerWeekScore.score.is_not(None))):
        series[(mws.manager_id, "recorded")][mws.behavior][mws.week] = (float(mws.score or 0.0), 0)

    focus: dict[int, dict[str, Any]] = {}
    for cyc in s.scalars(select(Cycle).order_by(Cycle.cycle_start)):
        before = focus.get(cyc.manager_id)
        focus[cyc.manager_id] = {
            "kept": before is not None and before["behavior"] == cyc.focus,
            "behavior": cyc.focus,
            "reason": cyc.reason,
            "cycle_start": cyc.cycle_start,
            "cycle_end": cyc.cycle_end,
            "scenario_id": cyc.scenario_id,
            "status": cyc.status,
        }
    practice_counts: dict[int, int] = {}
    for manager_id, n in s.execute(
        select(MeetingRow.manager_id, func.count())
        .where(MeetingRow.kind == "practice", MeetingRow.manager_id.is_not(None))
        .group_by(MeetingRow.manager_id)
    ):
        if manager_id is not None:
            practice_counts[int(manager_id)] = int(n)
    return Snapshot(
        people=people,
        reports=dict(reports),
        series={k: {b: dict(w) for b, w in v.items()} for k, v in series.items()},
        focus=focus,
        practice_counts=practice_counts,
    )


def _current_manager(s: Session) -> dict[int, int]:
    return {
        line.person_id: line.manager_id
        for line in s.scalars(select(ReportingLine).where(ReportingLine.valid_to.is_(None)))
    }


# -- viewers -------------------------------------------------------------------------------
def viewer_for(ws: Workspace, user: User) -> Viewer:
    snap = snapshot(ws)
    return Viewer(
        user_id=user.id,
        email=user.email,
        role=user.role,
        person_id=user.person_id,
        scope=scope_for(user.role, user.person_id, snap.reports),
    )


def audit(
    ws: Workspace,
    viewer: Viewer,
    *,
    action: str,
    resource: str,
    subject_person_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record a view of another person's data (own data is not logged)."""
    if subject_person_id is not None and subject_person_id == viewer.person_id:
        return
    with ws.write() as s:
        s.add(
            AuditEntry(
                user_id=viewer.user_id,
                user_email=viewer.email,
                action=action,
                resource=resource,
                subject_person_id=subject_person_id,
                detail=detail or {},
            )
        )


# -- org overview --------------------------------------------------------------------------
def _latest(points: dict[date, tuple[float, int]], until: date | None) -> list[tuple[date, float]]:
    return sorted((w, v[0]) for w, v in points.items() if until is None or w <= until)


def _round(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(x, 1)


def visible_managers(snap: Snapshot, viewer: Viewer, *, consent_required: bool) -> list[int]:
    out = []
    for pid, p in snap.people.items():
        if p["role"] != "manager":
            continue
        if consent_required and not p["consent"]:
            continue
        if may_see_manager(viewer, pid):
            out.append(pid)
    return sorted(out, key=lambda pid: snap.people[pid]["name"])


def overview(
    ws: Workspace,
    viewer: Viewer,
    *,
    today: date,
    self_first_days: int,
    consent_required: bool,
    min_group_size: int,
) -> dict[str, Any]:
    snap = snapshot(ws)
    rows = []
    for pid in visible_managers(snap, viewer, consent_required=consent_required):
        until = visible_until(viewer, pid, today=today, self_first_days=self_first_days)
        recorded = snap.series.get((pid, "recorded"), {})
        behaviors: dict[str, dict[str, Any]] = {}
        for b in BEHAVIOR_IDS:
            pts = _latest(recorded.get(b, {}), until)
            cur = pts[-1][1] if pts else None
            prev = pts[-2][1] if len(pts) > 1 else None
            behaviors[b] = {
                "score": _round(cur),
                "delta": _round(cur - prev) if cur is not None and prev is not None else None,
                "week": pts[-1][0].isoformat() if pts else None,
            }
        person = snap.people[pid]
        focus = snap.focus.get(pid)
        rows.append(
            {
                "id": pid,
                "name": person["name"],
                "email": person["email"],
                "team": person["team"],
                "cohort": person["cohort"],
                "behaviors": behaviors,
                "focus": focus["behavior"] if focus else None,
                "practice_sessions": snap.practice_counts.get(pid, 0),
            }
        )
    averages: dict[str, float | None] | None = None
    if viewer.role in ("admin", "director") and len(rows) >= min_group_size:
        averages = {}
        for b in BEHAVIOR_IDS:
            vals = [
                r["behaviors"][b]["score"] for r in rows if r["behaviors"][b]["score"] is not None
            ]
            averages[b] = _round(sum(vals) / len(vals)) if len(vals) >= min_group_size else None
    return {
        "behaviors": [{"id": b, "label": BEHAVIOR_LABELS[b]} for b in BEHAVIOR_IDS],
        "managers": rows,
        "averages": averages,
        "group_size": len(rows),
        "min_group_size": min_group_size,
    }


# -- manager page --------------------------------------------------------------------------
def manager_detail(
    ws: Workspace,
    viewer: Viewer,
    manager_id: int,
    *,
    today: date,
    self_first_days: int,
    consent_required: bool,
) -> dict[str, Any]:
    snap = snapshot(ws)
    person = snap.people.get(manager_id)
    if (
        person is not None
        and consent_required
        and not person["consent"]
        and viewer.person_id == manager_id
    ):
        # the manager themselves learns why their page is empty; everyone else gets 404
        raise AccessError(
            "your scores are not shown (to you or anyone) because the roster says "
            "consent=false; ask your admin to record your consent to see them again",
            code="CL803",
        )
    if (
        person is None
        or person["role"] != "manager"
        or (consent_required and not person["consent"])
    ):
        raise AccessError(f"no manager with id {manager_id}", code="CL804")
    if not may_see_manager(viewer, manager_id):
        raise AccessError("you may not see this manager's data", code="CL801")
    until = visible_until(viewer, manager_id, today=today, self_first_days=self_first_days)
    curves = snap.curves.get((manager_id, until))
    if curves is None:
        curves = _curves(snap, manager_id, until)
        snap.curves[(manager_id, until)] = curves
    with ws.session() as s:
        q = (
            select(MeetingRow)
            .where(MeetingRow.manager_id == manager_id)
            .order_by(MeetingRow.started_at.desc())
        )
        meetings = []
        for m in s.scalars(q):
            if until is not None and m.week is not None and m.week > until:
                continue
            meetings.append(_meeting_summary(m, snap))
        ratings = [
            {
                "meeting_id": r.meeting_id,
                "rep": snap.people.get(r.rep_id, {}).get("name"),
                "rating": r.rating,
                "comment": r.comment,
            }
            for r in s.scalars(
                select(RepMeetingRating)
                .join(MeetingRow, MeetingRow.id == RepMeetingRating.meeting_id)
                .where(MeetingRow.manager_id == manager_id)
            )
        ]
        mws = {
            (row.behavior, row.week): row
            for row in s.scalars(
                select(ManagerWeekScore).where(ManagerWeekScore.manager_id == manager_id)
            )
            if until is None or row.week <= until
        }
    health = {}
    for b in ("hold_cadence", "protect_rep_calendars", "calibrate_against_team"):
        weeks = sorted(w for (bb, w) in mws if bb == b)
        if weeks:
            row = mws[(b, weeks[-1])]
            health[b] = {
                "week": weeks[-1].isoformat(),
                "score": _round(row.score),
                "detail": row.detail,
            }
    moments = _evidence_moments(
        ws, [m["id"] for m in meetings if m["kind"] == "recorded"][:20], snap.focus.get(manager_id)
    )
    return {
        "manager": {k: person[k] for k in ("id", "name", "email", "team", "cohort")},
        "focus": snap.focus.get(manager_id),
        "curves": curves,
        "meetings": meetings,
        "rep_ratings": ratings,
        "health": health,
        "moments": moments,
        "visible_until": until.isoformat() if until else None,
    }


def _curves(snap: Snapshot, manager_id: int, until: date | None) -> dict[str, dict[str, Any]]:
    from coachloop.analytics.curves import trend

    curves: dict[str, dict[str, Any]] = {}
    for b in BEHAVIOR_IDS:
        rec = _latest(snap.series.get((manager_id, "recorded"), {}).get(b, {}), until)
        pra = _latest(snap.series.get((manager_id, "practice"), {}).get(b, {}), until)
        tr = trend(rec) if rec else None
        curves[b] = {
            "label": BEHAVIOR_LABELS[b],
            "recorded": [{"week": w.isoformat(), "score": round(v, 1)} for w, v in rec],
            "practice": [{"week": w.isoformat(), "score": round(v, 1)} for w, v in pra],
            "trend": _trend_dict(tr),
        }
    return curves


def _trend_dict(tr: Any) -> dict[str, Any] | None:
    if tr is None:
        return None
    out = {}
    for key in (
        "slope",
        "slope_per_week",
        "ci_low",
        "ci_high",
        "p_value",
        "change_week",
        "change_p",
        "reason",
    ):
        if hasattr(tr, key):
            val = getattr(tr, key)
            out[key] = val.isoformat() if hasattr(val, "isoformat") else val
    return out


def _meeting_summary(m: MeetingRow, snap: Snapshot) -> dict[str, Any]:
    behaviors = (m.scorecard or {}).get("behaviors", {})
    return {
        "id": m.id,
        "kind": m.kind,
        "week": m.week.isoformat() if m.week else None,
        "started_at": m.started_at.isoformat() if m.started_at else None,
        "duration_min": round(m.duration_s / 60, 1),
        "rep": snap.people.get(m.rep_id or -1, {}).get("name"),
        "title": m.title,
        "scores": {b: _round((behaviors.get(b) or {}).get("score")) for b in BEHAVIOR_IDS},
    }


def _evidence_moments(
    ws: Workspace, meeting_ids: list[str], focus: dict[str, Any] | None
) -> list[dict[str, Any]]:
    if not meeting_ids:
        return []
    wanted = [focus["behavior"]] if focus else list(BEHAVIOR_IDS)
    out: list[dict[str, Any]] = []
    with ws.session() as s:
        for row in s.scalars(
            select(BehaviorScore).where(
                BehaviorScore.meeting_id.in_(meeting_ids), BehaviorScore.behavior.in_(wanted)
            )
        ):
            for ev in (row.evidence or [])[:2]:
                if isinstance(ev, dict) and "quote" in ev:
                    out.append({"meeting_id": row.meeting_id, "behavior": row.behavior, **ev})
            if len(out) >= 6:
                break
    return out[:6]


# -- meeting page --------------------------------------------------------------------------
def meeting_detail(
    ws: Workspace,
    viewer: Viewer,
    meeting_id: str,
    *,
    today: date,
    self_first_days: int,
    consent_required: bool = True,
) -> dict[str, Any]:
    snap = snapshot(ws)
    with ws.session() as s:
        m = s.get(MeetingRow, meeting_id)
        if m is None:
            raise AccessError(f"no meeting {meeting_id[:12]}", code="CL804")
        # Consent withdrawn after ingest hides the meeting from everyone else, as the
        # overview and the manager page do.
        if consent_required and viewer.person_id not in (m.manager_id, m.rep_id):
            for pid in (m.manager_id, m.rep_id):
                if pid is not None and not snap.people.get(pid, {}).get("consent", True):
                    raise AccessError(f"no meeting {meeting_id[:12]}", code="CL804")
        if not may_see_meeting(viewer, m.manager_id, m.rep_id):
            raise AccessError("you may not see this meeting", code="CL801")
        if m.manager_id is not None and m.week is not None and viewer.person_id != m.rep_id:
            until = visible_until(
                viewer, m.manager_id, today=today, self_first_days=self_first_days
            )
            if until is not None and m.week > until:
                raise AccessError(
                    "this meeting is still in its manager's self-first window", code="CL802"
                )
        utts = [
            {
                "index": u.index,
                "speaker": u.speaker,
                "role": u.role,
                "start": u.start,
                "end": u.end,
                "text": u.text,
                "acts": sorted(u.acts or []),
            }
            for u in s.scalars(
                select(UtteranceRow)
                .where(UtteranceRow.meeting_id == meeting_id)
                .order_by(UtteranceRow.index)
            )
        ]
        rating = s.scalar(select(RepMeetingRating).where(RepMeetingRating.meeting_id == meeting_id))
        card = m.scorecard or {}
        rep_only = (
            not viewer.is_admin
            and viewer.person_id is not None
            and viewer.person_id == m.rep_id
            and viewer.person_id != m.manager_id
        )
        out = {
            "id": m.id,
            "kind": m.kind,
            "title": m.title,
            "week": m.week.isoformat() if m.week else None,
            "started_at": m.started_at.isoformat() if m.started_at else None,
            "duration_min": round(m.duration_s / 60, 1),
            "manager": snap.people.get(m.manager_id or -1, {}).get("name"),
            "manager_id": m.manager_id,
            "rep": snap.people.get(m.rep_id or -1, {}).get("name"),
            "rep_id": m.rep_id,
            "utterances": utts,
            "transcript_deleted": not utts,
            # A rep reads the transcript of their own 1:1, never their manager's scores.
            "signals": {} if rep_only else card.get("signals", {}),
            "behaviors": {} if rep_only else card.get("behaviors", {}),
            "caveats": [] if rep_only else card.get("caveats", []),
            "scores_hidden": rep_only,
            "rep_rating": {"rating": rating.rating, "comment": rating.comment} if rating else None,
        }
    out["monologues"] = _monologues(utts)
    return out


def _monologues(utts: list[dict[str, Any]], *, min_s: float = 76.0) -> list[int]:
    """Indexes starting a run of one speaker longer than ``min_s`` seconds."""
    marks: list[int] = []
    run_start = 0
    for i in range(1, len(utts) + 1):
        if i == len(utts) or utts[i]["speaker"] != utts[run_start]["speaker"]:
            first, last = utts[run_start], utts[i - 1]
            end = last["end"] if last["end"] is not None else last["start"]
            if end - first["start"] >= min_s:
                marks.append(first["index"])
            run_start = i
    return marks


def rate_meeting(
    ws: Workspace, viewer: Viewer, meeting_id: str, rating: int, comment: str | None
) -> None:
    if not 1 <= rating <= 5:
        raise AccessError("a rating is a whole number from 1 to 5", code="CL810")
    with ws.write() as s:
        m = s.get(MeetingRow, meeting_id)
        if m is None or viewer.person_id is None or m.rep_id != viewer.person_id:
            raise AccessError("only the rep in a 1:1 can rate it", code="CL801")
        row = s.scalar(
            select(RepMeetingRating).where(
                RepMeetingRating.meeting_id == meeting_id,
                RepMeetingRating.rep_id == viewer.person_id,
            )
        )
        if row is None:
            s.add(
                RepMeetingRating(
                    meeting_id=meeting_id, rep_id=viewer.person_id, rating=rating, comment=comment
                )
            )
        else:
            row.rating, row.comment = rating, comment


# -- rep page --------------------------------------------------------------------------------
def rep_meetings(ws: Workspace, viewer: Viewer) -> list[dict[str, Any]]:
    if viewer.person_id is None:
        return []
    snap = snapshot(ws)
    with ws.session() as s:
        rated = {
            r.meeting_id: r.rating
            for r in s.scalars(
                select(RepMeetingRating).where(RepMeetingRating.rep_id == viewer.person_id)
            )
        }
        return [
            {
                **_meeting_summary(m, snap),
                "manager": snap.people.get(m.manager_id or -1, {}).get("name"),
                "my_rating": rated.get(m.id),
            }
            for m in s.scalars(
                select(MeetingRow)
                .where(MeetingRow.rep_id == viewer.person_id, MeetingRow.kind == "recorded")
                .order_by(MeetingRow.started_at.desc())
            )
        ]


# -- debrief ---------------------------------------------------------------------------------
def debrief(
    ws: Workspace,
    viewer: Viewer,
    manager_id: int,
    *,
    today: date,
    self_first_days: int,
    consent_required: bool,
) -> dict[str, Any]:
    detail = manager_detail(
        ws,
        viewer,
        manager_id,
        today=today,
        self_first_days=self_first_days,
        consent_required=consent_required,
    )
    with ws.session() as s:
        notes = [
            {
                "week": n.week.isoformat(),
                "notes": n.notes,
                "created_at": n.created_at.isoformat(),
                "snapshot": n.snapshot,
            }
            for n in s.scalars(
                select(DebriefNote)
                .where(DebriefNote.manager_id == manager_id)
                .order_by(DebriefNote.created_at.desc())
            )
        ]
    since = date.fromisoformat(str(notes[0]["week"])) if notes else None
    deltas = {}
    for b, c in detail["curves"].items():
        pts = c["recorded"]
        if not pts:
            continue
        cur = pts[-1]
        base = next(
            (
                p
                for p in reversed(pts)
                if since is not None and date.fromisoformat(p["week"]) <= since
            ),
            pts[0],
        )
        deltas[b] = {
            "label": c["label"],
            "now": cur["score"],
            "then": base["score"],
            "since": base["week"],
            "delta": round(cur["score"] - base["score"], 1),
        }
    questions = _questions(detail, deltas)
    return {
        **detail,
        "deltas": deltas,
        "notes": notes,
        "questions": questions,
        "since": since.isoformat() if since else None,
    }


def _questions(detail: dict[str, Any], deltas: dict[str, dict[str, Any]]) -> list[str]:
    from coachloop.analytics.focus import FocusDecision, suggest_debrief_questions

    focus = detail.get("focus") or {}
    decision = FocusDecision(
        behavior=focus.get("behavior"),
        reason=focus.get("reason", ""),
        cycle_start=focus.get("cycle_start") or date.today(),
        kept=True,
    )
    return [
        str(q)
        for q in suggest_debrief_questions(decision, {b: d["delta"] for b, d in deltas.items()})
    ]


def save_debrief_note(
    ws: Workspace,
    viewer: Viewer,
    manager_id: int,
    notes: str,
    snapshot_data: dict[str, Any],
    *,
    today: date,
) -> None:
    if not may_see_manager(viewer, manager_id) or (
        viewer.person_id == manager_id and not viewer.is_admin
    ):
        raise AccessError(
            "only the manager's manager (or an admin) writes debrief notes", code="CL801"
        )
    if not notes.strip():
        raise AccessError("the note is empty: write what you agreed", code="CL811")
    week = today - timedelta(days=today.weekday())
    with ws.write() as s:
        s.add(
            DebriefNote(
                manager_id=manager_id,
                author_user_id=viewer.user_id,
                week=week,
                notes=notes.strip(),
                snapshot=snapshot_data,
            )
        )


def audit_entries(ws: Workspace, viewer: Viewer, *, limit: int = 500) -> list[dict[str, Any]]:
    if not viewer.is_admin:
        raise AccessError("only admins read the audit log", code="CL801")
    snap = snapshot(ws)
    with ws.session() as s:
        return [
            {
                "at": e.at.isoformat(),
                "user": e.user_email,
                "action": e.action,
                "resource": e.resource,
                "subject": snap.people.get(e.subject_person_id or -1, {}).get("name"),
            }
            for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        ]


def people_ids(emails: Iterable[str], snap: Snapshot) -> dict[str, int]:
    wanted = {e.lower() for e in emails}
    return {p["email"]: pid for pid, p in snap.people.items() if p["email"] in wanted}
