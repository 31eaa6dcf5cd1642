"""One typed settings object for the web app, refusing unsafe values.

Values come from environment variables ``COACHLOOP_WEB_*`` (or the constructor).
A placeholder secret key is accepted in development (with a warning from the CLI)
and refused in any other environment, so a demo key can never reach production.
"""

from __future__ import annotations

import secrets
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from coachloop.errors import ConfigError

PLACEHOLDER_SECRET = "change-me"


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COACHLOOP_WEB_", extra="forbid")

    environment: Literal["development", "demo", "production", "test"] = "development"
    secret_key: str = PLACEHOLDER_SECRET
    #: Days a manager sees a new week alone before their director does ("self first").
    self_first_days: int = Field(default=2, ge=0, le=60)
    #: Smallest group shown as an aggregate above a manager's own team.
    min_group_size: int = Field(default=5, ge=2)
    #: Raw transcripts older than this many days are deleted by `retention`; scores stay.
    retention_days: int = Field(default=365, ge=1)
    #: Largest transcript upload accepted, in bytes.
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    #: When true, people who have not consented are never scored nor shown.
    consent_required: bool = True
    secure_cookies: bool = False

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> WebSettings:
        if self.secret_key in ("", PLACEHOLDER_SECRET) and self.environment not in (
            "development",
            "test",
            "demo",
        ):
            raise ConfigError(
                f"the web secret key is left at a placeholder in {self.environment}",
                hint="set COACHLOOP_WEB_SECRET_KEY to a long random value, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`",
            )
        if len(self.secret_key) < 16 and self.environment == "production":
            raise ConfigError(
                "the web secret key is shorter than 16 characters",
                hint="set COACHLOOP_WEB_SECRET_KEY to a long random value",
            )
        return self

    @property
    def uses_placeholder_secret(self) -> bool:
        return self.secret_key == PLACEHOLDER_SECRET


def random_secret() -> str:
    return secrets.token_urlsafe(48)
