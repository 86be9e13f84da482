"""Running jobs: :func:`run_job` (one run of one job) and the in-process thread pool.

:func:`run_job` is what every runner calls with a job's id: the thread pool here
(:class:`Worker`, SQLite: the web process that accepted the request runs the job) and the
queue's task on PostgreSQL (:mod:`kreislauf.web.queue`, run by ``kreislauf worker``).

The request that creates a job returns at once (202) with the job's address; the job writes
its progress to the database after each step, so every web process can show it. The pool's
heartbeat thread renews ``heartbeat_at`` of every job this process holds (queued or
running) every ``heartbeat_s`` and stops those running longer than their kind's time limit;
a job whose heartbeat is older than ``stale_after_s`` was held by a process that stopped and
is marked failed when it is read and when a pool starts (see docs/web.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import kreislauf.web.services  # noqa: F401  (registers every job kind this worker runs)
from kreislauf.errors import KreislaufError
from kreislauf.i18n import LANGUAGES, Lang, as_lang
from kreislauf.settings import Settings
from kreislauf.store import job as job_store
from kreislauf.store.models import Job
from kreislauf.web.jobs import (
    JobContext,
    JobKind,
    Runner,
    Superseded,
    job_kind,
    job_kinds,
    time_limit,
)
from kreislauf.web.problems import error_entries

log = logging.getLogger(__name__)

#: Faults that may pass (the database restarting or unreachable, a full disk, a network
#: hiccup): retried with backoff by the queue. Never a :class:`KreislaufError`: bad input
#: fails the same way every time.
TRANSIENT: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError)
DEFAULT_TIME_LIMIT_S = float(Settings.model_fields["job_time_limit_s"].default)


class Worker:
    """Runs jobs of this process; ``max_workers`` jobs at a time (the SQLite runner).

    ``heartbeat_s``, ``stale_after_s`` and ``time_limit_s`` [s] default to the settings'
    defaults (``job_heartbeat_s``, ``job_stale_after_s``, ``job_time_limit_s``).
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        max_workers: int = 2,
        heartbeat_s: float | None = None,
        stale_after_s: float | None = None,
        time_limit_s: float | None = None,
    ) -> None:
        defaults = Settings.model_fields
        self._factory = factory
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="kreislauf-job")
        self.heartbeat_s = heartbeat_s or float(defaults["job_heartbeat_s"].default)
        self.stale_after_s: float | None = stale_after_s or float(
            defaults["job_stale_after_s"].default
        )
        self.time_limit_s = time_limit_s or DEFAULT_TIME_LIMIT_S
        self._held: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beater: threading.Thread | None = None
        self.expire_stale()

    def expire_stale(self) -> int:
        """Mark jobs of stopped processes failed; how many there were."""
        assert self.stale_after_s is not None
        with self._factory() as session, session.begin():
            count = job_store.expire_stale(session, stale_after_s=self.stale_after_s)
        if count:
            log.warning("%d interrupted job(s) marked failed", count)
        return count

    def defer(self, session: Session, job: Job) -> None:
        """Nothing to do before the commit: the pool takes the job once it is committed."""

    def committed(self, job_id: int) -> None:
        self.submit(job_id)

    def cancel(self, session: Session, job: Job) -> None:
        """Nothing to stop: a queued job is skipped, a running one ends at its next step."""

    def submit(self, job_id: int) -> Future[None]:
        with self._lock:
            self._held.add(job_id)
            if self._beater is None:
                self._beater = threading.Thread(
                    target=self._beat_loop, name="kreislauf-heartbeat", daemon=True
                )
                self._beater.start()
        return self._pool.submit(self._run_held, job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
        self._stop.set()

    def _beat_loop(self) -> None:
        limits = {kind: time_limit(spec, self.time_limit_s) for kind, spec in job_kinds().items()}
        while not self._stop.wait(self.heartbeat_s):
            with self._lock:
                held = list(self._held)
            try:
                with self._factory() as session, session.begin():
                    job_store.beat(session, held)
                    overdue = job_store.fail_overdue(
                        session, held, limits=limits, default=self.time_limit_s
                    )
                for job in overdue:
                    log.warning("job %s (%s) stopped at its time limit", job.id, job.kind)
            except SQLAlchemyError as error:  # e.g. SQLite busy with an import; next beat
                log.warning("job heartbeat failed: %s", error)

    def _run_held(self, job_id: int) -> None:
        try:
            self.run(job_id)
        finally:
            with self._lock:
                self._held.discard(job_id)

    def run(self, job_id: int) -> None:
        """Run one job of this process to its end (:func:`run_job`)."""
        run_job(self._factory, job_id, default_time_limit_s=self.time_limit_s)


def run_job(
    sessions: sessionmaker[Session],
    job_id: int,
    *,
    default_time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    resume: bool = False,
    retry_transient: bool = False,
    retry_at: Callable[[BaseException], datetime | None] | None = None,
) -> str:
    """Run one job to its end with the handler registered for its kind; the outcome.

    Errors a user can act on become the job's message (never retried). Any runner of jobs
    calls this with the job's id: the thread pool here, or the queue's task
    (:mod:`kreislauf.web.queue`), which passes

    resume : run a job that is still ``running`` too: its previous run was lost with its
        worker (the queue hands a job to one worker at a time, so nobody else runs it).
    retry_transient : a transient fault (:data:`TRANSIENT`: the database, I/O) puts the job
        back in the queue and is raised again, for the queue to retry it after a pause;
        otherwise such a fault ends the job failed.
    retry_at : when the queue runs the job again after an error of its kind's ``retry``
        strategy (None: not again); such an error puts the job back in the queue and is
        raised again, as a transient fault is. The handler sees it as
        :attr:`JobContext.retry_at`.

    The outcome is one of :data:`OUTCOMES`; each run is logged as one line with the job's
    id, kind, attempt, outcome and duration.
    """
    began = time.monotonic()
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, with_for_update=True)
        runnable = ("queued", "running") if resume else ("queued",)
        if job is None or job.status not in runnable:
            return "skipped"
        attempt = job_store.start(session, job)
        kind, params, organisation_id = job.kind, dict(job.params), job.organisation_id
    try:
        spec = job_kind(kind)
    except ValueError as error:  # a kind this version does not know (e.g. a newer one's)
        _end(sessions, job_id, attempt, error=str(error))
        return _logged(job_id, kind, attempt, "failed", began, str(error))
    limit_s = time_limit(spec, default_time_limit_s)
    deadline = began + limit_s
    context = JobContext(
        job_id=job_id,
        organisation_id=organisation_id,
        params=params,
        lang=as_lang(params.get("lang")),
        sessions=sessions,
        progress=lambda value, stage: _progress(sessions, job_id, attempt, deadline, value, stage),
        attempt=attempt,
        retry_at=retry_at or (lambda error: None),
    )
    try:
        result = spec.handler(context)
    except Superseded:
        return _logged(job_id, kind, attempt, "superseded", began)
    except _TimedOut:
        _time_out(sessions, job_id, attempt, limit_s)
        return _logged(job_id, kind, attempt, "failed", began, f"time limit {limit_s:g} s")
    except KreislaufError as error:
        if context.retry_at(error) is not None:
            reason = error.message("en").splitlines()[0]
            _requeue(sessions, job_id, attempt, reason)
            _logged(job_id, kind, attempt, "retry", began, reason)
            raise
        _failed(sessions, job_id, attempt, spec, context.lang, error)
        return _logged(job_id, kind, attempt, "failed", began, error.message("en"))
    except TRANSIENT as error:
        reason = f"{type(error).__name__}: {error}".splitlines()[0]
        if retry_transient:
            _requeue(sessions, job_id, attempt, reason)
            _logged(job_id, kind, attempt, "retry", began, reason)
            raise
        _end(sessions, job_id, attempt, error=reason, keep_files=True)
        return _logged(job_id, kind, attempt, "failed", began, reason)
    except Exception as error:
        log.exception("job %s (%s) failed", job_id, kind)
        reason = f"{type(error).__name__}: {error}"
        _end(sessions, job_id, attempt, error=reason, keep_files=True)
        return _logged(job_id, kind, attempt, "failed", began, reason)
    if result is not None:
        with sessions() as session, session.begin():
            job = session.get(Job, job_id, with_for_update=True)
            if job is None or not job_store.holds(job, attempt):
                return _logged(job_id, kind, attempt, "superseded", began)
            job_store.finish(
                session, job, result=result.data, name=result.name, media_type=result.media_type
            )
    return _logged(job_id, kind, attempt, "done", began)


