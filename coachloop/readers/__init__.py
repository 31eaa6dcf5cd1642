"""Transcript readers: one exported 1:1 in, one :class:`~coachloop.model.Meeting` out.

The format is recognised from the content (``detect_format``); ``format=`` forces
one. Every reader keeps one utterance per cue/segment/line in input order, keeps
overlapping times exactly as exported, and raises only
:class:`~coachloop.errors.InputError` subclasses, naming the file and the place.
See docs/formats.md for every format with a sample, and
:mod:`coachloop.readers.writers` for the inverse.

Size policy: a file larger than :data:`MAX_INPUT_BYTES` (64 MiB, or
``COACHLOOP_MAX_INPUT_MB`` from the environment) is refused before it is read -
an hour-long 1:1 exports to well under 1 MB, so anything that large is not a
single transcript.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from coachloop.audio import AUDIO_EXTENSIONS
from coachloop.audio.output import audio_meta_from_text
from coachloop.errors import ConfigError, FormatError, InputError
from coachloop.model import Meeting
from coachloop.readers import asr_json, cues, plaintext
from coachloop.readers._common import UNKNOWN_SPEAKER, sha256_hex
from coachloop.readers.decoding import decode

__all__ = [
    "FORMATS",
    "MAX_INPUT_BYTES",
    "UNKNOWN_SPEAKER",
    "detect_format",
    "read_bytes",
    "read_text",
    "read_transcript",
]

#: Reader names, also the values of ``--input-format`` and ``Meeting.source_format``.
FORMATS: tuple[str, ...] = (
    "zoom-vtt",
    "teams-vtt",
    "vtt",
    "srt",
    "google-meet",
    "otter",
    "text",
    "whisper",
    "whisperx",
    "assemblyai",
    "deepgram",
)

#: Largest file read, in bytes (tests monkeypatch this; users set COACHLOOP_MAX_INPUT_MB).
MAX_INPUT_BYTES = 64 * 1024 * 1024
_JSON_FORMATS = frozenset({"whisper", "whisperx", "assemblyai", "deepgram"})
_FORMAT_HINT = "force one with --input-format (" + ", ".join(FORMATS) + ")"


def max_input_bytes() -> int:
    raw = os.environ.get("COACHLOOP_MAX_INPUT_MB")
    if raw is None or not raw.strip():
        return MAX_INPUT_BYTES
    try:
        mb = float(raw)
    except ValueError:
        mb = -1.0
    if not mb > 0:
        raise ConfigError(
            f"COACHLOOP_MAX_INPUT_MB must be a positive number of megabytes, got {raw!r}",
            hint="unset it to use the default of 64",
        )
    return int(mb * 1024 * 1024)


def _check_size(size: int, file: str) -> None:
    limit = max_input_bytes()
    if size > limit:
        raise InputError(
            f"the file is {size / 1048576:.1f} MB, over the {limit / 1048576:.1f} MB limit for one transcript",
            file=file,
            hint="an hour-long 1:1 exports to well under 1 MB; check it is one transcript, "
            "or raise the limit with COACHLOOP_MAX_INPUT_MB",
        )


def _check_format(format: str, file: str) -> None:
    if format not in FORMATS:
        raise FormatError(
            f"unknown format {format!r}", file=file, hint="use one of: " + ", ".join(FORMATS)
        )


def _sniff(text: str, file: str) -> tuple[str, Any]:
    """The format of ``text`` and, for JSON and WebVTT, what was parsed to tell."""
    head = text[:4096].lstrip().lstrip("\ufeff").lstrip()
    if not head:
        raise InputError("the file is empty", file=file, hint="export the transcript again")
    if head[0] == "{" or (head[0] == "[" and head[1:].lstrip()[:1] in ("{", "]", "")):
        data = asr_json.load_json(text, file)
        fam = asr_json.classify_json(data)
        if fam is None:
            raise FormatError(
                "JSON, but not a transcript export coachloop knows",
                file=file,
                hint="supported JSON exports: Whisper, WhisperX, AssemblyAI, Deepgram",
            )
        return fam, data
    if head.startswith("WEBVTT"):
        parsed = cues.parse_vtt_cues(text, file)
        return cues.classify_vtt(parsed), parsed
    lines = cues.split_lines(head)
    firsts = [s.strip() for s in lines if s.strip()][:2]
    if cues.SRT_TIMING.match(firsts[0]) or (
        len(firsts) > 1 and firsts[0].isdigit() and cues.SRT_TIMING.match(firsts[1])
    ):
        return "srt", None
    lines = cues.split_lines(text[:65536])
    if plaintext.looks_like_meet(lines):
        return "google-meet", None
    if plaintext.looks_like_otter(lines):
        return "otter", None
    if plaintext.looks_like_text(lines):
        return "text", None
    raise FormatError("cannot tell the transcript format", file=file, hint=_FORMAT_HINT)


def detect_format(text: str, *, name: str | None = None) -> str:
    """The reader name for ``text`` (one of :data:`FORMATS`), judged from the content."""
    return _sniff(text, name or "<input>")[0]


def _parse(text: str, *, file: str, format: str | None, id: str) -> Meeting:
    title = Path(file).stem or file
    if format is not None:
        _check_format(format, file)
        if not text.strip():
            raise InputError("the file is empty", file=file, hint="export the transcript again")
        fmt, parsed = format, None
    else:
        fmt, parsed = _sniff(text, file)
    if fmt in _JSON_FORMATS:
        data = parsed if parsed is not None else asr_json.load_json(text, file)
        if fmt == "assemblyai":
            return asr_json.read_assemblyai(data, file=file, id=id, title=title)
        if fmt == "deepgram":
            return asr_json.read_deepgram(data, file=file, id=id, title=title)
        return asr_json.read_whisper(data, file=file, fmt=fmt, id=id, title=title)
    if fmt in ("zoom-vtt", "teams-vtt", "vtt"):
        return cues.read_vtt(text, file=file, fmt=fmt, id=id, title=title, parsed=parsed)
    if fmt == "srt":
        return cues.read_srt(text.lstrip("\ufeff"), file=file, id=id, title=title)
    if fmt == "google-meet":
        return plaintext.read_meet(text.lstrip("\ufeff"), file=file, id=id, title=title)
    if fmt == "otter":
        return plaintext.read_otter(text.lstrip("\ufeff"), file=file, id=id, title=title)
    return plaintext.read_plain(text.lstrip("\ufeff"), file=file, id=id, title=title)


def read_text(text: str, *, name: str, format: str | None = None) -> Meeting:
    """Read a transcript already in memory; ``name`` is used in messages and for the title."""
    _check_size(len(text), name)
    return _parse(
        text, file=name, format=format, id=sha256_hex(text.encode("utf-8", "surrogatepass"))
    )


def read_bytes(
    data: bytes, *, name: str, format: str | None = None, encoding: str | None = None
) -> Meeting:
    """Read a transcript from raw bytes (any of the encodings in :mod:`.decoding`)."""
    _check_size(len(data), name)
    if not data.strip():
        raise InputError("the file is empty", file=name, hint="export the transcript again")
    text, used = decode(data, file=name, encoding=encoding)
    meeting = _parse(text, file=name, format=format, id=sha256_hex(data))
    # Files written by `coachloop transcribe` carry diarisation flags; keep them.
    extra = audio_meta_from_text(text)
    if extra:
        meeting = meeting.with_meta(**extra)
    return meeting if used == "utf-8" else meeting.with_meta(encoding=used)


def read_transcript(
    path: str | os.PathLike[str], *, format: str | None = None, encoding: str | None = None
) -> Meeting:
    """Read one transcript file. The meeting id is the SHA-256 of the file's bytes."""
    p = Path(path)
    file = str(path)
    if format is None and p.suffix.lower() in AUDIO_EXTENSIONS:
        # A recording, not a transcript: transcribe it (needs the `audio` extra).
        from coachloop.audio import read_audio

        return read_audio(p)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", file=file, hint="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=file) from None
    if p.is_dir():
        raise InputError(
            "is a directory, not a transcript file",
            file=file,
            hint="pass the files inside it, e.g. DIR/*.vtt",
        )
    _check_size(size, file)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=file) from None
    return read_bytes(data, name=file, format=format, encoding=encoding)
