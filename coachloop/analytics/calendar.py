"""Calendar analytics: 1:1 cadence per manager–rep pair and each rep's weekly meeting load.

Input is one or more iCalendar exports (a person's Google or Outlook calendar, or an org
export). :func:`load_ics` expands recurring series over a window — EXDATEs, cancelled
overrides and moved occurrences included — into plain :class:`CalendarEvent` values in
UTC, the same occurrence seen in several people's exports once. Everything after that is a
pure function over those events:

* :func:`pair_cadence` — the planned cadence of one manager–rep pair and how much of it
  was held (matched to recordings when their start times are given);
* :func:`hold_cadence` — the ``hold_cadence`` behaviour result for a manager;
* :func:`rep_week_load` — one rep's week: meeting hours, what the manager added, focus
  blocks, after-hours meetings;
* :func:`protect_rep_calendars` — the ``protect_rep_calendars`` behaviour result.

Definitions, formulas and where each threshold comes from: docs/analytics.md.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from coachloop.analytics.thresholds import CadenceConfig, LoadConfig, resolve
from coachloop.errors import EncodingError, FormatError, InputError

__all__ = [
    "CalendarEvent",
    "Occurrence",
    "PairCadence",
    "RepWeekLoad",
    "hold_cadence",
    "load_ics",
    "pair_cadence",
    "protect_rep_calendars",
    "rep_week_load",
]

_STATUSES = {"confirmed", "tentative", "cancelled"}
# Properties whose value coachloop reads; a value icalendar cannot parse is refused with
# its line. Others (a malformed ATTENDEE CN, say) are left alone.
_CHECKED_PROPS = {
    "DTSTART": "dates look like 20261005T100000Z or 20261005",
    "DTEND": "dates look like 20261005T100000Z or 20261005",
    "RECURRENCE-ID": "dates look like 20261005T100000Z or 20261005",
    "EXDATE": "dates look like 20261005T100000Z or 20261005",
    "RDATE": "dates look like 20261005T100000Z or 20261005",
    "DURATION": "durations look like PT30M or P1D",
    "RRULE": "rules look like FREQ=WEEKLY;BYDAY=MO",
    "SEQUENCE": "SEQUENCE is a whole number",
}


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One occurrence of a calendar event, times in UTC.

    uid            the iCalendar UID (shared by every occurrence of a series)
    title          SUMMARY ('' when absent)
    start, end     timezone-aware UTC; all-day events run from local midnight to midnight
    organizer      lower-case e-mail or None
    attendees      lower-case e-mails of people (rooms and resources left out), sorted
    status         'confirmed', 'tentative' or 'cancelled' (an EXDATE'd occurrence of a
                   series is reported as 'cancelled': Google and Outlook write a deleted
                   occurrence either way)
    recurring      the occurrence belongs to a series (RRULE/RDATE)
    moved          an override whose start differs from the slot it replaces
    original_start the slot in the series (RECURRENCE-ID); == start for one-off events
    all_day        DTSTART was a DATE
    rule           the series' RRULE text (e.g. 'FREQ=WEEKLY;BYDAY=MO'), None for one-offs
    sequence       SEQUENCE (used to pick the newest copy when exports disagree)
    declined       attendees whose PARTSTAT is DECLINED (still listed in ``attendees``)
    """

    uid: str
    title: str
    start: datetime
    end: datetime
    organizer: str | None = None
    attendees: tuple[str, ...] = ()
    status: str = "confirmed"
    recurring: bool = False
    moved: bool = False
    original_start: datetime | None = None
    all_day: bool = False
    rule: str | None = None
    sequence: int = 0
    declined: tuple[str, ...] = ()

    @property
    def participants(self) -> frozenset[str]:
        """Organizer and attendees, lower-case."""
        people = set(self.attendees)
        if self.organizer:
            people.add(self.organizer)
        return frozenset(people)

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60.0

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------


def _as_utc(value: date | datetime, default_tz: tzinfo, what: str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=default_tz)
        return value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=default_tz).astimezone(UTC)
    raise InputError(f"{what} must be a date or datetime, got {value!r}")


def _read_source(src: str | Path | bytes) -> tuple[str, str]:
    """(name, text) of one source: a path, ICS text, or ICS bytes."""
    if isinstance(src, bytes):
        name, raw = "<bytes>", src
    elif isinstance(src, Path) or (
        isinstance(src, str) and "\n" not in src and "BEGIN:" not in src.upper()
    ):
        path = Path(src)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read calendar file: {exc.strerror}", file=path) from None
        name = str(path)
    elif isinstance(src, str):
        return "<text>", src
    else:
        raise InputError(f"expected an ICS path, text or bytes, got {type(src).__name__}")
    try:
        return name, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"not UTF-8 at byte {exc.start}",
            file=name,
            hint="iCalendar files are UTF-8; re-export the calendar",
        ) from None


