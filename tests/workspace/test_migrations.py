from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from coachloop.errors import ConfigError, WorkspaceError
from coachloop.workspace import Workspace, db
from coachloop.workspace.models import ALL_TABLES, Base


def test_migrations_match_models(workspace: Workspace) -> None:
    with workspace.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert db.table_names(workspace.engine) == sorted([*ALL_TABLES, "alembic_version"])
    assert db.current_revision(workspace.engine) == "0004"


def test_open_twice_is_a_no_op(workspace_dir: Path) -> None:
    with Workspace.open(workspace_dir) as ws:
        first = ws.safe_url
    with Workspace.open(workspace_dir) as ws:
        assert ws.safe_url == first
        assert db.current_revision(ws.engine) == "0004"


def test_downgrade_to_base_and_up_again(workspace: Workspace) -> None:
    db.downgrade(workspace.engine, "base")
    assert db.table_names(workspace.engine) == ["alembic_version"]
    db.upgrade(workspace.engine)
    assert db.current_revision(workspace.engine) == "0004"


def test_sqlite_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACHLOOP_DATABASE_URL", raising=False)
    with Workspace.open(tmp_path / "new") as ws:
        assert ws.backend == "sqlite"
        assert (tmp_path / "new" / "coachloop.db").exists()


def test_toml_url_switches_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACHLOOP_DATABASE_URL", raising=False)
    (tmp_path / "coachloop.toml").write_text('[database]\nurl = "postgres://u@127.0.0.1:1/x"\n')
    with pytest.raises(
        WorkspaceError, match=r"^cannot open the database postgresql\+psycopg://u@127.0.0.1:1/x"
    ):
        Workspace.open(tmp_path)


def test_env_beats_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "coachloop.toml").write_text('[database]\nurl = "postgres://u@127.0.0.1:1/x"\n')
    monkeypatch.setenv("COACHLOOP_DATABASE_URL", f"sqlite:///{tmp_path}/other.db")
    with Workspace.open(tmp_path) as ws:
        assert ws.backend == "sqlite"
    assert (tmp_path / "other.db").exists()


def test_bad_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACHLOOP_DATABASE_URL", raising=False)
    (tmp_path / "coachloop.toml").write_text('[database]\nurl = "mysql://x"\n')
    with pytest.raises(ConfigError) as info:
        Workspace.open(tmp_path)
    assert str(info.value) == (
        "unsupported database URL scheme 'mysql' (use postgresql://user@host:port/dbname or leave it unset for SQLite)"
    )
    (tmp_path / "coachloop.toml").write_text("[cycle]\nlength = 3\n")
    with pytest.raises(ConfigError, match=r"unknown setting \[cycle\] length"):
        Workspace.open(tmp_path)


def test_no_workspace_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACHLOOP_WORKSPACE", raising=False)
    with pytest.raises(WorkspaceError) as info:
        Workspace.open()
    assert str(info.value) == "no workspace given (pass --workspace DIR or set COACHLOOP_WORKSPACE)"


def test_closed_workspace_refuses(workspace: Workspace) -> None:
    workspace.close()
    with pytest.raises(WorkspaceError, match="^this workspace is closed$"):
        workspace.session()


def test_migrations_keep_stored_meetings(workspace: Workspace, tmp_path: Path) -> None:
    from datetime import date

    from .ws_doubles import PIPE, ROSTER, write_meeting

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    workspace.import_roster(roster, effective=date(2026, 1, 5))
    write_meeting(tmp_path / "c", "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart", questions=2)
    workspace.ingest([tmp_path / "c"], jobs=1, pipeline=PIPE)
    before = workspace.info()
    db.downgrade(workspace.engine, "0002")
    db.upgrade(workspace.engine)
    after = workspace.info()
    assert after == before
    assert (after["meetings"], after["utterances"], after["behavior_scores"]) == (1, 5, 3)


def test_ci_refuses_to_skip_postgres(tmp_path: Path) -> None:
    """With CI=true and no PostgreSQL URL the PostgreSQL variants fail instead of skipping."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "COACHLOOP_TEST_POSTGRES_URL"}
    env["CI"] = "true"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-x",
            f"{Path(__file__)}::test_open_twice_is_a_no_op[postgresql]",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stdout[-1000:]
    assert "COACHLOOP_TEST_POSTGRES_URL is not set in CI" in proc.stdout


def test_concurrent_opens_migrate_once(workspace_dir: Path) -> None:
    """Processes opening a fresh database at the same time do not trip over each other."""
    from concurrent.futures import ThreadPoolExecutor

    def open_one(_: int) -> str | None:
        with Workspace.open(workspace_dir) as ws:
            return db.current_revision(ws.engine)

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(open_one, range(4))) == ["0004"] * 4
