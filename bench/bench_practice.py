"""Benchmark: how long the scripted voice takes to answer one manager message.

Replays the coaching and the telling script on every shipped scenario (real tagger,
scripted voice), several seeds each, and reports per-turn latency of
``PracticeSession.send`` (tagging + state update + line choice + realisation). The
debrief (scoring) is timed separately, once per session. Target: a turn < 50 ms.

    .venv/bin/python bench/bench_practice.py [--seeds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

from coachloop.practice import PracticeSession, load_scenarios
from coachloop.practice.scripts import coaching_script, telling_script


def run(seeds: int) -> dict[str, object]:
    turns: list[float] = []
    debriefs: list[float] = []
    scenarios = load_scenarios()
    # warm-up: compile the tagger's patterns and import the scorer outside the timing
    warm = PracticeSession(next(iter(scenarios.values())))
    warm.start()
    warm.send("What happened?")
    warm.finish()
    for sc in scenarios.values():
        for script in (coaching_script(sc), telling_script(sc)):
            for seed in range(seeds):
                s = PracticeSession(sc, seed=seed)
                s.start()
                for line in script:
                    if s.status.value == "finished":
                        break
                    t0 = time.perf_counter()
                    s.send(line)
                    turns.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                s.finish()
                debriefs.append(time.perf_counter() - t0)
    turns.sort()
    ms = [t * 1000 for t in turns]
    return {
        "scenarios": len(scenarios),
        "sessions": len(debriefs),
        "turns": len(turns),
        "turn_ms_median": round(statistics.median(ms), 3),
        "turn_ms_p95": round(ms[int(0.95 * (len(ms) - 1))], 3),
        "turn_ms_max": round(ms[-1], 3),
        "debrief_ms_median": round(statistics.median(debriefs) * 1000, 3),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = run(args.seeds)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, v in result.items():
            print(f"{k:>18}: {v}")
        ok = float(result["turn_ms_max"]) < 50.0  # type: ignore[arg-type]
        print(f"{'< 50 ms a turn':>18}: {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
