"""Pages of the company's ledger: uploads (small ones at once, big ones by a job), dashboard."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import KreislaufError
from kreislauf.store import ledger as ledger_store
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.services.dashboard import full_dashboard
from kreislauf.web.services.ledger import (
    confirm_or_apply,
    queue_upload,
    runs_in_background,
    store_upload,
    template_file,
    trend_charts,
    upload_history,
)
from kreislauf.web.templating import render

router = APIRouter()


def _ledger_page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    items = upload_history(db, access)
    context = {
        "access": access,
        "uploads": items,
        "error": None,
        "problems": [],
        "added": None,
        "done": None,
        "pending": [u for u in items if u.status == "pending"],
    }
    return render(request, "ledger.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/ledger")
def ledger_page(
    request: Request,
    access: Viewer,
    db: DB,
    lang: LangDep,
    done: Literal["applied", "restored", "deleted"] | None = None,
) -> Response:
    return _ledger_page(request, access, db, lang, done=done)


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

    The upload is kept pending when it would replace flows in force: the page shows which
    and asks (replace, add, discard). A big file goes to a background job; the browser is
    sent to the job's progress page, and the ledger page then asks.
    """
    try:
        if runs_in_background(request, file, mapping):
            job = queue_upload(request, db, access, file, mapping, lang, pending=True)
            target = f"/orgs/{access.organisation.slug}/jobs/{job.id}"
            return RedirectResponse(target, status_code=303)
        stored = store_upload(request, db, access, file, mapping, pending=True)
        to_confirm = confirm_or_apply(db, access, stored)
    except KreislaufError as error:
        db.rollback()
        return _ledger_page(
            request, access, db, lang, status=error.http_status,
            error=error.message(lang).splitlines()[0], problems=error_entries(error, lang),
        )  # fmt: skip
    if to_confirm is not None:
        return _ledger_page(request, access, db, lang)
    return _ledger_page(request, access, db, lang, added=stored)


def _back(access: Editor, done: str) -> Response:
    target = f"/orgs/{access.organisation.slug}/ledger?done={done}"
    return RedirectResponse(target, status_code=303)


@router.post("/orgs/{org}/ledger/uploads/{upload_id}/apply")
def apply(
    upload_id: RecordId,
    access: Editor,
    db: DB,
    mode: Annotated[Literal["replace", "add"], Form()] = "replace",
) -> Response:
    """Apply a pending upload (replace or add) after the page asked."""
    ledger_store.apply_upload(
        db, organisation_id=access.organisation_id, upload_id=upload_id, mode=mode
    )
    return _back(access, "applied")


@router.post("/orgs/{org}/ledger/uploads/{upload_id}/restore")
def restore(upload_id: RecordId, access: Editor, db: DB) -> Response:
    """Bring an upload from the history back into force."""
    ledger_store.restore_upload(db, organisation_id=access.organisation_id, upload_id=upload_id)
    return _back(access, "restored")


@router.post("/orgs/{org}/ledger/uploads/{upload_id}/delete")
def delete(upload_id: RecordId, access: Editor, db: DB) -> Response:
    """Delete an upload and its flows (a pending one: discard it)."""
    ledger_store.delete_upload(db, organisation_id=access.organisation_id, upload_id=upload_id)
    return _back(access, "deleted")


@router.get("/orgs/{org}/ledger/template.csv")
def ledger_template_csv(access: Viewer, lang: LangDep) -> Response:
    return _download("template.csv", "ledger-vorlage.csv", lang)


@router.get("/orgs/{org}/ledger/template.xlsx")
def ledger_template_xlsx(access: Viewer, lang: LangDep) -> Response:
    return _download("template.xlsx", "ledger-vorlage.xlsx", lang)


@router.get("/orgs/{org}/carbon/template-factors.csv")
def factors_template(access: Viewer, lang: LangDep) -> Response:
    return _download("template-factors.csv", "emissionsfaktoren-vorlage.csv", lang)


@router.get("/orgs/{org}/carbon/template-activities.csv")
def activities_template(access: Viewer, lang: LangDep) -> Response:
    return _download("template-activities.csv", "aktivitaeten-vorlage.csv", lang)


def _download(name: str, filename: str, lang: LangDep) -> Response:
    content, media_type = template_file(name, lang)
    disposition = f'attachment; filename="{filename}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/orgs/{org}/dashboard")
def dashboard(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    board = full_dashboard(db, organisation_id=access.organisation_id, lang=lang)
    trends = trend_charts(board, lang)
    return render(request, "dashboard.html", lang, access=access, board=board, trends=trends)
