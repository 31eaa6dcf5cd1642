"""Resemblyzer's speaker encoder in numpy: a neural voice embedding without PyTorch.

The PyPI package ``resemblyzer`` (Apache-2.0) ships a trained speaker encoder —
``resemblyzer/pretrained.pt``, a GE2E model: 40 mel bands → a 3-layer LSTM of 256
units → Linear(256, 256) → ReLU → L2 norm, 256-d — but runs it with PyTorch, which
coachloop does not install. This module reads the same file and runs the same
forward pass in numpy, so the weights come from a registry package, nothing is
downloaded, and ``torch`` is never imported (not even ``resemblyzer`` itself, whose
``__init__`` imports torch: the file is found with :func:`importlib.util.find_spec`).

* :func:`load_state` reads the checkpoint (PyTorch's legacy serialisation: a few
  pickles followed by the raw storages) with a restricted unpickler that only
  builds ``OrderedDict`` and float tensors — no code in the file can run;
* :func:`mel_spectrogram` is ``librosa.feature.melspectrogram`` as resemblyzer calls
  it (16 kHz, 25 ms periodic Hann window, 10 ms hop, centred with zero padding,
  power 2, 40 Slaney-scale bands with Slaney normalisation), in numpy;
* :class:`VoiceEncoder` is the LSTM (PyTorch's equations, gate order i, f, g, o).

``bench/compare_resemblyzer.py`` checks the port against the real package (max
absolute difference and cosine of the embeddings; docs/audio.md has the figures),
and ``tests/audio/test_voice_encoder.py`` against a few reference numbers.
"""

from __future__ import annotations

import importlib.util
import pickle
import struct
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from coachloop.errors import ConfigError

__all__ = [
    "MEL_HOP",
    "PARTIAL_FRAMES",
    "VoiceEncoder",
    "encoder_path",
    "load_state",
    "mel_filters",
    "mel_spectrogram",
]

SAMPLE_RATE = 16_000
MEL_WINDOW = 400  # 25 ms
MEL_HOP = 160  # 10 ms
N_MELS = 40
#: Frames in one of resemblyzer's partial utterances (1.6 s), the length it was trained on.
PARTIAL_FRAMES = 160
_HIDDEN = 256
_LAYERS = 3
_BLOCK = 4096  # spectrogram frames per block (per mel product: see mel_spectrogram)
_FFT_ROWS = 512  # frames per short-time FFT


def encoder_path() -> Path | None:
    """``pretrained.pt`` of the installed ``resemblyzer`` package, or None.

    The package is located, not imported: its ``__init__`` imports torch.
    """
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "pretrained.pt"
        if path.is_file():
            return path
    return None


# -- reading the checkpoint without torch ---------------------------------------------
_STORAGE_DTYPES = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
}


@dataclass(frozen=True)
class _StorageRef:
    key: str
    dtype: np.dtype[Any]


@dataclass(frozen=True)
class _TensorRef:
    storage: _StorageRef
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor(
    storage: _StorageRef, offset: int, size: tuple[int, ...], stride: tuple[int, ...], *_: Any
) -> _TensorRef:
    return _TensorRef(storage, int(offset), tuple(size), tuple(stride))


class _CheckpointUnpickler(pickle.Unpickler):
    """Builds only what a state dict holds; any other class in the file is refused."""

    def __init__(self, fh: IO[bytes]) -> None:
        super().__init__(fh)
        self.dtypes: dict[str, np.dtype[Any]] = {}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if module == "torch._utils" and name in ("_rebuild_tensor_v2", "_rebuild_tensor"):
            return _rebuild_tensor
        if module == "torch" and name in _STORAGE_DTYPES:
            return _STORAGE_DTYPES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a weights file")

    def persistent_load(self, pid: Any) -> _StorageRef:
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        dtype, key = pid[1], pid[2]
        if not isinstance(dtype, np.dtype):
            raise pickle.UnpicklingError(f"unexpected storage type {dtype!r}")
        self.dtypes[str(key)] = dtype
        return _StorageRef(str(key), dtype)


_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


def load_state(path: Path) -> dict[str, np.ndarray]:
    """The ``model_state`` tensors of a PyTorch legacy-format checkpoint, as float32 arrays."""
    with path.open("rb") as fh:
        try:
            return _load_legacy(fh)
        except (pickle.UnpicklingError, EOFError, ValueError, KeyError) as exc:
            raise ConfigError(
                f"cannot read the speaker encoder weights {path}: {exc}",
                hint="reinstall resemblyzer 0.1.4 (pip install --no-deps resemblyzer)",
            ) from exc


