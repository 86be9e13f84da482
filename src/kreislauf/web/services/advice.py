"""Advice on the platform: the funding finder on the stored ledger and measures, the
self-check against a network's survey, the one-page summary, the Förderdatenbank import.

Nothing is computed here: :mod:`kreislauf.advice` finds funding and positions a company;
this module gathers the stored inputs (ledger and carbon results through their services,
questionnaire and responses through the survey service), registers the import job and
declares the weekly import (Mondays 03:00 UTC) of the export ``KREISLAUF_FUNDING_EXPORT``
names into ``KREISLAUF_FUNDING_HISTORY_DIR``.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from kreislauf.advice import Company, FundingResult, funding_options, measure_figures, read_rules
from kreislauf.advice.foerderdatenbank import (
    ATTRIBUTION,
    import_export,
    read_export,
    search_export,
)
from kreislauf.advice.models import MeasureFacts
from kreislauf.advice.questions import measure_questions
from kreislauf.advice.report import funding_summary
from kreislauf.advice.selfcheck import SelfCheckResult, checked_answers, self_check
from kreislauf.errors import InvalidField, NoResponses, NotFound
from kreislauf.i18n import Lang
from kreislauf.report.html import render_html
from kreislauf.report.pdf import render_pdf
from kreislauf.settings import Settings, data_dir
from kreislauf.settings import get_settings as process_settings
from kreislauf.store import advice as advice_store
from kreislauf.store import survey as survey_store
from kreislauf.store.account import Access
from kreislauf.store.models import Job, Questionnaire, User
from kreislauf.web.deps import get_settings
from kreislauf.web.jobs import (
    JobContext,
    JobResult,
    ScheduleContext,
    Step,
    create_job,
    periodic,
    register,
    submit,
)
from kreislauf.web.schemas.advice import CompanyIn, CompanyProfileOut, SelfCheckIn
from kreislauf.web.services import carbon as carbon_service
from kreislauf.web.services import survey as survey_service

__all__ = [
    "FUNDING_IMPORT",
    "company_profile",
    "funding_for",
    "funding_import_job",
    "funding_import_weekly",
    "likert_items",
    "programme_search",
    "save_company_profile",
    "selfcheck_body",
    "selfcheck_for",
    "summary_html",
    "summary_pdf",
    "validated",
]

M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)

FUNDING_IMPORT = "advice_funding_import"
#: Steps of the import: the export read [share of the work done, 0-1]
FETCHED = Step(0.3)
#: stored and compared
COMPARED = Step(0.9)
#: the largest export the import downloads [bytes]
MAX_EXPORT_BYTES = 200 * 1024 * 1024


def validated(schema: type[M], body: Mapping[str, Any] | BaseModel) -> M:
    """``body`` as ``schema``; InvalidField naming the field otherwise.

    Routes take the body as plain JSON and validate it here, after the organisation's data
    were looked up, so that a request for data the organisation does not have answers 404
    whatever its body (tests/web/test_isolation.py).
    """
    if isinstance(body, schema):
        return body
    try:
        return schema.model_validate(body)
    except ValidationError as problems:
        first = problems.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise InvalidField(
            field=field, value=str(first.get("input", ""))[:80], expected=first["msg"]
        ) from None


def company_profile(db: Session, access: Access) -> CompanyProfileOut:
    """The organisation's stored company profile (empty before the first save)."""
    row = advice_store.company_profile(db, organisation_id=access.organisation_id)
    if row is None:
        empty = CompanyIn.model_validate({})
        return CompanyProfileOut(company=empty, stored=False, updated_at=None, updated_by=None)
    values = {name: getattr(row, name) for name in advice_store.PROFILE_FIELDS}
    # stored values were validated when saved; a stored fact the schema no longer knows
    # (a later version) is dropped rather than refusing the page
    company = CompanyIn.model_validate({**values, "measures": {}})
    facts = {}
    for measure, given in (row.facts or {}).items():
        with suppress(ValidationError):
            facts[measure] = MeasureFacts.model_validate(given)
    user = db.get(User, row.updated_by) if row.updated_by is not None else None
    return CompanyProfileOut(
        company=company.model_copy(update={"measures": facts}),
        stored=True,
        updated_at=row.updated_at.isoformat(timespec="seconds"),
        updated_by=user.name if user else None,
    )