def _prop_line(lines: list[str], prop: str, value: str | None = None) -> int | None:
    """1-based physical line of the first content line of ``prop`` (with ``value``)."""
    pat = re.compile(rf"^{re.escape(prop)}[;:]", re.IGNORECASE)
    for i, line in enumerate(lines, start=1):
        if pat.match(line) and (value is None or value in line):
            return i
    return None


def _parse(name: str, text: str) -> icalendar.Calendar:
    lines = text.splitlines()
    first = next(((i, ln) for i, ln in enumerate(lines, start=1) if ln.strip()), (1, ""))
    if not first[1].strip().upper().startswith("BEGIN:VCALENDAR"):
        raise FormatError(
            "not an iCalendar file (it does not start with BEGIN:VCALENDAR)",
            file=name,
            line=first[0],
            hint="export the calendar as .ics",
        )
    try:
        cal = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise FormatError(f"not a valid iCalendar file: {exc}", file=name) from None
    for comp in cal.walk("VEVENT"):
        for prop, message in getattr(comp, "errors", ()):
            if prop in _CHECKED_PROPS:
                shown = str(comp.get(prop))
                raise FormatError(
                    f"bad {prop} {shown!r} in event {str(comp.get('UID', '?'))!r}: {message}",
                    file=name,
                    line=_prop_line(lines, prop, shown),
                    hint=_CHECKED_PROPS[prop],
                )
        if comp.get("DTSTART") is None:
            raise FormatError(
                f"event {str(comp.get('UID', '?'))!r} has no DTSTART",
                file=name,
                line=_prop_line(lines, "UID", str(comp.get("UID", ""))),
            )
    return cal


