"""Alembic migrations shipped inside the package (``kreislauf/store/migrations``).

The Alembic configuration is built in code, so migrations work from an installed wheel
without an ``alembic.ini`` in the working directory.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from kreislauf.store.engine import current_revision, make_engine


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
