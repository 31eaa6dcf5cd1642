"""What scoring needs beyond the meeting: the caller's context and evidence records.

The workspace derives calendar and calibration results and the cycle's focus topic
and passes them in a :class:`ScoringContext`; behaviours that depend on them are null
with a reason until they arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from coachloop.acts import TOPICS
from coachloop.errors import ConfigError

Value = int | float | None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One quoted moment behind a score. ``index``/``start`` are None for non-meeting
    evidence (a calendar event, a calibration rating)."""

    index: int | None
    start: float | None
    quote: str
    shows: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "quote": self.quote, "shows": self.shows}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(data.get("index"), data.get("start"), str(data["quote"]), str(data["shows"]))


@dataclass(frozen=True, kw_only=True)
class ExternalResult:
    """A behaviour judged outside the meeting (calendars, rating calibration).

    The workspace computes these from calendars or calibration and passes them in a
    :class:`ScoringContext`; ``score`` is 0–100.
    """

    score: float
    why_not_higher: str
    evidence: tuple[Evidence, ...] = ()
    signals: Mapping[str, Value] = field(default_factory=dict)
    source: str = "workspace"

    def __post_init__(self) -> None:
        if not 0 <= self.score <= 100:
            raise ConfigError(
                f"external {self.source} score must be within 0–100, got {self.score}"
            )


@dataclass(frozen=True, kw_only=True)
class ScoringContext:
    """What the meeting alone cannot show, passed in by the caller (workspace, practice).

    focus_topic  the cycle's focus skill topic (as the tagger names topics), used by
                 ``one_behavior_per_cycle`` instead of the most-coached topic
    calendar     behaviour id (``protect_rep_calendars``, ``hold_cadence``) -> result
                 derived from calendars
    calibration  how the manager's ratings compare with the team's (``calibrate_against_team``)
    """

    focus_topic: str | None = None
    calendar: Mapping[str, ExternalResult] = field(default_factory=dict)
    calibration: ExternalResult | None = None

    def __post_init__(self) -> None:
        if self.focus_topic is not None and self.focus_topic not in TOPICS:
            raise ConfigError(
                f"scoring context: unknown focus topic {self.focus_topic!r}",
                hint="topics are " + ", ".join(TOPICS),
            )
        unknown = set(self.calendar) - {"protect_rep_calendars", "hold_cadence"}
        if unknown:
            raise ConfigError(
                f"scoring context: calendar results for unknown behaviours {sorted(unknown)}",
                hint="calendar results are for protect_rep_calendars and hold_cadence",
            )
