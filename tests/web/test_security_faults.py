"""Faults (issue 13, scope 6): a database that stops answering, bodies that are not JSON,
exceptions nobody handled. Real databases throughout: an engine on a closed port or a
missing SQLite folder, and PostgreSQL backends ended with ``pg_terminate_backend``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from kreislauf.store import make_engine, make_sessionmaker, upgrade
from kreislauf.web import create_app
from kreislauf.web.problems import MEDIA_TYPE, RETRY_AFTER_S
from tests.store.store_databases import PG_SERVER, fresh_database
from tests.web.test_security_headers import _problems
from tests.web.web_helpers import Member, client_for, settings_for

#: Nothing listens on port 1 of the loopback address; a missing folder has no SQLite file.
UNREACHABLE = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2",
    "sqlite": "sqlite:////nonexistent-kreislauf-folder/sub/kreislauf.db",
}


def _cut_off(app: FastAPI, backend: str) -> None:
    """Point the running app's sessions at a database that does not answer."""
    engine = make_engine(UNREACHABLE[backend])
    app.state.engine.dispose()
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.read_sessionmaker = make_sessionmaker(engine, read_only=True)


def _backend(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def test_a_lost_database_answers_503_problems_on_the_api(app: FastAPI, db_url: str) -> None:
    member = Member(app, "owner@example.org")
    member.org("acme")
    _cut_off(app, _backend(db_url))
    calls = [
        ("GET", "/api/v1/me", None),
        ("GET", "/api/v1/orgs/acme/ledger/uploads", None),
        ("POST", "/api/v1/orgs", {"slug": "beta", "name": "Beta", "kind": "company"}),
        ("POST", "/api/v1/auth/login", {"email": "owner@example.org", "password": "x" * 12}),
    ]
    for method, path, body in calls:
        response = member.client.request(method, path, json=body)
        assert response.status_code == 503, (path, response.text)
        assert response.headers["content-type"] == MEDIA_TYPE
        assert response.headers["retry-after"] == str(RETRY_AFTER_S)
        problem = response.json()
        assert problem["type"] == "urn:kreislauf:problem:database_unavailable"
        assert "127.0.0.1" not in response.text and "nonexistent" not in response.text
        assert _problems(response) == []  # the security headers too


def test_a_lost_database_answers_a_small_html_503_on_pages(app: FastAPI, db_url: str) -> None:
    member = Member(app, "owner@example.org")
    member.org("acme")
    _cut_off(app, _backend(db_url))
    for path in ("/orgs", "/orgs/acme/ledger", "/orgs/acme/members"):
        response = member.client.get(path, follow_redirects=False)
        assert response.status_code == 503, (path, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["retry-after"] == str(RETRY_AFTER_S)
        assert "Die Datenbank antwortet gerade nicht" in response.text
        assert len(response.content) < 5_000
        assert _problems(response) == []
    english = member.client.get("/orgs?lang=en")
    assert english.status_code == 503 and "the database is not answering" in english.text


@pytest.fixture
def pg_app(tmp_path: Path) -> Iterator[tuple[FastAPI, str]]:
    """An app on its own PostgreSQL schema whose connections carry a unique name."""
    with fresh_database("postgresql", tmp_path) as url:
        upgrade(url)
        name = f"kreislauf-faults-{uuid.uuid4().hex[:12]}"
        application = create_app(settings_for(f"{url}&application_name={name}"))
        yield application, name
        application.state.engine.dispose()


def _terminate(name: str) -> int:
    """End every server backend of the app (``pg_terminate_backend``); how many there were."""
    admin = create_engine(PG_SERVER)
    try:
        with admin.begin() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": name},
            ).scalar_one()
    finally:
        admin.dispose()
    return int(ended)


def test_connections_terminated_by_the_server_answer_503_then_recover(
    pg_app: tuple[FastAPI, str],
) -> None:
    app, name = pg_app
    member = Member(app, "owner@example.org")
    member.org("acme")
    assert member.client.get("/api/v1/me").status_code == 200
    assert _terminate(name) >= 1
    response = member.client.get("/api/v1/me")
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == str(RETRY_AFTER_S)
    assert response.json()["type"] == "urn:kreislauf:problem:database_unavailable"
    # the pool dropped the dead connections: the next request works again
    assert member.client.get("/api/v1/me").status_code == 200
    assert _terminate(name) >= 1
    page = member.client.get("/orgs")
    assert page.status_code == 503 and page.headers["retry-after"] == str(RETRY_AFTER_S)
    assert member.client.get("/orgs").status_code == 200


def test_a_body_that_is_not_json_is_a_400_problem(app: FastAPI) -> None:
    member = Member(app, "owner@example.org")
    response = member.client.post(
        "/api/v1/orgs", content=b'{"slug": "x", name', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    problem = response.json()
    assert problem["type"] == "urn:kreislauf:problem:invalid_json"
    assert problem["field"] == "body"
    assert "Zeichen 14" in problem["detail"]  # where the parser stopped
    # JSON of the wrong shape is a 422 validation problem, in the project's shape too
    wrong = member.client.post("/api/v1/orgs", json=[1, 2])
    assert wrong.status_code == 422 and wrong.headers["content-type"] == MEDIA_TYPE
    assert wrong.json()["type"] == "urn:kreislauf:problem:validation"
    assert {"field", "detail", "type"} <= set(wrong.json()["errors"][0])


def test_an_unhandled_exception_is_a_500_problem_with_headers(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    def explode() -> None:
        raise RuntimeError("internal detail: /srv/secret.py line 7")

    app.add_api_route("/api/v1/explode", explode)
    app.add_api_route("/explode", explode)
    client = client_for(app)
    with caplog.at_level(logging.ERROR, logger="kreislauf.web"):
        api = client.get("/api/v1/explode")
        page = client.get("/explode?lang=en")
    assert api.status_code == 500
    assert api.headers["content-type"] == MEDIA_TYPE
    problem = api.json()
    assert problem["type"] == "urn:kreislauf:problem:internal"
    assert "secret" not in api.text and "RuntimeError" not in api.text
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "an unexpected error occurred" in page.text and "secret" not in page.text
    for response in (api, page):
        assert _problems(response) == []
    # logged with the traceback, under the reference the answer names
    logged = [r for r in caplog.records if r.name == "kreislauf.web" and r.exc_info]
    assert len(logged) == 2
    assert problem["reference"] in logged[0].getMessage()
    assert "secret.py" in str(logged[0].exc_info[1])  # type: ignore[index]
