"""Carbon inputs, the GHG balance by scope and the measures, as the API shows them.

Numbers follow the rule of :mod:`kreislauf.results` (rounded in JSON only, ``null`` when
missing or not finite): t CO2e and EUR to 6 decimals, quality scores and payback times to
3, NPV and abatement cost to 2 (whole cents).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from kreislauf.results import Number, Number2, Number3
from kreislauf.web.schemas.common import Public


class CarbonInputPublic(Public):
    id: int
    kind: str
    filename: str
    created_at: datetime


class ScopeOut(BaseModel):
    """One scope's total with its 95 % range [t CO2e] and quality score [1-5]."""

    scope: str
    co2e_t: Number | None
    low_t: Number | None
    high_t: Number | None
    quality_score: Number3 | None


class GhgYearOut(BaseModel):
    """One year's totals per scope [t CO2e] and its months with data."""

    year: str
    months: int
    scope1_t: Number | None
    scope2_location_t: Number | None
    scope2_market_t: Number | None
    scope3_t: Number | None


class GhgOut(BaseModel):
    """GHG balance of the reporting year by scope [t CO2e] (GHG Protocol), every year beside
    it; the lines are in ``balance.json``."""

    reporting_year: str | None
    scope1_t: Number | None
    scope2_location_t: Number | None
    scope2_market_t: Number | None
    scope3_t: Number | None
    scope3_by_category: dict[str, Number | None]
    base_year: str | None
    years: list[GhgYearOut]
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
    co2e_t: Number | None
    investment_eur: Number | None
    npv_eur: Number2 | None
    payback_years: Number3 | None
    mac_eur_per_t: Number2 | None


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
