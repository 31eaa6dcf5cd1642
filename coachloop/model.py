"""The one conversation model every part of coachloop reads.

A :class:`Meeting` is a recorded 1:1 (or a practice session): its speakers and its
utterances in input order. Readers build it, the tagger and signals read it, the
workspace stores it. Objects are immutable and validated when built, so code
downstream never has to ask whether a time can be negative or a speaker unknown.

Field meanings
--------------
Meeting.id            stable id: the SHA-256 of the source bytes unless the caller gives one
Meeting.title         the title the export carries, else the file stem
Meeting.started_at    wall-clock start (timezone-aware) when the export says it, else None
Meeting.duration      seconds from 0 to the last utterance end (or start) — computed
Meeting.source_format reader name, e.g. ``"zoom-vtt"``
Meeting.speakers      one :class:`Speaker` per distinct label, in order of first appearance
Meeting.utterances    one :class:`Utterance` per cue/segment/line, in input order
Meeting.meta          free-form extension data (JSON-serialisable), never read by core code

Utterance.index       0-based position in input order (== position in Meeting.utterances)
Utterance.speaker     the speaker's label, a key of Meeting.speakers (``Speaker.label``)
Utterance.start/end   seconds from the start of the recording; end is None when unknown
Utterance.words       word timings when the export has them (WhisperX, AssemblyAI, Deepgram)
Utterance.source      where in the file it came from (file, line, cue id)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from coachloop.errors import ModelError


class Role(StrEnum):
    MANAGER = "manager"
    REP = "rep"
    OTHER = "other"


def _check_time(value: float | None, what: str, where: str) -> None:
    if value is None:
        return
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ModelError(f"{where}: {what} must be a number of seconds, got {value!r}")
    if math.isnan(value) or math.isinf(value):
        raise ModelError(f"{where}: {what} must be a finite number of seconds, got {value!r}")
    if value < 0:
        raise ModelError(f"{where}: {what} is negative ({value}); times count from 0")


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where an utterance came from: the file and the 1-based line and/or cue id."""

    file: str | None = None
    line: int | None = None
    cue: str | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.cue is not None:
            parts.append(f"cue {self.cue}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Word:
    """One timed word of an ASR export."""

    text: str
    start: float
    end: float
    confidence: float | None = None

    def __post_init__(self) -> None:
        where = f"word {self.text!r}"
        _check_time(self.start, "start", where)
        _check_time(self.end, "end", where)
        if self.end < self.start:
            raise ModelError(f"{where}: end {self.end} is before start {self.start}")


@dataclass(frozen=True, slots=True)
class Speaker:
    """A participant. ``label`` is what the export calls them (a name or SPEAKER_00)."""

    label: str
    name: str | None = None
    role: Role = Role.OTHER
    email: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label.strip():
            raise ModelError("a speaker needs a non-empty label")
        if not isinstance(self.role, Role):
            try:
                object.__setattr__(self, "role", Role(self.role))
            except ValueError:
                raise ModelError(
                    f"speaker {self.label!r}: role must be one of manager, rep, other; got {self.role!r}"
                ) from None

    @property
    def display(self) -> str:
        return self.name or self.label


@dataclass(frozen=True, slots=True)
class Utterance:
    index: int
    speaker: str
    start: float
    text: str
    end: float | None = None
    words: tuple[Word, ...] = ()
    source: SourceLocation = field(default_factory=SourceLocation)

    def __post_init__(self) -> None:
        where = f"utterance {self.index}" + (f" ({self.source})" if self.source.file else "")
        if not isinstance(self.index, int) or self.index < 0:
            raise ModelError(f"{where}: index must be a non-negative integer")
        if not isinstance(self.speaker, str) or not self.speaker.strip():
            raise ModelError(f"{where}: speaker label is empty")
        _check_time(self.start, "start", where)
        _check_time(self.end, "end", where)
        if self.end is not None and self.end < self.start:
            raise ModelError(f"{where}: end {self.end} is before start {self.start}")
        if not isinstance(self.text, str) or not self.text.strip():
            raise ModelError(f"{where}: text is empty")
        if "\x00" in self.text:
            raise ModelError(f"{where}: text contains a NUL byte")
        if not isinstance(self.words, tuple):
            object.__setattr__(self, "words", tuple(self.words))

    @property
    def duration(self) -> float:
        """Speaking time in seconds (0 when the end is unknown)."""
        return 0.0 if self.end is None else self.end - self.start

    @property
    def n_words(self) -> int:
        return len(self.words) if self.words else len(self.text.split())


@dataclass(frozen=True, slots=True)
class Meeting:
    id: str
    utterances: tuple[Utterance, ...]
    speakers: tuple[Speaker, ...] = ()
    title: str | None = None
    started_at: datetime | None = None
    source_format: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ModelError("a meeting needs a non-empty id")
        utts = tuple(self.utterances)
        object.__setattr__(self, "utterances", utts)
        if not utts:
            raise ModelError(f"meeting {self.id[:12]}: no utterances")
        for i, utt in enumerate(utts):
            if utt.index != i:
                raise ModelError(
                    f"meeting {self.id[:12]}: utterance at position {i} has index {utt.index}; "
                    "indexes must count 0, 1, 2… in input order"
                )
        speakers = tuple(self.speakers)
        labels = [s.label for s in speakers]
        if len(set(labels)) != len(labels):
            raise ModelError(f"meeting {self.id[:12]}: duplicate speaker labels {labels}")
        known = set(labels)
        missing: list[str] = []
        for utt in utts:
            if utt.speaker not in known:
                known.add(utt.speaker)
                missing.append(utt.speaker)
        # Speakers not declared explicitly are added in order of first appearance.
        object.__setattr__(self, "speakers", speakers + tuple(Speaker(label=m) for m in missing))
        if self.started_at is not None and self.started_at.tzinfo is None:
            raise ModelError(
                f"meeting {self.id[:12]}: started_at must be timezone-aware (got {self.started_at})"
            )
        object.__setattr__(self, "meta", dict(self.meta))

    # -- derived views -----------------------------------------------------------------
    @property
    def duration(self) -> float:
        return max((u.end if u.end is not None else u.start) for u in self.utterances)

    def speaker(self, label: str) -> Speaker:
        for spk in self.speakers:
            if spk.label == label:
                return spk
        raise KeyError(label)

    def role_of(self, label: str) -> Role:
        return self.speaker(label).role

    def labels_with_role(self, role: Role) -> list[str]:
        return [s.label for s in self.speakers if s.role is role]

    @property
    def manager(self) -> Speaker | None:
        found = [s for s in self.speakers if s.role is Role.MANAGER]
        return found[0] if found else None

    def talk_time(self) -> dict[str, float]:
        """Seconds of speech per speaker label (utterances without an end count 0)."""
        out = {s.label: 0.0 for s in self.speakers}
        for utt in self.utterances:
            out[utt.speaker] += utt.duration
        return out

    # -- copies --------------------------------------------------------------------------
    def with_roles(self, roles: Mapping[str, Role | str]) -> Meeting:
        """A copy with roles set for the given labels (others keep theirs)."""
        unknown = set(roles) - {s.label for s in self.speakers}
        if unknown:
            raise ModelError(f"meeting {self.id[:12]}: no speaker labelled {sorted(unknown)}")
        speakers = tuple(
            replace(s, role=Role(roles[s.label])) if s.label in roles else s for s in self.speakers
        )
        return replace(self, speakers=speakers)

    def with_speakers(self, speakers: Iterable[Speaker]) -> Meeting:
        return replace(self, speakers=tuple(speakers))

    def with_meta(self, **meta: Any) -> Meeting:
        return replace(self, meta={**self.meta, **meta})


def build_meeting(
    *,
    id: str,
    rows: Sequence[Mapping[str, Any]],
    speakers: Sequence[Speaker] = (),
    title: str | None = None,
    started_at: datetime | None = None,
    source_format: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> Meeting:
    """Build a meeting from plain rows (speaker, start, end, text[, words, source]).

    Indexes are assigned in row order. Convenient for tests, the simulator and the
    practice engine.
    """
    utts = tuple(
        Utterance(
            index=i,
            speaker=str(r["speaker"]),
            start=float(r["start"]),
            end=None if r.get("end") is None else float(r["end"]),
            text=str(r["text"]),
            words=tuple(r.get("words", ())),
            source=r.get("source", SourceLocation()),
        )
        for i, r in enumerate(rows)
    )
    return Meeting(
        id=id,
        utterances=utts,
        speakers=tuple(speakers),
        title=title,
        started_at=started_at,
        source_format=source_format,
        meta=meta or {},
    )
