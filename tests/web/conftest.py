"""Fixtures of the web tests: an app on a fresh SQLite and PostgreSQL database each."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from store_databases import BACKENDS, fresh_database

from kreislauf.settings import Settings
from kreislauf.store import secrets, upgrade
from kreislauf.web import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LEDGER = EXAMPLES / "demo-company" / "ledger.csv"
QUESTIONNAIRE = EXAMPLES / "leipzig-survey" / "questionnaire.yaml"
PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters in tests (production keeps the library's defaults)."""
    monkeypatch.setattr(secrets, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, secret_key="test-secret-" + "x" * 32, lang="de")


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


def client_for(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="http://testserver")


class Member:
    """A signed-in API client with its CSRF token."""

    def __init__(self, app: FastAPI, email: str, name: str = "Test") -> None:
        self.client = client_for(app)
        response = self.client.post(
            "/api/v1/auth/signup", json={"email": email, "name": name, "password": PASSWORD}
        )
        assert response.status_code == 201, response.text
        self.csrf = response.json()["csrf_token"]
        self.client.headers["X-CSRF-Token"] = self.csrf

    def org(self, slug: str, kind: str = "company") -> dict[str, object]:
        response = self.client.post(
            "/api/v1/orgs", json={"slug": slug, "name": slug.title(), "kind": kind}
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def upload_ledger(self, slug: str, path: Path = LEDGER) -> object:
        with path.open("rb") as handle:
            return self.client.post(
                f"/api/v1/orgs/{slug}/ledger/uploads", files={"file": (path.name, handle)}
            )

    def questionnaire(self, slug: str, path: Path = QUESTIONNAIRE) -> int:
        with path.open("rb") as handle:
            response = self.client.post(
                f"/api/v1/orgs/{slug}/questionnaires", files={"file": (path.name, handle)}
            )
        assert response.status_code == 201, response.text
        return int(response.json()["id"])


@pytest.fixture
def member(app: FastAPI) -> Member:
    return Member(app, "owner@example.org", "Owner")
