"""Page: the progress of a background job, then a link to its result."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.jobs import cancel_request, load_job
from kreislauf.web.templating import render

router = APIRouter()


@router.get("/orgs/{org}/jobs/{job_id}")
def job_page(job_id: RecordId, request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    """Progress of a background job; the page reloads itself until the job has ended."""
    job = load_job(request, db, organisation_id=access.organisation_id, job_id=job_id)
    problems = (job.problems or {}).get(lang, [])
    return render(request, "job.html", lang, access=access, job=job, problems=problems)


@router.post("/orgs/{org}/jobs/{job_id}/cancel")
def job_cancel(job_id: RecordId, request: Request, access: Editor, db: DB) -> Response:
    """Cancel the job (the button on its page), back to its page."""
    cancel_request(
        request, db, organisation_id=access.organisation_id, user_id=access.user_id, job_id=job_id
    )
    return RedirectResponse(f"/orgs/{access.organisation.slug}/jobs/{job_id}", status_code=303)
