"""Who spoke when on one mixed track: VAD, a voiceprint per second of speech, two clusters.

No registry package ships a speaker-embedding *model* usable without PyTorch (the
candidates — ``speakeronnx``, ``redimnet2-onnx`` — download their weights at run time,
which coachloop does not do; ``diarize`` needs PyTorch). So the voiceprint here is
**signal processing, not a neural embedding**:

1. speech regions from the Silero VAD model that faster-whisper ships
   (``faster_whisper/assets/silero_vad_v6.onnx``);
2. each region cut into windows of about :data:`WINDOW_S` seconds; per window the
   mean and standard deviation of 19 MFCCs (log-mel, 40 bands, 25 ms frames) and
   the median pitch (log F0 from normalised autocorrelation) with the voiced share;
3. features standardised over the recording, pitch weighted up, and the windows
   clustered into the 1:1's two speakers by Ward agglomerative clustering (scipy);
4. every recognised word takes the speaker of the window it overlaps most; turns
   are runs of one speaker's words.

It separates voices that differ in pitch and timbre (most manager/report pairs; the
synthetic validation in docs/audio.md); it does not model overlapped speech — when two
people talk at once the louder one gets the words. A window whose distance to the
two cluster centres is nearly equal is *low confidence*; a turn whose words are
mostly low confidence is listed in ``Meeting.meta["low_confidence_utterances"]``.
When the two clusters are close overall — a small mean margin, or less than three
semitones between their pitches — the whole attribution is flagged
(``Meeting.meta["speakers_uncertain"]``): that is where this voiceprint fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coachloop.audio.decode import SAMPLE_RATE
from coachloop.audio.transcribe import AsrWord

__all__ = [
    "LOW_MARGIN",
    "WINDOW_S",
    "SpeakerWindow",
    "assign_words",
    "cluster_two",
    "speech_regions",
    "voiceprints",
]

WINDOW_S = 1.0
#: Relative margin ``(d_other - d_own) / (d_other + d_own)`` below which a window is low confidence.
LOW_MARGIN = 0.12
PITCH_WEIGHT = 3.0
#: Below this mean window margin, or this pitch gap between the two clusters (semitones),
#: the whole recording's speaker attribution is flagged uncertain.
MIN_SEPARATION = 0.25
MIN_PITCH_GAP = 3.0
_N_FFT = 400  # 25 ms
_HOP = 160  # 10 ms
_N_MELS = 40
_N_MFCC = 19


@dataclass(frozen=True, slots=True)
class SpeakerWindow:
    start: float
    end: float
    speaker: int
    margin: float


def speech_regions(samples: np.ndarray) -> list[tuple[float, float]]:
    """Speech regions (seconds) found by faster-whisper's Silero VAD."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(threshold=0.5, min_silence_duration_ms=150, speech_pad_ms=30)
    stamps = get_speech_timestamps(np.ascontiguousarray(samples, dtype=np.float32), opts)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def _windows(regions: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for start, end in regions:
        n = max(1, round((end - start) / WINDOW_S))
        step = (end - start) / n
        out += [(start + i * step, start + (i + 1) * step) for i in range(n)]
    return out


def _mel_filters(sr: int = SAMPLE_RATE, n_fft: int = _N_FFT, n_mels: int = _N_MELS) -> np.ndarray:
    def hz_to_mel(f: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + f / 700.0)

    mels = np.linspace(hz_to_mel(np.array(60.0)), hz_to_mel(np.array(7600.0)), n_mels + 2)
    hz = 700.0 * (10 ** (mels / 2595.0) - 1.0)
    bins = np.fft.rfftfreq(n_fft, 1 / sr)
    fb = np.zeros((n_mels, bins.size))
    for m in range(n_mels):
        lo, mid, hi = hz[m], hz[m + 1], hz[m + 2]
        fb[m] = np.clip(np.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid)), 0, None)
    return fb


_MEL = _mel_filters()


