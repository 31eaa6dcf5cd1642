"""Workspace settings: one typed object, read from ``coachloop.toml`` and the environment.

Precedence (highest first): arguments given in code or on the command line, then the
environment (``COACHLOOP_DATABASE_URL``, ``COACHLOOP_CYCLE_WEEKS``), then
``<workspace>/coachloop.toml``, then defaults::

    [database]
    url = "postgresql://user@127.0.0.1:5432/coachloop"   # absent: SQLite file in the dir

    [cycle]
    weeks = 2            # cycle length in weeks
    mastery = 80         # a focus whose weekly score (0–100) reaches this is "mastered"
    performance_metric = "win_rate"   # KPI compared with managers' ratings (calibration)
    [cycle.impact]       # estimated impact weights per behaviour (default 1.0)
    ask_before_tell = 1.5

Unsafe or unknown values are refused with a :class:`~coachloop.errors.ConfigError`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coachloop.errors import ConfigError

SETTINGS_FILE = "coachloop.toml"
DB_FILE = "coachloop.db"
ENV_WORKSPACE = "COACHLOOP_WORKSPACE"
ENV_DATABASE_URL = "COACHLOOP_DATABASE_URL"
ENV_CYCLE_WEEKS = "COACHLOOP_CYCLE_WEEKS"


def normalize_url(url: str) -> str:
    """Accept ``postgres://``/``postgresql://``/``sqlite:///`` and pick our drivers."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith(("postgresql+psycopg://", "sqlite://")):
        return url
    scheme = url.split("://", 1)[0] if "://" in url else url
    raise ConfigError(
        f"unsupported database URL scheme {scheme!r}",
        hint="use postgresql://user@host:port/dbname or leave it unset for SQLite",
    )


class WorkspaceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str | None = None
    cycle_weeks: int = Field(2, ge=1, le=12)
    mastery: float = 80.0
    impact: dict[str, float] = Field(default_factory=dict)
    performance_metric: str | None = None

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if not value else normalize_url(value)

    @classmethod
    def load(cls, directory: Path | None, **overrides: Any) -> WorkspaceSettings:
        values: dict[str, Any] = {}
        if directory is not None:
            values.update(_read_toml(directory / SETTINGS_FILE))
        env = os.environ
        if env.get(ENV_DATABASE_URL):
            values["database_url"] = env[ENV_DATABASE_URL]
        if env.get(ENV_CYCLE_WEEKS):
            values["cycle_weeks"] = env[ENV_CYCLE_WEEKS]
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"setting {where}: {first['msg']}") from None


_TOML_KEYS = {
    ("database", "url"): "database_url",
    ("cycle", "weeks"): "cycle_weeks",
    ("cycle", "mastery"): "mastery",
    ("cycle", "impact"): "impact",
    ("cycle", "performance_metric"): "performance_metric",
}


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    out: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, Mapping):
            raise ConfigError(f"{path}: unknown top-level key {section!r}")
        for key, value in table.items():
            name = _TOML_KEYS.get((section, key))
            if name is None:
                raise ConfigError(
                    f"{path}: unknown setting [{section}] {key}",
                    hint="known: " + ", ".join(f"[{s}] {k}" for s, k in _TOML_KEYS),
                )
            out[name] = value
    return out
