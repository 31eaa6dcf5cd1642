"""``simulate_org``: write a whole simulated org to a folder, streaming, with ground truth.

Layout of ``out_dir``::

    roster.csv                 name, email, role, manager_email, team, cohort
    transcripts/<manager>/<YYYY-MM-DD>_<rep>.<ext>   one per 1:1 held, in its export format
    transcripts/<manager>/<YYYY-MM-DD>_<rep>.meta.json   sidecar: manager_email, rep_email, started_at
    calendars/<email>.ics      every manager's and rep's calendar
    manager_ratings.csv        manager, rep, period, skill, rating
    rep_ratings.csv            rep, manager, started_at, rating, comment
    kpis.csv                   subject_type, subject, week, metric, value
    truth.json                 behaviour levels and parameters per manager-week, KPI effects

Memory stays flat: the org and the trajectories are small; each manager's 1:1s are
made, written and dropped before the next manager's. Output bytes are deterministic
for a seed (every random stream is keyed by seed and the ids it serves), with or
without worker processes.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from coachloop.errors import ConfigError, InputError
from coachloop.sim.calendars import (
    one_on_one_events,
    pair_slots,
    rep_week_events,
    team_meeting,
    to_ics,
    week_start,
)
from coachloop.sim.kpis import DEFAULT_EFFECTS, Metric, effects_dict, rep_kpi_rows
from coachloop.sim.managers import (
    BEHAVIORS,
    Dynamics,
    ManagerTrajectory,
    latin_baselines,
    simulate_trajectory,
)
from coachloop.sim.meetings import ASR_FORMATS, EXTENSIONS, MeetingPlan, simulate_meeting
from coachloop.sim.org import Manager, Org, build_org
from coachloop.sim.ratings import (
    MANAGER_RATING_COLUMNS,
    REP_RATING_COLUMNS,
    manager_rating_rows,
    rep_rating,
)

DEFAULT_START = date(2026, 9, 7)  # a Monday
KPI_COLUMNS = ("subject_type", "subject", "week", "metric", "value")
ROSTER_COLUMNS = ("name", "email", "role", "manager_email", "team", "cohort")
MAX_MANAGERS = 2000
MAX_WEEKS = 104


@dataclass(slots=True)
class SimSummary:
    """What :func:`simulate_org` wrote (counts, formats, timing)."""

    out_dir: str
    seed: int
    managers: int
    reps: int
    directors: int
    weeks: int
    meetings: int = 0
    cancelled: int = 0
    moved: int = 0
    formats: dict[str, int] = field(default_factory=dict)
    asr_text: int = 0
    minutes_total: float = 0.0
    calendars: int = 0
    seconds: float = 0.0
    bytes_written: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": self.out_dir,
            "seed": self.seed,
            "directors": self.directors,
            "managers": self.managers,
            "reps": self.reps,
            "weeks": self.weeks,
            "meetings": self.meetings,
            "cancelled": self.cancelled,
            "moved": self.moved,
            "formats": dict(sorted(self.formats.items())),
            "asr_style_transcripts": self.asr_text,
            "mean_minutes": round(self.minutes_total / self.meetings, 1) if self.meetings else None,
            "calendars": self.calendars,
            "seconds": round(self.seconds, 1),
            "megabytes": round(self.bytes_written / 1e6, 1),
        }


def _slug(email: str) -> str:
    return email.split("@", 1)[0].replace(".", "-")


def _write(path: Path, data: bytes) -> int:
    path.write_bytes(data)
    return len(data)


def plan_org(
    *,
    managers: int,
    weeks: int,
    seed: int,
    start: date = DEFAULT_START,
    dynamics: Dynamics | None = None,
) -> tuple[Org, list[ManagerTrajectory]]:
    """The org and every manager's true trajectory (no files)."""
    if not 1 <= managers <= MAX_MANAGERS:
        raise ConfigError(f"--managers must be between 1 and {MAX_MANAGERS}, got {managers}")
    if not 1 <= weeks <= MAX_WEEKS:
        raise ConfigError(f"--weeks must be between 1 and {MAX_WEEKS}, got {weeks}")
    if start.weekday() != 0:
        raise ConfigError(f"the start date must be a Monday, got {start} ({start:%A})")
    dyn = dynamics or Dynamics()
    org = build_org(managers=managers, weeks=weeks, seed=seed, start=start)
    rng = random.Random(f"traj:{seed}")
    baselines = latin_baselines(managers, rng, dyn)
    trajs = []
    for m, base in zip(org.managers, baselines, strict=True):
        trng = random.Random(f"traj:{seed}:{m.index}")
        trajs.append(
            simulate_trajectory(
                cohort=m.person.cohort, baseline=base, weeks=weeks, rng=trng, dyn=dyn
            )
        )
    return org, trajs


