"""Coverage study of the impact model on synthetic orgs with known effects.

``python -m coachloop.outcomes.validate [SEEDS]`` prints, for the corrected and the
uncorrected model, how many true effects fall inside their 95% intervals and the mean
estimate of ask_before_tell (true 0.15 per point). docs/outcomes.md quotes its output.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from coachloop.errors import AnalysisError
from coachloop.outcomes.impact import Correction, coverage, estimate_impact
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


def main(argv: list[str]) -> None:  # pragma: no cover - a script
    n = int(argv[0]) if argv else 20
    corrections: tuple[Correction, ...] = ("reliability", "none")
    for correction in corrections:
        sys.stdout.write(coverage_study(range(n), correction).line() + "\n")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
