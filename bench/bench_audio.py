"""Speed and memory of the audio pipeline: real-time factor and peak RSS per path.

    .venv/bin/python bench/bench_audio.py [--repeat-script 5] [--threads 2]

Speaks the ``pipeline-review`` script (coachloop.audio.validate) ``--repeat-script``
times in a row with espeak-ng (about a minute of audio each), then transcribes it
three ways — per-speaker tracks, a stereo file, the mixed track — each in a fresh
process (so peak memory is that path's own) with ``COACHLOOP_WHISPER_THREADS``
threads and the default model. Prints audio length, wall and CPU seconds, the
real-time factor (wall / audio) and the peak resident memory. The machine is shared,
so wall time includes the neighbours; CPU time does not.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _run(path: str, files: list[str], names: list[str], queue: Any) -> None:
    from coachloop.audio import transcribe_mixed, transcribe_tracks

    t0, c0 = time.perf_counter(), time.process_time()
    if path == "tracks" or path == "stereo":
        meeting = transcribe_tracks(files, names=names)
    else:
        meeting = transcribe_mixed(files[0])
    queue.put(
        {
            "wall_s": time.perf_counter() - t0,
            "cpu_s": time.process_time() - c0,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "utterances": len(meeting.utterances),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat-script", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["COACHLOOP_WHISPER_THREADS"] = str(args.threads)

    from coachloop.audio.validate import SCRIPTS, render_script

    turns = SCRIPTS["pipeline-review"] * args.repeat_script
    rows = []
    with tempfile.TemporaryDirectory(prefix="coachloop-bench-audio-") as tmp:
        r = render_script(turns, Path(tmp), name="bench")
        names = list(r.tracks)
        plans = {
            "tracks": [str(r.tracks[n]) for n in names],
            "stereo": [str(r.stereo)],
            "mixed": [str(r.mixed)],
        }
        ctx = mp.get_context("spawn")
        for path, files in plans.items():
            queue = ctx.Queue()
            proc = ctx.Process(target=_run, args=(path, files, names, queue))
            proc.start()
            got = queue.get()
            proc.join()
            rows.append(
                {
                    "path": path,
                    "audio_s": round(r.duration, 1),
                    "wall_s": round(got["wall_s"], 1),
                    "cpu_s": round(got["cpu_s"], 1),
                    "rtf": round(got["wall_s"] / r.duration, 3),
                    "peak_rss_mb": round(got["peak_rss_mb"]),
                    "utterances": got["utterances"],
                }
            )
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    sys.stdout.write(
        f"threads={args.threads} cores={os.cpu_count()} model=default (tiny.en, int8)\n"
        "| path | audio s | wall s | CPU s | RTF (wall/audio) | peak RSS MB | turns |\n|---|---|---|---|---|---|---|\n"
    )
    for row in rows:
        sys.stdout.write(
            f"| {row['path']} | {row['audio_s']} | {row['wall_s']} | {row['cpu_s']} | {row['rtf']} | "
            f"{row['peak_rss_mb']} | {row['utterances']} |\n"
        )


if __name__ == "__main__":
    main()
