"""Calendars: the 1:1 schedule of each pair and every person's week, as iCalendar files.

Per pair, a weekly 1:1 series (``RRULE:FREQ=WEEKLY``) whose occurrences are cancelled
(``EXDATE``) or moved (an override with ``RECURRENCE-ID``) with probabilities that fall
as the manager's ``hold_cadence`` level rises. Per rep-week, the other meetings: a
weekly team meeting, customer calls (external attendees), internal meetings and
meetings the manager organises — the last two, and after-hours ones, grow as
``protect_rep_calendars`` falls; a protective manager's reps get "Focus" holds instead.

Files are per person, as Google/Outlook export them: a shared event appears with the
same UID in each attendee's file (importers dedupe by UID). All times are UTC.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from coachloop.sim.lines import ACCOUNTS, INTERNAL_MEETINGS
from coachloop.sim.org import Manager, Org

DOMAIN_SUFFIX = "sim"
ONE_ON_ONE_MINUTES = 30


@dataclass(slots=True)
class Event:
    uid: str
    title: str
    start: datetime
    minutes: int
    organizer: str
    attendees: tuple[str, ...]
    rrule_count: int | None = None
    exdates: list[datetime] = field(default_factory=list)
    recurrence_id: datetime | None = None
    sequence: int = 0


@dataclass(frozen=True, slots=True)
class Slot:
    """One week's 1:1 of a pair as scheduled and as it went."""

    planned: datetime
    status: str  # "held" | "cancelled" | "moved"
    start: datetime  # when it took place (== planned unless moved)


def week_start(org: Org, week: int) -> date:
    return org.start + timedelta(days=7 * (week - 1))


def pair_slots(
    org: Org, manager: Manager, rep_index: int, hold_levels: list[float], *, seed: int
) -> list[Slot]:
    """Each week's 1:1 for one pair: held, cancelled or moved (see the module docstring)."""
    slot_time = manager.slot_times[rep_index % len(manager.slot_times)]
    day_offset = manager.weekday + rep_index // len(manager.slot_times)
    # Error diffusion instead of independent coin flips: a pair's count of cancelled
    # (and moved) weeks stays within one of its expectation, so the manager's discipline,
    # not luck, decides how many 1:1s were held.
    phase = random.Random(f"{seed}:phase:{manager.index}:{rep_index}")
    acc_cancel, acc_move = phase.random(), phase.random()
    out = []
    for w, hc in enumerate(hold_levels, start=1):
        rng = random.Random(f"{seed}:cal:{manager.index}:{rep_index}:{w}")
        planned = datetime.combine(
            week_start(org, w) + timedelta(days=day_offset), slot_time, tzinfo=UTC
        )
        p_cancel = 0.01 + 0.5 * (1.0 - hc)
        p_move = 0.02 + 0.30 * (1.0 - hc)
        cancel = int(acc_cancel + p_cancel) > int(acc_cancel)
        acc_cancel += p_cancel
        move = int(acc_move + p_move) > int(acc_move)
        acc_move += p_move
        if cancel:
            out.append(Slot(planned, "cancelled", planned))
        elif move:
            shift = rng.choice((timedelta(hours=2), timedelta(days=1), timedelta(days=1, hours=3)))
            out.append(Slot(planned, "moved", planned + shift))
        else:
            out.append(Slot(planned, "held", planned))
    return out


def _uid(*parts: object) -> str:
    return "-".join(str(p) for p in parts) + f"@coachloop.{DOMAIN_SUFFIX}"


def one_on_one_events(
    manager: Manager, rep_index: int, slots: list[Slot], *, seed: int, hold_level: float = 1.0
) -> list[Event]:
    """The series, its EXDATEs and one override per moved occurrence."""
    rep = manager.reps[rep_index]
    uid = _uid("1on1", seed, manager.index, rep_index)
    # A disciplined manager books the full half hour; others squeeze the 1:1 to 20-25 min.
    rng = random.Random(f"{seed}:len:{manager.index}:{rep_index}")
    share_full = (rep_index + 0.5) / len(manager.reps)  # spread over the team, not random
    minutes = ONE_ON_ONE_MINUTES if share_full < hold_level else rng.choice((20, 25))
    title = f"{manager.person.first} / {rep.person.first} 1:1"
    people = (manager.person.email, rep.person.email)
    series = Event(
        uid,
        title,
        slots[0].planned,
        minutes,
        manager.person.email,
        people,
        rrule_count=len(slots),
        exdates=[s.planned for s in slots if s.status == "cancelled"],
    )
    events = [series]
    for s in slots:
        if s.status == "moved":
            events.append(
                Event(
                    uid,
                    title,
                    s.start,
                    minutes,
                    manager.person.email,
                    people,
                    recurrence_id=s.planned,
                    sequence=1,
                )
            )
    return events


