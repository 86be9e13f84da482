"""Sessions you can end (issue 13, scope 4), on SQLite and PostgreSQL.

Logout and a password change end sessions at once (a copy of the old cookie answers 401),
idle and absolute timeouts hold (the clock is moved, nothing sleeps), the cookie is
``Secure`` over HTTPS, a cross-site sign-in is refused and weak passwords are refused at
sign-up and password change.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kreislauf.web import create_app, sessions
from tests.web.web_helpers import PASSWORD, Member, client_for, settings_for

COOKIE = sessions.COOKIE
EMAIL = "owner@example.org"


def _with_cookie(app: FastAPI, cookie: str) -> TestClient:
    """A new client that holds nothing but a copy of a session cookie."""
    client = client_for(app)
    client.cookies.set(COOKIE, cookie)
    return client


def _login(app: FastAPI, email: str = EMAIL, password: str = PASSWORD) -> TestClient:
    client = client_for(app)
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


class Clock:
    """The time :mod:`kreislauf.web.sessions` sees [s since the epoch]."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.time = 1_800_000_000.0
        monkeypatch.setattr(sessions, "now", lambda: self.time)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


# --- logout ------------------------------------------------------------------------------


def test_old_cookie_answers_401_after_logout(app: FastAPI, member: Member) -> None:
    member.org("acme")
    cookie = member.client.cookies[COOKIE]
    assert _with_cookie(app, cookie).get("/api/v1/me").status_code == 200
    assert member.client.post("/api/v1/auth/logout").status_code == 204

    replay = _with_cookie(app, cookie)
    me = replay.get("/api/v1/me")
    assert me.status_code == 401
    assert me.headers["content-type"].startswith("application/problem+json")
    # the one-query authorisation of organisation routes checks the session too
    assert replay.get("/api/v1/orgs/acme/dashboard").status_code == 401
    assert replay.get("/api/v1/orgs/acme").status_code == 401


def test_old_cookie_is_sent_to_login_after_page_logout(app: FastAPI, member: Member) -> None:
    member.org("acme")
    cookie = member.client.cookies[COOKIE]
    response = member.client.post(
        "/logout", data={"csrf_token": member.csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    replay = _with_cookie(app, cookie)
    for page in ("/orgs", "/orgs/acme/dashboard"):
        answer = replay.get(page, follow_redirects=False)
        assert answer.status_code == 303, page
        assert answer.headers["location"].startswith("/login"), page


def test_logout_ends_the_other_sessions_of_the_user(app: FastAPI, member: Member) -> None:
    other = _login(app)
    assert other.get("/api/v1/me").status_code == 200
    assert member.client.post("/api/v1/auth/logout").status_code == 204
    assert other.get("/api/v1/me").status_code == 401


def test_signing_in_again_after_logout_works(app: FastAPI, member: Member) -> None:
    assert member.client.post("/api/v1/auth/logout").status_code == 204
    assert _login(app).get("/api/v1/me").status_code == 200


# --- password change ---------------------------------------------------------------------


def test_password_change_ends_the_other_sessions(app: FastAPI, member: Member) -> None:
    member.org("acme")
    other = _login(app)
    old_cookie = member.client.cookies[COOKIE]
    changed = member.client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "password": "a new and long passphrase"},
    )
    assert changed.status_code == 200, changed.text
    member.client.headers["X-CSRF-Token"] = changed.json()["csrf_token"]

    assert member.client.get("/api/v1/me").status_code == 200  # this session goes on
    assert member.client.get("/api/v1/orgs/acme/dashboard").status_code == 200
    assert other.get("/api/v1/me").status_code == 401
    assert other.get("/api/v1/orgs/acme/dashboard").status_code == 401
    assert _with_cookie(app, old_cookie).get("/api/v1/me").status_code == 401
    assert _login(app, password="a new and long passphrase").get("/api/v1/me").status_code == 200
    refused = client_for(app).post(
        "/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}
    )
    assert refused.status_code == 401


def test_password_change_needs_the_current_password(app: FastAPI, member: Member) -> None:
    other = _login(app)
    response = member.client.post(
        "/api/v1/me/password",
        json={"current_password": "not my password", "password": "a new and long passphrase"},
    )
    assert response.status_code == 401
    assert other.get("/api/v1/me").status_code == 200


def test_removed_member_loses_the_organisation_at_once(app: FastAPI, member: Member) -> None:
    member.org("acme")
    token = member.client.post(
        "/api/v1/orgs/acme/invitations", json={"email": "v@example.org", "role": "viewer"}
    ).json()["token"]
    viewer = Member(app, "v@example.org")
    viewer.client.post("/api/v1/invitations/accept", json={"token": token})
    assert viewer.client.get("/api/v1/orgs/acme/dashboard").status_code == 200
    members = member.client.get("/api/v1/orgs/acme/members").json()
    (membership,) = [m for m in members if m["user"]["email"] == "v@example.org"]
    removed = member.client.delete(f"/api/v1/orgs/acme/members/{membership['id']}")
    assert removed.status_code == 204
    assert viewer.client.get("/api/v1/orgs/acme/dashboard").status_code == 403


# --- timeouts ----------------------------------------------------------------------------


def test_idle_timeout_ends_an_unused_session(app: FastAPI, clock: Clock) -> None:
    idle = app.state.settings.session_idle_s
    member = Member(app, EMAIL)
    member.org("acme")
    clock.time += idle - 1
    assert member.client.get("/api/v1/me").status_code == 200  # used: the idle time restarts
    clock.time += idle - 1
    assert member.client.get("/api/v1/orgs/acme/dashboard").status_code == 200
    cookie = member.client.cookies[COOKIE]
    clock.time += idle
    assert member.client.get("/api/v1/orgs/acme/dashboard").status_code == 401
    assert _with_cookie(app, cookie).get("/api/v1/me").status_code == 401