#: What :func:`run_job` reports: the job ended ``done`` or ``failed``; it was put back for a
#: ``retry``; it was ``superseded`` (cancelled, timed out or taken over while it ran); or
#: ``skipped`` (it had already ended or started elsewhere).
OUTCOMES = ("done", "failed", "retry", "superseded", "skipped")


class _TimedOut(Exception):
    """A progress step came after the job's time limit."""


def _logged(
    job_id: int, kind: str, attempt: int, outcome: str, began: float, reason: str | None = None
) -> str:
    """One structured line per run: job, kind, attempt, outcome, duration [s], reason."""
    duration_s = round(time.monotonic() - began, 3)
    fields = {
        "action": "job_run",
        "job_id": job_id,
        "kind": kind,
        "attempt": attempt,
        "outcome": outcome,
        "duration_s": duration_s,
    }
    if reason is not None:
        fields["reason"] = reason[:300]
    level = logging.INFO if outcome in ("done", "skipped", "superseded") else logging.WARNING
    text = f"job {job_id} ({kind}) attempt {attempt}: {outcome} after {duration_s:.3f} s"
    log.log(level, text + (f": {reason[:300]}" if reason else ""), extra={"job": fields})
    return outcome


def _progress(
    sessions: sessionmaker[Session],
    job_id: int,
    attempt: int,
    deadline: float,
    value: float,
    stage: str | None,
) -> None:
    if time.monotonic() > deadline:
        raise _TimedOut
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, populate_existing=True)
        if job is None or not job_store.holds(job, attempt):
            raise Superseded  # cancelled, timed out or run again elsewhere: stop here
        job_store.set_progress(session, job, value, stage=stage)