def _work_start(
    day: date, rng: random.Random, minutes: int, *, after_hours: bool = False
) -> datetime:
    if after_hours:
        return datetime.combine(day, time(rng.choice((7, 17, 18))), tzinfo=UTC)
    latest = 17 * 60 - minutes
    start_min = rng.randrange(9 * 60, latest + 1, 30)
    return datetime.combine(day, time(start_min // 60, start_min % 60), tzinfo=UTC)


def rep_week_events(
    org: Org, manager: Manager, rep_index: int, week: int, protect: float, *, seed: int
) -> list[Event]:
    """One rep's other meetings in one week (the 1:1 and the team meeting excluded)."""
    rng = random.Random(f"{seed}:load:{manager.index}:{rep_index}:{week}")
    rep = manager.reps[rep_index]
    ws = week_start(org, week)
    me, boss = rep.person.email, manager.person.email
    out: list[Event] = []
    # Customer calls: external, not what a manager protects or adds.
    for k in range(rng.randint(4, 9)):
        day = ws + timedelta(days=rng.randrange(5))
        account = rng.choice(ACCOUNTS)
        guest = f"buyer{rng.randrange(1, 40)}@{account.split()[0].lower()}.example.org"
        out.append(
            Event(
                _uid("cust", seed, manager.index, rep_index, week, k),
                f"{account} call",
                _work_start(day, rng, 45),
                45,
                me,
                (me, guest),
            )
        )
    # Internal meetings others organise; a protective manager keeps them off.
    gap = 1.0 - protect
    n_internal = max(0, round(rng.gauss(1.5 + 11.0 * gap, 1.0)))
    colleagues = [r.person.email for r in manager.reps if r.person.email != me][:3]
    for k in range(n_internal):
        day = ws + timedelta(days=rng.randrange(5))
        title = rng.choice(INTERNAL_MEETINGS)
        out.append(
            Event(
                _uid("int", seed, manager.index, rep_index, week, k),
                title.capitalize(),
                _work_start(day, rng, 60),
                60,
                manager.director_email,
                (me, *colleagues[:2]),
            )
        )
    # Meetings the manager adds (the team meeting aside), some after hours.
    n_mgr = max(0, round(rng.gauss(5.0 * gap, 0.7)))
    for k in range(n_mgr):
        day = ws + timedelta(days=rng.randrange(5))
        late = rng.random() < 0.35 * gap
        out.append(
            Event(
                _uid("mgr", seed, manager.index, rep_index, week, k),
                rng.choice(("Deal review", "Pipeline check-in", "Forecast prep", "Account sync")),
                _work_start(day, rng, 60, after_hours=late),
                60,
                boss,
                # never just the two of them: that would read as an extra 1:1
                (boss, me, rng.choice(colleagues) if colleagues else manager.director_email),
            )
        )
    # Focus holds (the rep alone: not a meeting) for protected calendars.
    for k in range(round(5 * protect)):
        day = ws + timedelta(days=k)
        out.append(
            Event(
                _uid("focus", seed, manager.index, rep_index, week, k),
                "Focus: prospecting",
                datetime.combine(day, time(9), tzinfo=UTC),
                120,
                me,
                (me,),
            )
        )
    return out


def team_meeting(org: Org, manager: Manager, *, seed: int) -> Event:
    people = (manager.person.email, *(r.person.email for r in manager.reps))
    day = org.start + timedelta(days=(manager.weekday + 1) % 5)
    return Event(
        _uid("team", seed, manager.index),
        f"{manager.person.team} team meeting",
        datetime.combine(day, time(16), tzinfo=UTC),
        45,
        manager.person.email,
        people,
        rrule_count=org.weeks,
    )


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 line folding: at most 75 octets a line, continuations start with a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    chunk = ""
    for ch in line:
        limit = 75 if not parts else 74
        if len((chunk + ch).encode("utf-8")) > limit:
            parts.append(chunk)
            chunk = ""
        chunk += ch
    parts.append(chunk)
    return "\r\n ".join(parts) + "\r\n"


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def to_ics(events: Iterable[Event], *, owner: str) -> bytes:
    """An iCalendar file (one VCALENDAR) with the events, deterministic bytes.

    Written directly (RFC 5545 escaping and folding) rather than through ``icalendar``'s
    object model, which is ~50x slower at the scale-mode size; the tests parse every
    file with ``icalendar`` (through the analytics loader) to keep it honest.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//coachloop//simulated org//EN",
        "VERSION:2.0",
        f"X-WR-CALNAME:{_esc(owner)}",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_esc(e.uid)}",
            "DTSTAMP:20260101T000000Z",
            f"SUMMARY:{_esc(e.title)}",
            f"DTSTART:{_utc(e.start)}",
            f"DTEND:{_utc(e.start + timedelta(minutes=e.minutes))}",
            f"SEQUENCE:{e.sequence}",
            f"ORGANIZER:mailto:{e.organizer}",
        ]
        lines += [f"ATTENDEE:mailto:{a}" for a in e.attendees]
        if e.rrule_count:
            lines.append(f"RRULE:FREQ=WEEKLY;COUNT={e.rrule_count}")
        lines += [f"EXDATE:{_utc(x)}" for x in e.exdates]
        if e.recurrence_id is not None:
            lines.append(f"RECURRENCE-ID:{_utc(e.recurrence_id)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) for line in lines).encode("utf-8")
