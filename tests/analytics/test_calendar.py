"""Calendar loading, cadence and rep load on the hand-made fixtures in tests/fixtures/calendars.

Expected numbers are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachloop.analytics.calendar import (
    CalendarEvent,
    RepWeekLoad,
    hold_cadence,
    load_ics,
    pair_cadence,
    protect_rep_calendars,
    rep_week_load,
)
from coachloop.errors import ConfigError, FormatError, InputError

CAL = Path(__file__).parent.parent / "fixtures" / "calendars"
GOOGLE, OUTLOOK = CAL / "google_ana.ics", CAL / "outlook_ben.ics"
ANA, BEN, CARA = "ana@acme.test", "ben@acme.test", "cara@acme.test"
START, END = date(2026, 10, 1), date(2026, 12, 1)
NY = {"timezone": "America/New_York"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
def both() -> list[CalendarEvent]:
    return load_ics([GOOGLE, OUTLOOK], start=START, end=END)


def series(events: list[CalendarEvent], uid: str = "11-ana-ben@google.com") -> list[CalendarEvent]:
    return [e for e in events if e.uid == uid]


# -- load_ics ---------------------------------------------------------------------------


def test_google_weekly_series_expands_across_dst():
    ones = series(load_ics(GOOGLE, start=START, end=END))
    # Mondays Oct 5 … Nov 30: 9 slots; Nov 2 moved to Nov 3 14:00 local.
    assert [e.start for e in ones] == [
        utc(2026, 10, 5, 14), utc(2026, 10, 12, 14), utc(2026, 10, 19, 14), utc(2026, 10, 26, 14),
        utc(2026, 11, 3, 19), utc(2026, 11, 9, 15), utc(2026, 11, 16, 15), utc(2026, 11, 23, 15),
        utc(2026, 11, 30, 15),
    ]  # fmt: skip
    assert all(e.recurring and e.rule == "FREQ=WEEKLY;BYDAY=MO" for e in ones)


def test_exdate_is_a_cancelled_occurrence(both):
    exdated = [e for e in series(both) if e.start == utc(2026, 10, 19, 14)]
    assert [(e.status, e.moved) for e in exdated] == [("cancelled", False)]


def test_cancelled_override_is_cancelled(both):
    (ev,) = [e for e in series(both) if e.original_start == utc(2026, 10, 26, 14)]
    assert ev.status == "cancelled"


def test_moved_occurrence_keeps_its_slot(both):
    (ev,) = [e for e in series(both) if e.moved]
    assert (ev.start, ev.end, ev.original_start) == (
        utc(2026, 11, 3, 19),
        utc(2026, 11, 3, 19, 30),
        utc(2026, 11, 2, 15),
    )


def test_outlook_windows_timezone_name(both):
    (late,) = [e for e in both if e.title == "Late deal review"]
    assert (late.start, late.end) == (utc(2026, 10, 8, 23), utc(2026, 10, 9, 0))
    assert late.organizer == ANA and late.attendees == (BEN, CARA)


def test_all_day_event():
    (off,) = [e for e in load_ics(GOOGLE, start=START, end=END) if e.title == "Company offsite"]
    assert off.all_day and (off.start, off.end) == (utc(2026, 10, 15), utc(2026, 10, 16))


def test_same_event_in_two_exports_is_kept_once_with_attendees_merged(both):
    keys = [(e.uid, e.original_start) for e in both]
    assert len(keys) == len(set(keys))
    assert len(series(both)) == 9
    (review,) = [e for e in both if e.title == "Pipeline review"]
    assert review.participants == {ANA, BEN, CARA}


def test_emails_are_lower_case(both):
    assert all(a == a.lower() for e in both for a in e.attendees)
    assert BEN in series(both)[0].attendees  # written Ben@Acme.test in the Google export


def test_window_limits_occurrences():
    ones = series(load_ics(GOOGLE, start=START, end=datetime(2026, 10, 13, tzinfo=UTC)))
    assert [e.start.date() for e in ones] == [date(2026, 10, 5), date(2026, 10, 12)]


INLINE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//t//EN
BEGIN:VEVENT
UID:float-1
SUMMARY:Floating
DTSTART:20261005T090000
DURATION:PT45M
ORGANIZER:mailto:a@x.test
ATTENDEE;CUTYPE=ROOM:mailto:room-1@x.test
ATTENDEE:mailto:b@x.test
END:VEVENT
END:VCALENDAR
"""