@dataclass(slots=True)
class _ManagerResult:
    index: int
    meetings: int = 0
    cancelled: int = 0
    moved: int = 0
    formats: dict[str, int] = field(default_factory=dict)
    asr_text: int = 0
    minutes: float = 0.0
    calendars: int = 0
    bytes_written: int = 0
    rep_ratings: list[dict[str, Any]] = field(default_factory=list)


def _simulate_manager(
    org: Org, mgr: Manager, traj: ManagerTrajectory, out: Path, seed: int, transcripts: bool = True
) -> _ManagerResult:
    """Write one manager's 1:1s and calendars (and their reps'); return counts."""
    from coachloop.readers.writers import write_transcript

    res = _ManagerResult(mgr.index)
    folder = out / "transcripts" / _slug(mgr.person.email)
    folder.mkdir(parents=True, exist_ok=True)
    cal_dir = out / "calendars"
    hold = [lv["hold_cadence"] for lv in traj.levels]
    team = team_meeting(org, mgr, seed=seed)
    manager_events = [team]
    for rep in mgr.reps:
        slots = pair_slots(org, mgr, rep.index, hold, seed=seed)
        ones = one_on_one_events(
            mgr, rep.index, slots, seed=seed, hold_level=traj.mean_level("hold_cadence")
        )
        manager_events.extend(ones)
        rep_events = [team, *ones]
        for week, slot in enumerate(slots, start=1):
            levels = traj.levels[week - 1]
            protect = levels["protect_rep_calendars"]
            rep_events.extend(rep_week_events(org, mgr, rep.index, week, protect, seed=seed))
            if slot.status == "cancelled":
                res.cancelled += 1
                continue
            res.moved += slot.status == "moved"
            if not transcripts:
                continue
            jitter = random.Random(f"{seed}:late:{mgr.index}:{rep.index}:{week}").randint(0, 240)
            plan = MeetingPlan(
                manager=mgr,
                rep=rep,
                week=week,
                cycle=(week - 1) // 2,
                started_at=slot.start + timedelta(seconds=jitter),
                moved=slot.status == "moved",
            )
            meeting = simulate_meeting(plan, traj.params[week - 1], seed=seed)
            fmt = meeting.source_format or "zoom-vtt"
            stem = f"{plan.started_at:%Y-%m-%d}_{_slug(rep.person.email)}"
            text = write_transcript(meeting, fmt)
            if fmt in ASR_FORMATS:
                # WhisperX and AssemblyAI write compact JSON (one line), not indented.
                text = json.dumps(json.loads(text), ensure_ascii=False)
            res.bytes_written += _write(folder / f"{stem}{EXTENSIONS[fmt]}", text.encode("utf-8"))
            sidecar = {
                "manager_email": mgr.person.email,
                "rep_email": rep.person.email,
                "started_at": plan.started_at.isoformat(),
                "title": meeting.title,
            }
            res.bytes_written += _write(
                folder / f"{stem}.meta.json", (json.dumps(sidecar, indent=2) + "\n").encode()
            )
            res.meetings += 1
            res.formats[fmt] = res.formats.get(fmt, 0) + 1
            res.asr_text += bool(meeting.meta["sim"]["asr_text"])
            res.minutes += meeting.duration / 60.0
            rrng = random.Random(f"{seed}:reprating:{mgr.index}:{rep.index}:{week}")
            if rrng.random() < 0.6:
                value, comment = rep_rating(levels, rrng)
                res.rep_ratings.append(
                    {
                        "rep": rep.person.email,
                        "manager": mgr.person.email,
                        "started_at": plan.started_at.isoformat(),
                        "rating": value,
                        "comment": comment,
                    }
                )
        res.bytes_written += _write(
            cal_dir / f"{rep.person.email}.ics", to_ics(rep_events, owner=rep.person.email)
        )
        res.calendars += 1
    res.bytes_written += _write(
        cal_dir / f"{mgr.person.email}.ics", to_ics(manager_events, owner=mgr.person.email)
    )
    res.calendars += 1
    return res


