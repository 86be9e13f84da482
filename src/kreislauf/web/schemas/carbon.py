"""Carbon inputs, the GHG balance by scope and the measures, as the API shows them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from kreislauf.web.schemas.common import Public


class CarbonInputPublic(Public):
    id: int
    kind: str
    filename: str
    created_at: datetime


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
