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

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml

from kreislauf.carbon.factors import FactorLibrary
from kreislauf.carbon.pcf import FactorUse, energy_factor, ledger_recycled_shares
from kreislauf.carbon.prices import DEFAULT_PATH, PricePath, price_path
from kreislauf.errors import CentreNotInLedger, FileNotReadable, InvalidMeasure, os_error_reason
from kreislauf.ledger import Ledger

Kind = Literal["scrap_reduction", "recyclate", "energy_saving", "own_pv"]
KINDS: tuple[str, ...] = ("scrap_reduction", "recyclate", "energy_saving", "own_pv")
PRICED = ("fuels", "all", "none")
#: Carriers whose combustion is priced under BEHG / ETS2 (Scope 1 fuels).
FUELS = ("natural_gas", "heating_oil", "diesel")
FIELDS: dict[str, tuple[str, ...]] = {
    "common": (
        "id",
        "name",
        "kind",
        "centre",
        "investment_eur",
        "lifetime_years",
        "running_cost_eur",
        "start_year",
        "co2_price_path",
        "priced",
        "note",
    ),
    "scrap_reduction": ("reduction", "waste", "material"),
    "recyclate": ("material", "recycled_share", "price_change_eur_per_t"),
    "energy_saving": ("carrier", "share", "mwh"),
    "own_pv": ("mwh",),
}
ALL_FIELDS = tuple(dict.fromkeys(f for group in FIELDS.values() for f in group))


@dataclass(frozen=True)
class Measure:
    """One measure as read from the file; ``where`` locates it (file, row or field)."""

    id: str
    name: str
    kind: str
    centre: str
    investment_eur: float
    lifetime_years: int
    running_cost_eur: float = 0.0
    start_year: int | None = None
    co2_price_path: str | None = None
    priced: str = "fuels"
    params: dict[str, Any] = field(default_factory=dict)
    where: dict[str, Any] = field(default_factory=dict)


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
class MeasuresResult:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_year": self.base_year,
            "discount_rate": self.discount_rate,
            "measures": [_measure_dict(m) for m in self.measures],
            "price_paths": {
                name: [
                    {
                        "year": p.year,
                        "eur_per_t": p.eur_per_t,
                        "status": p.status,
                        "source": p.source,
                    }
                    for p in path.points
                ]
                for name, path in self.price_paths.items()
            },
        }


# --- reading ------------------------------------------------------------------------------


