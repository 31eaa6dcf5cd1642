"""Audio in: decode a recording with PyAV into 16 kHz float32 samples.

Everything FFmpeg reads is accepted (WAV, MP3, M4A/AAC, the audio stream of MP4,
MOV, MKV and WebM, FLAC, OGG/Opus); the first audio stream is used. Samples come
out as a ``(channels, n)`` float32 array in [-1, 1] at :data:`SAMPLE_RATE`,
downmixed to mono or with the channels kept (a stereo call recording with one
person per channel). Decoding streams: each frame is resampled as it is decoded
(PyAV's ``AudioResampler``), so the source's rate and channels never exist in memory
for the whole file. :func:`decode_audio` writes the frames into one buffer sized from
the container's duration, so a recording is held once, as 16 kHz float32 (3.7 MB a
minute a channel); :func:`iter_blocks` yields the frames as they come and
:func:`iter_chunks` cuts them into chunks at the quietest moment near each boundary
so no word is cut in two, holding about one chunk.

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
        if self.channels == 1:
            return self.samples[0]
        # mean of float32 is float32 already: no second full-length copy
        return self.samples.mean(axis=0).astype(np.float32, copy=False)


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


def _estimated_samples(container: Any, stream: Any) -> int | None:
    """How many 16 kHz samples the container says it holds (None when it does not say)."""
    if stream.duration is not None and stream.time_base is not None:
        seconds = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        seconds = container.duration / 1_000_000  # FFmpeg's AV_TIME_BASE
    else:
        return None
    return int(seconds * SAMPLE_RATE) if seconds > 0 else None


def _resampled(av: Any, container: Any, file: str, channels: int) -> Iterator[np.ndarray]:
    """The first audio stream as ``(channels, n)`` float32 frames at 16 kHz, one at a time."""
    stream = container.streams.audio[0]
    layout = "stereo" if channels == 2 else "mono"
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


def _out_channels(container: Any, keep_channels: bool) -> int:
    n_in = int(container.streams.audio[0].codec_context.channels or 1)
    return 2 if keep_channels and n_in == 2 else 1


def iter_blocks(
    path: str | os.PathLike[str], *, keep_channels: bool = False
) -> Iterator[np.ndarray]:
    """Decoded audio as ``(channels, n)`` float32 blocks at 16 kHz, in order.

    ``keep_channels`` keeps a stereo file's two channels (more than two are
    downmixed to mono); otherwise every block has one channel.
    """
    av, container, file = _open(path)
    try:
        yield from _resampled(av, container, file, _out_channels(container, keep_channels))
    finally:
        container.close()


#: First size of the decode buffer when the container declares no duration (s).
DEFAULT_FIRST_S = 300
#: Largest first size of the decode buffer (s), whatever the container declares.
MAX_FIRST_S = 3 * 3600


class _Samples:
    """A ``(channels, capacity)`` float32 buffer filled from the front, channel-major.

    It grows and shrinks with ``ndarray.resize`` (``realloc``: for a buffer this large
    the C library remaps the pages instead of copying them), moving the second
    channel's samples inside the one buffer, so the recording is never held twice.
    Pages of the first allocation past the samples written are never touched, so an
    over-estimated capacity costs address space, not memory.
    """

    def __init__(self, channels: int, capacity: int) -> None:
        self.data = np.empty((channels, max(1, capacity)), dtype=np.float32)
        self.n = 0

    def append(self, block: np.ndarray) -> None:
        m = block.shape[1]
        if self.n + m > self.data.shape[1]:
            self._reshape(max(self.n + m, self.data.shape[1] * 3 // 2))
        self.data[:, self.n : self.n + m] = block
        self.n += m

    def _reshape(self, capacity: int) -> None:
        old, channels = self.data.shape[1], self.data.shape[0]
        if capacity == old:
            return
        if capacity < old:  # move the later channels down first, then cut the end off
            self._move(old, capacity)
            self.data.resize((channels, capacity), refcheck=False)
        else:  # extend the end first (numpy zero-fills it), then move the later channels up
            self.data.resize((channels, capacity), refcheck=False)
            self._move(old, capacity)

    def _move(self, old: int, new: int) -> None:
        # an overlapping 1-D copy: numpy copies in the safe direction, without a temporary
        # (moving up, the last channel goes first so none overwrites the next one's samples)
        flat = self.data.reshape(-1)
        order = range(1, self.data.shape[0])
        for c in order if new < old else reversed(order):
            flat[c * new : c * new + self.n] = flat[c * old : c * old + self.n]

    def finish(self) -> np.ndarray:
        """The samples written, as a C-contiguous ``(channels, n)`` array owning its data."""
        self._reshape(self.n)
        return self.data


def decode_audio(path: str | os.PathLike[str], *, keep_channels: bool = False) -> Decoded:
    """The whole recording decoded (see :func:`iter_blocks`), held once in memory.

    The frames go into one buffer sized from the duration the container declares
    (grown if the file runs longer, as a WebM without a duration does), so the peak
    is about the decoded samples themselves: 3.7 MB a minute per channel.
    """
    av, container, file = _open(path)
    try:
        channels = _out_channels(container, keep_channels)
        expected = _estimated_samples(container, container.streams.audio[0])
        # a second over the declared length, so a frame of resampler delay never forces
        # a move; at most MAX_FIRST_S at first, so a damaged header claiming days of
        # audio cannot ask for an allocation the machine refuses
        first = min(expected or DEFAULT_FIRST_S * SAMPLE_RATE, MAX_FIRST_S * SAMPLE_RATE)
        buf = _Samples(channels, first + SAMPLE_RATE)
        for block in _resampled(av, container, file, channels):
            buf.append(block)
    finally:
        container.close()
    return Decoded(buf.finish(), SAMPLE_RATE, str(path))


def loudest_dbfs(samples: np.ndarray, *, frame: int = SAMPLE_RATE // 20) -> float:
    """The level of the loudest 50 ms frame (dBFS; -inf for digital silence)."""
    x = np.asarray(samples).reshape(-1)
    if x.size == 0:
        return float("-inf")
    if x.size < frame:
        frame = x.size
    n = x.size // frame
    # in blocks of frames: a float64 copy of the whole recording would be twice its size
    step = max(1, (1 << 18) // frame)
    loudest = 0.0
    for i in range(0, n, step):
        block = x[i * frame : min(n, i + step) * frame].astype(np.float64).reshape(-1, frame)
        loudest = max(loudest, float(np.mean(block**2, axis=1).max()))
    rms = np.sqrt(loudest)
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
