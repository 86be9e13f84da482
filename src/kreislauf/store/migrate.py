"""Alembic migrations shipped inside the package (``kreislauf/store/migrations``) and the
check that a database is at the newest one.

The Alembic configuration is built in code, so migrations work from an installed wheel
without an ``alembic.ini`` in the working directory. Everything that knows Alembic is
here; :mod:`kreislauf.store.engine` only opens connections.

A downgrade that would delete stored data refuses unless forced (:func:`data_lost`): it is
first run on a copy (SQLite: a backup of the file; PostgreSQL: inside a transaction that
is rolled back) and every table, row and column value it would remove is counted. So the
check knows what each migration's ``downgrade`` does without being told, and a new
migration is covered the day it is written.

On SQLite, migrations run with foreign keys off: Alembic's batch mode rebuilds a table by
copying it and dropping the original, and with foreign keys on, dropping ``users`` would
delete every membership and token through ``ON DELETE CASCADE``. ``PRAGMA
foreign_key_check`` afterwards makes sure that no reference was left dangling.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError

from kreislauf.errors import DatabaseNotMigrated, DatabaseUnreachable, DowngradeLosesData
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


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for Alembic (SQLite: foreign keys off, see above)."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            yield connection
            if sqlite:
                dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                assert not dangling, f"migration left dangling references: {dangling[:5]}"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def upgrade(url: str, revision: str = "head") -> str | None:
    """Migrate the database at ``url`` up to ``revision``; returns the revision reached."""
    engine = make_engine(url)
    try:
        current_revision(engine)  # DatabaseUnreachable with a clear message before Alembic
        config = alembic_config(url)
        with _migrating(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current_revision(engine)
    finally:
        engine.dispose()


def downgrade(url: str, revision: str = "-1", *, force: bool = False) -> str | None:
    """Migrate the database at ``url`` down to ``revision`` (default: one step).

    Raises :class:`DowngradeLosesData` naming what would be deleted (tables, rows, column
    values, with counts) unless ``force``; nothing is changed then.
    """
    engine = make_engine(url)
    try:
        current_revision(engine)
        if not force:
            lost = data_lost(engine, revision)
            if lost:
                raise DowngradeLosesData(
                    revision=revision, lost=", ".join(loss.text() for loss in lost)
                )
        _run_downgrade(engine, revision)
        return current_revision(engine)
    finally:
        engine.dispose()


def _run_downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with _migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


@dataclass(frozen=True)
class Loss:
    """Stored data a downgrade would delete: a whole table, rows of a table it keeps, or
    the values of a column it drops (values equal to the column's default do not count,
    nor do columns a migration declares ``RESTORED_ON_UPGRADE``: upgrading again restores
    them)."""

    kind: str  # "table", "rows" or "column"
    name: str  # table, or table.column
    count: int  # rows or values

    total: int = 0  # rows of the table before ("rows" only)

    def text(self) -> str:
        """Language-neutral: ``carbon_inputs (3)`` for a table, ``carbon_inputs (1 of 3)``
        for rows, ``users.session_generation (1)`` for a column's values."""
        if self.kind == "rows":
            return f"{self.name} ({self.count} of {self.total})"
        return f"{self.name} ({self.count})"


#: Per table: rows, and per column its server default (SQL text) or None.
_Snapshot = dict[str, tuple[int, dict[str, str | None]]]


def _snapshot(connection: Connection) -> _Snapshot:
    inspector = inspect(connection)
    found: _Snapshot = {}
    for name in inspector.get_table_names():
        if name == "alembic_version":
            continue
        rows = connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
        columns = {c["name"]: c.get("default") for c in inspector.get_columns(name)}
        found[name] = (int(rows), columns)
    return found


def _changed_values(connection: Connection, table: str, column: str, default: str | None) -> int:
    condition = f'"{column}" IS NOT NULL'
    if default is not None:  # the schema's own default expression, read by the inspector
        condition += f' AND "{column}" <> {default}'
    statement = text(f'SELECT count(*) FROM "{table}" WHERE {condition}')
    return int(connection.execute(statement).scalar_one())


def data_lost(engine: Engine, revision: str) -> list[Loss]:
    """What downgrading the database of ``engine`` to ``revision`` would delete.

    The downgrade runs on a copy (SQLite: a backup of the file in a temporary folder;
    PostgreSQL: in a transaction rolled back afterwards, which holds the tables' locks
    meanwhile); the database itself is unchanged.
    """
    with engine.connect() as connection:
        before = _snapshot(connection)
    if engine.dialect.name == "sqlite":
        after = _after_on_a_copy(engine, revision)
    else:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                config = alembic_config(engine.url.render_as_string(hide_password=False))
                config.attributes["connection"] = connection
                command.downgrade(config, revision)
                after = _snapshot(connection)
            finally:
                transaction.rollback()
    restored = _restored_on_upgrade()
    lost: list[Loss] = []
    with engine.connect() as connection:
        for table, (rows, columns) in sorted(before.items()):
            if table not in after:
                if rows and table not in restored:
                    lost.append(Loss("table", table, rows))
                continue
            if after[table][0] < rows:
                lost.append(Loss("rows", table, rows - after[table][0], total=rows))
            for column, default in columns.items():
                if column in after[table][1] or f"{table}.{column}" in restored:
                    continue
                values = _changed_values(connection, table, column, default)
                if values:
                    lost.append(Loss("column", f"{table}.{column}", values))
    return lost


def _restored_on_upgrade() -> set[str]:
    """``table.column`` (and ``table``) names that a migration declares computed again on
    upgrade (``RESTORED_ON_UPGRADE``): dropping them loses nothing."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    names: set[str] = set()
    for revision in script.walk_revisions():
        names |= set(getattr(revision.module, "RESTORED_ON_UPGRADE", ()))
    return names


def _after_on_a_copy(engine: Engine, revision: str) -> _Snapshot:
    database = engine.url.database
    assert database and database != ":memory:", "a dry run needs a SQLite file"
    with tempfile.TemporaryDirectory(prefix="kreislauf-downgrade-") as folder:
        copy = Path(folder) / "dry-run.db"
        source, target = sqlite3.connect(database), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        trial = make_engine(f"sqlite:///{copy}")
        try:
            _run_downgrade(trial, revision)
            with trial.connect() as connection:
                return _snapshot(connection)
        finally:
            trial.dispose()
