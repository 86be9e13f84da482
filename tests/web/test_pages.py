"""Pages: German by default, English on request, CSRF on forms, invitations by link."""

from __future__ import annotations

import re

from fastapi import FastAPI

from tests.web.web_helpers import PASSWORD, Member, client_for


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def test_pages_are_german_unless_switched(app: FastAPI) -> None:
    client = client_for(app)
    german = client.get("/login", headers={"Accept-Language": "en-US,en"})
    assert '<html lang="de">' in german.text and "Anmelden" in german.text
    client.get("/lang/en?next=/login")
    english = client.get("/login")
    assert '<html lang="en">' in english.text and "Sign in" in english.text
    assert client.get("/lang/de?next=https://evil.example").headers.get("location") in (
        None,
        "/orgs",
    )


def test_form_posts_need_the_csrf_token(app: FastAPI) -> None:
    client = client_for(app)
    page = client.get("/signup")
    form = {"name": "Anna", "email": "anna@example.org", "password": PASSWORD}
    refused = client.post("/signup", data=form, follow_redirects=False)
    assert refused.status_code == 403
    accepted = client.post(
        "/signup", data=form | {"csrf_token": _csrf(page.text)}, follow_redirects=False
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == "/orgs"


def test_login_page_shows_the_error_and_keeps_the_address(app: FastAPI, member: Member) -> None:
    client = client_for(app)
    page = client.get("/login")
    wrong = client.post(
        "/login",
        data={
            "email": "owner@example.org",
            "password": "nope-nope-nope",
            "csrf_token": _csrf(page.text),
        },
    )
    assert wrong.status_code == 401 and "falsch" in wrong.text and "owner@example.org" in wrong.text


def test_invitation_link_makes_a_member(app: FastAPI, member: Member) -> None:
    member.org("acme")
    page = member.client.get("/orgs/acme/members")
    created = member.client.post(
        "/orgs/acme/members/invite",
        data={"email": "new@example.org", "role": "editor", "csrf_token": _csrf(page.text)},
    )
    link = re.search(r'id="invite-link" href="(/invite/[^"]+)"', created.text)
    assert link
    newcomer = Member(app, "new@example.org", "New")
    invitation = newcomer.client.get(link.group(1))
    joined = newcomer.client.post(
        link.group(1), data={"csrf_token": _csrf(invitation.text)}, follow_redirects=False
    )
    assert joined.headers["location"] == "/orgs/acme"
    role = newcomer.client.get("/api/v1/me").json()["memberships"][0]["role"]
    assert role == "editor"
    again = newcomer.client.post(link.group(1), data={"csrf_token": _csrf(invitation.text)})
    assert again.status_code == 404  # used once