def _load_legacy(fh: IO[bytes]) -> dict[str, np.ndarray]:
    magic = pickle.load(fh)  # plain ints and dicts: the stock unpickler is safe for these
    if magic != _LEGACY_MAGIC:
        raise ValueError("not a PyTorch legacy checkpoint")
    if pickle.load(fh) != 1001:
        raise ValueError("unknown checkpoint protocol")
    info = pickle.load(fh)
    if not info.get("little_endian", False):
        raise ValueError("big-endian checkpoint")
    unpickler = _CheckpointUnpickler(fh)
    checkpoint = unpickler.load()
    keys = _CheckpointUnpickler(fh).load()  # the storages follow in this order
    storages: dict[str, np.ndarray] = {}
    for key in keys:
        (count,) = struct.unpack("<q", fh.read(8))
        dtype = unpickler.dtypes[key]
        raw = fh.read(count * dtype.itemsize)
        if len(raw) != count * dtype.itemsize:
            raise ValueError("truncated checkpoint")
        storages[key] = np.frombuffer(raw, dtype=dtype)
    out = {}
    for name, ref in checkpoint["model_state"].items():
        data = storages[ref.storage.key]
        view = np.lib.stride_tricks.as_strided(
            data[ref.offset :],
            shape=ref.size,
            strides=tuple(s * data.itemsize for s in ref.stride),
            writeable=False,
        )
        out[name] = np.array(view, dtype=np.float32)
    return out


# -- features: librosa.feature.melspectrogram as resemblyzer calls it ----------------
def _hz_to_mel(f: np.ndarray) -> np.ndarray:
    """Slaney's mel scale (librosa's default, ``htk=False``)."""
    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, np.log(6.4) / 27.0
    mels = f / f_sp
    log = f >= min_log_hz
    mels[log] = min_log_hz / f_sp + np.log(f[log] / min_log_hz) / logstep
    return mels


def _mel_to_hz(m: np.ndarray) -> np.ndarray:
    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, np.log(6.4) / 27.0
    min_log_mel = min_log_hz / f_sp
    freqs = f_sp * m
    log = m >= min_log_mel
    freqs[log] = min_log_hz * np.exp(logstep * (m[log] - min_log_mel))
    return freqs


def mel_filters(sr: int = SAMPLE_RATE, n_fft: int = MEL_WINDOW, n_mels: int = N_MELS) -> np.ndarray:
    """``librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels)``: 0 Hz to Nyquist,
    Slaney mel scale, each triangle normalised to unit area (``norm="slaney"``)."""
    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    lo, hi = _hz_to_mel(np.array([0.0, sr / 2.0]))
    mel_f = _mel_to_hz(np.linspace(lo, hi, n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    weights = np.zeros((n_mels, fft_freqs.size), dtype=np.float32)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0.0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, None]
    return weights


_MEL = mel_filters()
# periodic Hann, as scipy.signal.get_window("hann", N) (librosa's window)
_WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(MEL_WINDOW) / MEL_WINDOW)).astype(np.float32)


