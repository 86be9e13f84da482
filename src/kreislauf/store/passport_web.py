"""Passports kept on the platform: versions, the signing key, the access log, PACT replies.

The rules (versions, signatures, tiers, the resolver) are :mod:`kreislauf.passport`'s; this
module only stores and finds rows. Rows of one organisation are read through
:func:`~kreislauf.store.tenancy.scoped`; the public lookups (a passport by id or GTIN, the
public keys) are the only unscoped reads, and they return what the public tier may see
only after the service has disclosed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kreislauf.errors import AlreadyExists, NotFound
from kreislauf.store.base import utcnow
from kreislauf.store.models import (
    PactClient,
    PactPeer,
    PactReply,
    PactRequest,
    PassportAccess,
    PassportKey,
    PublishedFootprint,
    StoredPassport,
)
from kreislauf.store.tenancy import get_scoped, scoped

#: How many access-log rows the owner's page shows (newest first).
ACCESS_PAGE = 200


def newest(session: Session, passport_id: str) -> StoredPassport | None:
    """The newest stored version of ``passport_id`` (any organisation), or ``None``."""
    statement = (
        select(StoredPassport)
        .where(StoredPassport.passport_id == passport_id)
        .order_by(StoredPassport.version.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def version_of(session: Session, passport_id: str, version: int) -> StoredPassport | None:
    """One stored version of ``passport_id``, or ``None``."""
    statement = select(StoredPassport).where(
        StoredPassport.passport_id == passport_id, StoredPassport.version == version
    )
    return session.scalars(statement).first()


def store_version(
    session: Session,
    *,
    organisation_id: int,
    passport_id: str,
    version: int,
    digest: str,
    previous_digest: str | None,
    identifiers: tuple[str | None, str | None, str | None],
    product_name: str,
    document: dict[str, Any],
) -> StoredPassport:
    """Keep a version; a passport id that another organisation stores is refused."""
    owner = session.scalars(
        select(StoredPassport.organisation_id).where(StoredPassport.passport_id == passport_id)
    ).first()
    if owner is not None and owner != organisation_id:
        raise AlreadyExists(what="passport", value=passport_id)
    gtin, serial, batch = identifiers
    record = StoredPassport(
        organisation_id=organisation_id,
        passport_id=passport_id,
        version=version,
        digest=digest,
        previous_digest=previous_digest,
        gtin=gtin,
        serial=serial,
        batch=batch,
        product_name=product_name[:2000],
        document=document,
    )
    session.add(record)
    session.flush()
    return record


def passports_of(session: Session, *, organisation_id: int) -> list[StoredPassport]:
    """The newest version of each of the organisation's passports, by product name."""
    newest_version = (
        scoped(
            StoredPassport,
            organisation_id,
            StoredPassport.passport_id,
            func.max(StoredPassport.version).label("v"),
        )
        .group_by(StoredPassport.passport_id)
        .subquery()
    )
    statement = (
        scoped(StoredPassport, organisation_id)
        .join(
            newest_version,
            (StoredPassport.passport_id == newest_version.c.passport_id)
            & (StoredPassport.version == newest_version.c.v),
        )
        .order_by(StoredPassport.product_name, StoredPassport.id)
    )
    return list(session.scalars(statement))


def versions_of(
    session: Session, *, organisation_id: int, passport_id: str
) -> list[StoredPassport]:
    """Every version of one of the organisation's passports, oldest first (``NotFound``)."""
    statement = (
        scoped(StoredPassport, organisation_id)
        .where(StoredPassport.passport_id == passport_id)
        .order_by(StoredPassport.version)
    )
    found = list(session.scalars(statement))
    if not found:
        raise NotFound(what="passport", id=passport_id)
    return found


def by_gtin(
    session: Session, gtin: str, *, serial: str | None, batch: str | None
) -> StoredPassport | None:
    """The newest passport of a GTIN-14 for the item (serial), else the batch, else the
    product model (neither serial nor batch): the GS1 resolver's fallback to the less
    specific key."""
    levels: list[list[Any]] = []
    if serial:
        levels.append([StoredPassport.serial == serial])
    if batch:
        levels.append([StoredPassport.serial.is_(None), StoredPassport.batch == batch])
    levels.append([StoredPassport.serial.is_(None), StoredPassport.batch.is_(None)])
    for conditions in levels:
        statement = (
            select(StoredPassport)
            .where(StoredPassport.gtin == gtin, *conditions)
            .order_by(StoredPassport.id.desc())
            .limit(1)
        )
        found = session.scalars(statement).first()
        if found is not None:
            return found
    return None


def signing_key(session: Session, *, organisation_id: int) -> PassportKey | None:
    """The organisation's signing key, or ``None`` before its first publication."""
    statement = scoped(PassportKey, organisation_id)
    return session.scalars(statement).first()


def add_signing_key(
    session: Session, *, organisation_id: int, kid: str, private_jwk: dict[str, Any]
) -> PassportKey:
    """Keep the organisation's new signing key."""
    record = PassportKey(organisation_id=organisation_id, kid=kid, private_jwk=private_jwk)
    session.add(record)
    session.flush()
    return record


def signing_keys(session: Session) -> list[PassportKey]:
    """Every organisation's signing key, oldest first (the public halves are published)."""
    return list(session.scalars(select(PassportKey).order_by(PassportKey.id)))


