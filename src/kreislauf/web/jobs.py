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

Jobs are created through :func:`create_job` here, which refuses a kind nobody registered,
and handed over with :func:`submit` to the app's :class:`Runner`: on PostgreSQL the queue
(:class:`kreislauf.web.queue.QueueRunner`, procrastinate, run by ``kreislauf worker``), on
SQLite this process's thread pool (:class:`kreislauf.web.worker.Worker`). An identical job
(same organisation, kind, parameters and files) that is still queued is not queued twice:
:func:`submit` hands back the queued one.

Work on a schedule is declared the same way, next to its code, with :func:`periodic`::

    @periodic("advice_funding_import", cron="0 3 * * 1")   # Mondays 03:00 UTC
    def funding_import(run: ScheduleContext) -> None:
        ...

A procrastinate periodic task runs it on PostgreSQL (one run per period, whatever the
number of workers); ``kreislauf jobs run NAME`` runs it once by hand (SQLite: from cron).

Importing :mod:`kreislauf.web.services` imports every domain service and so registers every
kind; the worker imports it, and so does anything else that runs jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import procrastinate
from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.errors import JobAlreadyEnded, JobFilesGone, JobStillActive
from kreislauf.i18n import Lang, as_lang, translate
from kreislauf.store import job as job_store
from kreislauf.store.models import Job, User
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
    #: Raises :class:`Superseded` when the job was cancelled, timed out or taken over.
    progress: Callable[[float, str | None], None]
    #: Which run of the job this is (1 for the first; retries and stalled runs count on).
    attempt: int = 1
    #: When the queue runs the job again if this run fails with ``error`` (its kind's
    #: ``retry`` strategy), or None: it will not (the last attempt, or no queue: SQLite).
    retry_at: Callable[[BaseException], datetime | None] = lambda error: None

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
        if job is None or not job_store.holds(job, self.attempt):
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
    time_limit_s : a run longer than this ends the job failed [s]; None: the settings'
        ``job_time_limit_s``.
    queue : the queue its jobs wait in (``kreislauf worker --queues`` picks queues).
    retry : procrastinate's retry strategy for the errors a user cannot act on now but
        that may pass (its ``retry_exceptions``, e.g. a partner's host that is down); the
        queue runs the job again on its schedule, the row waits ``queued`` meanwhile.
        Only on PostgreSQL (the queue); in-process jobs (SQLite) end failed at once.
        Transient faults are retried for every kind (:mod:`kreislauf.web.queue`).
    """

    kind: str
    handler: Handler
    row_problems: bool = False
    steps: tuple[Step, ...] = ()
    time_limit_s: float | None = None
    queue: str = "default"
    retry: procrastinate.RetryStrategy | None = None


_REGISTRY: dict[str, JobKind] = {}


def register(
    kind: str,
    *,
    row_problems: bool = False,
    steps: tuple[Step, ...] = (),
    time_limit_s: float | None = None,
    queue: str = "default",
    retry: procrastinate.RetryStrategy | None = None,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``kind`` (once per kind)."""

    def decorate(handler: Handler) -> Handler:
        if kind in _REGISTRY and _REGISTRY[kind].handler is not handler:
            raise ValueError(f"job kind {kind!r} is registered twice")
        _REGISTRY[kind] = JobKind(
            kind,
            handler,
            row_problems=row_problems,
            steps=steps,
            time_limit_s=time_limit_s,
            queue=queue,
            retry=retry,
        )
        return handler

    return decorate


def time_limit(spec: JobKind, default_s: float) -> float:
    """The time limit of a run of ``spec``'s jobs [s]."""
    return spec.time_limit_s if spec.time_limit_s is not None else default_s


@dataclass(frozen=True)
class ScheduleContext:
    """What a scheduled function gets: sessions and the time its run was due [UTC]."""

    name: str
    due: datetime
    sessions: sessionmaker[Session]


@dataclass(frozen=True)
class Schedule:
    """Work done on a schedule (not for one organisation): a cron line and a function.

    cron : five fields (minute hour day month weekday, UTC), a sixth for seconds.
    time_limit_s : as for a job kind; None: the settings' ``job_time_limit_s``.
    """

    name: str
    cron: str
    run: Callable[[ScheduleContext], None]
    time_limit_s: float | None = None
    queue: str = "default"


_SCHEDULES: dict[str, Schedule] = {}


def periodic(
    name: str, *, cron: str, time_limit_s: float | None = None, queue: str = "default"
) -> Callable[[Callable[[ScheduleContext], None]], Callable[[ScheduleContext], None]]:
    """Run the decorated function on ``cron``'s schedule (once per period, any workers)."""

    def decorate(run: Callable[[ScheduleContext], None]) -> Callable[[ScheduleContext], None]:
        if name in _SCHEDULES and _SCHEDULES[name].run is not run:
            raise ValueError(f"schedule {name!r} is registered twice")
        _SCHEDULES[name] = Schedule(name, cron, run, time_limit_s=time_limit_s, queue=queue)
        return run

    return decorate


def schedules() -> dict[str, Schedule]:
    """Every declared schedule by name."""
    return dict(_SCHEDULES)


class Runner(Protocol):
    """Who runs this process's jobs: the queue (PostgreSQL) or a thread pool (SQLite)."""

    #: A queued or running job without a heartbeat for this long is marked failed when read
    #: [s]; None where another mechanism finds lost jobs (the queue retries them).
    stale_after_s: float | None

    def defer(self, session: Session, job: Job) -> None:
        """Hand ``job`` over inside the session's transaction, before it is committed."""

    def committed(self, job_id: int) -> None:
        """The job's row is committed (start it, if this process runs it)."""

    def cancel(self, session: Session, job: Job) -> None:
        """Stop the job's run (the row is already marked cancelled in ``session``)."""

    def shutdown(self) -> None:
        """Stop taking jobs; wait for the running ones where this process runs them."""


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
    """Queue ``job`` and commit; an identical job still queued is handed back instead."""
    return submit_to(request.app.state.runner, session, job)


def submit_to(runner: Runner, session: Session, job: Job) -> Job:
    """:func:`submit` with the runner given (the CLI's ``jobs retry`` has no request)."""
    files = job_store.job_files(session, job)
    inputs = {key: value for key, value in job.params.items() if key != "files"}
    job.inputs_digest = job_store.inputs_digest(job.kind, inputs, files)
    if files:
        job.params = {**job.params, "files": len(files)}

    def queued_twin() -> Job | None:  # same organisation, kind and inputs, not yet started
        return job_store.queued_twin(
            session,
            organisation_id=job.organisation_id,
            kind=job.kind,
            digest=job.inputs_digest,
            other_than=job.id,
        )

    twin = queued_twin()
    if twin is None:
        try:
            runner.defer(session, job)
        except AlreadyQueued:  # another process queued the same job just now
            session.rollback()
            twin = queued_twin()
            if twin is None:
                raise
    if twin is not None:  # same organisation, kind, parameters and files, not yet started
        session.rollback()
        return twin
    session.commit()
    runner.committed(job.id)
    return job


def retry_job(runner: Runner, session: Session, job: Job) -> Job:
    """Queue an ended job again (operators: ``kreislauf jobs retry``) and commit.

    :class:`JobStillActive` for a queued or running job; :class:`JobFilesGone` for an
    import whose uploaded files were deleted when it ended (bad input, or done).
    """
    session.refresh(job, with_for_update=True)
    if job.status in job_store.ACTIVE:
        raise JobStillActive(id=job.id, status=job.status)
    if job.params.get("files") and not job_store.job_files(session, job):
        raise JobFilesGone(id=job.id)
    job_store.retry(session, job)
    return submit_to(runner, session, job)


class AlreadyQueued(Exception):
    """Raised by a runner whose queue holds an identical job already (a race it lost)."""


def cancel_job(runner: Runner, session: Session, job: Job, *, by: str) -> Job:
    """Cancel a queued or running job (:class:`JobAlreadyEnded` otherwise) and commit.

    A queued job never starts; a running one stops at its next progress step and rolls
    back what it wrote (an import stores nothing).
    """
    session.refresh(job, with_for_update=True)
    if job.status not in job_store.ACTIVE:
        raise JobAlreadyEnded(id=job.id, status=job.status)
    lang = as_lang(job.params.get("lang"))
    job_store.cancel(session, job, error=translate("job.cancelled", lang, by=by))
    runner.cancel(session, job)
    session.commit()
    return job


def cancel_request(
    request: Request, session: Session, *, organisation_id: int, user_id: int, job_id: int
) -> Job:
    """Cancel a job of the organisation on behalf of the signed-in user (route helper)."""
    job = load_job(request, session, organisation_id=organisation_id, job_id=job_id)
    user = session.get(User, user_id)
    by = user.name or user.email if user is not None else str(user_id)
    return cancel_job(request.app.state.runner, session, job, by=by)


def load_job(request: Request, session: Session, *, organisation_id: int, job_id: int) -> Job:
    """A job of the organisation; on SQLite one whose process stopped is marked failed first."""
    stale_after_s = request.app.state.runner.stale_after_s
    return job_store.get_job(
        session,
        organisation_id=organisation_id,
        job_id=job_id,
        stale_after_s=stale_after_s,
    )


def job_public(job: Job, lang: str) -> JobPublic:
    """The job's JSON, a failed import's row-level problems in ``lang``."""
    errors = (job.problems or {}).get(lang, [])
    return JobPublic.model_validate(job).model_copy(update={"errors": errors})
