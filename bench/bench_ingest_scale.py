"""Time ``coachloop ingest`` on an org already written by ``coachloop sim``.

    coachloop sim /tmp/org200 --managers 200 --weeks 12 --seed 1 --jobs 2
    .venv/bin/python bench/bench_ingest_scale.py /tmp/org200 --ws /tmp/ws200 --jobs 2
    .venv/bin/python bench/bench_ingest_scale.py /tmp/org200 --ws /tmp/ws20 --managers 20

Imports the roster (``coachloop roster import``), then runs ``coachloop ingest
ORG/transcripts --jobs N --output json`` as a subprocess (``--managers K``: only the
first K manager folders, for a smaller corpus from the same org). While it runs, the
resident memory of the ingest process and of its workers is sampled from ``/proc``
every second. Prints one JSON object: wall seconds, CPU seconds of the process tree
(user + system, from ``getrusage(RUSAGE_CHILDREN)``), load average before and after,
peak RSS of the parent and of the largest worker, the ingest summary counts and the
database size. The workspace directory is deleted first; nothing is written elsewhere.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

COACHLOOP = Path(sys.executable).with_name("coachloop")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("org", type=Path, help="folder written by coachloop sim")
    ap.add_argument("--ws", type=Path, required=True, help="workspace to create (deleted first)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--managers", type=int, default=None, help="only the first K folders")
    ap.add_argument("--start", default="2026-09-07", help="roster effective date")
    args = ap.parse_args()

    if args.ws.exists():
        shutil.rmtree(args.ws)
    folders = sorted(p for p in (args.org / "transcripts").iterdir() if p.is_dir())
    paths = (
        [str(p) for p in folders[: args.managers]]
        if args.managers
        else [str(args.org / "transcripts")]
    )
    ws = ["--workspace", str(args.ws)]
    subprocess.run(
        [
            str(COACHLOOP),
            "roster",
            "import",
            str(args.org / "roster.csv"),
            "--effective",
            args.start,
            *ws,
        ],
        check=True,
        capture_output=True,
    )
    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(COACHLOOP), "ingest", *paths, "--jobs", str(args.jobs), "--output", "json", *ws],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    peak_parent = peak_worker = peak_tree = 0.0
    samples: list[tuple[float, float]] = []
    while proc.poll() is None:
        parent = rss_mb(proc.pid)
        workers = [rss_mb(c) for c in children(proc.pid)]
        peak_parent = max(peak_parent, parent)
        peak_worker = max([peak_worker, *workers])
        peak_tree = max(peak_tree, parent + sum(workers))
        samples.append((round(time.perf_counter() - t0, 1), round(parent + sum(workers), 1)))
        time.sleep(1.0)
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_after = os.getloadavg()
    summary: dict[str, Any] = json.loads(out) if out.strip() else {}
    if isinstance(summary, list):  # --output json of one summary row
        summary = summary[0] if summary else {}
    db = args.ws / "coachloop.db"
    size = sum(f.stat().st_size for f in args.ws.glob("coachloop.db*")) if db.exists() else 0
    cpu_user = after.ru_utime - before.ru_utime
    cpu_sys = after.ru_stime - before.ru_stime
    n = len(samples)
    result = {
        "org": str(args.org),
        "folders": len(paths) if args.managers else len(folders),
        "jobs": args.jobs,
        "exit_code": proc.returncode,
        "wall_s": round(wall, 1),
        "cpu_user_s": round(cpu_user, 1),
        "cpu_sys_s": round(cpu_sys, 1),
        "cpu_per_wall": round((cpu_user + cpu_sys) / wall, 2),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "peak_rss_mb": {
            "parent": round(peak_parent, 1),
            "largest_worker": round(peak_worker, 1),
            "tree": round(peak_tree, 1),
        },
        # tree RSS at the first, middle and last sample: flat or growing?
        "tree_rss_mb_over_time": [
            samples[i] for i in sorted({0, n // 4, n // 2, 3 * n // 4, n - 1})
        ]
        if n
        else [],
        "database_mb": round(size / 1e6, 1),
        "summary": {
            k: (len(v) if isinstance(v, list) else v)
            for k, v in summary.items()
            if k in ("files", "meetings_added", "meetings_unchanged", "failed", "skipped")
        },
    }
    print(json.dumps(result, indent=2))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
