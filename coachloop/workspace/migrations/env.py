"""Alembic environment, run programmatically by :func:`coachloop.workspace.db.upgrade`.

The caller passes an open connection in ``config.attributes["connection"]``; running
``alembic`` from the shell is also possible with ``-x url=...``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from coachloop.workspace.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs batch mode for ALTERs
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("pass the database with: alembic -x url=sqlite:///path/coachloop.db ...")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