def test_text_input_floating_time_duration_and_rooms():
    from zoneinfo import ZoneInfo

    (ev,) = load_ics(INLINE, start=START, end=END, default_tz=ZoneInfo("Europe/Berlin"))
    assert (ev.start, ev.end) == (utc(2026, 10, 5, 7), utc(2026, 10, 5, 7, 45))
    assert ev.attendees == ("b@x.test",) and not ev.recurring


def test_not_ical_names_file_and_line():
    with pytest.raises(FormatError) as exc:
        load_ics(CAL / "not_ical.ics", start=START, end=END)
    assert (exc.value.file, exc.value.line) == (str(CAL / "not_ical.ics"), 1)
    assert "not an iCalendar file" in exc.value.message


def test_bad_dtstart_names_line():
    with pytest.raises(FormatError) as exc:
        load_ics(CAL / "bad_dtstart.ics", start=START, end=END)
    assert exc.value.line == 7 and "bad DTSTART '2026-13-45T99'" in exc.value.message


def test_missing_file_and_empty_window():
    with pytest.raises(InputError, match="cannot read"):
        load_ics(CAL / "nope.ics", start=START, end=END)
    with pytest.raises(InputError, match="window is empty"):
        load_ics(GOOGLE, start=END, end=START)


# -- pair_cadence / hold_cadence ----------------------------------------------------------


def test_pair_cadence_from_calendar(both):
    pc = pair_cadence(both, ANA, BEN, start=START, end=END)
    assert (pc.cadence, pc.cadence_days, pc.planned, pc.held, pc.cancelled, pc.rescheduled) == (
        "weekly",
        7.0,
        9,
        7,
        2,
        1,
    )
    assert pc.share_held == pytest.approx(7 / 9)
    # Oct 12 14:00 → Nov 3 19:00 = 22 d 5 h = 22.208 d
    assert pc.longest_gap_days == 22.21
    assert (pc.last_held, pc.median_minutes, pc.held_source) == (
        date(2026, 11, 30),
        30.0,
        "calendar",
    )


def test_biweekly_pair(both):
    pc = pair_cadence(both, ANA, CARA, start=START, end=END)
    assert (pc.cadence, pc.planned, pc.held, pc.median_minutes) == ("biweekly", 4, 4, 45.0)
    # Oct 20 15:00 → Nov 3 16:00 spans the end of DST: 14 d 1 h
    assert pc.longest_gap_days == 14.04


def test_pair_cadence_matched_to_recordings(both):
    recordings = [
        utc(2026, 10, 5, 14, 10),  # Oct 5 slot
        utc(2026, 10, 12, 14),  # Oct 12 slot
        utc(2026, 11, 3, 19, 20),  # the moved slot
        utc(2026, 11, 16, 16),  # 60 min after the slot: beyond the 45-min tolerance
        utc(2026, 11, 20, 12),  # no slot: an ad-hoc 1:1
    ]
    pc = pair_cadence(both, ANA, BEN, start=START, end=END, held=recordings)
    assert (pc.held, pc.unplanned_held, pc.cancelled) == (3, 2, 2)
    assert [o.outcome for o in pc.occurrences].count("missed") == 4
    assert pc.last_held == date(2026, 11, 20)
    assert pc.longest_gap_days == 22.22  # Oct 12 14:00 → Nov 3 19:20
    wider = pair_cadence(both, ANA, BEN, start=START, end=END, held=recordings,
                         config={"held_tolerance_minutes": 61})  # fmt: skip
    assert wider.held == 4


def test_pair_without_one_on_ones(both):
    pc = pair_cadence(both, BEN, CARA, start=START, end=END)
    assert (pc.cadence, pc.planned, pc.share_held, pc.last_held) == ("none", 0, None, None)
    assert pc.longest_gap_days == 61.0


def test_ad_hoc_pair():
    ev = CalendarEvent("x", "chat", utc(2026, 10, 7, 9), utc(2026, 10, 7, 9, 20), ANA, (BEN,))
    pc = pair_cadence([ev], ANA, BEN, start=START, end=END)
    assert (pc.cadence, pc.cadence_days, pc.held, pc.median_minutes) == ("ad hoc", None, 1, 20.0)