def _frames(x: np.ndarray, size: int, hop: int) -> np.ndarray:
    if x.size < size:
        x = np.pad(x, (0, size - x.size))
    n = 1 + (x.size - size) // hop
    idx = np.arange(size)[None, :] + hop * np.arange(n)[:, None]
    return x[idx]


def _mfcc(x: np.ndarray) -> np.ndarray:
    from scipy.fft import dct

    frames = _frames(x, _N_FFT, _HOP) * np.hanning(_N_FFT)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    logmel = np.log(power @ _MEL.T + 1e-10)
    return dct(logmel, type=2, axis=1, norm="ortho")[:, 1 : _N_MFCC + 1]


def _pitch(x: np.ndarray) -> tuple[float, float]:
    """(median log F0 of voiced frames, voiced share) by normalised autocorrelation."""
    size, hop = 640, 160  # 40 ms frames
    frames = _frames(x, size, hop)
    frames = frames - frames.mean(axis=1, keepdims=True)
    spec = np.fft.rfft(frames, n=2 * size, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, :size]
    energy = ac[:, :1] + 1e-10
    ac = ac / energy
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 60
    lags = np.argmax(ac[:, lo:hi], axis=1) + lo
    peak = ac[np.arange(ac.shape[0]), lags]
    loud = energy[:, 0] > 1e-4 * size
    voiced = (peak > 0.45) & loud
    if not voiced.any():
        return float("nan"), 0.0
    f0 = SAMPLE_RATE / lags[voiced]
    return float(np.log(np.median(f0))), float(voiced.mean())


def voiceprints(samples: np.ndarray, windows: Sequence[tuple[float, float]]) -> np.ndarray:
    """One feature row per window: MFCC means and stds, log F0, voiced share."""
    rows = []
    for start, end in windows:
        x = samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)].astype(np.float64)
        m = _mfcc(x)
        f0, voiced = _pitch(x)
        rows.append(np.concatenate([m.mean(axis=0), m.std(axis=0), [f0, voiced]]))
    feats = np.array(rows)
    # an unvoiced window takes the recording's median pitch: it says nothing either way
    col = feats[:, -2]
    if np.isnan(col).all():
        feats[:, -2] = 0.0
    else:
        col[np.isnan(col)] = np.nanmedian(col)
    return feats


