"""Online questionnaires of an organisation: upload, publish, links, analysis, exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from kreislauf.errors import NoResponses, NotFound
from kreislauf.store import survey as survey_store
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.schemas.jobs import JobPublic
from kreislauf.web.schemas.survey import (
    AnalysisSettingsIn,
    AnalysisSettingsPublic,
    LinkCreated,
    LinkIn,
    LinkPublic,
    QuestionnaireDetail,
    QuestionnairePublic,
    StatusIn,
)
from kreislauf.web.services import survey

router = APIRouter(tags=["questionnaires"])

_EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}


@router.post("/orgs/{org}/questionnaires", status_code=201)
def upload_questionnaire(
    request: Request,
    access: Editor,
    db: DB,
    file: Annotated[UploadFile, File(description="Questionnaire YAML (survey format)")],
) -> QuestionnairePublic:
    """Upload a questionnaire in the survey module's YAML format (stored as draft)."""
    return survey.store_questionnaire(request, db, access, file)


@router.get("/orgs/{org}/questionnaires")
def list_questionnaires(access: Viewer, db: DB) -> list[QuestionnairePublic]:
    """The organisation's questionnaires, newest first."""
    return [
        QuestionnairePublic.model_validate(q)
        for q in survey_store.questionnaires(db, organisation_id=access.organisation_id)
    ]


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}")
def get_questionnaire(questionnaire_id: RecordId, access: Viewer, db: DB) -> QuestionnaireDetail:
    """One questionnaire with its definition and response counts."""
    record = survey.questionnaire(db, access, questionnaire_id)
    counts = survey_store.response_counts(
        db, organisation_id=access.organisation_id, questionnaire_id=record.id
    )
    return QuestionnaireDetail(
        **QuestionnairePublic.model_validate(record).model_dump(),
        responses=counts,
        definition=survey_store.questionnaire_spec(record).model_dump(mode="json"),
    )


@router.post("/orgs/{org}/questionnaires/{questionnaire_id}/status")
def set_status(
    questionnaire_id: RecordId, body: StatusIn, access: Editor, db: DB
) -> QuestionnairePublic:
    """Publish (links accept answers), close, or return to draft."""
    record = survey_store.set_status(
        db,
        organisation_id=access.organisation_id,
        questionnaire_id=questionnaire_id,
        status=body.status,
    )
    return QuestionnairePublic.model_validate(record)


@router.post("/orgs/{org}/questionnaires/{questionnaire_id}/links", status_code=201)
def create_link(questionnaire_id: RecordId, body: LinkIn, access: Editor, db: DB) -> LinkCreated:
    """A token link for respondents; the token is shown only in this response."""
    link, token = survey_store.create_link(
        db,
        organisation_id=access.organisation_id,
        questionnaire_id=questionnaire_id,
        kind=body.kind,
        label=body.label,
    )
    return survey.link_created(link, token)


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/links")
def list_links(questionnaire_id: RecordId, access: Viewer, db: DB) -> list[LinkPublic]:
    """The questionnaire's links (without tokens)."""
    record = survey.questionnaire(db, access, questionnaire_id)
    return [
        LinkPublic.model_validate(link)
        for link in survey_store.links(
            db, organisation_id=access.organisation_id, questionnaire_id=record.id
        )
    ]


@router.post("/orgs/{org}/links/{link_id}/close")
def close_link(link_id: RecordId, access: Editor, db: DB) -> LinkPublic:
    """Stop a link from accepting answers."""
    link = survey_store.close_link(db, organisation_id=access.organisation_id, link_id=link_id)
    return LinkPublic.model_validate(link)


@router.get(
    "/orgs/{org}/questionnaires/{questionnaire_id}/analysis",
    responses={409: {"description": "No responses yet"}},
)
def analysis(questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep) -> dict[str, Any]:
    """The survey module's analysis of the submitted responses (descriptives, frequencies,
    shares, reliability, comparisons, checks), as JSON."""
    record = survey.questionnaire(db, access, questionnaire_id)
    results = survey.analysis(db, record, lang)
    if results is None:
        raise NoResponses(questionnaire=record.title)
    return results.model_dump(mode="json")


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/analysis-settings")
def get_analysis_settings(questionnaire_id: RecordId, access: Viewer, db: DB) -> AnalysisSettingsIn:
    """The missing codes, scale and item kinds declared for the analysis."""
    return survey.settings_view(db, survey.questionnaire(db, access, questionnaire_id))


@router.put("/orgs/{org}/questionnaires/{questionnaire_id}/analysis-settings")
def put_analysis_settings(
    questionnaire_id: RecordId, body: AnalysisSettingsIn, access: Editor, db: DB
) -> AnalysisSettingsPublic:
    """Declare missing codes, the Likert scale and item kinds; the analysis, the report and
    the analysis page use them from now on."""
    return survey.save_settings(db, access, questionnaire_id, body)


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/export.{fmt}", response_class=Response)
def export(questionnaire_id: RecordId, fmt: str, access: Viewer, db: DB, lang: LangDep) -> Response:
    """The submitted responses as ``csv``, ``xlsx`` or ``sav`` (SPSS)."""
    record = survey.questionnaire(db, access, questionnaire_id)
    if fmt not in _EXPORTS:
        raise NotFound(what="format", id=fmt)
    raw = survey.responses(db, record)
    data = {
        "csv": lambda: survey.export_csv(raw),
        "xlsx": lambda: survey.export_xlsx(raw),
        "sav": lambda: survey.export_sav(raw, record, lang),
    }[fmt]()
    return Response(
        data,
        media_type=_EXPORTS[fmt],
        headers={"Content-Disposition": f'attachment; filename="responses-{record.id}.{fmt}"'},
    )


@router.post("/orgs/{org}/questionnaires/{questionnaire_id}/report-jobs", status_code=202)
def start_report(
    questionnaire_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep
) -> JobPublic:
    """Render the PDF report in the background; poll the job, then fetch its result."""
    job = survey.report_job(request, db, access, questionnaire_id, lang)
    return JobPublic.model_validate(job)


@router.get(
    "/orgs/{org}/questionnaires/{questionnaire_id}/report.pdf",
    response_class=Response,
    responses={409: {"description": "No responses yet"}},
)
def report_pdf(questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep) -> Response:
    """The survey report (PDF) of the submitted responses."""
    record = survey.questionnaire(db, access, questionnaire_id)
    results = survey.analysis(db, record, lang)
    if results is None:
        raise NoResponses(questionnaire=record.title)
    return Response(
        survey.report_pdf(results),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="report-{questionnaire_id}.pdf"'},
    )
