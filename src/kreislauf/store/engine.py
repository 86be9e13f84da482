"""Engines and sessions for SQLite and PostgreSQL, and the schema-version check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.errors import DatabaseNotMigrated, DatabaseUnreachable, InvalidDatabaseUrl

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
    return create_engine(parsed, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def _expected() -> str:
    return "sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DATABASE"


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None for an empty database.

    Raises :class:`DatabaseUnreachable` when the database cannot be opened.
    """
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    except OperationalError as error:
        raise DatabaseUnreachable(
            url=engine.url.render_as_string(hide_password=True),
            reason=str(error.orig).strip().splitlines()[0],
        ) from error
    return None if row is None else str(row[0])


def check_schema(engine: Engine) -> None:
    """Raise :class:`DatabaseNotMigrated` unless the database is at the newest migration."""
    from kreislauf.store.migrate import head_revision

    found = current_revision(engine)
    head = head_revision()
    if found != head:
        raise DatabaseNotMigrated(
            url=engine.url.render_as_string(hide_password=True),
            found=found or "–",
            expected=head,
        )
