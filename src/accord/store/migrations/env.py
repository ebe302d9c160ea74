"""Alembic environment: runs the migrations on the connection (or URL) that accord.store hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from accord.store.engine import make_engine
from accord.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Connection) -> None:
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
