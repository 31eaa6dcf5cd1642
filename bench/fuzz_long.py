"""A longer fuzzing run of every transcript reader than the test suite makes.

    .venv/bin/python bench/fuzz_long.py --examples 2000

Runs the strategies and the check of ``tests/readers/test_fuzz.py`` (transcript-like
text through format detection and through each reader forced, arbitrary bytes, JSON
values through the four JSON readers and detection, mutated fixture files) with
``--examples`` inputs per case instead of the suite's 120 (60 for mutated fixtures),
and prints, per case, how many inputs Hypothesis generated and ran and how long it
took. Exits 1 on the first input that makes a reader raise anything but an
``InputError`` (Hypothesis prints the shrunk input). Nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--examples", type=int, default=2000, help="inputs per case")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st

    from coachloop.readers import FORMATS, read_bytes, read_text
    from tests.readers import test_fuzz as T

    conf = settings(
        max_examples=args.examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    cases: list[tuple[str, Any, Any]] = [
        ("detect(text)", T.transcript_like, lambda t: lambda: read_text(t, name="fuzz")),
        ("bytes", st.binary(max_size=200), lambda b: lambda: read_bytes(b, name="fuzz.bin")),
    ]
    for fmt in FORMATS:
        cases.append(
            (
                f"{fmt}(text)",
                T.transcript_like,
                lambda t, f=fmt: lambda: read_text(t, name="fuzz", format=f),
            )
        )
    for jfmt in ("whisper", "whisperx", "assemblyai", "deepgram", None):
        cases.append(
            (
                f"{jfmt or 'detect'}(json)",
                T.json_values,
                lambda v, f=jfmt: lambda: read_text(json.dumps(v), name="fuzz.json", format=f),
            )
        )

    def mutated(name: str) -> Any:
        raw0 = (T.FIXTURES / name).read_bytes()

        @st.composite
        def strat(draw: Any) -> bytes:
            raw = bytearray(raw0)
            for _ in range(draw(st.integers(1, 4))):
                pos = draw(st.integers(0, len(raw) - 1))
                action = draw(st.sampled_from(["flip", "cut", "dup", "truncate"]))
                if action == "flip":
                    raw[pos] = draw(st.sampled_from(list(b':->\n0123456789<{}[]", \x00\xff')))
                elif action == "cut":
                    del raw[pos : pos + draw(st.integers(1, 20))]
                elif action == "dup":
                    raw[pos:pos] = raw[pos : pos + draw(st.integers(1, 40))]
                else:
                    del raw[pos:]
                if not raw:
                    break
            return bytes(raw)

        return strat()

    for name in T._FIXTURE_NAMES:
        cases.append(
            (
                f"mutated {name}",
                mutated(name),
                lambda b, n=name: lambda: read_bytes(b, name=n),
            )
        )

    total = 0
    rows = []
    t_all = time.perf_counter()

    def build(strategy: Any, make: Any, count: list[int]) -> Any:
        @seed(args.seed)
        @conf
        @given(value=strategy)
        def run(value: Any) -> None:
            count[0] += 1
            T._check(make(value))

        return run

    for label, strategy, make in cases:
        count = [0]
        run = build(strategy, make, count)
        t0 = time.perf_counter()
        run()
        rows.append({"case": label, "inputs": count[0], "s": round(time.perf_counter() - t0, 1)})
        total += count[0]
        print(f"{label:32} {count[0]:7} inputs  {rows[-1]['s']:7.1f} s", flush=True)
    print(
        json.dumps(
            {
                "examples_per_case": args.examples,
                "cases": len(cases),
                "inputs_run": total,
                "seconds": round(time.perf_counter() - t_all, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
