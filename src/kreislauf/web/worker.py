"""The background worker of one web process: runs jobs in a small thread pool.

The request that creates a job returns at once (202) with the job's address; the job runs
here and writes its progress to the database after each step, so every worker process can
show it. A heartbeat thread renews ``heartbeat_at`` of every job this process holds (queued
or running) every ``heartbeat_s``; a job whose heartbeat is older than ``stale_after_s`` was
held by a process that stopped and is marked failed when it is read and when a worker
starts (see docs/web.md).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import kreislauf.web.services  # noqa: F401  (registers every job kind this worker runs)
from kreislauf.errors import KreislaufError
from kreislauf.i18n import LANGUAGES, Lang, as_lang
from kreislauf.settings import Settings
from kreislauf.store import job as job_store
from kreislauf.store.models import Job
from kreislauf.web.jobs import JobContext, JobKind, Superseded, job_kind
from kreislauf.web.problems import error_entries

log = logging.getLogger(__name__)


class Worker:
    """Runs jobs of this process; ``max_workers`` jobs at a time.

    ``heartbeat_s`` and ``stale_after_s`` [s] default to the settings' defaults
    (``job_heartbeat_s``, ``job_stale_after_s``).
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        max_workers: int = 2,
        heartbeat_s: float | None = None,
        stale_after_s: float | None = None,
    ) -> None:
        defaults = Settings.model_fields
        self._factory = factory
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="kreislauf-job")
        self.heartbeat_s = heartbeat_s or float(defaults["job_heartbeat_s"].default)
        self.stale_after_s = stale_after_s or float(defaults["job_stale_after_s"].default)
        self._held: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beater: threading.Thread | None = None
        self.expire_stale()

    def expire_stale(self) -> int:
        """Mark jobs of stopped processes failed; how many there were."""
        with self._factory() as session, session.begin():
            count = job_store.expire_stale(session, stale_after_s=self.stale_after_s)
        if count:
            log.warning("%d interrupted job(s) marked failed", count)
        return count

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
        while not self._stop.wait(self.heartbeat_s):
            with self._lock:
                held = list(self._held)
            try:
                with self._factory() as session, session.begin():
                    job_store.beat(session, held)
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
        run_job(self._factory, job_id)


def run_job(sessions: sessionmaker[Session], job_id: int) -> None:
    """Run one queued job to its end with the handler registered for its kind.

    Errors a user can act on become the job's message. Any runner of jobs calls this with
    the job's id: the thread pool here, or a task of a job queue in another process.
    """
    with sessions() as session, session.begin():
        job = session.get(Job, job_id)
        if job is None or job.status != "queued":
            return
        job_store.start(session, job)
        kind, params, organisation_id = job.kind, dict(job.params), job.organisation_id
    context = JobContext(
        job_id=job_id,
        organisation_id=organisation_id,
        params=params,
        lang=as_lang(params.get("lang")),
        sessions=sessions,
        progress=lambda value, stage: _progress(sessions, job_id, value, stage),
    )
    try:
        spec = job_kind(kind)
    except ValueError as error:  # a kind this version does not know (e.g. a newer one's)
        _end(sessions, job_id, error=str(error))
        return
    try:
        result = spec.handler(context)
    except Superseded:
        return
    except KreislaufError as error:
        _failed(sessions, job_id, spec, context.lang, error)
        return
    except Exception as error:
        log.exception("job %s (%s) failed", job_id, kind)
        _end(sessions, job_id, error=f"{type(error).__name__}: {error}")
        return
    if result is None:  # the handler ended the job in its own transaction
        return
    with sessions() as session, session.begin():
        job = session.get(Job, job_id)
        if job is not None and job.status == "running":
            job_store.finish(
                session, job, result=result.data, name=result.name, media_type=result.media_type
            )


def _progress(
    sessions: sessionmaker[Session], job_id: int, value: float, stage: str | None
) -> None:
    with sessions() as session, session.begin():
        job = session.get(Job, job_id)
        if job is not None:
            job_store.set_progress(session, job, value, stage=stage)


def _failed(
    sessions: sessionmaker[Session], job_id: int, spec: JobKind, lang: Lang, error: KreislaufError
) -> None:
    """A kind with row problems keeps every one (both languages) and a one-line message."""
    if not spec.row_problems:
        _end(sessions, job_id, error=error.message(lang))
        return
    problems: job_store.Problems = {code: error_entries(error, code) for code in LANGUAGES}
    _end(sessions, job_id, error=error.message(lang).splitlines()[0], problems=problems)


def _end(
    sessions: sessionmaker[Session],
    job_id: int,
    *,
    error: str,
    problems: job_store.Problems | None = None,
) -> None:
    with sessions() as session, session.begin():
        job = session.get(Job, job_id)
        if job is not None and job.status == "running":
            job_store.fail(session, job, error=error, problems=problems)
