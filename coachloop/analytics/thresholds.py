"""Default thresholds and weights of the analytics functions, in one place.

Every number the calendar, calibration, curve and focus functions compare against lives
here, with where it comes from (see docs/analytics.md for the sources and which ones are
judgement calls). A caller overrides any of them with ``config=`` — either an instance
of the dataclass or a plain mapping of field names — and a bad value is refused with a
:class:`~coachloop.errors.ConfigError` that names the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coachloop.errors import ConfigError

T = TypeVar("T")


def _need(cond: bool, cls: str, field: str, msg: str) -> None:
    if not cond:
        raise ConfigError(f"{cls}.{field}: {msg}", hint="fix the value in your config")


def _check_weights(obj: Any, names: tuple[str, ...]) -> None:
    cls = type(obj).__name__
    total = 0.0
    for name in names:
        value = getattr(obj, name)
        _need(
            isinstance(value, int | float) and value >= 0,
            cls,
            name,
            f"weight must be a number ≥ 0, got {value!r}",
        )
        total += value
    _need(total > 0, cls, "/".join(names), "weights must not all be 0")


@dataclass(frozen=True, slots=True)
class CadenceConfig:
    """Thresholds of :func:`pair_cadence` and :func:`hold_cadence`."""

    # A planned 1:1 counts as held when a recording starts within this many minutes of it.
    held_tolerance_minutes: float = 45.0
    # Coverage: a rep is covered when their last 1:1 is at most this many days old.
    coverage_days: int = 14
    # Gap score: 1 at or below ``gap_ok_days``, 0 at or above ``gap_max_days``, linear between.
    gap_ok_days: float = 14.0
    gap_max_days: float = 42.0
    # Workplace-analytics norm: 1:1s of at least 30 minutes, at least twice a month.
    min_minutes: float = 30.0
    norm_per_month: float = 2.0
    w_share_held: float = 0.4
    w_coverage: float = 0.3
    w_gap: float = 0.2
    w_length: float = 0.1

    def __post_init__(self) -> None:
        cls = type(self).__name__
        _need(self.held_tolerance_minutes > 0, cls, "held_tolerance_minutes", "must be > 0")
        _need(self.coverage_days > 0, cls, "coverage_days", "must be > 0")
        _need(
            0 <= self.gap_ok_days < self.gap_max_days,
            cls,
            "gap_ok_days",
            f"must satisfy 0 ≤ gap_ok_days < gap_max_days (got {self.gap_ok_days}, {self.gap_max_days})",
        )
        _need(self.min_minutes > 0, cls, "min_minutes", "must be > 0")
        _need(self.norm_per_month > 0, cls, "norm_per_month", "must be > 0")
        _check_weights(self, ("w_share_held", "w_coverage", "w_gap", "w_length"))


@dataclass(frozen=True, slots=True)
class LoadConfig:
    """Thresholds of :func:`rep_week_load` and :func:`protect_rep_calendars`."""

    timezone: str = "UTC"
    workday_start_hour: int = 9
    workday_end_hour: int = 17
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday=0 … Friday=4
    focus_block_hours: float = 2.0
    # Internal = every participant's e-mail domain is one of these (default: the rep's own).
    internal_domains: tuple[str, ...] = ()
    # Score components (judgement calls, see docs/analytics.md).
    focus_blocks_target: float = 5.0  # one ≥2 h block a working day
    meeting_hours_ok: float = 12.0
    meeting_hours_max: float = 20.0
    manager_hours_ok: float = 2.0
    manager_hours_max: float = 6.0
    w_focus: float = 0.4
    w_load: float = 0.2
    w_manager: float = 0.2
    w_after_hours: float = 0.2

    def __post_init__(self) -> None:
        cls = type(self).__name__
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ConfigError(
                f"{cls}.timezone: unknown time zone {self.timezone!r}",
                hint="use an IANA name such as 'Europe/Berlin'",
            ) from None
        _need(
            0 <= self.workday_start_hour < self.workday_end_hour <= 24,
            cls,
            "workday_start_hour",
            f"need 0 ≤ start < end ≤ 24 (got {self.workday_start_hour}–{self.workday_end_hour})",
        )
        object.__setattr__(self, "workdays", tuple(self.workdays))
        _need(
            bool(self.workdays) and all(d in range(7) for d in self.workdays),
            cls,
            "workdays",
            "must be a non-empty list of weekday numbers 0 (Monday) … 6 (Sunday)",
        )
        _need(self.focus_block_hours > 0, cls, "focus_block_hours", "must be > 0")
        object.__setattr__(
            self, "internal_domains", tuple(d.lower() for d in self.internal_domains)
        )
        _need(self.focus_blocks_target > 0, cls, "focus_blocks_target", "must be > 0")
        _need(
            0 <= self.meeting_hours_ok < self.meeting_hours_max,
            cls,
            "meeting_hours_ok",
            "need 0 ≤ meeting_hours_ok < meeting_hours_max",
        )
        _need(
            0 <= self.manager_hours_ok < self.manager_hours_max,
            cls,
            "manager_hours_ok",
            "need 0 ≤ manager_hours_ok < manager_hours_max",
        )
        _check_weights(self, ("w_focus", "w_load", "w_manager", "w_after_hours"))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class CalibrationConfig:
    """Thresholds of :func:`calibrate` and :func:`calibrate_against_team_score`."""

    min_ratings: int = 8  # per manager
    min_managers: int = 2  # peers needed for a leniency estimate
    min_pairs_for_rank: int = 5  # (rating, performance) pairs for Spearman
    alpha: float = 0.05
    # Score components: |manager effect| in rating-scale SDs (0 → 1, ≥ effect_max_sd → 0),
    # rank agreement (rho ≤ 0 → 0, rho ≥ rho_good → 1), spread ratio (|log ratio| ≥ log 2 → 0),
    # benchmark references per meeting (≥ refs_good → 1).
    effect_max_sd: float = 1.0
    rho_good: float = 0.6
    refs_good: float = 1.0
    w_leniency: float = 0.4
    w_rank: float = 0.3
    w_spread: float = 0.15
    w_refs: float = 0.15

    def __post_init__(self) -> None:
        cls = type(self).__name__
        _need(self.min_ratings >= 2, cls, "min_ratings", "must be ≥ 2")
        _need(self.min_managers >= 2, cls, "min_managers", "must be ≥ 2")
        _need(self.min_pairs_for_rank >= 3, cls, "min_pairs_for_rank", "must be ≥ 3")
        _need(0 < self.alpha < 1, cls, "alpha", "must be in (0, 1)")
        _need(self.effect_max_sd > 0, cls, "effect_max_sd", "must be > 0")
        _need(0 < self.rho_good <= 1, cls, "rho_good", "must be in (0, 1]")
        _need(self.refs_good > 0, cls, "refs_good", "must be > 0")
        _check_weights(self, ("w_leniency", "w_rank", "w_spread", "w_refs"))


def resolve(cls: type[T], config: T | Mapping[str, Any] | None) -> T:
    """``config`` as a ``cls``: None → defaults, a mapping → validated overrides."""
    if config is None:
        return cls()
    if isinstance(config, cls):
        return config
    if isinstance(config, Mapping):
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(config) - known)
        if unknown:
            raise ConfigError(
                f"{cls.__name__}: unknown setting(s) {unknown}",
                hint=f"known settings: {sorted(known)}",
            )
        try:
            return cls(**config)
        except TypeError as exc:  # a comparison against a value of the wrong type
            raise ConfigError(f"{cls.__name__}: {exc}") from None
    raise ConfigError(f"config must be a {cls.__name__} or a mapping, got {type(config).__name__}")
