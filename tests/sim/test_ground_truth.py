"""Ground truth: across managers, each behaviour scored by the real pipeline tracks the
simulated manager's true level (Spearman ≥ 0.8).

Transcript behaviours: files written by ``simulate_org`` are read back by the real
readers, roles assigned the way ingest does, scored by ``score_meeting`` and averaged
per manager over weeks. Calendar behaviours: the ICS files are loaded and scored by the
analytics functions, with recordings' start times from the sidecars.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
from datetime import date, timedelta
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest
from scipy.stats import spearmanr

from coachloop.analytics.calendar import (
    CalendarEvent,
    hold_cadence,
    load_ics,
    pair_cadence,
    protect_rep_calendars,
    rep_week_load,
)
from coachloop.readers import read_transcript
from coachloop.scoring import score_meeting
from coachloop.sim import simulate_org
from coachloop.workspace.ingest import default_roles

pytestmark = pytest.mark.slow

TRANSCRIPT_BEHAVIORS = (
    "ask_before_tell",
    "one_behavior_per_cycle",
    "evidence_based_feedback",
    "behavior_not_outcome",
    "calibrate_against_team",
)
MANAGERS, WEEKS, SEED = 14, 4, 2024


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("truth") / "org"
    simulate_org(out, managers=MANAGERS, weeks=WEEKS, seed=SEED, jobs=2)
    return out, json.loads((out / "truth.json").read_text())


def _sidecars(out: Path) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for side in sorted(out.glob("transcripts/*/*.meta.json")):
        stem = side.name[: -len(".meta.json")]
        (path,) = [p for p in side.parent.glob(stem + ".*") if p != side]
        found.append((path, json.loads(side.read_text())))
    return found


def _score(job: tuple[str, str]) -> dict[str, Any]:
    path, manager_name = job
    meeting = default_roles(read_transcript(path), manager_name)
    return score_meeting(meeting).to_dict()["behaviors"]


def test_transcript_behaviours_track_their_true_levels(org: tuple[Path, dict[str, Any]]) -> None:
    out, truth = org
    names = {r["email"]: r["name"] for r in csv.DictReader((out / "roster.csv").open())}
    files = _sidecars(out)
    jobs = [(str(path), names[side["manager_email"]]) for path, side in files]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        cards = pool.map(_score, jobs, chunksize=8)
    scores: dict[str, dict[str, list[float]]] = {}
    for (_, side), card in zip(files, cards, strict=True):
        mine = scores.setdefault(side["manager_email"], {b: [] for b in TRANSCRIPT_BEHAVIORS})
        for b in TRANSCRIPT_BEHAVIORS:
            if card[b]["score"] is not None:
                mine[b].append(card[b]["score"])
    managers = truth["managers"]
    assert len(scores) == len(managers)
    rhos = {}
    for b in TRANSCRIPT_BEHAVIORS:
        true = [m["mean_levels"][b] for m in managers]
        measured = [fmean(scores[m["email"]][b]) for m in managers]
        rhos[b] = spearmanr(true, measured)[0]
    assert all(r >= 0.8 for r in rhos.values()), rhos


def test_calendar_behaviours_track_their_true_levels(tmp_path: Path) -> None:
    weeks = 8
    simulate_org(tmp_path / "cal", managers=14, weeks=weeks, seed=SEED, transcripts=False)
    truth = json.loads((tmp_path / "cal" / "truth.json").read_text())
    start = date.fromisoformat(truth["start"])
    end = start + timedelta(weeks=weeks)
    events = load_ics(sorted((tmp_path / "cal").glob("calendars/*.ics")), start=start, end=end)
    mine: dict[str, list[CalendarEvent]] = {}  # each person's events, to keep this fast
    for e in events:
        for p in e.participants:
            mine.setdefault(p, []).append(e)
    cadence, protect = [], []
    for m in truth["managers"]:
        reps = [r["email"] for r in m["reps"]]
        pairs = [pair_cadence(mine[r], m["email"], r, start=start, end=end) for r in reps]
        cadence.append(hold_cadence(pairs, as_of=end)["score"])
        loads = [
            rep_week_load(mine[r], r, m["email"], week_start=start + timedelta(weeks=w))
            for r in reps
            for w in range(weeks)
        ]
        protect.append(protect_rep_calendars(loads)["score"])
    levels = {
        b: [m["mean_levels"][b] for m in truth["managers"]]
        for b in ("hold_cadence", "protect_rep_calendars")
    }
    rho_c = spearmanr(levels["hold_cadence"], cadence)[0]
    rho_p = spearmanr(levels["protect_rep_calendars"], protect)[0]
    assert rho_c >= 0.8 and rho_p >= 0.8, (rho_c, rho_p)
