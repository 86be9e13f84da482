"""Exchange listings and the decisions on proposed matches.

Listings are validated by :mod:`kreislauf.exchange` before anything is written; a
publication replaces the organisation's listings of the same keys in one transaction.
The matching needs the whole market, so :func:`market_listings` is the one read across
organisations; it returns listings for the service, which shows other organisations'
listings only without their company (:mod:`kreislauf.web.services.exchange`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kreislauf.errors import NotFound
from kreislauf.exchange.models import Listing
from kreislauf.store.base import utcnow
from kreislauf.store.models import (
    ExchangeDecision,
    ExchangeListing,
    ExchangeSeen,
    ExchangeSeries,
)
from kreislauf.store.tenancy import scoped


def publish_listings(
    session: Session, *, organisation_id: int, listings: Sequence[Listing]
) -> list[ExchangeListing]:
    """Store ``listings`` for the organisation; a listing with a stored key replaces it."""
    keys = [x.id for x in listings]
    session.execute(
        delete(ExchangeListing).where(
            ExchangeListing.organisation_id == organisation_id, ExchangeListing.key.in_(keys)
        )
    )
    rows = [
        ExchangeListing(
            organisation_id=organisation_id,
            key=x.id,
            side=x.side,
            material=x.material,
            quantity_t=x.quantity_t,
            interval=x.interval,
            price_eur_per_t=x.price_eur_per_t,
            lat=x.lat,
            lon=x.lon,
            ewc_code=x.ewc_code,
            valid_from=x.valid_from.isoformat() if x.valid_from else None,
            valid_to=x.valid_to.isoformat() if x.valid_to else None,
            min_dql=x.min_dql,
            max_price_eur_per_t=x.max_price_eur_per_t,
            max_distance_km=x.max_distance_km,
            elements=sorted(x.elements),
        )
        for x in listings
    ]
    session.add_all(rows)
    session.flush()
    return rows


def own_listings(session: Session, *, organisation_id: int) -> list[ExchangeListing]:
    """The organisation's listings, in the order they were published."""
    statement = scoped(ExchangeListing, organisation_id).order_by(ExchangeListing.id)
    return list(session.scalars(statement))


def delete_listing(session: Session, *, organisation_id: int, listing_id: int) -> None:
    """Withdraw one of the organisation's listings (its decisions go with it)."""
    statement = scoped(ExchangeListing, organisation_id).where(ExchangeListing.id == listing_id)
    listing = session.scalars(statement).first()
    if listing is None:
        raise NotFound(what="exchange_listings", id=listing_id)
    session.delete(listing)


def market_listings(session: Session) -> list[ExchangeListing]:
    """Every published listing of every organisation (for the matching only)."""
    return list(session.scalars(select(ExchangeListing).order_by(ExchangeListing.id)))


def as_listing(row: ExchangeListing) -> Listing:
    """A stored listing as the domain's :class:`Listing`; id = the row id, company = the
    organisation id (so that an organisation's offers never match its own requests)."""
    return Listing(
        id=str(row.id),
        side=row.side,  # type: ignore[arg-type]
        company=str(row.organisation_id),
        material=row.material,
        quantity_t=row.quantity_t,
        interval=row.interval,  # type: ignore[arg-type]
        price_eur_per_t=row.price_eur_per_t,
        lat=row.lat,
        lon=row.lon,
        ewc_code=row.ewc_code,
        valid_from=date.fromisoformat(row.valid_from) if row.valid_from else None,
        valid_to=date.fromisoformat(row.valid_to) if row.valid_to else None,
        min_dql=row.min_dql,
        max_price_eur_per_t=row.max_price_eur_per_t,
        max_distance_km=row.max_distance_km,
        elements=frozenset(row.elements),
    )