# Worker-process state (set once per worker by the pool initializer).
_WORKER: dict[str, Any] = {}


def _init_worker(
    org: Org, trajs: list[ManagerTrajectory], out: str, seed: int, transcripts: bool
) -> None:
    _WORKER.update(org=org, trajs=trajs, out=Path(out), seed=seed, transcripts=transcripts)


def _work(index: int) -> _ManagerResult:
    org: Org = _WORKER["org"]
    return _simulate_manager(
        org,
        org.managers[index],
        _WORKER["trajs"][index],
        _WORKER["out"],
        _WORKER["seed"],
        _WORKER["transcripts"],
    )


def truth_dict(
    org: Org, trajs: list[ManagerTrajectory], *, dynamics: Dynamics, metrics: tuple[Metric, ...]
) -> dict[str, Any]:
    managers = []
    for mgr, traj in zip(org.managers, trajs, strict=True):
        managers.append(
            {
                "email": mgr.person.email,
                "name": mgr.person.name,
                "team": mgr.person.team,
                "cohort": mgr.person.cohort,
                "director_email": mgr.director_email,
                "platform": mgr.platform,
                "baseline": traj.baseline,
                "style": traj.style,
                "mean_levels": {b: round(traj.mean_level(b), 4) for b in BEHAVIORS},
                "weeks": [
                    {
                        "week": w,
                        "week_start": week_start(org, w).isoformat(),
                        "levels": traj.levels[w - 1],
                        "params": traj.params[w - 1],
                        "focus_behavior": traj.focus[w - 1],
                    }
                    for w in range(1, org.weeks + 1)
                ],
                "reps": [
                    {
                        "email": r.person.email,
                        "persona": r.persona,
                        "tenure_months": r.tenure_months,
                        "skills": r.skills,
                    }
                    for r in mgr.reps
                ],
            }
        )
    return {
        "seed": org.seed,
        "start": org.start.isoformat(),
        "weeks": org.weeks,
        "behaviors": list(BEHAVIORS),
        "levels_meaning": "true level per behaviour in [0, 1], higher is better",
        "dynamics": dynamics.to_dict(),
        "kpi_model": "value = base[rep] + sum(coef * level[manager, behavior, week - lag]) + noise; "
        "level before week 1 = baseline",
        "kpi_effects": effects_dict(metrics),
        "managers": managers,
    }


