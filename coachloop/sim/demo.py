"""The demo: simulate an org, load it into a workspace with the ordinary imports, run the
weekly cycles and write the briefs — everything ``coachloop demo`` needs before it
starts the dashboard.

Layout of the demo folder (``./demo`` by default)::

    .coachloop-demo     marker: this folder was made by the demo and may be remade
    org/                the simulated org (see coachloop.sim.run)
    workspace/          the workspace (SQLite)
    briefs/             the last cycle's manager and team briefs (Markdown)
    summary.json        what the demo printed, as data

Every number in the summary comes from the workspace (scores computed by the real
pipeline), or from the org's truth.json where it says "true".
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from statistics import fmean
from typing import Any

from coachloop.errors import InputError
from coachloop.sim.truth import recovery

MARKER = ".coachloop-demo"
#: Password of the demo accounts: a local demo on 127.0.0.1, printed on purpose.
DEMO_PASSWORD = "coachloop-demo"


@dataclass(slots=True)
class DemoResult:
    out_dir: Path
    start: date
    weeks: int
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds)
    sim: dict[str, Any] = field(default_factory=dict)
    ingest: dict[str, Any] = field(default_factory=dict)
    imports: dict[str, Any] = field(default_factory=dict)
    cycles: list[list[dict[str, Any]]] = field(default_factory=list)
    briefs: list[str] = field(default_factory=list)
    cohorts: dict[str, Any] = field(default_factory=dict)
    recovery: dict[str, Any] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)  # role → e-mail for demo logins

    @property
    def workspace(self) -> Path:
        return self.out_dir / "workspace"

    @property
    def seconds(self) -> float:
        return sum(s for _, s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "start": self.start.isoformat(),
            "weeks": self.weeks,
            "steps": [{"step": n, "seconds": round(s, 1)} for n, s in self.steps],
            "seconds": round(self.seconds, 1),
            "sim": self.sim,
            "ingest": self.ingest,
            "imports": self.imports,
            "last_cycle": self.cycles[-1] if self.cycles else [],
            "briefs": self.briefs,
            "cohorts": self.cohorts,
            "truth_recovery": self.recovery,
            "people": self.people,
        }


def demo_start(weeks: int, today: date) -> date:
    """Monday of week 1, so that the last simulated week is the last complete week."""
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(weeks=weeks)


def prepare_folder(out_dir: Path) -> None:
    """Make ``out_dir`` ready: new, empty, or an earlier demo's (which is removed)."""
    if out_dir.exists():
        if not out_dir.is_dir():
            raise InputError("the demo folder is a file", file=out_dir, hint="use --out DIR")
        if (out_dir / MARKER).exists():
            shutil.rmtree(out_dir)
        elif any(out_dir.iterdir()):
            raise InputError(
                "folder exists, is not empty and was not made by the demo",
                file=out_dir,
                hint="choose another folder with --out",
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).write_text("made by `coachloop demo`; safe to delete\n", encoding="utf-8")


