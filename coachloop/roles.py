"""Who is the manager in a transcript: speaker roles from a flag, a roster or a guess.

``assign_roles(meeting, manager=..., roster=...)`` returns a copy of the meeting
with every speaker's :class:`~coachloop.model.Role` set, and says how it decided:

1. ``manager`` given: it must match one speaker - by label (``SPEAKER_00``, ``A``,
   ``0``, exactly or ignoring case), by display name (ignoring case and spacing), or
   through the roster (a name or email there that names a speaker). No match is an
   error, never a guess.
2. a roster given: a speaker whose roster row names another speaker's email as
   ``manager_email`` is managed by that speaker; otherwise the one speaker whose
   roster role is ``manager``.
3. otherwise the manager is *inferred*: the named speaker who asks the most questions
   (utterances containing ``?``); a tie goes to whoever spoke first. ``inferred`` is
   then True and ``reason`` says so - a guess is never presented as a fact.

Every other named speaker is a ``rep``; the ``Unknown`` speaker of exports without
names stays ``other``. With no named speaker at all, ``manager_label`` is None.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, replace
from pathlib import Path

from coachloop.errors import InputError, RoleError
from coachloop.model import Meeting, Role, Speaker
from coachloop.readers._common import UNKNOWN_SPEAKER
from coachloop.readers.decoding import decode

__all__ = ["RoleAssignment", "Roster", "RosterEntry", "assign_roles", "load_roster"]

_REQUIRED = ("name", "email", "role", "manager_email")
_ROSTER_ROLES = {"manager": Role.MANAGER, "rep": Role.REP, "other": Role.OTHER}


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class RosterEntry:
    name: str
    email: str
    role: Role
    manager_email: str | None = None
    team: str | None = None
    cohort: str | None = None


@dataclass(frozen=True, slots=True)
class Roster:
    """People by name and email (matching ignores case and extra spaces)."""

    entries: tuple[RosterEntry, ...]

    def find(self, name_or_email: str) -> RosterEntry | None:
        key = _key(name_or_email)
        for entry in self.entries:
            if key in (_key(entry.name), _key(entry.email)):
                return entry
        return None


def load_roster(path: str | os.PathLike[str]) -> Roster:
    """Read a roster CSV with columns ``name,email,role,manager_email[,team,cohort]``."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such roster file", file=file, hint="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read the roster: {exc.strerror}", file=file) from None
    text, _ = decode(raw, file=file)  # the same encodings as transcripts (BOM, UTF-16, cp1252)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"roster header lacks {', '.join(missing)}",
            file=file,
            line=1,
            hint="the first line must be name,email,role,manager_email[,team,cohort]",
        )
    reader.fieldnames = header
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        name, email = values.get("name", ""), values.get("email", "")
        if not name or not email:
            raise InputError(
                "a roster row needs a name and an email",
                file=file,
                line=line,
                hint="fill in both columns or delete the row",
            )
        role = _ROSTER_ROLES.get(values.get("role", "").lower())
        if role is None:
            raise InputError(
                f"role must be manager, rep or other, got {values.get('role', '')!r}",
                file=file,
                line=line,
                hint="fix the role column",
            )
        if _key(email) in seen:
            raise InputError(
                f"email {email!r} is already on line {seen[_key(email)]}",
                file=file,
                line=line,
                hint="each person appears once",
            )
        seen[_key(email)] = line
        entries.append(
            RosterEntry(
                name=name,
                email=email,
                role=role,
                manager_email=values.get("manager_email") or None,
                team=values.get("team") or None,
                cohort=values.get("cohort") or None,
            )
        )
    return Roster(tuple(entries))


@dataclass(frozen=True, slots=True)
class RoleAssignment:
    meeting: Meeting
    manager_label: str | None
    inferred: bool
    reason: str


def _where(meeting: Meeting) -> str:
    return meeting.utterances[0].source.file or meeting.title or meeting.id[:12]


