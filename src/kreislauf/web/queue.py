"""The job queue on PostgreSQL: procrastinate tasks run kreislauf's jobs in worker processes.

One procrastinate task, ``kreislauf.run_job``, runs :func:`kreislauf.web.worker.run_job` for
a job id of the ``jobs`` table, which stays the one source of truth for users (status,
stage, progress, problems, result); procrastinate's own tables say only which worker holds
which run. The web process defers that task in the same transaction that creates the job
row (procrastinate's external connection: both are committed together or not at all) and
runs no job itself unless ``kreislauf serve --with-worker``; ``kreislauf worker`` processes,
on any number of machines, share the queue (LISTEN/NOTIFY, no other broker).

Reliability, in procrastinate's terms:

- transient faults (:data:`~kreislauf.web.worker.TRANSIENT`) are retried with a doubling
  pause (:class:`Backoff`) until ``job_max_attempts`` runs; a :class:`KreislaufError` (bad
  input) never: the job ends failed with its located message, unless the job's kind
  registered a procrastinate ``RetryStrategy`` for it (``register(…, retry=…)``, e.g.
  the PACT reply: a partner's host that did not take the event), which then schedules the
  runs;
- a worker that dies (``kill -9``, a lost machine) stops sending heartbeats; after
  ``queue_stalled_after_s`` another worker's ``kreislauf.retry_stalled`` task (periodic,
  ``queue_stalled_check``, and once when a worker starts) runs its jobs again. The killed
  run's transaction was never committed, so nothing of it is stored;
- cancelling (job page, API, ``kreislauf jobs cancel``) marks the row cancelled and asks
  procrastinate to abort: a queued run never starts, a running one is stopped at its next
  progress step and rolls back;
- a run longer than its kind's time limit ends the job failed (the watchdog here, and the
  progress steps in ``run_job``);
- an identical queued job (organisation, kind, parameters, files) is not queued twice: the
  job table is checked, and procrastinate's queueing lock settles a race between processes.

Schedules declared with :func:`kreislauf.web.jobs.periodic` become procrastinate periodic
tasks (``kreislauf.run_schedule``): every worker defers them, the database lets one
deferral per period through.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import procrastinate
from procrastinate import exceptions as queue_errors
from procrastinate.jobs import Job as QueueJob
from procrastinate.jobs import Status
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.errors import KreislaufError, QueueNeedsPostgres
from kreislauf.i18n import as_lang, translate
from kreislauf.settings import Settings
from kreislauf.store import job as job_store
from kreislauf.store.models import Job
from kreislauf.web.jobs import ScheduleContext, job_kinds, schedules, time_limit
from kreislauf.web.worker import TRANSIENT, run_job, time_out

log = logging.getLogger(__name__)

RUN_JOB = "kreislauf.run_job"
RUN_SCHEDULE = "kreislauf.run_schedule"
RETRY_STALLED = "kreislauf.retry_stalled"
#: Extra time the watchdog gives a run past its limit before it ends the job [s].
GRACE_S = 5.0
#: How long an aborted run may take to reach its next progress step and roll back [s].
ABORT_WAIT_S = 30.0


def is_queue_database(url: str) -> bool:
    """Whether jobs on this database run on the queue (PostgreSQL) rather than in-process."""
    return make_url(url).get_backend_name() == "postgresql"


def conninfo(url: str) -> str:
    """libpq's form of a SQLAlchemy PostgreSQL URL (``options``, e.g. the search path, kept)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise QueueNeedsPostgres(value=parsed.render_as_string(hide_password=True))
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


