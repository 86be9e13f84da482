"""Pages of the company's ledger: uploads (small ones at once, big ones by a job), dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import KreislaufError
from kreislauf.store import ledger as ledger_store
from kreislauf.web.deps import DB, Editor, LangDep, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.services.dashboard import full_dashboard
from kreislauf.web.services.ledger import queue_upload, runs_in_background, store_upload
from kreislauf.web.templating import render

router = APIRouter()


def _ledger_page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    items = ledger_store.uploads(db, organisation_id=access.organisation_id)
    context = {"access": access, "uploads": items, "error": None, "problems": [], "added": None}
    return render(request, "ledger.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/ledger")
def ledger_page(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    return _ledger_page(request, access, db, lang)


@router.post("/orgs/{org}/ledger")
def upload(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    file: Annotated[UploadFile | None, File()] = None,
    mapping: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Upload a ledger; row-level problems are listed in the page and nothing is stored.

    A big file goes to a background job; the browser is sent to the job's progress page.
    """
    try:
        if runs_in_background(request, file, mapping):
            job = queue_upload(request, db, access, file, mapping, lang)
            target = f"/orgs/{access.organisation.slug}/jobs/{job.id}"
            return RedirectResponse(target, status_code=303)
        added = store_upload(request, db, access, file, mapping)
    except KreislaufError as error:
        db.rollback()
        return _ledger_page(
            request, access, db, lang, status=error.http_status,
            error=error.message(lang).splitlines()[0], problems=error_entries(error, lang),
        )  # fmt: skip
    return _ledger_page(request, access, db, lang, added=added)


@router.get("/orgs/{org}/dashboard")
def dashboard(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    board = full_dashboard(db, organisation_id=access.organisation_id, lang=lang)
    return render(request, "dashboard.html", lang, access=access, board=board)
