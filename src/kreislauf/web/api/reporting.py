"""The VSME report of an organisation as JSON (the guided page's data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kreislauf.web.deps import DB, LangDep, Viewer
from kreislauf.web.schemas.reporting import VsmeOut
from kreislauf.web.services.reporting import vsme_view

router = APIRouter(tags=["reporting"])


@router.get("/orgs/{org}/reporting/vsme")
def vsme(
    access: Viewer,
    db: DB,
    lang: LangDep,
    year: Annotated[str | None, Query(pattern=r"^\d{4}$", description="reporting year")] = None,
) -> VsmeOut:
    """VSME data points of a year by module: value, unit, source; open ones with help."""
    return vsme_view(db, access, year=year, lang=lang)
