"""The weekly cycle: each manager's week, deltas, ONE focus per cycle, practice, briefs.

For a week W (default: the last complete week with recorded meetings):

* **scores** per behaviour: meeting behaviours are the mean over the manager's recorded
  1:1s in W weighted by meeting length; ``hold_cadence`` and ``protect_rep_calendars``
  come from calendars (:mod:`coachloop.workspace.calendars`); ``calibrate_against_team``
  from the manager's ratings vs the team's (:mod:`coachloop.analytics.calibration`) when
  ratings were imported, else from the 1:1s. ``meetings`` counts the 1:1s behind a score
  and ``confidence`` = n / (n + 2) (0 meetings → 0, 2 → 0.5, 6 → 0.75).
* **deltas**: ``delta_week`` against W−1, ``delta_baseline`` against the manager's
  baseline (the mean of their first four weeks with a score for the behaviour) and
  ``delta_team`` against the mean of their team (managers with the same manager in W).
* **focus**: :func:`coachloop.analytics.focus.pick_focus` on the scores over the cycle
  window (the last ``cycle_weeks`` weeks up to W) against the team benchmark (the top
  quartile of the team, or of all managers when the team has fewer than three scored),
  with the impact weights from settings, the focus in force from the stored cycles,
  ``cycle_weeks`` and ``mastery``. When no behaviour qualifies, the lowest-scored
  behaviour under mastery becomes a *stretch* focus, so every manager has one focus.
* **practice**: the first scenario of :func:`coachloop.practice.scenarios_for` the focus.
* **evidence**: 2–3 moments for the focus from the manager's own 1:1s in the window,
  lowest-scoring meetings first.

Results are stored (``cycles`` and ``cycle_weeks``), so the focus persists across weeks
and a re-run for the same week gives the same answer.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from coachloop.behaviors import BEHAVIOR_IDS as BEHAVIORS
from coachloop.errors import WorkspaceError
from coachloop.workspace._csv import RowError, iso_week, parse_week, week_start
from coachloop.workspace.models import (
    BehaviorScore,
    Cycle,
    CycleWeek,
    ManagerRating,
    MeetingRow,
    Person,
    RepMeetingRating,
    ReportingLine,
    Signal,
    utcnow,
)

if TYPE_CHECKING:
    from coachloop.workspace.core import Workspace

CALENDAR = ("hold_cadence", "protect_rep_calendars")
BASELINE_WEEKS = 4
MIN_TEAM = 3


def resolve_week(ws: Workspace, week: date | str | None) -> date:
    if isinstance(week, date):
        return week_start(week)
    if isinstance(week, str):
        try:
            return parse_week(week)
        except RowError as exc:
            raise WorkspaceError(str(exc), hint="give --week like 2026-W47") from None
    today = utcnow().date()
    with ws.session() as s:
        weeks = sorted(
            w
            for w in s.scalars(
                select(MeetingRow.week).where(MeetingRow.kind == "recorded").distinct()
            )
            if w is not None
        )
    if not weeks:
        raise WorkspaceError(
            "no recorded meetings in the workspace", hint="ingest 1:1s first: coachloop ingest DIR"
        )
    complete = [w for w in weeks if w + timedelta(days=7) <= today]
    return complete[-1] if complete else weeks[-1]


def _confidence(n: int) -> float:
    return round(n / (n + 2), 3)


class _Data:
    """Everything the cycle reads, loaded once."""

    def __init__(self, ws: Workspace, week: date, cycle_weeks: int) -> None:
        self.week = week
        with ws.session() as s:
            self.people = {p.id: p for p in s.scalars(select(Person))}
            self.withdrawn = sorted(p.id for p in self.people.values() if not p.consent) or [-1]
            self.lines: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
            for line in s.scalars(select(ReportingLine)):
                self.lines[line.person_id].append((line.manager_id, line.valid_from, line.valid_to))
            q = (
                select(
                    MeetingRow.id,
                    MeetingRow.manager_id,
                    MeetingRow.week,
                    MeetingRow.duration_s,
                    MeetingRow.started_at,
                    MeetingRow.rep_id,
                    BehaviorScore.behavior,
                    BehaviorScore.score,
                    BehaviorScore.evidence,
                )
                .join(BehaviorScore, BehaviorScore.meeting_id == MeetingRow.id)
                .where(
                    MeetingRow.kind == "recorded",
                    MeetingRow.week <= week,
                    MeetingRow.manager_id.is_not(None),
                    # consent withdrawn after ingestion: their 1:1s no longer count
                    MeetingRow.manager_id.not_in(self.withdrawn),
                    or_(MeetingRow.rep_id.is_(None), MeetingRow.rep_id.not_in(self.withdrawn)),
                )
            )
            # (manager, week) -> behaviour -> [(score, weight)]
            self.cells: dict[tuple[int, date], dict[str, list[tuple[float, float]]]] = defaultdict(
                lambda: defaultdict(list)
            )
            self.meetings: dict[tuple[int, date], set[str]] = defaultdict(set)
            # meeting moments for evidence: manager -> [(week, score, meeting, started, evidence)]
            self.moments: dict[tuple[int, str], list[tuple[date, float, str, Any, list[Any]]]] = (
                defaultdict(list)
            )
            lo = week - timedelta(weeks=cycle_weeks - 1)
            for mid, man, wk, dur, started, _rep, behavior, score, evidence in s.execute(q):
                self.meetings[(man, wk)].add(mid)
                if score is None:
                    continue
                self.cells[(man, wk)][behavior].append((float(score), max(float(dur), 1.0)))
                if wk >= lo and evidence:
                    self.moments[(man, behavior)].append((wk, float(score), mid, started, evidence))
            self.rep_ratings: dict[tuple[int, date], list[int]] = defaultdict(list)
            rq = select(MeetingRow.manager_id, MeetingRow.week, RepMeetingRating.rating).join(
                RepMeetingRating, RepMeetingRating.meeting_id == MeetingRow.id
            )
            for man, wk, rating in s.execute(rq.where(MeetingRow.week == week)):
                if man is not None and wk is not None:
                    self.rep_ratings[(man, wk)].append(rating)
            self.has_ratings = s.scalar(select(ManagerRating.id).limit(1)) is not None
            self.refs: dict[int, list[float]] = defaultdict(list)
            sq = (
                select(MeetingRow.manager_id, Signal.value)
                .join(Signal, Signal.meeting_id == MeetingRow.id)
                .where(Signal.name == "benchmark_refs", MeetingRow.kind == "recorded")
                .where(MeetingRow.week <= week, MeetingRow.week >= lo)
            )
            for man, value in s.execute(sq):
                if man is not None and value is not None:
                    self.refs[man].append(float(value))

    def boss(self, person: int, day: date) -> int | None:
        for boss, start, end in self.lines.get(person, ()):
            if start <= day and (end is None or day < end):
                return boss
        return None

    def managers(self, week: date) -> list[int]:
        """People with role manager, plus anyone with recorded 1:1s as manager that week."""
        out = {p.id for p in self.people.values() if p.role == "manager"}
        out |= {m for (m, w) in self.meetings if w == week}
        # a manager without consent is never scored
        return sorted(
            (m for m in out if self.people[m].consent), key=lambda i: self.people[i].email
        )

    def weekly(self, manager: int, week: date) -> dict[str, tuple[float | None, int]]:
        """behaviour -> (length-weighted score, meetings) from the 1:1s of ``week``."""
        out: dict[str, tuple[float | None, int]] = {}
        for behavior, cells in self.cells.get((manager, week), {}).items():
            total = sum(w for _, w in cells)
            out[behavior] = (sum(v * w for v, w in cells) / total, len(cells))
        return out

    def window(self, manager: int, weeks: Iterable[date]) -> dict[str, float]:
        pooled: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for w in weeks:
            for behavior, cells in self.cells.get((manager, w), {}).items():
                pooled[behavior].extend(cells)
        return {
            b: sum(v * w for v, w in cells) / sum(w for _, w in cells)
            for b, cells in pooled.items()
            if cells
        }

    def baseline(self, manager: int, behavior: str) -> float | None:
        weeks = sorted(
            w for (m, w), cells in self.cells.items() if m == manager and behavior in cells
        )
        firsts = weeks[:BASELINE_WEEKS]
        if not firsts:
            return None
        values = [self.weekly(manager, w)[behavior][0] for w in firsts]
        return statistics.fmean(v for v in values if v is not None)


def _period_start(period: str) -> date | None:
    try:
        return parse_week(period)
    except RowError:
        return None


def _rated_before(ws: Workspace, week: date, earlier: date) -> bool:
    """Whether some rating counts for ``week`` but not yet for ``earlier``."""
    return any(
        (start := _period_start(r["period"])) is not None and earlier < start <= week
        for r in ws.manager_ratings()
    )


#: KPI metrics tried, in order, as the measured performance ratings are compared with
PERFORMANCE_METRICS = ("quota_attainment", "win_rate", "pipeline_created")


def _performance(ws: Workspace, periods: set[str]) -> list[dict[str, Any]]:
    """(rep, period, value) rows of measured performance for the rating periods that name
    a week: the rep's KPI of that week, from ``cycle.performance_metric`` or the first of
    :data:`PERFORMANCE_METRICS` that was imported."""
    starts = {p: w for p in periods if (w := _period_start(p)) is not None}
    if not starts:
        return []
    wanted = ws.settings.performance_metric
    kpis = ws.kpis(subject_type="rep")
    present = {k["metric"] for k in kpis}
    metric = wanted or next((m for m in PERFORMANCE_METRICS if m in present), None)
    if metric is None:
        return []
    by_week: dict[date, list[tuple[str, float]]] = defaultdict(list)
    for k in kpis:
        if k["metric"] == metric:
            by_week[k["week"]].append((k["subject"], k["value"]))
    return [
        {"rep": rep, "period": period, "value": value}
        for period, w in sorted(starts.items())
        for rep, value in by_week.get(w, [])
    ]


def _calibration(ws: Workspace, data: _Data, week: date) -> dict[int, dict[str, Any]]:
    """manager id -> calibrate_against_team result from imported ratings (if any).

    Ratings whose period is a date or ISO week count from that week on; other periods
    (``2026-Q3``) always count."""
    if not data.has_ratings:
        return {}
    import pandas as pd

    from coachloop.analytics.calibration import calibrate, calibrate_against_team_score

    rows = [
        r
        for r in ws.manager_ratings()
        if (start := _period_start(r["period"])) is None or start <= week
    ]
    if not rows:
        return {}
    frame = pd.DataFrame(rows, columns=["manager", "rep", "period", "skill", "rating"])
    perf = _performance(ws, {r["period"] for r in rows})
    results = calibrate(
        frame, pd.DataFrame(perf, columns=["rep", "period", "value"]) if perf else None
    )
    by_email = {p.email: p.id for p in data.people.values()}
    out = {}
    for email, result in results.items():
        man = by_email.get(email)
        if man is None:
            continue
        refs = data.refs.get(man)
        out[man] = calibrate_against_team_score(result, statistics.fmean(refs) if refs else None)
    return out


def _scenario_for(behavior: str | None) -> str | None:
    if behavior is None:
        return None
    from coachloop.practice import scenarios_for

    found = scenarios_for(behavior)
    return found[0].id if found else None


def _round(x: float | None, nd: int = 1) -> float | None:
    return None if x is None else round(x, nd)


def run_cycle(ws: Workspace, *, week: date | str | None = None) -> list[dict[str, Any]]:
    """Compute, store and return the cycle of ``week`` for every manager."""
    from coachloop.analytics.focus import FocusState, pick_focus, team_benchmark
    from coachloop.workspace.calendars import calendar_scores, stored_calendar_scores

    conf = ws.settings
    w = resolve_week(ws, week)
    prev_w = w - timedelta(weeks=1)
    window_weeks = [w - timedelta(weeks=i) for i in range(conf.cycle_weeks)]
    data = _Data(ws, w, conf.cycle_weeks)
    cal_now = calendar_scores(ws, w)
    # last week's calendar scores as stored by its own cycle, else computed now
    cal_prev = stored_calendar_scores(ws, prev_w) or calendar_scores(ws, prev_w)
    calib = _calibration(ws, data, w)
    calib_prev = _calibration(ws, data, prev_w) if _rated_before(ws, w, prev_w) else calib
    managers = data.managers(w)

    # scores per manager for this week, last week and the cycle window
    now: dict[int, dict[str, tuple[float | None, int | None]]] = {}
    before: dict[int, dict[str, float | None]] = {}
    window: dict[int, dict[str, float | None]] = {}
    for m in managers:
        cur: dict[str, tuple[float | None, int | None]] = dict(data.weekly(m, w))
        old: dict[str, float | None] = {b: v for b, (v, _) in data.weekly(m, prev_w).items()}
        win: dict[str, float | None] = dict(data.window(m, window_weeks))
        for b in CALENDAR:
            res = cal_now.get(m, {}).get(b)
            if res is not None:
                cur[b] = (res.get("score"), None)
                win[b] = res.get("score")
            res_prev = cal_prev.get(m, {}).get(b)
            if res_prev is not None:
                old[b] = res_prev.get("score")
        if m in calib:
            cur["calibrate_against_team"] = (calib[m].get("score"), None)
            win["calibrate_against_team"] = calib[m].get("score")
            old["calibrate_against_team"] = calib_prev.get(m, {}).get("score")
        now[m], before[m], window[m] = cur, old, win

    def team_of(m: int) -> list[int]:
        boss = data.boss(m, w)
        return [x for x in managers if boss is not None and data.boss(x, w) == boss]

    everyone = {b: [window[m].get(b) for m in managers] for b in BEHAVIORS}
    org_bench = team_benchmark(everyone)

    results: list[dict[str, Any]] = []
    with ws.write() as s:
        for m in managers:
            person = data.people[m]
            team = team_of(m)
            scored_team = [x for x in team if any(v is not None for v in window[x].values())]
            if len(scored_team) >= MIN_TEAM:
                bench = team_benchmark({b: [window[x].get(b) for x in team] for b in BEHAVIORS})
                bench_scope = "team"
            else:
                bench, bench_scope = org_bench, "org"
            behaviors: dict[str, Any] = {}
            for b in BEHAVIORS:
                score, n = now[m].get(b, (None, 0))
                last = before[m].get(b)
                from_meetings = b not in CALENDAR and not (
                    b == "calibrate_against_team" and m in calib
                )
                base = data.baseline(m, b) if from_meetings else None
                peers = [now[x].get(b, (None, 0))[0] for x in team if x != m]
                peer_vals = [v for v in peers if v is not None]
                team_mean = statistics.fmean(peer_vals) if peer_vals else None
                behaviors[b] = {
                    "score": _round(score),
                    "delta_week": _round(score - last)
                    if score is not None and last is not None
                    else None,
                    "delta_baseline": _round(score - base)
                    if score is not None and base is not None
                    else None,
                    "delta_team": _round(score - team_mean)
                    if score is not None and team_mean is not None
                    else None,
                    "team": _round(team_mean),
                    "benchmark": _round(bench.get(b)),
                    "meetings": n,
                    "confidence": _confidence(n) if n is not None else None,
                    "source": "calendar"
                    if b in CALENDAR
                    else "ratings"
                    if (b == "calibrate_against_team" and m in calib)
                    else "meetings",
                }
            previous_row = s.scalars(
                select(Cycle)
                # strictly before w: re-running the week that started a cycle decides again
                .where(Cycle.manager_id == m, Cycle.cycle_start < w)
                .order_by(Cycle.cycle_start.desc())
                .limit(1)
            ).first()
            previous = (
                FocusState(
                    previous_row.focus,
                    previous_row.cycle_start,
                    # the length it was started with, even if the setting changed since
                    max(1, (previous_row.cycle_end - previous_row.cycle_start).days // 7),
                )
                if previous_row is not None
                else None
            )
            decision = pick_focus(
                window[m],
                bench,
                impact=conf.impact or None,
                previous=previous,
                week=w,
                cycle_weeks=conf.cycle_weeks,
                mastery=conf.mastery,
            )
            focus, reason, start, kept = (
                decision.behavior,
                decision.reason,
                decision.cycle_start,
                decision.kept,
            )
            if focus is None:
                under = {b: v for b, v in window[m].items() if v is not None and v < conf.mastery}
                if under:
                    focus = min(under, key=lambda b: (under[b], b))
                    reason = f"stretch focus: {reason}; {focus.replace('_', ' ')} is the lowest score ({under[focus]:.0f}) under mastery {conf.mastery:g}"
                    start, kept = w, False
            cycle_id: int | None = None
            cycle_end: date | None = None
            scenario = None
            if focus is not None:
                row = s.scalars(
                    select(Cycle).where(Cycle.manager_id == m, Cycle.cycle_start == start)
                ).first()
                if previous_row is not None and previous_row.cycle_start != start:
                    mastered = (window[m].get(previous_row.focus) or 0) >= conf.mastery
                    previous_row.status = "mastered" if mastered else "closed"
                scenario = _scenario_for(focus)
                if row is None:
                    row = Cycle(
                        manager_id=m,
                        cycle_start=start,
                        cycle_end=start + timedelta(weeks=conf.cycle_weeks),
                        focus=focus,
                        reason=reason,
                        scenario_id=scenario,
                        status="active",
                    )
                    s.add(row)
                elif row.focus != focus:
                    row.focus, row.reason, row.scenario_id = focus, reason, scenario
                s.flush()
                cycle_id = row.id
                cycle_end = row.cycle_end
            evidence = _evidence(data, m, focus)
            ratings = data.rep_ratings.get((m, w), [])
            result = {
                "manager": person.email,
                "name": person.name,
                "team": person.team,
                "manager_of_manager": data.people[boss_id].email
                if (boss_id := data.boss(m, w))
                else None,
                "week": iso_week(w),
                "week_start": w.isoformat(),
                "meetings": len(data.meetings.get((m, w), ())),
                "focus": focus,
                "focus_reason": reason,
                "focus_kept": kept,
                "cycle_start": start.isoformat() if focus else None,
                "cycle_end": cycle_end.isoformat() if cycle_end else None,
                "scenario_id": scenario,
                "benchmark_scope": bench_scope,
                "rep_rating": _round(statistics.fmean(ratings), 2) if ratings else None,
                "behaviors": behaviors,
                "evidence": evidence,
            }
            existing = s.get(CycleWeek, (m, w))
            if existing is None:
                s.add(
                    CycleWeek(manager_id=m, week=w, cycle_id=cycle_id, focus=focus, result=result)
                )
            else:
                existing.cycle_id, existing.focus, existing.result = cycle_id, focus, result
                existing.computed_at = utcnow()
            results.append(result)
    return results


def _evidence(data: _Data, manager: int, focus: str | None, limit: int = 3) -> list[dict[str, Any]]:
    """2–3 moments of the focus behaviour from the manager's own 1:1s, weakest first."""
    if focus is None:
        return []
    out: list[dict[str, Any]] = []
    for _wk, score, mid, started, items in sorted(
        data.moments.get((manager, focus), []), key=lambda x: (x[1], x[2])
    ):
        for item in items:
            if not isinstance(item, Mapping):
                continue
            out.append(
                {
                    "meeting_id": mid,
                    "started_at": started.isoformat() if started else None,
                    "meeting_score": round(score, 1),
                    "start": item.get("start"),
                    "quote": item.get("quote"),
                    "shows": item.get("shows"),
                }
            )
            if len(out) >= limit:
                return out
            break  # one moment per meeting first, so the moments span several 1:1s
    return out


def stored_cycle(ws: Workspace, week: date | str) -> list[dict[str, Any]]:
    """The stored results of a week's cycle (empty if it was never run)."""
    w = resolve_week(ws, week)
    with ws.session() as s:
        rows = s.scalars(select(CycleWeek).where(CycleWeek.week == w)).all()
        return sorted((dict(r.result) for r in rows), key=lambda r: r["manager"])
