"""Rep KPIs that respond to their manager's behaviours with known, lagged effects.

For rep *r* of manager *m* in week *t* and metric *k*::

    value = base[r, k] + Σ_b  coef[k, b] · level[m, b, t − lag[k, b]]  + noise[r, k, t]

``level`` before week 1 is the manager's baseline. ``coef`` is per unit of level (0–1),
so it is the difference between the worst and the best possible manager. Effects,
lags and noise are :data:`DEFAULT_EFFECTS` unless the caller passes others; the effects
used are written to ``truth.json``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from coachloop.sim.managers import ManagerTrajectory
from coachloop.sim.org import Rep


@dataclass(frozen=True, slots=True)
class Effect:
    behavior: str
    coef: float
    lag: int  # weeks

    def to_dict(self) -> dict[str, Any]:
        return {"behavior": self.behavior, "coef": self.coef, "lag_weeks": self.lag}


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    base: float  # a typical rep's level with a manager at 0 on every behaviour
    rep_sd: float  # spread of reps' own levels
    noise_sd: float  # week-to-week noise
    effects: tuple[Effect, ...]
    digits: int = 2
    low: float = 0.0
    high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "rep_sd": self.rep_sd,
            "noise_sd": self.noise_sd,
            "effects": [e.to_dict() for e in self.effects],
        }


DEFAULT_EFFECTS: tuple[Metric, ...] = (
    Metric(
        "meetings_booked",
        base=4.0,
        rep_sd=1.0,
        noise_sd=1.0,
        effects=(Effect("protect_rep_calendars", 3.0, 1), Effect("ask_before_tell", 1.5, 2)),
        digits=0,
    ),
    Metric(
        "pipeline_created_k",
        base=60.0,
        rep_sd=15.0,
        noise_sd=12.0,
        effects=(
            Effect("evidence_based_feedback", 30.0, 3),
            Effect("one_behavior_per_cycle", 15.0, 2),
        ),
        digits=1,
    ),
    Metric(
        "win_rate",
        base=0.18,
        rep_sd=0.03,
        noise_sd=0.03,
        effects=(
            Effect("behavior_not_outcome", 0.08, 4),
            Effect("calibrate_against_team", 0.03, 2),
        ),
        digits=3,
        high=1.0,
    ),
    Metric(
        "activities",
        base=90.0,
        rep_sd=12.0,
        noise_sd=10.0,
        effects=(Effect("protect_rep_calendars", 25.0, 1), Effect("hold_cadence", 10.0, 1)),
        digits=0,
    ),
)

PERSONA_FACTOR = {
    "new_hire": 0.75,
    "steady": 1.0,
    "veteran": 1.1,
    "struggling": 0.85,
    "high_flyer": 1.25,
    "quiet": 0.95,
}


def level_at(traj: ManagerTrajectory, behavior: str, week: int) -> float:
    """The manager's level in a 1-based week; the baseline before week 1."""
    if week < 1:
        return traj.baseline[behavior]
    return traj.levels[week - 1][behavior]


def rep_kpi_rows(
    rep: Rep,
    traj: ManagerTrajectory,
    weeks: int,
    *,
    seed: int,
    metrics: tuple[Metric, ...] = DEFAULT_EFFECTS,
) -> Iterator[tuple[int, str, float]]:
    """(week, metric, value) for one rep, every week and metric."""
    rng = random.Random(f"{seed}:kpi:{rep.person.email}")
    factor = PERSONA_FACTOR.get(rep.persona, 1.0)
    bases = {m.name: m.base * factor + rng.gauss(0.0, m.rep_sd) for m in metrics}
    for week in range(1, weeks + 1):
        for m in metrics:
            value = bases[m.name] + rng.gauss(0.0, m.noise_sd)
            for e in m.effects:
                value += e.coef * level_at(traj, e.behavior, week - e.lag)
            value = max(m.low, value)
            if m.high is not None:
                value = min(m.high, value)
            yield week, m.name, round(value, m.digits) if m.digits else float(round(value))


def effects_dict(metrics: tuple[Metric, ...] = DEFAULT_EFFECTS) -> Mapping[str, Any]:
    return {m.name: m.to_dict() for m in metrics}
