"""Who spoke when, best path: one track per speaker.

Zoom can save one audio file per participant, and many call recorders put one
person on each channel of a stereo file. Each track is transcribed on its own
(the VAD skips the other person's silence) and the words are put back on one
clock. Speakers are then exact, and two people talking at once stay two
overlapping utterances with their real times — so an interruption is measured,
not guessed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coachloop.audio.decode import (
    CHUNK_S,
    SAMPLE_RATE,
    check_not_silent,
    decode_audio,
    iter_chunks,
)
from coachloop.audio.transcribe import AsrWord, transcribe_samples
from coachloop.errors import InputError
from coachloop.model import Utterance, Word

__all__ = [
    "Track",
    "is_separated_stereo",
    "merge_turns",
    "tracks_from_files",
    "tracks_from_stereo",
    "transcribe_track",
]

#: A stereo file is "one person per channel" when, among frames with speech in
#: either channel, at least this share has one channel 15 dB louder than the other.
SEPARATED_SHARE = 0.6
#: A pause longer than this (s) during which the other person talks ends a turn: what
#: follows answers them. Shorter pauses (a comma, a breath) keep the turn.
YIELD_GAP = 0.5


@dataclass(frozen=True)
class Track:
    """One speaker's audio: a file (streamed) or samples already decoded."""

    speaker: str
    file: str
    samples: np.ndarray | None = None  # 1-D 16 kHz; None = stream from ``file``
    channel: int | None = None


def is_separated_stereo(samples: np.ndarray) -> bool:
    """Whether a ``(2, n)`` recording has one person per channel (not a stereo mix)."""
    if samples.ndim != 2 or samples.shape[0] != 2:
        return False
    frame = SAMPLE_RATE // 20
    n = samples.shape[1] // frame
    if n == 0:
        return False
    # frame energies a block at a time: float64 copies of a whole call would be 4x its size
    step = max(1, (1 << 18) // frame)
    e = np.empty((2, n))
    for i in range(0, n, step):
        j = min(n, i + step)
        block = samples[:, i * frame : j * frame].reshape(2, j - i, frame).astype(np.float64)
        e[:, i:j] = (block**2).mean(axis=2)
    db = 10 * np.log10(np.maximum(e, 1e-12))
    active = db.max(axis=0) > db.max() - 35
    if active.sum() < 10:
        return False
    apart = np.abs(db[0] - db[1])[active] > 15
    return float(apart.mean()) >= SEPARATED_SHARE


def speaker_name_from_file(path: str | os.PathLike[str]) -> str:
    """A speaker label from a per-participant file name (Zoom: ``audioAnaRuiz21234.m4a``)."""
    stem = Path(path).stem
    if stem.lower().startswith("audio") and len(stem) > 5:
        stem = stem[5:]
    stem = stem.rstrip("0123456789").replace("_", " ").replace("-", " ").strip()
    return " ".join(stem.split()) or Path(path).stem


def tracks_from_files(
    paths: Sequence[str | os.PathLike[str]], names: Sequence[str] | None = None
) -> list[Track]:
    if names is not None and len(names) != len(paths):
        raise InputError(
            f"{len(names)} speaker names for {len(paths)} tracks",
            hint="give one name per track, in the same order",
        )
    labels = list(names) if names else [speaker_name_from_file(p) for p in paths]
    if len(set(labels)) != len(labels):
        labels = [f"{lab} ({i + 1})" for i, lab in enumerate(labels)]
    return [Track(lab, str(p)) for lab, p in zip(labels, paths, strict=True)]


def tracks_from_stereo(
    path: str | os.PathLike[str], names: Sequence[str] | None = None
) -> list[Track]:
    decoded = decode_audio(path, keep_channels=True)
    if decoded.channels != 2:
        raise InputError(
            f"--tracks with one file needs a stereo file (one person per channel); this one has {decoded.channels} channel(s)",
            file=str(path),
            hint="pass one file per speaker, or leave out --tracks to tell speakers apart by voice",
        )
    labels = list(names) if names else ["channel 1", "channel 2"]
    if len(labels) != 2:
        raise InputError("a stereo file has two speakers", file=str(path), hint="give two names")
    return [
        Track(labels[c], str(path), samples=decoded.samples[c], channel=c + 1) for c in range(2)
    ]


def transcribe_track(
    track: Track,
    *,
    model: Any,
    chunk_s: float = CHUNK_S,
    progress: Callable[[float], None] | None = None,
) -> list[AsrWord]:
    """The words of one track; a file is streamed in chunks of ``chunk_s`` seconds."""
    what = "the track" if track.channel is None else f"channel {track.channel}"
    if track.samples is not None:
        check_not_silent(track.samples, file=track.file, what=what)
        return transcribe_samples(track.samples, model=model, vad=True, progress=progress)
    words: list[AsrWord] = []
    loudest = -np.inf
    for offset, chunk in iter_chunks(track.file, chunk_s=chunk_s):
        mono = chunk[0]
        loudest = max(loudest, float(np.abs(mono).max()) if mono.size else 0.0)
        if np.abs(mono).max(initial=0.0) < 1e-4:
            continue
        base = offset

        def _p(done: float, base: float = base) -> None:
            if progress is not None:
                progress(base + done)

        words += transcribe_samples(mono, model=model, offset=offset, vad=True, progress=_p)
    if loudest < 1e-4:
        check_not_silent(np.zeros(1, dtype=np.float32), file=track.file, what=what)
    return words


def merge_turns(
    per_speaker: Sequence[tuple[str, Sequence[AsrWord], str]], *, max_gap: float = 1.0
) -> list[Utterance]:
    """Turns of every speaker on one clock, ordered by start; overlaps kept exactly.

    ``per_speaker`` is ``(label, words, file)`` per track. A speaker's turn ends at a
    pause longer than ``max_gap`` seconds, or at a pause longer than :data:`YIELD_GAP`
    seconds in which someone else talks (what follows answers them). A comma's or a
    breath's pause while being talked over keeps the turn.
    """
    import bisect

    from coachloop.model import SourceLocation

    starts = {label: sorted(w.start for w in words) for label, words, _ in per_speaker}
    rows: list[tuple[float, float, str, list[AsrWord], str]] = []
    for label, words, file in per_speaker:
        others = sorted(t for other, ts in starts.items() if other != label for t in ts)
        turns: list[list[AsrWord]] = []
        for w in words:
            if turns:
                last = turns[-1][-1]
                gap = w.start - last.end
                i = bisect.bisect_right(others, last.end)
                someone_else = i < len(others) and others[i] < w.start
                took_floor = someone_else and gap > YIELD_GAP
                if gap <= max_gap and not took_floor:
                    turns[-1].append(w)
                    continue
            turns.append([w])
        for turn in turns:
            rows.append((turn[0].start, turn[-1].end, label, turn, file))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [
        Utterance(
            index=i,
            speaker=label,
            start=start,
            end=end,
            text=" ".join(w.text for w in turn),
            words=tuple(Word(w.text, w.start, w.end, w.probability) for w in turn),
            source=SourceLocation(file=file),
        )
        for i, (start, end, label, turn, file) in enumerate(rows)
    ]
