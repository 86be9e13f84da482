"""The job registry: each kind of background job, the handler that runs it, its progress.

A domain service registers its job kinds when it is imported::

    RENDERING = Step(0.2)

    @register("carbon_report_pdf")
    def carbon_report(job: JobContext) -> JobResult:
        ...
        job.advance(RENDERING)
        return JobResult("carbon-report.pdf", "application/pdf", data)

The worker (:mod:`kreislauf.web.worker`) and the store (:mod:`kreislauf.store.job`) name no
kind: the worker looks the handler up here by the job row's ``kind`` and gives it a
:class:`JobContext`, which holds nothing of the worker but the session factory and the
progress callback. A queue on another process (e.g. a procrastinate task taking the job's
id) runs a job the same way, with :func:`kreislauf.web.worker.run_job`: read the row, look
up :func:`job_kind`, call its handler with a context, record the result or the error.

Jobs are created through :func:`create_job` here, which refuses a kind nobody registered.
Importing :mod:`kreislauf.web.services` imports every domain service and so registers every
kind; the worker imports it, and so does anything else that runs jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.i18n import Lang
from kreislauf.store import job as job_store
from kreislauf.store.models import Job
from kreislauf.web.deps import get_settings
from kreislauf.web.schemas.jobs import JobPublic


class Superseded(Exception):
    """Raised in a handler when its job ended elsewhere (marked interrupted) while it ran.

    Whatever the handler did in the open transaction is rolled back; the job stays as it is.
    """


@dataclass(frozen=True)
class Step:
    """A point of a job's progress: the share of the work done [0-1] and the step's name.

    ``stage`` is what the job shows as its current step (``JobPublic.stage``); None keeps
    the previous one (reports show no step names, only progress).
    """

    share: float
    stage: str | None = None


@dataclass(frozen=True)
class JobResult:
    """The file a job produced: its name, media type and content [bytes]."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class JobContext:
    """What a handler gets to run one job: its row's values, sessions, progress."""

    job_id: int
    organisation_id: int
    params: Mapping[str, Any]
    lang: Lang
    sessions: sessionmaker[Session]
    #: Writes progress [0-1] and, if not None, the step's name (renews the heartbeat).
    progress: Callable[[float, str | None], None]

    def advance(self, step: Step) -> None:
        """The job has reached ``step``."""
        self.progress(step.share, step.stage)

    def between(self, start: Step, end: Step, done: int, total: int) -> None:
        """``done`` of ``total`` parts of the work from ``start`` to ``end`` are done."""
        share = done / total if total else 1.0
        self.progress(start.share + (end.share - start.share) * share, start.stage)

    def claim(self, session: Session) -> Job:
        """The job's row, locked in ``session``, to end it in the handler's own transaction.

        Raises :class:`Superseded` when the job is no longer running (it ended elsewhere).
        """
        job = session.get(Job, self.job_id, with_for_update=True, populate_existing=True)
        if job is None or job.status != "running":
            raise Superseded
        return job


#: A handler runs one job; it returns the job's file, or None when it ended the job itself
#: in its own transaction (:meth:`JobContext.claim`), e.g. an import that stores rows.
Handler = Callable[[JobContext], JobResult | None]


@dataclass(frozen=True)
class JobKind:
    """One registered kind of job.

    row_problems : a failure keeps every row-level problem of the error (both languages),
        as an upload's problem details list them, and a one-line message.
    """

    kind: str
    handler: Handler
    row_problems: bool = False
    steps: tuple[Step, ...] = ()


_REGISTRY: dict[str, JobKind] = {}


def register(
    kind: str, *, row_problems: bool = False, steps: tuple[Step, ...] = ()
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``kind`` (once per kind)."""

    def decorate(handler: Handler) -> Handler:
        if kind in _REGISTRY and _REGISTRY[kind].handler is not handler:
            raise ValueError(f"job kind {kind!r} is registered twice")
        _REGISTRY[kind] = JobKind(kind, handler, row_problems=row_problems, steps=steps)
        return handler

    return decorate


def job_kinds() -> dict[str, JobKind]:
    """Every registered kind of job by name."""
    return dict(_REGISTRY)


def job_kind(kind: str) -> JobKind:
    """The registered ``kind``; ``ValueError`` for a kind nobody registered."""
    if kind not in _REGISTRY:
        raise ValueError(f"unknown job kind {kind!r}; registered: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[kind]


def create_job(session: Session, *, organisation_id: int, kind: str, params: dict[str, Any]) -> Job:
    """A queued job of a registered ``kind`` (``ValueError`` otherwise), not yet committed."""
    job_kind(kind)
    return job_store.create_job(session, organisation_id=organisation_id, kind=kind, params=params)


def submit(request: Request, session: Session, job: Job) -> Job:
    """Commit ``job`` (so that the worker sees it) and hand it to this process's worker."""
    session.commit()
    request.app.state.worker.submit(job.id)
    return job


def load_job(request: Request, session: Session, *, organisation_id: int, job_id: int) -> Job:
    """A job of the organisation; one whose worker stopped is marked failed first."""
    return job_store.get_job(
        session,
        organisation_id=organisation_id,
        job_id=job_id,
        stale_after_s=get_settings(request).job_stale_after_s,
    )


def job_public(job: Job, lang: str) -> JobPublic:
    """The job's JSON, a failed import's row-level problems in ``lang``."""
    errors = (job.problems or {}).get(lang, [])
    return JobPublic.model_validate(job).model_copy(update={"errors": errors})
