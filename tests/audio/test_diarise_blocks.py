"""Diarisation in blocks gives the numbers of the whole-recording computation, to the bit.

Each blockwise step of :mod:`coachloop.audio.diarise` (the VAD, the level, the mel
spectrogram, the embeddings) is compared with the computation it replaced — the
whole recording at once, as faster-whisper and the previous code did it — on a
synthesised 1:1 long enough to cross every block boundary (faster-whisper's
10,000-window VAD batches and speech_probs' 1,000-window ones, the spectrogram's
4096-frame blocks, the level's 2^18-sample blocks).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from coachloop.audio.decode import SAMPLE_RATE, decode_audio
from coachloop.audio.diarise import (
    _sum_of_squares,
    _windows,
    embed_windows,
    speech_probs,
    speech_regions,
)
from coachloop.audio.voice_encoder import _BLOCK, _MEL, _WINDOW, MEL_HOP, MEL_WINDOW, N_MELS

# the VAD options speech_regions documents it reproduces
VAD = {"threshold": 0.5, "min_silence_duration_ms": 150, "speech_pad_ms": 30}


@pytest.fixture(scope="module")
def long_mix(short_1on1: Any) -> np.ndarray:
    """The short 1:1 (15 s) 24 times at different levels, gaps between: 414 s, so
    12,940 VAD windows (two of faster-whisper's batches, 13 of speech_probs') and 11
    spectrogram blocks."""
    one = decode_audio(short_1on1.mixed).mono()
    rng = np.random.default_rng(7)
    parts = []
    for k in range(24):
        parts.append(one * np.float32(0.3 + 0.05 * k))
        gap = rng.standard_normal(int(SAMPLE_RATE * (0.1 + 0.2 * k))) * 1e-3
        parts.append(gap.astype(np.float32))
    mix = np.concatenate(parts)
    assert mix.size > 10_000 * 512  # crosses faster-whisper's VAD batch
    return mix


def _whole_mel(wav: np.ndarray) -> np.ndarray:
    """voice_encoder.mel_spectrogram before blocks read the recording: one padded copy,
    the spectrum of 4096 frames at a time."""
    y = np.pad(np.asarray(wav, dtype=np.float32), MEL_WINDOW // 2)
    n = 1 + (y.size - MEL_WINDOW) // MEL_HOP
    out = np.empty((n, N_MELS), dtype=np.float32)
    for first in range(0, n, 4096):
        k = np.arange(first, min(n, first + 4096))
        idx = np.arange(MEL_WINDOW)[None, :] + MEL_HOP * k[:, None]
        spec = np.fft.rfft(y[idx] * _WINDOW, axis=1)
        out[k] = (spec.real**2 + spec.imag**2).astype(np.float32) @ _MEL.T
    return out


# lengths: the mix cut so the last VAD window is 1, 300 and 470 samples of audio
# (470: some of its audio falls in the 64 samples faster-whisper zeroes), or whole
@pytest.mark.parametrize("cut", [1, 300, 470, 512])
def test_vad_in_batches_is_faster_whispers(long_mix: np.ndarray, cut: int) -> None:
    from faster_whisper.vad import VadOptions, get_speech_timestamps, get_vad_model

    n = (long_mix.size // 512 - 1) * 512 + cut % 512 if cut < 512 else (long_mix.size // 512) * 512
    x = np.ascontiguousarray(long_mix[:n])
    probs = speech_probs(x)
    padded = np.pad(x, (0, 512 - x.size % 512))
    assert np.array_equal(probs, get_vad_model()(padded).reshape(-1))
    stamps = get_speech_timestamps(x, VadOptions(**VAD))
    assert len(stamps) > 20
    assert speech_regions(x) == [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def test_vad_of_a_recording_shorter_than_a_window() -> None:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    x = np.zeros(100, dtype=np.float32)
    assert speech_regions(x) == [
        (s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE)
        for s in get_speech_timestamps(x, VadOptions(**VAD))
    ]


@pytest.mark.parametrize("n", [0, 1, 129, 262_144, 262_145, 1_000_003, 3_472_001])
def test_sum_of_squares_in_blocks_is_numpys_to_the_bit(n: int) -> None:
    x = (np.random.default_rng(n).standard_normal(n) * 0.1).astype(np.float32)
    assert _sum_of_squares(x, 0, n) == float(np.sum(np.square(x, dtype=np.float64)))


@pytest.mark.parametrize("gain", [1.0, 7.3])
def test_mel_spectrogram_in_blocks_is_the_whole_recordings(
    long_mix: np.ndarray, gain: float
) -> None:
    from coachloop.audio.voice_encoder import mel_spectrogram

    x = long_mix[: 3 * _BLOCK * MEL_HOP + 77]  # three blocks and a bit
    assert np.array_equal(mel_spectrogram(x, gain=gain), _whole_mel(x * np.float32(gain)))


def test_embeddings_in_blocks_are_the_whole_recordings(long_mix: np.ndarray) -> None:
    from coachloop.audio import diarise

    quiet = long_mix * np.float32(0.05)  # under -30 dBFS: the level gain applies
    windows = _windows(speech_regions(quiet))
    assert len(windows) > 100
    # the previous embed_windows: float64 square of the whole, a scaled copy, a padded one
    rms = float(np.sqrt(np.mean(np.square(quiet, dtype=np.float64))))
    gain = max(1.0, 10 ** ((-30.0 - 20 * np.log10(max(rms, 1e-9))) / 20))
    assert gain > 1.0
    mel = _whole_mel(quiet * np.float32(gain))
    per_s = SAMPLE_RATE / MEL_HOP
    spans = []
    for start, end in windows:
        a = min(round(start * per_s), mel.shape[0] - 1)
        spans.append((a, min(mel.shape[0], max(round(end * per_s), a + 10))))
    after = embed_windows(quiet, windows)  # loads the encoder
    before = diarise._ENCODER.embed_frames(mel, spans)
    assert np.array_equal(after, before)
