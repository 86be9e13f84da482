"""Online questionnaires of an organisation: upload, publish, links, analysis, exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from kreislauf.errors import NoResponses, NotFound
from kreislauf.store import job as job_store
from kreislauf.store import survey as survey_store
from kreislauf.store.models import Job, Questionnaire
from kreislauf.web import survey_results
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer, get_settings
from kreislauf.web.schemas import (
    JobPublic,
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
        record = survey_store.create_questionnaire(
            db, organisation_id=access.organisation_id, path=required(paths["file"], "file")
        )
    return QuestionnairePublic.model_validate(record)


def _record(db: DB, access: Viewer, questionnaire_id: int) -> Questionnaire:
    return survey_store.get_questionnaire(
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
        for q in survey_store.questionnaires(db, organisation_id=access.organisation_id)
    ]


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}")
def get_questionnaire(questionnaire_id: RecordId, access: Viewer, db: DB) -> QuestionnaireDetail:
    """One questionnaire with its definition and response counts."""
    record = _record(db, access, questionnaire_id)
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
    return link_created(link, token)


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/links")
def list_links(questionnaire_id: RecordId, access: Viewer, db: DB) -> list[LinkPublic]:
    """The questionnaire's links (without tokens)."""
    record = _record(db, access, questionnaire_id)
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


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/analysis")
def analysis(questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep) -> dict[str, Any]:
    """The survey module's analysis of the submitted responses (descriptives, frequencies,
    shares, reliability, comparisons, checks), as JSON."""
    record = _record(db, access, questionnaire_id)
    results = survey_results.analysis(db, record, lang)
    if results is None:
        raise NoResponses(questionnaire=record.title)
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


@router.post("/orgs/{org}/questionnaires/{questionnaire_id}/report-jobs", status_code=202)
def start_report(
    questionnaire_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep
) -> JobPublic:
    """Render the PDF report in the background; poll the job, then fetch its result."""
    job = create_report_job(request, db, access, questionnaire_id, lang)
    return JobPublic.model_validate(job)


def create_report_job(
    request: Request, db: DB, access: Viewer, questionnaire_id: int, lang: str
) -> Job:
    """Queue a report job (committed first, so the worker sees it) and hand it to the worker."""
    record = _record(db, access, questionnaire_id)
    job = job_store.create_job(
        db,
        organisation_id=access.organisation_id,
        kind="survey_report_pdf",
        params={"questionnaire_id": record.id, "lang": lang},
    )
    db.commit()
    request.app.state.worker.submit(job.id)
    return job


def load_job(request: Request, db: DB, access: Viewer, job_id: int) -> Job:
    """A job of the organisation; one whose worker stopped is marked failed first."""
    return job_store.get_job(
        db,
        organisation_id=access.organisation_id,
        job_id=job_id,
        stale_after_s=get_settings(request).job_stale_after_s,
    )


def job_public(job: Job, lang: str) -> JobPublic:
    """The job's JSON, a failed import's row-level problems in ``lang``."""
    errors = (job.problems or {}).get(lang, [])
    return JobPublic.model_validate(job).model_copy(update={"errors": errors})


@router.get("/orgs/{org}/jobs/{job_id}")
def get_job(job_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep) -> JobPublic:
    """A background job's status, progress and step; a failed import lists its problems."""
    return job_public(load_job(request, db, access, job_id), lang)


@router.get("/orgs/{org}/jobs/{job_id}/result", response_class=Response)
def job_result(job_id: RecordId, request: Request, access: Viewer, db: DB) -> Response:
    """The file a finished job produced (404 until it is done)."""
    job = load_job(request, db, access, job_id)
    if job.status != "done" or job.result is None:
        raise NotFound(what="job result", id=job_id)
    return Response(
        job.result,
        media_type=job.result_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{job.result_name}"'},
    )


@router.get("/orgs/{org}/questionnaires/{questionnaire_id}/report.pdf", response_class=Response)
def report_pdf(questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep) -> Response:
    """The survey report (PDF) of the submitted responses."""
    record = _record(db, access, questionnaire_id)
    results = survey_results.analysis(db, record, lang)
    if results is None:
        raise NoResponses(questionnaire=record.title)
    return Response(
        survey_results.report_pdf(results),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="report-{questionnaire_id}.pdf"'},
    )
