"""Page: the progress of a background job, then a link to its result."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kreislauf.web.deps import DB, LangDep, RecordId, Viewer
from kreislauf.web.jobs import load_job
from kreislauf.web.templating import render

router = APIRouter()


@router.get("/orgs/{org}/jobs/{job_id}")
def job_page(job_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    """Progress of a background job; the page reloads itself until the job has ended."""
    job = load_job(request, db, organisation_id=access.organisation_id, job_id=job_id)
    problems = (job.problems or {}).get(lang, [])
    return render(request, "job.html", lang, access=access, job=job, problems=problems)