def test_hold_cadence_score_by_hand(both):
    pairs = [pair_cadence(both, ANA, r, start=START, end=END) for r in (BEN, CARA)]
    result = hold_cadence(pairs, as_of=date(2026, 12, 1))
    # share (7/9 + 1)/2 = .888889; coverage 1; gap ((42-22.21)/28 + (42-14.04)/28)/2 = .852679;
    # length 1 → 100 × (.4·.888889 + .3·1 + .2·.852679 + .1·1) = 92.61
    assert result["score"] == 92.6
    assert [e["date"] for e in result["evidence"]] == ["2026-10-19", "2026-10-26"]
    assert "2 of 13 planned were cancelled" in result["why_not_higher"]
    assert result["signals"]["rescheduled"] == 1


def test_hold_cadence_names_uncovered_rep(both):
    pairs = [pair_cadence(both, ANA, r, start=START, end=END) for r in (BEN, CARA)]
    result = hold_cadence(pairs, as_of=date(2026, 12, 20))
    # coverage 0 now: 100 × (.355556 + 0 + .170536 + .1) = 62.61
    assert result["score"] == 62.6
    assert "Rep ben@acme.test has not had a 1:1 since 2026-11-30" in result["why_not_higher"]


def test_hold_cadence_refuses_without_pairs():
    result = hold_cadence([], as_of=END)
    assert result["score"] is None and result["reason"]


@pytest.mark.parametrize(
    "config",
    [{"gap_ok_days": 50}, {"w_share_held": -1}, {"nope": 1}, {"held_tolerance_minutes": 0}],
)
def test_bad_cadence_config(both, config):
    with pytest.raises(ConfigError):
        pair_cadence(both, ANA, BEN, start=START, end=END, config=config)


# -- rep load -----------------------------------------------------------------------------


def test_rep_week_load_from_fixtures(both):
    load = rep_week_load(both, BEN, ANA, week_start=date(2026, 10, 5), config=NY)
    # 1:1 0.5 h + pipeline 1 h + late review 1 h + customer call 1 h (external)
    assert (load.meetings, load.meeting_hours, load.internal_meeting_hours) == (4, 3.5, 2.5)
    assert (load.manager_meetings, load.manager_meeting_hours) == (3, 2.5)
    # Mon 10:30–17, Tue 9–16, Wed, Thu 9–17, Fri 9–13 and 14–17: six blocks, 36.5 h
    assert (load.focus_blocks, load.focus_hours) == (6, 36.5)
    assert [e.title for e in load.after_hours] == ["Late deal review"]
    assert load.manager_after_hours == 1 and load.days_without_focus == ()


def ev(title: str, day: int, h0: float, h1: float, organizer: str = ANA) -> CalendarEvent:
    base = datetime(2026, 10, day, tzinfo=UTC)
    return CalendarEvent(title, title, base + timedelta(hours=h0), base + timedelta(hours=h1),
                         organizer, (BEN,))  # fmt: skip


def test_rep_week_load_overlaps_and_focus_by_hand():
    events = [
        ev("a", 5, 9, 11),
        ev("b", 5, 10, 12),  # overlap: 3 h busy, 12–17 free
        ev("c", 6, 10, 11),
        ev("d", 6, 13, 14),
        ev("e", 6, 15.5, 16.5),  # only 11–13 ≥ 2 h
        ev("f", 7, 9, 17, organizer=CARA),  # Wednesday fully booked
        ev("g", 10, 10, 11),  # Saturday
    ]
    load = rep_week_load(events, BEN, ANA, week_start=date(2026, 10, 5))
    assert load.meeting_hours == 3 + 3 + 8 + 1
    assert load.manager_meeting_hours == 3 + 3 + 1 and load.manager_meetings == 6
    assert (load.focus_blocks, load.focus_hours) == (4, 5 + 2 + 8 + 8)
    assert load.days_without_focus == (date(2026, 10, 7),)
    assert [e.title for e in load.after_hours] == ["g"]


def test_protect_rep_calendars_by_hand(both):
    load = rep_week_load(both, BEN, ANA, week_start=date(2026, 10, 5), config=NY)
    result = protect_rep_calendars([load], config=NY)
    # focus 1, load 1, manager (6-2.5)/4 = .875, after hours 1 - 1/2 = .5
    assert result["score"] == 87.5
    assert result["evidence"][0] == {
        "date": "2026-10-08", "event": "Late deal review (ben@acme.test)",
        "shows": "you organised it at 19:00, outside 9–17 working hours"}  # fmt: skip
    assert result["signals"]["meeting_hours_slope_per_week"] is None  # one week: no trend


def load_week(week: date, hours: float, focus: float) -> RepWeekLoad:
    return RepWeekLoad(BEN, ANA, week, 5, hours, hours, 0, 0.0, 5, focus, (), 0, ())


