"""Fixtures of the web tests: an app on a fresh SQLite and PostgreSQL database each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from kreislauf.store import secrets, upgrade
from kreislauf.web import create_app
from tests.store.store_databases import BACKENDS, fresh_database
from tests.web.web_helpers import Member, settings_for


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters in tests (production keeps the library's defaults)."""
    monkeypatch.setattr(secrets, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        upgrade(url)
        yield url


@pytest.fixture
def app(db_url: str) -> Iterator[FastAPI]:
    application = create_app(settings_for(db_url))
    yield application
    application.state.engine.dispose()


@pytest.fixture
def member(app: FastAPI) -> Member:
    return Member(app, "owner@example.org", "Owner")


@pytest.fixture
def big_app(db_url: str) -> Iterator[FastAPI]:
    """An app that imports every ledger above 10 kB in the background (the demo's is 53 kB)."""
    settings = settings_for(db_url).model_copy(update={"import_background_bytes": 10_000})
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def owner(big_app: FastAPI) -> Member:
    member = Member(big_app, "owner@example.org", "Owner")
    member.org("acme")
    return member
