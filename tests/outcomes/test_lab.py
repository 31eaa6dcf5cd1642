"""The impact model against the simulation lab's own dynamics and KPI model.

No transcripts: the lab's planned org and trajectories, its KPI rows, and scores = true
level x 100 + N(0, 8²) — the scorer is validated separately (docs/outcomes.md).
Coverage on one org is itself random: at 24 managers x 14 weeks (seed 11) two zero effects
are excluded at both lags together (neighbouring lags share their data), so the share
threshold below allows two misses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from coachloop.outcomes.impact import coverage, estimate_impact, load_truth_effects
from coachloop.outcomes.validate import lab_truth_panels


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    from coachloop.sim.kpis import DEFAULT_EFFECTS
    from coachloop.sim.managers import Dynamics
    from coachloop.sim.run import KPI_COLUMNS, _kpi_rows, plan_org, truth_dict

    org, trajs = plan_org(managers=30, weeks=16, seed=11)
    truth = truth_dict(org, trajs, dynamics=Dynamics(), metrics=DEFAULT_EFFECTS)
    kpis = pd.DataFrame(
        list(_kpi_rows(org, trajs, seed=11, metrics=DEFAULT_EFFECTS)), columns=KPI_COLUMNS
    )
    path = tmp_path_factory.mktemp("lab") / "truth.json"
    path.write_text(json.dumps(truth), encoding="utf-8")
    return lab_truth_panels(truth, kpis, noise_sd=8.0), path


def test_lab_effects_fall_inside_their_intervals(lab: tuple[object, Path]) -> None:
    panels, path = lab
    truth = load_truth_effects(path)
    result = estimate_impact(panels, metrics=["pipeline_created_k"], lags=[2, 3], level="rep")
    frame, share = coverage(result, truth)
    real = frame[frame["true"] != 0].set_index("behavior")
    # evidence_based_feedback acts at lag 3 (30 per level unit), one_behavior_per_cycle at 2
    assert real["lag"].to_dict() == {"one_behavior_per_cycle": 2, "evidence_based_feedback": 3}
    assert real["covered"].all(), real
    assert share >= 12 / 14, frame
    naive = estimate_impact(
        panels, metrics=["pipeline_created_k"], lags=[3], level="rep", correction="none"
    )
    ebf = next(e for e in naive.estimates if e.behavior == "evidence_based_feedback")
    assert ebf.ci_high < 0.30  # uncorrected, the interval misses the true 0.30 per point
