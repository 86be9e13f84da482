"""Procrastinate's database objects (PostgreSQL only): create, drop, keep out of Alembic's view.

The job queue on PostgreSQL is procrastinate (:mod:`kreislauf.web.queue`). Its tables,
functions and types are created by kreislauf's own migration (``0010_job_queue``) from the
schema SQL of the installed procrastinate release, in the first schema of the connection's
search path: the deployment's schema (``public`` by default, a schema of its own per test).
The release is pinned in ``pyproject.toml``; a newer one comes with a migration that applies
its SQL migration scripts (``procrastinate schema --migrations-path``).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

#: Every object procrastinate creates is named with this prefix.
PREFIX = "procrastinate_"

_CREATED = re.compile(r"^CREATE (TABLE|TYPE|FUNCTION) (procrastinate_\w+)", re.MULTILINE)


def queue_schema_sql() -> str:
    """The schema SQL of the installed procrastinate release."""
    from procrastinate.schema import SchemaManager

    return str(SchemaManager.get_schema())


def drop_queue_schema(connection: Any) -> None:
    """Drop every table, function and type the schema SQL creates (psycopg ``connection``)."""
    created = _CREATED.findall(queue_schema_sql())
    order = {"TABLE": 0, "FUNCTION": 1, "TYPE": 2}  # tables hold triggers and typed columns
    for what, name in sorted(created, key=lambda item: order[item[0]]):
        connection.execute(f"DROP {what} IF EXISTS {name} CASCADE")


def is_kreislauf_object(name: str | None, type_: str, _parents: Any = None) -> bool:
    """Alembic's ``include_name``: leave procrastinate's tables out of the comparison."""
    return not (type_ == "table" and name is not None and name.startswith(PREFIX))


def queue_state(session: Session, queue_id: int) -> dict[str, Any] | None:
    """procrastinate's view of one of its jobs: status, attempts, queue, its events."""
    row = (
        session.execute(
            text(
                "SELECT id, status, attempts, queue_name, task_name, scheduled_at, worker_id "
                "FROM procrastinate_jobs WHERE id = :id"
            ),
            {"id": queue_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    events = session.execute(
        text("SELECT type, at FROM procrastinate_events WHERE job_id = :id ORDER BY id"),
        {"id": queue_id},
    ).all()
    state = dict(row)
    state["events"] = [{"type": str(kind), "at": at} for kind, at in events]
    return state