def run_demo(
    out_dir: str | Path,
    *,
    managers: int = 24,
    weeks: int = 12,
    seed: int = 7,
    jobs: int = 2,
    today: date | None = None,
    status: Callable[[str], None] | None = None,
) -> DemoResult:
    """Simulate, ingest, import, run every week's cycle and write the last briefs."""
    from coachloop.sim import simulate_org
    from coachloop.workspace import Workspace

    say = status or (lambda _msg: None)
    out = Path(out_dir)
    prepare_folder(out)
    start = demo_start(weeks, today or date.today())
    res = DemoResult(out, start, weeks)

    def step(name: str, t0: float) -> None:
        res.steps.append((name, time.perf_counter() - t0))

    t0 = time.perf_counter()
    say(f"simulating {managers} managers over {weeks} weeks from {start}")
    res.sim = simulate_org(
        out / "org", managers=managers, weeks=weeks, seed=seed, start=start, jobs=jobs
    ).to_dict()
    step("simulate", t0)

    org = out / "org"
    with Workspace.open(out / "workspace") as ws:
        t0 = time.perf_counter()
        say("importing the roster and ingesting the 1:1s")
        res.imports["roster"] = ws.import_roster(org / "roster.csv", effective=start)
        report = ws.ingest([org / "transcripts"], jobs=jobs)
        res.ingest = _as_dict(report)
        step("ingest", t0)

        t0 = time.perf_counter()
        say("importing calendars, ratings and KPIs")
        res.imports["calendars"] = ws.import_calendars(sorted((org / "calendars").glob("*.ics")))
        res.imports["ratings"] = ws.import_ratings(org / "manager_ratings.csv")
        res.imports["rep_ratings"] = ws.import_rep_ratings(org / "rep_ratings.csv")
        res.imports["kpis"] = ws.import_kpis(org / "kpis.csv")
        step("imports", t0)

        t0 = time.perf_counter()
        for w in range(weeks):
            monday = start + timedelta(weeks=w)
            say(f"cycle for the week of {monday}")
            res.cycles.append(ws.cycle(week=monday))
        step("cycles", t0)

        from coachloop.workspace.briefs import write_briefs

        res.briefs = [str(p) for p in write_briefs(res.cycles[-1], out / "briefs")]
        meetings = ws.meetings(kind="recorded")

    truth = json.loads((org / "truth.json").read_text(encoding="utf-8"))
    res.recovery = recovery(truth, meetings, res.cycles)
    res.cohorts = cohort_summary(res.cycles, truth)
    res.people = demo_people(truth)
    (out / "summary.json").write_text(
        json.dumps(res.to_dict(), indent=1, default=str) + "\n", encoding="utf-8"
    )
    return res


def _as_dict(report: Any) -> dict[str, Any]:
    if isinstance(report, dict):
        return report
    for name in ("to_dict", "as_dict"):
        if hasattr(report, name):
            data: dict[str, Any] = getattr(report, name)()
            return data
    return dict(vars(report))


def cohort_summary(cycles: list[list[dict[str, Any]]], truth: dict[str, Any]) -> dict[str, Any]:
    """Per cohort: mean measured score of each manager's weekly focus and of every behaviour,
    first and last four weeks (from the cycles), beside the true mean levels."""
    cohort_of = {m["email"]: m["cohort"] for m in truth["managers"]}
    out: dict[str, Any] = {}
    n = len(cycles)
    spans = {"first_4_weeks": cycles[: min(4, n)], "last_4_weeks": cycles[max(0, n - 4) :]}
    for cohort in sorted(set(cohort_of.values())):
        entry: dict[str, Any] = {"managers": sum(c == cohort for c in cohort_of.values())}
        for label, span in spans.items():
            per_b: dict[str, list[float]] = {}
            for week in span:
                for row in week:
                    if cohort_of.get(row.get("manager")) != cohort:
                        continue
                    for b, v in (row.get("behaviors") or {}).items():
                        if v.get("score") is not None:
                            per_b.setdefault(b, []).append(v["score"])
            entry[label] = {b: round(fmean(v), 1) for b, v in sorted(per_b.items())}
        true_first = _true_mean(truth, cohort, range(0, min(4, n)))
        true_last = _true_mean(truth, cohort, range(max(0, n - 4), n))
        entry["true_levels"] = {"first_4_weeks": true_first, "last_4_weeks": true_last}
        out[cohort] = entry
    return out


def _true_mean(truth: dict[str, Any], cohort: str, weeks: range) -> dict[str, float]:
    vals: dict[str, list[float]] = {}
    for m in truth["managers"]:
        if m["cohort"] != cohort:
            continue
        for w in weeks:
            for b, v in m["weeks"][w]["levels"].items():
                vals.setdefault(b, []).append(v)
    return {b: round(100 * fmean(v), 1) for b, v in sorted(vals.items())}


def demo_people(truth: dict[str, Any]) -> dict[str, str]:
    """One director, one coached and one classroom manager, and a rep, for demo logins."""
    managers = truth["managers"]
    coached = next(m for m in managers if m["cohort"] == "coached")
    classroom = next(m for m in managers if m["cohort"] == "classroom")
    return {
        "director": coached["director_email"],
        "manager (coached)": coached["email"],
        "manager (classroom)": classroom["email"],
        "rep": coached["reps"][0]["email"],
    }