def simulate_org(
    out_dir: str | Path,
    *,
    managers: int,
    weeks: int,
    seed: int,
    start: date = DEFAULT_START,
    jobs: int = 1,
    transcripts: bool = True,
    dynamics: Dynamics | None = None,
    metrics: tuple[Metric, ...] = DEFAULT_EFFECTS,
    progress: Callable[[int, int], None] | None = None,
) -> SimSummary:
    """Simulate an org into ``out_dir`` (created; must be empty or absent).

    ``jobs`` > 1 makes managers' 1:1s in worker processes (same bytes as ``jobs=1``).
    ``transcripts=False`` skips the 1:1 files (calendars, ratings, KPIs and truth only:
    seconds instead of minutes, for calendar and outcome studies).
    ``progress(done, total)`` is called after each manager.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(
            "is a file, not a folder", file=out, hint="give a new folder for the simulated org"
        )
    if out.exists() and any(out.iterdir()):
        raise InputError(
            "output folder exists and is not empty",
            file=out,
            hint="choose a new folder or remove this one",
        )
    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, got {jobs}")
    dyn = dynamics or Dynamics()
    org, trajs = plan_org(managers=managers, weeks=weeks, seed=seed, start=start, dynamics=dyn)
    (out / "transcripts").mkdir(parents=True)
    (out / "calendars").mkdir()
    summary = SimSummary(str(out), seed, managers, org.n_reps, len(org.directors), weeks)

    with open(out / "roster.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ROSTER_COLUMNS, lineterminator="\n")
        w.writeheader()
        for p in org.people():
            w.writerow(p.roster_row())

    rep_f = open(out / "rep_ratings.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
    with rep_f:
        rep_w = csv.DictWriter(rep_f, REP_RATING_COLUMNS, lineterminator="\n")
        rep_w.writeheader()
        for i, res in enumerate(_results(org, trajs, out, seed, jobs, transcripts), start=1):
            rep_w.writerows(res.rep_ratings)
            summary.meetings += res.meetings
            summary.cancelled += res.cancelled
            summary.moved += res.moved
            summary.asr_text += res.asr_text
            summary.minutes_total += res.minutes
            summary.calendars += res.calendars
            summary.bytes_written += res.bytes_written
            for k, v in res.formats.items():
                summary.formats[k] = summary.formats.get(k, 0) + v
            if progress is not None:
                progress(i, managers)

    with open(out / "manager_ratings.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, MANAGER_RATING_COLUMNS, lineterminator="\n")
        w.writeheader()
        for mgr, traj in zip(org.managers, trajs, strict=True):
            w.writerows(manager_rating_rows(org, mgr, traj, seed=seed))

    with open(out / "kpis.csv", "w", newline="", encoding="utf-8") as f:
        kw = csv.writer(f, lineterminator="\n")
        kw.writerow(KPI_COLUMNS)
        for kpi_row in _kpi_rows(org, trajs, seed=seed, metrics=metrics):
            kw.writerow(kpi_row)

    truth = truth_dict(org, trajs, dynamics=dyn, metrics=metrics)
    (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    summary.seconds = time.perf_counter() - t0
    return summary


def _results(
    org: Org, trajs: list[ManagerTrajectory], out: Path, seed: int, jobs: int, transcripts: bool
) -> Iterator[_ManagerResult]:
    if jobs == 1:
        for mgr, traj in zip(org.managers, trajs, strict=True):
            yield _simulate_manager(org, mgr, traj, out, seed, transcripts)
        return
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(
        jobs, initializer=_init_worker, initargs=(org, trajs, str(out), seed, transcripts)
    ) as pool:
        yield from pool.imap(_work, range(len(org.managers)))


def _kpi_rows(
    org: Org, trajs: list[ManagerTrajectory], *, seed: int, metrics: tuple[Metric, ...]
) -> Iterator[tuple[object, ...]]:
    for mgr, traj in zip(org.managers, trajs, strict=True):
        team: dict[tuple[int, str], list[float]] = {}
        for rep in mgr.reps:
            for week, metric, value in rep_kpi_rows(
                rep, traj, org.weeks, seed=seed, metrics=metrics
            ):
                yield ("rep", rep.person.email, week_start(org, week).isoformat(), metric, value)
                team.setdefault((week, metric), []).append(value)
        for (week, metric), values in sorted(team.items()):
            agg = sum(values) / len(values) if metric == "win_rate" else sum(values)
            yield (
                "team",
                mgr.person.team,
                week_start(org, week).isoformat(),
                metric,
                round(agg, 3),
            )
