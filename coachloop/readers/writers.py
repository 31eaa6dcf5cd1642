"""Writers: a :class:`~coachloop.model.Meeting` out as a vendor export, the inverse of the readers.

``write_transcript(meeting, format)`` returns the file text in the layout the vendor
exports (see docs/formats.md). The simulator uses it to make realistic inputs and
the audio pipeline to write WebVTT and WhisperX JSON; the round-trip tests read
every output back.

What each format cannot carry is lost on the way out, never invented:

* no end times (``google-meet``, ``otter``, ``text``): ends are dropped; times are
  written in whole seconds (rounded down).
* no speakers (``vtt``, ``whisper``): speakers are dropped.
* diarisation labels (``whisperx`` ``SPEAKER_00``, ``assemblyai`` ``A``, ``deepgram`` ``0``):
  labels already in that shape are kept, otherwise speakers are numbered in order of
  first appearance.
* word timings are written only where the meeting has them.

Cue formats need an end; an utterance without one is given
``start + max(0.5, 0.35 s x words)``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from coachloop.errors import FormatError
from coachloop.model import Meeting, Utterance, Word
from coachloop.readers._common import UNKNOWN_SPEAKER, clock

__all__ = ["WRITERS", "write_transcript"]

_NAME_OK = re.compile(r"^[^:<>\[\]{}\r\n]{1,80}$")
_WHISPERX_LABEL = re.compile(r"^SPEAKER_\d+$")
_LETTER = re.compile(r"^[A-Z]{1,2}$")


def _end(utt: Utterance) -> float:
    return utt.end if utt.end is not None else utt.start + max(0.5, 0.35 * utt.n_words)


def _line(text: str) -> str:
    return " ".join(text.split())


def _name(meeting: Meeting, utt: Utterance, fmt: str) -> str:
    name = meeting.speaker(utt.speaker).display.strip()
    if not _NAME_OK.match(name) or name != " ".join(name.split()):
        raise FormatError(
            f"cannot write speaker {name!r} as {fmt}: a name there cannot contain "
            "':' '<' '>' '[' ']' '{' '}', line breaks or doubled spaces",
            hint="give the speaker a plain display name",
        )
    return name


def _has_speakers(meeting: Meeting) -> bool:
    return any(s.label != UNKNOWN_SPEAKER for s in meeting.speakers)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _zoom(meeting: Meeting) -> str:
    out = ["WEBVTT", ""]
    for u in meeting.utterances:
        out += [
            str(u.index + 1),
            f"{clock(u.start)} --> {clock(_end(u))}",
            f"{_name(meeting, u, 'zoom-vtt')}: {_vtt_escape(_line(u.text))}",
            "",
        ]
    return "\n".join(out) + "\n"


def _teams(meeting: Meeting) -> str:
    guid = (
        str(uuid.UUID(hex=(meeting.id + "0" * 32)[:32]))
        if _is_hex(meeting.id)
        else str(uuid.uuid5(uuid.NAMESPACE_URL, meeting.id))
    )
    out = ["WEBVTT", ""]
    for u in meeting.utterances:
        name = _name(meeting, u, "teams-vtt")
        out += [
            f"{guid}/{u.index + 1}-0",
            f"{clock(u.start)} --> {clock(_end(u))}",
            f"<v {name}>{_vtt_escape(_line(u.text))}</v>",
            "",
        ]
    return "\n".join(out) + "\n"


def _is_hex(text: str) -> bool:
    return len(text) >= 32 and all(c in "0123456789abcdef" for c in text[:32])


def _vtt(meeting: Meeting) -> str:
    out = ["WEBVTT", ""]
    for u in meeting.utterances:
        out += [f"{clock(u.start)} --> {clock(_end(u))}", _vtt_escape(_line(u.text)), ""]
    return "\n".join(out) + "\n"


def _srt(meeting: Meeting) -> str:
    named = _has_speakers(meeting)
    out = []
    for u in meeting.utterances:
        text = _line(u.text)
        if named:
            text = f"{_name(meeting, u, 'srt')}: {text}"
        out += [
            str(u.index + 1),
            f"{clock(u.start, sep=',')} --> {clock(_end(u), sep=',')}",
            text,
            "",
        ]
    return "\n".join(out) + "\n"


def _hms(seconds: float) -> str:
    return clock(seconds, digits=0)


def _short(seconds: float) -> str:
    """Otter's ``M:SS`` / ``H:MM:SS``."""
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _gmt(when: datetime) -> str:
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "GMT"
    sign = "+" if minutes > 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"GMT{sign}{h}" + (f":{m:02d}" if m else "")