def _match_manager(
    meeting: Meeting, manager: str, entries: dict[str, RosterEntry], roster: Roster | None
) -> str:
    speakers = meeting.speakers
    for spk in speakers:
        if spk.label == manager:
            return spk.label
    key = _key(manager)
    for how in (
        lambda s: _key(s.label) == key,
        lambda s: _key(s.display) == key,
        lambda s: s.email is not None and _key(s.email) == key,
    ):
        found = [s.label for s in speakers if how(s)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise RoleError(
                f"{_where(meeting)}: --manager {manager!r} matches several speakers: {', '.join(found)}",
                hint="pass the exact speaker label",
            )
    entry = roster.find(manager) if roster is not None else None
    if entry is not None:
        found = [label for label, e in entries.items() if e == entry]
        if len(found) == 1:
            return found[0]
    labels = ", ".join(s.label for s in speakers)
    raise RoleError(
        f"{_where(meeting)}: no speaker matches --manager {manager!r}; the speakers are {labels}",
        hint="pass one of those labels or names",
    )


def _from_roster(meeting: Meeting, entries: dict[str, RosterEntry]) -> tuple[str, str] | None:
    by_email = {_key(e.email): label for label, e in entries.items()}
    for label, entry in entries.items():
        boss = by_email.get(_key(entry.manager_email or ""))
        if boss is not None and boss != label:
            return boss, f"roster: {entries[boss].name} is {entry.name}'s manager"
    managers = [label for label, e in entries.items() if e.role is Role.MANAGER]
    if len(managers) == 1:
        return managers[0], f"roster: {entries[managers[0]].name} is the only manager speaking"
    return None


def _infer(meeting: Meeting) -> tuple[str | None, str]:
    named = [s.label for s in meeting.speakers if s.label != UNKNOWN_SPEAKER]
    if not named:
        return None, "no speaker names in this transcript; every speaker's role is 'other'"
    if len(named) == 1:
        return named[0], f"inferred: {meeting.speaker(named[0]).display} is the only named speaker"
    questions = dict.fromkeys(named, 0)
    for utt in meeting.utterances:
        if utt.speaker in questions and "?" in utt.text:
            questions[utt.speaker] += 1
    # meeting.speakers is in order of first appearance, so max() keeps the earliest on a tie
    best = max(named, key=lambda label: questions[label])
    others = ", ".join(
        f"{meeting.speaker(label).display} {questions[label]}" for label in named if label != best
    )
    tie = sum(1 for label in named if questions[label] == questions[best]) > 1
    why = "spoke first among those asking the most questions" if tie else "asked the most questions"
    return best, (
        f"inferred: {meeting.speaker(best).display} {why} "
        f"({questions[best]}; {others}); pass --manager to be sure"
    )


def assign_roles(
    meeting: Meeting, *, manager: str | None = None, roster: Roster | None = None
) -> RoleAssignment:
    """Set every speaker's role; see the module docstring for the rules."""
    entries: dict[str, RosterEntry] = {}
    speakers: list[Speaker] = list(meeting.speakers)
    if roster is not None:
        for i, spk in enumerate(speakers):
            entry = roster.find(spk.display) or roster.find(spk.label)
            if entry is not None:
                entries[spk.label] = entry
                speakers[i] = replace(spk, name=spk.name or entry.name, email=entry.email)
        meeting = meeting.with_speakers(speakers)
    inferred = False
    if manager is not None and manager.strip():
        label: str | None = _match_manager(meeting, manager.strip(), entries, roster)
        reason = f"--manager {manager.strip()!r} is speaker {label!r}"
    else:
        found = _from_roster(meeting, entries) if entries else None
        if found is not None:
            label, reason = found
        else:
            label, reason = _infer(meeting)
            inferred = label is not None
            if roster is not None:
                reason += " (the roster names no manager among the speakers)"
    roles = {
        s.label: (
            Role.MANAGER
            if s.label == label
            else Role.OTHER
            if s.label == UNKNOWN_SPEAKER
            else Role.REP
        )
        for s in meeting.speakers
    }
    return RoleAssignment(
        meeting=meeting.with_roles(roles), manager_label=label, inferred=inferred, reason=reason
    )
