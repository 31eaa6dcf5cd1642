"""Ground truth: across managers, each behaviour scored by the real pipeline tracks the
simulated manager's true level (Spearman ≥ 0.8).

Transcript behaviours: files written by ``simulate_org`` are read back by the real
readers, roles assigned the way ingest does, scored by ``score_meeting`` and averaged
per manager over weeks. Calendar behaviours: the ICS files are loaded and scored by the
analytics functions (calendar-trusting: a non-cancelled 1:1 counts as held).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coachloop.sim import simulate_org
from coachloop.sim.truth import calendar_scores, recovery, score_org

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


def test_transcript_behaviours_track_their_true_levels(org: tuple[Path, dict[str, Any]]) -> None:
    out, truth = org
    rows = score_org(out, jobs=2)
    assert len(rows) == len(_sidecars(out))
    result = recovery(truth, rows)
    rhos = {b: result[b]["rho"] for b in TRANSCRIPT_BEHAVIORS}
    assert all(result[b]["managers"] == MANAGERS for b in TRANSCRIPT_BEHAVIORS)
    assert all(r >= 0.8 for r in rhos.values()), rhos


def test_calendar_behaviours_track_their_true_levels(tmp_path: Path) -> None:
    simulate_org(tmp_path / "cal", managers=14, weeks=8, seed=SEED, transcripts=False)
    truth = json.loads((tmp_path / "cal" / "truth.json").read_text())
    result = recovery(truth, [], calendar_scores(tmp_path / "cal"))
    rhos = {b: result[b]["rho"] for b in ("hold_cadence", "protect_rep_calendars")}
    assert all(r >= 0.8 for r in rhos.values()), rhos
