"""Practice in the browser: pick a scenario, talk to the virtual rep, get the debrief.

The engine's state is kept server-side (``practice_states``) between requests with
``PracticeSession.to_dict()``; a finished session is stored in the workspace as a
practice meeting, so it feeds the manager's practice curve.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from coachloop.errors import AccessError
from coachloop.web.deps import Auth, AuthDep, CsrfDep, WsDep
from coachloop.web.models import PracticeState
from coachloop.web.routes.pages import render
from coachloop.web.security import new_token
from coachloop.workspace.core import Workspace

router = APIRouter(tags=["practice"])


class Say(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


def _require_manager(auth: Auth) -> None:
    if auth.viewer.role not in ("manager", "admin"):
        raise AccessError("practice is for managers", code="CL801")


def _load(ws: Workspace, auth: Auth, session_id: str) -> tuple[PracticeState, Any]:
    from coachloop.practice import PracticeSession

    with ws.session() as s:
        row = s.get(PracticeState, session_id)
    if row is None or row.user_id != auth.user.id:
        raise AccessError("no such practice session", code="CL804")
    return row, PracticeSession.from_dict(row.state)


def _save(
    ws: Workspace,
    session_id: str,
    session: Any,
    *,
    finished: bool = False,
    meeting_id: str | None = None,
) -> None:
    with ws.write() as s:
        row = s.get(PracticeState, session_id)
        if row is not None:
            row.state = session.to_dict()
            row.finished = finished or row.finished
            if meeting_id:
                row.meeting_id = meeting_id


@router.get("/practice", response_class=HTMLResponse, include_in_schema=False)
def practice_home(request: Request, auth: AuthDep, focus: str | None = None) -> Response:
    from coachloop.practice import load_scenarios

    _require_manager(auth)
    scenarios = sorted(load_scenarios().values(), key=lambda sc: (sc.behavior, sc.id))
    return render(request, "practice_list.html", auth, scenarios=scenarios, focus=focus)


@router.post("/practice", include_in_schema=False)
def practice_start(ws: WsDep, auth: CsrfDep, scenario_id: Annotated[str, Form()]) -> Response:
    from coachloop.practice import PracticeSession, get_scenario

    _require_manager(auth)
    scenario = get_scenario(scenario_id)
    session = PracticeSession(
        scenario, seed=auth.user.id, manager_name=auth.user.email.split("@")[0].title()
    )
    session.start()
    sid = new_token()
    with ws.write() as s:
        s.add(
            PracticeState(
                id=sid, user_id=auth.user.id, scenario_id=scenario.id, state=session.to_dict()
            )
        )
    return RedirectResponse(f"/practice/{sid}", status_code=303)


@router.get("/practice/{session_id}", response_class=HTMLResponse, include_in_schema=False)
def practice_page(request: Request, session_id: str, ws: WsDep, auth: AuthDep) -> Response:
    row, session = _load(ws, auth, session_id)
    debrief = session.finish().to_dict() if row.finished else None
    return render(
        request,
        "practice.html",
        auth,
        sid=session_id,
        session=session,
        turns=session.transcript(),
        debrief=debrief,
    )


@router.post("/api/practice/{session_id}/say")
def practice_say(session_id: str, body: Say, ws: WsDep, auth: CsrfDep) -> JSONResponse:
    """Send the manager's line; returns the rep's reply and whether the session ended."""
    row, session = _load(ws, auth, session_id)
    if row.finished:
        raise AccessError("this practice session has finished", code="CL810")
    turn = session.send(body.text)
    ended = session.status.value == "finished"
    _save(ws, session_id, session)
    manager_turn = session.turns[-2].to_dict()
    return JSONResponse({"manager": manager_turn, "rep": turn.to_dict(), "ended": ended})


@router.post("/practice/{session_id}/say", include_in_schema=False)
def practice_say_form(
    session_id: str, ws: WsDep, auth: CsrfDep, text: Annotated[str, Form()]
) -> Response:
    row, session = _load(ws, auth, session_id)
    if not row.finished and session.status.value != "finished":
        session.send(text)
        _save(ws, session_id, session)
    return RedirectResponse(f"/practice/{session_id}", status_code=303)


@router.post("/practice/{session_id}/finish", include_in_schema=False)
def practice_finish(session_id: str, ws: WsDep, auth: CsrfDep) -> Response:
    from coachloop.practice.storage import store_session

    row, session = _load(ws, auth, session_id)
    if not row.finished:
        session.finish()
        manager_email = auth.user.email if auth.viewer.person_id is not None else None
        stored = store_session(session, ws, manager_email=manager_email)
        _save(ws, session_id, session, finished=True, meeting_id=stored.get("meeting_id"))
    return RedirectResponse(f"/practice/{session_id}", status_code=303)
