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
from coachloop.analytics.curves import CurveComparison, Trend, compare_series, trend
from coachloop.analytics.thresholds import CadenceConfig, CalibrationConfig, LoadConfig

__all__ = [
    "CadenceConfig",
    "CalendarEvent",
    "CalibrationConfig",
    "CurveComparison",
    "LoadConfig",
    "Occurrence",
    "PairCadence",
    "RepWeekLoad",
    "Trend",
    "compare_series",
    "hold_cadence",
    "load_ics",
    "pair_cadence",
    "protect_rep_calendars",
    "rep_week_load",
    "trend",
]
