"""Page: the exchange (publish listings, their quality levels, matches with accept/decline)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import KreislaufError
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.services import exchange
from kreislauf.web.templating import render

router = APIRouter()


def _page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    context: dict[str, object] = {
        "access": access,
        "listings": exchange.own_listings(db, access),
        "matches": exchange.matches_for(db, access),
        "error": None,
        "problems": [],
        "published": [],
        "prices": exchange.prices(db),
        "hits": None,
        "filters": {},
    }
    return render(request, "exchange.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/exchange")
def exchange_page(
    request: Request,
    access: Viewer,
    db: DB,
    lang: LangDep,
    material: Annotated[str | None, Query(max_length=100)] = None,
    min_dql: Annotated[int, Query(ge=0, le=4)] = 0,
    min_quantity_t: Annotated[float | None, Query(ge=0, le=1e9)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    max_distance_km: Annotated[float | None, Query(ge=0, le=40_000)] = None,
) -> Response:
    """The exchange; with any search filter also the offers found (no company shown)."""
    filters = {
        "material": material, "min_dql": min_dql, "min_quantity_t": min_quantity_t,
        "lat": lat, "lon": lon, "max_distance_km": max_distance_km,
    }  # fmt: skip
    if "search" not in request.query_params:
        return _page(request, access, db, lang)
    near = (lat, lon) if lat is not None and lon is not None else None
    try:
        hits = exchange.search(
            db, access, material=material or None, min_dql=min_dql,
            min_quantity_t=min_quantity_t, near=near, max_distance_km=max_distance_km,
        )  # fmt: skip
    except KreislaufError as error:
        return _page(
            request, access, db, lang, status=error.http_status, error=error.message(lang),
            filters=filters,
        )  # fmt: skip
    return _page(request, access, db, lang, hits=hits, filters=filters)


@router.post("/orgs/{org}/exchange")
def exchange_publish(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Publish a listings file; problems are listed by row and nothing is published."""
    try:
        published = exchange.publish_upload(request, db, access, file)
    except KreislaufError as error:
        db.rollback()
        return _page(
            request, access, db, lang, status=error.http_status,
            error=error.message(lang).splitlines()[0], problems=error_entries(error, lang),
        )  # fmt: skip
    return _page(request, access, db, lang, published=published)


@router.post("/orgs/{org}/exchange/matches/{offer_id}/{request_id}/{decision}")
def exchange_decide(
    request: Request,
    offer_id: RecordId,
    request_id: RecordId,
    decision: str,
    access: Editor,
    db: DB,
    lang: LangDep,
) -> Response:
    """Accept or decline a proposed match, back to the exchange page."""
    answer = {"accept": "accepted", "decline": "declined"}.get(decision, decision)
    try:
        exchange.decide(db, access, offer_id=offer_id, request_id=request_id, decision=answer)
    except KreislaufError as error:
        db.rollback()
        return _page(request, access, db, lang, status=error.http_status, error=error.message(lang))
    return RedirectResponse(f"/orgs/{access.organisation.slug}/exchange", status_code=303)


@router.get("/orgs/{org}/exchange/forecast")
def forecast_page(
    request: Request,
    access: Viewer,
    db: DB,
    lang: LangDep,
    job: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> Response:
    """Upload a history for a forecast; with ``job`` the finished forecast and its backtest."""
    result = None if job is None else exchange.forecast_of_job(request, db, access, job)
    return render(
        request, "exchange_forecast.html", lang, access=access, result=result, error=None,
        problems=[],
    )  # fmt: skip


@router.post("/orgs/{org}/exchange/forecast")
def forecast_start(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    history: Annotated[UploadFile | None, File()] = None,
    horizon: Annotated[int, Form()] = 12,
) -> Response:
    """Start the forecast in the background and show its progress."""
    try:
        job = exchange.forecast_job(request, db, access, history, horizon, lang)
    except KreislaufError as error:
        db.rollback()
        return render(
            request, "exchange_forecast.html", lang, status_code=error.http_status,
            access=access, result=None, error=error.message(lang), problems=[],
        )  # fmt: skip
    page = f"/orgs/{access.organisation.slug}/jobs/{job.id}?lang={lang}"
    return RedirectResponse(page, status_code=303)
