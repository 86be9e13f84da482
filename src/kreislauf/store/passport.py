"""Passports on the platform: PACT client credentials, published footprints, requests.

A company publishes a passport's PACT v3.0 footprint (written by
:func:`kreislauf.passport.formats.export` for the legitimate-interest tier: nothing above
it is stored here); its customers' systems read them through the PACT host (``/pact``)
with client credentials the company created. Client secrets are stored as SHA-256 only.

Each footprint is stored with what the ListFootprints criteria test
(:func:`kreislauf.passport.pact_host.footprint_index`): columns for status, validity and
the v2.3 ``$filter`` properties, and one ``pact_footprint_terms`` row per value of a list
criterion, so that :func:`footprint_page` filters and cuts a page in SQL (oldest published
first, the cursor ``after`` a footprint id).
"""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, false, select, true
from sqlalchemy.orm import Session

from kreislauf.errors import AlreadyExists, NotFound
from kreislauf.passport.pact_host import (
    FootprintQuery,
    footprint_index,
    page_size,
    unknown_cursor,
)
from kreislauf.passport.pact_odata import AnyEq, Comparison
from kreislauf.store.models import (
    Organisation,
    PactClient,
    PactFootprintTerm,
    PactRequest,
    PublishedFootprint,
)
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
        **index_columns(document),
        document=document,
    )
    session.add(record)
    session.flush()
    add_terms(session, record)
    return record


def index_columns(document: dict[str, Any]) -> dict[str, Any]:
    """The indexed columns of a published footprint (module docstring)."""
    index = footprint_index(document)
    return {
        "status": index.status,
        "validity_start": index.validity_start,
        "validity_end": index.validity_end,
        "pf_created": index.created,
        "reference_start": index.reference_start,
        "reference_end": index.reference_end,
        "cpc": index.cpc,
        "geography_country": index.geography_country,
    }


def add_terms(session: Session, record: PublishedFootprint) -> None:
    """Store the list-criterion values of ``record`` (replacing any stored before)."""
    session.execute(delete(PactFootprintTerm).where(PactFootprintTerm.footprint == record.id))
    session.add_all(
        PactFootprintTerm(
            organisation_id=record.organisation_id,
            footprint=record.id,
            criterion=criterion,
            value=value,
        )
        for criterion, value in footprint_index(record.document).terms
    )
    session.flush()


def replace_document(
    session: Session, record: PublishedFootprint, document: dict[str, Any]
) -> None:
    """Store a changed document of a published footprint (its status) with its index."""
    record.document = document
    for name, value in index_columns(document).items():
        setattr(record, name, value)
    add_terms(session, record)


_COLUMNS = {
    "created": PublishedFootprint.pf_created,
    "reference_start": PublishedFootprint.reference_start,
    "reference_end": PublishedFootprint.reference_end,
    "cpc": PublishedFootprint.cpc,
    "geography_country": PublishedFootprint.geography_country,
}


def _has_term(criterion: str, values: tuple[str, ...]) -> ColumnElement[bool]:
    return exists().where(
        PactFootprintTerm.footprint == PublishedFootprint.id,
        PactFootprintTerm.criterion == criterion,
        PactFootprintTerm.value.in_(values),
    )


def _compare(condition: Comparison) -> ColumnElement[bool]:
    column = _COLUMNS.get(condition.name)
    if column is None:  # `updated`: never set, so every comparison is false (null)
        return false()
    value, op = condition.value, condition.op
    comparisons = {
        "eq": column == value,
        "lt": column < value,
        "le": column <= value,
        "gt": column > value,
        "ge": column >= value,
    }
    return comparisons[op]


def _criteria(query: FootprintQuery) -> list[ColumnElement[bool]]:
    """``query`` as SQL conditions on published_footprints (what
    :func:`kreislauf.passport.pact_host.matches` tests)."""
    found: list[ColumnElement[bool]] = [
        _has_term(criterion, values)
        for criterion, values in (
            ("productId", query.product_ids),
            ("companyId", query.company_ids),
            ("geography", query.geographies),
            ("classification", query.classifications),
        )
        if values
    ]
    if query.status is not None:
        found.append(PublishedFootprint.status == query.status)
    if query.valid_on is not None:
        found.append(PublishedFootprint.validity_start <= query.valid_on)
        found.append(PublishedFootprint.validity_end >= query.valid_on)
    if query.valid_after is not None:
        found.append(PublishedFootprint.validity_start > query.valid_after)
    if query.valid_before is not None:
        found.append(PublishedFootprint.validity_end < query.valid_before)
    for condition in query.odata:
        if isinstance(condition, AnyEq):
            found.append(_has_term(condition.criterion, (condition.value,)))
        else:
            found.append(_compare(condition))
    return found


def footprint_page(
    session: Session, *, organisation_id: int, query: FootprintQuery
) -> tuple[list[dict[str, Any]], bool]:
    """One page of the organisation's footprints that meet ``query`` (oldest published
    first, after the footprint ``query.after``), and whether more follow.

    Raises :class:`~kreislauf.errors.PactBadRequest` when ``after`` names no footprint of
    the organisation.
    """
    statement = scoped(PublishedFootprint, organisation_id, PublishedFootprint.document)
    if query.after is not None:
        cursor = session.scalars(
            scoped(PublishedFootprint, organisation_id, PublishedFootprint.id).where(
                PublishedFootprint.footprint_id == query.after
            )
        ).first()
        if cursor is None:
            raise unknown_cursor(query.after)
        statement = statement.where(PublishedFootprint.id > cursor)
    size = page_size(query)
    statement = (
        statement.where(and_(true(), *_criteria(query)))
        .order_by(PublishedFootprint.id)
        .offset(query.offset)
        .limit(size + 1)
    )
    documents = list(session.scalars(statement))
    return documents[:size], len(documents) > size


def published_footprints(session: Session, *, organisation_id: int) -> list[dict[str, Any]]:
    """The organisation's published footprints, oldest first."""
    statement = scoped(PublishedFootprint, organisation_id).order_by(PublishedFootprint.id)
    return [record.document for record in session.scalars(statement)]


def footprints_of_passport(
    session: Session, *, organisation_id: int, passport_id: str
) -> list[PublishedFootprint]:
    """The footprints published for one passport (all its versions), oldest first."""
    statement = scoped(PublishedFootprint, organisation_id).where(
        PublishedFootprint.passport_id == passport_id
    )
    return list(session.scalars(statement.order_by(PublishedFootprint.id)))


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
