"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log")),
    )
    op.create_table(
        "kpis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=8), nullable=False),
        sa.Column("subject_key", sa.String(length=320), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.CheckConstraint("subject_type IN ('rep', 'team')", name=op.f("ck_kpis_subject_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpis")),
        sa.UniqueConstraint(
            "subject_type",
            "subject_key",
            "week",
            "metric",
            name=op.f("uq_kpis_subject_type_subject_key_week_metric"),
        ),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("cohort", sa.String(length=200), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('director', 'manager', 'rep', 'admin')", name=op.f("ck_people_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
    )
    op.create_table(
        "calendar_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=500), nullable=False),
        sa.Column("occurrence", sa.String(length=40), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("organizer_email", sa.String(length=320), nullable=True),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("rep_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.Column("moved", sa.Boolean(), nullable=False),
        sa.Column("owner_email", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["people.id"], name=op.f("fk_calendar_events_manager_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["rep_id"], ["people.id"], name=op.f("fk_calendar_events_rep_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_events")),
        sa.UniqueConstraint("uid", "occurrence", name=op.f("uq_calendar_events_uid_occurrence")),
    )
    with op.batch_alter_table("calendar_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calendar_events_manager_week", ["manager_id", "week"], unique=False
        )

    op.create_table(
        "cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("cycle_start", sa.Date(), nullable=False),
        sa.Column("cycle_end", sa.Date(), nullable=False),
        sa.Column("focus", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("scenario_id", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'mastered', 'closed')", name=op.f("ck_cycles_status")
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["people.id"],
            name=op.f("fk_cycles_manager_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycles")),
        sa.UniqueConstraint(
            "manager_id", "cycle_start", name=op.f("uq_cycles_manager_id_cycle_start")
        ),
    )
    op.create_table(
        "manager_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("skill", sa.String(length=100), nullable=False),
        sa.Column("rating", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["people.id"],
            name=op.f("fk_manager_ratings_manager_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rep_id"],
            ["people.id"],
            name=op.f("fk_manager_ratings_rep_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manager_ratings")),
        sa.UniqueConstraint(
            "manager_id",
            "rep_id",
            "period",
            "skill",
            name=op.f("uq_manager_ratings_manager_id_rep_id_period_skill"),
        ),
    )
    op.create_table(
        "manager_week_scores",
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("behavior", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["people.id"],
            name=op.f("fk_manager_week_scores_manager_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "manager_id", "week", "behavior", name=op.f("pk_manager_week_scores")
        ),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("rep_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("week", sa.Date(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("source_format", sa.String(length=50), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("matched_by", sa.String(length=16), nullable=True),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("scorecard", sa.JSON(), nullable=True),
        sa.Column("scenario_id", sa.String(length=200), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('recorded', 'practice')", name=op.f("ck_meetings_kind")),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["people.id"], name=op.f("fk_meetings_manager_id_people")
        ),
        sa.ForeignKeyConstraint(["rep_id"], ["people.id"], name=op.f("fk_meetings_rep_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_manager_week", ["manager_id", "week"], unique=False)
        batch_op.create_index("ix_meetings_rep", ["rep_id", "started_at"], unique=False)

    op.create_table(
        "reporting_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["people.id"],
            name=op.f("fk_reporting_lines_manager_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_reporting_lines_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_lines")),
        sa.UniqueConstraint(
            "person_id", "valid_from", name=op.f("uq_reporting_lines_person_id_valid_from")
        ),
    )
    with op.batch_alter_table("reporting_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reporting_lines_manager", ["manager_id", "valid_from"], unique=False
        )

    op.create_table(
        "behavior_scores",
        sa.Column("meeting_id", sa.String(length=64), nullable=False),
        sa.Column("behavior", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("why_not_higher", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_behavior_scores_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "behavior", name=op.f("pk_behavior_scores")),
    )
    op.create_table(
        "cycle_weeks",
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("focus", sa.String(length=64), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycles.id"],
            name=op.f("fk_cycle_weeks_cycle_id_cycles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["people.id"],
            name=op.f("fk_cycle_weeks_manager_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("manager_id", "week", name=op.f("pk_cycle_weeks")),
    )
    op.create_table(
        "rep_meeting_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.String(length=64), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "rating >= 1 AND rating <= 5", name=op.f("ck_rep_meeting_ratings_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_rep_meeting_ratings_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rep_id"],
            ["people.id"],
            name=op.f("fk_rep_meeting_ratings_rep_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rep_meeting_ratings")),
        sa.UniqueConstraint(
            "meeting_id", "rep_id", name=op.f("uq_rep_meeting_ratings_meeting_id_rep_id")
        ),
    )
    op.create_table(
        "signals",
        sa.Column("meeting_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_signals_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "name", name=op.f("pk_signals")),
    )
    op.create_table(
        "utterances",
        sa.Column("meeting_id", sa.String(length=64), nullable=False),
        sa.Column("index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("end", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("acts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_utterances_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "index", name=op.f("pk_utterances")),
    )


def downgrade() -> None:
    op.drop_table("utterances")
    op.drop_table("signals")
    op.drop_table("rep_meeting_ratings")
    op.drop_table("cycle_weeks")
    op.drop_table("behavior_scores")
    with op.batch_alter_table("reporting_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_reporting_lines_manager")

    op.drop_table("reporting_lines")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_rep")
        batch_op.drop_index("ix_meetings_manager_week")

    op.drop_table("meetings")
    op.drop_table("manager_week_scores")
    op.drop_table("manager_ratings")
    op.drop_table("cycles")
    with op.batch_alter_table("calendar_events", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_events_manager_week")

    op.drop_table("calendar_events")
    op.drop_table("people")
    op.drop_table("kpis")
    op.drop_table("import_log")
