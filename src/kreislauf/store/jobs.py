"""Background jobs: long work (report rendering) with progress and a stored result.

A job row is the shared state: any web worker can show its progress and hand out its
result; the worker process that accepted the request runs it
(:mod:`kreislauf.web.worker`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kreislauf.store.base import utcnow
from kreislauf.store.models import Job
from kreislauf.store.tenancy import get_scoped

JOB_KINDS = ("survey_report_pdf", "carbon_report_pdf")


def create_job(session: Session, *, organisation_id: int, kind: str, params: dict[str, Any]) -> Job:
    """A queued job of ``kind`` (one of :data:`JOB_KINDS`)."""
    if kind not in JOB_KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(organisation_id=organisation_id, kind=kind, params=params, status="queued")
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, *, organisation_id: int, job_id: int) -> Job:
    """One job of the organisation (NotFound otherwise)."""
    return get_scoped(session, Job, job_id, organisation_id=organisation_id)


def start(session: Session, job: Job) -> None:
    job.status = "running"
    job.started_at = utcnow()
    job.progress = 0.0
    session.flush()


def set_progress(session: Session, job: Job, progress: float) -> None:
    """Progress as a share of the work done [0-1]."""
    job.progress = max(0.0, min(1.0, progress))
    session.flush()


def finish(session: Session, job: Job, *, result: bytes, name: str, media_type: str) -> None:
    job.status = "done"
    job.progress = 1.0
    job.result = result
    job.result_name = name
    job.result_type = media_type
    job.finished_at = utcnow()
    session.flush()


def fail(session: Session, job: Job, *, error: str) -> None:
    job.status = "failed"
    job.error = error
    job.finished_at = utcnow()
    session.flush()
