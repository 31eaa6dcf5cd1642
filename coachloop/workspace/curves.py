"""Curves: a manager's weekly series per behaviour, with a trend and a test for change.

Recorded 1:1s and practice sessions are separate series, never mixed. A weekly value is
the length-weighted mean of the week's scores (as in the cycle); ``hold_cadence`` and
``protect_rep_calendars`` come from the stored manager-week calendar scores (written by
``coachloop cycle`` and ``coachloop calendar import``). The statistics are
:func:`coachloop.analytics.curves.trend` (OLS slope with a 95 % HAC confidence interval
and a Bonferroni-corrected Chow change-point test) and
:func:`coachloop.analytics.curves.compare_series`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from coachloop.errors import WorkspaceError
from coachloop.workspace._csv import iso_week
from coachloop.workspace.cycle import BEHAVIORS, CALENDAR
from coachloop.workspace.models import BehaviorScore, ManagerWeekScore, MeetingRow, Person
from coachloop.workspace.roster import person_by_email
from coachloop.workspace.store import _jsonable

if TYPE_CHECKING:
    from coachloop.workspace.core import Workspace


def weekly_series(
    ws: Workspace, manager_id: int, *, kind: str
) -> dict[str, list[tuple[date, float, int]]]:
    """behaviour -> [(week, value, meetings)] for the manager's meetings of ``kind``."""
    q = (
        select(MeetingRow.week, MeetingRow.duration_s, BehaviorScore.behavior, BehaviorScore.score)
        .join(BehaviorScore, BehaviorScore.meeting_id == MeetingRow.id)
        .where(MeetingRow.manager_id == manager_id, MeetingRow.kind == kind)
        .where(BehaviorScore.score.is_not(None), MeetingRow.week.is_not(None))
    )
    with ws.session() as s:
        withdrawn = list(s.scalars(select(Person.id).where(Person.consent.is_(False))))
    if withdrawn:  # reps who withdrew consent: their 1:1s no longer count
        q = q.where(or_(MeetingRow.rep_id.is_(None), MeetingRow.rep_id.not_in(withdrawn)))
    cells: dict[str, dict[date, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    with ws.session() as s:
        for week, dur, behavior, score in s.execute(q):
            if week is None or score is None:
                continue
            cells[behavior][week].append((float(score), max(float(dur), 1.0)))
        if kind == "recorded":
            cq = select(ManagerWeekScore).where(
                ManagerWeekScore.manager_id == manager_id,
                ManagerWeekScore.behavior.in_(CALENDAR),
                ManagerWeekScore.score.is_not(None),
            )
            for row in s.scalars(cq):
                cells[row.behavior][row.week] = [(float(row.score or 0.0), 1.0)]
    return {
        b: [
            (w, sum(v * x for v, x in c) / sum(x for _, x in c), len(c))
            for w, c in sorted(weeks.items())
        ]
        for b, weeks in cells.items()
    }


def manager_curves(
    ws: Workspace, manager: str, *, behavior: str | None = None
) -> list[dict[str, Any]]:
    from coachloop.analytics.curves import compare_series

    if behavior is not None and behavior not in BEHAVIORS:
        raise WorkspaceError(
            f"unknown behaviour {behavior!r}", hint="use one of " + ", ".join(BEHAVIORS)
        )
    with ws.session() as s:
        person = person_by_email(s, manager)
        manager_id, email = person.id, person.email
        if not person.consent:
            raise WorkspaceError(f"{email} has not consented (consent=false); nothing is shown")
    recorded = weekly_series(ws, manager_id, kind="recorded")
    practice = weekly_series(ws, manager_id, kind="practice")
    out = []
    for b in [behavior] if behavior else list(BEHAVIORS):
        rec = recorded.get(b, [])
        pra = practice.get(b, [])
        rec_pts = [(w, v) for w, v, _ in rec]
        pra_pts = [(w, v) for w, v, _ in pra]
        comparison = compare_series(rec_pts, pra_pts)
        out.append(
            {
                "manager": email,
                "behavior": b,
                "recorded": [
                    {
                        "week": iso_week(w),
                        "week_start": w.isoformat(),
                        "score": round(v, 2),
                        "meetings": n,
                    }
                    for w, v, n in rec
                ],
                "practice": [
                    {
                        "week": iso_week(w),
                        "week_start": w.isoformat(),
                        "score": round(v, 2),
                        "sessions": n,
                    }
                    for w, v, n in pra
                ],
                "recorded_trend": _jsonable(asdict(comparison.recorded)),
                "practice_trend": _jsonable(asdict(comparison.practice)),
                "comparison": {
                    "common_weeks": comparison.common_weeks,
                    "mean_gap": comparison.mean_gap,
                    "correlation": comparison.correlation,
                    "correlation_p": comparison.correlation_p,
                    "summary": comparison.summary,
                },
            }
        )
    return out
