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
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.carbon.balance_report import carbon_report
from kreislauf.carbon.measures_report import measures_report_sections
from kreislauf.errors import KreislaufError, NoResponses, NotFound
from kreislauf.i18n import LANGUAGES, Lang
from kreislauf.report.pdf import render_pdf
from kreislauf.settings import Settings
from kreislauf.store import job as job_store
from kreislauf.store import ledger as ledger_store
from kreislauf.store import survey as survey_store
from kreislauf.store.models import Job, Organisation
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.web import dashboard, pcf, survey_results
from kreislauf.web.problems import error_entries

log = logging.getLogger(__name__)

#: Share of an import's progress [0-1] reached when its rows have been validated.
_VALIDATED = 0.5


class _Superseded(Exception):
    """The job ended elsewhere (marked interrupted) while this worker ran it."""


def _lang(params: dict[str, Any]) -> Lang:
    lang = params.get("lang")
    return lang if lang in LANGUAGES else "de"  # type: ignore[return-value]


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

    def _progress(self, job_id: int, value: float, stage: str | None = None) -> None:
        with self._factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None:
                job_store.set_progress(session, job, value, stage=stage)

    def run(self, job_id: int) -> None:
        """Run one job to its end; errors a user can act on become the job's message."""
        with self._factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is None or job.status != "queued":
                return
            job_store.start(session, job)
            kind, params, organisation_id = job.kind, dict(job.params), job.organisation_id
        try:
            if kind == "ledger_import":
                self._ledger_import(job_id)
                return
            reports = {
                "carbon_report_pdf": self._carbon_report,
                "pcf_report_pdf": self._pcf_report,
                "survey_report_pdf": self._survey_report,
            }
            name, media_type, data = reports[kind](organisation_id, params, job_id)
        except _Superseded:
            return
        except KreislaufError as error:
            self._failed(job_id, kind, params, error)
            return
        except Exception as error:
            log.exception("job %s (%s) failed", job_id, kind)
            self._end(job_id, error=f"{type(error).__name__}: {error}")
            return
        with self._factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None and job.status == "running":
                job_store.finish(session, job, result=data, name=name, media_type=media_type)

    def _failed(
        self, job_id: int, kind: str, params: dict[str, Any], error: KreislaufError
    ) -> None:
        """An import keeps every row-level problem (both languages) and a one-line message."""
        lang = _lang(params)
        if kind != "ledger_import":
            self._end(job_id, error=error.message(lang))
            return
        problems = {code: error_entries(error, code) for code in LANGUAGES}
        self._end(job_id, error=error.message(lang).splitlines()[0], problems=problems)

    def _end(self, job_id: int, *, error: str, problems: job_store.Problems | None = None) -> None:
        with self._factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None and job.status == "running":
                job_store.fail(session, job, error=error, problems=problems)

    def _ledger_import(self, job_id: int) -> None:
        """Validate and store an uploaded ledger in one transaction, with progress.

        The files are written under their original names (the ledger reader names the file
        in every message). The rows are stored and the job marked done in the same
        transaction, so a failed import stores nothing. SQLite allows one writer at a time,
        so there the progress of the storing step shows only at its start and end.
        """
        self._progress(job_id, 0.02, "reading")
        with tempfile.TemporaryDirectory(prefix="kreislauf-import-") as folder:
            with self._factory() as session:
                job = session.get(Job, job_id)
                if job is None:
                    return
                params, organisation_id = dict(job.params), job.organisation_id
                paths: dict[str, Path] = {}
                for item in job_store.job_files(session, job):
                    target = Path(folder) / item.field
                    target.mkdir(exist_ok=True)
                    paths[item.field] = target / item.filename
                    paths[item.field].write_bytes(item.content)
            self._progress(job_id, 0.05, "validating")
            with self._factory() as session, session.begin():
                upload = ledger_store.import_ledger(
                    session,
                    organisation_id=organisation_id,
                    path=paths["file"],
                    mapping=paths.get("mapping"),
                    uploaded_by=params.get("uploaded_by"),
                    on_progress=self._storing(job_id, live=_concurrent_writes(session)),
                )
                job = session.get(Job, job_id, with_for_update=True, populate_existing=True)
                if job is None or job.status != "running":
                    raise _Superseded  # rolls the import back
                job.params = {**params, "upload_id": upload.id, "rows": upload.rows}
                job_store.finish(session, job, name=upload.filename)

    def _storing(self, job_id: int, *, live: bool) -> Callable[[int, int], None]:
        def report(stored: int, total: int) -> None:
            if stored == 0 or live:
                share = stored / total if total else 1.0
                self._progress(job_id, _VALIDATED + (0.98 - _VALIDATED) * share, "storing")

        return report

    def _survey_report(
        self, organisation_id: int, params: dict[str, object], job_id: int
    ) -> tuple[str, str, bytes]:
        lang = _lang(params)
        with self._factory() as session:
            record = survey_store.get_questionnaire(
                session,
                organisation_id=organisation_id,
                questionnaire_id=int(params["questionnaire_id"]),  # type: ignore[call-overload]
            )
            raw = survey_results.responses(session, record)
            spec = survey_store.questionnaire_spec(record)
            filename = record.filename
        if raw.frame.empty:
            raise NoResponses(questionnaire=filename)
        self._progress(job_id, 0.05)
        results = analyze_responses(
            raw,
            spec,
            AnalysisOptions(lang=lang, questionnaire_name=filename),
            on_item=lambda done, total: self._progress(job_id, 0.05 + 0.55 * done / total),
        )
        data = survey_results.report_pdf(results)
        return f"report-{params['questionnaire_id']}.pdf", "application/pdf", data

    def _carbon_report(
        self, organisation_id: int, params: dict[str, object], job_id: int
    ) -> tuple[str, str, bytes]:
        """The carbon report of the stored ledger and inputs, with the measures if stored."""
        lang = _lang(params)
        with self._factory() as session:
            result = dashboard.computed(session, organisation_id=organisation_id)
            if result is None:
                raise NotFound(what="ledger", id=organisation_id)
            carbon = dashboard.carbon_of(session, result, organisation_id=organisation_id)
        if carbon.balance_error is not None:
            raise carbon.balance_error
        if carbon.measures_error is not None:
            raise carbon.measures_error
        self._progress(job_id, 0.2)
        extra = measures_report_sections(carbon.measures, lang) if carbon.measures else []
        document = carbon_report(carbon.balance, lang=lang, extra_sections=extra)  # type: ignore[arg-type]
        self._progress(job_id, 0.5)
        return "carbon-report.pdf", "application/pdf", render_pdf(document)

    def _pcf_report(
        self, organisation_id: int, params: dict[str, object], job_id: int
    ) -> tuple[str, str, bytes]:
        """The PCF report of the stored BOM, ledger and factor files.

        No BOM or no ledger (``NotFound``) and stored files that do not fit (e.g.
        ``NoFactor``) end the job failed with the domain's message in the job's language.
        """
        lang = _lang(params)
        with self._factory() as session:
            organisation = session.get(Organisation, organisation_id)
            slug = organisation.slug if organisation is not None else str(organisation_id)
            computed = pcf.pcf_results(session, organisation_id=organisation_id, slug=slug)
        self._progress(job_id, 0.2)
        return "pcf-report.pdf", "application/pdf", pcf.report_pdf(computed, lang)


def _concurrent_writes(session: Session) -> bool:
    """Whether another connection may write while ``session`` holds a write transaction."""
    return session.get_bind().dialect.name != "sqlite"
