"""The company dashboard: the ledger package's KPIs, MFCA and Sankey for stored uploads.

Nothing is computed here: :func:`kreislauf.ledger.ledger_kpis` gives the KPIs (whole
ledger and per period, with the change against the previous period) and
:func:`kreislauf.ledger.mfca_balance` the loss costs. Results are cached per process by
organisation and set of uploads, so repeated dashboard requests do not rebuild the ledger.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy.orm import Session

from kreislauf.i18n import Lang
from kreislauf.ledger import KPI_DEFINITIONS, Ledger, MfcaResult, ledger_kpis, mfca_balance
from kreislauf.store import ledger as ledger_store
from kreislauf.store.account import Access
from kreislauf.store.stamp import Stamp, TableStamp, data_stamp
from kreislauf.web.cache import SingleFlightLRU, database_key
from kreislauf.web.carbon import (
    CarbonComputed,
    CarbonProblem,
    GhgOut,
    MeasuresOut,
    computed_carbon,
    ghg_out,
    measures_out,
    problem,
)


def _num(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


class KpiOut(BaseModel):
    """One KPI: whole ledger, latest period, previous period and the change (KPI's unit)."""

    id: str
    unit: str
    source: str
    total: float | None
    latest: float | None
    previous: float | None
    change: float | None


class CentreOut(BaseModel):
    """MFCA of one quantity centre over all periods; masses [t], costs [EUR]."""

    site: str
    centre: str
    input_mass_t: float | None
    loss_mass_t: float | None
    product_cost_eur: float | None
    loss_cost_eur: float | None


class MfcaOut(BaseModel):
    """MFCA totals [EUR]; loss_share [%] (ISO 14051)."""

    product_cost_eur: float | None
    loss_cost_eur: float | None
    total_cost_eur: float | None
    loss_share: float | None
    centres: list[CentreOut]
    balance_warnings: int


class DashboardOut(BaseModel):
    """Everything the dashboard shows.

    ``ghg`` is the GHG balance by scope, or ``ghg_problem`` says why it could not be
    computed (e.g. a flow without emission factor); ``measures`` / ``measures_problem``
    likewise when a measures file is stored.
    """

    uploads: int
    rows: int
    sites: list[str]
    periods: list[str]
    latest_period: str | None
    previous_period: str | None
    kpis: list[KpiOut]
    mfca: MfcaOut | None
    ghg: GhgOut | None = None
    ghg_problem: CarbonProblem | None = None
    measures: MeasuresOut | None = None
    measures_problem: CarbonProblem | None = None


@dataclass(frozen=True)
class Computed:
    ledger: Ledger
    mfca: MfcaResult
    dashboard: DashboardOut
    #: The ledger part of the organisation's :class:`~kreislauf.store.stamp.Stamp`.
    upload_key: TableStamp = (0, None, None)


# Per process; keyed by database, organisation and the stamp of its uploads (uploads are
# never changed in place, so a stamp always means the same ledger).
_CACHE: SingleFlightLRU[Computed | None] = SingleFlightLRU(32)
# The dashboard API's JSON bodies, keyed by database, organisation, whole stamp, language.
_JSON: SingleFlightLRU[bytes] = SingleFlightLRU(64)


def computed(
    session: Session, *, organisation_id: int, stamp: Stamp | None = None
) -> Computed | None:
    """Ledger, MFCA and dashboard of the organisation (None without uploads), cached.

    ``stamp`` is the organisation's data stamp if the caller has it (``Access.stamp``);
    otherwise it is read here (one query).
    """
    stamp = stamp or data_stamp(session, organisation_id=organisation_id)
    key = (database_key(session), organisation_id, stamp.ledger)

    def compute() -> Computed | None:
        ledger = ledger_store.organisation_ledger(session, organisation_id=organisation_id)
        return None if ledger is None else _compute(ledger, upload_key=stamp.ledger)

    return _CACHE.get(key, compute)


def _compute(ledger: Ledger, *, upload_key: TableStamp) -> Computed:
    mfca = mfca_balance(ledger)
    total = {v.id: v for v in ledger_kpis(ledger, mfca=mfca).values}
    periods = ledger.periods
    latest = periods[-1] if periods else None
    by_period = ledger_kpis(ledger, by=("period",), mfca=mfca).values
    current = {v.id: v for v in by_period if v.period == latest}
    kpis = [
        KpiOut(
            id=d.id,
            unit=d.unit,
            source=d.source,
            total=_num(total[d.id].value),
            latest=_num(current[d.id].value) if d.id in current else None,
            previous=_num(current[d.id].previous) if d.id in current else None,
            change=_num(current[d.id].change) if d.id in current else None,
        )
        for d in KPI_DEFINITIONS
    ]
    centres = [
        CentreOut(
            site=c.site,
            centre=c.centre,
            input_mass_t=_num(c.input_mass_t),
            loss_mass_t=_num(c.loss_mass_t),
            product_cost_eur=_num(c.product_cost_eur),
            loss_cost_eur=_num(c.loss_cost_eur),
        )
        for c in mfca.centres
    ]
    dashboard = DashboardOut(
        uploads=upload_key[0],
        rows=len(ledger.flows),
        sites=ledger.sites,
        periods=periods,
        latest_period=latest,
        previous_period=periods[-2] if len(periods) > 1 else None,
        kpis=kpis,
        mfca=MfcaOut(
            product_cost_eur=_num(mfca.total.product_cost_eur),
            loss_cost_eur=_num(mfca.total.loss_cost_eur),
            total_cost_eur=_num(mfca.total.total_cost_eur),
            loss_share=_num(mfca.total.loss_share),
            centres=centres,
            balance_warnings=len(mfca.warnings),
        ),
    )
    return Computed(ledger=ledger, mfca=mfca, dashboard=dashboard, upload_key=upload_key)


def empty_dashboard() -> DashboardOut:
    """The dashboard of an organisation without uploads."""
    return DashboardOut(
        uploads=0,
        rows=0,
        sites=[],
        periods=[],
        latest_period=None,
        previous_period=None,
        kpis=[],
        mfca=None,
    )


def carbon_of(
    session: Session, result: Computed, *, organisation_id: int, stamp: Stamp | None = None
) -> CarbonComputed:
    """The GHG balance and measures of a computed ledger (cached by uploads and inputs)."""
    return computed_carbon(
        session,
        organisation_id=organisation_id,
        ledger=result.ledger,
        ledger_key=result.upload_key,
        inputs_key=None if stamp is None else stamp.carbon,
    )


def full_dashboard(
    session: Session, *, organisation_id: int, lang: Lang, stamp: Stamp | None = None
) -> DashboardOut:
    """The dashboard with the GHG balance and measures (problems localized to ``lang``)."""
    result = computed(session, organisation_id=organisation_id, stamp=stamp)
    if result is None:
        return empty_dashboard()
    carbon = carbon_of(session, result, organisation_id=organisation_id, stamp=stamp)
    return result.dashboard.model_copy(
        update={
            "ghg": ghg_out(carbon),
            "ghg_problem": problem(carbon.balance_error, lang) if carbon.balance_error else None,
            "measures": measures_out(carbon),
            "measures_problem": (
                problem(carbon.measures_error, lang) if carbon.measures_error else None
            ),
        }
    )


def dashboard_json(session: Session, access: Access, lang: Lang) -> bytes:
    """:func:`full_dashboard` as JSON, cached per process by the organisation's stamp.

    With the stamp read by the access query, a cached dashboard costs no query of its own.
    """
    organisation_id, stamp = access.organisation_id, access.stamp

    def compute() -> bytes:
        board = full_dashboard(session, organisation_id=organisation_id, lang=lang, stamp=stamp)
        return board.model_dump_json().encode()

    return _JSON.get((database_key(session), organisation_id, stamp, lang), compute)