def read_measures(path: Path) -> list[Measure]:
    """Read measures from YAML (``measures:`` list) or CSV (one row per measure).

    Raises
    ------
    FileNotReadable
        if the file cannot be read.
    InvalidMeasure
        naming file and row (CSV) or field (YAML), the value and what was expected.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    if path.suffix.lower() == ".csv":
        lines = [line for line in text.splitlines() if line.strip()]
        delimiter = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
        records = [
            (
                {k.strip(): (v or "").strip() for k, v in row.items() if k and (v or "").strip()},
                {"file": path.name, "row": n},
            )
            for n, row in enumerate(csv.DictReader(lines, delimiter=delimiter), start=2)
        ]
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise InvalidMeasure(
                file=path.name,
                row=mark.line + 1 if mark else None,
                value=str(error).split("\n")[0],
                expected="valid YAML",
            ) from None
        items = data.get("measures") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InvalidMeasure(
                file=path.name, value=type(data).__name__, expected="a list 'measures:' of measures"
            )
        records = []
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise InvalidMeasure(
                    file=path.name,
                    field=f"measures[{n}]",
                    value=item,
                    expected="a mapping of fields",
                )
            records.append(
                (
                    {str(k): v for k, v in item.items() if v is not None and v != ""},
                    {"file": path.name, "field": f"measures[{n}]"},
                )
            )
    if not records:
        raise InvalidMeasure(file=path.name, value="", expected="at least one measure")
    measures = [_measure(record, where, n) for n, (record, where) in enumerate(records, start=1)]
    ids = [m.id for m in measures]
    for m in measures:
        if ids.count(m.id) > 1:
            raise InvalidMeasure(**_at(m.where, "id"), value=m.id, expected="a unique id")
    return measures


def _at(where: dict[str, Any], name: str) -> dict[str, Any]:
    """Location of field ``name``: CSV → row and column, YAML → ``measures[i].name``."""
    if "row" in where:
        return {**where, "column": name}
    return {"file": where["file"], "field": f"{where['field']}.{name}"}


def _measure(record: dict[str, Any], where: dict[str, Any], number: int) -> Measure:
    for key in record:
        if key not in ALL_FIELDS:
            raise InvalidMeasure(**_at(where, key), value=key, expected=", ".join(ALL_FIELDS))
    kind = str(record.get("kind", ""))
    if kind not in KINDS:
        raise InvalidMeasure(**_at(where, "kind"), value=kind, expected=", ".join(KINDS))
    for key in record:
        if key not in FIELDS["common"] + FIELDS[kind]:
            raise InvalidMeasure(
                **_at(where, key), value=key, expected=", ".join(FIELDS["common"] + FIELDS[kind])
            )

    def number(
        name: str,
        *,
        low: float = 0.0,
        high: float = math.inf,
        default: float | None = None,
        expected: str = "a number >= 0",
    ) -> float:
        if name not in record:
            if default is None:
                raise InvalidMeasure(**_at(where, name), value="", expected=expected)
            return default
        raw = record[name]
        try:
            value = float(str(raw).replace(",", ".")) if isinstance(raw, str) else float(raw)
        except (TypeError, ValueError):
            raise InvalidMeasure(**_at(where, name), value=raw, expected=expected) from None
        if not (low <= value <= high) or not math.isfinite(value):
            raise InvalidMeasure(**_at(where, name), value=raw, expected=expected)
        return value

    centre = str(record.get("centre", "")).strip()
    if not centre:
        raise InvalidMeasure(**_at(where, "centre"), value="", expected="a ledger centre")
    lifetime = number(
        "lifetime_years", low=1, high=100, expected="a whole number of years, 1 to 100"
    )
    if lifetime != int(lifetime):
        raise InvalidMeasure(
            **_at(where, "lifetime_years"),
            value=record["lifetime_years"],
            expected="a whole number of years, 1 to 100",
        )
    start = record.get("start_year")
    if start is not None:
        start = int(number("start_year", low=1990, high=2100, expected="a year such as 2026"))
    priced = str(record.get("priced", "fuels"))
    if priced not in PRICED:
        raise InvalidMeasure(**_at(where, "priced"), value=priced, expected=", ".join(PRICED))
    params: dict[str, Any] = {}
    if kind == "scrap_reduction":
        params["reduction"] = number("reduction", high=1.0, expected="a share from 0 to 1")
        params["waste"] = str(record.get("waste", ""))
        params["material"] = str(record.get("material", ""))
    elif kind == "recyclate":
        if not record.get("material"):
            raise InvalidMeasure(**_at(where, "material"), value="", expected="an input material")
        params["material"] = str(record["material"])
        params["recycled_share"] = number(
            "recycled_share", high=1.0, expected="the target recycled share, 0 to 1"
        )
        params["price_change_eur_per_t"] = number(
            "price_change_eur_per_t", low=-math.inf, default=0.0, expected="a number [EUR/t]"
        )
    elif kind == "energy_saving":
        params["carrier"] = str(record.get("carrier", ""))
        if not params["carrier"]:
            raise InvalidMeasure(
                **_at(where, "carrier"), value="", expected="an energy carrier (ledger category)"
            )
        if ("share" in record) == ("mwh" in record):
            raise InvalidMeasure(
                **_at(where, "share"),
                value=record.get("share", ""),
                expected="either share (0 to 1) or mwh [MWh/a], not both",
            )
        if "share" in record:
            params["share"] = number("share", high=1.0, expected="a share from 0 to 1")
        else:
            params["mwh"] = number("mwh", expected="a number >= 0 [MWh/a]")
    else:
        params["mwh"] = number("mwh", expected="own PV electricity used on site [MWh/a]")
    return Measure(
        id=str(record.get("id", f"M{number}")),
        name=str(record.get("name", record.get("id", f"M{number}"))),
        kind=kind,
        centre=centre,
        investment_eur=number("investment_eur", expected="the investment >= 0 [EUR]"),
        lifetime_years=int(lifetime),
        running_cost_eur=number(
            "running_cost_eur", low=-math.inf, default=0.0, expected="a number [EUR/a]"
        ),
        start_year=start,
        co2_price_path=str(record["co2_price_path"]) if record.get("co2_price_path") else None,
        priced=priced,
        params=params,
        where=where,
    )


# --- evaluation ---------------------------------------------------------------------------


def capital_recovery_factor(rate: float, years: int) -> float:
    """CRF = r (1+r)^n / ((1+r)^n − 1) [1/a]; 1/n for r = 0 (VDI 2067-1)."""
    if rate == 0:
        return 1.0 / years
    growth = (1.0 + rate) ** years
    return rate * growth / (growth - 1.0)


def npv(investment: float, cash_flows: Sequence[float], rate: float) -> float:
    """−I + Σ_t CF_t / (1+r)^t for t = 1..n [EUR]."""
    t = np.arange(1, len(cash_flows) + 1)
    return float(-investment + np.sum(np.asarray(cash_flows) / (1.0 + rate) ** t))


def simple_payback(investment: float, cash_flows: Sequence[float]) -> float | None:
    """Years until the undiscounted cash flows cover ``investment`` (linear within a year)."""
    if investment <= 0:  # nothing to pay back, unless the measure runs at a loss
        return 0.0 if all(flow >= 0 for flow in cash_flows) else None
    cumulative = 0.0
    for t, flow in enumerate(cash_flows, start=1):
        if flow > 0 and cumulative + flow >= investment:
            return (t - 1) + (investment - cumulative) / flow
        cumulative += flow
    return None


def marginal_abatement_cost(
    investment: float,
    running_cost: float,
    savings: float,
    abatement_t: float,
    *,
    rate: float,
    years: int,
) -> float | None:
    """(I · CRF + C − S) / A [EUR/t CO2e]; ``None`` when nothing is abated (A ≤ 0)."""
    if abatement_t <= 0:
        return None
    annual_cost = investment * capital_recovery_factor(rate, years) + running_cost - savings
    return annual_cost / abatement_t


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
                **_at(measure.where, "centre"),
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


def _material_factor(
    factors: FactorLibrary, material: str, share: float, year: int, where: dict[str, Any]
) -> tuple[float, list[FactorUse]]:
    """kg CO2e per kg of ``material`` with recycled ``share`` (cut-off)."""
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
        **_at(measure.where, name),
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
    where = _at(measure.where, "material")
    share = shares.get(material, 0.0)
    per_kg, used = _material_factor(factors, material, share, year, where)
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
            **_at(measure.where, "recycled_share"),
            value=p["recycled_share"],
            expected=f"a target above the current share {current:.3f}",
        )
    where = _at(measure.where, "material")
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
            **_at(measure.where, "mwh"),
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
            **_at(measure.where, "mwh"),
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


def _measure_dict(m: MeasureResult) -> dict[str, Any]:
    def r(value: float | None) -> float | None:
        return None if value is None or value != value else round(float(value), 6)

    return {
        "id": m.measure.id,
        "name": m.measure.name,
        "kind": m.measure.kind,
        "centre": m.measure.centre,
        "material_t": r(m.material_t),
        "energy_mwh": r(m.energy_mwh),
        "co2e_t": r(m.co2e_t),
        "priced_co2e_t": r(m.priced_co2e_t),
        "savings_eur": r(m.savings_eur),
        "investment_eur": r(m.measure.investment_eur),
        "running_cost_eur": r(m.measure.running_cost_eur),
        "lifetime_years": m.measure.lifetime_years,
        "price_path": m.price_path,
        "years": m.years,
        "co2_prices_eur_per_t": [r(p) for p in m.co2_prices],
        "cash_flows_eur": [r(c) for c in m.cash_flows],
        "npv_eur": r(m.npv_eur),
        "payback_years": r(m.payback_years),
        "mac_eur_per_t": r(m.mac_eur_per_t),
        "working": {k: (r(v) if isinstance(v, float) else v) for k, v in m.working.items()},
        "factors": [
            {
                "key": f.key,
                "value": r(f.kg_co2e_per_unit),
                "unit": f"kg CO2e / {f.unit}",
                "source": f.source,
            }
            for f in m.factors
        ],
    }
