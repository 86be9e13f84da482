"""The company dashboard as JSON: the API's most requested route."""

from __future__ import annotations

from fastapi import APIRouter, Response

from kreislauf.web.deps import DB, LangDep, Viewer, read_only
from kreislauf.web.schemas.ledger import DashboardOut
from kreislauf.web.services.dashboard import dashboard_json

router = APIRouter(tags=["ledger"])


@router.get("/orgs/{org}/dashboard", response_model=DashboardOut)
@read_only
def dashboard(access: Viewer, db: DB, lang: LangDep) -> Response:
    """KPIs (latest period with change vs the previous one), MFCA, GHG balance, measures."""
    body = dashboard_json(db, access, lang)  # cached JSON: no validation per request
    return Response(body, media_type="application/json")
