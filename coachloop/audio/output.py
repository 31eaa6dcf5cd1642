"""Transcripts out: the meeting as WebVTT with speakers or WhisperX JSON, plus how it was made.

The text is the project's own writer output (``coachloop.readers.writers``: ``<v Name>``
WebVTT cues and WhisperX segments with word times), so every reader reads it back.
What the formats have no field for — how speakers were found and which turns are
uncertain — rides along where readers skip it: a ``NOTE coachloop-audio {...}`` block
in the WebVTT and a top-level ``"coachloop_audio"`` object in the JSON.
:func:`audio_meta_from_text` gets it back, so the readers can put it into
``Meeting.meta`` again.
"""

from __future__ import annotations

import json
import re
from typing import Any

from coachloop.model import Meeting

__all__ = ["META_KEYS", "audio_meta", "audio_meta_from_text", "transcript_text"]

#: The ``Meeting.meta`` keys the audio pipeline sets and the transcripts carry.
META_KEYS = (
    "diarisation",
    "low_confidence_utterances",
    "possible_interruptions",
    "speakers_uncertain",
    "voice_separation",
    "overlaps_measured",
    "asr_model",
    "audio_duration_s",
)
_NOTE = re.compile(r"^NOTE coachloop-audio (\{.*\})\s*$", re.MULTILINE)


def audio_meta(meeting: Meeting) -> dict[str, Any]:
    return {k: meeting.meta[k] for k in META_KEYS if k in meeting.meta}


def transcript_text(meeting: Meeting, fmt: str) -> str:
    """``"vtt"`` (WebVTT, ``<v Speaker>`` cues) or ``"whisperx"`` (JSON with word times)."""
    from coachloop.readers.writers import write_transcript

    info = audio_meta(meeting)
    if fmt == "vtt":
        text = write_transcript(meeting, "teams-vtt")
        if not info:
            return text
        head, rest = text.split("\n\n", 1)
        note = "NOTE coachloop-audio " + json.dumps(info, ensure_ascii=True)
        return f"{head}\n\n{note}\n\n{rest}"
    if fmt == "whisperx":
        doc = json.loads(write_transcript(meeting, "whisperx"))
        if info:
            doc["coachloop_audio"] = info
        return json.dumps(doc, ensure_ascii=False) + "\n"
    from coachloop.errors import FormatError

    raise FormatError(f"no audio transcript format {fmt!r}", hint="use vtt or whisperx")


def audio_meta_from_text(text: str) -> dict[str, Any] | None:
    """The audio pipeline's metadata in a transcript :func:`transcript_text` wrote, if any."""
    if "coachloop_audio" not in text and "coachloop-audio" not in text[:8192]:
        return None  # the common case, without parsing anything
    head = text.lstrip("\ufeff")[:1]
    try:
        if head == "{":
            found = json.loads(text).get("coachloop_audio")
        else:
            m = _NOTE.search(text[:8192])
            found = json.loads(m.group(1)) if m else None
    except (ValueError, AttributeError):
        return None
    if not isinstance(found, dict):
        return None
    return {k: found[k] for k in META_KEYS if k in found}