def mel_spectrogram(wav: np.ndarray, *, gain: float = 1.0) -> np.ndarray:
    """(frames, 40) mel power spectrogram of 16 kHz audio; frame k is centred on sample 160·k.

    ``gain`` scales the samples first (in float32, as ``wav * np.float32(gain)``).
    Computed in blocks of frames, each from its own stretch of ``wav`` (zero beyond
    the ends, as librosa's centred padding), so an hour of audio needs the 58 MB of
    the result and about 10 MB besides — not a padded or scaled copy of the
    recording, nor the 1 GB of its short-time spectrum.
    """
    x = np.asarray(wav)
    half = MEL_WINDOW // 2
    n = 1 + x.shape[0] // MEL_HOP
    scale = np.float32(gain)
    out = np.empty((n, N_MELS), dtype=np.float32)
    offsets = np.arange(MEL_WINDOW)[None, :]
    for first in range(0, n, _BLOCK):
        last = min(n, first + _BLOCK)
        # frames first..last-1 read samples [160·first − 200, 160·(last − 1) + 200)
        lo = MEL_HOP * first - half
        y = np.zeros(MEL_HOP * (last - 1 - first) + MEL_WINDOW, dtype=np.float32)
        start, end = max(lo, 0), min(lo + y.size, x.shape[0])
        y[start - lo : end - lo] = x[start:end]
        if gain != 1.0:
            y *= scale
        # the short-time power a few frames at a time (each frame's own FFT), but the
        # mel product over the whole block: BLAS rounds a row differently with the
        # number of rows, and these blocks are the ones the numbers were checked on
        power = np.empty((last - first, MEL_WINDOW // 2 + 1), dtype=np.float32)
        for row in range(0, last - first, _FFT_ROWS):
            k = np.arange(row, min(last - first, row + _FFT_ROWS))
            spec = np.fft.rfft(y[offsets + MEL_HOP * k[:, None]] * _WINDOW, axis=1)
            power[k] = spec.real**2 + spec.imag**2
        out[first:last] = power @ _MEL.T
    return out


# -- the network ------------------------------------------------------------------------
def _sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 0.5 * (np.tanh(0.5 * x) + 1.0)  # = 1 / (1 + e^-x), without overflow
    return out


class VoiceEncoder:
    """Resemblyzer's ``VoiceEncoder.forward`` in numpy (float32)."""

    def __init__(self, path: Path | None = None) -> None:
        where = path or encoder_path()
        if where is None:
            raise ConfigError(
                "the speaker encoder needs the resemblyzer package (its weights file)",
                hint="pip install --no-deps resemblyzer, or install coachloop[audio]",
            )
        state = load_state(where)
        self.layers = []
        for k in range(_LAYERS):
            w_ih = state[f"lstm.weight_ih_l{k}"]
            w_hh = state[f"lstm.weight_hh_l{k}"]
            bias = state[f"lstm.bias_ih_l{k}"] + state[f"lstm.bias_hh_l{k}"]
            self.layers.append((np.ascontiguousarray(w_ih.T), np.ascontiguousarray(w_hh.T), bias))
        self.linear_w = np.ascontiguousarray(state["linear.weight"].T)
        self.linear_b = state["linear.bias"]

    def forward(self, mels: np.ndarray, lengths: Sequence[int] | None = None) -> np.ndarray:
        """(batch, frames, 40) mel spectrograms → (batch, 256) L2-normalised embeddings.

        The last hidden state of the top LSTM layer, through Linear and ReLU, as
        resemblyzer computes it. With ``lengths``, sequence ``b`` is only its first
        ``lengths[b]`` frames (the rest is padding): the LSTM is causal, so its state
        at that frame is exactly that of the unpadded sequence.
        """
        x = np.asarray(mels, dtype=np.float32)
        batch, frames, _ = x.shape
        last = np.full(batch, frames - 1) if lengths is None else np.asarray(lengths) - 1
        if last.min() < 0 or last.max() >= frames:
            raise ValueError("every length must be between 1 and the number of frames")
        final = np.zeros((batch, _HIDDEN), dtype=np.float32)
        for layer, (w_ih, w_hh, bias) in enumerate(self.layers):
            top = layer == len(self.layers) - 1
            # the input projection of every frame at once; only the recurrence is sequential
            gates_in = x.reshape(batch * frames, -1) @ w_ih
            gates_in += bias  # in place: a batch of 64 windows' gates is up to 40 MB
            gates_in = gates_in.reshape(batch, frames, -1)
            h = np.zeros((batch, _HIDDEN), dtype=np.float32)
            c = np.zeros((batch, _HIDDEN), dtype=np.float32)
            out = np.empty((batch, frames, _HIDDEN), dtype=np.float32)
            for t in range(int(last.max()) + 1):
                g = gates_in[:, t] + h @ w_hh
                i = _sigmoid(g[:, :_HIDDEN])
                f = _sigmoid(g[:, _HIDDEN : 2 * _HIDDEN])
                cell = np.tanh(g[:, 2 * _HIDDEN : 3 * _HIDDEN])
                o = _sigmoid(g[:, 3 * _HIDDEN :])
                c = f * c + i * cell
                h = o * np.tanh(c)
                if top:
                    done = last == t
                    final[done] = h[done]
                else:
                    out[:, t] = h
            x = out
        raw = np.maximum(final @ self.linear_w + self.linear_b, 0.0)
        norm = np.linalg.norm(raw, axis=1, keepdims=True)
        embeds: np.ndarray = raw / np.maximum(norm, 1e-12)
        return embeds

    def embed_frames(
        self, mel: np.ndarray, spans: Sequence[tuple[int, int]], *, batch: int = 64
    ) -> np.ndarray:
        """One embedding per ``(first, last + 1)`` frame span of one spectrogram.

        Spans of similar length are run together, padded to the longest of the batch.
        """
        out = np.zeros((len(spans), _HIDDEN), dtype=np.float32)
        order = sorted(range(len(spans)), key=lambda k: spans[k][1] - spans[k][0])
        for first in range(0, len(order), batch):
            part = order[first : first + batch]
            lengths = [spans[k][1] - spans[k][0] for k in part]
            block = np.zeros((len(part), max(lengths), N_MELS), dtype=np.float32)
            for row, k in enumerate(part):
                block[row, : lengths[row]] = mel[spans[k][0] : spans[k][1]]
            out[part] = self.forward(block, lengths)
        return out
