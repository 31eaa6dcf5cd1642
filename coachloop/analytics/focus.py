"""Picking the ONE behaviour a manager works on this cycle, and keeping it.

The rule (docs/analytics.md, "Focus"):

1. Candidates are behaviours with a score and a team benchmark, below ``mastery``, whose
   gap to the benchmark (benchmark − score) is at least ``min_gap`` points.
2. Priority = gap × impact (the behaviour's estimated effect on rep outcomes,
   :data:`DEFAULT_IMPACT` unless given). Highest priority wins; ties go to the larger raw
   gap, then to the behaviour name, so the same input always gives the same focus.
3. Inside a running cycle the focus is kept, unless its score reached ``mastery``.
4. When a cycle ends, the current focus stays for another cycle unless a challenger's
   priority beats it by more than ``min_gap`` (hysteresis: no flip-flopping between two
   behaviours a point apart).

Behaviours whose score is None (not measurable this cycle) are never picked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from coachloop.errors import ConfigError

__all__ = [
    "DEFAULT_IMPACT",
    "FocusDecision",
    "FocusState",
    "pick_focus",
    "suggest_debrief_questions",
    "team_benchmark",
]

#: Estimated relative impact of each behaviour on rep outcomes (1.0 = highest). These are
#: judgement calls from the coaching literature summarised in docs/analytics.md, not
#: fitted values; coachloop.outcomes can replace them with an estimated impact model.
DEFAULT_IMPACT: dict[str, float] = {
    "ask_before_tell": 1.0,
    "evidence_based_feedback": 1.0,
    "hold_cadence": 1.0,
    "behavior_not_outcome": 0.9,
    "one_behavior_per_cycle": 0.8,
    "calibrate_against_team": 0.7,
    "protect_rep_calendars": 0.7,
}


@dataclass(frozen=True, slots=True)
class FocusState:
    """The focus in force: what the workspace stores between cycles."""

    behavior: str
    cycle_start: date
    cycle_weeks: int = 2

    @property
    def cycle_end(self) -> date:
        """First day after the cycle."""
        return self.cycle_start + timedelta(weeks=self.cycle_weeks)


@dataclass(frozen=True, slots=True)
class FocusDecision:
    """The focus for the cycle containing ``week``.

    behavior     the behaviour to work on, or None when nothing qualifies
    reason       one sentence saying why, with the numbers
    cycle_start  Monday the (possibly new) cycle started
    kept         True when the previous focus carries on (same cycle or a new one)
    priorities   gap × impact of every candidate, for display
    """

    behavior: str | None
    reason: str
    cycle_start: date
    kept: bool
    cycle_weeks: int = 2
    priorities: dict[str, float] = field(default_factory=dict)

    @property
    def state(self) -> FocusState | None:
        """What to pass as ``previous`` next time."""
        if self.behavior is None:
            return None
        return FocusState(self.behavior, self.cycle_start, self.cycle_weeks)


def _monday(value: date | datetime) -> date:
    day = value.date() if isinstance(value, datetime) else value
    return day - timedelta(days=day.weekday())


def _label(behavior: str) -> str:
    return behavior.replace("_", " ")


def _num(x: float | None) -> float | None:
    """``x`` as a float, or None when it is None or NaN (not measured)."""
    if x is None:
        return None
    value = float(x)
    return None if math.isnan(value) else value


def team_benchmark(
    team_scores: Mapping[str, Sequence[float | None]], *, kind: str = "top_quartile"
) -> dict[str, float | None]:
    """The team benchmark per behaviour from every manager's score.

    ``kind`` is 'top_quartile' (75th percentile, linear interpolation: what the team's
    stronger managers already do) or 'median'. None scores are ignored; a behaviour with
    no score gets None.
    """
    if kind not in ("top_quartile", "median"):
        raise ConfigError(f"benchmark kind must be 'top_quartile' or 'median', got {kind!r}")
    q = 75 if kind == "top_quartile" else 50
    out: dict[str, float | None] = {}
    for behavior, values in team_scores.items():
        vals = [v for v in map(_num, values) if v is not None]
        out[behavior] = float(np.percentile(vals, q)) if vals else None
    return out


def pick_focus(
    scores: Mapping[str, float | None],
    team: Mapping[str, float | None],
    *,
    impact: Mapping[str, float] | None = None,
    previous: FocusState | None = None,
    week: date | datetime,
    cycle_weeks: int = 2,
    mastery: float = 80.0,
    min_gap: float = 5.0,
) -> FocusDecision:
    """The focus behaviour for the cycle that contains ``week`` (see module docstring).

    ``scores`` are the manager's current scores, ``team`` the benchmark per behaviour
    (:func:`team_benchmark`), ``previous`` the focus in force.
    """
    if not isinstance(cycle_weeks, int) or cycle_weeks < 1:
        raise ConfigError(f"cycle_weeks must be a whole number ≥ 1, got {cycle_weeks!r}")
    if not 0 < mastery <= 100:
        raise ConfigError(f"mastery must be in (0, 100], got {mastery!r}")
    if min_gap < 0:
        raise ConfigError(f"min_gap must be ≥ 0, got {min_gap!r}")
    weights = dict(DEFAULT_IMPACT)
    if impact:
        for name, value in impact.items():
            number = _num(value)
            if number is None or number < 0:
                raise ConfigError(f"impact of {name!r} must be a number ≥ 0, got {value!r}")
        weights.update(impact)

    this_week = _monday(week)
    mine = {b: v for b, v in ((b, _num(s)) for b, s in scores.items()) if v is not None}
    bench = {b: v for b, v in ((b, _num(s)) for b, s in team.items()) if v is not None}
    gaps: dict[str, float] = {}
    priorities: dict[str, float] = {}
    for behavior in sorted(set(mine) & set(bench)):
        gap = bench[behavior] - mine[behavior]
        if mine[behavior] >= mastery or gap < min_gap:
            continue
        gaps[behavior] = gap
        priorities[behavior] = round(gap * weights.get(behavior, 1.0), 9)
    ranked = sorted(priorities, key=lambda b: (-priorities[b], -gaps[b], b))

    def explain(b: str) -> str:
        return (
            f"{_label(b)}: {mine[b]:.0f} vs team {bench[b]:.0f} "
            f"(gap {gaps[b]:.1f} × impact {weights.get(b, 1.0):g} = {priorities[b]:.1f})"
        )

    if previous is not None:
        current = previous.behavior
        cur_score = mine.get(current)
        mastered = cur_score is not None and cur_score >= mastery
        in_cycle = previous.cycle_start <= this_week < previous.cycle_end
        if in_cycle and not mastered:
            return FocusDecision(
                current,
                f"kept: the cycle on {_label(current)} started {previous.cycle_start} and runs "
                f"to {previous.cycle_end - timedelta(days=1)}",
                previous.cycle_start,
                True,
                previous.cycle_weeks,
                priorities,
            )
        if not mastered and current in priorities and ranked:
            best = ranked[0]
            if best == current or priorities[best] <= priorities[current] + min_gap:
                why = f"kept for a new cycle: {explain(current)}"
                if best != current:
                    why += f"; {_label(best)} ({priorities[best]:.1f}) does not beat it by more than {min_gap:g}"
                return FocusDecision(current, why, this_week, True, cycle_weeks, priorities)
        lead = f"{_label(current)} mastered ({cur_score:.0f} ≥ {mastery:g}); " if mastered else ""
    else:
        lead = ""

    if not ranked:
        why = (
            "no behaviour has a score this cycle"
            if not mine
            else f"no scored behaviour is below {mastery:g} and at least {min_gap:g} points under the team"
        )
        return FocusDecision(None, lead + why, this_week, False, cycle_weeks, priorities)
    best = ranked[0]
    why = f"{lead}{explain(best)}, the largest weighted gap"
    if len(ranked) > 1:
        why += f" (next: {_label(ranked[1])} {priorities[ranked[1]]:.1f})"
    return FocusDecision(best, why, this_week, False, cycle_weeks, priorities)


def suggest_debrief_questions(
    decision: FocusDecision, deltas: Mapping[str, float | None]
) -> list[str]:
    """2–4 questions for the manager's manager to ask in the cycle debrief.

    ``deltas`` is each behaviour's score change over the cycle just ended (None when it
    could not be measured).
    """
    questions: list[str] = []
    focus = decision.behavior
    if focus is None:
        questions.append(
            "No behaviour stands out against the team this cycle. Which part of their 1:1s "
            "do they want feedback on next?"
        )
    else:
        label = _label(focus)
        delta = _num(deltas.get(focus))
        if delta is not None:
            moved = "rose" if delta > 0 else "fell" if delta < 0 else "did not move"
            amount = f" {abs(delta):.0f} points" if delta else ""
            questions.append(
                f"'{label}' {moved}{amount} this cycle. What did they do differently in their "
                "1:1s, and in which conversation did it work best?"
            )
        else:
            questions.append(
                f"There is no '{label}' score for this cycle. Were the 1:1s recorded, and if "
                "not, what got in the way?"
            )
        if decision.kept:
            questions.append(
                f"This is another cycle on '{label}'. What one thing would make it stick: a "
                "practice scenario, or a specific rep to try it with first?"
            )
        else:
            questions.append(
                f"'{label}' is the new focus. Which rep would notice the change first, and "
                "how will they check it landed?"
            )
    others = {
        b: d for b, d in ((b, _num(x)) for b, x in deltas.items()) if b != focus and d is not None
    }
    drops = sorted((d, b) for b, d in others.items() if d <= -5)
    gains = sorted(((-d, b) for b, d in others.items() if d >= 5))
    if drops:
        d, b = drops[0]
        questions.append(
            f"'{_label(b)}' fell {abs(d):.0f} points while they worked on something else. "
            "A trade-off they chose, or a sign of a busy cycle?"
        )
    if gains and len(questions) < 4:
        d, b = gains[0]
        questions.append(
            f"'{_label(b)}' rose {-d:.0f} points without being the focus. What changed?"
        )
    if len(questions) < 2:
        questions.append("What support do they need from you before the next cycle?")
    return questions[:4]
