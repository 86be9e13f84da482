"""Members page: removing members (with a confirm step), withdrawing invitations, roles."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from tests.web.web_helpers import Member


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _join(app: FastAPI, owner: Member, email: str, role: str) -> Member:
    """A new member of 'acme' with ``role`` (invited through the API)."""
    token = owner.client.post(
        "/api/v1/orgs/acme/invitations", json={"email": email, "role": role}
    ).json()["token"]
    person = Member(app, email, email.split("@")[0].title())
    accepted = person.client.post("/api/v1/invitations/accept", json={"token": token})
    assert accepted.status_code == 200
    return person


def _membership_id(owner: Member, email: str) -> int:
    members = owner.client.get("/api/v1/orgs/acme/members").json()
    return next(int(m["id"]) for m in members if m["user"]["email"] == email)


def _emails(owner: Member) -> set[str]:
    return {m["user"]["email"] for m in owner.client.get("/api/v1/orgs/acme/members").json()}


def test_owner_removes_a_member_after_confirming(app: FastAPI, member: Member) -> None:
    member.org("acme")
    editor = _join(app, member, "ed@example.org", "editor")
    target = _membership_id(member, "ed@example.org")
    page = member.client.get("/orgs/acme/members")
    assert f'href="/orgs/acme/members/{target}/remove"' in page.text
    assert 'aria-label="Ed aus der Organisation entfernen"' in page.text
    confirm = member.client.get(f"/orgs/acme/members/{target}/remove")
    assert confirm.status_code == 200 and 'id="confirm-remove"' in confirm.text
    assert "Ed (ed@example.org) verliert den Zugriff auf Acme" in confirm.text
    assert _emails(member) == {"owner@example.org", "ed@example.org"}  # asking removes nothing
    removed = member.client.post(
        f"/orgs/acme/members/{target}/remove",
        data={"csrf_token": _csrf(confirm.text)},
        follow_redirects=False,
    )
    assert removed.status_code == 303 and removed.headers["location"] == "/orgs/acme/members"
    assert _emails(member) == {"owner@example.org"}
    assert editor.client.get("/orgs/acme/dashboard").status_code == 403


def test_owner_withdraws_an_invitation_and_its_link_stops_working(
    app: FastAPI, member: Member
) -> None:
    member.org("acme")
    page = member.client.get("/orgs/acme/members")
    created = member.client.post(
        "/orgs/acme/members/invite",
        data={"email": "late@example.org", "role": "viewer", "csrf_token": _csrf(page.text)},
    )
    link = re.search(r'id="invite-link" href="(/invite/[^"]+)"', created.text)
    assert link
    invitation_id = member.client.get("/api/v1/orgs/acme/invitations").json()[0]["id"]
    assert 'aria-label="Einladung an late@example.org zurückziehen"' in created.text
    revoked = member.client.post(
        f"/orgs/acme/invitations/{invitation_id}/revoke",
        data={"csrf_token": _csrf(created.text)},
    )
    assert revoked.status_code == 200 and 'id="members-ok"' in revoked.text
    assert "late@example.org" not in revoked.text
    assert member.client.get("/api/v1/orgs/acme/invitations").json() == []
    latecomer = Member(app, "late@example.org", "Late")
    form = latecomer.client.get(link.group(1))
    accepted = latecomer.client.post(link.group(1), data={"csrf_token": _csrf(form.text)})
    assert accepted.status_code == 404
    assert latecomer.client.get("/orgs/acme/dashboard").status_code == 403


def test_the_last_owner_cannot_be_removed_and_is_told_so(app: FastAPI, member: Member) -> None:
    member.org("acme")
    own = _membership_id(member, "owner@example.org")
    confirm = member.client.get(f"/orgs/acme/members/{own}/remove")
    assert "Organisation verlassen?" in confirm.text  # removing oneself is worded as leaving
    refused = member.client.post(
        f"/orgs/acme/members/{own}/remove", data={"csrf_token": _csrf(confirm.text)}
    )
    assert refused.status_code == 422
    assert 'id="members-error"' in refused.text
    assert "Sie sind die letzte Inhaberin bzw. der letzte Inhaber" in refused.text
    assert _emails(member) == {"owner@example.org"}
    english = member.client.post(
        f"/orgs/acme/members/{own}/remove?lang=en", data={"csrf_token": _csrf(confirm.text)}
    )
    assert "You are the last owner" in english.text and "Traceback" not in english.text
    demoted = member.client.post(
        f"/orgs/acme/members/{own}/role", data={"role": "viewer", "csrf_token": _csrf(confirm.text)}
    )
    assert demoted.status_code == 422 and "mindestens eine Inhaberin" in demoted.text


def test_an_owner_who_leaves_goes_to_the_organisation_list(app: FastAPI, member: Member) -> None:
    member.org("acme")
    second = _join(app, member, "co@example.org", "owner")
    own = _membership_id(member, "owner@example.org")
    page = member.client.get("/orgs/acme/members")
    left = member.client.post(
        f"/orgs/acme/members/{own}/remove",
        data={"csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert left.status_code == 303 and left.headers["location"] == "/orgs"
    assert member.client.get("/orgs/acme/members").status_code == 403
    assert _emails(second) == {"co@example.org"}


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_viewers_and_editors_cannot_remove_or_withdraw(
    app: FastAPI, member: Member, role: str
) -> None:
    member.org("acme")
    person = _join(app, member, "p@example.org", role)
    member.client.post("/api/v1/orgs/acme/invitations", json={"email": "x@example.org"})
    invitation_id = member.client.get("/api/v1/orgs/acme/invitations").json()[0]["id"]
    owner_id = _membership_id(member, "owner@example.org")
    page = person.client.get("/orgs/acme/members")
    assert page.status_code == 200 and "/remove" not in page.text and "/revoke" not in page.text
    token = {"csrf_token": _csrf(page.text)}
    assert person.client.get(f"/orgs/acme/members/{owner_id}/remove").status_code == 403
    assert (
        person.client.post(f"/orgs/acme/members/{owner_id}/remove", data=token).status_code == 403
    )
    revoke = person.client.post(f"/orgs/acme/invitations/{invitation_id}/revoke", data=token)
    assert revoke.status_code == 403
    assert _emails(member) == {"owner@example.org", "p@example.org"}
    assert len(member.client.get("/api/v1/orgs/acme/invitations").json()) == 1
