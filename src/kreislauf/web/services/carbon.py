"""The company's GHG balance and measures, from the stored ledger and carbon inputs.

Nothing is computed here: :func:`kreislauf.carbon.balance.ghg_balance` gives the balance
(shipped factor library plus the organisation's factor files, in upload order, and its
activity file) and :func:`kreislauf.carbon.measures.evaluate_measures` the measures. An
error a user can act on (a flow without factor, a measure naming an unknown centre) is
kept and shown instead of that section. Results are cached per process by organisation,
ledger uploads and carbon inputs. The carbon report (PDF) is rendered by the
``carbon_report_pdf`` job (:func:`carbon_report_job`), never within a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request, UploadFile
from sqlalchemy.orm import Session

from kreislauf.carbon.activities import read_activities
from kreislauf.carbon.balance import SCOPES, GhgBalance, ghg_balance
from kreislauf.carbon.balance_report import carbon_report
from kreislauf.carbon.factors import FactorLibrary, read_factors
from kreislauf.carbon.measures import MeasuresResult, evaluate_measures
from kreislauf.carbon.measures_file import read_measures
from kreislauf.carbon.measures_report import measures_report_sections
from kreislauf.carbon.prices import DEFAULT_PATH, read_price_paths
from kreislauf.errors import InvalidField, KreislaufError, NotFound
from kreislauf.i18n import Lang
from kreislauf.ledger import Ledger
from kreislauf.report.pdf import render_pdf
from kreislauf.store import carbon as carbon_store
from kreislauf.store.account import Access
from kreislauf.store.models import Job
from kreislauf.store.stamp import Stamp, data_stamp
from kreislauf.web.cache import SingleFlightLRU, database_key
from kreislauf.web.deps import get_settings
from kreislauf.web.jobs import JobContext, JobResult, Step, create_job, register, submit
from kreislauf.web.problems import error_entries
from kreislauf.web.schemas.carbon import (
    CarbonInputPublic,
    CarbonProblem,
    GhgOut,
    GhgYearOut,
    MeasureOut,
    MeasuresOut,
    ScopeOut,
)
from kreislauf.web.services import ledger as ledger_service
from kreislauf.web.uploads import saved_uploads

REPORT = "carbon_report_pdf"
#: Steps of the carbon report [share of the work done, 0-1]: balance and measures computed,
COMPUTED = Step(0.2)
#: the report's document built (then it is rendered as PDF).
RENDERING = Step(0.5)


@dataclass(frozen=True)
class CarbonComputed:
    """Balance and measures of one organisation (or the error that prevented each)."""

    library: FactorLibrary | None
    balance: GhgBalance | None
    balance_error: KreislaufError | None
    measures: MeasuresResult | None
    measures_error: KreislaufError | None
    factor_files: tuple[str, ...]
    activities_file: str | None


# Per process; keyed by database, organisation, its ledger uploads and its carbon inputs.
_CACHE: SingleFlightLRU[CarbonComputed] = SingleFlightLRU(32)


def computed_carbon(
    session: Session,
    *,
    organisation_id: int,
    ledger: Ledger,
    ledger_key: tuple[Any, ...],
    inputs_key: tuple[Any, ...] | None = None,
) -> CarbonComputed:
    """Balance and measures of the organisation's ledger and stored inputs, cached.

    ``inputs_key`` identifies the stored inputs (the carbon part of the organisation's data
    stamp); without it, it is read here.
    """
    inputs = inputs_key or data_stamp(session, organisation_id=organisation_id).carbon
    key = (database_key(session), organisation_id, ledger_key, inputs)

    def compute() -> CarbonComputed:
        with carbon_store.carbon_files(session, organisation_id=organisation_id) as files:
            return _compute(ledger, files)

    return _CACHE.get(key, compute)


def _compute(ledger: Ledger, files: carbon_store.CarbonFiles) -> CarbonComputed:
    names = tuple(p.name for p in files.factors)
    activities_name = files.activities.name if files.activities else None
    try:
        library = read_factors(files.factors)
        activities = read_activities(files.activities) if files.activities else []
        balance = ghg_balance(ledger, library, activities=activities)
    except KreislaufError as error:
        return CarbonComputed(None, None, error, None, None, names, activities_name)
    measures = measures_error = None
    if files.measures is not None:
        try:
            measures = evaluate_measures(
                read_measures(files.measures),
                ledger,
                library,
                read_price_paths(None),
                default_path=DEFAULT_PATH,
                measures_source=files.measures.name,
            )
        except KreislaufError as error:
            measures_error = error
    return CarbonComputed(library, balance, None, measures, measures_error, names, activities_name)


def problem(error: KreislaufError, lang: Lang) -> CarbonProblem:
    """The error as shown in the dashboard and the API (localized)."""
    entry = error_entries(error, lang)[0]
    return CarbonProblem.model_validate({k: entry.get(k) for k in CarbonProblem.model_fields})


def balance_of(result: CarbonComputed) -> GhgBalance:
    """The organisation's GHG balance; raises the error that prevented it (``NoFactor`` …)."""
    if result.balance is None:
        raise result.balance_error or NotFound(what="balance", id="")
    return result.balance


