"""Corporate GHG balance (GHG Protocol Corporate Standard) from a resource ledger.

Every ledger flow and activity that causes emissions becomes one :class:`BalanceLine` that
names its source row, the factor used (key, value, unit, source) and why that factor was
chosen. Rules (``docs/carbon.md#balance``):

- ``energy_in`` natural_gas, heating_oil, diesel → Scope 1 stationary combustion, key =
  ``material`` if a factor has it, else the carrier (``category``).
- ``energy_in`` electricity → Scope 2 twice: location-based (key ``electricity``) and
  market-based (``electricity:market`` → ``electricity:residual`` → ``electricity``, the
  hierarchy of the GHG Protocol Scope 2 Guidance, ch. 6.11); kWh covered by
  ``green_electricity`` activities (guarantees of origin) count 0 in the market-based
  method. ``district_heat`` likewise (``district_heat:market`` → ``district_heat``).
- ``energy_in`` own_pv → 0 t in both Scope 2 methods (self-generated, nothing purchased).
- ``material_in`` → Scope 3 category 1; the recycled share (cut-off approach) uses
  ``<material>:recycled``, the rest ``<material>``.
- ``waste_out`` → Scope 3 category 5: ``waste:<material>:<treatment>`` → ``waste:<treatment>``.
- activities (:mod:`kreislauf.carbon.activities`) → the scope/category of their kind.

Quantities: ledger amounts in kg / kWh; emissions in t CO2e.

References
----------
WRI/WBCSD (2004) The GHG Protocol Corporate Standard, rev. ed.; WRI (2015) GHG Protocol
Scope 2 Guidance; WRI/WBCSD (2011) Corporate Value Chain (Scope 3) Standard.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Annotated, Protocol, TypedDict, cast

from pydantic import PlainSerializer, computed_field

from kreislauf.carbon.activities import Activity
from kreislauf.carbon.factors import (
    ENERGY,
    MATERIAL,
    WASTE,
    FactorLibrary,
    FactorMatch,
    Kind,
    conversion,
)
from kreislauf.carbon.uncertainty import QUALITY_HALF_WIDTH, ScopeUncertainty, scope_uncertainty
from kreislauf.errors import UnitNotConvertible
from kreislauf.ledger import Ledger
from kreislauf.results import Exact, Number, Number3, Number9, Result, Serialisable

SCOPES = ("scope1", "scope2_location", "scope2_market", "scope3")
FUELS = ("natural_gas", "heating_oil", "diesel")
GREEN_SOURCE = (
    "green_electricity activity: contractual instrument (guarantees of origin), "
    "GHG Protocol Scope 2 Guidance (2015), ch. 7"
)
OWN_PV_SOURCE = "GHG Protocol Scope 2 Guidance (2015): self-generated electricity, no purchase"


def _scope_number(scope: str) -> int:
    return int(scope[len("scope")])


#: A line's scope as computed (one of :data:`SCOPES`); in JSON its number 1-3, with the
#: Scope-2 method in ``method``.
ScopeKey = Annotated[str, PlainSerializer(_scope_number, return_type=int, when_used="json")]


@dataclass(frozen=True)
class BalanceLine:
    """One emission line. co2e_t [t CO2e]; amount [unit]; factor_value [factor_unit].

    It is its own JSON form (a line of ``balance.json``): pydantic serialises it from these
    fields, so ``amount`` is rounded to 6 decimals, ``co2e_t`` to 9, the factor value kept
    as given, and ``scope`` written as its number beside ``method``.
    """

    scope: ScopeKey
    category: str
    period: str
    site: str
    source_file: str
    source_row: int
    activity: str
    amount: Number
    unit: str
    factor_key: str
    factor_value: Exact
    factor_unit: str
    factor_source: str
    factor_year: int | None
    reason: str
    quality: int
    co2e_t: Number9

    @computed_field  # type: ignore[prop-decorator]  # mypy does not follow decorated properties
    @property
    def method(self) -> str | None:
        """``location`` or ``market`` for the two Scope-2 methods, else ``None``."""
        return self.scope.partition("_")[2] or None


@dataclass(frozen=True)
class YearTotals:
    """Totals of one year per scope [t CO2e] and the change against the previous year."""

    year: str
    totals: dict[str, float]
    change: dict[str, float | None]
    vs_base: dict[str, float | None]


@dataclass(frozen=True)
class GhgBalance(Serialisable):
    """The balance of one reporting year, every year's totals beside it, and every line.

    ``totals``, ``scope3_by_category`` and ``uncertainty`` are those of ``reporting_year``
    (a company reports one year; a sum over several years is never a year's figure);
    ``years`` has every year's totals, ``lines`` every line of every year.
    """

    lines: list[BalanceLine]
    totals: dict[str, float]
    scope3_by_category: dict[str, float]
    years: list[YearTotals]
    base_year: str | None
    uncertainty: dict[str, ScopeUncertainty]
    sources: tuple[str, ...] = field(default=())
    reporting_year: str | None = None
    #: months with data in each year (``{"2024": 12}``), to judge a year's completeness.
    months: dict[str, int] = field(default_factory=dict)

    def year_totals(self, year: str) -> YearTotals | None:
        """The totals of ``year``, None when it has no line."""
        return next((y for y in self.years if y.year == year), None)

    @property
    def total_location_t(self) -> float:
        return self.totals["scope1"] + self.totals["scope2_location"] + self.totals["scope3"]

    @property
    def total_market_t(self) -> float:
        return self.totals["scope1"] + self.totals["scope2_market"] + self.totals["scope3"]

    def json_model(self) -> GhgBalanceJson:
        return GhgBalanceJson.model_validate(
            {
                "reporting_year": self.reporting_year,
                **{f"{s}_t": self.totals[s] for s in SCOPES},
                "scope3_by_category": self.scope3_by_category,
                "base_year": self.base_year,
                "years": [
                    {
                        "year": y.year,
                        "months": self.months.get(y.year, 0),
                        **{f"{s}_t": y.totals[s] for s in SCOPES},
                        "change_t": y.change,
                        "vs_base_t": y.vs_base,
                    }
                    for y in self.years
                ],
                "uncertainty": self.uncertainty,
                "lines": self.lines,
            }
        )


class YearJson(Result):
    """One year: totals per scope [t CO2e], change against the previous and the base year."""

    year: str
    months: int
    scope1_t: Number
    scope2_location_t: Number
    scope2_market_t: Number
    scope3_t: Number
    change_t: dict[str, Number | None]
    vs_base_t: dict[str, Number | None]


class UncertaintyJson(Result):
    """A scope's 95 % range [t CO2e] and data-quality score [1-5] (3 decimals)."""

    low_t: Number
    high_t: Number
    quality_score: Number3 | None


class GhgBalanceJson(Result):
    """``kreislauf carbon balance --json`` and the API's ``balance.json`` (docs/carbon.md):
    the reporting year's totals per scope and Scope-3 category [t CO2e] and uncertainty,
    every year's totals, every line."""

    reporting_year: str | None
    scope1_t: Number
    scope2_location_t: Number
    scope2_market_t: Number
    scope3_t: Number
    scope3_by_category: dict[str, Number]
    base_year: str | None
    years: list[YearJson]
    uncertainty: dict[str, UncertaintyJson]
    lines: list[BalanceLine]


class _Resolver:
    """Resolves factors once per distinct candidate list and year."""

    def __init__(self, library: FactorLibrary) -> None:
        self.library = library
        self.cache: dict[tuple[tuple[tuple[str, str], ...], int | None], FactorMatch] = {}

    def __call__(
        self,
        candidates: list[tuple[str, str]],
        year: int | None,
        where: dict[str, object],
        kind: Kind | None = None,
    ) -> FactorMatch:
        key = (tuple(candidates), year)
        if key not in self.cache:
            self.cache[key] = self.library.resolve(candidates, year=year, where=where, kind=kind)
        return self.cache[key]


def _line(
    match: FactorMatch,
    *,
    scope: str,
    category: str,
    amount: float,
    unit: str,
    period: str,
    site: str,
    source: str,
    row: int,
    activity: str,
) -> BalanceLine:
    factor = match.factor
    try:
        kg = factor.co2e_kg(amount, unit) if amount else 0.0
    except UnitNotConvertible as error:
        raise UnitNotConvertible(
            file=source,
            row=row,
            column="unit",
            **{k: error.params[k] for k in ("value", "expected", "key")},
        ) from None
    return BalanceLine(
        scope=scope,
        category=category,
        period=period,
        site=site,
        source_file=source,
        source_row=row,
        activity=activity,
        amount=amount,
        unit=unit,
        factor_key=factor.key,
        factor_value=factor.value,
        factor_unit=factor.unit,
        factor_source=factor.source,
        factor_year=factor.year,
        reason=match.reason,
        quality=factor.quality,
        co2e_t=kg / 1000.0,
    )


def _zero_line(
    scope: str, *, period: str, site: str, source: str, row: int, amount: float
) -> BalanceLine:
    return BalanceLine(
        scope=scope,
        category="electricity",
        period=period,
        site=site,
        source_file=source,
        source_row=row,
        activity="own_pv",
        amount=amount,
        unit="kWh",
        factor_key="own_pv",
        factor_value=0.0,
        factor_unit="kg CO2e / kWh",
        factor_source=OWN_PV_SOURCE,
        factor_year=None,
        reason="rule:self-generated",
        quality=1,
        co2e_t=0.0,
    )


def _year(period: str) -> int:
    return int(str(period)[:4])


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _green_kwh(activities: Sequence[Activity]) -> dict[tuple[str, str], float]:
    """kWh covered by green-electricity instruments per (year, site) ('' = any site)."""
    covered: dict[tuple[str, str], float] = {}
    for activity in activities:
        if activity.kind != "green_electricity":
            continue
        try:
            kwh = activity.quantity * conversion(
                activity.unit, "kWh", factor_key="green_electricity"
            )
        except UnitNotConvertible as error:
            raise UnitNotConvertible(
                file=activity.source, row=activity.row, column="unit", **error.params
            ) from None
        slot = (activity.period[:4], activity.site)
        covered[slot] = covered.get(slot, 0.0) + kwh
    return covered


class _FlowRow(Protocol):
    """The columns of a ledger flow row that the balance reads (``itertuples``)."""

    flow: str
    period: object
    site: object
    material: object
    category: object
    amount: float
    source: str
    row: int
    recycled_share: float
    treatment: object


class _Where(TypedDict):
    period: str
    site: str
    source: str
    row: int


def _ledger_lines(
    ledger: Ledger, resolve: _Resolver, green: dict[tuple[str, str], float]
) -> list[BalanceLine]:
    flows = ledger.flows
    relevant = flows[flows["flow"].isin(["energy_in", "material_in", "waste_out"])]
    lines: list[BalanceLine] = []
    # the stubs type itertuples' fields as any scalar; these are the validated flow columns
    rows = cast(Iterable[_FlowRow], relevant.itertuples(index=False))
    for row in rows:
        period, site, material = str(row.period), str(row.site), _text(row.material)
        category, amount = _text(row.category), float(row.amount)
        where: dict[str, object] = {"file": row.source, "row": int(row.row)}
        common: _Where = {
            "period": period,
            "site": site,
            "source": str(row.source),
            "row": int(row.row),
        }
        year = _year(period)
        if row.flow == "energy_in":
            unit = "kWh"
            if category == "own_pv":
                for scope in ("scope2_location", "scope2_market"):
                    lines.append(_zero_line(scope, amount=amount, **common))
                continue
            own = [(material, "exact")] if material and material in resolve.library else []
            if category in FUELS or category not in ("electricity", "district_heat"):
                match = resolve([*own, (category, "exact")], year, where, ENERGY)
                lines.append(
                    _line(
                        match,
                        scope="scope1",
                        category=match.factor.category,
                        amount=amount,
                        unit=unit,
                        activity=category,
                        **common,
                    )
                )
                continue
            scope2 = "electricity" if category == "electricity" else "heat"
            location = resolve([*own, (category, "exact")], year, where, ENERGY)
            lines.append(
                _line(
                    location,
                    scope="scope2_location",
                    category=scope2,
                    amount=amount,
                    unit=unit,
                    activity=category,
                    **common,
                )
            )
            market_keys = [(f"{category}:market", "market:supplier")]
            if category == "electricity":
                market_keys.append(("electricity:residual", "market:residual_mix"))
            market_keys += [*own, (category, "market:grid_average_fallback")]
            market = resolve(market_keys, year, where, ENERGY)
            covered = 0.0
            if category == "electricity":
                for slot in ((period[:4], site), (period[:4], "")):
                    take = min(green.get(slot, 0.0), amount - covered)
                    if take > 0:
                        green[slot] -= take
                        covered += take
            if covered:
                certificate = _line(
                    market,
                    scope="scope2_market",
                    category=scope2,
                    amount=covered,
                    unit=unit,
                    activity="green_electricity",
                    **common,
                )
                lines.append(
                    replace(
                        certificate,
                        factor_key="green_electricity",
                        factor_value=0.0,
                        factor_source=GREEN_SOURCE,
                        reason="market:energy_attribute_certificate",
                        quality=2,
                        co2e_t=0.0,
                    )
                )
            if amount - covered > 0 or not covered:
                lines.append(
                    _line(
                        market,
                        scope="scope2_market",
                        category=scope2,
                        amount=amount - covered,
                        unit=unit,
                        activity=category,
                        **common,
                    )
                )
        elif row.flow == "material_in":
            share = float(row.recycled_share or 0.0)
            if share < 1:
                match = resolve([(material, "exact")], year, where, MATERIAL)
                lines.append(
                    _line(
                        match,
                        scope="scope3",
                        category="1",
                        amount=amount * (1 - share),
                        unit="kg",
                        activity=material,
                        **common,
                    )
                )
            if share > 0:
                match = resolve([(f"{material}:recycled", "recycled")], year, where, MATERIAL)
                lines.append(
                    _line(
                        match,
                        scope="scope3",
                        category="1",
                        amount=amount * share,
                        unit="kg",
                        activity=f"{material}:recycled",
                        **common,
                    )
                )
        else:  # waste_out
            treatment = _text(row.treatment)
            candidates = [(f"waste:{treatment}", "waste_treatment")]
            if material:
                candidates.insert(0, (f"waste:{material}:{treatment}", "waste_material"))
            match = resolve(candidates, year, where, WASTE)
            lines.append(
                _line(
                    match,
                    scope="scope3",
                    category="5",
                    amount=amount,
                    unit="kg",
                    activity=f"{material} → {treatment}",
                    **common,
                )
            )
    return lines


def _activity_lines(activities: Sequence[Activity], resolve: _Resolver) -> list[BalanceLine]:
    lines: list[BalanceLine] = []
    for activity in activities:
        if activity.kind == "green_electricity":
            continue
        where: dict[str, object] = {"file": activity.source, "row": activity.row}
        kind = Kind((activity.scope,), (activity.category,))
        match = resolve([(activity.key, "exact")], _year(activity.period), where, kind)
        scope = "scope1" if activity.scope == 1 else "scope3"
        lines.append(
            _line(
                match,
                scope=scope,
                category=activity.category,
                amount=activity.quantity,
                unit=activity.unit,
                period=activity.period,
                site=activity.site,
                source=activity.source,
                row=activity.row,
                activity=activity.description or activity.kind,
            )
        )
    return lines


def _totals(lines: Sequence[BalanceLine]) -> dict[str, float]:
    totals = dict.fromkeys(SCOPES, 0.0)
    for line in lines:
        totals[line.scope] += line.co2e_t
    return totals


def reporting_year_of(months: dict[str, int]) -> str | None:
    """The default reporting year: the latest year with 12 months of data, else the latest.

    months : months with data per year (``{"2023": 12, "2024": 7}``).
    """
    full = [year for year, count in months.items() if count >= 12]
    if full:
        return max(full)
    return max(months) if months else None


def ghg_balance(
    ledger: Ledger,
    library: FactorLibrary,
    *,
    activities: Sequence[Activity] = (),
    base_year: str | None = None,
    reporting_year: str | None = None,
) -> GhgBalance:
    """The GHG Protocol balance of ``ledger`` (+ ``activities``) with ``library`` factors.

    base_year : the year the change is measured against; default the earliest year.
    reporting_year : the year whose totals the balance reports; default the latest year
        with 12 months of data (:func:`reporting_year_of`), else the latest year.

    Raises
    ------
    NoFactor
        naming the ledger/activity row, the keys tried and the closest factor keys.
    UnitNotConvertible
        when an activity's unit does not convert to its factor's unit.
    """
    resolve = _Resolver(library)
    green = _green_kwh(activities)
    lines = _ledger_lines(ledger, resolve, green) + _activity_lines(activities, resolve)
    periods = {str(p) for p in ledger.periods} | {a.period for a in activities}
    months: dict[str, int] = {}
    for period in sorted(p for p in periods if len(p) == 7):  # YYYY-MM; a year counts none
        months[period[:4]] = months.get(period[:4], 0) + 1
    years_sorted = sorted({line.period[:4] for line in lines} | set(months))
    for year in years_sorted:
        months.setdefault(year, 0)
    base = base_year or (years_sorted[0] if years_sorted else None)
    reported = reporting_year or reporting_year_of(months)
    mine = [line for line in lines if line.period.startswith(reported or "")]
    per_year = {
        year: _totals([line for line in lines if line.period.startswith(year)])
        for year in years_sorted
    }
    years: list[YearTotals] = []
    for position, year in enumerate(years_sorted):
        current = per_year[year]
        previous = per_year[years_sorted[position - 1]] if position else None
        reference = per_year.get(base) if base else None
        years.append(
            YearTotals(
                year=year,
                totals=current,
                change={s: None if previous is None else current[s] - previous[s] for s in SCOPES},
                vs_base={
                    s: None if reference is None else current[s] - reference[s] for s in SCOPES
                },
            )
        )
    by_category: dict[str, float] = {}
    for line in mine:
        if line.scope == "scope3":
            by_category[line.category] = by_category.get(line.category, 0.0) + line.co2e_t
    uncertainty = {
        scope: scope_uncertainty([line for line in mine if line.scope == scope]) for scope in SCOPES
    }
    return GhgBalance(
        lines=lines,
        totals=_totals(mine),
        scope3_by_category=dict(sorted(by_category.items(), key=lambda kv: int(kv[0]))),
        years=years,
        base_year=base,
        uncertainty=uncertainty,
        sources=ledger.sources,
        reporting_year=reported,
        months=months,
    )


__all__ = [
    "QUALITY_HALF_WIDTH",
    "SCOPES",
    "BalanceLine",
    "GhgBalance",
    "YearTotals",
    "ghg_balance",
    "reporting_year_of",
]
