"""Server-rendered pages: overview, manager, meeting, debrief, rep's own 1:1s, audit log."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coachloop.web import data
from coachloop.web.deps import AuthDep, CsrfDep, ReaderDep, WsDep, forbid

router = APIRouter(tags=["pages"], include_in_schema=False)


def render(request: Request, template: str, auth: Any, **context: Any) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        template,
        {"auth": auth, "csrf": auth.session.csrf_token if auth else "", **context},
    )
    return response


@router.get("/", response_class=HTMLResponse)
def home(auth: AuthDep) -> Response:
    v = auth.viewer
    if v.role in ("admin", "director"):
        return RedirectResponse("/overview", status_code=303)
    if v.role == "manager" and v.person_id is not None:
        return RedirectResponse(f"/managers/{v.person_id}", status_code=303)
    return RedirectResponse("/me", status_code=303)


@router.get("/overview", response_class=HTMLResponse)
def overview(request: Request, reader: ReaderDep) -> Response:
    auth = reader.auth
    if auth.viewer.role not in ("admin", "director"):
        raise forbid("open the org overview")
    ov = reader.overview()
    reader.audit(
        action="view",
        resource="/overview",
        subject_person_id=None,
        detail={"managers": len(ov["managers"])},
    )
    return render(
        request,
        "overview.html",
        auth,
        ov=ov,
        ov_json=json.dumps(_heatmap_data(ov)),
        cells_by_row=_heat_cells(request, ov),
    )


def _heatmap_data(ov: dict[str, Any]) -> dict[str, Any]:
    """Only what the heatmap draws (the page embeds it; the full overview is the API's)."""
    return {
        "behaviors": ov["behaviors"],
        "managers": [
            {
                "name": m["name"],
                "behaviors": {
                    b: {"score": v["score"], "delta": v["delta"]} for b, v in m["behaviors"].items()
                },
            }
            for m in ov["managers"]
        ],
    }


def _heat_cells(request: Request, ov: dict[str, Any]) -> list[list[tuple[str, str, str, str]]]:
    """(background, sort value, score, delta) per manager × behaviour, formatted here:
    with 200 managers the same work as Jinja filters took most of the page's time."""
    filters = request.app.state.templates.env.filters
    heat, score, delta = filters["heat"], filters["score"], filters["delta"]
    ids = [b["id"] for b in ov["behaviors"]]
    out = []
    for m in ov["managers"]:
        row = []
        for b in ids:
            v = m["behaviors"][b]
            val = v["score"]
            row.append(
                (heat(val), str(val if val is not None else -1), score(val), delta(v["delta"]))
            )
        out.append(row)
    return out


@router.get("/managers/{manager_id}", response_class=HTMLResponse)
def manager(request: Request, manager_id: int, reader: ReaderDep) -> Response:
    auth = reader.auth
    detail = reader.manager(manager_id)
    reader.audit(
        action="view",
        resource=f"/managers/{manager_id}",
        subject_person_id=manager_id,
    )
    return render(
        request,
        "manager.html",
        auth,
        d=detail,
        curves_json=json.dumps(detail["curves"], default=str),
    )


@router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting(request: Request, meeting_id: str, reader: ReaderDep) -> Response:
    auth = reader.auth
    m = reader.meeting(meeting_id)
    reader.audit(
        action="view",
        resource=f"/meetings/{meeting_id}",
        subject_person_id=m["manager_id"],
    )
    evidence_at: dict[int, list[str]] = {}
    for b, res in m["behaviors"].items():
        for ev in (res or {}).get("evidence") or []:
            if isinstance(ev, dict) and isinstance(ev.get("index"), int):
                evidence_at.setdefault(ev["index"], []).append(data.BEHAVIOR_LABELS.get(b, b))
    return render(
        request, "meeting.html", auth, m=m, labels=data.BEHAVIOR_LABELS, evidence_at=evidence_at
    )


@router.post("/meetings/{meeting_id}/rating")
def rate(
    meeting_id: str,
    ws: WsDep,
    auth: CsrfDep,
    rating: Annotated[int, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    data.rate_meeting(ws, auth.viewer, meeting_id, rating, comment.strip() or None)
    return RedirectResponse("/me", status_code=303)


@router.get("/me", response_class=HTMLResponse)
def me(request: Request, ws: WsDep, auth: AuthDep) -> Response:
    return render(request, "me.html", auth, meetings=data.rep_meetings(ws, auth.viewer))


@router.get("/debrief/{manager_id}", response_class=HTMLResponse)
def debrief(request: Request, manager_id: int, reader: ReaderDep) -> Response:
    auth = reader.auth
    d = reader.debrief(manager_id)
    reader.audit(
        action="view",
        resource=f"/debrief/{manager_id}",
        subject_person_id=manager_id,
    )
    return render(request, "debrief.html", auth, d=d)


@router.post("/debrief/{manager_id}/notes")
def save_notes(
    manager_id: int,
    reader: ReaderDep,
    _csrf: CsrfDep,
    notes: Annotated[str, Form()],
) -> Response:
    d = reader.debrief(manager_id)
    data.save_debrief_note(
        reader.ws, reader.viewer, manager_id, notes, {"deltas": d["deltas"]}, today=reader.today
    )
    return RedirectResponse(f"/debrief/{manager_id}", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, ws: WsDep, auth: AuthDep) -> Response:
    return render(request, "audit.html", auth, entries=data.audit_entries(ws, auth.viewer))
