"""The seven coached behaviours: their ids, in the order the product lists them.

One source for every layer (scoring, workspace cycle, practice, simulation, outcomes)
and free of imports, so the light layers can name the behaviours without loading the
scoring engine. The scoring registry checks that it registers exactly these
(``tests/scoring/test_scoring_behaviors.py``).
"""

from __future__ import annotations

BEHAVIOR_IDS: tuple[str, ...] = (
    "ask_before_tell",
    "one_behavior_per_cycle",
    "evidence_based_feedback",
    "behavior_not_outcome",
    "calibrate_against_team",
    "protect_rep_calendars",
    "hold_cadence",
)
#: Scored from the conversation itself.
TRANSCRIPT_BEHAVIORS: tuple[str, ...] = BEHAVIOR_IDS[:5]
#: Scored from calendars (null in a meeting's scorecard until calendars are imported).
CALENDAR_BEHAVIORS: tuple[str, ...] = BEHAVIOR_IDS[5:]