def _meet(meeting: Meeting) -> str:
    title = _line(meeting.title or "Meeting")
    if meeting.started_at is not None:
        title += f" ({meeting.started_at.strftime('%Y-%m-%d %H:%M')} {_gmt(meeting.started_at)})"
    names = [s.display for s in meeting.speakers if s.label != UNKNOWN_SPEAKER]
    out = [f"{title} - Transcript", "Attendees", ", ".join(names), "Transcript"]
    stamp = -1
    for u in meeting.utterances:
        second = int(u.start)
        if second != stamp:
            out += ["", _hms(second)]
            stamp = second
        out.append(f"{_name(meeting, u, 'google-meet')}: {_line(u.text)}")
    return "\n".join(out) + "\n"


def _otter(meeting: Meeting) -> str:
    out = []
    for u in meeting.utterances:
        out += [f"{_name(meeting, u, 'otter')}  {_short(u.start)}", _line(u.text), ""]
    return "\n".join(out) + "\n"


def _text(meeting: Meeting) -> str:
    return "".join(
        f"[{_hms(int(u.start))}] {_name(meeting, u, 'text')}: {_line(u.text)}\n"
        for u in meeting.utterances
    )


def _relabel(
    meeting: Meeting, keep: Callable[[str], bool], make: Callable[[int], Any]
) -> dict[str, Any]:
    labels = [s.label for s in meeting.speakers if s.label != UNKNOWN_SPEAKER]
    if labels and all(keep(lab) for lab in labels):
        return {lab: lab for lab in labels}
    return {lab: make(i) for i, lab in enumerate(labels)}


def _r(x: float) -> float:
    return round(x, 3)


def _whisper_words(
    words: tuple[Word, ...], conf_key: str, speaker: str | None
) -> list[dict[str, Any]]:
    out = []
    for w in words:
        item: dict[str, Any] = {"word": w.text, "start": _r(w.start), "end": _r(w.end)}
        if w.confidence is not None:
            item[conf_key] = w.confidence
        if speaker is not None:
            item["speaker"] = speaker
        out.append(item)
    return out


def _whisper(meeting: Meeting) -> str:
    segments = []
    for u in meeting.utterances:
        seg: dict[str, Any] = {
            "id": u.index,
            "seek": 0,
            "start": _r(u.start),
            "end": _r(_end(u)),
            "text": " " + _line(u.text),
        }
        if u.words:
            seg["words"] = [
                {**w, "word": " " + w["word"]} for w in _whisper_words(u.words, "probability", None)
            ]
        segments.append(seg)
    doc = {
        "text": "".join(s["text"] for s in segments),
        "segments": segments,
        "language": meeting.meta.get("language", "en"),
    }
    return json.dumps(doc, ensure_ascii=False) + "\n"


def _whisperx(meeting: Meeting) -> str:
    names = _relabel(
        meeting, lambda lab: _WHISPERX_LABEL.match(lab) is not None, lambda i: f"SPEAKER_{i:02d}"
    )
    segments = []
    word_segments: list[dict[str, Any]] = []
    for u in meeting.utterances:
        label = names.get(u.speaker)
        seg: dict[str, Any] = {
            "start": _r(u.start),
            "end": _r(_end(u)),
            "text": " " + _line(u.text),
        }
        if u.words:
            seg["words"] = _whisper_words(u.words, "score", label)
            word_segments += seg["words"]
        if label is not None:
            seg["speaker"] = label
        segments.append(seg)
    doc = {"segments": segments, "word_segments": word_segments}
    return json.dumps(doc, ensure_ascii=False) + "\n"


