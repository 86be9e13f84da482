"""Page: the exchange (publish listings, their quality levels, matches with accept/decline)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import KreislaufError
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.schemas.exchange import ListingForm, NoticesSeenForm
from kreislauf.web.security import SVG_CSP
from kreislauf.web.services import exchange
from kreislauf.web.templating import render

router = APIRouter()


def _page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    matches = exchange.matches_for(db, access)
    context: dict[str, object] = {
        "access": access,
        "listings": exchange.own_listings(db, access),
        "matches": matches,
        "notices": exchange.match_notices(db, access, matches),
        "error": None,
        "problems": [],
        "published": None,
        "prices": exchange.prices(db),
        "hits": None,
        "filters": {},
        "drafts": exchange.ledger_drafts(db, access) if access.allows("editor") else [],
        "draft": None,
        "form": {"side": "offer", "interval": "once"},
        "ticked": [],
        "rule_elements": exchange.rule_elements(),
        "form_fields": exchange.FORM_FIELDS,
        "field_error": None,
        "field_message": None,
        "form_error": None,
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
    published: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    draft: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The exchange; with any search filter also the offers found (no company shown).

    ``published`` (after a publication's redirect) shows how many listings were
    published; ``draft`` fills the entry form with that ledger draft for review.
    """
    filters = {
        "material": material, "min_dql": min_dql, "min_quantity_t": min_quantity_t,
        "lat": lat, "lon": lon, "max_distance_km": max_distance_km,
    }  # fmt: skip
    if "search" not in request.query_params:
        extra: dict[str, Any] = {"published": published}
        if draft is not None and access.allows("editor"):
            found = exchange.find_draft(db, access, draft)
            extra |= {"draft": found, "form": exchange.draft_values(found)}
        return _page(request, access, db, lang, **extra)
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
    """Publish a listings file; problems are listed by row and nothing is published.

    On success the browser is sent to the exchange page (POST-redirect-GET: reloading it
    does not publish the file again).
    """
    try:
        published = exchange.publish_upload(request, db, access, file)
    except KreislaufError as error:
        db.rollback()
        return _page(
            request, access, db, lang, status=error.http_status,
            error=error.message(lang).splitlines()[0], problems=error_entries(error, lang),
        )  # fmt: skip
    return _published(access, lang, len(published))


def _published(access: Editor, lang: str, count: int) -> Response:
    page = f"/orgs/{access.organisation.slug}/exchange?published={count}&lang={lang}"
    return RedirectResponse(page, status_code=303)


@router.post("/orgs/{org}/exchange/listing")
def exchange_enter(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    form: Annotated[ListingForm, Form()],
) -> Response:
    """Publish one listing entered by hand; a bad field is marked where it is typed."""
    values = form.model_dump(exclude={"elements"})
    try:
        exchange.publish_form(db, access, values, form.elements)
    except KreislaufError as error:
        db.rollback()
        entry = error_entries(error, lang)[0]
        return _page(
            request, access, db, lang, status=error.http_status, form=values,
            ticked=form.elements, field_error=entry.get("column") or entry.get("field"),
            field_message=entry.get("expected") or entry["detail"],
            form_error=error.message(lang).splitlines()[0],
        )  # fmt: skip
    return _published(access, lang, 1)


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


@router.post("/orgs/{org}/exchange/notices/seen")
def exchange_notices_seen(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    form: Annotated[NoticesSeenForm, Form()],
) -> Response:
    """Mark the notices the page showed as seen (one ``seen`` token each), back to the page.

    Opening the page marks nothing (GET is safe); a notice the page did not show, or a
    decision taken after it was shown, is still noticed next time.
    """
    try:
        exchange.mark_notices_seen(db, access, exchange.notice_tokens(form.seen))
    except KreislaufError as error:
        db.rollback()
        return _page(request, access, db, lang, status=error.http_status, error=error.message(lang))
    page = f"/orgs/{access.organisation.slug}/exchange?lang={lang}#exchange-notices"
    return RedirectResponse(page, status_code=303)


@router.get("/orgs/{org}/exchange/forecast")
def forecast_page(
    request: Request,
    access: Viewer,
    db: DB,
    lang: LangDep,
    job: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    series: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """Upload a history for a forecast; with ``job`` the finished forecast and its backtest.

    Below, the organisation's stored series (refreshed nightly) with the chart of
    ``series`` (the first one by default): history, forecast, 80 % interval, baseline.
    """
    result = None if job is None else exchange.forecast_of_job(request, db, access, job)
    return _forecast_page(request, access, db, lang, result=result, series=series)


def _forecast_page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200,
    series: str | None = None, **extra: object,
) -> Response:  # fmt: skip
    stored = exchange.stored_series(db, access)
    shown = next((s for s in stored if s.series_id == series and s.forecast), None) or next(
        (s for s in stored if s.forecast), None
    )
    context: dict[str, object] = {
        "access": access, "result": None, "error": None, "problems": [], "stored": stored,
        "shown": shown,
    }  # fmt: skip
    return render(request, "exchange_forecast.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/exchange/forecast/chart.svg")
def forecast_chart(
    access: Viewer,
    db: DB,
    lang: LangDep,
    series: Annotated[str, Query(max_length=100)],
) -> Response:
    """The chart of a stored series as SVG (text as text; no script)."""
    svg = exchange.forecast_chart(db, access, series, lang)
    return Response(svg, media_type="image/svg+xml", headers={"Content-Security-Policy": SVG_CSP})


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
        return _forecast_page(
            request, access, db, lang, status=error.http_status, error=error.message(lang)
        )
    page = f"/orgs/{access.organisation.slug}/jobs/{job.id}?lang={lang}"
    return RedirectResponse(page, status_code=303)