def log_access(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append access-log rows (``organisation_id``, ``passport_id``, ``version``,
    ``channel``, ``tier``, ``format``, ``who``) in one statement."""
    if not rows:
        return
    now = utcnow()
    session.execute(insert(PassportAccess), [{"at": now, **row} for row in rows])


def access_log(
    session: Session, *, organisation_id: int, limit: int = ACCESS_PAGE
) -> list[PassportAccess]:
    """The organisation's newest access-log rows."""
    statement = scoped(PassportAccess, organisation_id).order_by(PassportAccess.id.desc())
    return list(session.scalars(statement.limit(limit)))


def footprint_passports(
    session: Session, *, organisation_id: int, footprint_ids: Iterable[str]
) -> dict[str, tuple[str, int]]:
    """Footprint id → (passport id, version) of published footprints."""
    ids = list(footprint_ids)
    if not ids:
        return {}
    statement = scoped(
        PublishedFootprint,
        organisation_id,
        PublishedFootprint.footprint_id,
        PublishedFootprint.passport_id,
        PublishedFootprint.passport_version,
    ).where(PublishedFootprint.footprint_id.in_(ids))
    return {f: (p, v) for f, p, v in session.execute(statement)}


def pact_clients(session: Session, *, organisation_id: int) -> list[PactClient]:
    """The organisation's PACT client credentials, newest first."""
    statement = scoped(PactClient, organisation_id).order_by(PactClient.id.desc())
    return list(session.scalars(statement))


def revoke_pact_client(session: Session, *, organisation_id: int, record_id: int) -> None:
    """Delete a client's credentials (its tokens stop working); ``NotFound`` elsewhere."""
    session.delete(get_scoped(session, PactClient, record_id, organisation_id=organisation_id))
    session.flush()


def pact_client_name(session: Session, client_id: int) -> str:
    """A client's name for the access log (``?`` for a revoked client)."""
    client = session.get(PactClient, client_id)
    return "?" if client is None else f"{client.name} ({client.client_id})"


def pact_request(session: Session, *, organisation_id: int, record_id: int) -> PactRequest:
    """One received event of the organisation (``NotFound`` otherwise)."""
    return get_scoped(session, PactRequest, record_id, organisation_id=organisation_id)


def peers(session: Session, *, organisation_id: int) -> list[PactPeer]:
    """The organisation's credentials at requesters' hosts."""
    return list(session.scalars(scoped(PactPeer, organisation_id).order_by(PactPeer.id)))


def add_peer(
    session: Session, *, organisation_id: int, base_url: str, client_id: str, client_secret: str
) -> PactPeer:
    """Keep credentials for a requester's host."""
    record = PactPeer(
        organisation_id=organisation_id,
        base_url=base_url,
        client_id=client_id,
        client_secret=client_secret,
    )
    session.add(record)
    session.flush()
    return record


def remove_peer(session: Session, *, organisation_id: int, record_id: int) -> None:
    """Delete credentials for a requester's host (``NotFound`` elsewhere)."""
    session.delete(get_scoped(session, PactPeer, record_id, organisation_id=organisation_id))
    session.flush()


def replies(session: Session, *, organisation_id: int) -> dict[int, PactReply]:
    """Request id → the reply sent (or being sent) for it."""
    statement = scoped(PactReply, organisation_id)
    return {reply.request_id: reply for reply in session.scalars(statement)}


def add_reply(
    session: Session,
    *,
    organisation_id: int,
    request_id: int,
    kind: str,
    target: str,
    event: dict[str, Any],
) -> PactReply:
    """Keep the reply to a request (one per request: ``AlreadyExists`` for a second)."""
    exists = scoped(PactReply, organisation_id).where(PactReply.request_id == request_id)
    if session.scalars(exists).first() is not None:
        raise AlreadyExists(what="reply", value=str(request_id))
    record = PactReply(
        organisation_id=organisation_id,
        request_id=request_id,
        kind=kind,
        target=target,
        event=event,
        state="pending",
        attempts=0,
    )
    session.add(record)
    session.flush()
    return record


def reply(session: Session, *, organisation_id: int, record_id: int) -> PactReply:
    """One reply of the organisation (``NotFound`` otherwise)."""
    return get_scoped(session, PactReply, record_id, organisation_id=organisation_id)


def reply_for_request(session: Session, *, organisation_id: int, request_id: int) -> PactReply:
    """The reply to one of the organisation's requests (``NotFound`` otherwise)."""
    statement = scoped(PactReply, organisation_id).where(PactReply.request_id == request_id)
    found: PactReply | None = session.scalars(statement).first()
    if found is None:
        raise NotFound(what="reply", id=request_id)
    return found


def record_delivery(
    session: Session,
    record: PactReply,
    *,
    error: str | None,
    at: datetime | None = None,
    next_attempt: datetime | None = None,
) -> None:
    """Note one attempt to deliver ``record``: delivered, or failed with ``error`` (and
    tried again at ``next_attempt``, when given)."""
    record.attempts += 1
    if error is None:
        record.state = "delivered"
    else:
        record.state = "retrying" if next_attempt is not None else "failed"
    record.last_error = error[:2000] if error else None
    record.delivered_at = None if error else (at or utcnow())
    record.next_attempt_at = next_attempt if error else None
    session.flush()
