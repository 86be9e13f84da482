"""Pages of the company's carbon inputs: upload, delete, the carbon report job."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import KreislaufError
from kreislauf.store import carbon as carbon_store
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.services.carbon import carbon_report_job, store_carbon_inputs
from kreislauf.web.templating import render

router = APIRouter()


def _carbon_page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    items = carbon_store.carbon_inputs(db, organisation_id=access.organisation_id)
    context = {"access": access, "inputs": items, "error": None, "problems": [], "added": []}
    return render(request, "carbon.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/carbon")
def carbon_page(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    return _carbon_page(request, access, db, lang)


@router.post("/orgs/{org}/carbon")
def carbon_upload(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    factors: Annotated[list[UploadFile] | None, File()] = None,
    activities: Annotated[UploadFile | None, File()] = None,
    measures: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Upload carbon inputs; a problem is shown with file, row and column, nothing stored."""
    try:
        added = store_carbon_inputs(request, db, access, factors, activities, measures)
    except KreislaufError as error:
        db.rollback()
        return _carbon_page(
            request, access, db, lang, status=error.http_status,
            error=error.message(lang).splitlines()[0], problems=error_entries(error, lang),
        )  # fmt: skip
    return _carbon_page(request, access, db, lang, added=added)


@router.post("/orgs/{org}/carbon/inputs/{input_id}/delete")
def carbon_delete(input_id: RecordId, access: Editor, db: DB) -> Response:
    """Delete one stored carbon input, back to the carbon page."""
    carbon_store.delete_carbon_input(db, organisation_id=access.organisation_id, input_id=input_id)
    return RedirectResponse(f"/orgs/{access.organisation.slug}/carbon", status_code=303)


@router.post("/orgs/{org}/carbon/report")
def carbon_report(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    """Start rendering the carbon report (PDF) in the background and show its progress."""
    job = carbon_report_job(request, db, access, lang)
    return RedirectResponse(f"/orgs/{access.organisation.slug}/jobs/{job.id}", status_code=303)
