"""Alembic migrations shipped inside the package (``kreislauf/store/migrations``) and the
check that a database is at the newest one.

The Alembic configuration is built in code, so migrations work from an installed wheel
without an ``alembic.ini`` in the working directory. Everything that knows Alembic is
here; :mod:`kreislauf.store.engine` only opens connections.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import OperationalError

from kreislauf.errors import DatabaseNotMigrated, DatabaseUnreachable
from kreislauf.store.engine import make_engine


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` with the package's migration scripts."""
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("kreislauf.store").joinpath("migrations"))
    )
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest migration of this kreislauf version."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


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
    found = current_revision(engine)
    head = head_revision()
    if found != head:
        raise DatabaseNotMigrated(
            url=engine.url.render_as_string(hide_password=True),
            found=found or "–",
            expected=head,
        )


def upgrade(url: str, revision: str = "head") -> str | None:
    """Migrate the database at ``url`` up to ``revision``; returns the revision reached."""
    engine = make_engine(url)
    try:
        current_revision(engine)  # DatabaseUnreachable with a clear message before Alembic
        config = alembic_config(url)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current_revision(engine)
    finally:
        engine.dispose()


def downgrade(url: str, revision: str = "-1") -> str | None:
    """Migrate the database at ``url`` down to ``revision`` (default: one step)."""
    engine = make_engine(url)
    try:
        current_revision(engine)
        config = alembic_config(url)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
        return current_revision(engine)
    finally:
        engine.dispose()
