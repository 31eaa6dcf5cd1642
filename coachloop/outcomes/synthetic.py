"""Synthetic panels with known effects, for tests, docs and demos of the outcomes layer.

The generating model (all parameters of :func:`synthetic_panels`):

* one manager per team; half the managers are ``coached`` (the behavioural loop), half
  ``classroom``; the programme starts at week ``start``;
* true skill per behaviour starts at ``N(45, 8)`` and drifts by a small random walk;
* **coached**: four-week cycles, one focus behaviour per cycle; the focus gains
  ``gain * (1 + compounding * cycle)`` points a week — gains are kept, so the cohort's
  mean curve keeps rising and steepens (compounding);
* **classroom**: a ``course_jump``-point rise over the two course weeks, then exponential
  forgetting (time constant ``forget_weeks``) down to a ``course_retained`` plateau;
* measured weekly score = true skill + ``N(0, noise_sd)``, clipped to 0–100; a manager
  misses a week's 1:1s with probability ``p_miss``;
* team KPI at week t = team level + week shock + sum_b effect_b * skill_b(t - lag) + noise;
  rep KPIs likewise with the rep's own level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coachloop.behaviors import BEHAVIOR_IDS as BEHAVIORS
from coachloop.outcomes.panel import Panels, make_panels

DEFAULT_EFFECTS: Mapping[str, float] = {
    "ask_before_tell": 0.15,
    "evidence_based_feedback": 0.10,
}


@dataclass(frozen=True)
class SyntheticOrg:
    panels: Panels
    truth: dict[tuple[str, str], float]
    skill: pd.DataFrame  # manager, week, behavior, skill (true)
    lag: int
    start: int


def synthetic_panels(
    *,
    teams: int = 40,
    weeks: int = 40,
    start: int = 4,
    lag: int = 4,
    effects: Mapping[str, float] = DEFAULT_EFFECTS,
    metric: str = "win_rate",
    noise_sd: float = 8.0,
    kpi_sd: float = 1.0,
    reps_per_team: int = 0,
    gain: float = 4.0,
    compounding: float = 0.15,
    course_jump: float = 10.0,
    course_retained: float = 3.0,
    forget_weeks: float = 4.0,
    drift_sd: float = 0.6,
    p_miss: float = 0.05,
    seed: int = 0,
) -> SyntheticOrg:
    rng = np.random.default_rng(seed)
    nb = len(BEHAVIORS)
    t = np.arange(weeks)
    skill = np.empty((teams, weeks, nb))
    cohorts = []
    for m in range(teams):
        coached = m % 2 == 0
        cohorts.append("coached" if coached else "classroom")
        base = rng.normal(45, 8, nb)
        drift = np.cumsum(rng.normal(0, drift_sd, (weeks, nb)), axis=0)
        lift = np.zeros((weeks, nb))
        if coached:
            level = np.zeros(nb)
            for w in range(weeks):
                if w >= start:
                    cycle = (w - start) // 4
                    focus = (cycle + m) % nb
                    level[focus] += gain * (1 + compounding * cycle)
                lift[w] = level
        else:
            since = t - start
            course = np.where(
                since < 0,
                0.0,
                np.where(
                    since < 2,
                    course_jump * (since + 1) / 2,
                    course_retained
                    + (course_jump - course_retained) * np.exp(-(since - 1) / forget_weeks),
                ),
            )
            lift = np.repeat(course[:, None], nb, axis=1)
        skill[m] = base + drift + lift

    managers = [f"m{m:03d}@example.com" for m in range(teams)]
    team_names = [f"team-{m:03d}" for m in range(teams)]
    measured = np.clip(skill + rng.normal(0, noise_sd, skill.shape), 0, 100)
    missed = rng.random((teams, weeks)) < p_miss
    rows = [
        (managers[m], team_names[m], cohorts[m], w, BEHAVIORS[b], measured[m, w, b])
        for m in range(teams)
        for w in range(weeks)
        if not missed[m, w]
        for b in range(nb)
    ]
    behaviors = pd.DataFrame(
        rows, columns=["manager", "team", "cohort", "week", "behavior", "score"]
    )

    beta = np.array([effects.get(b, 0.0) for b in BEHAVIORS])
    week_shock = rng.normal(0, 1.0, weeks)
    kpi_rows = []
    for m in range(teams):
        team_level = float(rng.normal(20, 3))
        subjects = (
            [("team", team_names[m], team_level)]
            if reps_per_team == 0
            else [
                ("rep", f"rep-{m:03d}-{r}", team_level + float(rng.normal(0, 2)))
                for r in range(reps_per_team)
            ]
        )
        for kind, key, lvl in subjects:
            for w in range(weeks):
                # before week ``lag`` the KPI reflects skill before the data began (week 0)
                value = (
                    lvl + week_shock[w] + skill[m, max(0, w - lag)] @ beta + rng.normal(0, kpi_sd)
                )
                kpi_rows.append((kind, key, team_names[m], w, metric, value))
    kpis = pd.DataFrame(
        kpi_rows, columns=["subject_type", "subject_key", "team", "week", "metric", "value"]
    )
    truth = {(metric, b): float(beta[i]) for i, b in enumerate(BEHAVIORS)}
    skill_long = pd.DataFrame(
        [
            (managers[m], cohorts[m], w, BEHAVIORS[b], skill[m, w, b])
            for m in range(teams)
            for w in range(weeks)
            for b in range(nb)
        ],
        columns=["manager", "cohort", "week", "behavior", "skill"],
    )
    return SyntheticOrg(make_panels(behaviors, kpis), truth, skill_long, lag, start)
