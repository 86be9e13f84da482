"""Passports on the platform: PACT client credentials, published footprints, requests.

A company publishes a passport's PACT v3.0 footprint (written by
:func:`kreislauf.passport.formats.export` for the legitimate-interest tier: nothing above
it is stored here); its customers' systems read them through the PACT host (``/pact``)
with client credentials the company created. Client secrets are stored as SHA-256 only.
"""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kreislauf.errors import AlreadyExists, NotFound
from kreislauf.store.models import Organisation, PactClient, PactRequest, PublishedFootprint
from kreislauf.store.secrets import new_token, token_hash
from kreislauf.store.tenancy import scoped


def organisation_by_slug(session: Session, slug: str) -> Organisation:
    """The organisation with ``slug``; raises :class:`NotFound`."""
    found = session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if found is None:
        raise NotFound(what="organisation", id=slug)
    return found


def create_pact_client(
    session: Session, *, organisation_id: int, name: str
) -> tuple[PactClient, str]:
    """New client credentials; returns the record and the secret (shown once)."""
    secret = new_token()
    client = PactClient(
        organisation_id=organisation_id,
        name=name.strip()[:200] or "PACT client",
        client_id=new_token("pact_")[:40],
        secret_hash=token_hash(secret),
    )
    session.add(client)
    session.flush()
    return client, secret


def authenticate_pact_client(session: Session, *, client_id: str, secret: str) -> PactClient | None:
    """The client whose id and secret match, else ``None`` (constant-time comparison)."""
    client = session.scalars(select(PactClient).where(PactClient.client_id == client_id)).first()
    expected = client.secret_hash if client is not None else token_hash("no such client")
    matches = hmac.compare_digest(expected, token_hash(secret))
    return client if client is not None and matches else None


def publish_footprint(
    session: Session,
    *,
    organisation_id: int,
    document: dict[str, Any],
    passport_id: str,
    passport_version: int,
) -> PublishedFootprint:
    """Store a PACT v3.0 footprint as published; an id already published is refused."""
    footprint_id = str(document["id"])
    exists = select(PublishedFootprint.id).where(PublishedFootprint.footprint_id == footprint_id)
    if session.scalars(exists).first() is not None:
        raise AlreadyExists(what="footprint", value=footprint_id)
    record = PublishedFootprint(
        organisation_id=organisation_id,
        footprint_id=footprint_id,
        passport_id=passport_id,
        passport_version=passport_version,
        status=str(document["status"]),
        document=document,
    )
    session.add(record)
    session.flush()
    return record


def published_footprints(session: Session, *, organisation_id: int) -> list[dict[str, Any]]:
    """The organisation's published footprints, oldest first."""
    statement = scoped(PublishedFootprint, organisation_id).order_by(PublishedFootprint.id)
    return [record.document for record in session.scalars(statement)]


def published_footprint(
    session: Session, *, organisation_id: int, footprint_id: str
) -> dict[str, Any] | None:
    """One published footprint of the organisation, or ``None``."""
    statement = scoped(PublishedFootprint, organisation_id).where(
        PublishedFootprint.footprint_id == footprint_id
    )
    record = session.scalars(statement).first()
    return None if record is None else record.document


def record_request(
    session: Session,
    *,
    organisation_id: int,
    client_id: int | None,
    event_id: str,
    kind: str,
    source: str,
    data: dict[str, Any],
) -> PactRequest:
    """Keep a received event; the same event id twice is stored once (CloudEvents retry)."""
    statement = scoped(PactRequest, organisation_id).where(PactRequest.event_id == event_id)
    existing: PactRequest | None = session.scalars(statement).first()
    if existing is not None:
        return existing
    record = PactRequest(
        organisation_id=organisation_id,
        client_id=client_id,
        event_id=event_id[:200],
        kind=kind,
        source=source[:2000],
        data=data,
        state="open",
    )
    session.add(record)
    session.flush()
    return record


def pact_requests(session: Session, *, organisation_id: int) -> list[PactRequest]:
    """The organisation's received events, newest first."""
    statement = scoped(PactRequest, organisation_id).order_by(PactRequest.id.desc())
    return list(session.scalars(statement))
