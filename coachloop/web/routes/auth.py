"""Sign in and out. The login form carries its own CSRF token (a signed cookie pair)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coachloop.errors import AccessError
from coachloop.web.accounts import authenticate, close_session, open_session
from coachloop.web.deps import CsrfDep, SettingsDep, WsDep
from coachloop.web.security import SESSION_COOKIE, CookieSigner, new_token, tokens_match

router = APIRouter(tags=["auth"], include_in_schema=False)
LOGIN_CSRF_COOKIE = "coachloop_login"


def _safe_next(value: str | None) -> str:
    if not value:
        return "/"
    parsed = urlparse(value)
    if parsed.scheme or parsed.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    # Browsers read "/\\evil.com" as "//evil.com" and drop tabs and newlines, so a path
    # with a backslash or a control character could still leave the site.
    if "\\" in value or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return "/"
    return value


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None, error: str | None = None) -> Response:
    token = new_token()
    signer: CookieSigner = request.app.state.signer
    response = request.app.state.templates.TemplateResponse(
        request,
        "login.html",
        {"auth": None, "csrf": token, "next": _safe_next(next), "error": error},
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, signer.sign(token), httponly=True, samesite="strict")
    return response


@router.post("/login")
def login(
    request: Request,
    ws: WsDep,
    settings: SettingsDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    signer: CookieSigner = request.app.state.signer
    expected = signer.unsign(request.cookies.get(LOGIN_CSRF_COOKIE))
    if expected is None or not tokens_match(expected, csrf_token):
        return RedirectResponse(
            "/login?error=Your+sign-in+form+expired%3B+please+try+again", status_code=303
        )
    try:
        user = authenticate(ws, email, password)
    except AccessError:
        return RedirectResponse("/login?error=Wrong+e-mail+or+password", status_code=303)
    sess = open_session(ws, user, hours=settings.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signer.sign(sess.id),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_hours * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(ws: WsDep, auth: CsrfDep) -> Response:
    close_session(ws, auth.session.id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
