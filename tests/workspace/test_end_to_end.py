"""The issue's "done when" at a small scale, through the CLI: a simulated three-level org
is ingested twice without duplicates, calendars give cadence and rep-load scores, and each
week's cycle gives one focus per manager and the briefs. (bench/bench_ingest.py runs the
same at 20 managers × 8 weeks.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.cli import app

pytestmark = pytest.mark.slow


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_simulated_org_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coachloop.sim import simulate_org

    monkeypatch.delenv("COACHLOOP_DATABASE_URL", raising=False)
    org, ws = tmp_path / "org", str(tmp_path / "ws")
    simulate_org(org, managers=2, weeks=2, seed=3)
    run("roster", "import", str(org / "roster.csv"), "--effective", "2026-09-07", "-w", ws)
    first = json.loads(run("ingest", str(org / "transcripts"), "-j", "2", "-w", ws, "-o", "json"))
    assert first["failed"] == [] and first["meetings_added"] > 0
    second = json.loads(run("ingest", str(org / "transcripts"), "-j", "1", "-w", ws, "-o", "json"))
    assert (second["meetings_added"], second["meetings_unchanged"]) == (0, first["meetings_added"])
    calendars = sorted(str(p) for p in (org / "calendars").glob("*.ics"))
    run("calendar", "import", *calendars, "-w", ws)
    run("ratings", "import", str(org / "manager_ratings.csv"), "-w", ws)
    run("ratings", "import-rep", str(org / "rep_ratings.csv"), "-w", ws)
    run("kpi", "import", str(org / "kpis.csv"), "-w", ws)
    for week in ("2026-W37", "2026-W38"):
        results = json.loads(
            run("cycle", "--week", week, "--briefs", str(tmp_path / week), "-w", ws, "-o", "json")
        )
        assert len(results) == 2
        for r in results:
            assert r["focus"] is not None
            assert r["behaviors"]["hold_cadence"]["score"] is not None
            assert r["behaviors"]["protect_rep_calendars"]["score"] is not None
        assert len(list((tmp_path / week).glob("*.md"))) == 3
    info = json.loads(run("workspace", "info", "-w", ws, "-o", "json"))
    assert info["meetings"] == first["meetings_added"]
