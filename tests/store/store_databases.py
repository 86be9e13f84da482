"""Fresh, migrated test databases: a SQLite file and a schema of its own on PostgreSQL.

PostgreSQL is the real server on 127.0.0.1:5432 (database ``test``, user ``postgres``);
each test gets a new schema (``search_path`` set through the URL) that is dropped
afterwards, so runs are repeatable and independent. Without a reachable server the
PostgreSQL cases are skipped, except under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

PG_SERVER = os.environ.get(
    "KREISLAUF_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def _pg_unavailable() -> str | None:
    engine = create_engine(PG_SERVER, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        return str(error.orig).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


@contextmanager
def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of ``backend``; removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'kreislauf-test.db'}"
        return
    reason = _pg_unavailable()
    if reason is not None:
        message = f"PostgreSQL at {PG_SERVER} is not reachable: {reason}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: PostgreSQL is required)")
        pytest.skip(message)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
