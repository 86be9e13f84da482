"""Accounts: argon2 hashes, unique e-mail, login rate limit in the database, roles, tokens."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from kreislauf.errors import (
    AlreadyExists,
    InvalidCredentials,
    InvalidField,
    NotFound,
    PermissionDenied,
    TooManyLoginAttempts,
)
from kreislauf.store import account as account_store

PASSWORD = "correct horse battery"


def _login(session: Session, password: str, client: str = "10.0.0.1") -> object:
    return account_store.authenticate(
        session, email="Anna@Example.org", password=password, client=client,
        max_failures=3, window_s=600,
    )  # fmt: skip


def test_password_is_stored_as_argon2id(session: Session) -> None:
    user = account_store.create_user(
        session, email="anna@example.org", name="Anna", password=PASSWORD
    )
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_email_is_unique_case_insensitively(session: Session) -> None:
    account_store.create_user(session, email="anna@example.org", name="Anna", password=PASSWORD)
    with pytest.raises(AlreadyExists):
        account_store.create_user(session, email=" ANNA@example.org", name="A", password=PASSWORD)


def test_short_password_and_bad_email_are_refused(session: Session) -> None:
    with pytest.raises(InvalidField, match="password"):
        account_store.create_user(session, email="a@example.org", name="A", password="short")
    with pytest.raises(InvalidField, match="email"):
        account_store.create_user(session, email="not-an-address", name="A", password=PASSWORD)


def test_login_rate_limit_counts_failures_per_account_and_address(session: Session) -> None:
    account_store.create_user(session, email="anna@example.org", name="Anna", password=PASSWORD)
    assert _login(session, PASSWORD).email == "anna@example.org"
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            _login(session, "wrong password")
    session.commit()
    with pytest.raises(TooManyLoginAttempts):
        _login(session, PASSWORD)  # even the right password is refused now
    assert _login(session, PASSWORD, client="10.0.0.2").name == "Anna"  # other address


def test_access_requires_membership_and_roles_are_ordered(session: Session) -> None:
    owner = account_store.create_user(session, email="o@example.org", name="O", password=PASSWORD)
    other = account_store.create_user(session, email="x@example.org", name="X", password=PASSWORD)
    org = account_store.create_organisation(
        session, owner=owner, slug="acme", name="Acme", kind="company"
    )
    access = account_store.access(session, user_id=owner.id, slug="acme")
    assert access.role == "owner" and access.allows("editor")
    with pytest.raises(PermissionDenied):
        account_store.access(session, user_id=other.id, slug="acme")
    with pytest.raises(PermissionDenied):  # same answer for an unknown organisation
        account_store.access(session, user_id=other.id, slug="does-not-exist")
    invitation, token = account_store.create_invitation(
        session, organisation_id=org.id, email="x@example.org", role="viewer", created_by=owner.id
    )
    assert invitation.token_hash != token
    account_store.accept_invitation(session, token=token, user=other)
    viewer = account_store.access(session, user_id=other.id, slug="acme")
    assert viewer.allows("viewer") and not viewer.allows("editor")
    with pytest.raises(NotFound):  # a token works once
        account_store.accept_invitation(session, token=token, user=other)


def test_last_owner_cannot_leave(session: Session) -> None:
    owner = account_store.create_user(session, email="o@example.org", name="O", password=PASSWORD)
    org = account_store.create_organisation(
        session, owner=owner, slug="acme", name="Acme", kind="network"
    )
    (membership,) = account_store.members(session, organisation_id=org.id)
    with pytest.raises(InvalidField, match="owner"):
        account_store.set_role(
            session, organisation_id=org.id, membership_id=membership.id, role="viewer"
        )


def test_api_token_is_hashed_and_revocable(session: Session) -> None:
    user = account_store.create_user(session, email="o@example.org", name="O", password=PASSWORD)
    record, token = account_store.create_api_token(session, user_id=user.id, name="ci")
    assert token.startswith("kl_") and record.token_hash != token
    assert account_store.user_for_token(session, token=token).id == user.id
    account_store.revoke_api_token(session, user_id=user.id, token_id=record.id)
    with pytest.raises(InvalidCredentials):
        account_store.user_for_token(session, token=token)
