"""Decoding: every container we promise, resampling, channels, streaming, refusals."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from coachloop.audio.decode import (
    check_not_silent,
    decode_audio,
    iter_blocks,
    iter_chunks,
    loudest_dbfs,
)
from coachloop.errors import InputError
from tests.audio.conftest import SR, encode, tone, write_wav


def test_wav_44k_stereo_is_resampled_to_16k_mono(tmp_path: Path) -> None:
    left, right = tone(1.5, 220, rate=44_100), tone(1.5, 330, rate=44_100)
    path = write_wav(tmp_path / "call.wav", np.stack([left, right]), rate=44_100)
    mono = decode_audio(path)
    kept = decode_audio(path, keep_channels=True)
    assert mono.sample_rate == SR and mono.channels == 1
    assert mono.duration == pytest.approx(1.5, abs=0.01)
    assert kept.channels == 2 and kept.samples.shape[1] == mono.samples.shape[1]
    # the two channels keep their own tones: 220 Hz left, 330 Hz right
    for channel, freq in ((0, 220), (1, 330)):
        spectrum = np.abs(np.fft.rfft(kept.samples[channel]))
        peak = np.fft.rfftfreq(kept.samples.shape[1], 1 / SR)[spectrum.argmax()]
        assert peak == pytest.approx(freq, abs=2)


@pytest.mark.parametrize(
    ("name", "codec", "rate", "video"),
    [
        ("talk.mp3", "libmp3lame", 16_000, False),
        ("talk.m4a", "aac", 16_000, False),
        ("talk.webm", "libopus", 48_000, False),
        ("meeting.mp4", "aac", 16_000, True),
    ],
)
def test_compressed_and_video_containers_decode(
    tmp_path: Path, name: str, codec: str, rate: int, video: bool
) -> None:
    path = encode(tmp_path / name, tone(2.0, rate=rate), codec, rate, video=video)
    decoded = decode_audio(path)
    assert decoded.channels == 1
    assert decoded.duration == pytest.approx(2.0, abs=0.1)
    assert np.abs(decoded.mono()).max() == pytest.approx(0.3, abs=0.05)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as err:
        decode_audio(tmp_path / "nope.wav")
    assert err.value.file == str(tmp_path / "nope.wav")


def test_text_is_not_a_recording(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n")
    with pytest.raises(InputError, match="not an audio or video recording") as err:
        decode_audio(path)
    assert err.value.file == str(path)


def test_garbage_bytes_cannot_be_decoded(tmp_path: Path) -> None:
    path = tmp_path / "broken.mp3"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError, match="cannot decode this file as audio") as err:
        decode_audio(path)
    assert err.value.file == str(path) and "media player" in (err.value.hint or "")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.m4a"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty"):
        decode_audio(path)


def test_video_without_sound_is_refused(tmp_path: Path) -> None:
    import av

    path = tmp_path / "screen.mp4"
    out = av.open(str(path), "w")
    vs = out.add_stream("mpeg4", rate=10)
    vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
    for k in range(5):
        f = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
        f.pts = k
        for p in vs.encode(f):
            out.mux(p)
    for p in vs.encode(None):
        out.mux(p)
    out.close()
    with pytest.raises(InputError, match="no audio stream"):
        decode_audio(path)


def test_silence_is_refused_and_speech_level_is_not() -> None:
    with pytest.raises(InputError, match=r"silent \(digital silence\)"):
        check_not_silent(np.zeros(SR, np.float32), file="x.wav")
    with pytest.raises(InputError, match=r"silent \(-66 dBFS at its loudest\)"):
        check_not_silent(tone(1.0, amp=0.0007), file="x.wav")
    check_not_silent(tone(1.0, amp=0.01), file="x.wav")  # -43 dBFS: quiet speech passes
    assert loudest_dbfs(tone(1.0, amp=1.0)) == pytest.approx(-3.01, abs=0.01)


def test_chunks_cover_the_recording_and_cut_in_the_quiet(tmp_path: Path) -> None:
    # 25 s of tone with one silent stretch at 8.0-8.6 s: a 10 s chunk with 3 s of
    # search must cut inside that silence, and the chunks must add up exactly.
    x = tone(25.0)
    x[int(8.0 * SR) : int(8.6 * SR)] = 0.0
    path = write_wav(tmp_path / "long.wav", x)
    chunks = list(iter_chunks(path, chunk_s=10.0, search_s=3.0))
    offsets = [off for off, _ in chunks]
    assert offsets[0] == 0.0
    assert 8.0 <= offsets[1] <= 8.6
    whole = np.concatenate([c[0] for _, c in chunks])
    assert whole.size == decode_audio(path).samples.shape[1]
    for (off, c), (nxt, _) in itertools.pairwise(chunks):
        assert off + c.shape[1] / SR == pytest.approx(nxt)


def test_split_quiet_covers_in_memory_audio_exactly() -> None:
    from coachloop.audio.decode import split_quiet

    x = tone(25.0)
    x[int(16.0 * SR) : int(16.5 * SR)] = 0.0
    pieces = list(split_quiet(x, chunk_s=10.0, search_s=3.0))
    assert [round(off, 2) for off, _ in pieces][:1] == [0.0]
    assert any(16.0 <= off <= 16.5 for off, _ in pieces)
    assert np.array_equal(np.concatenate([p for _, p in pieces]), x)


@pytest.mark.parametrize(
    ("name", "keep_channels"),
    [("call.wav", False), ("call.wav", True), ("talk.mp3", False), ("talk.webm", False)],
)
def test_decode_audio_holds_exactly_the_streamed_blocks(
    tmp_path: Path, name: str, keep_channels: bool
) -> None:
    if name == "call.wav":  # 44.1 kHz stereo: resampled and downmixed frame by frame
        left, right = tone(3.0, 220, rate=44_100), tone(3.0, 330, rate=44_100)
        path = write_wav(tmp_path / name, np.stack([left, right]), rate=44_100)
    else:
        codec, rate = {"talk.mp3": ("libmp3lame", 44_100), "talk.webm": ("libopus", 48_000)}[name]
        path = encode(tmp_path / name, tone(3.0, rate=rate), codec, rate)
    decoded = decode_audio(path, keep_channels=keep_channels)
    streamed = np.concatenate(list(iter_blocks(path, keep_channels=keep_channels)), axis=1)
    assert np.array_equal(decoded.samples, streamed)
    assert decoded.samples.dtype == np.float32 and decoded.samples.flags.c_contiguous


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("capacity", [1, 20_000, 10**6])
def test_sample_buffer_grows_and_shrinks_in_place(channels: int, capacity: int) -> None:
    # capacity 1 grows many times (a container that declares no duration), 10**6
    # shrinks at the end (one that declares too much); the channels must not mix
    from coachloop.audio.decode import _Samples

    rng = np.random.default_rng(0)
    sizes = rng.integers(1, 3000, size=40)
    blocks = [rng.standard_normal((channels, int(m))).astype(np.float32) for m in sizes]
    buf = _Samples(channels, capacity)
    for block in blocks:
        buf.append(block)
    out = buf.finish()
    assert np.array_equal(out, np.concatenate(blocks, axis=1))
    assert out.flags.c_contiguous and out.flags.owndata


@pytest.mark.parametrize("keep_channels", [False, True])
def test_a_long_recording_is_held_once(tmp_path: Path, keep_channels: bool) -> None:
    """Ten minutes decode into their own 16 kHz float32 size, not several copies of it."""
    import tracemalloc

    from coachloop.audio.tracks import is_separated_stereo

    rng = np.random.default_rng(0)
    path = write_wav(
        tmp_path / "long.wav", rng.normal(0.0, 0.1, size=(2, 600 * SR)).astype(np.float32)
    )
    tracemalloc.start()
    try:
        decoded = decode_audio(path, keep_channels=keep_channels)
        if keep_channels:
            is_separated_stereo(decoded.samples)
        mono = decoded.mono()
        check_not_silent(mono, file=str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # what must be held: the samples, and for a stereo file the mix as well
    held = decoded.samples.nbytes + (mono.nbytes if keep_channels else 0)
    assert held <= peak < 1.25 * held
