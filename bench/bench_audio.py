"""Speed and memory of the audio pipeline: real-time factor and peak RSS per path.

    .venv/bin/python bench/bench_audio.py [--repeat-script 5] [--threads 2] [--trace-memory]
    .venv/bin/python bench/bench_audio.py --repeat-script 20 --stages

Speaks the ``pipeline-review`` script (coachloop.audio.validate) ``--repeat-script``
times in a row with espeak-ng (about a minute of audio each), then transcribes it
three ways — per-speaker tracks, a stereo file, the mixed track — each in a fresh
process (so peak memory is that path's own) with ``COACHLOOP_WHISPER_THREADS``
threads and the default model. Prints audio length, wall and CPU seconds, the
real-time factor (wall / audio) and the peak resident memory (``VmHWM``; ``--paths``
picks some of the three). The machine is shared, so wall time includes the
neighbours; CPU time does not. ``--trace-memory`` instead
transcribes the first speaker's track alone, sampling the resident memory every 0.5 s,
and prints it at each tenth of the recording — flat when the streaming works.
``--stages`` runs the mixed path step by step (decode, model, speech recognition,
diarisation) and prints each step's own peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from procmem import peak_mb, reset_peak, rss_mb


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
            "peak_rss_mb": peak_mb(),
            "utterances": len(meeting.utterances),
        }
    )


def _trace(file: str, queue: Any) -> None:
    import threading

    from coachloop.audio.tracks import Track, transcribe_track
    from coachloop.audio.transcribe import load_model

    model = load_model()
    peak = [int(rss_mb())]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], int(rss_mb()))
            stop.wait(0.5)

    threading.Thread(target=watch, daemon=True).start()
    points: list[tuple[float, int]] = []
    transcribe_track(
        Track("A", file), model=model, progress=lambda s: points.append((s, int(rss_mb())))
    )
    stop.set()
    queue.put({"points": points, "peak": peak[0]})


def _stages(file: str, queue: Any) -> None:
    from coachloop.audio.decode import check_not_silent, decode_audio
    from coachloop.audio.diarise import choose_diariser, diarise_windows
    from coachloop.audio.transcribe import load_model, transcribe_samples

    rows: list[tuple[str, float, float, float]] = []

    def stage(name: str, t0: float) -> None:
        rows.append((name, time.perf_counter() - t0, peak_mb(), int(rss_mb())))
        reset_peak()

    reset_peak()
    t0 = time.perf_counter()
    mono = decode_audio(file).mono()
    check_not_silent(mono, file=file)
    stage("decode + silence check", t0)
    t0 = time.perf_counter()
    model = load_model()
    stage("load the whisper model", t0)
    t0 = time.perf_counter()
    words = transcribe_samples(mono, model=model, vad=True)
    stage(f"speech recognition ({len(words)} words)", t0)
    t0 = time.perf_counter()
    diarise_windows(mono, method=choose_diariser())
    stage(f"diarisation ({choose_diariser()})", t0)
    queue.put(rows)


def stage_memory(file: str, duration: float) -> None:
    """The mixed path step by step in a fresh process: each step's own peak RSS."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_stages, args=(file, queue))
    proc.start()
    rows = queue.get()
    proc.join()
    sys.stdout.write(
        f"mixed track, {duration:.0f} s, step by step\n"
        "| step | wall s | peak RSS during the step MB | RSS after MB |\n|---|---|---|---|\n"
    )
    for name, wall, peak, after in rows:
        sys.stdout.write(f"| {name} | {wall:.1f} | {peak:.0f} | {after} |\n")


def trace_memory(file: str, duration: float) -> None:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_trace, args=(file, queue))
    proc.start()
    got = queue.get()
    proc.join()
    shown, mark = [], 0.0
    for s, rss in got["points"]:
        if s >= mark:
            shown.append(f"{s:.0f}s:{rss}MB")
            mark += duration / 10
    sys.stdout.write(f"one {duration:.0f} s track: RSS at progress " + " ".join(shown))
    sys.stdout.write(f"; peak {got['peak']} MB\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat-script", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--trace-memory", action="store_true")
    parser.add_argument("--stages", action="store_true", help="the mixed path step by step")
    parser.add_argument("--paths", nargs="+", choices=["tracks", "stereo", "mixed"], default=None)
    args = parser.parse_args()
    os.environ["COACHLOOP_WHISPER_THREADS"] = str(args.threads)

    from coachloop.audio.validate import SCRIPTS, render_script

    turns = SCRIPTS["pipeline-review"] * args.repeat_script
    rows = []
    with tempfile.TemporaryDirectory(prefix="coachloop-bench-audio-") as tmp:
        r = render_script(turns, Path(tmp), name="bench")
        renderer_peak = peak_mb()
        names = list(r.tracks)
        if args.trace_memory:
            trace_memory(str(r.tracks[names[0]]), r.duration)
            return
        if args.stages:
            stage_memory(str(r.mixed), r.duration)
            return
        plans = {
            "tracks": [str(r.tracks[n]) for n in names],
            "stereo": [str(r.stereo)],
            "mixed": [str(r.mixed)],
        }
        ctx = mp.get_context("spawn")
        for path, files in plans.items():
            if args.paths and path not in args.paths:
                continue
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
        f"threads={args.threads} cores={os.cpu_count()} model=default (tiny.en, int8) "
        f"renderer peak RSS {renderer_peak:.0f} MB\n"
        "| path | audio s | wall s | CPU s | RTF (wall/audio) | peak RSS MB | turns |\n|---|---|---|---|---|---|---|\n"
    )
    for row in rows:
        sys.stdout.write(
            f"| {row['path']} | {row['audio_s']} | {row['wall_s']} | {row['cpu_s']} | {row['rtf']} | "
            f"{row['peak_rss_mb']} | {row['utterances']} |\n"
        )


if __name__ == "__main__":
    main()
