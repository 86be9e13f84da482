"""Background jobs: long work (report rendering, big imports) with progress and a result.

A job row is the shared state and the one source of truth for users: any web process can
show its status, progress and problems and hand out its result. Who runs it depends on
the database (:mod:`kreislauf.web.worker`): on PostgreSQL a ``kreislauf worker`` process
through procrastinate (:mod:`kreislauf.web.queue`), on SQLite the web process that accepted
the request, which renews ``heartbeat_at`` of every job it holds (queued or running); there
a job whose heartbeat is older than a limit was held by a process that stopped, so it is
marked failed (:func:`expire_stale`) instead of staying ``running``.

Each run of a job counts in ``attempts``; a run writes (progress, result) only while the
row is ``running`` with its own attempt number, so a run overtaken by a retry, a
cancellation or its time limit changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kreislauf.errors import NotFound
from kreislauf.i18n import as_lang, translate
from kreislauf.store.base import utcnow
from kreislauf.store.models import Job, JobFile, Organisation
from kreislauf.store.tenancy import get_scoped

#: Statuses of a job that has not ended yet.
ACTIVE = ("queued", "running")
#: Statuses of a job that has ended.
ENDED = ("done", "failed", "cancelled")
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


def get_job(
    session: Session, *, organisation_id: int, job_id: int, stale_after_s: float | None
) -> Job:
    """One job of the organisation (NotFound otherwise), marked failed if it is stale.

    ``stale_after_s`` None: never (the queue finds and retries jobs of a lost worker).
    """
    job = get_scoped(session, Job, job_id, organisation_id=organisation_id)
    if stale_after_s is not None and is_stale(job, now=utcnow(), stale_after_s=stale_after_s):
        _interrupt(session, job)
    return job


def start(session: Session, job: Job) -> int:
    """Mark ``job`` running as a new attempt; the attempt's number (1 for the first run)."""
    job.status = "running"
    job.started_at = job.heartbeat_at = utcnow()
    job.progress = 0.0
    job.stage = None
    job.error = None
    job.attempts = (job.attempts or 0) + 1
    session.flush()
    return job.attempts


def holds(job: Job | None, attempt: int) -> bool:
    """Whether ``attempt`` is the run of ``job`` that may still write (running, not overtaken)."""
    return job is not None and job.status == "running" and job.attempts == attempt


def requeue(session: Session, job: Job, *, note: str) -> None:
    """Put a running ``job`` back in the queue after a transient fault (``note`` says which)."""
    job.status = "queued"
    job.stage = None
    job.progress = 0.0
    job.error = note
    job.heartbeat_at = utcnow()
    session.flush()


def cancel(session: Session, job: Job, *, error: str) -> None:
    """Mark a queued or running ``job`` cancelled; its files go (a running run rolls back)."""
    job.status = "cancelled"
    job.error = error
    _end(session, job)


def retry(session: Session, job: Job) -> None:
    """Queue an ended ``job`` again with its parameters (its files are gone: imports cannot)."""
    job.status = "queued"
    job.progress = 0.0
    job.stage = job.error = job.problems = None
    job.result = job.result_name = job.result_type = None
    job.started_at = job.finished_at = None
    job.heartbeat_at = utcnow()
    session.flush()


def inputs_digest(kind: str, params: Mapping[str, Any], files: Iterable[JobFile]) -> str:
    """SHA-256 [hex] of the job's kind, parameters and files: what makes two jobs the same."""
    digest = hashlib.sha256(kind.encode())
    digest.update(json.dumps(params, sort_keys=True, default=str).encode())
    for item in files:
        digest.update(f"\0{item.field}\0{item.filename}\0".encode())
        digest.update(hashlib.sha256(item.content).digest())
    return digest.hexdigest()


def queued_twin(
    session: Session, *, organisation_id: int, kind: str, digest: str | None, other_than: int
) -> Job | None:
    """A queued job of the organisation with this kind and inputs digest, if any."""
    statement = select(Job).where(
        Job.organisation_id == organisation_id,
        Job.kind == kind,
        Job.inputs_digest == digest,
        Job.status == "queued",
        Job.id != other_than,
    )
    return session.scalars(statement.order_by(Job.id).limit(1)).first()


def list_jobs(
    session: Session,
    *,
    statuses: Iterable[str] = (),
    kind: str | None = None,
    organisation: str | None = None,
    limit: int = 50,
) -> list[tuple[Job, str]]:
    """Jobs of every organisation with its slug (operators' view), newest first."""
    statement = select(Job, Organisation.slug).join(
        Organisation, Organisation.id == Job.organisation_id
    )
    if wanted := list(statuses):
        statement = statement.where(Job.status.in_(wanted))
    if kind is not None:
        statement = statement.where(Job.kind == kind)
    if organisation is not None:
        statement = statement.where(Organisation.slug == organisation)
    rows = session.execute(statement.order_by(Job.id.desc()).limit(limit))
    return [(job, slug) for job, slug in rows.tuples()]


def any_job(session: Session, job_id: int) -> Job:
    """A job of any organisation (operators' commands); NotFound otherwise."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(what="job", id=job_id)
    return job


def fail_overdue(
    session: Session, job_ids: Iterable[int], *, limits: Mapping[str, float], default: float
) -> list[Job]:
    """Mark those running ``job_ids`` failed that ran longer than their kind's limit [s].

    ``limits`` maps a kind to its limit; the store names no kind itself.
    """
    ids = list(job_ids)
    if not ids:
        return []
    now = utcnow()
    running = session.scalars(select(Job).where(Job.id.in_(ids), Job.status == "running"))
    overdue = []
    for job in running:
        limit = limits.get(job.kind, default)
        if job.started_at is not None and now - _aware(job.started_at) > timedelta(seconds=limit):
            fail(session, job, error=time_limit_message(job, limit), keep_files=True)
            overdue.append(job)
    return overdue


def time_limit_message(job: Job, limit_s: float) -> str:
    """The message of a job stopped at its time limit, in the job's language."""
    lang = as_lang(job.params.get("lang"))
    return translate("job.time_limit", lang, kind=job.kind, limit_s=f"{limit_s:g}")


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


def fail(
    session: Session,
    job: Job,
    *,
    error: str,
    problems: Problems | None = None,
    keep_files: bool = False,
) -> None:
    """Mark ``job`` failed with a message and, for an import, its row-level problems by language.

    ``keep_files``: the fault was not the input's (a lost worker, a time limit, a fault
    that outlasted the retries), so the uploaded files stay for ``kreislauf jobs retry``.
    """
    job.status = "failed"
    job.error = error
    job.problems = problems
    _end(session, job, keep_files=keep_files)


def _end(session: Session, job: Job, *, keep_files: bool = False) -> None:
    job.finished_at = job.heartbeat_at = utcnow()
    job.stage = None
    if not keep_files:
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
    message = translate("job.interrupted", as_lang(job.params.get("lang")))
    fail(session, job, error=message, keep_files=True)


def expire_stale(session: Session, *, stale_after_s: float) -> int:
    """Mark every stale job (of any organisation) failed; how many there were."""
    now = utcnow()
    candidates = session.scalars(select(Job).where(Job.status.in_(ACTIVE)))
    stale = [job for job in candidates if is_stale(job, now=now, stale_after_s=stale_after_s)]
    for job in stale:
        _interrupt(session, job)
    return len(stale)