def test_protect_rep_calendars_trend():
    weeks = [date(2026, 10, 5) + timedelta(weeks=i) for i in range(4)]
    loads = [load_week(w, 10 + 2 * i, 30 - i) for i, w in enumerate(weeks)]
    signals = protect_rep_calendars(loads)["signals"]
    assert signals["meeting_hours_slope_per_week"] == pytest.approx(2.0)
    assert signals["focus_hours_slope_per_week"] == pytest.approx(-1.0)
    # load ramp: 10, 12 → 1; 14 → .75; 16 → .5 → mean .8125; score 100 × (.4 + .2·.8125 + .2 + .2)
    assert protect_rep_calendars(loads)["score"] == 96.2


def test_protect_rep_calendars_refuses_empty():
    assert protect_rep_calendars([])["score"] is None


def test_bad_timezone():
    with pytest.raises(ConfigError, match="unknown time zone"):
        rep_week_load(
            [], BEN, ANA, week_start=date(2026, 10, 5), config={"timezone": "Mars/Olympus"}
        )


# -- declines, one-off reschedules, generated series ---------------------------------------


def test_declined_meeting_is_kept_but_not_in_the_reps_load(both):
    (sync,) = [e for e in both if e.title == "Forecast sync"]
    assert sync.declined == (BEN,) and BEN in sync.attendees
    load = rep_week_load(both, BEN, ANA, week_start=date(2026, 10, 5), config=NY)
    assert "Forecast sync" not in {e.title for e in load.after_hours} and load.meetings == 4
    cara = rep_week_load(both, CARA, ANA, week_start=date(2026, 10, 5), config=NY)
    assert cara.manager_meetings == 4  # her biweekly 1:1, pipeline, late review, forecast sync


def test_declined_one_on_one_counts_as_cancelled():
    one = CalendarEvent(
        "d", "1:1", utc(2026, 10, 5, 14), utc(2026, 10, 5, 14, 30), ANA, (BEN,), declined=(BEN,)
    )
    pc = pair_cadence([one], ANA, BEN, start=START, end=END, held=[utc(2026, 10, 5, 14)])
    assert (pc.planned, pc.held, pc.cancelled, pc.unplanned_held) == (1, 0, 1, 1)


