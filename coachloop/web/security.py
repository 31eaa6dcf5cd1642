"""Passwords, sessions and CSRF tokens for the web app.

Passwords are hashed with Argon2id (argon2-cffi). The session cookie carries only a
random session id signed with the secret key; the session itself (user, expiry,
CSRF token) lives server-side in the workspace, so logging out or expiring a
session takes effect at once. Every state-changing form and API call carries the
session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer

_hasher = PasswordHasher()

SESSION_COOKIE = "coachloop_session"
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


class CookieSigner:
    """Signs and checks the session id stored in the cookie."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt="coachloop-session")

    def sign(self, session_id: str) -> str:
        return self._serializer.dumps(session_id)

    def unsign(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            loaded = self._serializer.loads(value)
        except BadSignature:
            return None
        return loaded if isinstance(loaded, str) else None
