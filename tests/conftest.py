"""Shared fixtures. The storage backends are a parameter: write a test body once, take
the ``workspace`` (or ``database_url``/``workspace_dir``) fixture, and it runs on SQLite
and on PostgreSQL.

PostgreSQL runs when ``COACHLOOP_TEST_POSTGRES_URL`` is set (``scripts/postgres.sh`` starts a
throwaway server and sets it); each test gets its own schema, dropped afterwards. Without
the URL the PostgreSQL variants skip — except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

POSTGRES_ENV = "COACHLOOP_TEST_POSTGRES_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def _postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_ENV} is not set in CI; run the suite via scripts/test.sh")
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (scripts/postgres.sh sets it)")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@contextmanager
def postgres_schema(prefix: str = "t") -> Iterator[str]:
    """A fresh PostgreSQL schema on the test server, as a URL whose search_path is it;
    dropped with everything in it afterwards."""
    from sqlalchemy import create_engine, text

    base = _postgres_base_url()
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database_url(backend: str) -> Iterator[str | None]:
    """None for SQLite (the workspace directory's own file); a fresh schema on PostgreSQL."""
    if backend == "sqlite":
        yield None
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def workspace_dir(
    tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A workspace directory whose database is the current backend, also for the CLI
    (``COACHLOOP_DATABASE_URL`` is set for PostgreSQL, unset for SQLite)."""
    directory = tmp_path / "ws"
    directory.mkdir()
    monkeypatch.delenv("COACHLOOP_WORKSPACE", raising=False)
    if database_url is None:
        monkeypatch.delenv("COACHLOOP_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("COACHLOOP_DATABASE_URL", database_url)
    return directory


@pytest.fixture
def workspace(workspace_dir: Path) -> Iterator[Any]:
    """An opened, migrated, empty :class:`coachloop.workspace.Workspace` on each backend."""
    from coachloop.workspace import Workspace

    ws = Workspace.open(workspace_dir)
    try:
        yield ws
    finally:
        ws.close()