def cluster_two(feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cluster 0/1 per row, confidence margin per row) by Ward clustering."""
    from scipy.cluster.hierarchy import fcluster, linkage

    n = feats.shape[0]
    if n < 2:
        return np.zeros(n, dtype=int), np.zeros(n)
    std = feats.std(axis=0)
    z = (feats - feats.mean(axis=0)) / np.where(std > 1e-9, std, 1.0)
    z[:, -2] *= PITCH_WEIGHT
    labels = fcluster(linkage(z, method="ward"), t=2, criterion="maxclust") - 1
    if len(set(labels.tolist())) < 2:
        return np.zeros(n, dtype=int), np.zeros(n)
    # two k-means refinement steps from the Ward partition
    for _ in range(2):
        centres = np.stack([z[labels == k].mean(axis=0) for k in (0, 1)])
        d = np.linalg.norm(z[:, None, :] - centres[None, :, :], axis=2)
        new = d.argmin(axis=1)
        if len(set(new.tolist())) < 2:
            break
        labels = new
    centres = np.stack([z[labels == k].mean(axis=0) for k in (0, 1)])
    d = np.linalg.norm(z[:, None, :] - centres[None, :, :], axis=2)
    own = d[np.arange(n), labels]
    other = d[np.arange(n), 1 - labels]
    margin = (other - own) / np.maximum(other + own, 1e-9)
    return labels.astype(int), margin


def diarise_windows(samples: np.ndarray) -> tuple[list[SpeakerWindow], dict[str, Any]]:
    """Speaker windows of a mixed mono recording (two speakers), and how far apart the
    two voices are (:func:`separation`)."""
    windows = _windows(speech_regions(samples))
    if not windows:
        return [], {"uncertain": True, "margin": 0.0, "pitch_gap_semitones": 0.0}
    feats = voiceprints(samples, windows)
    labels, margin = cluster_two(feats)
    out = [
        SpeakerWindow(s, e, int(k), float(m))
        for (s, e), k, m in zip(windows, labels, margin, strict=True)
    ]
    return out, separation(feats, labels, margin)


def separation(feats: np.ndarray, labels: np.ndarray, margin: np.ndarray) -> dict[str, Any]:
    """How clearly the two clusters are two voices.

    ``margin``: the mean window margin; ``pitch_gap_semitones``: between the clusters'
    median pitch. ``uncertain`` when the margin is below :data:`MIN_SEPARATION` or the
    pitch gap below :data:`MIN_PITCH_GAP` semitones — two voices that close are where
    this voiceprint mixes speakers up (docs/audio.md, Validation: the ``similar`` voices).
    """
    if len(set(labels.tolist())) < 2:
        return {"uncertain": True, "margin": 0.0, "pitch_gap_semitones": 0.0}
    f0 = feats[:, -2]
    gap = abs(float(np.median(f0[labels == 0]) - np.median(f0[labels == 1]))) * 12 / np.log(2)
    mean_margin = float(np.mean(margin))
    return {
        "uncertain": bool(mean_margin < MIN_SEPARATION or gap < MIN_PITCH_GAP),
        "margin": round(mean_margin, 3),
        "pitch_gap_semitones": round(gap, 2),
    }


def assign_words(
    words: Sequence[AsrWord], windows: Sequence[SpeakerWindow]
) -> list[tuple[int, float]]:
    """(speaker, margin) per word: the window it overlaps most, else the nearest one."""
    if not windows:
        return [(0, 0.0) for _ in words]
    starts = np.array([w.start for w in windows])
    ends = np.array([w.end for w in windows])
    out = []
    for w in words:
        overlap = np.minimum(ends, w.end) - np.maximum(starts, w.start)
        i = int(np.argmax(overlap))
        if overlap[i] <= 0:
            mid = (w.start + w.end) / 2
            i = int(np.argmin(np.abs((starts + ends) / 2 - mid)))
        out.append((windows[i].speaker, windows[i].margin))
    return out


# -- optional: pyannote.audio with the user's own models --------------------------------
PYANNOTE_ENV = "COACHLOOP_PYANNOTE_PIPELINE"


def pyannote_windows(samples: np.ndarray, config: str) -> list[SpeakerWindow]:
    """Speaker turns from a pyannote.audio pipeline the user has on disk.

    ``config`` is the path of the pipeline's ``config.yaml`` (or its folder), whose
    model paths point at local files — coachloop never downloads them. Needs
    ``pyannote.audio`` (and so PyTorch), which coachloop does not install. Turns are
    given margin 1.0 (pyannote reports no per-turn confidence).
    """
    import os
    from pathlib import Path

    from coachloop.errors import ConfigError

    path = Path(config).expanduser()
    if path.is_dir():
        path = path / "config.yaml"
    if not path.is_file():
        raise ConfigError(
            f"{PYANNOTE_ENV} points at {config}, which has no config.yaml",
            hint="give the path of a pyannote pipeline's config.yaml whose models are local files",
        )
    try:
        import torch
        from pyannote.audio import Pipeline
    except ImportError:
        raise ConfigError(
            f"{PYANNOTE_ENV} is set but pyannote.audio is not installed",
            hint="pip install pyannote.audio (it brings PyTorch), or unset it to use the voiceprint clustering",
        ) from None
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    pipeline = Pipeline.from_pretrained(str(path))
    waveform = torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32))[None, :]
    result = pipeline({"waveform": waveform, "sample_rate": SAMPLE_RATE}, num_speakers=2)
    annotation = getattr(result, "speaker_diarization", result)
    order: dict[str, int] = {}
    out = []
    for segment, _track, label in annotation.itertracks(yield_label=True):
        k = order.setdefault(str(label), len(order))
        out.append(SpeakerWindow(float(segment.start), float(segment.end), k, 1.0))
    return out
