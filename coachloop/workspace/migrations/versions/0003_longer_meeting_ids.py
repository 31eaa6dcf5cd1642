"""meeting ids up to 128 characters (practice sessions append a timestamp to the hash)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHILDREN = ("utterances", "behavior_scores", "signals", "rep_meeting_ratings")


def _retype(length: int) -> None:
    old, new = sa.String(length=192 - length), sa.String(length=length)
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.alter_column("id", existing_type=old, type_=new, existing_nullable=False)
    for table in CHILDREN:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "meeting_id", existing_type=old, type_=new, existing_nullable=False
            )


def upgrade() -> None:
    _retype(128)


def downgrade() -> None:
    _retype(64)
