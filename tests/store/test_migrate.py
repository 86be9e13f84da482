"""Migrations: upgrade from empty, downgrade/upgrade round trip, models match migrations;
a downgrade that would delete stored data refuses unless forced."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from kreislauf.errors import (
    DatabaseNotMigrated,
    DatabaseUnreachable,
    DowngradeLosesData,
    InvalidDatabaseUrl,
)
from kreislauf.store import account as account_store
from kreislauf.store import (
    check_schema,
    downgrade,
    head_revision,
    make_engine,
    make_sessionmaker,
    upgrade,
)
from kreislauf.store.base import Base
from kreislauf.store.migrate import current_revision
from kreislauf.store.models import TENANT_TABLES, CarbonInput
from kreislauf.store.queue_schema import PREFIX, is_kreislauf_object


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names()) - {"alembic_version"}
            return {name for name in names if not name.startswith(PREFIX)}
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
        opts = {"compare_type": True, "include_name": is_kreislauf_object}
        context = MigrationContext.configure(connection, opts=opts)
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


# --- downgrades that would delete stored data (issue 13, scope 6) ---------------------


def _populate(url: str) -> None:
    """An owner with an organisation, two carbon inputs and a BOM; the owner signed out
    once (session generation 1)."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as db:
        user = account_store.create_user(
            db, email="owner@example.org", name="Owner", password="a long enough password"
        )
        organisation = account_store.create_organisation(
            db, owner=user, slug="acme", name="Acme", kind="company"
        )
        for kind in ("factors", "activities", "bom"):
            db.add(
                CarbonInput(
                    organisation_id=organisation.id,
                    kind=kind,
                    filename=f"{kind}.csv",
                    content="x",
                    content_sha256=hashlib.sha256(b"x").hexdigest(),
                )
            )
        account_store.end_sessions(db, user=user)
        db.commit()
    engine.dispose()


def _count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("target", "lost"),
    [
        ("0004", ["users.session_generation (1)"]),
        ("0003", ["carbon_inputs (1 of 3)", "users.session_generation (1)"]),
        ("0001", ["carbon_inputs (3)", "users.session_generation (1)"]),
        ("base", ["carbon_inputs (3)", "memberships (1)", "organisations (1)", "users (1)"]),
    ],
)
def test_a_downgrade_that_would_delete_data_refuses_and_says_what(
    db_url: str, target: str, lost: list[str]
) -> None:
    _populate(db_url)
    with pytest.raises(DowngradeLosesData) as refused:
        downgrade(db_url, target)
    message = refused.value.message("en")
    for item in lost:
        assert item in message, message
    assert "--force" in message
    # nothing changed: neither the revision nor a row
    assert _revision(db_url) == head_revision()
    assert _count(db_url, "carbon_inputs") == 3 and _count(db_url, "memberships") == 1


def test_a_forced_downgrade_deletes_only_what_it_said(db_url: str) -> None:
    _populate(db_url)
    assert downgrade(db_url, "0003", force=True) == "0003"
    assert _count(db_url, "carbon_inputs") == 2  # the BOM went, as announced
    assert _count(db_url, "memberships") == 1 and _count(db_url, "users") == 1
    assert upgrade(db_url) == head_revision()


def test_a_downgrade_that_deletes_nothing_needs_no_force(db_url: str) -> None:
    """0005 → 0004 with generations at their default: nothing is lost; on SQLite the
    rebuilt ``users`` table no longer deletes the memberships through ON DELETE CASCADE."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        user = account_store.create_user(
            db, email="a@example.org", name="A", password="a long enough password"
        )
        account_store.create_organisation(db, owner=user, slug="acme", name="A", kind="company")
        account_store.create_api_token(db, user_id=user.id, name="ci")
        db.commit()
    engine.dispose()
    assert downgrade(db_url, "0004") == "0004"
    assert _count(db_url, "memberships") == 1 and _count(db_url, "api_tokens") == 1


def test_the_cli_refuses_a_lossy_downgrade_unless_forced(db_url: str) -> None:
    _populate(db_url)
    command = [str(Path(sys.executable).with_name("kreislauf")), "db", "downgrade",
               "--database", db_url, "--revision", "0001"]  # fmt: skip
    env = {"PATH": "/usr/bin:/bin", "KREISLAUF_LANG": "de", "HOME": str(Path.home())}
    refused = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert refused.returncode == 2, refused.stderr
    assert "carbon_inputs (3)" in refused.stderr and "--force" in refused.stderr
    assert "gespeicherte Daten" in refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout
    assert _revision(db_url) == head_revision()
    forced = subprocess.run([*command, "--force"], capture_output=True, text=True, env=env)
    assert forced.returncode == 0, forced.stderr
    assert _revision(db_url) == "0001"


def test_0006_keeps_the_newest_of_identical_carbon_inputs(empty_url: str) -> None:
    upgrade(empty_url, "0005")
    engine = make_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisations (id, slug, name, kind, created_at) "
                "VALUES (1, 'acme', 'Acme', 'company', CURRENT_TIMESTAMP)"
            )
        )
        for id_, kind, content in [(1, "factors", "a"), (2, "factors", "b"), (3, "factors", "a"),
                                   (4, "activities", "a")]:  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO carbon_inputs (id, organisation_id, kind, filename, content, "
                    "created_at) VALUES (:id, 1, :kind, 'f.csv', :content, CURRENT_TIMESTAMP)"
                ),
                {"id": id_, "kind": kind, "content": content},
            )
    engine.dispose()
    assert upgrade(empty_url) == head_revision()
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, content_sha256 FROM carbon_inputs ORDER BY id")
        ).all()
    engine.dispose()
    digest_a = hashlib.sha256(b"a").hexdigest()
    assert [r[0] for r in rows] == [2, 3, 4]  # the older copy of "a" went, order kept
    assert rows[1][1] == digest_a and rows[2][1] == digest_a