ONE_OFF = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//t//EN
BEGIN:VEVENT
UID:oneoff-1
SEQUENCE:{seq}
SUMMARY:Deal review
DTSTART:{start}
DTEND:{end}
ORGANIZER:mailto:ana@acme.test
ATTENDEE:mailto:ben@acme.test
END:VEVENT
END:VCALENDAR
"""


def test_rescheduled_one_off_in_a_newer_export_replaces_the_stale_copy():
    stale = ONE_OFF.format(seq=0, start="20261006T150000Z", end="20261006T160000Z")
    fresh = ONE_OFF.format(seq=1, start="20261008T150000Z", end="20261008T160000Z")
    for order in ([stale, fresh], [fresh, stale]):
        (ev,) = load_ics(order, start=START, end=END)
        assert ev.start == utc(2026, 10, 8, 15)


def _weekly_series_ics(weeks: int, exdates: set[int], cancelled: set[int], moved: set[int]) -> str:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//coachloop tests//EN")
    cal.add("version", "2.0")
    first = utc(2026, 10, 5, 14)

    def vevent(start: datetime, **extra: object) -> icalendar.Event:
        e = icalendar.Event()
        e.add("uid", "gen-1")
        e.add("summary", "1:1")
        e.add("dtstart", start)
        e.add("dtend", start + timedelta(minutes=30))
        e.add("organizer", "mailto:ana@acme.test")
        e.add("attendee", "mailto:ben@acme.test")
        for key, value in extra.items():
            e.add(key.replace("_", "-"), value)
        return e

    master = vevent(first, rrule={"freq": "weekly", "count": weeks})
    for i in sorted(exdates):
        master.add("exdate", first + timedelta(weeks=i))
    cal.add_component(master)
    for i in sorted(cancelled):
        cal.add_component(vevent(first + timedelta(weeks=i), recurrence_id=first + timedelta(weeks=i),
                                 status="CANCELLED", sequence=1))  # fmt: skip
    for i in sorted(moved):
        slot = first + timedelta(weeks=i)
        cal.add_component(vevent(slot + timedelta(days=1), recurrence_id=slot, sequence=1))
    return cal.to_ical().decode()


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.sampled_from(["kept", "exdate", "cancelled", "moved"]), min_size=n, max_size=n),
)))  # fmt: skip
def test_generated_series_counts(case):
    weeks, fates = case
    pick = {f: {i for i, x in enumerate(fates) if x == f} for f in ("exdate", "cancelled", "moved")}
    text = _weekly_series_ics(weeks, pick["exdate"], pick["cancelled"], pick["moved"])
    events = load_ics([text, text], start=START, end=END)  # twice: de-duplicated
    assert len(events) == weeks
    pc = pair_cadence(events, ANA, BEN, start=START, end=END)
    assert pc.planned == weeks
    assert pc.cancelled == len(pick["exdate"]) + len(pick["cancelled"])
    assert pc.rescheduled == len(pick["moved"])
    assert pc.held == weeks - pc.cancelled


def test_hold_cadence_reasons_for_missing_and_ad_hoc(both):
    recordings = [utc(2026, 10, 5, 14), utc(2026, 10, 12, 14)]
    ben = pair_cadence(both, ANA, BEN, start=START, end=END, held=recordings)
    none = pair_cadence(both, ANA, "dana@acme.test", start=START, end=END)
    chat = CalendarEvent("x", "chat", utc(2026, 11, 25, 9), utc(2026, 11, 25, 9, 20), ANA, (CARA,))
    ad_hoc = pair_cadence([chat], ANA, CARA, start=START, end=END)
    result = hold_cadence([ben, none, ad_hoc], as_of=END)
    why = result["why_not_higher"]
    assert "5 of 10 planned had no recording" in why  # Nov 3, 9, 16, 23, 30
    assert "no 1:1 with dana@acme.test is on the calendar" in why
    assert "cara@acme.test's 1:1s are ad hoc, with no recurring series" in why
    assert "cara@acme.test's 1:1s run 20 min, under the 30-min norm" in why
    missed = [e for e in result["evidence"] if "no recording" in e["shows"]]
    assert [e["date"] for e in missed] == [
        "2026-11-03",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
        "2026-11-30",
    ]


ONE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//t//EN
BEGIN:VEVENT
UID:e1
SUMMARY:x
DTSTART{start}
{extra}
DURATION:PT1H
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ("RRULE:FREQ=SOMETIMES", 8, "bad RRULE 'FREQ=SOMETIMES'"),
        ("RRULE:FREQ=WEEKLY;COUNT=abc", 8, "bad RRULE 'FREQ=WEEKLY;COUNT=abc'"),
        ("EXDATE:garbage", 8, "bad EXDATE 'garbage'"),
        ("SEQUENCE:x", 8, "bad SEQUENCE 'x'"),
    ],
)
def test_bad_properties_name_their_line(extra, line, message):
    with pytest.raises(FormatError) as exc:
        load_ics(ONE.format(start=":20261005T100000Z", extra=extra), start=START, end=END)
    assert (exc.value.file, exc.value.line) == ("<text>", line)
    assert exc.value.message.startswith(message)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (";TZID=Customized Time Zone:20261005T100000", utc(2026, 10, 5, 14)),  # unknown: default_tz
        (
            ";TZID=W. Europe Standard Time:20261005T100000",
            utc(2026, 10, 5, 8),
        ),  # Windows name, no VTIMEZONE
    ],
)
def test_tzid_without_vtimezone(start, expected):
    from zoneinfo import ZoneInfo

    text = ONE.format(start=start, extra="LOCATION:Room 1")
    (ev,) = load_ics(text, start=START, end=END, default_tz=ZoneInfo("America/New_York"))
    assert ev.start == expected


def test_no_calendar_data_is_a_refusal_not_a_score(both):
    nobody = pair_cadence(both, ANA, "dana@acme.test", start=START, end=END)
    result = hold_cadence([nobody], as_of=END)
    assert result["score"] is None and "import the manager's calendar" in result["reason"]
    empty = rep_week_load(both, "dana@acme.test", ANA, week_start=date(2026, 10, 5))
    assert (empty.calendar_events, empty.focus_blocks) == (0, 5)  # looks perfect, but no data
    refused = protect_rep_calendars([empty])
    assert refused["score"] is None and refused["signals"] == {"rep_weeks": 1}
    ben = rep_week_load(both, BEN, ANA, week_start=date(2026, 10, 5), config=NY)
    mixed = protect_rep_calendars([ben, empty], config=NY)
    assert mixed["score"] == 87.5 and mixed["signals"]["rep_weeks_without_data"] == 1
