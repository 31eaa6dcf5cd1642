"""Analytics: calendar cadence and rep load, calibration, weekly-curve trends, focus picking.

Pure functions over plain data (events, data frames, score dicts); the workspace stores
their inputs and outputs and the CLI shows them. See docs/analytics.md.
"""

from coachloop.analytics.calendar import (
    CalendarEvent,
    Occurrence,
    PairCadence,
    RepWeekLoad,
    hold_cadence,
    load_ics,
    pair_cadence,
    protect_rep_calendars,
    rep_week_load,
)
from coachloop.analytics.calibration import (
    CalibrationResult,
    calibrate,
    calibrate_against_team_score,
)
from coachloop.analytics.curves import CurveComparison, Trend, compare_series, trend
from coachloop.analytics.focus import (
    DEFAULT_IMPACT,
    FocusDecision,
    FocusState,
    pick_focus,
    suggest_debrief_questions,
    team_benchmark,
)
from coachloop.analytics.thresholds import CadenceConfig, CalibrationConfig, LoadConfig

__all__ = [
    "DEFAULT_IMPACT",
    "CadenceConfig",
    "CalendarEvent",
    "CalibrationConfig",
    "CalibrationResult",
    "CurveComparison",
    "FocusDecision",
    "FocusState",
    "LoadConfig",
    "Occurrence",
    "PairCadence",
    "RepWeekLoad",
    "Trend",
    "calibrate",
    "calibrate_against_team_score",
    "compare_series",
    "hold_cadence",
    "load_ics",
    "pair_cadence",
    "pick_focus",
    "protect_rep_calendars",
    "rep_week_load",
    "suggest_debrief_questions",
    "team_benchmark",
    "trend",
]
