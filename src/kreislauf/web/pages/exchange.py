"""Page: the exchange (publish listings, their quality levels, matches with accept/decline)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
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
    }
    return render(request, "exchange.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/exchange")
def exchange_page(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    return _page(request, access, db, lang)


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