def _letters(i: int) -> str:
    return chr(65 + i) if i < 26 else chr(64 + i // 26) + chr(65 + i % 26)


def _ms(x: float) -> int:
    return round(x * 1000)


def _assemblyai(meeting: Meeting) -> str:
    labels = [s.label for s in meeting.speakers]
    names = (
        {lab: lab for lab in labels}
        if all(_LETTER.match(lab) for lab in labels)
        else {lab: _letters(i) for i, lab in enumerate(labels)}
    )
    utterances: list[dict[str, Any]] = []
    all_words: list[dict[str, Any]] = []
    for u in meeting.utterances:
        spk = names[u.speaker]
        words = []
        for w in u.words:
            item: dict[str, Any] = {"text": w.text, "start": _ms(w.start), "end": _ms(w.end)}
            if w.confidence is not None:
                item["confidence"] = w.confidence
            item["speaker"] = spk
            words.append(item)
        all_words += words
        utterances.append(
            {
                "speaker": spk,
                "start": _ms(u.start),
                "end": _ms(_end(u)),
                "text": _line(u.text),
                "words": words,
            }
        )
    doc = {
        "id": meeting.id[:36],
        "status": "completed",
        "language_code": meeting.meta.get("language_code", "en_us"),
        "audio_duration": round(max(_end(u) for u in meeting.utterances)),
        "text": " ".join(x["text"] for x in utterances),
        "words": all_words,
        "utterances": utterances,
    }
    return json.dumps(doc, ensure_ascii=False) + "\n"


def _deepgram(meeting: Meeting) -> str:
    labels = [s.label for s in meeting.speakers]
    names = (
        {lab: int(lab) for lab in labels}
        if all(lab.isdigit() and lab.isascii() for lab in labels)
        else {lab: i for i, lab in enumerate(labels)}
    )
    utterances: list[dict[str, Any]] = []
    channel_words: list[dict[str, Any]] = []
    for u in meeting.utterances:
        spk = names[u.speaker]
        words = []
        for w in u.words:
            item: dict[str, Any] = {
                "word": w.text.lower().strip(".,!?;:\"'"),
                "start": _r(w.start),
                "end": _r(w.end),
            }
            if w.confidence is not None:
                item["confidence"] = w.confidence
            item["speaker"] = spk
            item["punctuated_word"] = w.text
            words.append(item)
        channel_words += words
        utterances.append(
            {
                "start": _r(u.start),
                "end": _r(_end(u)),
                "channel": 0,
                "transcript": _line(u.text),
                "words": words,
                "speaker": spk,
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{meeting.id}/{u.index}")),
            }
        )
    created = meeting.meta.get("deepgram_created")
    doc = {
        "metadata": {
            "request_id": str(uuid.uuid5(uuid.NAMESPACE_URL, meeting.id)),
            "created": created if isinstance(created, str) else "1970-01-01T00:00:00.000Z",
            "duration": _r(max(_end(u) for u in meeting.utterances)),
            "channels": 1,
        },
        "results": {
            "channels": [
                {
                    "alternatives": [
                        {
                            "transcript": " ".join(x["transcript"] for x in utterances),
                            "words": channel_words,
                        }
                    ]
                }
            ],
            "utterances": utterances,
        },
    }
    return json.dumps(doc, ensure_ascii=False) + "\n"


#: One writer per reader name in :data:`coachloop.readers.FORMATS`.
WRITERS: dict[str, Callable[[Meeting], str]] = {
    "zoom-vtt": _zoom,
    "teams-vtt": _teams,
    "vtt": _vtt,
    "srt": _srt,
    "google-meet": _meet,
    "otter": _otter,
    "text": _text,
    "whisper": _whisper,
    "whisperx": _whisperx,
    "assemblyai": _assemblyai,
    "deepgram": _deepgram,
}


def write_transcript(meeting: Meeting, format: str) -> str:
    """``meeting`` as the text of a ``format`` export (one of ``coachloop.readers.FORMATS``)."""
    writer = WRITERS.get(format)
    if writer is None:
        raise FormatError(
            f"no writer for format {format!r}", hint="use one of: " + ", ".join(WRITERS)
        )
    return writer(meeting)
