"""Landing practice sessions in the workspace.

A finished session is stored as a meeting of kind ``"practice"`` (transcript, acts,
scorecard, scenario id and seed) through the workspace's one write path,
:meth:`coachloop.workspace.Workspace.store_meeting`. Curves read practice meetings as
their own series (``kind="practice"``), never mixed with recorded 1:1s.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from coachloop.errors import PracticeError

if TYPE_CHECKING:
    from coachloop.practice.engine import PracticeSession
    from coachloop.workspace import Workspace


def store_session(
    session: PracticeSession,
    workspace: Workspace,
    *,
    manager_email: str | None = None,
    started_at: datetime | None = None,
) -> dict[str, Any]:
    """Store a finished session; returns ``{"meeting_id", "stored", "scores"}``.

    ``stored`` is False when the same meeting id was already there (same transcript at
    the same time). ``manager_email`` links it to the manager's curve (must be in the
    workspace roster).
    """
    from coachloop.practice.engine import SessionState

    if session.status is not SessionState.FINISHED:
        raise PracticeError(
            "only a finished session can be stored",
            hint="call finish() first",
            code="CL640",
        )
    debrief = session.finish()
    when = started_at or datetime.now(UTC)
    meeting = session.to_meeting()
    meeting = replace(
        meeting,
        id=f"{meeting.id}-{when:%Y%m%dT%H%M%S}",
        started_at=when,
        meta={**meeting.meta, "debrief": debrief.to_dict()},
    )
    acts = [list(t.acts) for t in session.turns]
    stored = workspace.store_meeting(
        meeting,
        debrief.scorecard,
        manager_email=manager_email,
        rep_email=None,
        kind="practice",
        acts=acts,
        scenario_id=session.scenario.id,
        seed=session.seed,
    )
    scores = {
        bid: b.get("score") for bid, b in ((debrief.scorecard or {}).get("behaviors") or {}).items()
    }
    return {"meeting_id": meeting.id, "stored": stored, "scores": scores}