def ghg_out(result: CarbonComputed) -> GhgOut | None:
    """The dashboard's GHG section (numbers by the rule of :mod:`kreislauf.results`)."""
    balance = result.balance
    if balance is None:
        return None
    return GhgOut(
        reporting_year=balance.reporting_year,
        years=[
            GhgYearOut(
                year=y.year,
                months=balance.months.get(y.year, 0),
                **{f"{s}_t": y.totals[s] for s in SCOPES},
            )
            for y in balance.years
        ],
        scope1_t=balance.totals["scope1"],
        scope2_location_t=balance.totals["scope2_location"],
        scope2_market_t=balance.totals["scope2_market"],
        scope3_t=balance.totals["scope3"],
        scope3_by_category=dict(balance.scope3_by_category),
        base_year=balance.base_year,
        scopes=[
            ScopeOut(
                scope=s,
                co2e_t=balance.totals[s],
                low_t=balance.uncertainty[s].low_t,
                high_t=balance.uncertainty[s].high_t,
                quality_score=balance.uncertainty[s].quality_score,
            )
            for s in SCOPES
        ],
        lines=len(balance.lines),
        factor_files=list(result.factor_files),
        activities_file=result.activities_file,
    )


def measures_out(result: CarbonComputed) -> MeasuresOut | None:
    """The dashboard's measures, cheapest abatement first (numbers as in :class:`MeasureOut`)."""
    evaluated = result.measures
    if evaluated is None:
        return None
    ranked = evaluated.mac_order()
    ranked += [m for m in evaluated.measures if m not in ranked]
    return MeasuresOut(
        source=evaluated.measures_source,
        base_year=evaluated.base_year,
        discount_rate=evaluated.discount_rate,
        measures=[
            MeasureOut(
                rank=position,
                id=m.measure.id,
                name=m.measure.name,
                kind=m.measure.kind,
                centre=m.measure.centre,
                co2e_t=m.co2e_t,
                investment_eur=m.measure.investment_eur,
                npv_eur=m.npv_eur,
                payback_years=m.payback_years,
                mac_eur_per_t=m.mac_eur_per_t,
            )
            for position, m in enumerate(ranked, start=1)
        ],
    )


def carbon_of(
    session: Session,
    result: ledger_service.Computed,
    *,
    organisation_id: int,
    stamp: Stamp | None = None,
) -> CarbonComputed:
    """The GHG balance and measures of a computed ledger (cached by uploads and inputs)."""
    return computed_carbon(
        session,
        organisation_id=organisation_id,
        ledger=result.ledger,
        ledger_key=result.upload_key,
        inputs_key=None if stamp is None else stamp.carbon,
    )


def carbon_result(db: Session, access: Access) -> CarbonComputed:
    """The organisation's carbon result; NotFound without a ledger."""
    return carbon_of(
        db, ledger_service.ledger_result(db, access), organisation_id=access.organisation_id
    )


def store_carbon_inputs(
    request: Request,
    db: Session,
    access: Access,
    factors: list[UploadFile] | None,
    activities: UploadFile | None,
    measures: UploadFile | None,
) -> list[CarbonInputPublic]:
    """Validate and store uploaded carbon inputs (API and page)."""
    settings = get_settings(request)
    limit, limits = settings.upload_max_bytes, settings.limits()
    files: dict[str, UploadFile | None] = {
        f"factors{n}": f for n, f in enumerate(factors or []) if f is not None and f.filename
    }
    files |= {"activities": activities, "measures": measures}
    with saved_uploads(files, max_bytes=limit, limits=limits) as paths:
        factor_paths = [p for k, p in paths.items() if k.startswith("factors") and p is not None]
        if not factor_paths and paths["activities"] is None and paths["measures"] is None:
            raise InvalidField(field="factors", value="", expected="a file")
        records = carbon_store.add_carbon_inputs(
            db,
            organisation_id=access.organisation_id,
            factors=factor_paths,
            activities=paths["activities"],
            measures=paths["measures"],
            uploaded_by=access.user_id,
        )
    return [CarbonInputPublic.model_validate(r) for r in records]


def carbon_report_job(request: Request, db: Session, access: Access, lang: str) -> Job:
    """Queue a carbon report job (committed first, so the worker sees it); NotFound without
    a ledger."""
    carbon_result(db, access)
    job = create_job(db, organisation_id=access.organisation_id, kind=REPORT, params={"lang": lang})
    return submit(request, db, job)


@register(REPORT, steps=(COMPUTED, RENDERING))
def carbon_report_pdf(job: JobContext) -> JobResult:
    """The carbon report of the stored ledger and inputs, with the measures if stored."""
    with job.sessions() as session:
        result = ledger_service.computed(session, organisation_id=job.organisation_id)
        if result is None:
            raise NotFound(what="ledger", id=job.organisation_id)
        carbon = carbon_of(session, result, organisation_id=job.organisation_id)
    balance = balance_of(carbon)
    if carbon.measures_error is not None:
        raise carbon.measures_error
    job.advance(COMPUTED)
    extra = measures_report_sections(carbon.measures, job.lang) if carbon.measures else []
    document = carbon_report(balance, lang=job.lang, extra_sections=extra)
    job.advance(RENDERING)
    return JobResult("carbon-report.pdf", "application/pdf", render_pdf(document))