def _email(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower() or None


def _attendees(comp: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(people, those of them who declined); rooms and resources are not people."""
    raw = comp.get("ATTENDEE")
    if raw is None:
        return (), ()
    items = raw if isinstance(raw, list) else [raw]
    out, declined = set(), set()
    for item in items:
        params = getattr(item, "params", {})
        if str(params.get("CUTYPE", "INDIVIDUAL")).upper() in ("ROOM", "RESOURCE"):
            continue
        email = _email(item)
        if email:
            out.add(email)
            if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
                declined.add(email)
    return tuple(sorted(out)), tuple(sorted(declined))


def _first_text(value: Any) -> str:
    """A text property as a string; the first one when a broken export repeats it."""
    if isinstance(value, list):
        value = value[0] if value else None
    return "" if value is None else str(value)


def _dates_of(prop: Any) -> list[date | datetime]:
    """Every date in an EXDATE/RDATE property (one vDDDLists or a list of them)."""
    items = prop if isinstance(prop, list) else [prop]
    out: list[date | datetime] = []
    for item in items:
        out.extend(d.dt for d in getattr(item, "dts", []))
    return out


def _event_from(comp: Any, *, default_tz: tzinfo, series: Mapping[str, str]) -> CalendarEvent:
    raw_start = comp["DTSTART"].dt
    all_day = not isinstance(raw_start, datetime)
    start = _as_utc(raw_start, default_tz, "DTSTART")
    if comp.get("DTEND") is not None:
        end = _as_utc(comp["DTEND"].dt, default_tz, "DTEND")
    elif comp.get("DURATION") is not None:
        end = start + comp["DURATION"].dt
    else:
        end = start + (timedelta(days=1) if all_day else timedelta(0))
    end = max(end, start)
    uid = str(comp.get("UID") or "")
    if not uid:  # an event without UID still needs a stable identity for de-duplication
        uid = (
            "nouid-"
            + hashlib.sha256(f"{comp.get('SUMMARY')}|{start.isoformat()}".encode()).hexdigest()[:16]
        )
    rid = comp.get("RECURRENCE-ID")
    original = _as_utc(rid.dt, default_tz, "RECURRENCE-ID") if rid is not None else start
    recurring = uid in series
    status = str(comp.get("STATUS", "CONFIRMED")).lower()
    people, declined = _attendees(comp)
    seq = comp.get("SEQUENCE", 0)
    return CalendarEvent(
        uid=uid,
        title=_first_text(comp.get("SUMMARY")),
        start=start,
        end=end,
        organizer=_email(_first_text(comp.get("ORGANIZER")) or None),
        attendees=people,
        declined=declined,
        status=status if status in _STATUSES else "confirmed",
        recurring=recurring,
        moved=recurring and original != start,
        original_start=original,
        all_day=all_day,
        rule=series.get(uid),
        sequence=int(seq) if str(seq).lstrip("-").isdigit() else 0,
    )


def _events_of(
    cal: icalendar.Calendar, name: str, *, start: datetime, end: datetime, default_tz: tzinfo
) -> list[CalendarEvent]:
    masters = [c for c in cal.walk("VEVENT") if c.get("RECURRENCE-ID") is None]
    series: dict[str, str] = {}
    for comp in masters:
        if comp.get("RRULE") is not None or comp.get("RDATE") is not None:
            rule = comp.get("RRULE")
            rules = rule if isinstance(rule, list) else [rule]
            text = rules[0].to_ical().decode() if rule is not None else "RDATE"
            series[str(comp.get("UID") or "")] = text
    try:
        occurrences = recurring_ical_events.of(cal).between(start, end)
    except Exception as exc:  # the expander raises many types for malformed rules
        raise FormatError(f"cannot expand recurring events: {exc}", file=name) from None
    events = [_event_from(c, default_tz=default_tz, series=series) for c in occurrences]
    # EXDATE'd slots are deleted occurrences: report them as cancelled so cadence can
    # count them (recurring_ical_events drops them silently).
    for comp in masters:
        uid = str(comp.get("UID") or "")
        if uid not in series or comp.get("EXDATE") is None:
            continue
        base = _event_from(comp, default_tz=default_tz, series=series)
        length = base.end - base.start
        for slot in _dates_of(comp["EXDATE"]):
            slot_utc = _as_utc(slot, default_tz, "EXDATE")
            if start <= slot_utc < end:
                events.append(
                    replace(
                        base,
                        start=slot_utc,
                        end=slot_utc + length,
                        status="cancelled",
                        original_start=slot_utc,
                        moved=False,
                    )
                )
    return events


def _newest(a: CalendarEvent, b: CalendarEvent) -> CalendarEvent:
    """Of two copies of one occurrence, the one to keep; attendees are merged."""

    def rank(e: CalendarEvent) -> tuple[int, bool, bool]:
        return (e.sequence, e.cancelled, e.moved)

    keep = b if rank(b) > rank(a) else a
    return replace(
        keep,
        attendees=tuple(sorted(set(a.attendees) | set(b.attendees))),
        declined=tuple(sorted(set(a.declined) | set(b.declined))),
    )


def load_ics(
    sources: str | Path | bytes | Iterable[str | Path | bytes],
    *,
    start: date | datetime,
    end: date | datetime,
    default_tz: tzinfo = UTC,
) -> list[CalendarEvent]:
    """Every event occurrence overlapping ``[start, end)`` in the given exports.

    ``sources`` is a path, ICS text or bytes, or a list of them (e.g. one export per
    person). Recurring series are expanded with their exceptions; an occurrence present
    in several exports (same UID and RECURRENCE-ID) is returned once, the copy with the
    highest SEQUENCE kept and attendees merged. Floating times and the ``start``/``end``
    of the window when given as dates are read in ``default_tz``. Sorted by start, uid.

    Raises :class:`~coachloop.errors.FormatError` (an InputError) naming the file and
    line for a file that is not iCalendar or has a bad date.
    """
    lo = _as_utc(start, default_tz, "start")
    hi = _as_utc(end, default_tz, "end")
    if hi <= lo:
        raise InputError(
            f"calendar window is empty: end {hi.isoformat()} is not after start {lo.isoformat()}"
        )
    if isinstance(sources, str | bytes | Path):
        sources = [sources]
    merged: dict[tuple[str, datetime | None], CalendarEvent] = {}
    for src in sources:
        name, text = _read_source(src)
        cal = _parse(name, text)
        for ev in _events_of(cal, name, start=lo, end=hi, default_tz=default_tz):
            # A one-off event has one instance whatever its start: a rescheduled copy
            # in another export (higher SEQUENCE) replaces the stale one.
            key = (ev.uid, ev.original_start if ev.recurring else None)
            merged[key] = _newest(merged[key], ev) if key in merged else ev
    return sorted(merged.values(), key=lambda e: (e.start, e.uid))


# ---------------------------------------------------------------------------------------
# Cadence
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One planned 1:1 of a pair and what became of it.

    outcome  'held' | 'missed' (not cancelled, no recording) | 'cancelled'
    """

    start: datetime
    end: datetime
    title: str
    outcome: str
    moved: bool = False
    recording_start: datetime | None = None

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60.0


@dataclass(frozen=True, slots=True)
class PairCadence:
    """How one manager–rep pair's 1:1s went over a window.

    cadence         'weekly', 'biweekly', 'every 3 weeks', 'monthly', 'every N days',
                    'ad hoc' (only one-off 1:1s) or 'none' (no 1:1 on the calendar)
    cadence_days    days between planned 1:1s in the series (None without a series)
    planned         1:1 occurrences in the window, cancelled ones included
    held            planned ones held (matched to a recording when recordings are given,
                    else every one not cancelled)
    unplanned_held  recordings that matched no planned 1:1 (ad-hoc 1:1s)
    cancelled       cancelled occurrences (cancelled overrides and EXDATEs)
    rescheduled     moved occurrences
    share_held      held / planned (None when nothing was planned)
    longest_gap_days  longest stretch between 1:1s actually held, including from the last
                    one to the end of the window; the whole window when none was held
    last_held       date (UTC) of the last 1:1 held, planned or not
    median_minutes  median scheduled length of the held planned 1:1s
    """

    manager: str
    rep: str
    start: datetime
    end: datetime
    cadence: str
    cadence_days: float | None
    planned: int
    held: int
    unplanned_held: int
    cancelled: int
    rescheduled: int
    share_held: float | None
    longest_gap_days: float
    last_held: date | None
    median_minutes: float | None
    occurrences: tuple[Occurrence, ...] = ()
    held_source: str = "calendar"  # or "recordings"


def _rule_days(rule: str) -> float | None:
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    freq = parts.get("FREQ")
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return None
    byday = [d for d in parts.get("BYDAY", "").split(",") if d]
    if freq == "DAILY":
        return float(interval)
    if freq == "WEEKLY":
        return 7.0 * interval / max(1, len(byday))
    if freq == "MONTHLY":
        return 30.44 * interval
    if freq == "YEARLY":
        return 365.25 * interval
    return None


def _cadence_name(days: float | None) -> str:
    if days is None:
        return "ad hoc"
    for name, ref in (("weekly", 7), ("biweekly", 14), ("every 3 weeks", 21), ("monthly", 30.44)):
        if abs(days - ref) < 0.01:
            return name
    return f"every {days:g} days"


def pair_cadence(
    events: Sequence[CalendarEvent],
    manager_email: str,
    rep_email: str,
    *,
    start: date | datetime,
    end: date | datetime,
    held: Sequence[datetime] | None = None,
    config: CadenceConfig | Mapping[str, Any] | None = None,
) -> PairCadence:
    """The planned cadence of a manager–rep pair over ``[start, end)`` and how it went.

    A 1:1 is an event (not all-day) whose participants are exactly the manager and the
    rep. With ``held`` (recording start times), a planned 1:1 is held when a recording
    starts within ``held_tolerance_minutes`` of it (each recording matched once, closest
    first); without it the calendar is trusted and every non-cancelled 1:1 counts.
    Pass ``end`` = now: occurrences after ``end`` are not counted. Dates and naive
    datetimes (window and recordings) are read as UTC.
    """
    cfg = resolve(CadenceConfig, config)
    lo, hi = _as_utc(start, UTC, "start"), _as_utc(end, UTC, "end")
    manager, rep = manager_email.strip().lower(), rep_email.strip().lower()
    pair = frozenset({manager, rep})
    ones = [e for e in events if not e.all_day and e.participants == pair and lo <= e.start < hi]
    ones.sort(key=lambda e: (e.start, e.uid))

    # The series with the most occurrences sets the planned cadence.
    by_rule: dict[str, int] = {}
    for e in ones:
        if e.rule:
            by_rule[e.rule] = by_rule.get(e.rule, 0) + 1
    rule = max(sorted(by_rule), key=lambda r: by_rule[r]) if by_rule else None
    days = _rule_days(rule) if rule else None
    cadence = _cadence_name(days) if ones else "none"

    recordings = sorted(_as_utc(t, UTC, "held") for t in held) if held is not None else None
    matched: dict[int, datetime] = {}
    unplanned = 0
    if recordings is not None:
        tol = timedelta(minutes=cfg.held_tolerance_minutes)
        cands = sorted(
            (abs(r - e.start), ri, ei)
            for ri, r in enumerate(recordings)
            for ei, e in enumerate(ones)
            if not (e.cancelled or e.declined) and abs(r - e.start) <= tol
        )
        used: set[int] = set()
        for _, ri, ei in cands:
            if ri not in used and ei not in matched:
                used.add(ri)
                matched[ei] = recordings[ri]
        extra = [r for ri, r in enumerate(recordings) if ri not in used and lo <= r < hi]
        unplanned = len(extra)
    else:
        extra = []

    occurrences = []
    for ei, e in enumerate(ones):
        if e.cancelled or e.declined:
            outcome = "cancelled"
        elif recordings is None or ei in matched:
            outcome = "held"
        else:
            outcome = "missed"
        occurrences.append(
            Occurrence(
                start=e.start,
                end=e.end,
                title=e.title,
                outcome=outcome,
                moved=e.moved,
                recording_start=matched.get(ei),
            )
        )
    held_occ = [o for o in occurrences if o.outcome == "held"]
    held_times = sorted([o.recording_start or o.start for o in held_occ] + extra)
    if held_times:
        marks = [*held_times, hi]
        gap = max((b - a).total_seconds() for a, b in pairwise(marks)) / 86400.0
    else:
        gap = (hi - lo).total_seconds() / 86400.0
    planned = len(occurrences)
    return PairCadence(
        manager=manager,
        rep=rep,
        start=lo,
        end=hi,
        cadence=cadence,
        cadence_days=days,
        planned=planned,
        held=len(held_occ),
        unplanned_held=unplanned,
        cancelled=sum(o.outcome == "cancelled" for o in occurrences),
        rescheduled=sum(o.moved for o in occurrences),
        share_held=(len(held_occ) / planned) if planned else None,
        longest_gap_days=round(gap, 2),
        last_held=held_times[-1].date() if held_times else None,
        median_minutes=statistics.median(o.minutes for o in held_occ) if held_occ else None,
        occurrences=tuple(occurrences),
        held_source="calendar" if recordings is None else "recordings",
    )


def _ramp_down(value: float, ok: float, worst: float) -> float:
    """1 at or below ``ok``, 0 at or above ``worst``, linear between."""
    if value <= ok:
        return 1.0
    if value >= worst:
        return 0.0
    return (worst - value) / (worst - ok)


def _refuse(reason: str, **signals: Any) -> dict[str, Any]:
    return {
        "score": None,
        "reason": reason,
        "evidence": [],
        "why_not_higher": reason,
        "signals": signals,
    }


def _as_date(value: date | datetime) -> date:
    return (
        value.astimezone(UTC).date()
        if isinstance(value, datetime) and value.tzinfo
        else (value.date() if isinstance(value, datetime) else value)
    )


def hold_cadence(
    pairs: Sequence[PairCadence],
    *,
    as_of: date | datetime,
    config: CadenceConfig | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``hold_cadence`` behaviour result of a manager from their reps' pairs.

    score = 100 × weighted mean of four components, each in [0, 1] and averaged over reps:
    share held (a rep with nothing planned counts 0), coverage (last 1:1 within
    ``coverage_days`` of ``as_of``), gap (longest gap ramped from ``gap_ok_days`` to
    ``gap_max_days``) and length (median minutes / ``min_minutes``, capped at 1).
    """
    cfg = resolve(CadenceConfig, config)
    if not pairs:
        return _refuse("no reps with calendar data for this manager")
    if not any(p.planned or p.held or p.unplanned_held for p in pairs):
        # Nothing at all is far more often a calendar that was not imported than a
        # manager who never meets anyone; a 0 without evidence would be unfair.
        return _refuse(
            "no 1:1 with any rep is on the calendar or recorded in the window; "
            "import the manager's calendar to score cadence",
            reps=len(pairs),
        )
    today = _as_date(as_of)
    share, covered, gaps, lengths = [], [], [], []
    for p in pairs:
        share.append(p.share_held or 0.0)
        covered.append(p.last_held is not None and (today - p.last_held).days <= cfg.coverage_days)
        gaps.append(_ramp_down(p.longest_gap_days, cfg.gap_ok_days, cfg.gap_max_days))
        lengths.append(min(1.0, p.median_minutes / cfg.min_minutes) if p.median_minutes else 0.0)
    parts = {
        "share_held": statistics.fmean(share),
        "coverage": statistics.fmean(1.0 if c else 0.0 for c in covered),
        "gap": statistics.fmean(gaps),
        "length": statistics.fmean(lengths),
    }
    weights = {
        "share_held": cfg.w_share_held,
        "coverage": cfg.w_coverage,
        "gap": cfg.w_gap,
        "length": cfg.w_length,
    }
    score = 100.0 * sum(parts[k] * weights[k] for k in parts) / sum(weights.values())

    evidence = []
    for p in pairs:
        for o in p.occurrences:
            if o.outcome == "cancelled":
                shows = f"1:1 with {p.rep} was cancelled"
            elif o.outcome == "missed":
                shows = (
                    f"1:1 with {p.rep} was on the calendar but no recording started within "
                    f"{cfg.held_tolerance_minutes:g} min"
                )
            else:
                continue
            evidence.append(
                {
                    "date": o.start.date().isoformat(),
                    "event": f"{o.title} ({p.manager}, {p.rep})",
                    "shows": shows,
                }
            )
    evidence.sort(key=lambda e: (e["date"], e["event"]))

    reasons = []
    norm_days = 30.44 / cfg.norm_per_month
    for p, c in zip(pairs, covered, strict=True):
        if not c:
            reasons.append(
                f"Rep {p.rep} has not had a 1:1 since {p.last_held.isoformat()}"
                if p.last_held
                else f"Rep {p.rep} has had no 1:1 in the window"
            )
    planned = sum(p.planned for p in pairs)
    cancelled = sum(p.cancelled for p in pairs)
    missed = sum(o.outcome == "missed" for p in pairs for o in p.occurrences)
    if cancelled:
        reasons.append(f"{cancelled} of {planned} planned were cancelled")
    if missed:
        reasons.append(f"{missed} of {planned} planned had no recording")
    for p in pairs:
        if p.cadence == "none":
            reasons.append(f"no 1:1 with {p.rep} is on the calendar")
        elif p.cadence_days is None:
            reasons.append(f"{p.rep}'s 1:1s are ad hoc, with no recurring series")
        elif p.cadence_days > norm_days + 0.01:
            reasons.append(
                f"{p.rep}'s 1:1 is {p.cadence}, under the norm of {cfg.norm_per_month:g} a month"
            )
        if p.median_minutes is not None and p.median_minutes < cfg.min_minutes:
            reasons.append(
                f"{p.rep}'s 1:1s run {p.median_minutes:g} min, under the "
                f"{cfg.min_minutes:g}-min norm"
            )
    worst_gap = max(pairs, key=lambda p: (p.longest_gap_days, p.rep))
    if worst_gap.longest_gap_days > cfg.gap_ok_days:
        reasons.append(f"longest gap {worst_gap.longest_gap_days:g} days ({worst_gap.rep})")
    why = (
        "; ".join(reasons)
        if reasons
        else "Nothing to fix: every planned 1:1 was held, at the norm."
    )
    held_total = sum(p.held for p in pairs)
    return {
        "score": round(score, 1),
        "reason": None,
        "evidence": evidence,
        "why_not_higher": why,
        "signals": {
            "reps": len(pairs),
            "planned": planned,
            "held": held_total,
            "cancelled": cancelled,
            "rescheduled": sum(p.rescheduled for p in pairs),
            "missed": missed,
            "share_held": round(held_total / planned, 4) if planned else None,
            "coverage": round(parts["coverage"], 4),
            "longest_gap_days": worst_gap.longest_gap_days,
            "median_minutes": (
                statistics.median(p.median_minutes for p in pairs if p.median_minutes)
                if any(p.median_minutes for p in pairs)
                else None
            ),
            "reps_at_norm": sum(
                p.cadence_days is not None and p.cadence_days <= norm_days + 0.01 for p in pairs
            ),
            "components": {k: round(v, 4) for k, v in parts.items()},
        },
    }


# ---------------------------------------------------------------------------------------
# Rep load
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RepWeekLoad:
    """One rep's calendar week (``week_start`` is the local Monday or given start).

    meetings / meeting_hours             events with the rep and ≥ 1 other person, hours as
                                         the union of their intervals within the week
    internal_meeting_hours               the same for meetings with only internal people
    manager_meetings / _hours            those organised by the manager
    focus_blocks / focus_hours           free stretches ≥ ``focus_block_hours`` inside
                                         working hours on working days (a 4-h stretch is
                                         one block)
    after_hours                          meetings that run outside working hours or on a
                                         non-working day
    manager_after_hours                  how many of those the manager organised
    days_without_focus                   working days with no focus block
    calendar_events                      events of any kind with the rep in the week
                                         (0: no calendar data for this rep-week;
                                         None: not counted)
    """

    rep: str
    manager: str
    week_start: date
    meetings: int
    meeting_hours: float
    internal_meeting_hours: float
    manager_meetings: int
    manager_meeting_hours: float
    focus_blocks: int
    focus_hours: float
    after_hours: tuple[CalendarEvent, ...]
    manager_after_hours: int
    days_without_focus: tuple[date, ...]
    calendar_events: int | None = None

    @property
    def after_hours_meetings(self) -> int:
        return len(self.after_hours)


Interval = tuple[datetime, datetime]


def _union_hours(intervals: Iterable[Interval]) -> float:
    merged = _merge(intervals)
    return sum((b - a).total_seconds() for a, b in merged) / 3600.0


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1]


def rep_week_load(
    events: Sequence[CalendarEvent],
    rep_email: str,
    manager_email: str,
    *,
    week_start: date,
    config: LoadConfig | Mapping[str, Any] | None = None,
) -> RepWeekLoad:
    """One rep's week of calendar load, computed in ``config.timezone``."""
    cfg = resolve(LoadConfig, config)
    tz = cfg.tz
    rep, manager = rep_email.strip().lower(), manager_email.strip().lower()
    w_lo = datetime.combine(week_start, time(0), tzinfo=tz).astimezone(UTC)
    w_hi = datetime.combine(week_start + timedelta(days=7), time(0), tzinfo=tz).astimezone(UTC)
    internal = set(cfg.internal_domains) or {_domain(rep)}

    meetings = [
        e
        for e in events
        if not e.cancelled
        and not e.all_day
        and rep in e.participants
        and rep not in e.declined
        and len(e.participants) >= 2
        and e.start < w_hi
        and e.end > w_lo
    ]

    def clip(e: CalendarEvent) -> Interval:
        return (max(e.start, w_lo), min(e.end, w_hi))

    mine = [e for e in meetings if e.organizer == manager]
    inside = [e for e in meetings if all(_domain(p) in internal for p in e.participants)]

    focus_blocks, focus_secs, no_focus = 0, 0.0, []
    busy = _merge(clip(e) for e in meetings)
    need = timedelta(hours=cfg.focus_block_hours)
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        if day.weekday() not in cfg.workdays:
            continue
        d_lo = datetime.combine(day, time(cfg.workday_start_hour), tzinfo=tz).astimezone(UTC)
        d_hi = (
            datetime.combine(day, time(0), tzinfo=tz) + timedelta(hours=cfg.workday_end_hour)
        ).astimezone(UTC)
        cursor, found = d_lo, 0
        for a, b in busy:
            if b <= d_lo or a >= d_hi:
                continue
            if min(a, d_hi) - cursor >= need:
                found += 1
                focus_secs += (min(a, d_hi) - cursor).total_seconds()
            cursor = max(cursor, b)
        if d_hi - cursor >= need:
            found += 1
            focus_secs += (d_hi - cursor).total_seconds()
        focus_blocks += found
        if not found:
            no_focus.append(day)

    def outside(e: CalendarEvent) -> bool:
        s, t = e.start.astimezone(tz), e.end.astimezone(tz)
        if (
            s.weekday() not in cfg.workdays
            or (t - timedelta(microseconds=1)).weekday() not in cfg.workdays
        ):
            return True
        day_lo = datetime.combine(s.date(), time(cfg.workday_start_hour), tzinfo=tz)
        day_hi = datetime.combine(s.date(), time(0), tzinfo=tz) + timedelta(
            hours=cfg.workday_end_hour
        )
        return s < day_lo or t > day_hi

    late = tuple(e for e in meetings if outside(e))
    return RepWeekLoad(
        rep=rep,
        manager=manager,
        week_start=week_start,
        meetings=len(meetings),
        meeting_hours=round(_union_hours(clip(e) for e in meetings), 4),
        internal_meeting_hours=round(_union_hours(clip(e) for e in inside), 4),
        manager_meetings=len(mine),
        manager_meeting_hours=round(_union_hours(clip(e) for e in mine), 4),
        focus_blocks=focus_blocks,
        focus_hours=round(focus_secs / 3600.0, 4),
        after_hours=late,
        manager_after_hours=sum(e.organizer == manager for e in late),
        days_without_focus=tuple(no_focus),
        calendar_events=sum(
            1 for e in events if rep in e.participants and e.start < w_hi and e.end > w_lo
        ),
    )


def protect_rep_calendars(
    loads: Sequence[RepWeekLoad],
    *,
    config: LoadConfig | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``protect_rep_calendars`` behaviour result of a manager over rep-weeks.

    score = 100 × weighted mean over rep-weeks of: focus (blocks / target, capped at 1),
    load (internal meeting hours ramped from ``meeting_hours_ok`` to ``meeting_hours_max``),
    manager (manager-organised hours ramped from ``manager_hours_ok`` to
    ``manager_hours_max``) and after hours (1 − manager-organised after-hours meetings / 2,
    floored at 0). Signals carry the weekly trend (OLS slope per week, see
    :func:`coachloop.analytics.curves.trend`) of mean meeting and focus hours.
    """
    from coachloop.analytics.curves import trend

    cfg = resolve(LoadConfig, config)
    if not loads:
        return _refuse("no rep calendar weeks for this manager")
    given = len(loads)
    # An empty week is all focus time: only believe it when the rep has a calendar at all.
    loads = [w for w in loads if w.calendar_events != 0]
    if not loads:
        return _refuse(
            "no calendar events for any rep in these weeks; import the reps' calendars",
            rep_weeks=given,
        )
    comps: dict[str, list[float]] = {"focus": [], "load": [], "manager": [], "after_hours": []}
    for w in loads:
        comps["focus"].append(min(1.0, w.focus_blocks / cfg.focus_blocks_target))
        comps["load"].append(
            _ramp_down(w.internal_meeting_hours, cfg.meeting_hours_ok, cfg.meeting_hours_max)
        )
        comps["manager"].append(
            _ramp_down(w.manager_meeting_hours, cfg.manager_hours_ok, cfg.manager_hours_max)
        )
        comps["after_hours"].append(max(0.0, 1.0 - w.manager_after_hours / 2.0))
    parts = {k: statistics.fmean(v) for k, v in comps.items()}
    weights = {
        "focus": cfg.w_focus,
        "load": cfg.w_load,
        "manager": cfg.w_manager,
        "after_hours": cfg.w_after_hours,
    }
    score = 100.0 * sum(parts[k] * weights[k] for k in parts) / sum(weights.values())

    tz = cfg.tz
    evidence = []
    for w in sorted(loads, key=lambda w: (w.week_start, w.rep)):
        for e in w.after_hours:
            if e.organizer == w.manager:
                local = e.start.astimezone(tz)
                evidence.append(
                    {
                        "date": local.date().isoformat(),
                        "event": f"{e.title} ({w.rep})",
                        "shows": f"you organised it at {local:%H:%M}, outside "
                        f"{cfg.workday_start_hour}–{cfg.workday_end_hour} working hours",
                    }
                )
        if w.focus_blocks == 0:
            evidence.append(
                {
                    "date": w.week_start.isoformat(),
                    "event": f"week of {w.week_start} ({w.rep})",
                    "shows": f"no free block of {cfg.focus_block_hours:g} h in working hours all week",
                }
            )
        if w.manager_meeting_hours > cfg.manager_hours_ok:
            evidence.append(
                {
                    "date": w.week_start.isoformat(),
                    "event": f"week of {w.week_start} ({w.rep})",
                    "shows": f"{w.manager_meeting_hours:g} h of meetings you organised "
                    f"(norm ≤ {cfg.manager_hours_ok:g} h)",
                }
            )

    reasons = []
    by_rep: dict[str, list[RepWeekLoad]] = {}
    for w in loads:
        by_rep.setdefault(w.rep, []).append(w)
    for rep in sorted(by_rep):
        weeks = by_rep[rep]
        short = sum(w.focus_blocks < cfg.focus_blocks_target for w in weeks)
        if short:
            reasons.append(
                f"{rep} had fewer than {cfg.focus_blocks_target:g} focus blocks of "
                f"{cfg.focus_block_hours:g} h in {short} of {len(weeks)} weeks"
            )
        heavy = [w for w in weeks if w.internal_meeting_hours > cfg.meeting_hours_ok]
        if heavy:
            top = max(heavy, key=lambda w: w.internal_meeting_hours)
            reasons.append(
                f"{rep} had {top.internal_meeting_hours:g} h of internal meetings in the week of "
                f"{top.week_start} (norm ≤ {cfg.meeting_hours_ok:g} h)"
            )
    late = sum(w.manager_after_hours for w in loads)
    if late:
        reasons.append(f"you organised {late} meeting(s) after hours")
    why = (
        "; ".join(reasons)
        if reasons
        else "Nothing to fix: reps kept their focus time and meeting load."
    )

    weekly: dict[date, list[RepWeekLoad]] = {}
    for w in loads:
        weekly.setdefault(w.week_start, []).append(w)
    meet_pts = [
        (d, statistics.fmean(x.internal_meeting_hours for x in ws))
        for d, ws in sorted(weekly.items())
    ]
    focus_pts = [
        (d, statistics.fmean(x.focus_hours for x in ws)) for d, ws in sorted(weekly.items())
    ]
    meet_trend, focus_trend = trend(meet_pts), trend(focus_pts)
    return {
        "score": round(score, 1),
        "reason": None,
        "evidence": evidence,
        "why_not_higher": why,
        "signals": {
            "rep_weeks": len(loads),
            "rep_weeks_without_data": given - len(loads),
            "reps": len(by_rep),
            "mean_meeting_hours": round(statistics.fmean(w.meeting_hours for w in loads), 4),
            "mean_internal_meeting_hours": round(
                statistics.fmean(w.internal_meeting_hours for w in loads), 4
            ),
            "mean_manager_meeting_hours": round(
                statistics.fmean(w.manager_meeting_hours for w in loads), 4
            ),
            "mean_focus_blocks": round(statistics.fmean(w.focus_blocks for w in loads), 4),
            "manager_after_hours": late,
            "meeting_hours_slope_per_week": meet_trend.slope,
            "focus_hours_slope_per_week": focus_trend.slope,
            "trend_reason": meet_trend.reason,
            "components": {k: round(v, 4) for k, v in parts.items()},
        },
    }