def save_company_profile(
    db: Session, access: Access, company: CompanyIn | Mapping[str, Any]
) -> CompanyProfileOut:
    """Validate and store the company's figures and per-measure facts (replacing the
    stored profile). InvalidField naming the field otherwise; nothing is stored."""
    checked = validated(CompanyIn, company)
    values = checked.model_dump(include=set(advice_store.PROFILE_FIELDS))
    facts = {
        measure: given.model_dump(exclude_none=True) for measure, given in checked.measures.items()
    }
    advice_store.save_company_profile(
        db,
        organisation_id=access.organisation_id,
        values=values,
        facts=facts,
        user_id=access.user_id,
    )
    return company_profile(db, access)


def measure_questions_for(measures: Sequence[Any]) -> dict[str, tuple[str, ...]]:
    """Per measure id, the questions of the funding form the rule table can use
    (:func:`kreislauf.advice.questions.measure_questions`; ``measures`` have ``id`` and
    ``code``)."""
    rules, _ = read_rules()
    return {m.id: measure_questions(rules, m.code) for m in measures}


def funding_for(
    db: Session,
    access: Access,
    company: CompanyIn | Mapping[str, Any],
    lang: Lang,
    *,
    today: date | None = None,
) -> FundingResult:
    """The funding finder on the organisation's ledger and stored measures.

    Raises NotFound without a ledger or without a measures file, the measures' own error
    (an unknown centre …) when they cannot be evaluated, InvalidField for a bad body.
    """
    carbon = carbon_service.carbon_result(db, access)
    if carbon.measures_error is not None:
        raise carbon.measures_error
    if carbon.measures is None or carbon.library is None:
        raise NotFound(what="measures", id=access.organisation.slug)
    company = validated(CompanyIn, company)
    from kreislauf.web.services import ledger as ledger_service

    ledger = ledger_service.ledger_result(db, access).ledger
    firm = Company.model_validate({**company.model_dump(), "name": access.organisation.name})
    measures = [m.measure for m in carbon.measures.measures]
    figures = measure_figures(
        measures, firm, evaluation=carbon.measures, ledger=ledger, factors=carbon.library
    )
    rules, source = read_rules()
    return funding_options(
        firm, figures, rules, today=today or date.today(), lang=lang, rules_source=source
    )


def summary_html(result: FundingResult, measure: str, lang: Lang) -> str:
    """The printable one-page summary of ``measure`` as a self-contained HTML page."""
    return render_html(funding_summary(result, measure, lang))


def summary_pdf(result: FundingResult, measure: str, lang: Lang) -> bytes:
    """The one-page summary of ``measure`` as PDF."""
    return render_pdf(funding_summary(result, measure, lang))


def likert_items(
    db: Session, access: Access, questionnaire_id: int, lang: Lang
) -> list[dict[str, Any]]:
    """The Likert items of a questionnaire (id, text, scale points with labels) for a form."""
    record = survey_service.questionnaire(db, access, questionnaire_id)
    spec = survey_store.questionnaire_spec(record)
    scale = spec.scale
    if scale is None:
        return []
    points = [
        {"value": v, "label": scale.labels[v].get(lang) if v in scale.labels else str(v)}
        for v in range(scale.min, scale.max + 1)
    ]
    return [
        {"id": item.id, "text": item.text.get(lang) if item.text else item.id, "points": points}
        for item in spec.items
        if item.role == "item" and item.kind in (None, "likert")
    ]


def selfcheck_for(
    db: Session, access: Access, questionnaire_id: int, answers: Mapping[str, Any], lang: Lang
) -> SelfCheckResult:
    """The company's answers against the questionnaire's submitted responses.

    Raises InvalidAnswers for answers that do not fit, NoResponses before any response.
    """
    record = survey_service.questionnaire(db, access, questionnaire_id)
    return _selfcheck(db, record, answers, lang)


def selfcheck_body(
    db: Session, access: Access, questionnaire_id: int, body: Mapping[str, Any], lang: Lang
) -> SelfCheckResult:
    """As :func:`selfcheck_for` for a JSON body ``{"answers": {…}}`` (validated after the
    questionnaire was found)."""
    record = survey_service.questionnaire(db, access, questionnaire_id)
    return _selfcheck(db, record, validated(SelfCheckIn, body).answers, lang)


