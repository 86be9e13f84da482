"""Engines and sessions for SQLite and PostgreSQL.

The schema version is checked in :mod:`kreislauf.store.migrate`; this module knows only
connections.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.errors import InvalidDatabaseUrl

SUPPORTED = ("sqlite", "postgresql")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, WAL for concurrent readers, wait instead of failing when locked."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for ``url`` (``sqlite:///…`` or ``postgresql+psycopg://…``).

    Raises :class:`InvalidDatabaseUrl` for other URLs; the connection itself is opened lazily.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise InvalidDatabaseUrl(value=url, expected=_expected()) from error
    if parsed.get_backend_name() not in SUPPORTED:
        raise InvalidDatabaseUrl(value=url, expected=_expected())
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(parsed, pool_size=pool_size, max_overflow=pool_size)
    event.listen(engine, "checkout", _ping_if_idle)
    event.listen(engine, "checkin", _mark_used)
    return engine


#: A pooled connection unused for longer than this is tested before use [s].
IDLE_PING_S = 10.0


def _mark_used(_dbapi_connection: Any, record: Any) -> None:
    record.info["used"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Test a connection that sat idle in the pool before handing it out.

    ``pool_pre_ping`` would cost a round trip on every request (12 % of a cached dashboard
    request); under load connections are never idle, after a quiet spell (when the database
    may have restarted) they are tested. A dead connection raises ``DisconnectionError``,
    on which the pool opens a new one (SQLAlchemy's "custom pessimistic ping" pattern).
    """
    if time.monotonic() - record.info.get("used", 0.0) < IDLE_PING_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()  # hand the connection out outside a transaction
    except dbapi_connection.OperationalError as error:
        raise DisconnectionError() from error


def _expected() -> str:
    return "sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DATABASE"


def begin_immediate(session: Session) -> None:
    """On SQLite, take the database's write lock now instead of at the first write.

    The driver starts its transaction lazily, before the first INSERT/UPDATE/DELETE, so a
    check read before that write (how many owners are left, how many failed logins) could
    be overtaken by a concurrent writer. ``BEGIN IMMEDIATE`` makes check and write one
    serialised unit (waiting up to ``busy_timeout``). A connection already inside a
    transaction has written and so holds the write lock already. No-op on PostgreSQL,
    which locks rows instead.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if not driver.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit.

    ``read_only``: for requests that only read; each statement runs on its own (driver-level
    autocommit), so a request with one query costs one round trip instead of three
    (``BEGIN`` is implicit, but ``COMMIT``/``ROLLBACK`` would be one more each).
    """
    if read_only:
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    return sessionmaker(engine, expire_on_commit=False)
