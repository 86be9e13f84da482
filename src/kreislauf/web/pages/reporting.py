"""The guided VSME page (computed data points with their sources, a form for the rest)
and the LkSG follow-up page (supplier list, assessments, measures, documentation)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kreislauf.errors import InvalidField, KreislaufError
from kreislauf.i18n import Lang
from kreislauf.store.account import Access
from kreislauf.web.deps import DB, Editor, LangDep, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.services.reporting import (
    lksg_view,
    lksg_year,
    save_lksg_entry,
    save_vsme_answers,
    upload_suppliers,
    vsme_view,
)
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


LksgYearQuery = Annotated[int | None, Query(ge=1990, le=2100)]


def _lksg_page(
    request: Request, access: Access, db: Session, lang: Lang, *, year: int | None,
    status: int = 200, error: str | None = None, problems: list[Any] | None = None,
) -> Response:  # fmt: skip
    view = lksg_view(db, access, year=year, lang=lang)
    return render(
        request, "reporting_lksg.html", lang, status_code=status, access=access, view=view,
        year=lksg_year(year), error=error, problems=problems or [],
        saved=request.query_params.get("saved"),
    )  # fmt: skip


@router.get("/orgs/{org}/reporting/lksg")
def lksg_page(
    request: Request, access: Viewer, db: DB, lang: LangDep, year: LksgYearQuery = None
) -> Response:
    """Supplier list, ranking, concrete assessments and measures of a year."""
    return _lksg_page(request, access, db, lang, year=year)


@router.post("/orgs/{org}/reporting/lksg/suppliers")
def lksg_suppliers(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Replace the supplier list; a wrong cell is shown with row and column."""
    try:
        count = upload_suppliers(request, db, access, file)
    except KreislaufError as error:
        db.rollback()
        return _lksg_page(
            request, access, db, lang, year=None, status=error.http_status,
            error=error.message(lang).splitlines()[0], problems=error_entries(error, lang),
        )  # fmt: skip
    return RedirectResponse(
        f"/orgs/{access.organisation.slug}/reporting/lksg?saved={count}", status_code=303
    )


@router.post("/orgs/{org}/reporting/lksg/assessment")
def lksg_assessment(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    fields: Annotated[dict[str, str], Depends(_form)],
) -> Response:
    """Store a concrete assessment of the year; a wrong field is named."""
    return _lksg_entry(request, access, db, lang, fields, "assessment")


@router.post("/orgs/{org}/reporting/lksg/measure")
def lksg_measure(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    fields: Annotated[dict[str, str], Depends(_form)],
) -> Response:
    """Store a measure of the year; a wrong field is named."""
    return _lksg_entry(request, access, db, lang, fields, "measure")


def _lksg_entry(
    request: Request, access: Access, db: Session, lang: Lang, fields: dict[str, str], kind: str
) -> Response:
    text = fields.get("year", "")
    year = int(text) if text.isdigit() and 1990 <= int(text) <= 2100 else None
    try:
        if year is None:
            raise InvalidField(field="year", value=text, expected="a year YYYY")
        save_lksg_entry(db, access, year=year, kind=kind, form=fields)
    except KreislaufError as error:
        db.rollback()
        return _lksg_page(
            request, access, db, lang, year=year, status=error.http_status,
            error=error.message(lang).splitlines()[0], problems=error_entries(error, lang),
        )  # fmt: skip
    return RedirectResponse(
        f"/orgs/{access.organisation.slug}/reporting/lksg?year={year}&saved=1#{kind}s",
        status_code=303,
    )
