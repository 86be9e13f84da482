"""Background jobs: long work (report rendering, big imports) with progress and a result.

A job row is the shared state: any web worker can show its progress and hand out its
result; the worker process that accepted the request runs it
(:mod:`kreislauf.web.worker`, with the handler registered for the job's kind in
:mod:`kreislauf.web.jobs`). That process renews ``heartbeat_at`` of every job it holds
(queued or running); a job whose heartbeat is older than a limit was held by a process that
stopped, so it is marked failed (:func:`expire_stale`) instead of staying ``running``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kreislauf.i18n import as_lang, translate
from kreislauf.store.base import utcnow
from kreislauf.store.models import Job, JobFile
from kreislauf.store.tenancy import get_scoped

#: Statuses of a job that has not ended yet.
ACTIVE = ("queued", "running")
#: Row-level problems of a failed import: language -> entries as in the API's problem details.
Problems = dict[str, list[dict[str, Any]]]


def create_job(session: Session, *, organisation_id: int, kind: str, params: dict[str, Any]) -> Job:
    """A queued job of ``kind``, its heartbeat set to now.

    The store knows no kinds: the web's job registry checks ``kind`` before it calls this
    (:func:`kreislauf.web.jobs.create_job`).
    """
    job = Job(
        organisation_id=organisation_id,
        kind=kind,
        params=params,
        status="queued",
        heartbeat_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def add_file(session: Session, job: Job, *, field: str, filename: str, content: bytes) -> None:
    """Keep an uploaded file (``content`` [bytes]) for ``job`` until the job ends."""
    session.add(
        JobFile(
            organisation_id=job.organisation_id,
            job_id=job.id,
            field=field,
            filename=filename,
            content=content,
        )
    )
    session.flush()


def job_files(session: Session, job: Job) -> list[JobFile]:
    """The files kept for ``job``, in the order they were added."""
    statement = select(JobFile).where(JobFile.job_id == job.id).order_by(JobFile.id)
    return list(session.scalars(statement))


def get_job(session: Session, *, organisation_id: int, job_id: int, stale_after_s: float) -> Job:
    """One job of the organisation (NotFound otherwise), marked failed if it is stale."""
    job = get_scoped(session, Job, job_id, organisation_id=organisation_id)
    if is_stale(job, now=utcnow(), stale_after_s=stale_after_s):
        _interrupt(session, job)
    return job


def start(session: Session, job: Job) -> None:
    job.status = "running"
    job.started_at = job.heartbeat_at = utcnow()
    job.progress = 0.0
    session.flush()


def set_progress(session: Session, job: Job, progress: float, *, stage: str | None = None) -> None:
    """Progress as a share of the work done [0-1] and the current step; renews the heartbeat."""
    job.progress = max(0.0, min(1.0, progress))
    if stage is not None:
        job.stage = stage
    job.heartbeat_at = utcnow()
    session.flush()


def beat(session: Session, job_ids: Iterable[int]) -> None:
    """Renew the heartbeat of those of ``job_ids`` that have not ended."""
    ids = list(job_ids)
    if ids:
        session.execute(
            update(Job).where(Job.id.in_(ids), Job.status.in_(ACTIVE)).values(heartbeat_at=utcnow())
        )


def finish(
    session: Session,
    job: Job,
    *,
    result: bytes | None = None,
    name: str | None = None,
    media_type: str | None = None,
) -> None:
    """Mark ``job`` done with its result (a file, or for an import only the file's name)."""
    job.status = "done"
    job.progress = 1.0
    job.result = result
    job.result_name = name
    job.result_type = media_type
    _end(session, job)


def fail(session: Session, job: Job, *, error: str, problems: Problems | None = None) -> None:
    """Mark ``job`` failed with a message and, for an import, its row-level problems by language."""
    job.status = "failed"
    job.error = error
    job.problems = problems
    _end(session, job)


def _end(session: Session, job: Job) -> None:
    job.finished_at = job.heartbeat_at = utcnow()
    job.stage = None
    session.execute(delete(JobFile).where(JobFile.job_id == job.id))
    session.flush()


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_stale(job: Job, *, now: datetime, stale_after_s: float) -> bool:
    """Whether ``job`` has not ended and nobody renewed its heartbeat for ``stale_after_s`` [s]."""
    if job.status not in ACTIVE:
        return False
    last = job.heartbeat_at or job.started_at or job.created_at
    return now - _aware(last) > timedelta(seconds=stale_after_s)


def _interrupt(session: Session, job: Job) -> None:
    fail(session, job, error=translate("job.interrupted", as_lang(job.params.get("lang"))))


def expire_stale(session: Session, *, stale_after_s: float) -> int:
    """Mark every stale job (of any organisation) failed; how many there were."""
    now = utcnow()
    candidates = session.scalars(select(Job).where(Job.status.in_(ACTIVE)))
    stale = [job for job in candidates if is_stale(job, now=now, stale_after_s=stale_after_s)]
    for job in stale:
        _interrupt(session, job)
    return len(stale)
