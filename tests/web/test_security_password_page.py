"""The account page's password form (issue 13 leftover): German and English, CSRF like
every form, wrong current password and weak new passwords refused on the page, and the
change ends the user's other sessions while this one goes on. Both databases."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.web_helpers import PASSWORD, Member, client_for

EMAIL = "owner@example.org"
NEW = "seven orange kites over Leipzig"


def _token(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def _signed_in_page(app: FastAPI) -> tuple[TestClient, str]:
    client = client_for(app)
    response = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    page = client.get("/account")
    assert page.status_code == 200
    return client, page.text


def test_the_account_page_changes_the_password_and_ends_other_sessions(app: FastAPI) -> None:
    Member(app, EMAIL, "Anna")
    other, _ = _signed_in_page(app)  # another browser of the same user
    client, page = _signed_in_page(app)
    assert "Passwort ändern" in page and 'autocomplete="current-password"' in page
    assert 'href="/account"' in client.get("/orgs").text
    changed = client.post(
        "/account/password",
        data={"csrf_token": _token(page), "current_password": PASSWORD, "password": NEW},
        follow_redirects=False,
    )
    assert changed.status_code == 303 and changed.headers["location"] == "/account?changed=1"
    done = client.get("/account?changed=1")
    assert done.status_code == 200 and "Alle anderen Anmeldungen sind beendet" in done.text
    # the other browser is signed out, the old password no longer works, the new one does
    assert other.get("/account", follow_redirects=False).status_code == 303
    old = client_for(app).post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert old.status_code == 401
    new = client_for(app).post("/api/v1/auth/login", json={"email": EMAIL, "password": NEW})
    assert new.status_code == 200


def test_the_form_refuses_on_the_page_in_the_users_language(app: FastAPI) -> None:
    Member(app, EMAIL, "Anna")
    client, page = _signed_in_page(app)
    token = _token(page)
    wrong = client.post(
        "/account/password?lang=en",
        data={"csrf_token": token, "current_password": "not the password", "password": NEW},
    )
    assert wrong.status_code == 401 and "password (or API token) is wrong" in wrong.text
    assert 'role="alert"' in wrong.text and "Change the password" in wrong.text
    common = client.post(
        "/account/password",
        data={"csrf_token": token, "current_password": PASSWORD, "password": "password1234"},
    )
    assert common.status_code == 422 and "häufigsten" in common.text
    like_email = client.post(
        "/account/password",
        data={"csrf_token": token, "current_password": PASSWORD, "password": EMAIL},
    )
    assert like_email.status_code == 422 and "E-Mail-Adresse" in like_email.text
    # nothing changed: the password still signs in
    still = client_for(app).post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert still.status_code == 200


def test_the_form_needs_the_csrf_token(app: FastAPI) -> None:
    Member(app, EMAIL, "Anna")
    client, _ = _signed_in_page(app)
    forged = client.post("/account/password", data={"current_password": PASSWORD, "password": NEW})
    assert forged.status_code == 403
    still = client_for(app).post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert still.status_code == 200


def test_the_account_page_needs_a_session(app: FastAPI) -> None:
    response = client_for(app).get("/account", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
