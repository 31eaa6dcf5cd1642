"""Coverage study of the impact model on synthetic orgs with known effects.

``python -m coachloop.outcomes.validate [SEEDS]`` prints, for the corrected and the
uncorrected model, how many true effects fall inside their 95% intervals and the mean
estimate of ask_before_tell (true 0.15 per point). ``... validate sim ORG_DIR [NOISE_SD]``
does the same on a simulation lab org, scoring managers at their true level plus noise.
docs/outcomes.md quotes their output.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coachloop.errors import AnalysisError
from coachloop.outcomes.impact import (
    Correction,
    Truth,
    coverage,
    estimate_impact,
    load_truth_effects,
)
from coachloop.outcomes.panel import Panels, make_panels
from coachloop.outcomes.synthetic import synthetic_panels


@dataclass(frozen=True)
class Study:
    correction: str
    covered: int
    total: int
    refused: int
    orgs: int
    abt_mean: float
    abt_sd: float

    def line(self) -> str:
        return (
            f"{self.correction}: {self.covered}/{self.total} true effects inside their 95% CI "
            f"({self.covered / self.total:.0%}); refused {self.refused}/{self.orgs} orgs; "
            f"ask_before_tell (true 0.15): mean {self.abt_mean:.3f}, sd {self.abt_sd:.3f}"
        )


def coverage_study(seeds: range, correction: Correction) -> Study:
    covered = total = refused = 0
    abt = []
    for seed in seeds:
        org = synthetic_panels(seed=seed)
        try:
            frame, _ = coverage(estimate_impact(org.panels, correction=correction), org.truth)
        except AnalysisError:
            refused += 1
            continue
        covered += int(frame["covered"].sum())
        total += len(frame)
        by_behavior = frame.set_index("behavior")["estimate"]
        abt.append(float(by_behavior["ask_before_tell"]))
    return Study(
        correction, covered, total, refused, len(seeds), float(np.mean(abt)), float(np.std(abt))
    )


def sim_study(org_dir: str | Path, *, noise_sd: float, lags: range = range(1, 5)) -> list[str]:
    """Coverage on a lab org with true levels (+ noise) as scores, corrected and not."""
    panels, truth = sim_truth_panels(org_dir, noise_sd=noise_sd)
    lines = []
    corrections: tuple[Correction, ...] = ("reliability", "none")
    for correction in corrections:
        result = estimate_impact(panels, lags=list(lags), level="rep", correction=correction)
        frame, share = coverage(result, truth)
        real = frame[frame["true"] != 0]
        lines.append(
            f"{correction}: {int(frame['covered'].sum())}/{len(frame)} true effects inside "
            f"their 95% CI ({share:.0%}); non-zero effects {int(real['covered'].sum())}/"
            f"{len(real)}; estimate/true for the non-zero ones: "
            + ", ".join(
                f"{r['metric']}.{r['behavior']}@{r['lag']} {r['estimate'] / r['true']:.2f}"
                for r in real.to_dict(orient="records")
            )
        )
    from coachloop.outcomes.cohorts import SCORE, compare_cohorts

    cohorts = compare_cohorts(panels)
    did = cohorts.did[0]
    lines.append(
        f"cohorts: behaviour-score DiD {did.estimate:+.2f} (95% CI {did.ci_low:.2f} to "
        f"{did.ci_high:.2f}); "
        + "; ".join(
            f"{s.cohort}: {s.slope_before:+.2f}/week then {s.slope_after:+.2f}/week from week "
            f"{s.break_week} -> {s.verdict}"
            for s in cohorts.shapes
            if s.outcome == SCORE
        )
    )
    return lines


def main(argv: list[str]) -> None:  # pragma: no cover - a script
    """``validate [SEEDS]`` (synthetic) or ``validate sim ORG_DIR [NOISE_SD]`` (lab org)."""
    if argv and argv[0] == "sim":
        noise = float(argv[2]) if len(argv) > 2 else 8.0
        for line in sim_study(argv[1], noise_sd=noise):
            sys.stdout.write(line + "\n")
        return
    n = int(argv[0]) if argv else 20
    corrections: tuple[Correction, ...] = ("reliability", "none")
    for correction in corrections:
        sys.stdout.write(coverage_study(range(n), correction).line() + "\n")


def sim_truth_panels(
    org_dir: str | Path, *, noise_sd: float = 0.0, seed: int = 0
) -> tuple[Panels, Truth]:
    """Panels from a simulation lab org folder (``truth.json``, ``kpis.csv``); see
    :func:`lab_truth_panels`."""
    import json

    root = Path(org_dir)
    try:
        truth_raw = json.loads((root / "truth.json").read_text(encoding="utf-8"))
        kpis = pd.read_csv(root / "kpis.csv")
    except (OSError, ValueError) as exc:
        raise AnalysisError(f"cannot read the simulated org in {root}: {exc}") from None
    panels = lab_truth_panels(truth_raw, kpis, noise_sd=noise_sd, seed=seed)
    return panels, load_truth_effects(root / "truth.json")


def lab_truth_panels(
    truth: dict[str, Any], kpis: pd.DataFrame, *, noise_sd: float = 0.0, seed: int = 0
) -> Panels:
    """Panels from the lab's truth and KPI rows, with the *true* levels (x 100) as scores.

    ``noise_sd`` adds N(0, noise_sd²) scoring noise per manager-week, so the estimator can be
    checked on the lab's dynamics and KPI model without the scorer in the loop (the scorer
    is checked by running the same model on a workspace that ingested the org). ``kpis``
    has the lab's columns (subject_type, subject, week, metric, value); a rep is on their
    manager's team.
    """
    rng = np.random.default_rng(seed)
    rows = []
    team_of: dict[str, str] = {}
    for m in truth["managers"]:
        for rep in m.get("reps", []):
            team_of[rep["email"]] = m["team"]
        for w in m["weeks"]:
            for behavior, level in w["levels"].items():
                score = float(np.clip(100 * level + rng.normal(0, noise_sd), 0, 100))
                rows.append((m["email"], m["team"], m["cohort"], w["week_start"], behavior, score))
    behaviors = pd.DataFrame(
        rows, columns=["manager", "team", "cohort", "week", "behavior", "score"]
    )
    k = kpis.rename(columns={"subject": "subject_key"}).copy()
    k["team"] = [
        team_of.get(s) if t == "rep" else s
        for t, s in zip(k["subject_type"], k["subject_key"], strict=True)
    ]
    return make_panels(behaviors, k.dropna(subset=["team"]))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
