"""Online questionnaires of an organisation: upload, publish, links, analysis, exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from kreislauf.errors import NotFound
from kreislauf.store import surveys
from kreislauf.store.models import Questionnaire
from kreislauf.web import survey_results
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer, get_settings
from kreislauf.web.schemas import (
    LinkCreated,
    LinkIn,
    LinkPublic,
    QuestionnaireDetail,
    QuestionnairePublic,
    StatusIn,
)
from kreislauf.web.uploads import required, saved_uploads

router = APIRouter(tags=["questionnaires"])

_EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}


def store_questionnaire(
    request: Request, db: DB, access: Editor, file: UploadFile | None
) -> QuestionnairePublic:
    """Validate (survey module) and store an uploaded questionnaire YAML."""
    limit = get_settings(request).upload_max_bytes
    with saved_uploads({"file": file}, max_bytes=limit) as paths:
        record = surveys.create_questionnaire(
            db, organisation_id=access.organisation_id, path=required(paths["file"], "file")
        )
    return QuestionnairePublic.model_validate(record)


def _record(db: DB, access: Viewer, questionnaire_id: RecordId) -> Questionnaire:
    return surveys.get_questionnaire(
        db, organisation_id=access.organisation_id, questionnaire_id=questionnaire_id
    )


def link_created(link: Any, token: str) -> LinkCreated:
    return LinkCreated(
        **LinkPublic.model_validate(link).model_dump(), token=token, url=f"/s/{token}"
    )


@router.post("/orgs/{org}/questionnaires", status_code=201)
def upload_questionnaire(
    request: Request,
    access: Editor,
    db: DB,
    file: Annotated[UploadFile, File(description="Questionnaire YAML (survey format)")],
) -> QuestionnairePublic:
    """Upload a questionnaire in the survey module's YAML format (stored as draft)."""
    return store_questionnaire(request, db, access, file)


@router.get("/orgs/{org}/questionnaires")
def list_questionnaires(access: Viewer, db: DB) -> list[QuestionnairePublic]:
    """The organisation's questionnaires, newest first."""
    return [
        QuestionnairePublic.model_validate(q)
        for q in surveys.questionnaires(db, organisation_id=access.organisation_id)
    ]


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}")
def get_questionnaire(questionnaire_id: RecordId, access: Viewer, db: DB) -> QuestionnaireDetail:
    """One questionnaire with its definition and response counts."""
    record = _record(db, access, questionnaire_id)
    counts = surveys.response_counts(
        db, organisation_id=access.organisation_id, questionnaire_id=record.id
    )
    return QuestionnaireDetail(
        **QuestionnairePublic.model_validate(record).model_dump(),
        responses=counts,
        definition=surveys.questionnaire_spec(record).model_dump(mode="json"),
    )


@router.post("/orgs/{org}/questionnaires/{questionnaire_id}/status")
def set_status(
    questionnaire_id: RecordId, body: StatusIn, access: Editor, db: DB
) -> QuestionnairePublic:
    """Publish (links accept answers), close, or return to draft."""
    record = surveys.set_status(
        db,
        organisation_id=access.organisation_id,
        questionnaire_id=questionnaire_id,
        status=body.status,
    )
    return QuestionnairePublic.model_validate(record)


@router.post("/orgs/{org}/questionnaires/{questionnaire_id}/links", status_code=201)
def create_link(questionnaire_id: RecordId, body: LinkIn, access: Editor, db: DB) -> LinkCreated:
    """A token link for respondents; the token is shown only in this response."""
    link, token = surveys.create_link(
        db,
        organisation_id=access.organisation_id,
        questionnaire_id=questionnaire_id,
        kind=body.kind,
        label=body.label,
    )
    return link_created(link, token)


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/links")
def list_links(questionnaire_id: RecordId, access: Viewer, db: DB) -> list[LinkPublic]:
    """The questionnaire's links (without tokens)."""
    record = _record(db, access, questionnaire_id)
    return [
        LinkPublic.model_validate(link)
        for link in surveys.links(
            db, organisation_id=access.organisation_id, questionnaire_id=record.id
        )
    ]


@router.post("/orgs/{org}/links/{link_id}/close")
def close_link(link_id: RecordId, access: Editor, db: DB) -> LinkPublic:
    """Stop a link from accepting answers."""
    link = surveys.close_link(db, organisation_id=access.organisation_id, link_id=link_id)
    return LinkPublic.model_validate(link)


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/analysis")
def analysis(questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep) -> dict[str, Any]:
    """The survey module's analysis of the submitted responses (descriptives, frequencies,
    shares, reliability, comparisons, checks), as JSON."""
    results = survey_results.analysis(db, _record(db, access, questionnaire_id), lang)
    if results is None:
        raise NotFound(what="responses", id=questionnaire_id)
    return results.model_dump(mode="json")


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/export.{fmt}", response_class=Response)
def export(questionnaire_id: RecordId, fmt: str, access: Viewer, db: DB, lang: LangDep) -> Response:
    """The submitted responses as ``csv``, ``xlsx`` or ``sav`` (SPSS)."""
    record = _record(db, access, questionnaire_id)
    if fmt not in _EXPORTS:
        raise NotFound(what="format", id=fmt)
    raw = survey_results.responses(db, record)
    data = {
        "csv": lambda: survey_results.export_csv(raw),
        "xlsx": lambda: survey_results.export_xlsx(raw),
        "sav": lambda: survey_results.export_sav(raw, record, lang),
    }[fmt]()
    return Response(
        data,
        media_type=_EXPORTS[fmt],
        headers={"Content-Disposition": f'attachment; filename="responses-{record.id}.{fmt}"'},
    )


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/report.pdf", response_class=Response)
def report_pdf(questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep) -> Response:
    """The survey report (PDF) of the submitted responses."""
    results = survey_results.analysis(db, _record(db, access, questionnaire_id), lang)
    if results is None:
        raise NotFound(what="responses", id=questionnaire_id)
    return Response(
        survey_results.report_pdf(results),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="report-{questionnaire_id}.pdf"'},
    )
