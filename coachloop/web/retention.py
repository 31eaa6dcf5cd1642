"""Retention: raw transcripts are deleted after a configurable number of days; scores stay."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from coachloop.errors import ConfigError
from coachloop.workspace.core import Workspace
from coachloop.workspace.models import MeetingRow, UtteranceRow


def apply_retention(ws: Workspace, *, days: int, today: date) -> dict[str, Any]:
    """Delete the utterances of meetings that started more than ``days`` days before
    ``today``. Meetings, signals and behaviour scores (with their evidence) are kept."""
    if days < 1:
        raise ConfigError(
            f"a retention period of {days} days would delete recent transcripts",
            hint="keep at least 1 day, e.g. --days 365",
            code="CL310",
        )
    cutoff = datetime.combine(today - timedelta(days=days), time.min, tzinfo=UTC)
    with ws.write() as s:
        old = select(MeetingRow.id).where(MeetingRow.started_at < cutoff)
        n_utts = (
            s.scalar(
                select(func.count())
                .select_from(UtteranceRow)
                .where(UtteranceRow.meeting_id.in_(old))
            )
            or 0
        )
        n_meetings = (
            s.scalar(
                select(func.count(func.distinct(UtteranceRow.meeting_id))).where(
                    UtteranceRow.meeting_id.in_(old)
                )
            )
            or 0
        )
        s.execute(delete(UtteranceRow).where(UtteranceRow.meeting_id.in_(old)))
    return {
        "cutoff": cutoff.date().isoformat(),
        "meetings": int(n_meetings),
        "utterances": int(n_utts),
    }
