"""Background jobs of an organisation: status and progress, and the file a job produced."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kreislauf.errors import NotFound
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.jobs import cancel_request, job_public, load_job
from kreislauf.web.schemas.jobs import JobPublic

router = APIRouter(tags=["jobs"])


@router.get("/orgs/{org}/jobs/{job_id}")
def get_job(job_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep) -> JobPublic:
    """A background job's status, progress and step; a failed import lists its problems."""
    job = load_job(request, db, organisation_id=access.organisation_id, job_id=job_id)
    return job_public(job, lang)


@router.get("/orgs/{org}/jobs/{job_id}/result", response_class=Response)
def job_result(job_id: RecordId, request: Request, access: Viewer, db: DB) -> Response:
    """The file a finished job produced (404 until it is done)."""
    job = load_job(request, db, organisation_id=access.organisation_id, job_id=job_id)
    if job.status != "done" or job.result is None:
        raise NotFound(what="job result", id=job_id)
    return Response(
        job.result,
        media_type=job.result_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{job.result_name}"'},
    )


@router.post("/orgs/{org}/jobs/{job_id}/cancel")
def cancel_job(
    job_id: RecordId, request: Request, access: Editor, db: DB, lang: LangDep
) -> JobPublic:
    """Cancel a queued or running job (409 once it has ended): a queued one never starts,
    a running one stops at its next step and stores nothing."""
    job = cancel_request(
        request, db, organisation_id=access.organisation_id, user_id=access.user_id, job_id=job_id
    )
    return job_public(job, lang)