class Backoff(procrastinate.BaseRetryStrategy):
    """Retry transient faults, after ``wait_s`` × 2ⁿ [s], until ``max_attempts`` runs; an
    error that a job kind's own ``retry`` strategy names (:class:`kreislauf.web.jobs.JobKind`)
    on that strategy's schedule."""

    def __init__(self, *, max_attempts: int, wait_s: float) -> None:
        self.max_attempts = max_attempts
        self.wait_s = wait_s

    def get_retry_decision(
        self, *, exception: BaseException, job: QueueJob
    ) -> procrastinate.RetryDecision | None:
        if isinstance(exception, KreislaufError):
            return kind_retry(exception, job)
        if not isinstance(exception, TRANSIENT):
            return None
        if job.attempts + 1 >= self.max_attempts:  # attempts: runs before this one
            return None
        return procrastinate.RetryDecision(retry_in={"seconds": self.wait_s * 2**job.attempts})


def kind_retry(error: BaseException, job: QueueJob) -> procrastinate.RetryDecision | None:
    """The retry of ``job`` after ``error`` by its kind's ``retry`` strategy (None: none)."""
    spec = job_kinds().get(str(job.task_kwargs.get("kind")))
    if spec is None or spec.retry is None:
        return None
    return spec.retry.get_retry_decision(exception=error, job=job)


def _retry_at(job: QueueJob, error: BaseException) -> datetime | None:
    decision = kind_retry(error, job)
    return None if decision is None else decision.retry_at


class JobTimedOut(Exception):
    """A run went past its time limit; the job row is failed already (not retried)."""


@dataclass(frozen=True)
class WorkerRuntime:
    """What the tasks of a worker process share: sessions, settings, the job threads."""

    sessions: sessionmaker[Session]
    settings: Settings
    executor: ThreadPoolExecutor


def queue_app(settings: Settings, *, for_worker: bool) -> procrastinate.App:
    """The procrastinate app of ``settings``' database with kreislauf's tasks.

    ``for_worker``: an async connector with its own pool (``kreislauf worker``); otherwise
    a sync connector that is never opened: the web process defers and cancels only on the
    connection of its own transaction.
    """
    info = conninfo(settings.database_url)
    connector: procrastinate.BaseConnector
    if for_worker:
        connector = procrastinate.PsycopgConnector(conninfo=info)
    else:
        connector = procrastinate.SyncPsycopgConnector(conninfo=info)
    app = procrastinate.App(connector=connector)
    backoff = Backoff(max_attempts=settings.job_max_attempts, wait_s=settings.job_retry_wait_s)
    app.task(name=RUN_JOB, pass_context=True, retry=backoff)(_run_job_task)
    stalled = app.task(name=RETRY_STALLED, pass_context=True, queueing_lock=RETRY_STALLED)(
        _retry_stalled_task
    )
    app.periodic(cron=settings.queue_stalled_check, periodic_id="stalled")(stalled)
    scheduled = app.task(name=RUN_SCHEDULE, pass_context=True, retry=backoff)(_schedule_task)
    for name, schedule in sorted(schedules().items()):
        app.periodic(
            cron=schedule.cron,
            periodic_id=name,
            queue=schedule.queue,
            queueing_lock=f"schedule:{name}",
            task_kwargs={"name": name},
        )(scheduled)
    return app


def _driver_connection(session: Session) -> Any:
    """The psycopg connection under ``session``'s transaction."""
    return session.connection().connection.driver_connection


class QueueRunner:
    """The web process's side of the queue: defers and cancels in the request's transaction."""

    #: Lost runs are found by the queue (worker heartbeats), not by the row's heartbeat.
    stale_after_s: float | None = None

    def __init__(self, settings: Settings) -> None:
        self._app = queue_app(settings, for_worker=False)

    def defer(self, session: Session, job: Job) -> None:
        from kreislauf.web.jobs import AlreadyQueued, job_kind

        spec = job_kind(job.kind)
        deferrer = self._app.configure_task(
            RUN_JOB,
            queue=spec.queue,
            queueing_lock=f"{job.organisation_id}:{job.kind}:{job.inputs_digest}",
            connection=_driver_connection(session),
        )
        try:
            with session.begin_nested():  # a lost race on the lock leaves the transaction usable
                job.queue_id = deferrer.defer(job_id=job.id, kind=job.kind)
        except queue_errors.AlreadyEnqueued as error:
            raise AlreadyQueued from error

    def committed(self, job_id: int) -> None:
        """Nothing to start here: the commit's NOTIFY wakes a worker."""

    def cancel(self, session: Session, job: Job) -> None:
        if job.queue_id is not None:
            self._app.job_manager.cancel_job_by_id(
                job.queue_id, abort=True, connection=_driver_connection(session)
            )

    def shutdown(self) -> None:
        """Nothing runs here."""


