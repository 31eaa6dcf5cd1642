"""calendar events: series rule, all-day flag and SEQUENCE

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calendar_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("all_day", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("calendar_events", schema=None) as batch_op:
        batch_op.drop_column("sequence")
        batch_op.drop_column("all_day")
        batch_op.drop_column("rule")
