"""Pieces every reader shares: time parsing, the utterance builder, error helpers.

Readers turn one export into one :class:`~coachloop.model.Meeting`. They keep one
utterance per cue/segment/line in input order; the only thing a reader may leave
out is a cue that carries no text at all, and then it says so in
``meeting.meta["skipped"]`` (the CLI prints a warning for each).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from coachloop.errors import FormatError, ModelError
from coachloop.model import Meeting, SourceLocation, Speaker, Utterance, Word

#: Label for an utterance whose export names no speaker (plain WebVTT, Whisper...).
UNKNOWN_SPEAKER = "Unknown"

_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse runs of whitespace (including line breaks) to one space."""
    return _WS.sub(" ", text).strip()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clock(seconds: float, *, sep: str = ".", digits: int = 3, hours: bool = True) -> str:
    """Format seconds as ``HH:MM:SS.mmm`` (``sep`` and number of decimals adjustable)."""
    if digits:
        scale = 10**digits
        total = round(seconds * scale)
        whole, frac = divmod(total, scale)
    else:
        whole, frac = int(seconds), 0
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    head = f"{h:02d}:{m:02d}:{s:02d}" if hours or h else f"{m:02d}:{s:02d}"
    return f"{head}{sep}{frac:0{digits}d}" if digits else head


class MeetingBuilder:
    """Collects utterances for one file and turns model errors into located format errors."""

    __slots__ = ("file", "fmt", "skipped", "utts")

    def __init__(self, file: str, fmt: str) -> None:
        self.file = file
        self.fmt = fmt
        self.utts: list[Utterance] = []
        self.skipped: list[dict[str, Any]] = []

    def add(
        self,
        speaker: str,
        start: float,
        end: float | None,
        text: str,
        *,
        line: int | None = None,
        cue: str | None = None,
        words: Sequence[Word] = (),
    ) -> None:
        text = text.strip()
        if not text:
            self.skipped.append({"line": line, "cue": cue, "reason": "no text"})
            return
        speaker = speaker.strip() or UNKNOWN_SPEAKER
        if end is not None and end < start:
            raise FormatError(
                f"end {clock(end)} is before start {clock(start)}",
                file=self.file,
                line=line,
                cue=cue,
                hint="fix the times in the file",
            )
        try:
            self.utts.append(
                Utterance(
                    index=len(self.utts),
                    speaker=speaker,
                    start=start,
                    end=end,
                    text=text,
                    words=tuple(words),
                    source=SourceLocation(file=self.file, line=line, cue=cue),
                )
            )
        except ModelError as exc:
            raise FormatError(
                exc.message.split(": ", 1)[-1] if ": " in exc.message else exc.message,
                file=self.file,
                line=line,
                cue=cue,
                hint="fix this entry in the file",
            ) from None

    def build(
        self,
        *,
        id: str,
        title: str | None,
        started_at: datetime | None = None,
        speakers: Sequence[Speaker] = (),
        meta: Mapping[str, Any] | None = None,
    ) -> Meeting:
        if not self.utts:
            what = "only entries without text" if self.skipped else "no utterances"
            raise FormatError(
                f"{what}: nothing to read as {self.fmt}",
                file=self.file,
                hint="check that this is a transcript export and not an empty file",
            )
        full_meta: dict[str, Any] = dict(meta or {})
        if self.skipped:
            full_meta["skipped"] = list(self.skipped)
        try:
            return Meeting(
                id=id,
                utterances=tuple(self.utts),
                speakers=tuple(speakers),
                title=title,
                started_at=started_at,
                source_format=self.fmt,
                meta=full_meta,
            )
        except ModelError as exc:  # pragma: no cover - readers build valid speakers
            raise FormatError(exc.message, file=self.file) from None


def fail(
    message: str,
    file: str,
    *,
    line: int | None = None,
    cue: str | None = None,
    hint: str | None = None,
) -> FormatError:
    """A located :class:`FormatError` (returned so callers can ``raise fail(...)``)."""
    return FormatError(message, file=file, line=line, cue=cue, hint=hint)
