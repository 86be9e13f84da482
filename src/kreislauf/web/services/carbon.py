"""The company's GHG balance and measures, from the stored ledger and carbon inputs.

Nothing is computed here: :func:`kreislauf.carbon.balance.ghg_balance` gives the balance
(shipped factor library plus the organisation's factor files, in upload order, and its
activity file) and :func:`kreislauf.carbon.measures.evaluate_measures` the measures. An
error a user can act on (a flow without factor, a measure naming an unknown centre) is
kept and shown instead of that section. Results are cached per process by organisation,
ledger uploads and carbon inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from kreislauf.carbon.activities import read_activities
from kreislauf.carbon.balance import SCOPES, GhgBalance, ghg_balance
from kreislauf.carbon.factors import FactorLibrary, read_factors
from kreislauf.carbon.measures import MeasuresResult, evaluate_measures
from kreislauf.carbon.measures_file import read_measures
from kreislauf.carbon.prices import DEFAULT_PATH, read_price_paths
from kreislauf.errors import KreislaufError
from kreislauf.i18n import Lang
from kreislauf.ledger import Ledger
from kreislauf.store import carbon as carbon_store
from kreislauf.store.stamp import data_stamp
from kreislauf.web.cache import SingleFlightLRU, database_key
from kreislauf.web.problems import error_entries


def _num(value: float | None, digits: int = 6) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


class ScopeOut(BaseModel):
    """One scope's total with its 95 % range [t CO2e] and quality score [1-5]."""

    scope: str
    co2e_t: float | None
    low_t: float | None
    high_t: float | None
    quality_score: float | None


class GhgOut(BaseModel):
    """GHG balance by scope [t CO2e] (GHG Protocol); the lines are in ``balance.json``."""

    scope1_t: float | None
    scope2_location_t: float | None
    scope2_market_t: float | None
    scope3_t: float | None
    scope3_by_category: dict[str, float | None]
    base_year: str | None
    scopes: list[ScopeOut]
    lines: int
    factor_files: list[str]
    activities_file: str | None


class MeasureOut(BaseModel):
    """One measure: CO2e saved [t/a], NPV and investment [EUR], payback [a], MAC [EUR/t]."""

    rank: int
    id: str
    name: str
    kind: str
    centre: str
    co2e_t: float | None
    investment_eur: float | None
    npv_eur: float | None
    payback_years: float | None
    mac_eur_per_t: float | None


class MeasuresOut(BaseModel):
    """Measures ranked by abatement cost (cheapest first; without abatement last)."""

    source: str
    base_year: int
    discount_rate: float
    measures: list[MeasureOut]


class CarbonProblem(BaseModel):
    """Why a section could not be computed: the domain's message and its location."""

    type: str
    detail: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None
    value: str | None = None


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
    return CarbonProblem(**{k: entry.get(k) for k in CarbonProblem.model_fields})


def ghg_out(result: CarbonComputed) -> GhgOut | None:
    balance = result.balance
    if balance is None:
        return None
    return GhgOut(
        scope1_t=_num(balance.totals["scope1"]),
        scope2_location_t=_num(balance.totals["scope2_location"]),
        scope2_market_t=_num(balance.totals["scope2_market"]),
        scope3_t=_num(balance.totals["scope3"]),
        scope3_by_category={k: _num(v) for k, v in balance.scope3_by_category.items()},
        base_year=balance.base_year,
        scopes=[
            ScopeOut(
                scope=s,
                co2e_t=_num(balance.totals[s]),
                low_t=_num(balance.uncertainty[s].low_t),
                high_t=_num(balance.uncertainty[s].high_t),
                quality_score=_num(balance.uncertainty[s].quality_score, 3),
            )
            for s in SCOPES
        ],
        lines=len(balance.lines),
        factor_files=list(result.factor_files),
        activities_file=result.activities_file,
    )


def measures_out(result: CarbonComputed) -> MeasuresOut | None:
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
                co2e_t=_num(m.co2e_t),
                investment_eur=_num(m.measure.investment_eur),
                npv_eur=_num(m.npv_eur, 2),
                payback_years=_num(m.payback_years, 3),
                mac_eur_per_t=_num(m.mac_eur_per_t, 2),
            )
            for position, m in enumerate(ranked, start=1)
        ],
    )
