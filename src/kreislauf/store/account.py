"""Users, organisations, memberships, invitations, API tokens and the login rate limit.

Repository functions take the session keyword-only and flush, never commit: the caller
(one web request, one CLI command) decides the transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Select, bindparam, delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from kreislauf.errors import (
    AlreadyExists,
    InvalidCredentials,
    InvalidField,
    InvitationForAnotherAddress,
    NotFound,
    PermissionDenied,
    TooManyLoginAttempts,
)
from kreislauf.store.base import utcnow
from kreislauf.store.engine import begin_immediate, lock_key
from kreislauf.store.models import (
    ORG_KINDS,
    ROLES,
    ApiToken,
    Invitation,
    LoginAttempt,
    Membership,
    Organisation,
    User,
)
from kreislauf.store.passwords import check_password
from kreislauf.store.secrets import (
    DUMMY_HASH,
    hash_password,
    new_token,
    token_hash,
    verify_password,
)
from kreislauf.store.stamp import Stamp, stamp_columns, stamp_of
from kreislauf.store.tenancy import get_scoped, scoped

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
INVITATION_DAYS = 14
#: Longest e-mail address (the ``users.email`` column; RFC 5321's path limit) [characters].
EMAIL_MAX = 320
#: Longest client address in a login-attempt key (an IPv6 address with a zone id) [characters].
CLIENT_MAX = 64


def _excerpt(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def normalise_email(email: str) -> str:
    """Lower-case, stripped; raises :class:`InvalidField` unless it looks like an address."""
    value = email.strip().lower()
    if len(value) > EMAIL_MAX or not _EMAIL.match(value):
        expected = f"name@example.org, at most {EMAIL_MAX} characters"
        raise InvalidField(field="email", value=_excerpt(email), expected=expected)
    return value


def create_user(
    session: Session, *, email: str, name: str, password: str, lang: str = "de"
) -> User:
    """A new account; the password must pass :func:`~kreislauf.store.passwords.check_password`."""
    address = normalise_email(email)
    check_password(password, email=address)
    if not name.strip():
        raise InvalidField(field="name", value=name, expected="a name")
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise AlreadyExists(field="email", value=address)
    user = User(email=address, name=name.strip(), password_hash=hash_password(password), lang=lang)
    session.add(user)
    session.flush()
    return user


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    client: str,
    max_failures: int,
    window_s: int,
) -> User:
    """The user with these credentials, subject to the login rate limit.

    Failed attempts are counted per (e-mail, client address) in the database, so the limit
    holds across several workers. Raises :class:`TooManyLoginAttempts` when
    ``max_failures`` failures lie within the last ``window_s`` seconds, else
    :class:`InvalidCredentials` for a wrong address or password (the caller commits, so
    that the failure is kept), and :class:`InvalidField` for an e-mail address or client
    address too long to be recorded (before any password is checked).

    Counting and recording are one step: the attempts of one key are serialised by a lock
    held until the caller's transaction ends (:func:`_lock_attempts`), so concurrent wrong
    passwords cannot all read the same count.
    """
    key = _attempt_key(email, client)
    since = utcnow() - timedelta(seconds=window_s)
    # A cheap first look refuses a limited key without hashing; the locked count decides.
    if _failures(session, key=key, since=since) >= max_failures:
        raise TooManyLoginAttempts(minutes=max(1, window_s // 60))
    address = key.rpartition("|")[0]
    user = session.scalars(select(User).where(User.email == address)).first()
    valid = verify_password(user.password_hash if user else DUMMY_HASH, password)
    _lock_attempts(session, key=key)
    if _failures(session, key=key, since=since) >= max_failures:
        raise TooManyLoginAttempts(minutes=max(1, window_s // 60))
    if user is None or not valid:
        prune_login_attempts(session, before=since)
        session.add(LoginAttempt(key=key))
        session.flush()
        raise InvalidCredentials()
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))
    return user


def change_password(session: Session, *, user: User, current: str, new: str) -> User:
    """Set a new password after checking the current one; ends all the user's sessions.

    Raises :class:`InvalidCredentials` when ``current`` is wrong and the errors of
    :func:`~kreislauf.store.passwords.check_password` for ``new``. The caller signs the
    current session in again with the new ``session_generation``.
    """
    if not verify_password(user.password_hash, current):
        raise InvalidCredentials()
    check_password(new, email=user.email)
    user.password_hash = hash_password(new)
    end_sessions(session, user=user)
    return user


def end_sessions(session: Session, *, user: User) -> int:
    """End every session of ``user`` at once: raise the generation their cookies carry.

    Returns the new generation. Every request compares the cookie's generation with the
    user's (:func:`access_of`, :func:`session_user`), so an old cookie stops working on its
    next request. The increment is done by the database (no lost update when a logout and a
    password change of the same user run at once).
    """
    session.flush()
    generation = session.scalar(
        update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
        .returning(User.session_generation)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(user, "session_generation", generation)
    return int(generation or 0)


def session_user(session: Session, *, user_id: int, generation: int) -> User | None:
    """The user of a session cookie, or None when the user is gone or the session ended."""
    return session.scalars(
        select(User).where(User.id == user_id, User.session_generation == generation)
    ).first()


def _attempt_key(email: str, client: str) -> str:
    """``e-mail|client``, at most :data:`EMAIL_MAX` + 1 + :data:`CLIENT_MAX` characters."""
    address = email.strip().lower()
    if len(address) > EMAIL_MAX:
        expected = f"at most {EMAIL_MAX} characters"
        raise InvalidField(field="email", value=_excerpt(address), expected=expected)
    if len(client) > CLIENT_MAX:
        expected = f"an IP address, at most {CLIENT_MAX} characters"
        raise InvalidField(field="client", value=_excerpt(client), expected=expected)
    return f"{address}|{client}"


def _failures(session: Session, *, key: str, since: Any) -> int:
    statement = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.key == key, LoginAttempt.attempted_at >= since)
    )
    return session.scalar(statement) or 0


#: The most expired attempts one failed login deletes (a bounded cost per request).
PRUNE_BATCH = 500


def prune_login_attempts(session: Session, *, before: Any) -> int:
    """Delete failed logins older than ``before`` (outside the rate-limit window), at
    most :data:`PRUNE_BATCH` of them; returns how many.

    Called with every failed login, so the table holds little more than the attempts of
    one window. Rows another transaction is deleting at the same moment are skipped
    (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: two pruning logins never wait for each
    other or deadlock); SQLite serialises writers anyway.
    """
    expired = (
        select(LoginAttempt.id)
        .where(LoginAttempt.attempted_at < before)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    statement = delete(LoginAttempt).where(LoginAttempt.id.in_(expired))
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(cast(CursorResult[Any], result).rowcount)


def _lock_attempts(session: Session, *, key: str) -> None:
    """Serialise the login attempts of ``key`` until the transaction ends.

    PostgreSQL: a transaction-level advisory lock on the key's hash (there is no row to
    lock before the first failure); SQLite: the database's write lock.
    """
    lock_key(session, "login|" + key)


def create_organisation(
    session: Session, *, owner: User, slug: str, name: str, kind: str
) -> Organisation:
    """A new organisation with ``owner`` as its first member (role owner)."""
    if not _SLUG.match(slug):
        raise InvalidField(field="slug", value=slug, expected="a-z, 0-9 and '-', 1-64 characters")
    if kind not in ORG_KINDS:
        raise InvalidField(field="kind", value=kind, expected=", ".join(ORG_KINDS))
    if not name.strip():
        raise InvalidField(field="name", value=name, expected="a name")
    if session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        raise AlreadyExists(field="slug", value=slug)
    organisation = Organisation(slug=slug, name=name.strip(), kind=kind)
    session.add(organisation)
    session.flush()
    session.add(Membership(organisation_id=organisation.id, user_id=owner.id, role="owner"))
    session.flush()
    return organisation


def memberships(session: Session, *, user_id: int) -> list[Membership]:
    """The user's memberships, organisations by name."""
    statement = (
        select(Membership)
        .join(Organisation, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user_id)
        .order_by(Organisation.name)
    )
    return list(session.scalars(statement).unique())


