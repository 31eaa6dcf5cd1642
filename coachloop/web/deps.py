"""Typed dependencies shared by every route: the workspace, settings, the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request

from coachloop.errors import AccessError
from coachloop.web import data
from coachloop.web.access import Viewer
from coachloop.web.accounts import session_user
from coachloop.web.data import viewer_for
from coachloop.web.models import User, WebSession
from coachloop.web.security import SESSION_COOKIE, CookieSigner, tokens_match
from coachloop.web.settings import WebSettings
from coachloop.workspace.core import Workspace


class LoginRequired(Exception):
    """Raised when a route needs a signed-in user; pages redirect, the API answers 401."""


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


def get_ws(request: Request) -> Workspace:
    ws: Workspace = request.app.state.ws
    return ws


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


@dataclass(frozen=True)
class Auth:
    user: User
    session: WebSession
    viewer: Viewer


def get_auth(request: Request, ws: Annotated[Workspace, Depends(get_ws)]) -> Auth:
    signer: CookieSigner = request.app.state.signer
    found = session_user(ws, signer.unsign(request.cookies.get(SESSION_COOKIE)))
    if found is None:
        raise LoginRequired()
    sess, user = found
    return Auth(user=user, session=sess, viewer=viewer_for(ws, user))


async def check_csrf(request: Request, auth: Annotated[Auth, Depends(get_auth)]) -> Auth:
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not tokens_match(auth.session.csrf_token, given):
        raise CsrfFailed()
    return auth


def today(request: Request) -> date:
    """The app's today (tests and the demo can pin it through ``app.state.today``)."""
    pinned: date | None = getattr(request.app.state, "today", None)
    return pinned or date.today()


WsDep = Annotated[Workspace, Depends(get_ws)]
SettingsDep = Annotated[WebSettings, Depends(get_settings)]
AuthDep = Annotated[Auth, Depends(get_auth)]
CsrfDep = Annotated[Auth, Depends(check_csrf)]
TodayDep = Annotated[date, Depends(today)]


def forbid(what: str) -> AccessError:
    return AccessError(f"you may not {what}", code="CL801")


@dataclass(frozen=True)
class Reader:
    """The signed-in viewer's window on the workspace: every read is filtered by the
    permission rules with the app's settings and today; views are audited through it."""

    ws: Workspace
    auth: Auth
    settings: WebSettings
    today: date

    @property
    def viewer(self) -> Viewer:
        return self.auth.viewer

    def _scope(self) -> dict[str, Any]:
        """What every read of another person's data is filtered by."""
        return {
            "today": self.today,
            "self_first_days": self.settings.self_first_days,
            "consent_required": self.settings.consent_required,
        }

    def overview(self) -> dict[str, Any]:
        return data.overview(
            self.ws, self.viewer, min_group_size=self.settings.min_group_size, **self._scope()
        )

    def manager(self, manager_id: int) -> dict[str, Any]:
        return data.manager_detail(self.ws, self.viewer, manager_id, **self._scope())

    def meeting(self, meeting_id: str) -> dict[str, Any]:
        return data.meeting_detail(self.ws, self.viewer, meeting_id, **self._scope())

    def debrief(self, manager_id: int) -> dict[str, Any]:
        return data.debrief(self.ws, self.viewer, manager_id, **self._scope())

    def audit(
        self,
        *,
        action: str,
        resource: str,
        subject_person_id: int | None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        data.audit(
            self.ws,
            self.viewer,
            action=action,
            resource=resource,
            subject_person_id=subject_person_id,
            detail=detail,
        )


def get_reader(ws: WsDep, settings: SettingsDep, auth: AuthDep, today: TodayDep) -> Reader:
    return Reader(ws=ws, auth=auth, settings=settings, today=today)


ReaderDep = Annotated[Reader, Depends(get_reader)]