def test_absolute_timeout_ends_a_busy_session(app: FastAPI, clock: Clock) -> None:
    settings = app.state.settings
    member = Member(app, EMAIL)
    started = clock.time
    step = settings.session_idle_s / 2
    while clock.time + step < started + settings.session_max_age_s:
        clock.time += step
        assert member.client.get("/api/v1/me").status_code == 200
    clock.time = started + settings.session_max_age_s
    assert member.client.get("/api/v1/me").status_code == 401


def test_timeouts_are_settings(db_url: str, clock: Clock) -> None:
    settings = settings_for(db_url).model_copy(
        update={"session_idle_s": 30, "session_max_age_s": 100}
    )
    app = create_app(settings)
    try:
        member = Member(app, EMAIL)
        clock.time += 29
        assert member.client.get("/api/v1/me").status_code == 200
        clock.time += 31
        assert member.client.get("/api/v1/me").status_code == 401
        assert "max-age=100;" in _signup_cookie_header(client_for(app), "b@example.org")
    finally:
        app.state.engine.dispose()


# --- Secure cookie -----------------------------------------------------------------------


def _signup_cookie_header(client: TestClient, email: str = EMAIL) -> str:
    response = client.post(
        "/api/v1/auth/signup", json={"email": email, "name": "Owner", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    (header,) = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return header.lower()


def test_cookie_is_secure_over_https(app: FastAPI) -> None:
    header = _signup_cookie_header(TestClient(app, base_url="https://testserver"))
    assert "; secure" in header
    assert "httponly" in header
    assert "samesite=lax" in header
    assert f"max-age={app.state.settings.session_max_age_s}" in header


def test_cookie_is_not_secure_over_plain_http_unless_set(db_url: str) -> None:
    plain = create_app(settings_for(db_url))
    forced = create_app(settings_for(db_url).model_copy(update={"cookie_secure": True}))
    try:
        assert "secure" not in _signup_cookie_header(client_for(plain))
        assert "; secure" in _signup_cookie_header(client_for(forced), "b@example.org")
    finally:
        plain.state.engine.dispose()
        forced.state.engine.dispose()


# --- login CSRF --------------------------------------------------------------------------

CROSS_SITE = (
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site"},
)


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_cross_site_api_login_is_refused(
    app: FastAPI, member: Member, headers: dict[str, str]
) -> None:
    client = client_for(app)
    response = client.post(
        "/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 403
    assert COOKIE not in client.cookies


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_cross_site_login_form_is_refused(
    app: FastAPI, member: Member, headers: dict[str, str]
) -> None:
    client = client_for(app)
    form = {"email": EMAIL, "password": PASSWORD, "next": "/orgs"}
    response = client.post("/login", data=form, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert client.get("/api/v1/me").status_code == 401  # not signed in


def test_cross_site_signup_is_refused(app: FastAPI) -> None:
    evil = {"Origin": "https://evil.example"}
    body = {"email": "x@example.org", "name": "X", "password": PASSWORD}
    assert client_for(app).post("/api/v1/auth/signup", json=body, headers=evil).status_code == 403
    assert client_for(app).post("/signup", data=body, headers=evil).status_code == 403


@pytest.mark.parametrize(
    "headers",
    ({}, {"Origin": "http://testserver"}, {"Sec-Fetch-Site": "same-origin"},
     {"Sec-Fetch-Site": "none"}),
)  # fmt: skip
def test_same_site_login_still_works(app: FastAPI, member: Member, headers: dict[str, str]) -> None:
    client = client_for(app)
    form = {"email": EMAIL, "password": PASSWORD, "next": "/orgs"}
    response = client.post("/login", data=form, headers=headers, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/v1/me").status_code == 200


# --- password policy ---------------------------------------------------------------------

WEAK = (
    ("qwertyuiop", "common"),
    ("Password123", "common"),
    ("1q2w3e4r5t6y!", "common"),
    ("anna.schmidt@example.org", "e-mail"),
    ("ANNA.SCHMIDT@example.org", "e-mail"),
    ("anna.schmidt", "e-mail"),
    ("anna.schmidt2024!", "e-mail"),
)


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_weak_password_is_refused_at_api_signup(app: FastAPI, password: str, why: str) -> None:
    body = {"email": "anna.schmidt@example.org", "name": "Anna", "password": password}
    response = client_for(app).post(
        "/api/v1/auth/signup", json=body, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert why in response.json()["detail"]
    assert password not in response.text


def test_weak_password_message_is_german_on_the_signup_page(app: FastAPI) -> None:
    client = client_for(app)
    form = {"email": "anna@example.org", "name": "Anna", "password": "qwertyuiop",
            "csrf_token": _page_csrf(client)}  # fmt: skip
    response = client.post("/signup", data=form)
    assert response.status_code == 422
    assert "häufigsten" in response.text
    form["password"] = "anna@example.org"
    response = client.post("/signup", data=form)
    assert response.status_code == 422
    assert "E-Mail-Adresse" in response.text
    assert client.get("/api/v1/me").status_code == 401


def _page_csrf(client: TestClient) -> str:
    page = client.get("/signup").text
    marker = 'name="csrf_token" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_weak_password_is_refused_at_password_change(app: FastAPI, password: str, why: str) -> None:
    member = Member(app, "anna.schmidt@example.org")
    other = _login(app, "anna.schmidt@example.org")
    response = member.client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "password": password},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422, response.text
    assert why in response.json()["detail"]
    assert other.get("/api/v1/me").status_code == 200  # nothing changed, nothing ended
    assert _login(app, "anna.schmidt@example.org").get("/api/v1/me").status_code == 200
