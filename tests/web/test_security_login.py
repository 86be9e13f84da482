"""Login rate limit against a hostile client: concurrency, forged X-Forwarded-For, long keys.

Issue 13: 30 concurrent wrong passwords never hit the limit; ``X-Forwarded-For`` was
trusted from 127.0.0.1 (uvicorn's default), so rotating it bypassed the limit, and a
400-character value made the attempt insert fail with 500 while the right password still
answered 200.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from ipaddress import ip_network
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kreislauf.cli import web as cli_web
from kreislauf.settings import get_settings
from kreislauf.web import create_app
from tests.web.web_helpers import PASSWORD, Member, settings_for

EMAIL = "owner@example.org"
LIMIT = 5  # login_max_failures of the test settings (the default)


def _login(client: TestClient, password: str, **headers: str) -> int:
    body = {"email": EMAIL, "password": password}
    return client.post("/api/v1/auth/login", json=body, headers=headers).status_code


def _app_with(db_url: str, *proxies: str) -> FastAPI:
    settings = settings_for(db_url).model_copy(
        update={"trusted_proxies": [ip_network(p) for p in proxies]}
    )
    return create_app(settings)


def test_thirty_concurrent_wrong_passwords_hit_the_limit(app: FastAPI, member: Member) -> None:
    clients = [TestClient(app) for _ in range(30)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def attempt(client: TestClient) -> None:
        barrier.wait()
        statuses.append(_login(client, "wrong password"))

    threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [401] * LIMIT + [429] * (30 - LIMIT)
    assert _login(TestClient(app), PASSWORD) == 429  # the right password is refused now


def test_forwarded_for_from_an_untrusted_peer_is_ignored(db_url: str) -> None:
    app = _app_with(db_url, "10.0.0.0/8")  # a proxy is configured, but the peer is not it
    Member(app, EMAIL)
    client = TestClient(app, client=("127.0.0.1", 40000))
    statuses = [_login(client, "wrong", **{"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(8)]
    assert statuses == [401] * LIMIT + [429] * 3
    assert _login(client, PASSWORD, **{"X-Forwarded-For": "198.51.100.200"}) == 429
    app.state.engine.dispose()


def test_forwarded_for_from_a_trusted_proxy_counts_the_right_most_untrusted_address(
    db_url: str,
) -> None:
    app = _app_with(db_url, "127.0.0.1", "10.0.0.0/8")
    Member(app, EMAIL)
    proxy = TestClient(app, client=("127.0.0.1", 40000))
    forged = {"X-Forwarded-For": "203.0.113.7, 192.0.2.1, 10.1.2.3"}  # client forged the first
    assert [_login(proxy, "wrong", **forged) for _ in range(LIMIT)] == [401] * LIMIT
    rotated = {"X-Forwarded-For": "203.0.113.99, 192.0.2.1, 10.1.2.3"}
    assert _login(proxy, PASSWORD, **rotated) == 429  # same client 192.0.2.1: still limited
    assert _login(proxy, PASSWORD, **{"X-Forwarded-For": "192.0.2.2"}) == 200  # another client
    app.state.engine.dispose()


@pytest.mark.parametrize("proxies", [(), ("127.0.0.1",)])
def test_a_long_forwarded_for_is_no_500_and_no_way_around_the_limit(
    db_url: str, proxies: tuple[str, ...]
) -> None:
    app = _app_with(db_url, *proxies)
    Member(app, EMAIL)
    client = TestClient(app, client=("127.0.0.1", 40000))
    long = {"X-Forwarded-For": "x" * 400}
    assert [_login(client, "wrong", **long) for _ in range(LIMIT + 1)] == [401] * LIMIT + [429]
    assert _login(client, PASSWORD, **long) == 429
    app.state.engine.dispose()


def test_a_long_email_on_the_login_page_is_a_422_page(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"email": "a" * 400 + "@example.org", "password": "x", "csrf_token": token}
    response = client.post("/login", data=form)
    assert response.status_code == 422
    assert "320" in response.text


@contextmanager
def _served(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The app served by uvicorn with the options ``kreislauf serve`` passes; its port."""
    captured: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: captured.update(kwargs))
    monkeypatch.setattr(cli_web, "check_database", lambda url: None)
    monkeypatch.setenv("KREISLAUF_SECRET_KEY", "test-secret-" + "x" * 32)
    monkeypatch.setenv("KREISLAUF_DATABASE_URL", db_url)
    get_settings.cache_clear()
    cli_web.run_server(db_url, host="127.0.0.1", port=0, workers=1)
    get_settings.cache_clear()
    app = create_app(settings_for(db_url))
    options = {k: captured[k] for k in ("proxy_headers", "forwarded_allow_ips") if k in captured}
    config = uvicorn.Config(app, log_level="warning", lifespan="off", **options)
    server = uvicorn.Server(config)
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[listener])))
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        yield listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        app.state.engine.dispose()


def _post(port: int, path: str, body: dict[str, str], forwarded: str | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if forwarded is not None:
        headers["X-Forwarded-For"] = forwarded
    connection.request("POST", path, body=json.dumps(body), headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_kreislauf_serve_does_not_trust_forwarded_for_by_default(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _served(db_url, monkeypatch) as port:
        signup = {"email": EMAIL, "name": "O", "password": PASSWORD}
        assert _post(port, "/api/v1/auth/signup", signup) == 201
        wrong = {"email": EMAIL, "password": "wrong"}
        rotated = [_post(port, "/api/v1/auth/login", wrong, f"198.51.100.{i}") for i in range(8)]
        assert rotated == [401] * LIMIT + [429] * 3
        right = {"email": EMAIL, "password": PASSWORD}
        assert _post(port, "/api/v1/auth/login", right, "x" * 400) == 429
        assert _post(port, "/api/v1/auth/login", wrong, "y" * 400) == 429
