"""Ingestion: transcript files in, stored meetings out.

Flow (docs/workspace.md has the user-facing rules)::

    discover files ─► hash ─► already stored? ─► unchanged
                        │
                        └─► process_file (worker: read, match, consent, roles, tag, score)
                               │  pure: a Job in, an Outcome out — run inline, in a
                               │  process pool (--jobs) or on a Dask cluster (--scheduler)
                               ▼
                        one writer (this process): each meeting in its own transaction

Matching a transcript to its manager and rep, first rule that applies:

1. ``sidecar``  — ``<file>.json`` or ``<stem>.meta.json`` next to the file with
   ``manager_email`` and ``rep_email`` (and optionally ``started_at``, ``title``);
2. ``roster``   — speaker names or e-mails match exactly two people of the roster, one
   the manager of the other on the meeting date (or a manager/director and a rep);
3. ``filename`` — the file name contains the e-mail local parts or name slugs of two
   such people (``2026-11-16_ana-lopez_ben-hart.vtt``).

The start time comes from the transcript, else the sidecar, else a ``YYYY-MM-DD`` in the
file name. A meeting whose manager or rep has ``consent=false`` is skipped before any
tagging or scoring.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from coachloop.audio import has_transcript_beside, is_audio_path
from coachloop.errors import CoachloopError, InputError, WorkspaceError
from coachloop.model import Meeting, Role
from coachloop.workspace.models import ImportLog, MeetingRow, Person, ReportingLine
from coachloop.workspace.store import insert_meeting

if TYPE_CHECKING:
    from coachloop.workspace.core import Workspace

log = logging.getLogger("coachloop.workspace.ingest")

#: Extensions never taken for transcripts when walking folders (named files always are).
SKIP_SUFFIXES = frozenset(
    {
        ".ics",
        ".csv",
        ".toml",
        ".yaml",
        ".yml",
        ".md",
        ".db",
        ".sqlite",
        ".html",
        ".pdf",
        ".png",
        ".jpg",
        ".gz",
        ".zip",
        ".py",
        ".log",
    }
)
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T_ ](\d{2})[-:h]?(\d{2}))?")


# -- the pipeline (what a worker runs) ------------------------------------------------
def default_read(path: str) -> Meeting:
    from coachloop.readers import read_transcript

    return read_transcript(path)


def default_tag(meeting: Meeting) -> list[frozenset[str]]:
    from coachloop.acts import tag_meeting

    return tag_meeting(meeting)


def default_score(meeting: Meeting, acts: Sequence[frozenset[str]]) -> dict[str, Any]:
    from coachloop.scoring import score_meeting

    return score_meeting(meeting, acts=acts).to_dict()


def default_roles(meeting: Meeting, manager_name: str | None) -> Meeting:
    """Roles when roster matching could not tell which speaker is the manager: the
    manager's name if a speaker carries it, else coachloop.roles' inference."""
    from coachloop.errors import RoleError
    from coachloop.roles import assign_roles

    if manager_name:
        try:
            return assign_roles(meeting, manager=manager_name).meeting
        except RoleError:
            pass  # no speaker carries the name (diarized "Speaker 1"): infer instead
    return assign_roles(meeting).meeting


@dataclass(frozen=True)
class Pipeline:
    """The functions a worker applies; module-level callables so they pickle to
    worker processes and Dask workers. Tests substitute cheap doubles."""

    read: Callable[[str], Meeting] = default_read
    tag: Callable[[Meeting], Sequence[frozenset[str]]] = default_tag
    score: Callable[[Meeting, Sequence[frozenset[str]]], dict[str, Any]] = default_score
    roles: Callable[[Meeting, str | None], Meeting] = default_roles


@dataclass(frozen=True)
class RosterPerson:
    email: str
    name: str
    role: str
    consent: bool
    #: (manager e-mail, valid_from, valid_to or None)
    lines: tuple[tuple[str, date, date | None], ...] = ()

    def manager_on(self, day: date | None) -> str | None:
        for boss, start, end in self.lines:
            if day is None:
                if end is None:
                    return boss
            elif start <= day and (end is None or day < end):
                return boss
        return None


@dataclass(frozen=True)
class Job:
    path: str
    digest: str
    roster: Mapping[str, RosterPerson]
    pipeline: Pipeline = field(default_factory=Pipeline)


@dataclass(frozen=True)
class Outcome:
    path: str
    status: str  # ok | skipped | failed
    meeting: Meeting | None = None
    acts: Sequence[frozenset[str]] | None = None
    scorecard: dict[str, Any] | None = None
    manager_email: str | None = None
    rep_email: str | None = None
    matched_by: str | None = None
    reason: str | None = None


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def find_sidecar(path: Path) -> Path | None:
    for candidate in (
        path.with_name(path.name + ".json"),
        path.with_name(path.stem + ".meta.json"),
    ):
        if candidate.is_file() and candidate != path:
            return candidate
    return None


def read_sidecar(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read sidecar: {exc}", file=path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"sidecar is not JSON: {exc.msg}", file=path, line=exc.lineno) from None
    if not isinstance(data, dict):
        raise InputError("sidecar must be a JSON object", file=path)
    return data


def _parse_started(value: Any, where: Path) -> datetime:
    try:
        out = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"started_at {value!r} is not an ISO date-time", file=where) from None
    return out if out.tzinfo is not None else out.replace(tzinfo=UTC)


def _date_from_name(path: Path) -> datetime | None:
    m = DATE_IN_NAME.search(path.name)
    if not m:
        return None
    try:
        day = date.fromisoformat(m.group(1))
    except ValueError:
        return None
    hour, minute = (int(m.group(2)), int(m.group(3))) if m.group(2) else (0, 0)
    if hour > 23 or minute > 59:
        hour, minute = 0, 0
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _pair(
    found: Iterable[RosterPerson], day: date | None
) -> tuple[RosterPerson, RosterPerson] | None:
    """The (manager, rep) among ``found``: one reports to the other on ``day``."""
    people = {p.email: p for p in found}
    pairs = [
        (people[b], p)
        for p in people.values()
        if (b := p.manager_on(day)) is not None and b in people
    ]
    if len(pairs) == 1:
        return pairs[0]
    if len(people) == 2 and not pairs:
        leads = [p for p in people.values() if p.role in ("manager", "director")]
        reps = [p for p in people.values() if p.role == "rep"]
        if len(leads) == 1 and len(reps) == 1:
            return leads[0], reps[0]
    return None


class Roster(dict[str, RosterPerson]):
    """The roster by e-mail, with the slug indexes matching needs built once per process
    (not once per file: slugging a 1,800-person roster for every transcript had cost a
    tenth of the ingest)."""

    _by_name: dict[str, list[RosterPerson]] | None = None
    _file_keys: list[tuple[RosterPerson, tuple[str, ...]]] | None = None
    #: a digest of the people, set by load_roster: a worker that has already unpickled
    #: this roster reuses its copy and indexes (pool.map ships it with every chunk)
    token: str | None = None

    def __reduce__(self) -> Any:  # ship the people, not the indexes
        if self.token is None:
            return (Roster, (dict(self),))
        return (_cached_roster, (self.token, dict(self)))


_ROSTERS: dict[str, Roster] = {}


def _cached_roster(token: str, people: dict[str, RosterPerson]) -> Roster:
    roster = _ROSTERS.get(token)
    if roster is None:
        if len(_ROSTERS) >= 4:  # a long-lived Dask worker sees few rosters; keep it small
            _ROSTERS.clear()
        roster = _ROSTERS[token] = Roster(people)
        roster.token = token
    return roster


def _by_name(roster: Mapping[str, RosterPerson]) -> dict[str, list[RosterPerson]]:
    cached = roster._by_name if isinstance(roster, Roster) else None
    if cached is not None:
        return cached
    by_name: dict[str, list[RosterPerson]] = {}
    for p in roster.values():
        by_name.setdefault(_slug(p.name), []).append(p)
    if isinstance(roster, Roster):
        roster._by_name = by_name
    return by_name


def _file_keys(roster: Mapping[str, RosterPerson]) -> list[tuple[RosterPerson, tuple[str, ...]]]:
    cached = roster._file_keys if isinstance(roster, Roster) else None
    if cached is not None:
        return cached
    keys = [
        (p, tuple(f"-{k}-" for k in {_slug(p.email.split("@", 1)[0]), _slug(p.name)} if k))
        for p in roster.values()
    ]
    if isinstance(roster, Roster):
        roster._file_keys = keys
    return keys


def _match_speakers(
    meeting: Meeting, roster: Mapping[str, RosterPerson]
) -> dict[str, RosterPerson]:
    """speaker label → roster person, by e-mail, then exact name, then label."""
    by_name = _by_name(roster)
    out: dict[str, RosterPerson] = {}
    for spk in meeting.speakers:
        if spk.email and spk.email.lower() in roster:
            out[spk.label] = roster[spk.email.lower()]
            continue
        for key in (spk.name, spk.label):
            if key and len(hit := by_name.get(_slug(key), [])) == 1:
                out[spk.label] = hit[0]
                break
    return out


def _match_filename(
    path: Path, roster: Mapping[str, RosterPerson], day: date | None
) -> tuple[RosterPerson, RosterPerson] | None:
    stem = "-" + _slug(path.stem) + "-"
    found = [p for p, keys in _file_keys(roster) if any(k in stem for k in keys)]
    return _pair(found, day)


def process_file(job: Job) -> Outcome:
    """Read, match, check consent, assign roles, tag and score one file. Pure: no
    database, no global state — the same result inline, in a pool or on Dask."""
    path = Path(job.path)
    try:
        return _process(job, path)
    except CoachloopError as exc:
        return Outcome(job.path, "failed", reason=str(exc))
    except Exception as exc:  # a bug in one component must not stop a batch of thousands
        return Outcome(job.path, "failed", reason=f"internal error: {type(exc).__name__}: {exc}")


def _process(job: Job, path: Path) -> Outcome:
    pipe, roster = job.pipeline, job.roster
    sidecar_path = find_sidecar(path)
    side = read_sidecar(sidecar_path) if sidecar_path else {}
    meeting = pipe.read(job.path)
    if meeting.id != job.digest:
        meeting = Meeting(
            id=job.digest,
            utterances=meeting.utterances,
            speakers=meeting.speakers,
            title=meeting.title,
            started_at=meeting.started_at,
            source_format=meeting.source_format,
            meta=meeting.meta,
        )
    started = meeting.started_at
    if started is None and side.get("started_at"):
        started = _parse_started(side["started_at"], sidecar_path or path)
    if started is None:
        started = _date_from_name(path)
    if started is None:
        raise InputError(
            "no start date in the transcript, a sidecar or the file name",
            file=path,
            hint="add started_at to <file>.json or put YYYY-MM-DD in the name",
        )
    title = side.get("title") or meeting.title
    meeting = Meeting(
        id=meeting.id,
        utterances=meeting.utterances,
        speakers=meeting.speakers,
        title=title,
        started_at=started,
        source_format=meeting.source_format,
        meta=meeting.meta,
    )
    day = started.date()

    speakers = _match_speakers(meeting, roster)
    pair: tuple[RosterPerson, RosterPerson] | None
    if side.get("manager_email") or side.get("rep_email"):
        emails = []
        for key in ("manager_email", "rep_email"):
            email = str(side.get(key) or "").strip().lower()
            if not email:
                raise InputError(f"sidecar has no {key}", file=sidecar_path)
            if email not in roster:
                raise InputError(
                    f"{key} {email} is not in the roster",
                    file=sidecar_path,
                    hint="import the roster first: coachloop roster import FILE.csv",
                )
            emails.append(email)
        pair, matched_by = (roster[emails[0]], roster[emails[1]]), "sidecar"
    elif (pair := _pair(speakers.values(), day)) is not None:
        matched_by = "roster"
    elif (pair := _match_filename(path, roster, day)) is not None:
        matched_by = "filename"
    else:
        names = ", ".join(s.display for s in meeting.speakers)
        raise WorkspaceError(
            f"{path}: cannot tell the manager and rep (speakers: {names})",
            hint="add a sidecar <file>.json with manager_email, rep_email, started_at",
        )
    manager, rep = pair
    for who in (manager, rep):
        if not who.consent:
            return Outcome(
                job.path,
                "skipped",
                manager_email=manager.email,
                rep_email=rep.email,
                matched_by=matched_by,
                reason=f"{who.email} has not consented (consent=false)",
            )
    manager_labels = [label for label, p in speakers.items() if p.email == manager.email]
    if manager_labels:
        roles = {s.label: Role.OTHER for s in meeting.speakers}
        for label, p in speakers.items():
            if p.email == rep.email:
                roles[label] = Role.REP
        roles[manager_labels[0]] = Role.MANAGER
        if len(meeting.speakers) == 2:  # the other voice of a 1:1 is the rep
            for label in roles:
                if roles[label] is Role.OTHER:
                    roles[label] = Role.REP
        meeting = meeting.with_roles(roles)
    elif meeting.manager is None:
        meeting = pipe.roles(meeting, manager.name)
    acts = list(pipe.tag(meeting))
    card = pipe.score(meeting, acts)
    return Outcome(
        job.path,
        "ok",
        meeting=_without_words(meeting),
        acts=acts,
        scorecard=card,
        manager_email=manager.email,
        rep_email=rep.email,
        matched_by=matched_by,
    )


def _without_words(meeting: Meeting) -> Meeting:
    """The meeting as the writer needs it: word timings dropped once tagged and scored
    (nothing stores them, and pickling thousands of Word objects back from every worker
    to the one writer cost more than writing the rows). Copies, not rebuilt objects:
    the utterances were validated when read."""
    if not any(u.words for u in meeting.utterances):
        return meeting
    utts = []
    for u in meeting.utterances:
        if u.words:
            u = copy.copy(u)
            object.__setattr__(u, "words", ())
        utts.append(u)
    slim = copy.copy(meeting)
    object.__setattr__(slim, "utterances", tuple(utts))
    return slim


# -- discovery and the writer ---------------------------------------------------------
def is_sidecar(path: Path) -> bool:
    name = path.name
    if name.endswith(".meta.json"):
        return True
    return name.endswith(".json") and path.with_name(name[: -len(".json")]).is_file()


def discover(paths: Sequence[str | Path]) -> tuple[list[Path], list[dict[str, str]]]:
    files: list[Path] = []
    missing: list[dict[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if (
                    f.is_file()
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                    and f.suffix.lower() not in SKIP_SUFFIXES
                    and not is_sidecar(f)
                    # a recording whose transcript `coachloop transcribe` wrote beside it
                    # is ingested through that transcript, once
                    and not (is_audio_path(f) and has_transcript_beside(f))
                ):
                    files.append(f)
        elif p.is_file():
            if not is_sidecar(p):
                files.append(p)
        else:
            missing.append({"file": str(p), "error": f"{p}: no such file or directory"})
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, missing


def load_roster(ws: Workspace) -> Roster:
    with ws.session() as s:
        people = {p.id: p for p in s.scalars(select(Person))}
        lines: dict[int, list[tuple[str, date, date | None]]] = {}
        for line in s.scalars(select(ReportingLine).order_by(ReportingLine.valid_from)):
            lines.setdefault(line.person_id, []).append(
                (people[line.manager_id].email, line.valid_from, line.valid_to)
            )
        roster = Roster(
            (p.email, RosterPerson(p.email, p.name, p.role, p.consent, tuple(lines.get(p.id, ()))))
            for p in people.values()
        )
        roster.token = hashlib.sha256(repr(sorted(roster.items())).encode()).hexdigest()
        return roster


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class IngestReport:
    files: int = 0
    meetings_added: int = 0
    meetings_unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "meetings_added": self.meetings_added,
            "meetings_unchanged": self.meetings_unchanged,
            "failed": self.failed,
            "skipped": self.skipped,
        }


def _process_chunk(jobs: list[Job]) -> list[Outcome]:
    return [process_file(j) for j in jobs]


def _run_pool(jobs: list[Job], workers: int) -> Iterator[Outcome]:
    """Outcomes in job order. Only a window of chunks is in flight (``pool.map`` would
    submit every chunk at once, and finished results would pile up in memory whenever the
    writer fell behind): memory stays flat however many files there are."""
    # spawn: workers must not inherit the parent's open database connections
    ctx = multiprocessing.get_context("spawn")
    size = max(1, min(16, len(jobs) // (workers * 4) or 1))
    chunks = iter([jobs[i : i + size] for i in range(0, len(jobs), size)])
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending = deque(
            pool.submit(_process_chunk, c) for c in itertools.islice(chunks, workers * 4)
        )
        while pending:
            done = pending.popleft().result()
            if (nxt := next(chunks, None)) is not None:
                pending.append(pool.submit(_process_chunk, nxt))
            yield from done


def _run_dask(jobs: list[Job], scheduler: str) -> Iterator[Outcome]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise WorkspaceError(
            "--scheduler needs dask.distributed", hint="pip install 'coachloop[distributed]'"
        ) from None
    try:
        client = Client(scheduler, timeout=20, set_as_default=False)
    except OSError as exc:
        raise WorkspaceError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        with client.as_current():
            # A bounded window of tasks, topped up as results arrive (as _run_pool does).
            window = max(64, 4 * sum(client.nthreads().values()))
            rest = iter(jobs)
            futures = [
                client.submit(process_file, j, pure=False) for j in itertools.islice(rest, window)
            ]
            queue = as_completed(futures, with_results=True)
            del futures
            for fut, result in queue:
                yield result
                fut.release()
                if (nxt := next(rest, None)) is not None:
                    queue.add(client.submit(process_file, nxt, pure=False))
    finally:
        client.close()


def ingest(
    ws: Workspace,
    paths: Sequence[str | Path],
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders; see the module docstring for the rules."""
    pipeline = pipeline or Pipeline()
    report = IngestReport()
    files, missing = discover(paths)
    report.failed.extend(missing)
    report.files = len(files)
    roster = load_roster(ws)
    if files and not roster:
        raise WorkspaceError(
            "the workspace has no roster, so meetings cannot be matched to managers",
            hint="import it first: coachloop roster import FILE.csv",
        )
    digests: list[tuple[Path, str]] = []
    for f in files:
        try:
            digests.append((f, file_digest(f)))
        except OSError as exc:
            report.failed.append({"file": str(f), "error": f"{f}: cannot read: {exc.strerror}"})
    known: set[str] = set()
    with ws.session() as s:
        all_ids = [d for _, d in digests]
        for i in range(0, len(all_ids), 500):
            known.update(
                s.scalars(select(MeetingRow.id).where(MeetingRow.id.in_(all_ids[i : i + 500])))
            )
    todo: list[Job] = []
    batch_ids: set[str] = set()
    total, done = len(digests), 0
    for f, digest in digests:
        if digest in known or digest in batch_ids:
            report.meetings_unchanged += 1
            done += 1
            if progress:
                progress(done, total, str(f))
        else:
            batch_ids.add(digest)
            todo.append(Job(str(f), digest, roster, pipeline))

    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise WorkspaceError(f"--jobs must be at least 1, got {workers}")
    if scheduler:
        outcomes: Iterable[Outcome] = _run_dask(todo, scheduler)
    elif workers == 1 or len(todo) < 2:
        outcomes = (process_file(j) for j in todo)
    else:
        outcomes = _run_pool(todo, min(workers, len(todo)))

    with ws.session() as s:
        person_ids: dict[str, int] = {e: i for e, i in s.execute(select(Person.email, Person.id))}
    # One connection for every meeting's transaction: with a pool that closes connections
    # (SQLite's NullPool), a connection per meeting re-ran the pragmas and, as the last
    # connection to a WAL database, checkpointed it on every close.
    writer = ws.engine.connect().execution_options(sqlite_immediate=True)
    try:
        for out in outcomes:
            done += 1
            if out.status == "failed":
                report.failed.append({"file": out.path, "error": out.reason or "failed"})
                log.info("failed %s: %s", out.path, out.reason)  # the caller reports failures
            elif out.status == "skipped":
                report.skipped.append({"file": out.path, "reason": out.reason or "skipped"})
                log.info("skipped %s: %s", out.path, out.reason)
            else:
                assert out.meeting is not None
                if _write(writer, out, person_ids):
                    report.meetings_added += 1
                    report.added_ids.append(out.meeting.id)
                else:
                    report.meetings_unchanged += 1
            if progress:
                progress(done, total, out.path)
    finally:
        writer.close()

    with ws.write() as s:
        s.add(
            ImportLog(
                kind="ingest",
                source=" ".join(str(p) for p in paths)[:2000],
                summary=report.to_dict(),
            )
        )
    return report


def _write(conn: Connection, out: Outcome, person_ids: Mapping[str, int]) -> bool:
    """One meeting, one transaction (``BEGIN IMMEDIATE`` on SQLite), on the writer's
    connection: committed whole, or rolled back whole on an error or a crash."""
    assert out.meeting is not None
    with conn.begin(), Session(bind=conn, expire_on_commit=False) as s:
        return insert_meeting(
            s,
            out.meeting,
            out.scorecard,
            manager_id=person_ids.get(out.manager_email or ""),
            rep_id=person_ids.get(out.rep_email or ""),
            acts=out.acts,
            source_file=out.path,
            matched_by=out.matched_by,
        )
