"""The background worker of one web process: runs jobs in a small thread pool.

The request that creates a job returns at once (202) with the job's address; the job runs
here and writes its progress to the database after each step, so every worker process can
show it. A job whose process stops midway stays ``running`` (see docs/web.md).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from kreislauf.carbon.measures_report import measures_report_sections
from kreislauf.carbon.report import carbon_report
from kreislauf.errors import KreislaufError, NoResponses, NotFound
from kreislauf.i18n import LANGUAGES, Lang
from kreislauf.report.pdf import render_pdf
from kreislauf.store import jobs, surveys
from kreislauf.store.models import Job
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.web import dashboard, survey_results

log = logging.getLogger(__name__)


class Worker:
    """Runs jobs of this process; ``max_workers`` jobs at a time."""

    def __init__(self, factory: sessionmaker[Session], *, max_workers: int = 2) -> None:
        self._factory = factory
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="kreislauf-job")

    def submit(self, job_id: int) -> Future[None]:
        return self._pool.submit(self.run, job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)

    def _progress(self, job_id: int, value: float) -> None:
        with self._factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None:
                jobs.set_progress(session, job, value)

    def run(self, job_id: int) -> None:
        """Run one job to its end; errors a user can act on become the job's message."""
        with self._factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is None or job.status != "queued":
                return
            jobs.start(session, job)
            kind, params, organisation_id = job.kind, dict(job.params), job.organisation_id
        try:
            run = self._carbon_report if kind == "carbon_report_pdf" else self._survey_report
            name, media_type, data = run(organisation_id, params, job_id)
        except KreislaufError as error:
            lang: Lang = params.get("lang", "de") if params.get("lang") in LANGUAGES else "de"
            self._end(job_id, error=error.message(lang))
            return
        except Exception as error:
            log.exception("job %s (%s) failed", job_id, kind)
            self._end(job_id, error=f"{type(error).__name__}: {error}")
            return
        with self._factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None:
                jobs.finish(session, job, result=data, name=name, media_type=media_type)

    def _end(self, job_id: int, *, error: str) -> None:
        with self._factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None:
                jobs.fail(session, job, error=error)

    def _survey_report(
        self, organisation_id: int, params: dict[str, object], job_id: int
    ) -> tuple[str, str, bytes]:
        lang: Lang = params.get("lang") if params.get("lang") in LANGUAGES else "de"  # type: ignore[assignment]
        with self._factory() as session:
            record = surveys.get_questionnaire(
                session,
                organisation_id=organisation_id,
                questionnaire_id=int(params["questionnaire_id"]),  # type: ignore[call-overload]
            )
            raw = survey_results.responses(session, record)
            spec = surveys.questionnaire_spec(record)
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
        lang: Lang = params.get("lang") if params.get("lang") in LANGUAGES else "de"  # type: ignore[assignment]
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
