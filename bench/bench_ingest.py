"""Ingest a simulated org end to end and time each step.

    .venv/bin/python bench/bench_ingest.py --managers 20 --weeks 8 --jobs 2
    .venv/bin/python bench/bench_ingest.py --database-url postgresql://... (PostgreSQL)

Steps: simulate the org (coachloop.sim), import the roster, ingest the transcripts twice
(the second run must add nothing), import calendars, manager ratings, rep ratings and
KPIs, then run the weekly cycle for every simulated week with briefs. Prints one JSON
object with timings (seconds), counts and the checks of the issue's "done when"; exits 1
if a check fails. Output goes to bench/results/ (never committed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--managers", type=int, default=20)
    ap.add_argument("--weeks", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--start", default="2026-09-07")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "ingest")
    ap.add_argument(
        "--database-url", default=None, help="PostgreSQL URL (default: SQLite in the workspace)"
    )
    args = ap.parse_args()

    from coachloop.sim import simulate_org
    from coachloop.workspace import Workspace
    from coachloop.workspace.briefs import write_briefs

    if args.out.exists():
        shutil.rmtree(args.out)
    org, ws_dir = args.out / "org", args.out / "ws"
    start = date.fromisoformat(args.start)
    timings: dict[str, float] = {}
    checks: dict[str, Any] = {}

    def timed(name: str, fn: Any, *a: Any, **k: Any) -> Any:
        t0 = time.perf_counter()
        out = fn(*a, **k)
        timings[name] = round(time.perf_counter() - t0, 2)
        return out

    timed(
        "simulate",
        simulate_org,
        org,
        managers=args.managers,
        weeks=args.weeks,
        seed=args.seed,
        start=start,
        jobs=args.jobs,
    )
    from coachloop.workspace.ingest import discover

    files = len(discover([org / "transcripts"])[0])
    with Workspace.open(ws_dir, database_url=args.database_url) as ws:
        timed("roster", ws.import_roster, org / "roster.csv", effective=start)
        first = timed("ingest_1", ws.ingest, [org / "transcripts"], jobs=args.jobs)
        second = timed("ingest_2", ws.ingest, [org / "transcripts"], jobs=args.jobs)
        timed("calendars", ws.import_calendars, sorted((org / "calendars").glob("*.ics")))
        timed("ratings", ws.import_ratings, org / "manager_ratings.csv")
        timed("rep_ratings", ws.import_rep_ratings, org / "rep_ratings.csv")
        timed("kpis", ws.import_kpis, org / "kpis.csv")
        managers = [p for p in ws.people() if p["role"] == "manager"]
        focus_missing: dict[str, int] = {}
        briefs = 0
        t0 = time.perf_counter()
        for i in range(args.weeks):
            week = start + timedelta(weeks=i)
            results = ws.cycle(week=week)
            focus_missing[week.isoformat()] = sum(1 for r in results if r["focus"] is None)
            briefs += len(write_briefs(results, args.out / "briefs" / week.isoformat()))
        timings["cycles"] = round(time.perf_counter() - t0, 2)
        info = ws.info()
        cal = ws.cycle(week=start + timedelta(weeks=args.weeks - 1))
        cadence = sum(1 for r in cal if r["behaviors"]["hold_cadence"]["score"] is not None)
        load = sum(1 for r in cal if r["behaviors"]["protect_rep_calendars"]["score"] is not None)

    checks = {
        "managers": len(managers),
        "weeks": args.weeks,
        "transcripts": files,
        "first_ingest": {k: v for k, v in first.to_dict().items() if k not in ("failed", "skipped")}
        | {"failed": len(first.failed), "skipped": len(first.skipped)},
        "second_ingest_added": second.meetings_added,
        "meetings_stored": info["meetings"],
        "no_duplicates": info["meetings"] == first.meetings_added and second.meetings_added == 0,
        "weeks_with_a_manager_without_focus": {w: n for w, n in focus_missing.items() if n},
        "briefs_written": briefs,
        "managers_with_cadence_score_last_week": cadence,
        "managers_with_rep_load_score_last_week": load,
        "backend": "postgresql" if args.database_url else "sqlite",
        "jobs": args.jobs,
    }
    print(json.dumps({"timings_s": timings, "checks": checks}, indent=2))
    ok = (
        checks["no_duplicates"]
        and not checks["weeks_with_a_manager_without_focus"]
        and cadence == len(managers)
        and load == len(managers)
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
