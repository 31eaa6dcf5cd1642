"""The :class:`Workspace`: one database (SQLite file or PostgreSQL) plus a directory.

Everything the CLI and the web app do with stored data goes through a Workspace.
Reads use :meth:`Workspace.session`; every write goes through :meth:`Workspace.write`
— one explicit transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success and
rolled back on any error, so a meeting, an import or a cycle is stored whole or not at
all.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from coachloop.errors import WorkspaceError
from coachloop.workspace import db
from coachloop.workspace.settings import DB_FILE, ENV_WORKSPACE, WorkspaceSettings

if TYPE_CHECKING:
    from coachloop.model import Meeting
    from coachloop.workspace.ingest import IngestReport, Pipeline


class _State(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class Workspace:
    """An opened workspace. Use :meth:`open`; close it (or use ``with``) when done."""

    def __init__(self, *, directory: Path | None, url: str, settings: WorkspaceSettings) -> None:
        self.directory = directory
        self.url = url
        self.settings = settings
        self._engine: Engine | None = db.make_engine(url)
        self._sessions = sessionmaker(bind=self._engine, expire_on_commit=False)
        self._state = _State.OPEN

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        location: str | Path | None = None,
        *,
        database_url: str | None = None,
        create: bool = True,
        migrate: bool = True,
        **settings: Any,
    ) -> Workspace:
        """Open (and by default create and migrate) a workspace.

        ``location`` is a directory (default: ``$COACHLOOP_WORKSPACE``) or a database
        URL. In a directory, the database is ``coachloop.db`` unless ``coachloop.toml``
        or ``$COACHLOOP_DATABASE_URL`` (or ``database_url``) names a PostgreSQL URL.
        """
        directory: Path | None = None
        if location is None or str(location).strip() == "":
            # an empty --workspace "" or COACHLOOP_WORKSPACE= is no workspace, not "."
            location = os.environ.get(ENV_WORKSPACE) if location is None else None
            if not location or not location.strip():
                raise WorkspaceError(
                    "no workspace given",
                    hint="pass --workspace DIR or set COACHLOOP_WORKSPACE",
                )
        text = str(location)
        if "://" in text:
            database_url = database_url or text
        else:
            directory = Path(text).expanduser()
            if not directory.exists():
                if not create:
                    raise WorkspaceError(
                        f"workspace {directory} does not exist",
                        hint="check the path; `coachloop roster import` creates a workspace",
                    )
                directory.mkdir(parents=True, exist_ok=True)  # others may race us to it
            elif not directory.is_dir():
                raise WorkspaceError(
                    f"workspace {directory} is not a directory",
                    hint="give a folder (it is created if missing) or a postgresql:// URL",
                )
        conf = WorkspaceSettings.load(directory, database_url=database_url, **settings)
        url = conf.database_url
        if url is None:
            assert directory is not None  # a URL location always sets database_url
            url = f"sqlite:///{(directory / DB_FILE).resolve()}"
        ws = cls(directory=directory, url=url, settings=conf)
        if migrate:
            try:
                db.upgrade(ws.engine)
            except OperationalError as exc:
                where = ws.safe_url
                ws.close()
                reason = str(exc.orig).strip().splitlines()[0]
                raise WorkspaceError(
                    f"cannot open the database {where}: {reason}",
                    hint="check the URL and that the server is running",
                ) from None
        return ws

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise WorkspaceError("this workspace is closed")
        return self._engine

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def safe_url(self) -> str:
        """The database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._state = _State.CLOSED

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Workspace {self.directory or ''} {self.safe_url if self._engine else 'closed'}>"

    # -- the write path --------------------------------------------------------------
    def session(self) -> Session:
        """A session for reading (and for writes only inside :meth:`write`)."""
        return self._sessions(bind=self.engine)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """The one write path: an explicit transaction, committed or rolled back whole."""
        conn = self.engine.connect().execution_options(sqlite_immediate=True)
        try:
            with conn.begin(), Session(bind=conn, expire_on_commit=False) as session:
                yield session
                session.flush()
        finally:
            conn.close()

    def info(self) -> dict[str, Any]:
        """Where the data is, the schema revision and how many rows each table holds."""
        from sqlalchemy import func, select

        from coachloop.workspace.models import Base

        out: dict[str, Any] = {
            "directory": str(self.directory) if self.directory else None,
            "database": self.safe_url,
            "backend": self.backend,
            "revision": db.current_revision(self.engine),
        }
        with self.session() as s:
            for name, table in sorted(Base.metadata.tables.items()):
                out[name] = s.scalar(select(func.count()).select_from(table))
        return out

    # -- org ---------------------------------------------------------------------------
    def import_roster(self, path: str | Path, *, effective: date | None = None) -> dict[str, Any]:
        from coachloop.workspace.roster import import_roster

        return import_roster(self, Path(path), effective=effective)

    def history(self, email: str) -> list[dict[str, Any]]:
        from coachloop.workspace.roster import history

        return history(self, email)

    def people(self, *, role: str | None = None) -> list[dict[str, Any]]:
        from coachloop.workspace.roster import list_people

        return list_people(self, role=role)

    def org(self, *, on: date | None = None) -> list[dict[str, Any]]:
        from coachloop.workspace.roster import org_rows

        return org_rows(self, on=on)

    # -- meetings ----------------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        jobs: int | None = None,
        scheduler: str | None = None,
        pipeline: Pipeline | None = None,
        progress: Any = None,
    ) -> IngestReport:
        from coachloop.workspace.ingest import ingest

        return ingest(
            self, paths, jobs=jobs, scheduler=scheduler, pipeline=pipeline, progress=progress
        )

    def store_meeting(
        self,
        meeting: Meeting,
        scorecard: dict[str, Any] | None,
        *,
        manager_email: str | None,
        rep_email: str | None,
        kind: str = "recorded",
        acts: Sequence[Iterable[str]] | None = None,
        source_file: str | None = None,
        scenario_id: str | None = None,
        seed: int | None = None,
    ) -> bool:
        """Store one meeting atomically; False when it was already stored (same id)."""
        from coachloop.workspace.store import store_meeting

        return store_meeting(
            self,
            meeting,
            scorecard,
            manager_email=manager_email,
            rep_email=rep_email,
            kind=kind,
            acts=acts,
            source_file=source_file,
            scenario_id=scenario_id,
            seed=seed,
        )

    def meetings(self, **filters: Any) -> list[dict[str, Any]]:
        from coachloop.workspace.store import list_meetings

        return list_meetings(self, **filters)

    # -- other imports -------------------------------------------------------------------
    def import_calendars(self, paths: Sequence[str | Path]) -> dict[str, Any]:
        from coachloop.workspace.calendars import import_calendars

        return import_calendars(self, [Path(p) for p in paths])

    def import_ratings(self, path: str | Path) -> dict[str, Any]:
        from coachloop.workspace.ratings import import_manager_ratings

        return import_manager_ratings(self, Path(path))

    def import_rep_ratings(self, path: str | Path) -> dict[str, Any]:
        from coachloop.workspace.ratings import import_rep_ratings

        return import_rep_ratings(self, Path(path))

    def import_kpis(self, path: str | Path) -> dict[str, Any]:
        from coachloop.workspace.kpis import import_kpis

        return import_kpis(self, Path(path))

    def kpis(
        self, *, metric: str | None = None, subject_type: str | None = None
    ) -> list[dict[str, Any]]:
        from coachloop.workspace.kpis import kpi_rows

        return kpi_rows(self, metric=metric, subject_type=subject_type)

    def manager_ratings(self) -> list[dict[str, Any]]:
        from coachloop.workspace.ratings import ratings_frame_rows

        return ratings_frame_rows(self)

    # -- analysis ------------------------------------------------------------------------
    def cycle(self, *, week: date | str | None = None) -> list[dict[str, Any]]:
        from coachloop.workspace.cycle import run_cycle

        return run_cycle(self, week=week)

    def stored_cycle(self, week: date | str) -> list[dict[str, Any]]:
        """The stored cycle results of ``week`` (what :meth:`cycle` returned then)."""
        from coachloop.workspace.cycle import stored_cycle

        return stored_cycle(self, week)

    def calendar_scores(self, week: date | str) -> list[dict[str, Any]]:
        """``hold_cadence`` and ``protect_rep_calendars`` per manager for ``week``
        (computed from the stored calendar events, and stored)."""
        from coachloop.workspace.calendars import calendar_scores
        from coachloop.workspace.cycle import resolve_week

        w = resolve_week(self, week)
        emails = {p["id"]: p["email"] for p in self.people()}
        return [
            {"manager": emails[m], "week_start": w.isoformat(), **r}
            for m, r in sorted(calendar_scores(self, w).items(), key=lambda kv: emails[kv[0]])
        ]

    def curves(self, manager: str, *, behavior: str | None = None) -> list[dict[str, Any]]:
        from coachloop.workspace.curves import manager_curves

        return manager_curves(self, manager, behavior=behavior)
