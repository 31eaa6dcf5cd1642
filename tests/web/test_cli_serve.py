"""`coachloop serve` and `coachloop users …`: settings refused at start, accounts."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coachloop.cli import app as cli

from .conftest import ROSTER

runner = CliRunner()


@pytest.fixture
def org_dir(workspace_dir: Path, tmp_path: Path) -> Path:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    result = runner.invoke(cli, ["roster", "import", str(tmp_path / "roster.csv"),
                                 "--effective", "2026-01-05", "-w", str(workspace_dir)])  # fmt: skip
    assert result.exit_code == 0, result.output
    return workspace_dir


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    import uvicorn

    calls: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(app=app, **kw))
    yield calls
    gc.unfreeze()


def test_serve_refuses_the_placeholder_secret_in_production(
    org_dir: Path, captured: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACHLOOP_WEB_ENVIRONMENT", "production")
    monkeypatch.delenv("COACHLOOP_WEB_SECRET_KEY", raising=False)
    result = runner.invoke(cli, ["serve", "-w", str(org_dir)])
    assert result.exit_code != 0
    assert "the web secret key is left at a placeholder in production" in result.output
    assert captured == {}


def test_serve_in_development_warns_and_pins_today(
    org_dir: Path, captured: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COACHLOOP_WEB_ENVIRONMENT", raising=False)
    monkeypatch.delenv("COACHLOOP_WEB_SECRET_KEY", raising=False)
    result = runner.invoke(cli, ["serve", "-w", str(org_dir), "--port", "8765",
                                 "--today", "2026-12-01"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "using the placeholder secret key (development)" in result.output
    assert (captured["host"], captured["port"]) == ("127.0.0.1", 8765)
    assert captured["app"].state.today == date(2026, 12, 1)
    assert gc.get_freeze_count() > 0  # the loaded modules are out of the collector's way


def test_users_add_and_list(org_dir: Path) -> None:
    add = runner.invoke(cli, ["users", "add", "ana@ex.com", "--role", "manager",
                              "--password-stdin", "-w", str(org_dir)],
                        input="a long enough password\n")  # fmt: skip
    assert add.exit_code == 0, add.output
    assert "account ana@ex.com (manager) ready" in add.output
    listed = runner.invoke(cli, ["users", "list", "-o", "json", "-w", str(org_dir)])
    assert json.loads(listed.stdout) == [
        {"email": "ana@ex.com", "role": "manager", "person_id": 2, "disabled": False}
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@ex.com", "--role", "manager", "--password", "long enough pw"],
         "nobody@ex.com is not in the roster"),
        (["ana@ex.com", "--role", "manager", "--password", "short"],
         "the password is shorter than 10 characters"),
        (["ana@ex.com", "--role", "boss", "--password", "long enough pw"], "unknown role 'boss'"),
        (["ana@ex.com", "--role", "manager"], "no password given"),
    ],
)  # fmt: skip
def test_users_add_refusals(org_dir: Path, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["users", "add", *args, "-w", str(org_dir)])
    assert result.exit_code != 0
    assert message in result.output


def test_users_add_twice_needs_replace(org_dir: Path) -> None:
    base = ["users", "add", "admin@ex.com", "--role", "admin", "--password", "long enough pw",
            "-w", str(org_dir)]  # fmt: skip
    assert runner.invoke(cli, base).exit_code == 0
    again = runner.invoke(cli, base)
    assert again.exit_code != 0 and "an account for admin@ex.com exists already" in again.output
    assert runner.invoke(cli, [*base, "--replace"]).exit_code == 0
