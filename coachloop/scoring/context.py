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

    The workspace computes these (``coachloop.analytics.calendar.hold_cadence`` and
    ``protect_rep_calendars``, ``coachloop.analytics.calibration.calibrate_against_team_score``
    return the same fields as a dict; :meth:`from_mapping` reads it) and passes them in a
    :class:`ScoringContext`. ``score`` is 0–100, or None with a ``reason``.
    """

    score: float | None
    why_not_higher: str
    evidence: tuple[Evidence, ...] = ()
    signals: Mapping[str, Value] = field(default_factory=dict)
    reason: str | None = None
    source: str = "workspace"

    def __post_init__(self) -> None:
        if self.score is None:
            if not self.reason:
                raise ConfigError(f"external {self.source} result has no score and no reason")
        elif not 0 <= self.score <= 100:
            raise ConfigError(
                f"external {self.source} score must be within 0–100, got {self.score}"
            )
        object.__setattr__(
            self,
            "evidence",
            tuple(e if isinstance(e, Evidence) else Evidence.from_dict(e) for e in self.evidence),
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "workspace") -> ExternalResult:
        """From a ``{score, reason, evidence, why_not_higher, signals}`` dict."""
        return cls(
            score=data.get("score"),
            reason=data.get("reason"),
            why_not_higher=str(data.get("why_not_higher") or data.get("reason") or ""),
            evidence=tuple(data.get("evidence") or ()),
            signals=dict(data.get("signals") or {}),
            source=source,
        )


def _external(value: ExternalResult | Mapping[str, Any], source: str) -> ExternalResult:
    return (
        value
        if isinstance(value, ExternalResult)
        else ExternalResult.from_mapping(value, source=source)
    )


@dataclass(frozen=True, kw_only=True)
class ScoringContext:
    """What the meeting alone cannot show, passed in by the caller (workspace, practice).

    focus_topic  the cycle's focus skill topic (one of ``coachloop.acts.TOPICS``), used
                 by ``one_behavior_per_cycle`` instead of the most-coached topic
    calendar     behaviour id (``protect_rep_calendars``, ``hold_cadence``) -> result
                 derived from calendars (an ExternalResult or the analytics dict)
    calibration  how the manager's ratings compare with the team's, for
                 ``calibrate_against_team`` (an ExternalResult or the analytics dict)
    """

    focus_topic: str | None = None
    calendar: Mapping[str, ExternalResult | Mapping[str, Any]] = field(default_factory=dict)
    calibration: ExternalResult | Mapping[str, Any] | None = None

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
        object.__setattr__(
            self, "calendar", {k: _external(v, "calendar") for k, v in self.calendar.items()}
        )
        if self.calibration is not None:
            object.__setattr__(self, "calibration", _external(self.calibration, "calibration"))

    def calendar_result(self, behavior: str) -> ExternalResult | None:
        found = self.calendar.get(behavior)
        return found if isinstance(found, ExternalResult) else None

    def calibration_result(self) -> ExternalResult | None:
        return self.calibration if isinstance(self.calibration, ExternalResult) else None