@dataclass(frozen=True)
class Access:
    """The organisation of a request, the current user's role in it and the organisation's
    :class:`~kreislauf.store.stamp.Stamp` (read by :func:`access_of` in the same query)."""

    organisation: Organisation
    role: str
    user_id: int
    stamp: Stamp

    @property
    def organisation_id(self) -> int:
        return self.organisation.id

    def allows(self, role: str) -> bool:
        """Whether the member's role includes ``role`` (owner ⊃ editor ⊃ viewer)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def access(session: Session, *, user_id: int, slug: str) -> Access:
    """The user's access to the organisation ``slug``.

    Raises :class:`PermissionDenied` both when the organisation does not exist and when the
    user is not a member, so that outsiders cannot probe which organisations exist.
    """
    found = access_of(session, slug=slug, user_id=user_id)
    if found is None:
        raise PermissionDenied(organisation=slug)
    return found


def members(session: Session, *, organisation_id: int) -> list[Membership]:
    """The members of an organisation, by name."""
    statement = scoped(Membership, organisation_id).join(User).order_by(User.name)
    return list(session.scalars(statement).unique())


def set_role(
    session: Session, *, organisation_id: int, membership_id: int, role: str
) -> Membership:
    """Change a member's role; the last owner cannot be demoted."""
    if role not in ROLES:
        raise InvalidField(field="role", value=role, expected=", ".join(ROLES))
    membership = get_scoped(session, Membership, membership_id, organisation_id=organisation_id)
    if role != "owner":
        keep_an_owner(session, organisation_id=organisation_id, losing=membership.id)
    membership.role = role
    session.flush()
    return membership


