"""Audio in: decode a recording with PyAV into 16 kHz float32 samples.

Everything FFmpeg reads is accepted (WAV, MP3, M4A/AAC, the audio stream of MP4,
MOV, MKV and WebM, FLAC, OGG/Opus); the first audio stream is used. Samples come
out as a ``(channels, n)`` float32 array in [-1, 1] at :data:`SAMPLE_RATE`,
downmixed to mono or with the channels kept (a stereo call recording with one
person per channel). :func:`iter_blocks` streams the decoded audio so a long
recording is never held twice in memory; :func:`iter_chunks` cuts it into chunks
at the quietest moment near each boundary so no word is cut in two.

Errors are :class:`~coachloop.errors.InputError` naming the file, with a fix:
a missing file, bytes FFmpeg cannot decode, a file with no audio stream, and audio
that is empty or silent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coachloop.errors import InputError

__all__ = [
    "SAMPLE_RATE",
    "SILENCE_DBFS",
    "Decoded",
    "check_not_silent",
    "decode_audio",
    "iter_blocks",
    "iter_chunks",
    "probe_channels",
    "split_quiet",
]

#: Whisper and the VAD both work on 16 kHz audio.
SAMPLE_RATE = 16_000
#: Audio whose loudest 50 ms stays below this level (dBFS) is refused as silent.
SILENCE_DBFS = -55.0


@dataclass(frozen=True)
class Decoded:
    """Decoded audio: ``samples`` is ``(channels, n)`` float32 at ``sample_rate``."""

    samples: np.ndarray
    sample_rate: int
    file: str

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / self.sample_rate

    def mono(self) -> np.ndarray:
        """The channels averaged into one 1-D array."""
        return (
            self.samples.mean(axis=0).astype(np.float32) if self.channels > 1 else self.samples[0]
        )


def _av() -> Any:
    try:
        import av
    except ImportError:
        from coachloop.errors import ConfigError

        raise ConfigError(
            "reading audio needs the audio extra (PyAV and faster-whisper)",
            hint="install it with: pip install 'coachloop[audio]'",
        ) from None
    return av


def _open(path: str | os.PathLike[str]) -> tuple[Any, Any, str]:
    av = _av()
    file = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=file, hint="check the path")
    if p.is_dir():
        raise InputError(
            "is a directory, not an audio file", file=file, hint="pass the files inside it"
        )
    if p.stat().st_size == 0:
        raise InputError("the file is empty", file=file, hint="record or export the audio again")
    try:
        container = av.open(file)
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise InputError(
            f"cannot decode this file as audio ({exc.__class__.__name__})",
            file=file,
            hint="check it plays in a media player; WAV, MP3, M4A, MP4 and WebM are read",
        ) from None
    if not container.streams.audio and not container.streams.video:
        kind = container.format.name
        container.close()
        raise InputError(
            f"not an audio or video recording (it reads as {kind!r})",
            file=file,
            hint="pass the recording itself; transcripts go to the commands that read them",
        )
    if not container.streams.audio:
        container.close()
        raise InputError(
            "the file has no audio stream",
            file=file,
            hint="export the recording with its sound track (a video without audio has nothing to transcribe)",
        )
    return av, container, file


def probe_channels(path: str | os.PathLike[str]) -> int:
    """The number of channels of the first audio stream."""
    _, container, _ = _open(path)
    try:
        return int(container.streams.audio[0].codec_context.channels or 1)
    finally:
        container.close()


def iter_blocks(
    path: str | os.PathLike[str], *, keep_channels: bool = False
) -> Iterator[np.ndarray]:
    """Decoded audio as ``(channels, n)`` float32 blocks at 16 kHz, in order.

    ``keep_channels`` keeps a stereo file's two channels (more than two are
    downmixed to mono); otherwise every block has one channel.
    """
    av, container, file = _open(path)
    try:
        stream = container.streams.audio[0]
        n_in = int(stream.codec_context.channels or 1)
        layout = "stereo" if keep_channels and n_in == 2 else "mono"
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
        got_any = False
        try:
            for frame in container.decode(stream):
                frame.pts = None  # the resampler keeps its own clock; odd pts only warn
                for out in resampler.resample(frame):
                    got_any = True
                    yield out.to_ndarray().astype(np.float32, copy=False)
            for out in resampler.resample(None):
                got_any = True
                yield out.to_ndarray().astype(np.float32, copy=False)
        except (av.FFmpegError, ValueError) as exc:
            raise InputError(
                f"the audio stops decoding part-way ({exc.__class__.__name__})",
                file=file,
                hint="the file is damaged or truncated; export it again",
            ) from None
        if not got_any:
            raise InputError(
                "the audio stream holds no samples",
                file=file,
                hint="record or export the audio again",
            )
    finally:
        container.close()


def decode_audio(path: str | os.PathLike[str], *, keep_channels: bool = False) -> Decoded:
    """The whole recording decoded (see :func:`iter_blocks`)."""
    blocks = list(iter_blocks(path, keep_channels=keep_channels))
    samples = np.concatenate(blocks, axis=1) if len(blocks) > 1 else blocks[0]
    return Decoded(np.ascontiguousarray(samples, dtype=np.float32), SAMPLE_RATE, str(path))


def loudest_dbfs(samples: np.ndarray, *, frame: int = SAMPLE_RATE // 20) -> float:
    """The level of the loudest 50 ms frame (dBFS; -inf for digital silence)."""
    x = np.asarray(samples, dtype=np.float64).reshape(-1)
    if x.size == 0:
        return float("-inf")
    n = max(1, x.size // frame)
    frames = x[: n * frame].reshape(n, -1) if x.size >= frame else x.reshape(1, -1)
    rms = np.sqrt(np.mean(frames**2, axis=1)).max()
    return float(20 * np.log10(rms)) if rms > 0 else float("-inf")


def check_not_silent(samples: np.ndarray, *, file: str, what: str = "the audio") -> None:
    """Refuse audio with no sound in it (a muted track, a broken microphone)."""
    level = loudest_dbfs(samples)
    if level < SILENCE_DBFS:
        shown = "digital silence" if level == float("-inf") else f"{level:.0f} dBFS at its loudest"
        raise InputError(
            f"{what} is silent ({shown})",
            file=file,
            hint="check the microphone or the track that was exported; there is no speech to transcribe",
        )


#: Chunk length for transcription: bounds memory (faster-whisper's features of a chunk
#: take about 50 MB a minute) whatever the recording's length.
CHUNK_S = 180.0
SEARCH_S = 10.0


def quiet_cut(samples: np.ndarray, target: int, search: int) -> int:
    """The sample index to cut at: the quietest 100 ms in ``[target - search, target)``."""
    hop = SAMPLE_RATE // 10
    lo = max(0, target - search)
    window = samples[..., lo:target]
    if window.ndim > 1:
        window = window.mean(axis=0)
    n = window.size // hop
    if n == 0:
        return target
    energy = (window[: n * hop].reshape(n, hop).astype(np.float64) ** 2).mean(axis=1)
    return lo + int(np.argmin(energy)) * hop + hop // 2


def split_quiet(
    samples: np.ndarray, *, chunk_s: float = CHUNK_S, search_s: float = SEARCH_S
) -> Iterator[tuple[float, np.ndarray]]:
    """``(offset_seconds, view)`` chunks of 1-D ``samples``, cut at quiet moments."""
    target, search = int(chunk_s * SAMPLE_RATE), int(search_s * SAMPLE_RATE)
    start = 0
    while samples.size - start >= target + search:
        cut = start + quiet_cut(samples[start : start + target], target, search)
        yield start / SAMPLE_RATE, samples[start:cut]
        start = cut
    if start < samples.size:
        yield start / SAMPLE_RATE, samples[start:]


def iter_chunks(
    path: str | os.PathLike[str],
    *,
    chunk_s: float = CHUNK_S,
    search_s: float = SEARCH_S,
    keep_channels: bool = False,
) -> Iterator[tuple[float, np.ndarray]]:
    """``(offset_seconds, samples)`` chunks of about ``chunk_s`` seconds, streamed.

    Each cut is placed at the quietest 100 ms in the last ``search_s`` seconds of the
    chunk, so a word is not split between two chunks. Memory stays at about one chunk.
    """
    target = int(chunk_s * SAMPLE_RATE)
    search = int(search_s * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    held = 0
    offset = 0
    for block in iter_blocks(path, keep_channels=keep_channels):
        pending.append(block)
        held += block.shape[1]
        while held >= target + search:
            buf = np.concatenate(pending, axis=1)
            cut = quiet_cut(buf, target, search)
            yield offset / SAMPLE_RATE, buf[:, :cut]
            offset += cut
            pending = [buf[:, cut:]]
            held = pending[0].shape[1]
    if held:
        yield offset / SAMPLE_RATE, np.concatenate(pending, axis=1)