def decide(
    session: Session, *, organisation_id: int, offer: ExchangeListing, request: ExchangeListing,
    decision: str,
) -> ExchangeDecision:  # fmt: skip
    """Record (or change) the organisation's decision on the match ``offer → request``.

    The caller has checked that the organisation owns one side of a proposed match.
    """
    statement = scoped(ExchangeDecision, organisation_id).where(
        ExchangeDecision.offer_id == offer.id, ExchangeDecision.request_id == request.id
    )
    row = session.scalars(statement).first()
    if row is None:
        row = ExchangeDecision(
            organisation_id=organisation_id, offer_id=offer.id, request_id=request.id,
            decision=decision,
        )  # fmt: skip
        session.add(row)
    else:
        row.decision = decision
    session.flush()
    return row


def decisions_on(
    session: Session, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int, int], str]:
    """``(organisation, offer, request) → decision`` for the given ``(offer, request)`` pairs.

    Both sides' decisions on a match are needed to tell whether names may be shown.
    """
    wanted = set(pairs)
    if not wanted:
        return {}
    offers = {offer for offer, _ in wanted}
    statement = select(ExchangeDecision).where(ExchangeDecision.offer_id.in_(offers))
    return {
        (d.organisation_id, d.offer_id, d.request_id): d.decision
        for d in session.scalars(statement)
        if (d.offer_id, d.request_id) in wanted
    }


def store_series(
    session: Session,
    *,
    organisation_id: int,
    history: Mapping[str, tuple[list[str], list[float]]],
    horizon: int,
    forecasts: Mapping[str, dict[str, Any]],
) -> list[ExchangeSeries]:
    """Keep each series of ``history`` (``id → (periods YYYY-MM, quantities [t])``) with
    its forecast document (``forecasts[id]``); a stored series of the same id is replaced."""
    rows: list[ExchangeSeries] = []
    stored = {
        row.series_id: row
        for row in session.scalars(
            scoped(ExchangeSeries, organisation_id).where(
                ExchangeSeries.series_id.in_(list(history))
            )
        )
    }
    now = utcnow()
    for series_id, (periods, quantities) in history.items():
        row = stored.get(series_id) or ExchangeSeries(
            organisation_id=organisation_id, series_id=series_id
        )
        row.periods, row.quantities, row.horizon = list(periods), list(quantities), horizon
        row.forecast = forecasts.get(series_id)
        row.forecast_at = now if row.forecast is not None else None
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def own_series(session: Session, *, organisation_id: int) -> list[ExchangeSeries]:
    """The organisation's stored series, by id."""
    statement = scoped(ExchangeSeries, organisation_id).order_by(ExchangeSeries.series_id)
    return list(session.scalars(statement))


def series_organisations(session: Session) -> list[int]:
    """Every organisation with a stored series (for the nightly refresh only)."""
    statement = select(ExchangeSeries.organisation_id).distinct()
    return sorted(session.scalars(statement))


def seen_matches(session: Session, *, organisation_id: int) -> dict[tuple[int, int], str | None]:
    """``(offer, request) → the other side's decision`` as the organisation last saw it."""
    return {
        (row.offer_id, row.request_id): row.other_decision
        for row in session.scalars(scoped(ExchangeSeen, organisation_id))
    }


def mark_seen(
    session: Session, *, organisation_id: int, seen: Mapping[tuple[int, int], str | None]
) -> None:
    """Record what the organisation has seen: ``seen`` is the whole record afterwards
    (``(offer, request) → the other side's decision seen``); a match left out is
    forgotten, ``seen_at`` changes only where the decision seen does."""
    rows = {
        (row.offer_id, row.request_id): row
        for row in session.scalars(scoped(ExchangeSeen, organisation_id))
    }
    now = utcnow()
    for pair, row in rows.items():
        if pair not in seen:
            session.delete(row)
    for (offer_id, request_id), decision in seen.items():
        row = rows.get((offer_id, request_id))
        if row is not None and row.other_decision == decision:
            continue
        row = row or ExchangeSeen(
            organisation_id=organisation_id, offer_id=offer_id, request_id=request_id
        )
        row.other_decision, row.seen_at = decision, now
        session.add(row)
    session.flush()
