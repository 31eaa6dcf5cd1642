"""Benchmark: dashboard latency and 50 concurrent users on loopback.

Builds (or reuses with ``--workspace``) a SQLite workspace holding a synthetic org of
``--managers`` managers (default 200) × ``--weeks`` weeks (default 12). The rows are
inserted directly through the workspace models — people, reporting lines, two 1:1s per
manager per week with seven behaviour scores, a scorecard and 12 utterances each, three
manager-level weekly scores and one coaching cycle per manager — because simulating and
ingesting 4,800 transcripts would take far longer than the dashboard work measured here.
The data is shaped like ingested data (same tables, same JSON), not scored from text.

Then it starts the real server (``coachloop serve`` in a subprocess, on 127.0.0.1 and a
free port), signs in as an admin (who sees every manager: the largest overview), and
measures:

* overview and manager page latency: sequential requests after a warm-up, p50/p95/max
  (target p95 ≤ 150 ms);
* 50 concurrent users (``--users``), each signing in and then opening the overview, a
  manager page and a meeting page in turn, ``--rounds`` times: every answer must be 200.

    .venv/bin/python bench/bench_web.py [--managers 200] [--weeks 12] [--workspace DIR]
                                        [--requests 100] [--users 50] [--rounds 4] [--json]

On PostgreSQL (an empty database; scripts/postgres.sh starts a throwaway one)::

    bash scripts/postgres.sh bash -c \
        '.venv/bin/python bench/bench_web.py --database-url "$COACHLOOP_TEST_POSTGRES_URL"'

Only 127.0.0.1 is contacted. Generated data goes to bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from coachloop.behaviors import BEHAVIOR_IDS, TRANSCRIPT_BEHAVIORS

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-123"
TODAY = date(2026, 12, 1)
BEHAVIORS = BEHAVIOR_IDS
MEETING_BEHAVIORS = TRANSCRIPT_BEHAVIORS
HEALTH = ("hold_cadence", "protect_rep_calendars", "calibrate_against_team")


# -- the synthetic org -------------------------------------------------------------------------
def build(
    directory: Path, *, managers: int, weeks: int, seed: int = 7, database_url: str | None = None
) -> dict[str, Any]:
    from sqlalchemy import insert

    from coachloop.web.accounts import create_user
    from coachloop.workspace import Workspace
    from coachloop.workspace.models import (
        BehaviorScore,
        Cycle,
        ManagerWeekScore,
        MeetingRow,
        Person,
        ReportingLine,
        Signal,
        UtteranceRow,
    )

    rng = random.Random(seed)
    t0 = time.perf_counter()
    ws = Workspace.open(directory, database_url=database_url)
    directors = max(1, managers // 20)
    people: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    pid = 0

    def person(name: str, role: str, boss: int | None, team: str) -> int:
        nonlocal pid
        pid += 1
        people.append(
            {
                "id": pid,
                "name": name,
                "email": f"p{pid}@bench.example",
                "role": role,
                "team": team,
                "cohort": "2026",
                "consent": True,
            }
        )
        if boss is not None:
            lines.append(
                {
                    "person_id": pid,
                    "manager_id": boss,
                    "valid_from": date(2026, 1, 5),
                    "valid_to": None,
                }
            )
        return pid

    director_ids = [
        person(f"Director {d}", "director", None, f"Region {d}") for d in range(directors)
    ]
    mgr_reps: dict[int, list[int]] = {}
    for m in range(managers):
        team = f"Team {m}"
        mid = person(f"Manager {m:03d}", "manager", director_ids[m % directors], team)
        mgr_reps[mid] = [person(f"Rep {m:03d}-{r}", "rep", mid, team) for r in range(5)]

    first_week = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=weeks)
    meetings, scores, signals, utts, mws, cycles = [], [], [], [], [], []
    for mid, reps in mgr_reps.items():
        level = rng.uniform(30, 75)
        for w in range(weeks):
            week = first_week + timedelta(weeks=w)
            for k in range(2):
                started = datetime.combine(week + timedelta(days=1 + k), datetime.min.time(), UTC)
                meeting_id = f"bench-{mid}-{w}-{k}"
                card_b = {}
                for b in MEETING_BEHAVIORS:
                    s = max(0.0, min(100.0, rng.gauss(level + w, 12)))
                    ev = [
                        {
                            "index": 3,
                            "start": 36.0,
                            "quote": "What happened on the call?",
                            "shows": "open question before any advice",
                        }
                    ]
                    card_b[b] = {"score": s, "evidence": ev, "why_not_higher": "ask first"}
                    scores.append(
                        {
                            "meeting_id": meeting_id,
                            "behavior": b,
                            "score": s,
                            "evidence": ev,
                            "why_not_higher": "ask first",
                        }
                    )
                for b in HEALTH[:2]:
                    card_b[b] = {"score": None, "evidence": [], "why_not_higher": None}
                    scores.append(
                        {
                            "meeting_id": meeting_id,
                            "behavior": b,
                            "score": None,
                            "evidence": [],
                            "why_not_higher": None,
                        }
                    )
                sig = {"talk_share": rng.uniform(0.3, 0.7), "questions": rng.randint(1, 9)}
                for name, value in sig.items():
                    signals.append({"meeting_id": meeting_id, "name": name, "value": value})
                meetings.append(
                    {
                        "id": meeting_id,
                        "kind": "recorded",
                        "manager_id": mid,
                        "rep_id": reps[(w + k) % len(reps)],
                        "started_at": started,
                        "week": week,
                        "duration_s": rng.uniform(900, 2400),
                        "title": f"1:1 week {w}",
                        "source_format": "text",
                        "source_file": None,
                        "matched_by": "sidecar",
                        "transcript": {"speakers": []},
                        "scorecard": {"behaviors": card_b, "signals": sig},
                        "scenario_id": None,
                        "seed": None,
                        "ingested_at": started,
                    }
                )
                for i in range(12):
                    utts.append(
                        {
                            "meeting_id": meeting_id,
                            "index": i,
                            "speaker": "Manager" if i % 2 == 0 else "Rep",
                            "role": "manager" if i % 2 == 0 else "rep",
                            "start": 12.0 * i,
                            "end": 12.0 * i + 10,
                            "text": f"Line {i} of the 1:1.",
                            "acts": ["question"] if i % 4 == 0 else [],
                        }
                    )
            for b in HEALTH:
                mws.append(
                    {
                        "manager_id": mid,
                        "week": week,
                        "behavior": b,
                        "score": rng.uniform(20, 95),
                        "detail": {"why_not_higher": "two 1:1s moved"},
                    }
                )
        cycles.append(
            {
                "manager_id": mid,
                "cycle_start": first_week + timedelta(weeks=weeks - 4),
                "cycle_end": first_week + timedelta(weeks=weeks),
                "focus": "ask_before_tell",
                "reason": "lowest score with evidence",
                "scenario_id": "abt-lost-renewal",
                "status": "active",
            }
        )

    with ws.write() as s:
        for model, rows in (
            (Person, people),
            (ReportingLine, lines),
            (MeetingRow, meetings),
            (BehaviorScore, scores),
            (Signal, signals),
            (UtteranceRow, utts),
            (ManagerWeekScore, mws),
            (Cycle, cycles),
        ):
            for i in range(0, len(rows), 5000):
                s.execute(insert(model), rows[i : i + 5000])
    create_user(ws, "admin@bench.example", role="admin", password=PASSWORD)
    ws.close()
    return {
        "managers": managers,
        "weeks": weeks,
        "people": len(people),
        "meetings": len(meetings),
        "behavior_scores": len(scores),
        "utterances": len(utts),
        "build_s": round(time.perf_counter() - t0, 1),
    }


# -- the server --------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(workspace: Path, port: int, database_url: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COACHLOOP_WEB_ENVIRONMENT": "development"}
    env.pop("COACHLOOP_DATABASE_URL", None)
    if database_url:
        env["COACHLOOP_DATABASE_URL"] = database_url
    cmd = [
        str(Path(sys.executable).with_name("coachloop")),
        "serve",
        "--workspace",
        str(workspace),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--today",
        TODAY.isoformat(),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start in 120 s")


def sign_in(client: httpx.Client) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = client.post(
        "/login",
        data={
            "email": "admin@bench.example",
            "password": PASSWORD,
            "csrf_token": token.group(1),
            "next": "/",
        },
    )
    if r.status_code != 303 or "error" in r.headers.get("location", ""):
        raise SystemExit(f"sign-in failed: {r.status_code} {r.headers.get('location')}")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(pct(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc): the server's own work,
    independent of how busy the machine is."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sequential(
    base: str, manager_ids: list[int], meeting_ids: list[str], n: int, server_pid: int
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as c:
        sign_in(c)
        # warm-up: the first manager page imports the statistics stack; the first
        # overview builds the snapshot
        for path in ("/overview", f"/managers/{manager_ids[0]}", f"/meetings/{meeting_ids[0]}"):
            assert c.get(path).status_code == 200, path
        rng = random.Random(1)
        for name, make in (
            ("overview", lambda: "/overview"),
            ("manager_page", lambda: f"/managers/{rng.choice(manager_ids)}"),
            ("meeting_page", lambda: f"/meetings/{rng.choice(meeting_ids)}"),
            ("api_managers", lambda: "/api/managers"),
        ):
            times = []
            cpu0 = cpu_seconds(server_pid)
            for _ in range(n):
                path = make()
                t0 = time.perf_counter()
                r = c.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"{path}: {r.status_code}")
            cpu_ms = (cpu_seconds(server_pid) - cpu0) * 1000 / n
            out[name] = {**summary(times), "server_cpu_ms_per_request": round(cpu_ms, 1)}
    return out


async def concurrent(
    base: str, manager_ids: list[int], meeting_ids: list[str], users: int, rounds: int
) -> dict[str, Any]:
    statuses: dict[int, int] = {}
    times: list[float] = []
    errors: list[str] = []
    # sign in once, sequentially (Argon2 is deliberately slow); the users then share
    # nothing but the server
    cookies = []
    with httpx.Client(base_url=base, timeout=60) as c:
        for _ in range(users):
            c.cookies.clear()
            sign_in(c)
            cookies.append(dict(c.cookies))

    async def user(i: int) -> None:
        rng = random.Random(i)
        async with httpx.AsyncClient(base_url=base, timeout=60, cookies=cookies[i]) as c:
            for _ in range(rounds):
                for path in (
                    "/overview",
                    f"/managers/{rng.choice(manager_ids)}",
                    f"/meetings/{rng.choice(meeting_ids)}",
                ):
                    t0 = time.perf_counter()
                    try:
                        r = await c.get(path)
                    except httpx.HTTPError as exc:
                        errors.append(f"{path}: {type(exc).__name__}")
                        continue
                    times.append((time.perf_counter() - t0) * 1000)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    t0 = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(user(i) for i in range(users))), timeout=900)
    wall = time.perf_counter() - t0
    return {
        "users": users,
        "requests": len(times) + len(errors),
        "statuses": statuses,
        "errors": errors[:10],
        "wall_s": round(wall, 1),
        "throughput_rps": round(len(times) / wall, 1),
        **summary(times),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--managers", type=int, default=200)
    ap.add_argument("--weeks", type=int, default=12)
    ap.add_argument("--workspace", type=Path, default=None)
    ap.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL (an empty database or schema) instead of the directory's SQLite",
    )
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    built: dict[str, Any] | None = None
    url = args.database_url
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix) :]
    workspace = args.workspace
    if workspace is None:
        name = f"web-{args.managers}x{args.weeks}" + ("-pg" if url else "")
        workspace = ROOT / "bench" / "results" / name
        if url or not (workspace / "coachloop.db").exists():
            built = build(workspace, managers=args.managers, weeks=args.weeks, database_url=url)

    from sqlalchemy import select

    from coachloop.workspace import Workspace
    from coachloop.workspace.models import MeetingRow, Person

    with Workspace.open(workspace, database_url=url) as ws, ws.session() as s:
        manager_ids = list(s.scalars(select(Person.id).where(Person.role == "manager")))
        meeting_ids = list(s.scalars(select(MeetingRow.id).limit(2000)))

    port = free_port()
    proc = start_server(workspace, port, url)
    base = f"http://127.0.0.1:{port}"
    try:
        load_before = os.getloadavg()
        seq = sequential(base, manager_ids, meeting_ids, args.requests, proc.pid)
        conc = asyncio.run(concurrent(base, manager_ids, meeting_ids, args.users, args.rounds))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    result = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_before": [round(x, 1) for x in load_before],
            "loadavg_after": [round(x, 1) for x in os.getloadavg()],
        },
        "workspace": str(workspace),
        "backend": "postgresql" if url else "sqlite",
        "built": built,
        "managers_seen": len(manager_ids),
        "sequential": seq,
        "concurrent": conc,
        "target_p95_ms": 150,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"workspace {workspace} ({len(manager_ids)} managers); machine {result['machine']}")
        if built:
            print(f"built: {built}")
        for name, v in seq.items():
            print(
                f"{name:13s} n={v['n']} p50 {v['p50_ms']} ms  p95 {v['p95_ms']} ms  max {v['max_ms']} ms"
            )
        print(f"concurrent: {conc}")
    ok = conc["statuses"] == {200: conc["requests"]} and not conc["errors"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
