"""The guided VSME page: computed data points with their sources, a form for the rest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import KreislaufError
from kreislauf.web.deps import DB, Editor, LangDep, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.services.reporting import save_vsme_answers, vsme_view
from kreislauf.web.templating import render

router = APIRouter()
YearQuery = Annotated[str | None, Query(pattern=r"^\d{4}$")]


@router.get("/orgs/{org}/reporting/vsme")
def vsme_page(
    request: Request, access: Viewer, db: DB, lang: LangDep, year: YearQuery = None
) -> Response:
    try:
        view = vsme_view(db, access, year=year, lang=lang)
    except KreislaufError as error:
        return render(
            request, "reporting_vsme.html", lang, status_code=error.http_status,
            access=access, view=None, error=error.message(lang), problems=[], saved=None,
        )  # fmt: skip
    return render(
        request, "reporting_vsme.html", lang, access=access, view=view, error=None,
        problems=[], saved=request.query_params.get("saved"),
    )  # fmt: skip


async def _form(request: Request) -> dict[str, str]:
    """The form's fields; a field sent several times (check boxes) joined by commas."""
    fields: dict[str, list[str]] = {}
    for key, value in (await request.form()).multi_items():
        if isinstance(value, str):
            fields.setdefault(key, []).append(value)
    return {k: ",".join(v for v in values if v) for k, values in fields.items()}


@router.post("/orgs/{org}/reporting/vsme")
def vsme_answers(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    fields: Annotated[dict[str, str], Depends(_form)],
) -> Response:
    """Store the answers of the form; a wrong value is shown with its field, nothing stored."""
    year = fields.get("year", "")
    try:
        changed = save_vsme_answers(db, access, year=year, form=fields)
    except KreislaufError as error:
        db.rollback()
        view = vsme_view(db, access, year=year or None, lang=lang)
        return render(
            request, "reporting_vsme.html", lang, status_code=error.http_status,
            access=access, view=view, error=error.message(lang).splitlines()[0],
            problems=error_entries(error, lang), saved=None,
        )  # fmt: skip
    return RedirectResponse(
        f"/orgs/{access.organisation.slug}/reporting/vsme?year={year}&saved={changed}",
        status_code=303,
    )
