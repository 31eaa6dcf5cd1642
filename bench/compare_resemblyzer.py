"""Check coachloop's numpy port of resemblyzer's speaker encoder against the real package.

Runs in a scratch environment that has PyTorch, librosa and resemblyzer — never the
project's (coachloop does not install torch). From the repository root:

    python3.11 -m venv /tmp/rzvenv
    /tmp/rzvenv/bin/pip install torch  # the CPU wheel: --index-url https://download.pytorch.org/whl/cpu
    /tmp/rzvenv/bin/pip install --no-deps resemblyzer==0.1.4
    /tmp/rzvenv/bin/pip install librosa webrtcvad-wheels scipy
    /tmp/rzvenv/bin/python bench/compare_resemblyzer.py

It speaks a few sentences with espeak-ng (different voices), then for each compares

* the mel spectrogram: ``resemblyzer.audio.wav_to_mel_spectrogram`` (librosa) against
  ``coachloop.audio.voice_encoder.mel_spectrogram``;
* the partial embeddings (1.6 s partials, resemblyzer's ``embed_utterance(...,
  return_partials=True)``) against the port run on the port's own spectrogram;
* the utterance embedding (mean of partials, L2-normed);
* embeddings of 0.9–1.1 s windows (what ``coachloop.audio.diarise`` embeds), the port
  running them as one padded batch, resemblyzer's network one at a time;

and prints the largest absolute difference and the lowest cosine. ``--reference``
prints the numbers ``tests/audio/test_voice_encoder.py`` checks instead.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SENTENCES = [
    (
        ["-v", "en-us", "-p", "35", "-s", "150"],
        "Thanks for making time today. How did the week go?",
    ),
    (["-v", "en-us+f2", "-p", "65"], "Pretty good overall. I closed the renewal on Tuesday."),
    (
        ["-v", "en-gb", "-p", "50", "-s", "160"],
        "Send her a note today and ask for a call this week.",
    ),
    (["-v", "en-us", "-p", "45"], "What is the biggest risk in your pipeline right now?"),
]


def reference_signal() -> np.ndarray:
    """2 s of a deterministic voiced-like signal (no audio file, no RNG): a 120→180 Hz
    harmonic glide with a 3 Hz amplitude wobble. The unit test builds the same."""
    t = np.arange(32_000) / 16_000
    f0 = 120 + 30 * t
    phase = 2 * np.pi * np.cumsum(f0) / 16_000
    x = sum(np.sin(k * phase) / k for k in range(1, 12))
    return (0.1 * x * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def speak(text: str, voice: list[str], folder: Path) -> np.ndarray:
    out = folder / "s.wav"
    subprocess.run(["espeak-ng", *voice, "-w", str(out), text], check=True, capture_output=True)
    with wave.open(str(out)) as fh:
        sr = fh.getframerate()
        pcm = np.frombuffer(fh.readframes(fh.getnframes()), dtype="<i2")
    import librosa

    return librosa.resample(pcm.astype(np.float32) / 32768, orig_sr=sr, target_sr=16_000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", action="store_true", help="print the unit test's numbers")
    args = parser.parse_args()

    import torch
    from resemblyzer import VoiceEncoder as TorchEncoder
    from resemblyzer import audio as rz_audio
    from resemblyzer import preprocess_wav

    from coachloop.audio.voice_encoder import (
        PARTIAL_FRAMES,
        VoiceEncoder,
        encoder_path,
        mel_spectrogram,
    )

    torch.set_num_threads(2)
    theirs = TorchEncoder(device="cpu", verbose=False)
    ours = VoiceEncoder(encoder_path())

    if args.reference:
        wav = reference_signal()
        mel = rz_audio.wav_to_mel_spectrogram(wav)
        with torch.no_grad():
            emb = theirs(torch.from_numpy(mel[None, :PARTIAL_FRAMES])).numpy()[0]
        print("mel[50, :5] =", np.round(mel[50, :5], 6).tolist())
        top = np.argsort(-emb)[:6]
        print("top dimensions =", {int(k): round(float(emb[k]), 6) for k in top})
        print("non-zero dimensions =", int((emb > 0).sum()))
        return 0

    worst = {"mel_rel": 0.0, "partial_abs": 0.0, "partial_cos": 1.0, "utt_abs": 0.0, "utt_cos": 1.0}
    worst |= {"window_abs": 0.0, "window_cos": 1.0}
    n_partials = n_windows = 0
    with tempfile.TemporaryDirectory() as tmp:
        for voice, text in SENTENCES:
            wav = preprocess_wav(speak(text, voice, Path(tmp)))
            ref_utt, ref_partials, wav_slices = theirs.embed_utterance(wav, return_partials=True)
            padded = np.pad(wav, (0, max(0, wav_slices[-1].stop - len(wav))))
            mel_theirs = rz_audio.wav_to_mel_spectrogram(padded)
            mel_ours = mel_spectrogram(padded)
            rel = np.abs(mel_ours - mel_theirs).max() / np.abs(mel_theirs).max()
            spans = [(s.start // 160, s.start // 160 + PARTIAL_FRAMES) for s in wav_slices]
            partials = ours.embed_frames(mel_ours, spans)
            utt = partials.mean(axis=0)
            utt /= np.linalg.norm(utt)
            cos = (partials * ref_partials).sum(axis=1)
            worst["mel_rel"] = max(worst["mel_rel"], float(rel))
            worst["partial_abs"] = max(
                worst["partial_abs"], float(np.abs(partials - ref_partials).max())
            )
            worst["partial_cos"] = min(worst["partial_cos"], float(cos.min()))
            worst["utt_abs"] = max(worst["utt_abs"], float(np.abs(utt - ref_utt).max()))
            worst["utt_cos"] = min(worst["utt_cos"], float(utt @ ref_utt))
            n_partials += len(spans)
            # what diarise.py runs: windows of about 1 s of varying length, padded in a batch
            windows = [(a, a + 90 + 7 * (a % 3)) for a in range(0, mel_ours.shape[0] - 120, 50)]
            mine = ours.embed_frames(mel_ours, windows)
            with torch.no_grad():
                ref = np.concatenate(
                    [theirs(torch.from_numpy(mel_theirs[None, a:b])).numpy() for a, b in windows]
                )
            worst["window_abs"] = max(worst["window_abs"], float(np.abs(mine - ref).max()))
            worst["window_cos"] = min(worst["window_cos"], float((mine * ref).sum(axis=1).min()))
            n_windows += len(windows)
    import librosa

    print(
        f"{len(SENTENCES)} utterances, {n_partials} partials, {n_windows} windows "
        f"(torch {torch.__version__}, librosa {librosa.__version__})"
    )
    print(f"mel spectrogram: max |diff| / max value = {worst['mel_rel']:.2e}")
    print(
        f"partial embeddings: max |diff| = {worst['partial_abs']:.2e}, "
        f"min cosine = {worst['partial_cos']:.7f}"
    )
    print(
        f"utterance embeddings: max |diff| = {worst['utt_abs']:.2e}, "
        f"min cosine = {worst['utt_cos']:.7f}"
    )
    print(
        f"0.9-1.1 s windows, batched with padding: max |diff| = {worst['window_abs']:.2e}, "
        f"min cosine = {worst['window_cos']:.7f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
