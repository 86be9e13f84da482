"""Efficiency measures: annual savings, NPV, payback and marginal abatement cost.

A measure is a change to the ledger of the base year (the latest calendar year of the
ledger) plus investment, lifetime and running costs. Kinds (docs/carbon-products.md):

- ``scrap_reduction``: ``reduction`` [-] of the centre's waste (optionally one ``waste``
  material) is avoided; the same mass of input ``material`` is no longer bought.
- ``recyclate``: the recycled share of input ``material`` rises to ``recycled_share``;
  ``price_change_eur_per_t`` is the extra price of recyclate per tonne replaced.
- ``energy_saving``: ``share`` [-] of, or ``mwh`` [MWh/a] of, energy ``carrier`` saved.
- ``own_pv``: ``mwh`` [MWh/a] of own PV electricity used on site replaces grid electricity.

Savings are valued at the centre's own average prices in the ledger (cost / quantity).

Cash flow of year t = 1..n (calendar year ``start_year + t − 1``), investment at t = 0::

    CF_t = S − C + p(year_t) · A_priced

with savings S [EUR/a] without CO2 price, running costs C [EUR/a], CO2 price p [EUR/t]
from the price path and the priced abatement A_priced [t CO2e/a] (``priced``: ``fuels`` =
Scope 1 fuel savings under BEHG/ETS2, ``all`` = every tonne as an internal carbon price,
``none``).

- NPV = −I + Σ_t CF_t / (1 + r)^t (end-of-year discounting).
- Payback = the first t with Σ_{k≤t} CF_k ≥ I, interpolated linearly within that year
  (undiscounted; with a constant CF it equals I / CF); ``None`` if not reached in n years.
- Marginal abatement cost (MAC) = (I · CRF + C − S) / A [EUR/t CO2e], A = all CO2e saved
  [t/a], CRF = r (1+r)^n / ((1+r)^n − 1) (1/n for r = 0). The CO2 price is *not* part of
  the MAC, so the curve can be compared with any price path.

References
----------
McKinsey & Company (2009): Pathways to a Low-Carbon Economy, v2 of the global GHG
abatement cost curve, methodology (annualised cost per tonne).
Kesicki, F., Ekins, P. (2012): Marginal abatement cost curves: a call for caution.
Climate Policy 12(2), 219-236. https://doi.org/10.1080/14693062.2011.582347
VDI 2067 Blatt 1:2012 (annuity method, capital recovery factor).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import model_validator

from kreislauf.carbon.economics import (
    capital_recovery_factor,
    marginal_abatement_cost,
    npv,
    simple_payback,
)
from kreislauf.carbon.factors import FactorLibrary
from kreislauf.carbon.measures_file import KINDS, Measure, field_location, read_measures
from kreislauf.carbon.pcf import FactorJson, FactorUse, energy_factor, ledger_recycled_shares
from kreislauf.carbon.prices import DEFAULT_PATH, PricePath, price_path
from kreislauf.errors import CentreNotInLedger, InvalidMeasure
from kreislauf.ledger import Ledger
from kreislauf.results import Exact, Number, Result, Serialisable, Value

#: Carriers whose combustion is priced under BEHG / ETS2 (Scope 1 fuels).
FUELS = ("natural_gas", "heating_oil", "diesel")

__all__ = [
    "FUELS",
    "KINDS",
    "Measure",
    "MeasureResult",
    "MeasuresResult",
    "capital_recovery_factor",
    "evaluate_measures",
    "marginal_abatement_cost",
    "material_factor",
    "npv",
    "read_measures",
    "simple_payback",
]


@dataclass(frozen=True)
class MeasureResult:
    """Savings and economics of one measure.

    material_t [t/a], energy_mwh [MWh/a], co2e_t [t CO2e/a] (all CO2e saved),
    priced_co2e_t [t CO2e/a], savings_eur [EUR/a] without CO2 price,
    cash_flows [EUR] for t = 1..n with ``years`` and ``co2_prices`` [EUR/t],
    npv_eur [EUR], payback_years [a] or None, mac_eur_per_t [EUR/t CO2e] or None,
    working : the ledger figures and factors the savings were computed from.
    """

    measure: Measure
    material_t: float
    energy_mwh: float
    co2e_t: float
    priced_co2e_t: float
    savings_eur: float
    years: list[int]
    co2_prices: list[float]
    cash_flows: list[float]
    npv_eur: float
    payback_years: float | None
    mac_eur_per_t: float | None
    price_path: str
    working: dict[str, Any]
    factors: list[FactorUse]


@dataclass(frozen=True)
class MeasuresResult(Serialisable):
    """All measures of a file, evaluated on one ledger with one discount rate [-]."""

    measures: list[MeasureResult]
    base_year: int
    discount_rate: float
    price_paths: dict[str, PricePath]
    measures_source: str
    ledger_sources: tuple[str, ...]

    def mac_order(self) -> list[MeasureResult]:
        """Measures with an abatement > 0, cheapest abatement first (the MAC curve)."""
        curve = [m for m in self.measures if m.mac_eur_per_t is not None]
        return sorted(curve, key=lambda m: (m.mac_eur_per_t, m.measure.id))

    def json_model(self) -> MeasuresJson:
        return MeasuresJson.model_validate(
            {
                "base_year": self.base_year,
                "discount_rate": self.discount_rate,
                "measures": self.measures,
                "price_paths": {name: path.points for name, path in self.price_paths.items()},
            }
        )


class MeasureJson(Result):
    """One measure in JSON (units as in :class:`MeasureResult`; the measure's inputs)."""

    id: str
    name: str
    kind: str
    code: str | None = None
    centre: str
    material_t: Number
    energy_mwh: Number
    co2e_t: Number
    priced_co2e_t: Number
    savings_eur: Number
    investment_eur: Number
    running_cost_eur: Number
    lifetime_years: int
    price_path: str
    years: list[int]
    co2_prices_eur_per_t: list[Number]
    cash_flows_eur: list[Number]
    npv_eur: Number
    payback_years: Number | None
    mac_eur_per_t: Number | None
    working: dict[str, Value]
    factors: list[FactorJson]

    @model_validator(mode="before")
    @classmethod
    def _of_result(cls, data: Any) -> Any:
        if not isinstance(data, MeasureResult):
            return data
        measure = data.measure
        return {
            "id": measure.id,
            "name": measure.name,
            "kind": measure.kind,
            "code": measure.code,
            "centre": measure.centre,
            "material_t": data.material_t,
            "energy_mwh": data.energy_mwh,
            "co2e_t": data.co2e_t,
            "priced_co2e_t": data.priced_co2e_t,
            "savings_eur": data.savings_eur,
            "investment_eur": measure.investment_eur,
            "running_cost_eur": measure.running_cost_eur,
            "lifetime_years": measure.lifetime_years,
            "price_path": data.price_path,
            "years": data.years,
            "co2_prices_eur_per_t": data.co2_prices,
            "cash_flows_eur": data.cash_flows,
            "npv_eur": data.npv_eur,
            "payback_years": data.payback_years,
            "mac_eur_per_t": data.mac_eur_per_t,
            "working": data.working,
            "factors": data.factors,
        }


class PricePointJson(Result):
    """A given CO2 price [EUR/t CO2e], as given."""

    year: int
    eur_per_t: Exact
    status: str
    source: str


class MeasuresJson(Result):
    """``kreislauf carbon measures --json`` (docs/carbon-products.md)."""

    base_year: int
    discount_rate: Exact
    measures: list[MeasureJson]
    price_paths: dict[str, list[PricePointJson]]


def evaluate_measures(
    measures: Sequence[Measure],
    ledger: Ledger,
    factors: FactorLibrary,
    paths: dict[str, PricePath],
    *,
    discount_rate: float = 0.05,
    default_path: str = DEFAULT_PATH,
    measures_source: str = "",
) -> MeasuresResult:
    """Savings, NPV, payback and MAC of every measure on ``ledger``'s base year.

    Raises
    ------
    CentreNotInLedger, InvalidMeasure, UnknownPricePath, NoFactor
    """
    base_year = int(str(ledger.periods[-1])[:4])
    flows = ledger.flows
    base = flows[flows["period"].astype(str).str[:4] == str(base_year)]
    months = {p for p in base["period"].astype(str) if len(p) == 7}
    scale = 12.0 / len(months) if months else 1.0
    shares = ledger_recycled_shares(ledger)
    known = sorted({str(c) for c in flows["centre"].unique()})
    results = []
    for measure in measures:
        own = base[base["centre"].astype(str) == measure.centre]
        if own.empty:
            raise CentreNotInLedger(
                **field_location(measure.where, "centre"),
                value=measure.centre,
                hint="",
                available=", ".join(known),
            )
        saving = _SAVERS[measure.kind](measure, own, factors, shares, base_year, scale)
        path = price_path(paths, measure.co2_price_path or default_path)
        start = measure.start_year or base_year + 1
        years = list(range(start, start + measure.lifetime_years))
        prices = path.prices(years)
        priced = {"fuels": saving.fuel_co2e_t, "all": saving.co2e_t, "none": 0.0}[measure.priced]
        flows_t = (saving.eur - measure.running_cost_eur + prices * priced).tolist()
        results.append(
            MeasureResult(
                measure=measure,
                material_t=saving.material_t,
                energy_mwh=saving.energy_mwh,
                co2e_t=saving.co2e_t,
                priced_co2e_t=priced,
                savings_eur=saving.eur,
                years=years,
                co2_prices=[float(p) for p in prices],
                cash_flows=flows_t,
                npv_eur=npv(measure.investment_eur, flows_t, discount_rate),
                payback_years=simple_payback(measure.investment_eur, flows_t),
                mac_eur_per_t=marginal_abatement_cost(
                    measure.investment_eur,
                    measure.running_cost_eur,
                    saving.eur,
                    saving.co2e_t,
                    rate=discount_rate,
                    years=measure.lifetime_years,
                ),
                price_path=path.name,
                working={**saving.working, "base_year": base_year, "annualised_by": scale},
                factors=saving.factors,
            )
        )
    return MeasuresResult(
        measures=results,
        base_year=base_year,
        discount_rate=discount_rate,
        price_paths={name: paths[name] for name in sorted({r.price_path for r in results})},
        measures_source=measures_source,
        ledger_sources=ledger.sources,
    )


@dataclass(frozen=True)
class _Saving:
    material_t: float
    energy_mwh: float
    co2e_t: float
    fuel_co2e_t: float
    eur: float
    working: dict[str, Any]
    factors: list[FactorUse]


def _rows(own: pd.DataFrame, flow: str, column: str | None = None, value: str = "") -> pd.DataFrame:
    rows = own[own["flow"] == flow]
    if column and value:
        rows = rows[rows[column].astype(str) == value]
    return rows


def _price_per(rows: pd.DataFrame) -> float:
    """Average price of ``rows`` [EUR per kg or kWh]; 0 without quantity."""
    amount = float(rows["amount"].sum())
    return float(rows["cost_eur"].sum()) / amount if amount > 0 else 0.0


def material_factor(
    factors: FactorLibrary, material: str, share: float, year: int, where: dict[str, Any]
) -> tuple[float, list[FactorUse]]:
    """Cradle-to-gate factor of ``material`` at recycled ``share`` [kg CO2e/kg] and the
    factors used (cut-off rule: ``(1 - share) · virgin + share · <material>:recycled``).

    share : recycled mass share [-], 0..1; at 0 only the virgin factor is resolved.
    where : the location for messages when a factor is missing (NoFactor).
    """
    virgin = FactorUse.of(factors.resolve([(material, "exact")], year=year, where=where), "kg")
    if share <= 0:
        return virgin.kg_co2e_per_unit, [virgin]
    recycled = FactorUse.of(
        factors.resolve([(f"{material}:recycled", "recycled")], year=year, where=where), "kg"
    )
    value = (1 - share) * virgin.kg_co2e_per_unit + share * recycled.kg_co2e_per_unit
    return value, [virgin, recycled]


def _not_in_centre(
    measure: Measure, name: str, value: str, own: pd.DataFrame, flow: str, column: str
) -> InvalidMeasure:
    present = sorted({str(v) for v in _rows(own, flow)[column].dropna().unique()} - {""})
    return InvalidMeasure(
        **field_location(measure.where, name),
        value=value,
        expected=f"one of the centre's {flow} {column}s: {', '.join(present) or '–'}",
    )


def _scrap(
    measure: Measure,
    own: pd.DataFrame,
    factors: FactorLibrary,
    shares: dict[str, float],
    year: int,
    scale: float,
) -> _Saving:
    p = measure.params
    waste = _rows(own, "waste_out", "material", p["waste"])
    if waste.empty:
        raise _not_in_centre(measure, "waste", p["waste"], own, "waste_out", "material")
    inputs = _rows(own, "material_in")
    if p["material"]:
        inputs = _rows(own, "material_in", "material", p["material"])
    if inputs.empty:
        raise _not_in_centre(measure, "material", p["material"], own, "material_in", "material")
    material = p["material"] or str(
        inputs.groupby(inputs["material"].astype(str))["amount"].sum().idxmax()
    )
    inputs = _rows(own, "material_in", "material", material)
    where = field_location(measure.where, "material")
    share = shares.get(material, 0.0)
    per_kg, used = material_factor(factors, material, share, year, where)
    saved_kg = 0.0
    co2e = 0.0
    eur = 0.0
    for (treatment, _), rows in waste.groupby(
        [waste["treatment"].astype(str), waste["material"].astype(str)]
    ):
        kg = p["reduction"] * float(rows["amount"].sum()) * scale
        use = FactorUse.of(
            factors.resolve([(f"waste:{treatment}", "waste_treatment")], year=year), "kg"
        )
        used.append(use)
        saved_kg += kg
        co2e += kg * use.kg_co2e_per_unit
        eur += kg * _price_per(rows)
    co2e += saved_kg * per_kg
    eur += saved_kg * _price_per(inputs)
    working = {
        "waste_avoided_kg": saved_kg,
        "material": material,
        "material_eur_per_kg": _price_per(inputs),
        "recycled_share": share,
        "material_kg_co2e_per_kg": per_kg,
    }
    return _Saving(saved_kg / 1000, 0.0, co2e / 1000, 0.0, eur, working, used)


def _recyclate(
    measure: Measure,
    own: pd.DataFrame,
    factors: FactorLibrary,
    shares: dict[str, float],
    year: int,
    scale: float,
) -> _Saving:
    p = measure.params
    inputs = _rows(own, "material_in", "material", p["material"])
    if inputs.empty:
        raise _not_in_centre(measure, "material", p["material"], own, "material_in", "material")
    mass = float(inputs["amount"].sum()) * scale
    current = float((inputs["amount"] * inputs["recycled_share"]).sum() * scale / mass)
    if p["recycled_share"] <= current:
        raise InvalidMeasure(
            **field_location(measure.where, "recycled_share"),
            value=p["recycled_share"],
            expected=f"a target above the current share {current:.3f}",
        )
    where = field_location(measure.where, "material")
    virgin = FactorUse.of(factors.resolve([(p["material"], "exact")], year=year, where=where), "kg")
    recycled = FactorUse.of(
        factors.resolve([(f"{p['material']}:recycled", "recycled")], year=year, where=where), "kg"
    )
    replaced_kg = (p["recycled_share"] - current) * mass
    co2e = replaced_kg * (virgin.kg_co2e_per_unit - recycled.kg_co2e_per_unit)
    eur = -replaced_kg / 1000 * p["price_change_eur_per_t"]
    working = {"input_kg": mass, "current_share": current, "replaced_kg": replaced_kg}
    return _Saving(replaced_kg / 1000, 0.0, co2e / 1000, 0.0, eur, working, [virgin, recycled])


def _energy(
    measure: Measure,
    own: pd.DataFrame,
    factors: FactorLibrary,
    shares: dict[str, float],
    year: int,
    scale: float,
) -> _Saving:
    p = measure.params
    rows = _rows(own, "energy_in", "category", p["carrier"])
    if rows.empty:
        raise _not_in_centre(measure, "carrier", p["carrier"], own, "energy_in", "category")
    use_kwh = float(rows["amount"].sum()) * scale
    saved = p["share"] * use_kwh if "share" in p else p["mwh"] * 1000
    if saved > use_kwh:
        raise InvalidMeasure(
            **field_location(measure.where, "mwh"),
            value=p.get("mwh"),
            expected=f"at most the centre's {p['carrier']} use {use_kwh / 1000:.1f} MWh/a",
        )
    factor = energy_factor(factors, p["carrier"], year=year)
    co2e = saved * factor.kg_co2e_per_unit / 1000
    fuel = co2e if p["carrier"] in FUELS else 0.0
    working = {
        "carrier": p["carrier"],
        "use_kwh": use_kwh,
        "saved_kwh": saved,
        "eur_per_kwh": _price_per(rows),
    }
    return _Saving(0.0, saved / 1000, co2e, fuel, saved * _price_per(rows), working, [factor])


def _pv(
    measure: Measure,
    own: pd.DataFrame,
    factors: FactorLibrary,
    shares: dict[str, float],
    year: int,
    scale: float,
) -> _Saving:
    rows = _rows(own, "energy_in", "category", "electricity")
    grid_kwh = float(rows["amount"].sum()) * scale
    generated = measure.params["mwh"] * 1000
    if generated > grid_kwh:
        raise InvalidMeasure(
            **field_location(measure.where, "mwh"),
            value=measure.params["mwh"],
            expected=f"at most the centre's grid electricity {grid_kwh / 1000:.1f} MWh/a",
        )
    grid = energy_factor(factors, "electricity", year=year)
    pv = energy_factor(factors, "own_pv", year=year)
    co2e = generated * (grid.kg_co2e_per_unit - pv.kg_co2e_per_unit) / 1000
    working = {"grid_kwh": grid_kwh, "pv_kwh": generated, "eur_per_kwh": _price_per(rows)}
    return _Saving(
        0.0, generated / 1000, co2e, 0.0, generated * _price_per(rows), working, [grid, pv]
    )


_SAVERS = {
    "scrap_reduction": _scrap,
    "recyclate": _recyclate,
    "energy_saving": _energy,
    "own_pv": _pv,
}