def _failed(
    sessions: sessionmaker[Session],
    job_id: int,
    attempt: int,
    spec: JobKind,
    lang: Lang,
    error: KreislaufError,
) -> None:
    """A kind with row problems keeps every one (both languages) and a one-line message."""
    if not spec.row_problems:
        _end(sessions, job_id, attempt, error=error.message(lang))
        return
    problems: job_store.Problems = {code: error_entries(error, code) for code in LANGUAGES}
    first_line = error.message(lang).splitlines()[0]
    _end(sessions, job_id, attempt, error=first_line, problems=problems)


def _end(
    sessions: sessionmaker[Session],
    job_id: int,
    attempt: int,
    *,
    error: str,
    problems: job_store.Problems | None = None,
    keep_files: bool = False,
) -> None:
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, with_for_update=True)
        if job is not None and job_store.holds(job, attempt):
            job_store.fail(session, job, error=error, problems=problems, keep_files=keep_files)


def _time_out(sessions: sessionmaker[Session], job_id: int, attempt: int, limit_s: float) -> None:
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, with_for_update=True)
        if job is not None and job_store.holds(job, attempt):
            message = job_store.time_limit_message(job, limit_s)
            job_store.fail(session, job, error=message, keep_files=True)


def _requeue(sessions: sessionmaker[Session], job_id: int, attempt: int, reason: str) -> None:
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, with_for_update=True)
        if job is not None and job_store.holds(job, attempt):
            job_store.requeue(session, job, note=f"attempt {attempt}: {reason}")


def time_out(sessions: sessionmaker[Session], job_id: int, limit_s: float) -> bool:
    """End a running job failed at its time limit (the queue's watchdog); whether it was."""
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.status != "running":
            return False
        job_store.fail(
            session, job, error=job_store.time_limit_message(job, limit_s), keep_files=True
        )
        return True


def make_runner(settings: Settings, factory: sessionmaker[Session]) -> Runner:
    """This process's runner: the queue on PostgreSQL, a thread pool on SQLite."""
    if make_url(settings.database_url).get_backend_name() == "postgresql":
        from kreislauf.web.queue import QueueRunner

        return QueueRunner(settings)
    return Worker(
        factory,
        heartbeat_s=settings.job_heartbeat_s,
        stale_after_s=settings.job_stale_after_s,
        time_limit_s=settings.job_time_limit_s,
    )


@asynccontextmanager
async def embedded_worker(settings: Settings) -> AsyncIterator[None]:
    """A queue worker inside the web process (``serve --with-worker``, the demo) while open.

    Nothing on SQLite (the thread pool runs the jobs) or without ``queue_with_worker``.
    On leaving, the worker takes no new job and waits for its running ones.
    """
    if not (
        settings.queue_with_worker
        and make_url(settings.database_url).get_backend_name() == "postgresql"
    ):
        yield
        return
    from kreislauf.web.queue import run_worker

    task = asyncio.create_task(
        run_worker(settings, concurrency=settings.queue_concurrency, install_signal_handlers=False)
    )
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