def remove_member(session: Session, *, organisation_id: int, membership_id: int) -> None:
    """Remove a member (or leave); the last owner cannot be removed."""
    membership = get_scoped(session, Membership, membership_id, organisation_id=organisation_id)
    keep_an_owner(session, organisation_id=organisation_id, losing=membership.id)
    session.delete(membership)
    session.flush()


def keep_an_owner(session: Session, *, organisation_id: int, losing: int) -> None:
    """Refuse when the membership ``losing`` is the organisation's last owner.

    The owner memberships are locked until the transaction ends (``SELECT … FOR UPDATE`` on
    PostgreSQL, the write lock on SQLite), so two owners demoting or removing each other at
    the same time are serialised: the second sees the first's change and is refused.
    Raises :class:`InvalidField` (field role, value owner) for the last owner.
    """
    begin_immediate(session)
    statement = (
        scoped(Membership, organisation_id, Membership.id)
        .where(Membership.role == "owner")
        .with_for_update()
    )
    owners = set(session.scalars(statement))
    if owners == {losing}:
        raise InvalidField(field="role", value="owner", expected="at least one owner")


def create_invitation(
    session: Session, *, organisation_id: int, email: str, role: str, created_by: int
) -> tuple[Invitation, str]:
    """An invitation and its secret token (shown once; only the hash is stored)."""
    if role not in ROLES:
        raise InvalidField(field="role", value=role, expected=", ".join(ROLES))
    token = new_token("inv_")
    invitation = Invitation(
        organisation_id=organisation_id,
        email=normalise_email(email),
        role=role,
        token_hash=token_hash(token),
        created_by=created_by,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    return invitation, token


def invitations(session: Session, *, organisation_id: int) -> list[Invitation]:
    """Open (not yet accepted) invitations of an organisation, newest first."""
    statement = (
        scoped(Invitation, organisation_id)
        .where(Invitation.accepted_at.is_(None))
        .order_by(Invitation.id.desc())
    )
    return list(session.scalars(statement))


def revoke_invitation(session: Session, *, organisation_id: int, invitation_id: int) -> None:
    """Delete an invitation of the organisation."""
    session.delete(get_scoped(session, Invitation, invitation_id, organisation_id=organisation_id))
    session.flush()


def accept_invitation(session: Session, *, token: str, user: User) -> Membership:
    """Join the invitation's organisation with its role (or keep a higher existing role).

    An invitation is bound to the address it was sent to: only the account with that
    e-mail address can accept it (:class:`InvitationForAnotherAddress` otherwise; the
    invitation stays open). It is claimed by one conditional ``UPDATE … WHERE accepted_at
    IS NULL``, so of several concurrent acceptances exactly one wins; the others get
    :class:`NotFound`, as for an unknown, used or expired token.
    """
    invitation = session.scalars(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    ).first()
    now = utcnow()
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.expires_at.replace(tzinfo=now.tzinfo) < now
    ):
        raise NotFound(what="invitation", id="token")
    if invitation.email != user.email:
        raise InvitationForAnotherAddress()
    begin_immediate(session)
    claim = update(Invitation).where(
        Invitation.id == invitation.id, Invitation.accepted_at.is_(None)
    )
    claimed = cast(CursorResult[Any], session.execute(claim.values(accepted_at=now)))
    if claimed.rowcount != 1:
        raise NotFound(what="invitation", id="token")
    existing = session.scalars(
        select(Membership).where(
            Membership.organisation_id == invitation.organisation_id,
            Membership.user_id == user.id,
        )
    ).first()
    if existing is not None:
        if ROLES.index(invitation.role) > ROLES.index(existing.role):
            existing.role = invitation.role
        session.flush()
        return existing
    membership = Membership(
        organisation_id=invitation.organisation_id, user_id=user.id, role=invitation.role
    )
    session.add(membership)
    session.flush()
    return membership


