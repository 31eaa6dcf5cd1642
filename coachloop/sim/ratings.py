"""Ratings: managers rate their reps' skills monthly; reps rate their 1:1s.

A manager's rating of a rep's skill is the rep's true skill plus a bias and noise that
both grow as the manager's ``calibrate_against_team`` level falls: a well-calibrated
manager's ratings rank reps the way their true skill (and KPIs) do, a poorly
calibrated one rates everyone high and at random. A rep's rating of a 1:1 (1–5) rises
with the manager's ask-before-tell and behaviour-not-outcome levels that week.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from statistics import fmean

from coachloop.sim.managers import ManagerTrajectory
from coachloop.sim.org import RATED_SKILLS, Manager, Org

MANAGER_RATING_COLUMNS = ("manager", "rep", "period", "skill", "rating")
REP_RATING_COLUMNS = ("rep", "manager", "started_at", "rating", "comment")
COMMENTS = {
    1: ("Mostly a status update.", "I didn't get to say much.", "Felt rushed."),
    2: ("Useful but a lot of telling.", "Too focused on the numbers."),
    3: ("Fine.", "Okay session.", ""),
    4: ("Good questions, helpful.", "Clear next step for me.", ""),
    5: ("Really useful, I know exactly what to practise.", "Great coaching.", ""),
}


def period_of(org: Org, week: int) -> str:
    """The rating period of a week: blocks of four weeks named by their first Monday."""
    from coachloop.sim.calendars import week_start

    first = week_start(org, ((week - 1) // 4) * 4 + 1)
    return first.strftime("%Y-%m-%d")


def manager_rating_rows(
    org: Org, manager: Manager, traj: ManagerTrajectory, *, seed: int
) -> Iterator[dict[str, object]]:
    for start_week in range(1, org.weeks + 1, 4):
        weeks = range(start_week, min(org.weeks, start_week + 3) + 1)
        cal = fmean(traj.levels[w - 1]["calibrate_against_team"] for w in weeks)
        gap = 1.0 - cal
        bias = manager.leniency * gap * 1.6
        noise = 0.25 + 1.1 * gap
        for rep in manager.reps:
            rng = random.Random(f"{seed}:rating:{rep.person.email}:{start_week}")
            for skill in RATED_SKILLS:
                true = rep.skills[skill]
                # poorly calibrated managers also squash the spread toward "good"
                seen = (1.0 - 0.6 * gap) * true + 0.6 * gap * 3.8 + bias + rng.gauss(0.0, noise)
                yield {
                    "manager": manager.person.email,
                    "rep": rep.person.email,
                    "period": period_of(org, start_week),
                    "skill": skill,
                    "rating": int(min(5, max(1, round(seen)))),
                }


def rep_rating(levels: dict[str, float], rng: random.Random) -> tuple[int, str]:
    quality = 0.55 * levels["ask_before_tell"] + 0.45 * levels["behavior_not_outcome"]
    value = int(min(5, max(1, round(1.4 + 3.4 * quality + rng.gauss(0.0, 0.6)))))
    return value, rng.choice(COMMENTS[value])
