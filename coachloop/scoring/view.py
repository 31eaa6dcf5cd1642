"""The analysed meeting every scoring component reads: roles, timing, acts, topics.

:func:`analyse` runs the tagger once per meeting and precomputes what many signals
share (who is the manager, estimated utterance ends, question sets), so components
stay small and each meeting is tagged exactly once.

The tagger (``coachloop.acts``) gives acts per utterance, the skill topics an
utterance is about (``topics_of``, vocabulary ``coachloop.acts.TOPICS``) and whether
feedback is vague (``is_vague_feedback``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from coachloop.acts import is_vague_feedback, tag_meeting, topics_of
from coachloop.errors import ModelError, RoleError
from coachloop.model import Meeting, Role, Utterance

QUESTION_ACTS = frozenset({"question", "open_question", "closed_question", "leading_question"})


class LazyTopics(Sequence[frozenset[str]]):
    """Topics per utterance, computed on first access: most utterances never need them,
    and topic matching costs about a fifth of a meeting's scoring time."""

    __slots__ = ("_cache", "_texts")

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._cache: dict[int, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, i: int) -> frozenset[str]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[frozenset[str]]: ...
    def __getitem__(self, i: int | slice) -> frozenset[str] | Sequence[frozenset[str]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        found = self._cache.get(i)
        if found is None:
            found = self._cache[i] = topics_of(self._texts[i])
        return found


@dataclass(frozen=True, slots=True)
class MeetingView:
    """A meeting plus everything the components read, computed once."""

    meeting: Meeting
    manager: str
    manager_labels: frozenset[str]
    rep_labels: frozenset[str]
    acts: tuple[frozenset[str], ...]
    #: skill topics per utterance (``coachloop.acts.topics_of``), computed on demand
    topics: Sequence[frozenset[str]]
    vague: tuple[bool, ...]
    #: utterance ends: real where known, else estimated (start + words / speech rate,
    #: capped at the next utterance's start)
    ends: tuple[float, ...]
    #: True where the export gave a real end
    has_end: tuple[bool, ...]
    duration: float
    #: utterance indexes of the manager and of the rep, in order
    manager_indexes: tuple[int, ...] = ()
    rep_indexes: tuple[int, ...] = ()

    @property
    def utterances(self) -> tuple[Utterance, ...]:
        return self.meeting.utterances

    def labels(self, who: str) -> frozenset[str]:
        """``"manager"`` or ``"rep"`` -> the speaker labels in that party."""
        return self.manager_labels if who == "manager" else self.rep_labels

    def other(self, who: str) -> str:
        return "rep" if who == "manager" else "manager"

    def indexes_of(self, who: str) -> tuple[int, ...]:
        return self.manager_indexes if who == "manager" else self.rep_indexes

    def is_question(self, i: int) -> bool:
        return bool(self.acts[i] & QUESTION_ACTS)


def manager_label(meeting: Meeting) -> str:
    """The one speaker with the manager role, or RoleError saying how to set it."""
    managers = meeting.labels_with_role(Role.MANAGER)
    if not managers:
        raise RoleError(
            f"meeting {meeting.title or meeting.id[:12]}: no speaker has the manager role",
            hint="name the manager (coachloop score --manager NAME or --roster FILE), "
            "or set roles with coachloop.roles.assign_roles",
        )
    if len(managers) > 1:
        raise RoleError(
            f"meeting {meeting.title or meeting.id[:12]}: {len(managers)} speakers have the "
            f"manager role ({', '.join(managers)})",
            hint="a 1:1 is scored for one manager; give only one the manager role",
        )
    return managers[0]


def analyse(
    meeting: Meeting,
    *,
    words_per_second: float = 2.5,
    acts: Sequence[frozenset[str]] | None = None,
) -> MeetingView:
    """Tag ``meeting`` once and precompute roles and timing for the components.

    ``acts`` lets a caller that already tagged the meeting (the practice engine) pass
    them in instead of tagging again.
    """
    manager = manager_label(meeting)
    utts = meeting.utterances
    if acts is None:
        acts = tag_meeting(meeting)
    if len(acts) != len(utts):
        raise ModelError(
            f"meeting {meeting.id[:12]}: the tagger returned {len(acts)} act sets "
            f"for {len(utts)} utterances"
        )
    reps = frozenset(meeting.labels_with_role(Role.REP))
    if not reps:
        reps = frozenset(s.label for s in meeting.speakers if s.label != manager)

    topics = LazyTopics([u.text for u in utts])
    vague = tuple(
        "feedback" in a and is_vague_feedback(u.text, a) for u, a in zip(utts, acts, strict=True)
    )

    ends: list[float] = []
    n = len(utts)
    for i, u in enumerate(utts):
        if u.end is not None:
            ends.append(u.end)
            continue
        est = u.start + u.n_words / words_per_second
        if i + 1 < n and utts[i + 1].start > u.start:
            est = min(est, utts[i + 1].start)
        ends.append(est)
    return MeetingView(
        meeting=meeting,
        manager=manager,
        manager_labels=frozenset({manager}),
        rep_labels=reps,
        acts=tuple(acts),
        topics=topics,
        vague=vague,
        ends=tuple(ends),
        has_end=tuple(u.end is not None for u in utts),
        duration=max(max(ends), meeting.duration),
        manager_indexes=tuple(u.index for u in utts if u.speaker == manager),
        rep_indexes=tuple(u.index for u in utts if u.speaker in reps),
    )