def _access_statement(member: Any) -> Select[Any]:
    columns: tuple[Any, ...] = (
        Organisation,
        Membership.role,
        Membership.user_id,
        *stamp_columns(Organisation.id),
    )
    statement: Select[Any] = (
        select(*columns)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Organisation.slug == bindparam("slug"), member)
    )
    return statement


# Built once: a request only binds its values (building and hashing the statement anew cost
# a quarter of a cached dashboard request).
_ACCESS_BY_USER = _access_statement(Membership.user_id == bindparam("user_id"))
#: A session cookie's access: the membership's user must still have the cookie's generation.
_ACCESS_BY_SESSION = _access_statement(
    Membership.user_id
    == select(User.id)
    .where(User.id == bindparam("user_id"), User.session_generation == bindparam("generation"))
    .scalar_subquery()
)
_ACCESS_BY_TOKEN = _access_statement(
    Membership.user_id
    == select(ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
    .scalar_subquery()
)


def access_of(
    session: Session,
    *,
    slug: str,
    user_id: int | None = None,
    token: str | None = None,
    generation: int | None = None,
) -> Access | None:
    """The access to ``slug`` of the user ``user_id`` or of the API ``token``, in one query.

    One round trip for the whole authorisation of a request: token (not revoked) or session
    (the user's ``session_generation`` equals the cookie's ``generation``, when given),
    membership, organisation and the organisation's data stamp. None when any of them is
    missing; the caller then tells an unknown token or ended session (401) from a missing
    membership (403).
    """
    if token is not None:
        found = session.execute(_ACCESS_BY_TOKEN, {"slug": slug, "token_hash": token_hash(token)})
    elif user_id is not None and generation is not None:
        values = {"slug": slug, "user_id": user_id, "generation": generation}
        found = session.execute(_ACCESS_BY_SESSION, values)
    elif user_id is not None:
        found = session.execute(_ACCESS_BY_USER, {"slug": slug, "user_id": user_id})
    else:
        return None
    row = found.first()
    if row is None:
        return None
    return Access(row[0], row[1], row[2], stamp_of(tuple(row[3:])))


def create_api_token(session: Session, *, user_id: int, name: str) -> tuple[ApiToken, str]:
    """A new API token of the user, and the token itself (shown once)."""
    token = new_token("kl_")
    record = ApiToken(
        user_id=user_id,
        name=name.strip() or "token",
        token_hash=token_hash(token),
        prefix=token[:8],
    )
    session.add(record)
    session.flush()
    return record, token


def api_tokens(session: Session, *, user_id: int) -> list[ApiToken]:
    """The user's tokens that are not revoked."""
    statement = select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    return list(session.scalars(statement.order_by(ApiToken.id)))


def revoke_api_token(session: Session, *, user_id: int, token_id: int) -> None:
    """Revoke one of the user's own tokens."""
    record = session.get(ApiToken, token_id)
    if record is None or record.user_id != user_id or record.revoked_at is not None:
        raise NotFound(what="api_token", id=token_id)
    record.revoked_at = utcnow()
    session.flush()


def user_for_token(session: Session, *, token: str) -> User:
    """The user an API token acts as; raises :class:`InvalidCredentials` when unknown."""
    user = session.scalars(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None))
    ).first()
    if user is None:
        raise InvalidCredentials()
    return user
