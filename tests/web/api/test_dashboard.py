"""The dashboard API's fast path: one access query, cached JSON, no stale data across workers.

Two app instances on one database stand for two worker processes, each with its own cache.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request

from kreislauf.web import create_app
from kreislauf.web.api.dashboard import dashboard
from kreislauf.web.api.ledger import list_uploads
from kreislauf.web.deps import get_db
from kreislauf.web.services.dashboard import full_dashboard
from tests.web.web_helpers import Member, client_for, corrected_ledger, settings_for

URL = "/api/v1/orgs/acme/dashboard"


def test_other_workers_upload_and_deletion_show_at_once(
    app: FastAPI, member: Member, tmp_path: Path
) -> None:
    member.org("acme")
    token = member.client.post("/api/v1/me/tokens", json={"name": "w"}).json()["token"]
    other = create_app(settings_for(app.state.settings.database_url))  # a second worker
    try:
        machine = client_for(other)
        machine.headers["Authorization"] = f"Bearer {token}"
        assert machine.get(URL).json()["uploads"] == 0  # cached by this worker

        first = member.upload_ledger("acme").json()  # type: ignore[attr-defined]
        board = machine.get(URL)
        assert board.headers["content-type"] == "application/json"
        assert board.json()["uploads"] == 1 and board.json()["kpis"]
        member.upload_ledger("acme", corrected_ledger(tmp_path))  # type: ignore[attr-defined]
        assert machine.get(URL).json()["uploads"] == 2
        member.client.delete(f"/api/v1/orgs/acme/ledger/uploads/{first['id']}")
        assert machine.get(URL).json()["uploads"] == 1

        tokens = member.client.get("/api/v1/me/tokens").json()
        member.client.delete(f"/api/v1/me/tokens/{tokens[0]['id']}")
        revoked = machine.get(URL)  # the revocation counts at once, cache or not
        assert revoked.status_code == 401
    finally:
        other.state.engine.dispose()


def test_cached_json_equals_the_validated_model(app: FastAPI, member: Member) -> None:
    member.org("acme")
    member.upload_ledger("acme")  # type: ignore[attr-defined]
    for lang in ("de", "en"):
        body = member.client.get(URL, params={"lang": lang}).json()
        with app.state.sessionmaker() as session:
            org = member.client.get("/api/v1/orgs/acme").json()
            expected = full_dashboard(session, organisation_id=org["id"], lang=lang)
        assert body == json.loads(expected.model_dump_json())


def test_outsider_and_unknown_token_are_refused(app: FastAPI, member: Member) -> None:
    member.org("acme")
    outsider = Member(app, "x@example.org")
    assert outsider.client.get(URL).status_code == 403
    anonymous = client_for(app)
    assert anonymous.get(URL).status_code == 401
    anonymous.headers["Authorization"] = "Bearer kl_not-a-token"
    assert anonymous.get(URL).status_code == 401


def test_read_only_routes_run_without_transaction(app: FastAPI) -> None:
    levels = {}
    for endpoint in (dashboard, list_uploads):
        scope = {"type": "http", "app": app, "endpoint": endpoint, "headers": []}
        sessions = get_db(Request(scope))
        session = next(sessions)
        connection = session.connection()
        driver = connection.connection.dbapi_connection
        autocommit = getattr(driver, "autocommit", None)  # psycopg
        if autocommit is None:  # sqlite3: no isolation level = autocommit
            autocommit = driver.isolation_level is None  # type: ignore[union-attr]
        levels[endpoint.__name__] = autocommit
        sessions.close()
    assert levels == {"dashboard": True, "list_uploads": False}
