"""The JSON/CSV API under ``/api``, with the same permissions as the pages.

Errors are ``{"error": {"code": "CL…", "message": "…"}}`` with an HTTP status.
State-changing calls need the ``X-CSRF-Token`` header (the session's token,
``GET /api/session`` returns it).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from coachloop.errors import InputError
from coachloop.web import data
from coachloop.web.deps import AuthDep, CsrfDep, ReaderDep, SettingsDep, WsDep, forbid

router = APIRouter(prefix="/api", tags=["api"])


class RatingIn(BaseModel):
    rating: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=2000)


def _csv(rows: list[dict[str, Any]], columns: list[str], filename: str) -> Response:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/session")
def session_info(auth: AuthDep) -> dict[str, Any]:
    """Who is signed in, their role, and the CSRF token for state-changing calls."""
    return {
        "email": auth.user.email,
        "role": auth.user.role,
        "person_id": auth.user.person_id,
        "csrf_token": auth.session.csrf_token,
    }


@router.get("/managers", response_model=None)
def managers(reader: ReaderDep, format: str = "json") -> Any:
    """Every manager the caller may see × the seven behaviours (latest score, delta, focus)."""
    if reader.viewer.role not in ("admin", "director"):
        raise forbid("list managers")
    ov = reader.overview()
    reader.audit(action="api", resource="/api/managers", subject_person_id=None)
    if format == "csv":
        rows = []
        for m in ov["managers"]:
            row = {
                k: m[k]
                for k in ("id", "name", "email", "team", "cohort", "focus", "practice_sessions")
            }
            for b, v in m["behaviors"].items():
                row[b] = v["score"]
                row[f"{b}_delta"] = v["delta"]
            rows.append(row)
        cols = ["id", "name", "email", "team", "cohort", "focus", "practice_sessions"]
        for b in data.BEHAVIOR_LABELS:
            cols += [b, f"{b}_delta"]
        return _csv(rows, cols, "managers.csv")
    if format != "json":
        raise InputError(f"unknown format {format!r}", hint="use format=json or format=csv")
    # Plain JSON already: skip FastAPI's jsonable_encoder walk (slow for 200 managers).
    return JSONResponse(ov)


@router.get("/managers/{manager_id}", response_model=None)
def manager(manager_id: int, reader: ReaderDep, format: str = "json") -> Any:
    """A manager's curves (recorded and practice), focus, meetings, health and ratings."""
    detail = reader.manager(manager_id)
    reader.audit(
        action="api",
        resource=f"/api/managers/{manager_id}",
        subject_person_id=manager_id,
    )
    if format == "csv":
        rows = [
            {"behavior": b, "series": kind, "week": p["week"], "score": p["score"]}
            for b, c in detail["curves"].items()
            for kind in ("recorded", "practice")
            for p in c[kind]
        ]
        return _csv(
            rows, ["behavior", "series", "week", "score"], f"manager-{manager_id}-curves.csv"
        )
    if format != "json":
        raise InputError(f"unknown format {format!r}", hint="use format=json or format=csv")
    return JSONResponse(jsonable_encoder(detail))


@router.get("/meetings/{meeting_id}")
def meeting(meeting_id: str, reader: ReaderDep) -> dict[str, Any]:
    """One meeting: transcript with acts, signals, behaviour scores with evidence."""
    m = reader.meeting(meeting_id)
    reader.audit(
        action="api",
        resource=f"/api/meetings/{meeting_id}",
        subject_person_id=m["manager_id"],
    )
    return m


@router.post("/meetings/{meeting_id}/rating")
def rate(meeting_id: str, body: RatingIn, ws: WsDep, auth: CsrfDep) -> dict[str, Any]:
    """The rep's 1–5 rating of their 1:1 (only the rep in it may rate it)."""
    data.rate_meeting(ws, auth.viewer, meeting_id, body.rating, body.comment)
    return {"meeting_id": meeting_id, "rating": body.rating}


@router.get("/me/meetings")
def my_meetings(ws: WsDep, auth: AuthDep) -> list[dict[str, Any]]:
    return data.rep_meetings(ws, auth.viewer)


@router.get("/audit")
def audit(ws: WsDep, auth: AuthDep) -> list[dict[str, Any]]:
    return data.audit_entries(ws, auth.viewer)


def _reject(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _safe_filename(raw: str | None) -> str:
    """The upload's base name, reduced to characters safe in any file system: never a
    path (no separators, no "..") and at most 120 characters, keeping the extension."""
    base = Path((raw or "").replace("\\", "/")).name
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^A-Za-z0-9_@+=,-]+", "_", stem).strip("_.")[:100] or "upload"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext)[:16]
    return f"{stem}.{ext}" if ext else stem


@router.post("/transcripts")
async def upload(
    request: Request,
    ws: WsDep,
    settings: SettingsDep,
    auth: CsrfDep,
    file: Annotated[UploadFile, File()],
    manager_email: Annotated[str | None, Form()] = None,
    rep_email: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """Upload one transcript: the same readers, validation, matching and scoring as
    ``coachloop ingest``; the answer is the ingest summary."""
    if auth.viewer.role not in ("admin", "manager"):
        raise forbid("upload transcripts")
    manager_email = (manager_email or "").strip().lower() or None
    rep_email = (rep_email or "").strip().lower() or None
    if auth.viewer.role == "manager" and manager_email and manager_email != auth.user.email:
        raise forbid("upload another manager's 1:1s")
    if auth.viewer.role == "manager":
        manager_email = auth.user.email
        if not rep_email:
            return _reject(422, "CL830", "rep_email: give the e-mail of the rep in this 1:1")
    if bool(manager_email) != bool(rep_email):
        return _reject(
            422,
            "CL830",
            "give both manager_email and rep_email, or neither (then the roster matches)",
        )
    name = _safe_filename(file.filename)
    limit = settings.max_upload_bytes
    tmp = Path(tempfile.mkdtemp(prefix="coachloop-upload-"))
    try:
        target = tmp / name
        size = 0
        with target.open("wb") as out:
            while chunk := await file.read(1 << 16):
                size += len(chunk)
                if size > limit:
                    return _reject(
                        413,
                        "CL231",
                        f"{name}: the upload is larger than {limit} bytes; split the "
                        "recording or raise COACHLOOP_WEB_MAX_UPLOAD_BYTES",
                    )
                out.write(chunk)
        if manager_email or rep_email:
            import json as _json

            sidecar = {
                k: v
                for k, v in {"manager_email": manager_email, "rep_email": rep_email}.items()
                if v
            }
            (tmp / f"{name}.json").write_text(_json.dumps(sidecar))
        # Reading and scoring take a while: off the event loop, so other requests go on.
        result = await run_in_threadpool(ws.ingest, [target], jobs=1)
        report = result.to_dict()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # The server's temporary folder is no business of the client's: name the upload only.
    for item in report.get("failed", []):
        item["file"] = name
        item["error"] = str(item.get("error", "")).replace(f"{tmp}/", "")
    for item in report.get("skipped", []):
        item["file"] = name
    status = 422 if report.get("failed") else 200
    if status == 422:
        first = str(report["failed"][0]["error"])
        message = first if first.startswith(name) else f"{name}: {first}"
        return JSONResponse(
            {"error": {"code": "CL200", "message": message}, "summary": report},
            status_code=status,
        )
    return JSONResponse(report, status_code=status)
