"""Page: product carbon footprints (BOM upload, PCF per product, downloads, report job)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from kreislauf.carbon.pcf import STAGES
from kreislauf.carbon.pcf_report import TOP_COMPONENTS
from kreislauf.errors import KreislaufError
from kreislauf.store import carbon as carbon_store
from kreislauf.web.deps import DB, Editor, LangDep, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.services import pcf
from kreislauf.web.services.carbon import problem
from kreislauf.web.templating import render

router = APIRouter()


def _page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    result = pcf.computed_pcf(db, organisation_id=access.organisation_id)
    stored = carbon_store.carbon_inputs(db, organisation_id=access.organisation_id)
    context: dict[str, object] = {
        "access": access,
        "result": result,
        "products": pcf.pcf_out(result).products if result.results else [],
        "pcf_problem": problem(result.error, lang) if result.error else None,
        "bom": next((r for r in stored if r.kind == "bom"), None),
        "stages": STAGES,
        "top": TOP_COMPONENTS,
        "error": None,
        "problems": [],
        "added": [],
    }
    return render(request, "pcf.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/pcf")
def pcf_page(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    return _page(request, access, db, lang)


@router.post("/orgs/{org}/pcf")
def pcf_upload(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    bom: Annotated[UploadFile | None, File()] = None,
    factors: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Upload a BOM (and factor files); problems are listed by row and nothing is stored."""
    try:
        added = pcf.store_bom(request, db, access, bom, factors)
    except KreislaufError as error:
        db.rollback()
        return _page(
            request, access, db, lang, status=error.http_status,
            error=error.message(lang).splitlines()[0], problems=error_entries(error, lang),
        )  # fmt: skip
    return _page(request, access, db, lang, added=added)


@router.post("/orgs/{org}/pcf/delete")
def pcf_delete(request: Request, access: Editor, db: DB, lang: LangDep) -> Response:
    """Delete the stored BOM, back to the PCF page."""
    try:
        pcf.delete_stored_bom(db, access)
    except KreislaufError as error:
        db.rollback()
        return _page(request, access, db, lang, status=error.http_status, error=error.message(lang))
    return RedirectResponse(f"/orgs/{access.organisation.slug}/pcf", status_code=303)


@router.post("/orgs/{org}/pcf/report")
def pcf_report(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    """Start rendering the PCF report (PDF) in the background and show its progress."""
    job = pcf.pcf_report_job(request, db, access, lang)
    page = f"/orgs/{access.organisation.slug}/jobs/{job.id}?lang={lang}"
    return RedirectResponse(page, status_code=303)
