"""coachloop demo on a tiny org: the whole path (simulate, ingest, imports, cycles,
briefs) with --no-serve, and the folder rules."""

import json
from pathlib import Path

from typer.testing import CliRunner

from coachloop.cli import app
from coachloop.sim.demo import MARKER, prepare_folder


def test_demo_no_serve_builds_a_workspace_and_briefs(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    args = ["demo", "--no-serve", "--out", str(out), "-m", "2", "--weeks", "3", "-o", "json"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["ingest"]["meetings_added"] == data["sim"]["meetings"] > 0
    assert data["ingest"]["failed"] == []
    assert len(data["last_cycle"]) == 2  # one result per manager
    assert {r["manager"] for r in data["last_cycle"]} == {
        data["people"]["manager (coached)"],
        data["people"]["manager (classroom)"],
    }
    assert all(Path(p).is_file() for p in data["briefs"])
    assert set(data["cohorts"]) == {"coached", "classroom"}
    assert json.loads((out / "summary.json").read_text())["seconds"] == data["seconds"]


def test_demo_remakes_only_its_own_folder(tmp_path: Path) -> None:
    prepare_folder(tmp_path / "d")
    (tmp_path / "d" / "old.txt").write_text("from an earlier demo")
    prepare_folder(tmp_path / "d")
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == [MARKER]


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    res = CliRunner().invoke(app, ["demo", "--no-serve", "--out", str(tmp_path), "-m", "1"])
    assert res.exit_code == 2
    assert "was not made by the demo" in res.stderr
    assert (tmp_path / "mine.txt").read_text() == "keep me"
