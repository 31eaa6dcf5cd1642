"""Memory and time of decoding a long recording, per length and format.

    .venv/bin/python bench/bench_decode.py                    # 5, 20, 60 min; WAV, MP3, M4A
    .venv/bin/python bench/bench_decode.py --minutes 20 --formats wav

Synthesises a two-person call in a temporary folder — a stereo recording, one person
per channel, speech-like bursts of noise taking turns — and encodes it with PyAV as a
44.1 kHz 16-bit WAV, a 44.1 kHz MP3 and a 48 kHz AAC M4A (written block by block, so
an hour never sits in memory). Each file is then read in a fresh process (spawn, so the
peak resident memory is that read's own) two ways, the work each path does before
speech recognition:

* ``mono``: ``decode_audio(path).mono()`` then ``check_not_silent`` — what
  ``transcribe_mixed`` does;
* ``stereo``: ``decode_audio(path, keep_channels=True)``, ``is_separated_stereo``,
  ``mono()``, ``check_not_silent`` — what ``read_audio`` does with a stereo file.

Prints the peak RSS after importing, after decoding and at the end (``VmHWM`` of
``/proc/self/status``; ``bench/procmem.py`` says why not ``ru_maxrss``), the size of the
decoded 16 kHz float32 samples for comparison, and wall and CPU seconds of the read. Nothing is kept: the
temporary folder is removed at the end.
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

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from procmem import peak_mb

#: format -> (codec, sample rate of the file)
FORMATS = {"wav": ("pcm_s16le", 44_100), "mp3": ("libmp3lame", 44_100), "m4a": ("aac", 48_000)}


def synthesise(path: Path, codec: str, rate: int, seconds: int) -> None:
    """A stereo call, one person per channel, encoded one second at a time."""
    import av

    rng = np.random.default_rng(0)
    out: Any = av.open(str(path), "w")
    st = out.add_stream(codec, rate=rate, layout="stereo")
    fmt = st.codec_context.format.name
    dtype = {"s16": np.int16, "s32": np.int32}.get(fmt.rstrip("p"), np.float32)
    scale = {np.int16: 32767, np.int32: 2**31 - 1}.get(dtype, 1.0)
    planar = fmt.endswith("p")
    # turns of 2-7 s, alternating speakers
    turns = np.cumsum(rng.uniform(2.0, 7.0, size=seconds))
    t = np.arange(rate) / rate
    syllables = 0.5 + 0.5 * np.sin(2 * np.pi * 4.0 * t) ** 2  # a 4 Hz speech rhythm
    for second in range(seconds):
        who = int(np.searchsorted(turns, second)) % 2
        x = rng.normal(0.0, 0.002, size=(2, rate))  # room noise on both channels
        x[who] += rng.normal(0.0, 0.15, size=rate) * syllables
        block = (np.clip(x, -1, 1) * scale).astype(dtype)
        data = block if planar else block.T.reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format=fmt, layout="stereo")
        frame.sample_rate, frame.pts = rate, second * rate
        for p in st.encode(frame):
            out.mux(p)
    for p in st.encode(None):
        out.mux(p)
    out.close()


def _read(file: str, mode: str, queue: Any) -> None:
    from coachloop.audio.decode import check_not_silent, decode_audio
    from coachloop.audio.tracks import is_separated_stereo

    imported = peak_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    decoded = decode_audio(file, keep_channels=mode == "stereo")
    after_decode = peak_mb()
    separated = is_separated_stereo(decoded.samples) if mode == "stereo" else None
    mono = decoded.mono()
    check_not_silent(mono, file=file)
    queue.put(
        {
            "wall_s": time.perf_counter() - t0,
            "cpu_s": time.process_time() - c0,
            "rss_imported_mb": imported,
            "rss_decoded_mb": after_decode,
            "peak_rss_mb": peak_mb(),
            "channels": decoded.channels,
            "decoded_mb": decoded.samples.nbytes / 2**20,
            "audio_s": decoded.duration,
            "separated": separated,
        }
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[5, 20, 60])
    parser.add_argument("--formats", nargs="+", choices=sorted(FORMATS), default=list(FORMATS))
    parser.add_argument(
        "--modes", nargs="+", choices=["mono", "stereo"], default=["mono", "stereo"]
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    ctx = mp.get_context("spawn")
    rows = []
    out = sys.stdout
    if not args.json:
        out.write(f"load average {os.getloadavg()[0]:.1f} at the start; {os.cpu_count()} cores\n")
        out.write(
            "| file | audio min | mode | 16 kHz float32 MB | RSS after imports MB | peak RSS after decode MB "
            "| peak RSS MB | wall s | CPU s |\n|---|---|---|---|---|---|---|---|---|\n"
        )
    with tempfile.TemporaryDirectory(prefix="coachloop-bench-decode-") as tmp:
        for minutes in args.minutes:
            for name in args.formats:
                codec, rate = FORMATS[name]
                path = Path(tmp) / f"call-{minutes}min.{name}"
                synthesise(path, codec, rate, minutes * 60)
                for mode in args.modes:
                    queue = ctx.Queue()
                    proc = ctx.Process(target=_read, args=(str(path), mode, queue))
                    proc.start()
                    got = queue.get()
                    proc.join()
                    row = {"file": f"{name} {rate} Hz stereo", "minutes": minutes, "mode": mode}
                    row.update(
                        {k: (round(v, 1) if isinstance(v, float) else v) for k, v in got.items()}
                    )
                    rows.append(row)
                    if not args.json:
                        out.write(
                            f"| {row['file']} | {minutes} | {mode} | {row['decoded_mb']} | "
                            f"{row['rss_imported_mb']:.0f} | {row['rss_decoded_mb']:.0f} | "
                            f"{row['peak_rss_mb']:.0f} | {row['wall_s']} | {row['cpu_s']} |\n"
                        )
                        out.flush()
                path.unlink()
    if args.json:
        json.dump(rows, out, indent=2)
        out.write("\n")
    else:
        out.write(f"load average {os.getloadavg()[0]:.1f} at the end\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
