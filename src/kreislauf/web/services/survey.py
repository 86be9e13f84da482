"""Analysis and exports of stored responses, through the survey module.

The statistics are :func:`kreislauf.survey.analysis.analyze_responses` on the submitted
responses; the PDF is :func:`kreislauf.survey.report.survey_report` rendered by the one
report renderer. Exports hold the raw answers (codes as entered).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
import pyreadstat
from sqlalchemy.orm import Session

from kreislauf.i18n import Lang
from kreislauf.report.pdf import render_pdf
from kreislauf.store import survey as survey_store
from kreislauf.store.models import Questionnaire
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.dataset import RawResponses
from kreislauf.survey.models import SurveyResults
from kreislauf.survey.report import survey_report


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


def export_csv(raw: RawResponses) -> bytes:
    """UTF-8 CSV with a byte-order mark (opens correctly in Excel)."""
    return raw.frame.to_csv(index=False).encode("utf-8-sig")


def export_xlsx(raw: RawResponses) -> bytes:
    """One sheet ``responses``."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        raw.frame.to_excel(writer, sheet_name="responses", index=False)
    return buffer.getvalue()


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
