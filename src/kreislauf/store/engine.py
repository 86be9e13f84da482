"""Engines and sessions for SQLite and PostgreSQL.

The schema version is checked in :mod:`kreislauf.store.migrate`; this module knows only
connections.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, String, Text, create_engine, event, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.errors import InvalidDatabaseUrl, TextNotStorable, TextTooLong

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


def lock_key(session: Session, key: str) -> None:
    """Serialise the transactions that call this with ``key`` until this one ends.

    For a check-then-write on rows that may not exist yet (the first failed login of an
    address, the one activity file of a company): PostgreSQL takes a transaction-level
    advisory lock on the key's hash (other keys go on in parallel); SQLite takes the
    database's write lock (:func:`begin_immediate`), which serialises every writer.
    """
    begin_immediate(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


def check_texts(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse a text longer than its ``String(n)`` column, or holding NUL, before any SQL.

    PostgreSQL refuses both (``value too long``, ``cannot contain NUL``) with an error
    that would be a 500; SQLite would store them. Checked for every new or changed object
    at flush (``before_flush``), so every form, API body and upload that writes through
    the ORM is covered, including the tables of domains added later. Bulk inserts of
    Core statements (the ledger's flows) validate their rows themselves.

    Raises :class:`TextTooLong` or :class:`TextNotStorable` naming the field (the
    column), its length and the limit.
    """
    for instance in (*session.new, *session.dirty):
        mapper = inspect(instance).mapper
        for column in mapper.columns:
            if not isinstance(column.type, String | Text):
                continue
            value = getattr(instance, mapper.get_property_by_column(column).key, None)
            if not isinstance(value, str):
                continue
            limit = getattr(column.type, "length", None)
            if limit is not None and len(value) > limit:
                raise TextTooLong(field=column.key, length=len(value), limit=limit)
            if "\x00" in value:
                raise TextNotStorable(
                    field=column.key, value=value.replace("\x00", "\\0"), limit=limit or len(value)
                )


def make_sessionmaker(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit; texts are checked against
    their columns before every flush (:func:`check_texts`).

    ``read_only``: for requests that only read; each statement runs on its own (driver-level
    autocommit), so a request with one query costs one round trip instead of three
    (``BEGIN`` is implicit, but ``COMMIT``/``ROLLBACK`` would be one more each).
    """
    if read_only:
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "before_flush", check_texts)
    return factory
