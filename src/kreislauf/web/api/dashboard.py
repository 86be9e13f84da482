"""The company dashboard as JSON: the API's most requested route."""

from __future__ import annotations

from fastapi import APIRouter

from kreislauf.web.dashboard import DashboardOut, full_dashboard
from kreislauf.web.deps import DB, LangDep, Viewer

router = APIRouter(tags=["ledger"])


@router.get("/orgs/{org}/dashboard")
def dashboard(access: Viewer, db: DB, lang: LangDep) -> DashboardOut:
    """KPIs (latest period with change vs the previous one), MFCA, GHG balance, measures."""
    return full_dashboard(db, organisation_id=access.organisation_id, lang=lang)
