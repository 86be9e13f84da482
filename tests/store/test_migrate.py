"""Migrations: upgrade from empty, downgrade/upgrade round trip, models match migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kreislauf.errors import DatabaseNotMigrated, DatabaseUnreachable, InvalidDatabaseUrl
from kreislauf.store import check_schema, downgrade, head_revision, make_engine, upgrade
from kreislauf.store.base import Base
from kreislauf.store.models import TENANT_TABLES


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_every_table(empty_url: str) -> None:
    assert _tables(empty_url) == set()
    assert upgrade(empty_url) == head_revision()
    assert _tables(empty_url) == set(Base.metadata.tables)


def test_downgrade_upgrade_round_trip(empty_url: str) -> None:
    upgrade(empty_url)
    assert downgrade(empty_url, "base") is None
    assert _tables(empty_url) == set()
    assert upgrade(empty_url) == head_revision()
    assert _tables(empty_url) == set(Base.metadata.tables)


def test_models_match_the_migrations(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_check_schema_refuses_an_unmigrated_database(empty_url: str) -> None:
    engine = make_engine(empty_url)
    with pytest.raises(DatabaseNotMigrated, match="kreislauf db upgrade"):
        check_schema(engine)
    upgrade(empty_url)
    check_schema(engine)
    engine.dispose()


def test_unreachable_database_is_a_clear_error() -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(DatabaseUnreachable, match=r"127\.0\.0\.1"):
        check_schema(engine)


def test_other_databases_are_refused() -> None:
    with pytest.raises(InvalidDatabaseUrl, match="mysql"):
        make_engine("mysql://x@localhost/db")


def test_every_tenant_table_has_an_organisation_column() -> None:
    for model in TENANT_TABLES:
        assert "organisation_id" in model.__table__.columns, model.__tablename__
