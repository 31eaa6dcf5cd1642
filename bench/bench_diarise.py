"""Mixed-track diarisation alone (no speech recognition): how many seconds of speech
each method gives the right speaker, and how well its confidence figures predict that.

    .venv/bin/python bench/bench_diarise.py            # both methods, all voice sets
    .venv/bin/python bench/bench_diarise.py --calibrate  # + error rate by window margin

The validation scripts (``coachloop.audio.validate.SCRIPTS``) are spoken by espeak-ng
in the two validation voice sets (``distinct``, ``similar``) and in five **held-out**
voice pairs that the validation never uses. The resemblyzer thresholds in
``coachloop/audio/diarise.py`` (``EMBEDDING_LOW_MARGIN``, ``EMBEDDING_MIN_SEPARATION``)
and the clustering were chosen on the held-out pairs only; the validation pairs are
then a test set (docs/audio.md).

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

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calibrate", action="store_true", help="error rate by window margin")
    args = parser.parse_args()

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
