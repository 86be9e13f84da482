"""A network's questionnaires: upload, links, analysis and exports of stored responses.

The statistics are :func:`kreislauf.survey.analysis.analyze_responses` on the submitted
responses; the PDF is :func:`kreislauf.survey.report.survey_report` rendered by the one
report renderer, by the ``survey_report_pdf`` job (:func:`survey_report_pdf`) or, for
the synchronous route, within the request. Exports hold the raw answers (codes as entered).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
from fastapi import Request, UploadFile
from pydantic import ValidationError
from sqlalchemy.orm import Session

from kreislauf import exports
from kreislauf.errors import InvalidField, NoResponses
from kreislauf.i18n import Lang
from kreislauf.report.pdf import render_pdf
from kreislauf.store import survey as survey_store
from kreislauf.store.account import Access
from kreislauf.store.models import Job, Questionnaire
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.dataset import RawResponses
from kreislauf.survey.items import normalise_code
from kreislauf.survey.models import SurveyResults
from kreislauf.survey.questionnaire import Questionnaire as QuestionnaireSpec
from kreislauf.survey.questionnaire import ScaleSpec
from kreislauf.survey.report import survey_report
from kreislauf.web.deps import get_settings
from kreislauf.web.jobs import JobContext, JobResult, Step, create_job, register, submit
from kreislauf.web.schemas.survey import (
    AnalysisSettingsIn,
    AnalysisSettingsPublic,
    LinkCreated,
    LinkPublic,
    QuestionnairePublic,
)
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
    """The survey module's analysis of the submitted responses (None without responses),
    with what an editor declared on the analysis page (missing codes, scale, kinds)."""
    raw = responses(session, record)
    if raw.frame.empty:
        return None
    spec, options = _declared(session, record, lang)
    return analyze_responses(raw, spec, options)


def _declared(
    session: Session, record: Questionnaire, lang: Lang
) -> tuple[QuestionnaireSpec, AnalysisOptions]:
    """The questionnaire and options of an analysis, with the stored analysis settings."""
    spec = survey_store.questionnaire_spec(record)
    stored = survey_store.analysis_settings(
        session, organisation_id=record.organisation_id, questionnaire_id=record.id
    )
    if stored is None:
        return spec, AnalysisOptions(lang=lang, questionnaire_name=record.filename)
    if stored.kinds:
        items = [
            item.model_copy(update={"kind": stored.kinds.get(item.id, item.kind)})
            for item in spec.items
        ]
        spec = spec.model_copy(update={"items": items})
    scale = (
        ScaleSpec(min=stored.scale_min, max=stored.scale_max)
        if stored.scale_min is not None and stored.scale_max is not None
        else None
    )
    if scale is not None:  # declared on the page: overrides the questionnaire's default
        spec = spec.model_copy(update={"scale": scale})
    options = AnalysisOptions(
        lang=lang,
        questionnaire_name=record.filename,
        missing_codes=tuple(normalise_code(c) for c in stored.missing_codes),
    )
    return spec, options


def settings_view(session: Session, record: Questionnaire) -> AnalysisSettingsIn:
    """The stored analysis settings (empty when none were declared)."""
    stored = survey_store.analysis_settings(
        session, organisation_id=record.organisation_id, questionnaire_id=record.id
    )
    if stored is None:
        return AnalysisSettingsIn()
    scale = (
        (stored.scale_min, stored.scale_max)
        if stored.scale_min is not None and stored.scale_max is not None
        else None
    )
    return AnalysisSettingsIn.model_validate(
        {"missing_codes": list(stored.missing_codes), "scale": scale, "kinds": dict(stored.kinds)}
    )


def save_settings(
    db: Session, access: Access, questionnaire_id: int, body: AnalysisSettingsIn
) -> AnalysisSettingsPublic:
    """Check the declared settings against the questionnaire and store them.

    Raises :class:`InvalidField` for a kind of an unknown item or a scale whose maximum is
    not above its minimum.
    """
    record = questionnaire(db, access, questionnaire_id)
    spec = survey_store.questionnaire_spec(record)
    known = [item.id for item in spec.items]
    for item_id in body.kinds:
        if item_id not in known:
            raise InvalidField(field="kinds", value=item_id, expected=", ".join(known))
    if body.scale is not None:
        low, high = body.scale
        if not -100 <= low < high <= 100:
            raise InvalidField(
                field="scale", value=f"{low}-{high}", expected="MIN-MAX, MIN < MAX, e.g. 1-5"
            )
    codes = list(dict.fromkeys(c.strip() for c in body.missing_codes if c.strip()))
    stored = survey_store.save_analysis_settings(
        db,
        organisation_id=access.organisation_id,
        questionnaire_id=record.id,
        missing_codes=codes,
        scale=body.scale,
        kinds={k: v for k, v in body.kinds.items() if v},
    )
    return AnalysisSettingsPublic.model_validate(stored)


def settings_from_form(
    missing: str, scale_min: str, scale_max: str, kinds: dict[str, str]
) -> AnalysisSettingsIn:
    """The analysis page's form: codes separated by commas or semicolons, the scale as two
    numbers (both empty: none), one kind per item (empty: as the questionnaire says).

    Raises :class:`InvalidField` naming the field for a value of the wrong form.
    """
    codes = [c.strip() for c in re.split(r"[;,]", missing) if c.strip()]
    scale = None
    if scale_min.strip() or scale_max.strip():
        try:
            scale = (int(scale_min), int(scale_max))
        except ValueError as error:
            value = f"{scale_min}-{scale_max}"
            raise InvalidField(field="scale", value=value, expected="MIN-MAX, e.g. 1-5") from error
    chosen = {item: kind for item, kind in kinds.items() if kind}
    try:
        return AnalysisSettingsIn(missing_codes=codes, scale=scale, kinds=chosen)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        raise InvalidField(
            field=field, value=str(first.get("input"))[:40], expected=first["msg"]
        ) from error


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
        spec, options = _declared(session, record, job.lang)
        filename = record.filename
    if raw.frame.empty:
        raise NoResponses(questionnaire=filename)
    job.advance(READ)
    results = analyze_responses(
        raw,
        spec,
        options,
        on_item=lambda done, total: job.between(READ, ANALYSED, done, total),
    )
    return JobResult(f"report-{questionnaire_id}.pdf", "application/pdf", report_pdf(results))
