"""A network's questionnaires: upload, links, analysis and exports of stored responses.

The statistics are :func:`kreislauf.survey.analysis.analyze_responses` on the submitted
responses; the PDF is :func:`kreislauf.survey.report.survey_report` rendered by the one
report renderer, by the ``survey_report_pdf`` job (:func:`survey_report_pdf`) or, for
the synchronous route, within the request. Exports hold the raw answers (codes as entered).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
from fastapi import Request, UploadFile
from sqlalchemy.orm import Session

from kreislauf import exports
from kreislauf.errors import NoResponses
from kreislauf.i18n import Lang
from kreislauf.report.pdf import render_pdf
from kreislauf.store import survey as survey_store
from kreislauf.store.account import Access
from kreislauf.store.models import Job, Questionnaire
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.dataset import RawResponses
from kreislauf.survey.models import SurveyResults
from kreislauf.survey.report import survey_report
from kreislauf.web.deps import get_settings
from kreislauf.web.jobs import JobContext, JobResult, Step, create_job, register, submit
from kreislauf.web.schemas.survey import LinkCreated, LinkPublic, QuestionnairePublic
from kreislauf.web.uploads import required, saved_uploads

REPORT = "survey_report_pdf"
#: Steps of the survey report [share of the work done, 0-1]: responses read,
READ = Step(0.05)
#: every item analysed (progress per item from READ; then the report is rendered).
ANALYSED = Step(0.6)


def store_questionnaire(
    request: Request, db: Session, access: Access, file: UploadFile | None
) -> QuestionnairePublic:
    """Validate (survey module) and store an uploaded questionnaire YAML."""
    settings = get_settings(request)
    limit, limits = settings.upload_max_bytes, settings.limits()
    with saved_uploads({"file": file}, max_bytes=limit, limits=limits) as paths:
        record = survey_store.create_questionnaire(
            db, organisation_id=access.organisation_id, path=required(paths["file"], "file")
        )
    return QuestionnairePublic.model_validate(record)


def questionnaire(db: Session, access: Access, questionnaire_id: int) -> Questionnaire:
    """One questionnaire of the organisation (``NotFound`` otherwise)."""
    return survey_store.get_questionnaire(
        db, organisation_id=access.organisation_id, questionnaire_id=questionnaire_id
    )


def link_created(link: Any, token: str) -> LinkCreated:
    """A new link with its token (shown only once)."""
    return LinkCreated(
        **LinkPublic.model_validate(link).model_dump(), token=token, url=f"/s/{token}"
    )


def responses(session: Session, record: Questionnaire) -> RawResponses:
    """The submitted responses of a questionnaire as a response table."""
    return survey_store.submitted_responses(
        session, organisation_id=record.organisation_id, questionnaire=record
    )


def analysis(session: Session, record: Questionnaire, lang: Lang) -> SurveyResults | None:
    """The survey module's analysis of the submitted responses (None without responses)."""
    raw = responses(session, record)
    if raw.frame.empty:
        return None
    spec = survey_store.questionnaire_spec(record)
    options = AnalysisOptions(lang=lang, questionnaire_name=record.filename)
    return analyze_responses(raw, spec, options)


def _table(raw: RawResponses) -> tuple[list[object], list[tuple[object, ...]]]:
    frame = raw.frame
    return list(frame.columns), list(frame.itertuples(index=False, name=None))


def export_csv(raw: RawResponses) -> bytes:
    """UTF-8 CSV with a byte-order mark (opens correctly in Excel); formulas neutralised."""
    header, rows = _table(raw)
    return exports.csv_text(header, rows).encode("utf-8-sig")


def export_xlsx(raw: RawResponses) -> bytes:
    """One sheet ``responses``; text cells are strings, never formulas."""
    header, rows = _table(raw)
    return exports.xlsx_bytes(header, rows, sheet="responses")


def _numeric_where_possible(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        converted = pd.to_numeric(out[column], errors="coerce")
        if converted.notna().sum() == out[column].notna().sum():
            out[column] = converted
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


def export_sav(raw: RawResponses, record: Questionnaire, lang: Lang) -> bytes:
    """SPSS ``.sav``: numeric columns as numbers, question texts as variable labels."""
    spec = survey_store.questionnaire_spec(record)
    labels = {
        item.source_column: (item.text or item.short or {}).get(lang, item.id)[:250]
        for item in spec.items
    }
    frame = _numeric_where_possible(raw.frame)
    names = [str(c) for c in frame.columns]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.sav"
        pyreadstat.write_sav(frame, str(path), column_labels=[labels.get(n, n) for n in names])
        return path.read_bytes()


def report_pdf(results: SurveyResults) -> bytes:
    """The survey report as PDF (the same report as ``kreislauf survey analyze``)."""
    return render_pdf(survey_report(results))


def report_job(
    request: Request, db: Session, access: Access, questionnaire_id: int, lang: str
) -> Job:
    """Queue a report job (committed first, so the worker sees it) and hand it to the worker."""
    record = questionnaire(db, access, questionnaire_id)
    job = create_job(
        db,
        organisation_id=access.organisation_id,
        kind=REPORT,
        params={"questionnaire_id": record.id, "lang": lang},
    )
    return submit(request, db, job)


@register(REPORT, steps=(READ, ANALYSED))
def survey_report_pdf(job: JobContext) -> JobResult:
    """The survey report of a questionnaire's submitted responses."""
    questionnaire_id = int(job.params["questionnaire_id"])
    with job.sessions() as session:
        record = survey_store.get_questionnaire(
            session, organisation_id=job.organisation_id, questionnaire_id=questionnaire_id
        )
        raw = responses(session, record)
        spec = survey_store.questionnaire_spec(record)
        filename = record.filename
    if raw.frame.empty:
        raise NoResponses(questionnaire=filename)
    job.advance(READ)
    results = analyze_responses(
        raw,
        spec,
        AnalysisOptions(lang=job.lang, questionnaire_name=filename),
        on_item=lambda done, total: job.between(READ, ANALYSED, done, total),
    )
    return JobResult(f"report-{questionnaire_id}.pdf", "application/pdf", report_pdf(results))