def _selfcheck(
    db: Session, record: Questionnaire, answers: Mapping[str, Any], lang: Lang
) -> SelfCheckResult:
    spec = survey_store.questionnaire_spec(record)
    own = checked_answers(answers, spec, name=record.filename)
    if not own:
        raise InvalidField(field="answers", value="", expected="at least one answer")
    peers = survey_service.analysis(db, record, lang)
    if peers is None:
        raise NoResponses(questionnaire=record.title)
    return self_check(peers, spec, own, lang=lang)


def funding_import_job(request: Request, db: Session, access: Access, lang: str) -> Job:
    """Queue the Förderdatenbank import of the export the settings name (committed first,
    so the worker sees it); InvalidField when ``KREISLAUF_FUNDING_EXPORT`` is not set."""
    settings = get_settings(request)
    if not settings.funding_export:
        raise InvalidField(
            field="KREISLAUF_FUNDING_EXPORT", value="", expected="a path or https URL"
        )
    params = {"lang": lang, "source": settings.funding_export, "history": str(_history(settings))}
    job = create_job(db, organisation_id=access.organisation_id, kind=FUNDING_IMPORT, params=params)
    db.commit()
    return submit(request, db, job)


@register(FUNDING_IMPORT, steps=(FETCHED, COMPARED))
def funding_import(job: JobContext) -> JobResult:
    """Read the export ``source`` (a path or an https URL, from ``KREISLAUF_FUNDING_EXPORT``),
    keep it in the ``history`` folder and return the changes against the previous export."""
    data, name = _fetch(str(job.params["source"]))
    job.advance(FETCHED)
    changes = import_export(data, Path(str(job.params["history"])), name=name, day=date.today())
    job.advance(COMPARED)
    return JobResult("funding-changes.json", "application/json", changes.to_json(indent=2).encode())


@periodic(FUNDING_IMPORT, cron="0 3 * * 1")  # Mondays 03:00 UTC
def funding_import_weekly(run: ScheduleContext) -> None:
    """The weekly import: the export ``KREISLAUF_FUNDING_EXPORT`` names, stored in the
    history folder and compared with the previous one (as the job does); not configured:
    logged and nothing done."""
    settings = process_settings()
    if not settings.funding_export:
        log.info("schedule %s: KREISLAUF_FUNDING_EXPORT is not set, nothing imported", run.name)
        return
    data, name = _fetch(settings.funding_export)
    changes = import_export(data, _history(settings), name=name, day=run.due.date())
    log.info(
        "schedule %s: %s imported: %d added, %d removed, %d changed",
        run.name,
        name,
        len(changes.added),
        len(changes.removed),
        len(changes.changed),
    )


@dataclass(frozen=True)
class ProgrammeHits:
    """Breadth search in the latest imported export: its file, the hits (title, id and
    categories as published) and the attribution the licence asks for; ``export`` '' when
    none yet."""

    export: str
    hits: list[tuple[str, str, str]]
    attribution: str = ATTRIBUTION


def programme_search(request: Request, text: str, *, limit: int = 50) -> ProgrammeHits:
    """Programmes of the latest export in the history folder whose title or any property
    contains ``text`` (kreislauf.advice.foerderdatenbank.search_export)."""
    stored = sorted(_history(get_settings(request)).glob("*.zip"))
    if not stored:
        return ProgrammeHits(export="", hits=[])
    export = read_export(stored[-1])
    found = search_export(export, text, limit=limit)
    return ProgrammeHits(
        export=stored[-1].name, hits=[(p.title, p.id, p.shown_categories()) for p in found]
    )


def _history(settings: Settings) -> Path:
    """The folder of imported exports and their changes."""
    return settings.funding_history_dir or data_dir() / "foerderdatenbank"


def _fetch(source: str) -> tuple[bytes, str]:
    """The export's bytes and a name for messages, from a path or an https URL."""
    if source.startswith("https://"):
        with urllib.request.urlopen(source, timeout=120) as response:
            data = response.read(MAX_EXPORT_BYTES + 1)
        if len(data) > MAX_EXPORT_BYTES:
            raise InvalidField(
                field="KREISLAUF_FUNDING_EXPORT",
                value=source,
                expected="an export of at most 200 MiB",
            )
        return data, source.rsplit("/", 1)[-1] or "export.zip"
    path = Path(source)
    try:
        return path.read_bytes(), path.name
    except OSError as error:
        from kreislauf.errors import FileNotReadable, os_error_reason

        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
