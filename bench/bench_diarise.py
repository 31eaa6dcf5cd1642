"""Mixed-track diarisation alone (no speech recognition): how many seconds of speech
each method gives the right speaker, and how well its confidence figures predict that.

    .venv/bin/python bench/bench_diarise.py            # both methods, all voice sets
    .venv/bin/python bench/bench_diarise.py --calibrate  # + error rate by window margin
    .venv/bin/python bench/bench_diarise.py --long 20    # speed and memory on ~20 min

The validation scripts (``coachloop.audio.validate.SCRIPTS``) are spoken by espeak-ng
in the two validation voice sets (``distinct``, ``similar``) and in five **held-out**
voice pairs that the validation never uses. The resemblyzer thresholds in
``coachloop/audio/diarise.py`` (``EMBEDDING_LOW_MARGIN``, ``EMBEDDING_MIN_SEPARATION``)
and the clustering were chosen on the held-out pairs only; the validation pairs are
then a test set (docs/audio.md).

``--long N`` instead speaks the ``pipeline-review`` script N times in a row (about a
minute each) and diarises the mixed track with each method in a fresh process: wall
and CPU seconds of the diarisation alone (VAD, features, clustering; no speech
recognition), per second of audio, the peak of Python and numpy allocations while
diarising (tracemalloc, in a second, untimed run: it slows the LSTM's many small
allocations) and the process's peak resident memory (``VmHWM``) while diarising,
with what was resident before it, and while decoding.

Per recording: the share of speech seconds in ~1 s windows given the speaker who
talks most in that window (under the better label mapping), the mean window margin
and ``speakers_uncertain``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from procmem import reset_peak, status_mb

#: Voice pairs for tuning, never used by the validation: four same-sex pairs (the hard
#: case) and one man/woman pair.
HELD_OUT: dict[str, dict[str, list[str]]] = {
    "heldout-m1": {
        "Manager": ["-v", "en-us+m3", "-p", "45", "-s", "150"],
        "Rep": ["-v", "en-gb-scotland", "-p", "50", "-s", "155"],
    },
    "heldout-m2": {
        "Manager": ["-v", "en-us+m1", "-p", "40", "-s", "150"],
        "Rep": ["-v", "en-us+m7", "-p", "44", "-s", "160"],
    },
    "heldout-m3": {
        "Manager": ["-v", "en-gb-x-rp", "-p", "50", "-s", "150"],
        "Rep": ["-v", "en-us-nyc", "-p", "55", "-s", "155"],
    },
    "heldout-f": {
        "Manager": ["-v", "en-us+f3", "-p", "60", "-s", "150"],
        "Rep": ["-v", "en-gb+f4", "-p", "65", "-s", "160"],
    },
    "heldout-d": {
        "Manager": ["-v", "en-gb+m2", "-p", "30", "-s", "150"],
        "Rep": ["-v", "en-us+f1", "-p", "70", "-s", "160"],
    },
}


def window_truth(turns: list, windows: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """(index of the speaker talking most in each window or -1, window lengths)."""
    speakers = list(dict.fromkeys(t.speaker for t, _, _ in turns))
    labels = []
    for s, e in windows:
        talk = [
            sum(max(0.0, min(e, te) - max(s, ts)) for t, ts, te in turns if t.speaker == who)
            for who in speakers
        ]
        labels.append(int(np.argmax(talk)) if max(talk) > 0 else -1)
    return np.array(labels), np.array([e - s for s, e in windows])


def _timed(method: str, wav: str, queue: Any) -> None:
    import time
    import tracemalloc

    from coachloop.audio.decode import decode_audio
    from coachloop.audio.diarise import diarise_windows

    samples = decode_audio(wav).mono()
    decoded_peak = status_mb("VmHWM")
    before = status_mb("VmRSS")
    reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    found = diarise_windows(samples, method=method)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = status_mb("VmHWM")
    # again, traced: tracemalloc slows the many small allocations of the LSTM loop
    tracemalloc.start()
    diarise_windows(samples, method=method)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    queue.put(
        {
            "wall_s": wall,
            "cpu_s": cpu,
            "traced_peak_mb": traced_peak,
            "decoded_peak_mb": decoded_peak,
            "rss_before_mb": before,
            "peak_rss_mb": peak,
            "windows": len(found.windows),
        }
    )


def long_run(repeat: int) -> None:
    import multiprocessing as mp
    import os

    from coachloop.audio.validate import SCRIPTS, render_script

    with tempfile.TemporaryDirectory() as tmp:
        r = render_script(SCRIPTS["pipeline-review"] * repeat, Path(tmp), name="long")
        print(f"audio {r.duration:.0f} s; load average {os.getloadavg()[0]:.1f}")
        print(
            "| method | audio s | windows | wall s | CPU s | wall / audio | CPU per audio s "
            "| peak allocations while diarising MB | peak RSS while diarising MB "
            "(resident before it) | peak RSS decoding MB |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        ctx = mp.get_context("spawn")
        for method in ("voiceprint", "resemblyzer"):
            queue = ctx.Queue()
            proc = ctx.Process(target=_timed, args=(method, str(r.mixed), queue))
            proc.start()
            got = queue.get()
            proc.join()
            print(
                f"| {method} | {r.duration:.0f} | {got['windows']} | {got['wall_s']:.1f} | "
                f"{got['cpu_s']:.1f} | {got['wall_s'] / r.duration:.4f} | "
                f"{got['cpu_s'] / r.duration:.4f} | {got['traced_peak_mb']:.0f} | "
                f"{got['peak_rss_mb']:.0f} ({got['rss_before_mb']:.0f}) | "
                f"{got['decoded_peak_mb']:.0f} |",
                flush=True,
            )
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calibrate", action="store_true", help="error rate by window margin")
    parser.add_argument("--long", type=int, metavar="N", help="speed and memory on N scripts")
    args = parser.parse_args()
    if args.long:
        long_run(args.long)
        return 0

    from coachloop.audio.decode import decode_audio
    from coachloop.audio.diarise import diarise_windows
    from coachloop.audio.validate import SCRIPTS, VOICE_SETS, render_script

    sets = {**VOICE_SETS, **HELD_OUT}
    bins = (0.0, 0.1, 0.2, 0.3, 1.0)
    per_bin: dict[tuple[str, str], list[tuple[float, bool]]] = {}
    summary: dict[tuple[str, str], list[float]] = {}
    print("| voices | script | method | speech acc. | mean margin | flagged uncertain |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for vs, voices in sets.items():
            group = "held-out" if vs in HELD_OUT else "validation"
            for name, turns in SCRIPTS.items():
                r = render_script(turns, Path(tmp) / f"{name}-{vs}", name=name, voices=voices)
                samples = decode_audio(r.mixed).mono()
                for method in ("voiceprint", "resemblyzer"):
                    found = diarise_windows(samples, method=method)
                    windows = [(w.start, w.end) for w in found.windows]
                    truth, length = window_truth(r.turns, windows)
                    pred = np.array([w.speaker for w in found.windows])
                    keep = truth >= 0
                    right = pred[keep] == truth[keep]
                    if right.mean() < 0.5:
                        right = ~right
                    acc = float((length[keep] * right).sum() / length[keep].sum())
                    summary.setdefault((group, method), []).append(acc)
                    margins = np.array([w.margin for w in found.windows])[keep]
                    per_bin.setdefault((group, method), []).extend(
                        zip(margins.tolist(), right.tolist(), strict=True)
                    )
                    print(
                        f"| {vs} | {name} | {method} | {acc:.3f} | "
                        f"{found.separation.get('margin', 0.0):.3f} | {found.uncertain} |",
                        flush=True,
                    )
    print()
    for (group, method), accs in sorted(summary.items()):
        print(
            f"{group:10s} {method:11s} mean {np.mean(accs):.3f}  min {np.min(accs):.3f}  "
            f"({len(accs)} recordings)"
        )
    if args.calibrate:
        print("\nwindow error rate by margin:")
        for (group, method), pairs in sorted(per_bin.items()):
            m = np.array([p[0] for p in pairs])
            ok = np.array([p[1] for p in pairs])
            cells = []
            for lo, hi in itertools.pairwise(bins):
                k = (m >= lo) & (m < hi)
                err = f"{1 - ok[k].mean():.2f}" if k.any() else "—"
                cells.append(f"[{lo:.1f},{hi:.1f}) {err} (n={int(k.sum())})")
            print(f"  {group:10s} {method:11s} " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
