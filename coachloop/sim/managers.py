"""Simulated managers: behaviour levels, the parameters they drive, and how they change.

Each manager has a true *level* in [0, 1] for each of the seven scored behaviours
(higher is better) in each week. Levels drive the generation parameters the
conversation generator reads (question rate, open-question share, tell-before-ask
tendency, evidence use, outcome focus, interruptions, topic focus, benchmark use,
calendar protection, cadence discipline); ``truth.json`` records both.

Baselines are spread across managers by a Latin hypercube (one stratum per manager,
independently permuted per behaviour), so every behaviour has managers from weak to
strong and the behaviours are uncorrelated across managers.

Dynamics
--------
coached     one focus behaviour per cycle (its weakest transcript behaviour at the
            cycle's start); the focus gains ``coached_gain`` of the gap to 1 each week
            of the cycle, and gains are kept (they compound across cycles) with a small
            weekly drift.
classroom   a workshop in week 1 lifts every behaviour by ``workshop_jump`` of the gap;
            the effect plateaus until ``plateau_week`` and then decays toward the
            baseline with a half-life of ``decay_half_life`` weeks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from coachloop.behaviors import BEHAVIOR_IDS as BEHAVIORS

COHORTS: tuple[str, ...] = ("coached", "classroom")


@dataclass(frozen=True, slots=True)
class Dynamics:
    """How behaviour levels change week by week (see the module docstring)."""

    cycle_weeks: int = 2
    coached_gain: float = 0.18
    workshop_jump: float = 0.35
    plateau_week: int = 4
    decay_half_life: float = 5.0
    weekly_noise: float = 0.04  # AR(1) innovation SD of each behaviour's own drift
    drift_persistence: float = 0.8
    low: float = 0.06
    high: float = 0.84

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle_weeks": self.cycle_weeks,
            "coached_gain": self.coached_gain,
            "workshop_jump": self.workshop_jump,
            "plateau_week": self.plateau_week,
            "decay_half_life": self.decay_half_life,
            "weekly_noise": self.weekly_noise,
            "drift_persistence": self.drift_persistence,
            "baseline_range": [self.low, self.high],
        }


def params_from_levels(levels: dict[str, float], style: dict[str, float]) -> dict[str, float]:
    """The generation parameters a week's behaviour levels imply.

    ``style`` holds per-manager traits that do not depend on the week (talkativeness,
    interruption habit), so two managers at the same level still sound different.
    """
    abt = levels["ask_before_tell"]
    return {
        "question_rate": round(0.18 + 0.62 * abt, 4),
        "open_question_share": round(0.12 + 0.82 * abt, 4),
        "tell_before_ask": round(0.92 - 0.86 * abt, 4),
        "interruption_rate": round(max(0.0, (0.32 - 0.30 * abt) * style["interrupty"]), 4),
        "topic_focus": round(levels["one_behavior_per_cycle"], 4),
        "evidence_use": round(levels["evidence_based_feedback"], 4),
        "outcome_focus": round(1.0 - levels["behavior_not_outcome"], 4),
        "benchmark_use": round(levels["calibrate_against_team"], 4),
        "calendar_protection": round(levels["protect_rep_calendars"], 4),
        "cadence_discipline": round(levels["hold_cadence"], 4),
    }


@dataclass(slots=True)
class ManagerTrajectory:
    """One manager's true levels week by week, with the focus chosen per cycle."""

    cohort: str
    baseline: dict[str, float]
    style: dict[str, float]
    levels: list[dict[str, float]] = field(default_factory=list)
    focus: list[str | None] = field(default_factory=list)
    params: list[dict[str, float]] = field(default_factory=list)

    def mean_level(self, behavior: str) -> float:
        return sum(w[behavior] for w in self.levels) / len(self.levels)


def latin_baselines(n_managers: int, rng: random.Random, dyn: Dynamics) -> list[dict[str, float]]:
    """Baselines spread over [low, high] for every behaviour, independently per behaviour."""
    out: list[dict[str, float]] = [{} for _ in range(n_managers)]
    for behavior in BEHAVIORS:
        strata = list(range(n_managers))
        rng.shuffle(strata)
        for i, s in enumerate(strata):
            u = (s + rng.uniform(0.15, 0.85)) / n_managers
            out[i][behavior] = round(dyn.low + (dyn.high - dyn.low) * u, 4)
    return out


def _clip(x: float) -> float:
    return min(0.98, max(0.02, x))


def simulate_trajectory(
    *,
    cohort: str,
    baseline: dict[str, float],
    weeks: int,
    rng: random.Random,
    dyn: Dynamics,
) -> ManagerTrajectory:
    style = {
        "interrupty": round(rng.uniform(0.7, 1.3), 3),
        "verbosity": round(rng.uniform(0.8, 1.25), 3),
    }
    traj = ManagerTrajectory(cohort=cohort, baseline=dict(baseline), style=style)
    # ``state`` is the manager's underlying level; each behaviour also drifts on its own
    # (AR(1): good and bad stretches), so behaviours vary independently within a manager
    # over weeks — what an outcome model needs to tell their effects apart — and the
    # drift persists, so it is not mistaken for scoring noise.
    state = dict(baseline)
    drift = dict.fromkeys(BEHAVIORS, 0.0)
    focus: str | None = None
    for week in range(1, weeks + 1):
        if cohort == "coached":
            if focus is None or (week - 1) % dyn.cycle_weeks == 0:
                focus = min(BEHAVIORS, key=lambda b: state[b])
            state[focus] = _clip(state[focus] + dyn.coached_gain * (1.0 - state[focus]))
        else:
            focus = None
            for b in BEHAVIORS:
                base = baseline[b]
                jumped = base + dyn.workshop_jump * (1.0 - base)
                if week <= dyn.plateau_week:
                    # ramps to the plateau over the first weeks after the workshop
                    state[b] = base + (jumped - base) * min(1.0, 0.75 + 0.25 * (week - 1))
                else:
                    decay = 0.5 ** ((week - dyn.plateau_week) / dyn.decay_half_life)
                    state[b] = base + (jumped - base) * decay
        for b in BEHAVIORS:
            drift[b] = dyn.drift_persistence * drift[b] + rng.gauss(0.0, dyn.weekly_noise)
        levels = {b: round(_clip(state[b] + drift[b]), 4) for b in BEHAVIORS}
        traj.levels.append(levels)
        traj.focus.append(focus)
        traj.params.append(params_from_levels(levels, style))
    return traj
