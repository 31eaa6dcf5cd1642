"""The numpy port of resemblyzer's speaker encoder gives resemblyzer's numbers, without torch.

The reference figures were printed by the real package (torch 2.13.0 CPU, librosa
0.11.0) with ``bench/compare_resemblyzer.py --reference``, on the same deterministic
signal as :func:`_signal`; no audio is stored.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coachloop.audio.voice_encoder import (
    PARTIAL_FRAMES,
    VoiceEncoder,
    encoder_path,
    load_state,
    mel_spectrogram,
)
from coachloop.errors import ConfigError

REFERENCE_MEL_FRAME_50 = [0.176819, 0.502987, 0.120259, 0.115448, 0.042948]
REFERENCE_TOP_DIMENSIONS = {
    224: 0.319667,
    32: 0.260618,
    100: 0.241853,
    246: 0.208505,
    18: 0.189317,
    16: 0.184858,
}
REFERENCE_NON_ZERO = 97


def _signal() -> np.ndarray:
    """bench/compare_resemblyzer.py's ``reference_signal``: 2 s harmonic glide, 120→180 Hz."""
    t = np.arange(32_000) / 16_000
    phase = 2 * np.pi * np.cumsum(120 + 30 * t) / 16_000
    x = sum(np.sin(k * phase) / k for k in range(1, 12))
    return (0.1 * x * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


@pytest.fixture(scope="module")
def encoder() -> VoiceEncoder:
    return VoiceEncoder()


def test_mel_spectrogram_matches_librosa_as_resemblyzer_calls_it() -> None:
    mel = mel_spectrogram(_signal())
    assert mel.shape == (201, 40)  # 1 + 32000 // 160 centred frames
    assert mel[50, :5] == pytest.approx(REFERENCE_MEL_FRAME_50, rel=1e-4)


def test_embedding_matches_resemblyzer(encoder: VoiceEncoder) -> None:
    mel = mel_spectrogram(_signal())
    (emb,) = encoder.forward(mel[None, :PARTIAL_FRAMES])
    top = np.argsort(-emb)[:6]
    assert {int(k): float(emb[k]) for k in top} == pytest.approx(REFERENCE_TOP_DIMENSIONS, abs=2e-5)
    assert int((emb > 0).sum()) == REFERENCE_NON_ZERO
    assert float(np.linalg.norm(emb)) == pytest.approx(1.0, abs=1e-6)


def test_spans_of_any_length_are_batched_like_single_runs(encoder: VoiceEncoder) -> None:
    mel = mel_spectrogram(_signal())
    spans = [(0, 100), (40, 140), (0, 160), (7, 30)]
    batched = encoder.embed_frames(mel, spans)
    alone = np.concatenate([encoder.forward(mel[None, a:b]) for a, b in spans])
    assert np.abs(batched - alone).max() < 1e-6


def test_the_encoder_never_imports_torch() -> None:
    code = (
        "import sys; from coachloop.audio.voice_encoder import VoiceEncoder; VoiceEncoder(); "
        "print(sorted(m for m in ('torch', 'librosa', 'resemblyzer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_weights_file_may_not_run_code(tmp_path: Path) -> None:
    bad = tmp_path / "evil.pt"
    with bad.open("wb") as fh:
        for part in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}):
            pickle.dump(part, fh, protocol=2)
        pickle.dump({"model_state": subprocess.Popen}, fh, protocol=2)
    with pytest.raises(ConfigError, match=r"Popen is not allowed in a weights file"):
        load_state(bad)


def test_the_packaged_weights_are_found_without_importing_resemblyzer() -> None:
    path = encoder_path()
    assert path is not None and path.name == "pretrained.pt"
    assert "resemblyzer" not in sys.modules
