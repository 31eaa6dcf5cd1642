"""simulate_org on a small org: layout, formats, determinism, and that the ordinary
readers and the calendar loader take every file."""

import csv
import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.analytics.calendar import load_ics
from coachloop.cli import app
from coachloop.errors import InputError
from coachloop.readers import read_transcript
from coachloop.sim import simulate_org
from coachloop.sim.kpis import DEFAULT_EFFECTS


@pytest.fixture(scope="module")
def org_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "org"
    simulate_org(out, managers=2, weeks=3, seed=11)
    return out


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _pairs(org_dir: Path) -> list[tuple[Path, dict]]:
    out = []
    for side in sorted(org_dir.glob("transcripts/*/*.meta.json")):
        stem = side.name[: -len(".meta.json")]
        files = [p for p in side.parent.glob(stem + ".*") if p != side]
        assert len(files) == 1
        out.append((files[0], json.loads(side.read_text())))
    return out


def test_layout_and_roster(org_dir: Path) -> None:
    names = {p.name for p in org_dir.iterdir()}
    assert names == {
        "roster.csv",
        "transcripts",
        "calendars",
        "manager_ratings.csv",
        "rep_ratings.csv",
        "kpis.csv",
        "truth.json",
    }
    rows = list(csv.DictReader((org_dir / "roster.csv").open()))
    assert list(rows[0]) == ["name", "email", "role", "manager_email", "team", "cohort"]
    roles = [r["role"] for r in rows]
    assert roles.count("director") == 1 and roles.count("manager") == 2
    assert 12 <= roles.count("rep") <= 20
    assert len(list((org_dir / "calendars").glob("*.ics"))) == roles.count("manager") + roles.count(
        "rep"
    )


def test_every_transcript_reads_back_in_its_format_with_its_pair(org_dir: Path) -> None:
    truth = json.loads((org_dir / "truth.json").read_text())
    people = {r["email"]: r["name"] for r in csv.DictReader((org_dir / "roster.csv").open())}
    pairs = _pairs(org_dir)
    assert pairs
    for path, side in pairs:
        meeting = read_transcript(path)
        assert meeting.source_format in {"zoom-vtt", "teams-vtt", "otter", "whisperx", "assemblyai"}
        assert 20 * 60 <= meeting.duration <= 36 * 60, (path, meeting.duration)
        assert len(meeting.speakers) == 2
        if meeting.source_format in {"zoom-vtt", "teams-vtt", "otter"}:
            assert {s.label for s in meeting.speakers} == {
                people[side["manager_email"]],
                people[side["rep_email"]],
            }
        started = datetime.fromisoformat(side["started_at"])
        assert started.tzinfo is not None
        assert date.fromisoformat(truth["start"]) <= started.date()
    # no two 1:1s read alike
    texts = [" ".join(u.text for u in read_transcript(p).utterances[:40]) for p, _ in pairs]
    assert len(set(texts)) == len(texts)


def test_same_seed_same_bytes_and_workers_do_not_change_them(tmp_path: Path, org_dir: Path) -> None:
    simulate_org(tmp_path / "again", managers=2, weeks=3, seed=11, jobs=2)
    assert _digest(tmp_path / "again") == _digest(org_dir)
    simulate_org(tmp_path / "other", managers=2, weeks=3, seed=12)
    assert _digest(tmp_path / "other") != _digest(org_dir)


def test_calendars_hold_the_series_with_cancellations_and_moves(org_dir: Path) -> None:
    truth = json.loads((org_dir / "truth.json").read_text())
    start = date.fromisoformat(truth["start"])
    events = load_ics(
        sorted(org_dir.glob("calendars/*.ics")), start=start, end=start + timedelta(weeks=3)
    )
    ones = [e for e in events if e.title.endswith("1:1")]
    n_pairs = sum(len(m["reps"]) for m in truth["managers"])
    assert len(ones) == n_pairs * 3  # one per pair-week, each seen once across exports
    held = len(_pairs(org_dir))
    cancelled = sum(e.cancelled for e in ones)
    assert held + cancelled == len(ones)
    assert any(e.moved for e in ones)
    assert all(e.start.tzinfo == UTC for e in events)


def test_kpis_and_ratings_files(org_dir: Path) -> None:
    kpis = list(csv.DictReader((org_dir / "kpis.csv").open()))
    assert list(kpis[0]) == ["subject_type", "subject", "week", "metric", "value"]
    assert {k["subject_type"] for k in kpis} == {"rep", "team"}
    assert {k["metric"] for k in kpis} == {m.name for m in DEFAULT_EFFECTS}
    assert len({k["week"] for k in kpis}) == 3
    mr = list(csv.DictReader((org_dir / "manager_ratings.csv").open()))
    assert list(mr[0]) == ["manager", "rep", "period", "skill", "rating"]
    assert {int(r["rating"]) for r in mr} <= {1, 2, 3, 4, 5}
    rr = list(csv.DictReader((org_dir / "rep_ratings.csv").open()))
    assert rr and {int(r["rating"]) for r in rr} <= {1, 2, 3, 4, 5}
    truth = json.loads((org_dir / "truth.json").read_text())
    assert truth["kpi_effects"]["meetings_booked"]["effects"][0] == {
        "behavior": "protect_rep_calendars",
        "coef": 3.0,
        "lag_weeks": 1,
    }
    assert len(truth["managers"][0]["weeks"]) == 3


def test_refuses_a_non_empty_folder(org_dir: Path) -> None:
    with pytest.raises(InputError, match="output folder exists and is not empty"):
        simulate_org(org_dir, managers=1, weeks=1, seed=1)


def test_cli_sim_json_and_error(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["sim", str(tmp_path / "o"), "-m", "1", "--weeks", "1", "-o", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["managers"] == 1 and data["weeks"] == 1
    assert data["meetings"] + data["cancelled"] == data["reps"]
    res = runner.invoke(app, ["sim", str(tmp_path / "o"), "-m", "1", "--weeks", "1"])
    assert res.exit_code == 2
    assert "output folder exists and is not empty" in res.stderr
