"""Alembic environment: runs on the connection handed in by :mod:`kreislauf.store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from kreislauf.store import models  # noqa: F401  (registers the tables on Base.metadata)
from kreislauf.store.base import Base
from kreislauf.store.queue_schema import is_kreislauf_object

config = context.config
connection = config.attributes.get("connection")


def _run(conn: object) -> None:
    context.configure(
        connection=conn,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        include_name=is_kreislauf_object,  # procrastinate's tables are its own
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # plain ``alembic`` command line with sqlalchemy.url in the config
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        _run(conn)
