"""Local accounts and server-side sessions (library functions; the CLI and routes call them)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from coachloop.errors import AccessError, ConfigError
from coachloop.web.models import USER_ROLES, User, WebSession
from coachloop.web.security import MIN_PASSWORD_LENGTH, hash_password, new_token, verify_password
from coachloop.workspace.core import Workspace
from coachloop.workspace.models import Person, utcnow


def create_user(
    ws: Workspace, email: str, *, role: str, password: str, replace: bool = False
) -> User:
    """Create (or with ``replace`` reset) a local account, linked to the roster by e-mail."""
    email = email.strip().lower()
    if role not in USER_ROLES:
        raise ConfigError(f"unknown role {role!r}", hint=f"use one of {', '.join(USER_ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ConfigError(
            f"the password is shorter than {MIN_PASSWORD_LENGTH} characters",
            hint="choose a longer one",
        )
    with ws.write() as s:
        person = s.scalar(select(Person).where(Person.email == email))
        if role != "admin" and person is None:
            raise ConfigError(
                f"{email} is not in the roster",
                hint="import the roster first (coachloop roster import) or create an admin account",
            )
        user = s.scalar(select(User).where(User.email == email))
        if user is not None and not replace:
            raise ConfigError(
                f"an account for {email} exists already", hint="pass --replace to reset it"
            )
        if user is None:
            user = User(email=email, role=role, password_hash=hash_password(password))
            s.add(user)
        else:
            user.role, user.password_hash, user.disabled = role, hash_password(password), False
        user.person_id = person.id if person is not None else None
        s.flush()
        return user


def list_users(ws: Workspace) -> list[dict[str, object]]:
    with ws.session() as s:
        return [
            {"email": u.email, "role": u.role, "person_id": u.person_id, "disabled": u.disabled}
            for u in s.scalars(select(User).order_by(User.email))
        ]


def authenticate(ws: Workspace, email: str, password: str) -> User:
    with ws.session() as s:
        user = s.scalar(select(User).where(User.email == email.strip().lower()))
    # Verify against a dummy hash when the user is unknown, so timing does not tell.
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not ok or user.disabled:
        raise AccessError("wrong e-mail or password", code="CL820")
    return user


def open_session(ws: Workspace, user: User, *, hours: int) -> WebSession:
    now = utcnow()
    with ws.write() as s:
        s.execute(delete(WebSession).where(WebSession.expires_at < now))
        sess = WebSession(
            id=new_token(),
            user_id=user.id,
            csrf_token=new_token(),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
        s.add(sess)
    return sess


def session_user(
    ws: Workspace, session_id: str | None, *, now: datetime | None = None
) -> tuple[WebSession, User] | None:
    if not session_id:
        return None
    now = now or utcnow()
    with ws.session() as s:
        sess = s.get(WebSession, session_id)
        if sess is None or sess.expires_at < now:
            return None
        user = s.get(User, sess.user_id)
        if user is None or user.disabled:
            return None
        return sess, user


def close_session(ws: Workspace, session_id: str) -> None:
    with ws.write() as s:
        s.execute(delete(WebSession).where(WebSession.id == session_id))


_DUMMY_HASH = hash_password("not-a-real-password-" + "x" * 8)
