"""Pages of a network's questionnaires: list and upload, publish, links, analysis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import KreislaufError
from kreislauf.store import survey as survey_store
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer, verify_csrf
from kreislauf.web.services import survey
from kreislauf.web.templating import render

router = APIRouter()


def _list(
    request: Request,
    access: Viewer,
    db: DB,
    lang: LangDep,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    items = survey_store.questionnaires(db, organisation_id=access.organisation_id)
    return render(
        request, "surveys.html", lang, status_code=status, access=access, items=items, error=error
    )


@router.get("/orgs/{org}/surveys")
def survey_list(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    return _list(request, access, db, lang)


@router.post("/orgs/{org}/surveys")
def survey_upload(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        record = survey.store_questionnaire(request, db, access, file)
    except KreislaufError as error:
        db.rollback()
        return _list(request, access, db, lang, status=error.http_status, error=error.message(lang))
    return RedirectResponse(f"/orgs/{access.organisation.slug}/surveys/{record.id}", 303)


def _detail(
    request: Request,
    access: Viewer,
    db: DB,
    lang: LangDep,
    questionnaire_id: RecordId,
    **extra: Any,
) -> Response:
    record = survey_store.get_questionnaire(
        db, organisation_id=access.organisation_id, questionnaire_id=questionnaire_id
    )
    context: dict[str, Any] = {
        "access": access,
        "record": record,
        "counts": survey_store.response_counts(
            db, organisation_id=access.organisation_id, questionnaire_id=record.id
        ),
        "links": survey_store.links(
            db, organisation_id=access.organisation_id, questionnaire_id=record.id
        ),
        "created": None,
    }
    return render(request, "survey.html", lang, **(context | extra))


@router.get("/orgs/{org}/surveys/{questionnaire_id}")
def survey_detail(
    questionnaire_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep
) -> Response:
    return _detail(request, access, db, lang, questionnaire_id)


@router.post("/orgs/{org}/surveys/{questionnaire_id}/status")
def survey_status(
    questionnaire_id: RecordId, access: Editor, db: DB, status: Annotated[str, Form()]
) -> Response:
    survey_store.set_status(
        db, organisation_id=access.organisation_id, questionnaire_id=questionnaire_id,
        status=status,
    )  # fmt: skip
    return RedirectResponse(
        f"/orgs/{access.organisation.slug}/surveys/{questionnaire_id}", status_code=303
    )


@router.post("/orgs/{org}/surveys/{questionnaire_id}/links")
def survey_link(
    questionnaire_id: RecordId,
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    kind: Annotated[str, Form()] = "anonymous",
    label: Annotated[str, Form()] = "",
) -> Response:
    link, token = survey_store.create_link(
        db, organisation_id=access.organisation_id, questionnaire_id=questionnaire_id,
        kind=kind, label=label,
    )  # fmt: skip
    created = survey.link_created(link, token)
    return _detail(request, access, db, lang, questionnaire_id, created=created)


def _analysis(
    request: Request,
    access: Viewer,
    db: DB,
    lang: LangDep,
    questionnaire_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    error_field: str | None = None,
) -> Response:
    record = survey_store.get_questionnaire(
        db, organisation_id=access.organisation_id, questionnaire_id=questionnaire_id
    )
    results = survey.analysis(db, record, lang)
    return render(
        request, "analysis.html", lang, status_code=status,
        access=access, record=record, results=results,
        spec=survey_store.questionnaire_spec(record), declared=survey.settings_view(db, record),
        error=error, error_field=error_field,
    )  # fmt: skip


@router.get("/orgs/{org}/surveys/{questionnaire_id}/analysis")
def survey_analysis(
    questionnaire_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep
) -> Response:
    return _analysis(request, access, db, lang, questionnaire_id)


async def _fields(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


@router.post(
    "/orgs/{org}/surveys/{questionnaire_id}/analysis/settings",
    dependencies=[Depends(verify_csrf)],
)
def survey_analysis_settings(
    questionnaire_id: RecordId,
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    data: Annotated[dict[str, str], Depends(_fields)],
) -> Response:
    """Store the missing codes, scale and item kinds declared on the page; re-analyse."""
    kinds = {k.removeprefix("kind_"): v for k, v in data.items() if k.startswith("kind_")}
    try:
        body = survey.settings_from_form(
            data.get("missing", ""), data.get("scale_min", ""), data.get("scale_max", ""), kinds
        )
        survey.save_settings(db, access, questionnaire_id, body)
    except KreislaufError as error:
        db.rollback()
        return _analysis(
            request, access, db, lang, questionnaire_id, status=error.http_status,
            error=error.message(lang), error_field=str(error.params.get("field") or ""),
        )  # fmt: skip
    return RedirectResponse(
        f"/orgs/{access.organisation.slug}/surveys/{questionnaire_id}/analysis#declared", 303
    )


@router.post("/orgs/{org}/surveys/{questionnaire_id}/report")
def survey_report(
    questionnaire_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep
) -> Response:
    """Start rendering the PDF report in the background and show its progress."""
    job = survey.report_job(request, db, access, questionnaire_id, lang)
    return RedirectResponse(f"/orgs/{access.organisation.slug}/jobs/{job.id}", status_code=303)
