"""The workspace schema: SQLAlchemy 2 models, one class per table.

This module is the single source of truth for the schema. Alembic migrations under
``coachloop/workspace/migrations`` are written to match it and a test
(``tests/workspace/test_migrations.py``) compares the migrated database with these
models on every backend, so the two cannot drift apart.

Conventions
-----------
* People are addressed by an integer ``id``; e-mails are stored lower-cased and unique.
* A meeting's ``id`` is the SHA-256 of its source bytes (``Meeting.id``), which makes
  ingestion idempotent by content.
* ``week`` columns hold the Monday (ISO week start) of the week, as a date.
* Every timestamp is stored in UTC and read back timezone-aware (:class:`UTCDateTime`),
  on SQLite as on PostgreSQL.
* JSON columns hold plain JSON (lists/dicts of str, numbers, bool, null).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("director", "manager", "rep", "admin")
MEETING_KINDS = ("recorded", "practice")
SUBJECT_TYPES = ("rep", "team")
CYCLE_STATUSES = ("active", "mastered", "closed")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend.

    SQLite has no time zones: without this, values would come back naive there and
    aware on PostgreSQL, and code would behave differently per backend.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value} cannot be stored; give a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("role IN ('director', 'manager', 'rep', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    team: Mapped[str | None] = mapped_column(String(200))
    cohort: Mapped[str | None] = mapped_column(String(200))
    consent: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReportingLine(Base):
    """``person`` reported to ``manager`` from ``valid_from`` (inclusive) to ``valid_to``
    (exclusive; NULL = still current). Lines are closed, never deleted, so history stays."""

    __tablename__ = "reporting_lines"
    __table_args__ = (
        UniqueConstraint("person_id", "valid_from"),
        Index("ix_reporting_lines_manager", "manager_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class MeetingRow(Base):
    """A recorded 1:1 or a practice session (``kind``), stored atomically with its
    utterances, signals and behaviour scores."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("kind IN ('recorded', 'practice')", name="kind"),
        Index("ix_meetings_manager_week", "manager_id", "week"),
        Index("ix_meetings_rep", "rep_id", "started_at"),
    )

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="recorded")
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    started_at: Mapped[datetime | None]
    week: Mapped[date | None] = mapped_column(Date)
    duration_s: Mapped[float] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(String(500))
    source_format: Mapped[str | None] = mapped_column(String(50))
    source_file: Mapped[str | None] = mapped_column(Text)
    #: how manager and rep were found: sidecar | roster | filename | given
    matched_by: Mapped[str | None] = mapped_column(String(16))
    #: speakers (label, name, role, email) and meta of the Meeting
    transcript: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Scorecard.to_dict()
    scorecard: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    scenario_id: Mapped[str | None] = mapped_column(String(200))
    seed: Mapped[int | None] = mapped_column(Integer)
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)


class UtteranceRow(Base):
    __tablename__ = "utterances"

    meeting_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    speaker: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    acts: Mapped[list[Any]] = mapped_column(JSON)


class BehaviorScore(Base):
    __tablename__ = "behavior_scores"

    meeting_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    behavior: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(JSON)
    why_not_higher: Mapped[str | None] = mapped_column(Text)


class Signal(Base):
    __tablename__ = "signals"

    meeting_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)


class CalendarEvent(Base):
    """One occurrence of a calendar event (recurring series are expanded). A cancelled
    occurrence is kept with ``status='cancelled'``: it is not a meeting held."""

    __tablename__ = "calendar_events"
    __table_args__ = (
        UniqueConstraint("uid", "occurrence"),
        Index("ix_calendar_events_manager_week", "manager_id", "week"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(500))
    #: the occurrence's original start (RECURRENCE-ID) in UTC ISO form; identifies it
    occurrence: Mapped[str] = mapped_column(String(40))
    source_file: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    organizer_email: Mapped[str | None] = mapped_column(String(320))
    attendees: Mapped[list[Any]] = mapped_column(JSON)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    start: Mapped[datetime]
    end: Mapped[datetime]
    week: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    moved: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_email: Mapped[str | None] = mapped_column(String(320))
    #: the series' RRULE text (None for one-off events); added in migration 0002
    rule: Mapped[str | None] = mapped_column(String(500))
    all_day: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ManagerWeekScore(Base):
    """Manager-level scores for a week that do not come from single meetings:
    ``hold_cadence`` and ``protect_rep_calendars`` (from calendars) and
    ``calibrate_against_team`` (from ratings vs evidence)."""

    __tablename__ = "manager_week_scores"

    manager_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    behavior: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class ManagerRating(Base):
    __tablename__ = "manager_ratings"
    __table_args__ = (UniqueConstraint("manager_id", "rep_id", "period", "skill"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(32))
    skill: Mapped[str] = mapped_column(String(100))
    rating: Mapped[float] = mapped_column(Float)


class RepMeetingRating(Base):
    __tablename__ = "rep_meeting_ratings"
    __table_args__ = (
        UniqueConstraint("meeting_id", "rep_id"),
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("meetings.id", ondelete="CASCADE")
    )
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)


class Kpi(Base):
    __tablename__ = "kpis"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_key", "week", "metric"),
        CheckConstraint("subject_type IN ('rep', 'team')", name="subject_type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(8))
    #: a rep's e-mail or a team name
    subject_key: Mapped[str] = mapped_column(String(320))
    week: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Float)


class Cycle(Base):
    """A coaching cycle: one focus behaviour per manager for ``cycle_start`` ..
    ``cycle_end`` (exclusive)."""

    __tablename__ = "cycles"
    __table_args__ = (
        UniqueConstraint("manager_id", "cycle_start"),
        CheckConstraint("status IN ('active', 'mastered', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    cycle_start: Mapped[date] = mapped_column(Date)
    cycle_end: Mapped[date] = mapped_column(Date)
    focus: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    scenario_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CycleWeek(Base):
    """The weekly cycle result for one manager (what ``coachloop cycle --output json``
    prints for them), stored so later weeks and the dashboard can read it."""

    __tablename__ = "cycle_weeks"

    manager_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id", ondelete="SET NULL"))
    focus: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportLog(Base):
    """One row per import (roster, calendar, ratings, kpi, ingest): when, what, counts."""

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(default=utcnow)


# -- the web app's tables: accounts, sessions, audit log, debrief notes, practice in progress --
USER_ROLES = ("admin", "director", "manager", "rep")


class User(Base):
    """A local account. ``person_id`` links it to the org (admins may have none)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'director', 'manager', 'rep')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class AuditEntry(Base):
    """One view of another person's data (or an administrative action)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_person_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_email: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(32))
    resource: Mapped[str] = mapped_column(String(500))
    subject_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DebriefNote(Base):
    """Notes the manager's manager saves in a debrief, with the deltas they saw."""

    __tablename__ = "debrief_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    week: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PracticeState(Base):
    """A practice session in progress in the browser (serialised engine state)."""

    __tablename__ = "practice_states"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scenario_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_id: Mapped[str | None] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


ALL_TABLES = sorted(Base.metadata.tables)