async def _run_job_task(context: procrastinate.JobContext, job_id: int, kind: str) -> None:
    runtime: WorkerRuntime = context.additional_context["runtime"]
    settings = runtime.settings
    spec = job_kinds().get(kind)
    limit_s = time_limit(spec, settings.job_time_limit_s) if spec else settings.job_time_limit_s
    attempts = context.job.attempts  # runs before this one (retries, lost workers)
    last = attempts + 1 >= settings.job_max_attempts
    if attempts:
        fields = {"action": "job_retry", "job_id": job_id, "kind": kind, "attempt": attempts + 1}
        log.info("job %s (%s): run %d", job_id, kind, attempts + 1, extra={"job": fields})
    run = partial(
        run_job,
        runtime.sessions,
        job_id,
        default_time_limit_s=settings.job_time_limit_s,
        resume=True,
        retry_transient=not last,
        retry_at=partial(_retry_at, context.job),
    )
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(runtime.executor, run)
    try:
        await asyncio.wait_for(asyncio.shield(future), timeout=limit_s + GRACE_S)
    except TimeoutError as error:
        await loop.run_in_executor(None, time_out, runtime.sessions, job_id, limit_s)
        raise JobTimedOut(f"job {job_id} ({kind}) ran longer than {limit_s:g} s") from error
    except asyncio.CancelledError:  # cancelled by a user (the row says so) or worker shutdown
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(asyncio.shield(future), timeout=ABORT_WAIT_S)
        raise


async def _retry_stalled_task(context: procrastinate.JobContext, timestamp: int) -> None:
    runtime: WorkerRuntime = context.additional_context["runtime"]
    await retry_stalled(context.app, runtime)


async def retry_stalled(app: procrastinate.App, runtime: WorkerRuntime) -> list[int]:
    """Run again the jobs of workers silent for ``queue_stalled_after_s``; their ids.

    A job whose runs are used up ends failed (the row says the worker stopped).
    """
    settings = runtime.settings
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.queue_stalled_after_s
    )
    retried = []
    for queued in stalled:
        assert queued.id is not None
        if queued.task_name == RETRY_STALLED:
            await app.job_manager.finish_job(queued, status=Status.FAILED, delete_job=False)
            continue
        if queued.attempts + 1 >= settings.job_max_attempts:
            await app.job_manager.finish_job(queued, status=Status.FAILED, delete_job=False)
            job_id = queued.task_kwargs.get("job_id")
            if isinstance(job_id, int):
                await asyncio.to_thread(_give_up, runtime.sessions, job_id, queued.attempts + 1)
            _log_stalled(queued, "failed")
            continue
        await app.job_manager.retry_job(queued)
        retried.append(queued.id)
        _log_stalled(queued, "retried")
    return retried


def _give_up(sessions: sessionmaker[Session], job_id: int, attempts: int) -> None:
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.status not in job_store.ACTIVE:
            return
        lang = as_lang(job.params.get("lang"))
        reason = translate("job.worker_lost", lang)
        message = translate("job.gave_up", lang, attempts=attempts, reason=reason)
        job_store.fail(session, job, error=message, keep_files=True)


def _log_stalled(queued: QueueJob, outcome: str) -> None:
    fields = {
        "action": "stalled_job",
        "queue_job_id": queued.id,
        "task": queued.task_name,
        "args": queued.task_kwargs,
        "attempts": queued.attempts + 1,
        "outcome": outcome,
    }
    log.warning(
        "queue job %s (%s %s) of a lost worker: %s",
        queued.id,
        queued.task_name,
        queued.task_kwargs,
        outcome,
        extra={"job": fields},
    )


