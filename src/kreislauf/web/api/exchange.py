"""Exchange: publish listings, see the proposed matches, accept or decline them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from kreislauf.exchange.drafts import OfferDraft
from kreislauf.exchange.market import OfferHit, PriceStatistics
from kreislauf.exchange.models import ForecastResult
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.schemas.exchange import (
    ListingForm,
    ListingPublic,
    MatchPublic,
    NoticePublic,
    NoticesSeenIn,
    SeriesPublic,
)
from kreislauf.web.schemas.jobs import JobPublic
from kreislauf.web.services import exchange

router = APIRouter(tags=["exchange"])


@router.post("/orgs/{org}/exchange/listings", status_code=201)
def publish_listings(
    request: Request,
    access: Editor,
    db: DB,
    file: Annotated[
        UploadFile | None,
        File(description="Listings (CSV/XLSX) as for 'kreislauf exchange levels LISTINGS'"),
    ] = None,
) -> list[ListingPublic]:
    """Publish offers and requests; a listing with a published key replaces it.

    An invalid file names file, row and column and publishes nothing.
    """
    return exchange.publish_upload(request, db, access, file)


@router.post("/orgs/{org}/exchange/listing", status_code=201)
def publish_listing(access: Editor, db: DB, listing: ListingForm) -> ListingPublic:
    """Publish one listing given field by field (the entry form's fields as text).

    Validated exactly as a row of a listings file; a bad field is named in the problem
    detail (``column``) and nothing is published. A published ``id`` is replaced.
    """
    return exchange.publish_form(
        db, access, listing.model_dump(exclude={"elements"}), listing.elements
    )


@router.get("/orgs/{org}/exchange/drafts")
def get_drafts(access: Editor, db: DB) -> list[OfferDraft]:
    """Offer drafts from the recyclable waste streams of the organisation's ledger.

    ``quantity_t`` per ``interval`` is the mean over ``recent`` [t]; ``periods`` the
    stream's quantity in every ledger period [t]. Not published: review and publish them
    with ``POST …/exchange/listing`` (location, price and waste code added).
    """
    return exchange.ledger_drafts(db, access)


@router.get("/orgs/{org}/exchange/series")
def get_series(access: Viewer, db: DB) -> list[SeriesPublic]:
    """The organisation's stored availability series with their latest forecast."""
    return exchange.stored_series(db, access)


@router.get("/orgs/{org}/exchange/listings")
def get_listings(access: Viewer, db: DB) -> list[ListingPublic]:
    """The organisation's listings with their derived quality level."""
    return exchange.own_listings(db, access)


@router.get("/orgs/{org}/exchange/matches")
def get_matches(access: Viewer, db: DB) -> list[MatchPublic]:
    """Proposed matches of the organisation's listings (most tonnage, then least cost).

    The other organisation's name is ``null`` until both sides have accepted.
    """
    return exchange.matches_for(db, access)


@router.get("/orgs/{org}/exchange/notices")
def get_notices(access: Viewer, db: DB) -> list[NoticePublic]:
    """What changed in the proposed matches since the organisation last marked its notices
    as seen: a ``new`` match, the other side's decision (``accepted``/``declined``).

    Reading marks nothing; mark them with ``POST …/exchange/notices/seen``.
    """
    matches = exchange.matches_for(db, access)
    return [
        NoticePublic.model_validate(
            {"kind": n.kind, "other_decision": n.other_decision, "match": n.match}
        )
        for n in exchange.match_notices(db, access, matches)
    ]


@router.post("/orgs/{org}/exchange/notices/seen", status_code=204)
def mark_notices_seen(access: Editor, db: DB, body: NoticesSeenIn) -> Response:
    """Mark notices as seen, each by its match and the ``other_decision`` it was read with.

    A match not listed keeps its notice; a decision taken after the notice was read is
    noticed again; a match no longer proposed is ignored.
    """
    exchange.mark_notices_seen(
        db, access, ((s.offer_id, s.request_id, s.other_decision) for s in body.seen)
    )
    return Response(status_code=204)


@router.post("/orgs/{org}/exchange/matches/{offer_id}/{request_id}/accept", status_code=204)
def accept_match(offer_id: RecordId, request_id: RecordId, access: Editor, db: DB) -> Response:
    """Accept a proposed match (404 if it is not one of the organisation's matches)."""
    exchange.decide(db, access, offer_id=offer_id, request_id=request_id, decision="accepted")
    return Response(status_code=204)


@router.post("/orgs/{org}/exchange/matches/{offer_id}/{request_id}/decline", status_code=204)
def decline_match(offer_id: RecordId, request_id: RecordId, access: Editor, db: DB) -> Response:
    """Decline a proposed match."""
    exchange.decide(db, access, offer_id=offer_id, request_id=request_id, decision="declined")
    return Response(status_code=204)


@router.get("/orgs/{org}/exchange/search")
def search_offers(
    access: Viewer,
    db: DB,
    material: Annotated[str | None, Query(max_length=100)] = None,
    min_dql: Annotated[int, Query(ge=0, le=4)] = 0,
    min_quantity_t: Annotated[float | None, Query(ge=0, le=1e9)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    max_distance_km: Annotated[float | None, Query(ge=0, le=40_000)] = None,
) -> list[OfferHit]:
    """Other organisations' offers by material, level, tonnage and distance from (lat, lon).

    No company is shown; ``id`` is the listing's number on the platform.
    """
    near = (lat, lon) if lat is not None and lon is not None else None
    return exchange.search(
        db, access, material=material, min_dql=min_dql, min_quantity_t=min_quantity_t,
        near=near, max_distance_km=max_distance_km,
    )  # fmt: skip


@router.get("/orgs/{org}/exchange/prices")
def price_statistics(access: Viewer, db: DB) -> PriceStatistics:
    """Median and quartiles of asking prices per material over companies [EUR/t].

    A material with fewer than 5 companies, or with one company listing more than half
    of its tonnage, is suppressed (docs/exchange.md, Privacy).
    """
    return exchange.prices(db)


@router.post(
    "/orgs/{org}/exchange/forecast-jobs",
    status_code=202,
    responses={
        202: {"headers": {"Location": {"description": "The job", "schema": {"type": "string"}}}}
    },
)
def start_forecast(
    request: Request,
    response: Response,
    access: Editor,
    db: DB,
    lang: LangDep,
    history: Annotated[
        UploadFile | None,
        File(description="History (CSV/XLSX: series_id, period, quantity_t)"),
    ] = None,
    horizon: Annotated[int, Query(ge=1, le=36)] = 12,
) -> JobPublic:
    """Forecast every series of the history in the background; poll the job at ``Location``.

    The result (``forecast.json``) is the document of 'kreislauf exchange forecast --json':
    per series the chosen model, its out-of-sample MASE beside naive and seasonal naive,
    and the forecast with its 80 % interval.
    """
    job = exchange.forecast_job(request, db, access, history, horizon, lang)
    response.headers["Location"] = f"/api/v1/orgs/{access.organisation.slug}/jobs/{job.id}"
    return JobPublic.model_validate(job)


@router.get("/orgs/{org}/exchange/forecasts/{forecast_id}")
def get_forecast(forecast_id: RecordId, request: Request, access: Viewer, db: DB) -> ForecastResult:
    """The forecast of a finished forecast job, ``forecast_id`` being the job's id.

    404 while it runs, if it failed, or for a job of another kind.
    """
    return exchange.forecast_of_job(request, db, access, forecast_id)
