"""Who spoke when on one mixed track: VAD, a voice embedding per second of speech, two clusters.

1. speech regions from the Silero VAD model that faster-whisper ships
   (``faster_whisper/assets/silero_vad_v6.onnx``) — faster-whisper's regions to
   the sample, but the model run a batch of windows at a time, never on a copy of
   the whole recording;
2. each region cut into windows of about :data:`WINDOW_S` seconds;
3. per window, a voice embedding — by default **resemblyzer's neural speaker
   encoder** (the GE2E LSTM whose weights the PyPI package ``resemblyzer`` ships, run
   in numpy by :mod:`coachloop.audio.voice_encoder`, no PyTorch; ``"resemblyzer"``);
   without that package, a signal-processing **voiceprint** — mean and standard
   deviation of 19 MFCCs and the median pitch with the voiced share (``"voiceprint"``);
4. the windows clustered into the 1:1's two speakers with scipy's Ward clustering —
   embeddings: the speech regions' mean embeddings (centred on the recording's mean)
   are clustered, then every window goes to the nearer of the two voices, so a turn's
   several windows vote together but a window where the other person cut in can
   still change speaker;
5. every recognised word takes the speaker of the window it overlaps most; turns
   are runs of one speaker's words.

It does not model overlapped speech — when two people talk at once the louder one
gets the words. A window whose distances to the two voices are nearly equal is *low
confidence*; a turn whose words are mostly low confidence is listed in
``Meeting.meta["low_confidence_utterances"]``. When the two voices are close overall
the whole attribution is flagged (``Meeting.meta["speakers_uncertain"]``). Each
method has its own thresholds, calibrated on synthetic speech (docs/audio.md).
``COACHLOOP_DIARISER=voiceprint`` forces the voiceprint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coachloop.audio.decode import SAMPLE_RATE
from coachloop.audio.transcribe import AsrWord

__all__ = [
    "DIARISER_ENV",
    "LOW_MARGIN",
    "WINDOW_S",
    "Diarisation",
    "SpeakerWindow",
    "assign_words",
    "choose_diariser",
    "cluster_embeddings",
    "cluster_two",
    "diarise_windows",
    "embed_windows",
    "speech_probs",
    "speech_regions",
    "voiceprints",
]

WINDOW_S = 1.0
DIARISER_ENV = "COACHLOOP_DIARISER"
DIARISERS = ("resemblyzer", "voiceprint")
# -- thresholds. A window's margin is ``(d_other - d_own) / (d_other + d_own)``, its
# distances to the two voices; a window below the method's low margin is low
# confidence, a recording whose mean margin is below its minimum separation is flagged
# ``speakers_uncertain`` (the voiceprint also flags less than MIN_PITCH_GAP semitones
# between the voices).
#: Voiceprint: window low-confidence margin.
LOW_MARGIN = 0.12
PITCH_WEIGHT = 3.0
#: Voiceprint: recording-level thresholds (mean margin; pitch gap in semitones).
MIN_SEPARATION = 0.25
MIN_PITCH_GAP = 3.0
#: Resemblyzer embeddings (cosine distances): calibrated on held-out espeak-ng voice
#: pairs, not the validation ones (bench/bench_diarise.py; docs/audio.md). Windows under
#: 0.2 were wrong a third of the time there, windows above it 4 %; every recording with
#: a mean margin under 0.3 had under 82 % of its windows right, every one above over 90 %.
EMBEDDING_LOW_MARGIN = 0.2
EMBEDDING_MIN_SEPARATION = 0.3
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


@dataclass(frozen=True)
class Diarisation:
    """Speaker windows of a mixed track and how far apart the two voices are.

    ``method``: ``"resemblyzer"``, ``"voiceprint"`` or ``"pyannote"``; ``low_margin``:
    the window margin under which that method's attribution is low confidence;
    ``uncertain``: the whole recording's attribution is unreliable; ``separation``:
    the figures behind it (``Meeting.meta["voice_separation"]``).
    """

    windows: list[SpeakerWindow]
    method: str
    low_margin: float
    uncertain: bool
    separation: dict[str, float]


# faster-whisper's Silero VAD as speech_regions calls it (faster_whisper/vad.py, 1.2.1)
_VAD_THRESHOLD = 0.5
_VAD_NEG_THRESHOLD = _VAD_THRESHOLD - 0.15  # faster-whisper's default for it
_VAD_MIN_SILENCE = SAMPLE_RATE * 150 / 1000  # samples
_VAD_PAD = SAMPLE_RATE * 30 / 1000  # samples
_VAD_WINDOW = 512  # samples per speech probability
_VAD_CONTEXT = 64  # samples of the previous window the model also sees
#: Windows per model call (32 s): faster-whisper makes 10,000 (320 s), whose working
#: memory inside onnxruntime is about 170 MB; the probabilities do not depend on it
#: (speech_probs).
_VAD_BATCH = 1_000


def speech_regions(samples: np.ndarray) -> list[tuple[float, float]]:
    """Speech regions (seconds) found by faster-whisper's Silero VAD.

    The same regions as ``faster_whisper.vad.get_speech_timestamps(samples,
    VadOptions(threshold=0.5, min_silence_duration_ms=150, speech_pad_ms=30))``
    (tests/audio/test_diarise_blocks.py compares them), without its two copies of the
    whole recording (padded, then with each window's context): see :func:`speech_probs`.
    """
    probs = speech_probs(samples)
    speech = probs >= np.float32(_VAD_THRESHOLD)
    silence = probs < np.float32(_VAD_NEG_THRESHOLD)
    return [
        (start / SAMPLE_RATE, end / SAMPLE_RATE)
        for start, end in _speech_stamps(speech, silence, int(np.asarray(samples).shape[0]))
    ]


def speech_probs(samples: np.ndarray) -> np.ndarray:
    """Silero's speech probability per 512-sample window, computed a batch at a time.

    The numbers of faster-whisper's ``SileroVADModel.__call__`` on the padded
    recording — each window with the previous window's last 64 samples in front, the
    model's state carried from one call to the next — but each batch of windows is
    built from the recording when it is needed, instead of from a padded and a
    context-widened copy of all of it (2.1 times the recording: 470 MB an hour), and
    in batches of 1,000 windows rather than 10,000. The model reads a batch as one
    sequence and its state carries over, so where the batches are cut changes no bit
    of the result: tests/audio/test_diarise_blocks.py compares it with
    faster-whisper's bitwise, so a platform where the cut mattered would fail there.
    Faithful to one detail of the original: the last window's last 64 samples are
    zeroed (it zeroes them through a view while making the first window's context).
    """
    from faster_whisper.vad import get_vad_model

    model = get_vad_model()
    x = np.asarray(samples)
    n = int(x.shape[0])
    count = n // _VAD_WINDOW + 1  # np.pad adds a whole window when n is a multiple of it
    h = np.zeros((1, 1, 128), dtype=np.float32)
    c = np.zeros((1, 1, 128), dtype=np.float32)
    tail = np.zeros(_VAD_CONTEXT, dtype=np.float32)  # the first window's context
    probs = []
    for first in range(0, count, _VAD_BATCH):
        rows = min(count, first + _VAD_BATCH) - first
        batch = np.zeros((rows, _VAD_CONTEXT + _VAD_WINDOW), dtype=np.float32)
        lo = first * _VAD_WINDOW
        whole = min(rows, (n - lo) // _VAD_WINDOW)  # windows of audio only
        audio = batch[:, _VAD_CONTEXT:]
        audio[:whole] = x[lo : lo + whole * _VAD_WINDOW].reshape(whole, _VAD_WINDOW)
        rest = x[lo + whole * _VAD_WINDOW : lo + rows * _VAD_WINDOW]
        if rest.size:
            audio[whole, : rest.size] = rest
        batch[0, :_VAD_CONTEXT] = tail
        batch[1:, :_VAD_CONTEXT] = audio[:-1, -_VAD_CONTEXT:]
        tail = audio[-1, -_VAD_CONTEXT:].copy()
        if first + rows == count:
            audio[-1, -_VAD_CONTEXT:] = 0.0
        out, h, c = model.session.run(None, {"input": batch, "h": h, "c": c})
        probs.append(np.asarray(out, dtype=np.float32).reshape(-1))
    return np.concatenate(probs)


def _speech_stamps(speech: np.ndarray, silence: np.ndarray, n: int) -> list[tuple[int, int]]:
    """(start, end) samples of speech: ``get_speech_timestamps``'s rules for our options.

    ``speech``/``silence``: per window, probability at least the threshold / under the
    lower one. A region opens at a speech window and closes at the first of at least
    150 ms of silence windows; then each side gets 30 ms, or half the gap when two
    regions are closer than 60 ms. (No minimum speech length and no maximum, as
    speech_regions asks, so those rules of the original never apply.)
    """
    stamps: list[list[int]] = []
    triggered = False
    start = temp_end = 0
    for i in range(speech.shape[0]):
        pos = _VAD_WINDOW * i
        if speech[i] and temp_end:
            temp_end = 0
        if speech[i] and not triggered:
            triggered, start = True, pos
            continue
        if silence[i] and triggered:
            if not temp_end:
                temp_end = pos
            if pos - temp_end < _VAD_MIN_SILENCE:
                continue
            if temp_end - start > 0:
                stamps.append([start, temp_end])
            triggered, temp_end = False, 0
    if triggered and n - start > 0:
        stamps.append([start, n])
    for i, stamp in enumerate(stamps):
        if i == 0:
            stamp[0] = int(max(0, stamp[0] - _VAD_PAD))
        if i != len(stamps) - 1:
            gap = stamps[i + 1][0] - stamp[1]
            if gap < 2 * _VAD_PAD:
                stamp[1] += int(gap // 2)
                stamps[i + 1][0] = int(max(0, stamps[i + 1][0] - gap // 2))
            else:
                stamp[1] = int(min(n, stamp[1] + _VAD_PAD))
                stamps[i + 1][0] = int(max(0, stamps[i + 1][0] - _VAD_PAD))
        else:
            stamp[1] = int(min(n, stamp[1] + _VAD_PAD))
    return [(a, b) for a, b in stamps]


def _windows(regions: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    return [w for w, _ in _windows_in_regions(regions)]


def _windows_in_regions(
    regions: Sequence[tuple[float, float]],
) -> list[tuple[tuple[float, float], int]]:
    """((start, end), region index) of each window: every region in equal parts of about
    :data:`WINDOW_S` seconds."""
    out = []
    for k, (start, end) in enumerate(regions):
        n = max(1, round((end - start) / WINDOW_S))
        step = (end - start) / n
        out += [((start + i * step, start + (i + 1) * step), k) for i in range(n)]
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


def choose_diariser() -> str:
    """``"resemblyzer"`` when its weights are installed, else ``"voiceprint"``;
    ``COACHLOOP_DIARISER`` chooses."""
    import os

    from coachloop.audio.voice_encoder import encoder_path
    from coachloop.errors import ConfigError

    wanted = os.environ.get(DIARISER_ENV, "").strip().lower()
    if wanted and wanted not in DIARISERS:
        raise ConfigError(
            f"{DIARISER_ENV}={wanted!r} is not a diariser",
            hint=f"use one of {', '.join(DIARISERS)}, or unset it",
        )
    if wanted == "voiceprint":
        return "voiceprint"
    if encoder_path() is None:
        if wanted == "resemblyzer":
            raise ConfigError(
                f"{DIARISER_ENV}=resemblyzer but the resemblyzer package is not installed",
                hint="pip install --no-deps resemblyzer (coachloop needs its weights, not torch)",
            )
        return "voiceprint"
    return "resemblyzer"


def diarise_windows(samples: np.ndarray, *, method: str | None = None) -> Diarisation:
    """Speaker windows of a mixed mono recording (two speakers).

    ``method``: ``"resemblyzer"`` or ``"voiceprint"``; default :func:`choose_diariser`.
    """
    method = method or choose_diariser()
    placed = _windows_in_regions(speech_regions(samples))
    windows = [w for w, _ in placed]
    if not windows:
        empty = {"margin": 0.0}
        return Diarisation([], method, 0.0, True, empty)
    if method == "resemblyzer":
        embeds = embed_windows(samples, windows)
        labels, margin = cluster_embeddings(embeds, [k for _, k in placed])
        low, apart = EMBEDDING_LOW_MARGIN, embedding_separation(embeds, labels, margin)
    else:
        feats = voiceprints(samples, windows)
        labels, margin = cluster_two(feats)
        low, apart = LOW_MARGIN, separation(feats, labels, margin)
    out = [
        SpeakerWindow(s, e, int(k), float(m))
        for (s, e), k, m in zip(windows, labels, margin, strict=True)
    ]
    uncertain = bool(apart.pop("uncertain"))
    return Diarisation(out, method, low, uncertain, apart)


_ENCODER: Any = None


def embed_windows(samples: np.ndarray, windows: Sequence[tuple[float, float]]) -> np.ndarray:
    """Resemblyzer embedding (256-d, unit length) of each window's own frames.

    The recording is first raised to −30 dBFS when quieter (resemblyzer's
    ``preprocess_wav`` volume normalisation, whose level the encoder was trained at).
    The level and the spectrogram are computed a block at a time, from the recording
    itself: no float64 square of it, no scaled copy (docs/audio.md, "Diarising long
    recordings").
    """
    from coachloop.audio.voice_encoder import MEL_HOP, VoiceEncoder, mel_spectrogram

    global _ENCODER
    if _ENCODER is None:
        _ENCODER = VoiceEncoder()
    x = np.asarray(samples, dtype=np.float32)
    rms = float(np.sqrt(_sum_of_squares(x, 0, x.shape[0]) / max(x.shape[0], 1)))
    gain = max(1.0, 10 ** ((-30.0 - 20 * np.log10(max(rms, 1e-9))) / 20))
    mel = mel_spectrogram(x, gain=gain)
    per_s = SAMPLE_RATE / MEL_HOP
    spans = []
    for start, end in windows:
        a = min(round(start * per_s), mel.shape[0] - 1)
        spans.append((a, min(mel.shape[0], max(round(end * per_s), a + 10))))
    embeds: np.ndarray = _ENCODER.embed_frames(mel, spans)
    return embeds


_SQUARES_BLOCK = 1 << 18  # samples squared in float64 at a time (2 MB)


def _sum_of_squares(x: np.ndarray, lo: int, hi: int) -> float:
    """``np.sum(np.square(x[lo:hi], dtype=np.float64))``, to the last bit, a block at a time.

    numpy sums pairwise: a range longer than its 128-element leaves is split at half
    its length rounded down to a multiple of 8, and the halves summed recursively.
    Splitting the same way down to blocks and letting numpy sum each block adds the
    same numbers in the same order.
    """
    n = hi - lo
    if n <= _SQUARES_BLOCK:
        return float(np.add.reduce(np.square(x[lo:hi], dtype=np.float64)))
    half = n // 2
    half -= half % 8
    return _sum_of_squares(x, lo, lo + half) + _sum_of_squares(x, lo + half, hi)


def _unit(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)
    return out


def cluster_embeddings(embeds: np.ndarray, regions: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(cluster 0/1 per window, margin per window) of window embeddings.

    The embeddings are centred on their mean (what every window of speech shares is
    not the speaker); each speech region's mean is one point for Ward clustering
    (scipy), which averages what was said out of it; then each window takes the nearer
    of the two clusters' mean directions (cosine). With fewer than two regions the
    windows themselves are clustered.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    n = embeds.shape[0]
    if n < 2:
        return np.zeros(n, dtype=int), np.zeros(n)
    x = embeds - embeds.mean(axis=0)
    region = np.asarray(regions)
    ids = np.unique(region)
    if ids.size >= 2:
        points = _unit(np.stack([x[region == k].mean(axis=0) for k in ids]))
        grouped = fcluster(linkage(points, method="ward"), t=2, criterion="maxclust") - 1
        first = grouped[np.searchsorted(ids, region)]
    else:
        first = fcluster(linkage(_unit(x), method="ward"), t=2, criterion="maxclust") - 1
    if len(set(first.tolist())) < 2:
        return np.zeros(n, dtype=int), np.zeros(n)
    voices = _unit(np.stack([x[first == k].mean(axis=0) for k in (0, 1)]))
    dist = 1.0 - _unit(x) @ voices.T
    labels = dist.argmin(axis=1)
    if len(set(labels.tolist())) < 2:
        return np.zeros(n, dtype=int), np.zeros(n)
    own = dist[np.arange(n), labels]
    other = dist[np.arange(n), 1 - labels]
    margin = (other - own) / np.maximum(other + own, 1e-9)
    return labels.astype(int), margin


def embedding_separation(
    embeds: np.ndarray, labels: np.ndarray, margin: np.ndarray
) -> dict[str, Any]:
    """How clearly the two clusters of embeddings are two voices.

    ``margin``: the mean window margin; ``voice_similarity``: cosine of the two
    voices' mean embeddings (1 = the same voice; 0.7–0.75 for a man and a woman in the
    validation, 0.89–0.95 for two similar men). ``uncertain`` when the margin is
    below :data:`EMBEDDING_MIN_SEPARATION`.
    """
    if len(set(labels.tolist())) < 2:
        return {"uncertain": True, "margin": 0.0, "voice_similarity": 1.0}
    voices = _unit(np.stack([embeds[labels == k].mean(axis=0) for k in (0, 1)]))
    mean_margin = float(np.mean(margin))
    return {
        "uncertain": bool(mean_margin < EMBEDDING_MIN_SEPARATION),
        "margin": round(mean_margin, 3),
        "voice_similarity": round(float(voices[0] @ voices[1]), 3),
    }


def separation(feats: np.ndarray, labels: np.ndarray, margin: np.ndarray) -> dict[str, Any]:
    """How clearly the two voiceprint clusters are two voices.

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


def pyannote_windows(samples: np.ndarray, config: str) -> Diarisation:
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
            hint="pip install pyannote.audio (it brings PyTorch), or unset it to use coachloop's own clustering",
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
    return Diarisation(out, "pyannote", 0.0, False, {})