async def _schedule_task(context: procrastinate.JobContext, timestamp: int, name: str) -> None:
    runtime: WorkerRuntime = context.additional_context["runtime"]
    schedule = schedules().get(name)
    if schedule is None:  # a schedule this version no longer has
        log.warning("schedule %r is not declared in this version; skipped", name)
        return
    limit_s = schedule.time_limit_s or runtime.settings.job_time_limit_s
    due = datetime.fromtimestamp(timestamp, UTC)
    loop = asyncio.get_running_loop()
    run = partial(run_schedule, name, sessions=runtime.sessions, due=due)
    await asyncio.wait_for(loop.run_in_executor(runtime.executor, run), timeout=limit_s)


def run_schedule(name: str, *, sessions: sessionmaker[Session], due: datetime) -> None:
    """Run the schedule ``name`` once (``kreislauf jobs run`` and the periodic task), logged."""
    schedule = schedules()[name]
    began = time.monotonic()
    fields: dict[str, Any] = {"action": "schedule_run", "schedule": name, "due": due.isoformat()}
    try:
        schedule.run(ScheduleContext(name=name, due=due, sessions=sessions))
    except BaseException as error:
        fields |= {"outcome": "failed", "reason": f"{type(error).__name__}: {error}"[:300]}
        fields["duration_s"] = round(time.monotonic() - began, 3)
        log.warning("schedule %s: failed: %s", name, fields["reason"], extra={"job": fields})
        raise
    fields |= {"outcome": "done", "duration_s": round(time.monotonic() - began, 3)}
    log.info("schedule %s: done after %.3f s", name, fields["duration_s"], extra={"job": fields})


# --- worker processes -----------------------------------------------------------------------


def make_runtime(settings: Settings, engine: Engine, *, concurrency: int) -> WorkerRuntime:
    from kreislauf.store import make_sessionmaker

    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="kreislauf-job")
    return WorkerRuntime(sessions=make_sessionmaker(engine), settings=settings, executor=executor)


async def run_worker(
    settings: Settings,
    *,
    concurrency: int,
    queues: Iterable[str] | None = None,
    name: str | None = None,
    install_signal_handlers: bool = True,
    wait: bool = True,
) -> None:
    """Run jobs of ``queues`` (None: all) until stopped (SIGINT/SIGTERM: running jobs end)."""
    from kreislauf.store import make_engine

    engine = make_engine(settings.database_url, pool_size=concurrency + 2)
    runtime = make_runtime(settings, engine, concurrency=concurrency)
    app = queue_app(settings, for_worker=True)
    try:
        async with app.open_async():
            await retry_stalled(app, runtime)  # jobs of workers lost while none ran
            await app.run_worker_async(
                # None: every queue (procrastinate's Worker takes None; its WorkerOptions
                # type leaves it out)
                queues=list(queues) if queues else None,  # type: ignore[arg-type]
                concurrency=concurrency,
                name=name or "kreislauf",
                additional_context={"runtime": runtime},
                update_heartbeat_interval=settings.queue_heartbeat_s,
                stalled_worker_timeout=settings.queue_stalled_after_s,
                install_signal_handlers=install_signal_handlers,
                wait=wait,
            )
    finally:
        runtime.executor.shutdown(wait=False, cancel_futures=True)
        engine.dispose()


class JsonLines(logging.Formatter):
    """One JSON object per log line: time, level, logger, message and the structured fields.

    kreislauf's job lines carry ``job`` (action, job id, kind, attempt, outcome,
    duration_s, reason); procrastinate's carry ``action``, ``job`` and ``worker``.
    """

    _KEYS = ("action", "job", "worker", "duration", "result", "exception")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in self._KEYS:
            if key in record.__dict__:
                line[key] = record.__dict__[key]
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """Structured lines on stderr for kreislauf's and procrastinate's loggers."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    for name in ("kreislauf", "procrastinate"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
