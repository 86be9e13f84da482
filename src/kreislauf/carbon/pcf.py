"""Product carbon footprint (PCF), cradle-to-gate, rolled up along a bill of materials.

For every item of the BOM the *direct* emissions per unit of the item are computed in
three life-cycle stages, then weighted with the item's cumulative quantity per unit of
the product (the supply vector, one pass along the Kahn levels of :mod:`.bom`):

- **raw materials** (purchased items, the BOM's leaves):
  ``m · ((1 − r) · f(material) + r · f(material:recycled))`` [kg CO2e], with the net mass
  ``m`` [kg], the recycled share ``r`` [-] and the factors ``f`` [kg CO2e/kg]. Cut-off
  approach: the recycled share carries only the burden of recycling (ISO 14067:2018,
  allocation for recycling, and its annex on the recycled content approach; GHG Protocol
  Product Standard (2011), recycled content method).
- **processing** (produced items with a ``process_centre``): ``m · Σ_carrier E_c / M_c ·
  f(carrier)`` where ``E_c`` is the centre's energy use per carrier [kWh] and ``M_c`` its
  product output (``product_out`` + ``transfer``) [kg] in the ledger (allocation by mass,
  ISO 14044:2006, 4.3.4.2 step 2; PACT Methodology v2, allocation by physical relationship).
- **waste**: ``m · Σ_treatment W_t / M_c · f(waste:<treatment>)`` [kg CO2e].

The supply vector ``y`` (quantity of each item per product unit) gives the breakdown by
component: ``y_i · d_i`` per stage; the PCF is their sum. The primary-data share is the
share of the PCF that comes from primary data: the processing and waste stages (measured
activity data of the company's own centres) and the raw materials of components flagged
``primary_data`` (supplier-specific factors).

References
----------
ISO 14067:2018, Carbon footprint of products. PACT (WBCSD): Methodology for Calculating
and Exchanging Product Carbon Footprints, v2 (2023), primary data share.
Heijungs, R., Suh, S. (2002): The Computational Structure of Life Cycle Assessment,
ch. 2 (supply vector). https://doi.org/10.1007/978-94-015-9900-9
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pydantic import model_validator
from typing_extensions import TypedDict

from kreislauf.carbon.bom import Bom, BomOrder, bom_order
from kreislauf.carbon.factors import FactorLibrary, FactorMatch
from kreislauf.errors import CentreNotInLedger, InvalidBom, UnknownProduct
from kreislauf.i18n import msg
from kreislauf.ledger import Ledger
from kreislauf.results import Number, Result, Serialisable

STAGES = ("raw_materials", "processing", "waste")
#: Energy carriers without purchased energy: own generation has no Scope 2 emissions
#: (GHG Protocol Scope 2 Guidance, 2015) unless the factor library defines one.
ZERO_CARRIERS = ("own_pv",)


@dataclass(frozen=True)
class FactorUse:
    """A factor as used: key that matched, why, value [kg CO2e per kg or kWh], source."""

    key: str
    reason: str
    kg_co2e_per_unit: float
    unit: str
    source: str
    year: int | None

    @classmethod
    def of(cls, match: FactorMatch, unit: str) -> FactorUse:
        value = match.factor.co2e_kg(1.0, unit)
        return cls(match.key, match.reason, value, unit, match.factor.source, match.factor.year)


@dataclass(frozen=True)
class CentreIntensity:
    """A ledger centre's processing and waste emissions per kg of its product output.

    output_kg : product_out + transfer [kg]; energy_kwh, waste_kg : by carrier/treatment
    processing_per_kg, waste_per_kg : [kg CO2e/kg output]
    """

    centre: str
    output_kg: float
    energy_kwh: dict[str, float]
    waste_kg: dict[str, float]
    processing_per_kg: float
    waste_per_kg: float
    factors: dict[str, FactorUse]


@dataclass(frozen=True)
class PcfResult(Serialisable):
    """The cradle-to-gate PCF of one product with its working.

    total_kg : PCF per unit of the product [kg CO2e]
    stages : per life-cycle stage [kg CO2e]
    primary_share : [-] 0 to 1
    mass_kg : net mass of one product unit [kg]
    components : one row per item reachable from the product: ``item``, ``level``,
        ``quantity`` (per product unit, in ``unit``), ``unit``, ``mass_kg`` (per item unit),
        ``raw_materials``, ``processing``, ``waste``, ``total`` [kg CO2e per product unit],
        ``primary`` (bool), ``factor_key``, ``factor_reason``, ``factor_source``,
        ``recycled_share``; sorted by ``total`` descending
    centres : the ledger centres used, with their intensities
    assumptions : notes a reader needs (items without centre, shares from the ledger)
    """

    product: str
    total_kg: float
    stages: dict[str, float]
    primary_share: float
    mass_kg: float
    components: pd.DataFrame
    centres: list[CentreIntensity]
    bom_source: str
    ledger_sources: tuple[str, ...]
    assumptions: list[Any] = field(default_factory=list)

    def json_model(self, *, max_components: int | None = None) -> PcfJson:
        """The JSON document; ``max_components``: only the largest contributors."""
        rows = self.components if max_components is None else self.components.head(max_components)
        columns = [str(c) for c in rows.columns]
        components = [
            dict(zip(columns, values, strict=True))
            for values in zip(*(rows[c].tolist() for c in columns), strict=True)
        ]
        return PcfJson.model_validate(
            {
                "product": self.product,
                "pcf_kg_co2e": self.total_kg,
                "stages_kg_co2e": self.stages,
                "primary_data_share": self.primary_share,
                "mass_kg": self.mass_kg,
                "bom": self.bom_source,
                "ledger": list(self.ledger_sources),
                "components": components,
                "centres": [
                    {
                        "centre": c.centre,
                        "output_t": c.output_kg / 1000,
                        "energy_kwh": c.energy_kwh,
                        "waste_kg": c.waste_kg,
                        "processing_kg_co2e_per_kg": c.processing_per_kg,
                        "waste_kg_co2e_per_kg": c.waste_per_kg,
                        "factors": c.factors,
                    }
                    for c in self.centres
                ],
            }
        )

    def to_dict(self, *, max_components: int | None = None) -> dict[str, Any]:
        """A JSON-ready dictionary (numbers by the rule of :mod:`kreislauf.results`)."""
        return self.json_model(max_components=max_components).to_dict()

    def to_json(self, *, indent: int | None = None, max_components: int | None = None) -> str:
        return self.json_model(max_components=max_components).to_json(indent=indent)


class FactorJson(Result):
    """A factor as used, in JSON: ``value`` [kg CO2e per ``unit``'s denominator]."""

    key: str
    value: Number
    unit: str
    source: str

    @model_validator(mode="before")
    @classmethod
    def _of_use(cls, data: Any) -> Any:
        if isinstance(data, FactorUse):
            return {
                "key": data.key,
                "value": data.kg_co2e_per_unit,
                "unit": f"kg CO2e / {data.unit}",
                "source": data.source,
                "year": data.year,
            }
        return data


class FactorYearJson(FactorJson):
    """A factor with its reference year."""

    year: int | None


class ComponentJson(TypedDict):
    """One row of :attr:`PcfResult.components` (units there)."""

    item: str
    level: int
    quantity: Number
    unit: str
    mass_kg: Number | None
    raw_materials: Number
    processing: Number
    waste: Number
    total: Number
    primary: bool
    factor_key: str
    factor_reason: str
    factor_source: str
    recycled_share: Number


class CentreIntensityJson(Result):
    """A centre's intensities: output [t], energy [kWh], waste [kg], [kg CO2e/kg]."""

    centre: str
    output_t: Number
    energy_kwh: dict[str, Number]
    waste_kg: dict[str, Number]
    processing_kg_co2e_per_kg: Number
    waste_kg_co2e_per_kg: Number
    factors: dict[str, FactorYearJson]


class PcfJson(Result):
    """One product of ``kreislauf carbon pcf --json`` (docs/carbon-products.md) [kg CO2e]."""

    product: str
    pcf_kg_co2e: Number
    stages_kg_co2e: dict[str, Number]
    primary_data_share: Number
    mass_kg: Number
    bom: str
    ledger: list[str]
    components: list[ComponentJson]
    centres: list[CentreIntensityJson]


class FootprintsJson(Result):
    """``kreislauf carbon pcf --json`` and the API's ``pcf.json``: every product computed."""

    products: list[PcfJson]

    @classmethod
    def of(cls, results: Sequence[PcfResult]) -> FootprintsJson:
        return cls(products=[r.json_model() for r in results])


def centre_intensities(
    ledger: Ledger, centres: Sequence[str], factors: FactorLibrary, *, year: int | None = None
) -> dict[str, CentreIntensity]:
    """Processing and waste emissions per kg of product output of each named centre.

    Centres are matched by name over all sites and periods of ``ledger``.

    Raises
    ------
    CentreNotInLedger
        if a centre is not in the ledger or has no product output.
    NoFactor
        if an energy carrier or waste treatment has no factor.
    """
    known = sorted({c for _, c in ledger.centres})
    flows = ledger.flows[ledger.flows["centre"].astype(str).isin(list(centres))]
    labels = {
        c: flows[c].astype(object).where(flows[c].notna(), "").astype(str)
        for c in ("centre", "flow", "material", "category", "treatment")
    }
    amount = flows["amount"].astype(float)
    outputs = (
        amount[labels["flow"].isin(["product_out", "transfer"])].groupby(labels["centre"]).sum()
    )
    is_energy, is_waste = labels["flow"] == "energy_in", labels["flow"] == "waste_out"
    energy_sums = (
        amount[is_energy]
        .groupby(
            [
                labels["centre"][is_energy],
                labels["material"][is_energy],
                labels["category"][is_energy],
            ]
        )
        .sum()
    )
    waste_sums = (
        amount[is_waste]
        .groupby(
            [
                labels["centre"][is_waste],
                labels["material"][is_waste],
                labels["treatment"][is_waste],
            ]
        )
        .sum()
    )
    energy_entries, waste_entries = _entries(energy_sums), _entries(waste_sums)
    result: dict[str, CentreIntensity] = {}
    for centre in centres:
        if centre not in known:
            raise CentreNotInLedger(value=centre, hint="", available=", ".join(known))
        output = float(outputs.get(centre, 0.0))
        if output <= 0:
            flows_all = ledger.flows
            producing = sorted(
                set(
                    flows_all.loc[
                        flows_all["flow"].isin(["product_out", "transfer"]), "centre"
                    ].astype(str)
                )
            )
            raise CentreNotInLedger(
                value=centre, hint=msg("carbon.hint_no_output"), available=", ".join(producing)
            )
        used: dict[str, FactorUse] = {}
        energy: dict[str, float] = {}
        processing = 0.0
        for (_, material, carrier), kwh in _of_centre(energy_entries, centre):
            use = energy_factor(factors, carrier, material=material, year=year)
            used[use.key] = use
            energy[carrier] = energy.get(carrier, 0.0) + kwh
            processing += kwh * use.kg_co2e_per_unit
        waste: dict[str, float] = {}
        waste_total = 0.0
        for (_, material, treatment), kg in _of_centre(waste_entries, centre):
            candidates = [(f"waste:{treatment}", "waste_treatment")]
            if material:
                candidates.insert(0, (f"waste:{material}:{treatment}", "waste_material"))
            use = FactorUse.of(factors.resolve(candidates, year=year), "kg")
            used[use.key] = use
            waste[treatment] = waste.get(treatment, 0.0) + kg
            waste_total += kg * use.kg_co2e_per_unit
        result[centre] = CentreIntensity(
            centre=centre,
            output_kg=output,
            energy_kwh=energy,
            waste_kg=waste,
            processing_per_kg=processing / output,
            waste_per_kg=waste_total / output,
            factors=used,
        )
    return result


def energy_factor(
    factors: FactorLibrary, carrier: str, *, material: str = "", year: int | None = None
) -> FactorUse:
    """The factor of an energy carrier (ledger ``category``) [kg CO2e/kWh].

    As in the balance (:mod:`kreislauf.carbon.balance`): the row's ``material`` if a factor
    has that key, else the carrier. Own generation (:data:`ZERO_CARRIERS`) is 0 unless the
    library has a factor for it.
    """
    if carrier in ZERO_CARRIERS and carrier not in factors:
        return FactorUse(
            carrier,
            "own_generation_zero",
            0.0,
            "kWh",
            "GHG Protocol Scope 2 Guidance (2015): own generation without purchase",
            None,
        )
    candidates = [(carrier, "exact")]
    if material and material in factors:
        candidates.insert(0, (material, "exact"))
    return FactorUse.of(factors.resolve(candidates, year=year), "kWh")


_Entry = tuple[tuple[str, str, str], float]


def _entries(sums: pd.Series) -> list[_Entry]:
    """The ``(centre, material, label) -> amount`` entries of a three-level sum."""
    centre, material, label = (
        sums.index.get_level_values(level).astype(str).tolist() for level in range(3)
    )
    values = sums.to_numpy(float).tolist()
    return [((c, m, k), v) for c, m, k, v in zip(centre, material, label, values, strict=True)]


def _of_centre(entries: list[_Entry], centre: str) -> list[_Entry]:
    """The entries of one centre."""
    return [entry for entry in entries if entry[0][0] == centre]


def ledger_recycled_shares(ledger: Ledger) -> dict[str, float]:
    """Mass-weighted recycled share of each ``material_in`` material of the ledger [-]."""
    flows = ledger.flows
    inputs = flows[flows["flow"] == "material_in"]
    if inputs.empty:
        return {}
    amount = inputs["amount"].astype(float)
    weighted = (
        (amount * inputs["recycled_share"].astype(float))
        .groupby(inputs["material"].astype(str))
        .sum()
    )
    total = amount.groupby(inputs["material"].astype(str)).sum()
    shares = (weighted / total.where(total > 0)).dropna()
    return {str(k): float(v) for k, v in shares.items()}


def product_footprints(
    bom: Bom,
    ledger: Ledger,
    factors: FactorLibrary,
    *,
    products: Sequence[str] | None = None,
    year: int | None = None,
) -> list[PcfResult]:
    """Cradle-to-gate PCF of each product (root) of ``bom`` [kg CO2e per product unit].

    products : the roots to compute (default: all roots, in file order)
    year : the factor year to prefer (default: the latest year of the ledger)

    Raises
    ------
    BomCycle, UnknownProduct, CentreNotInLedger, NoFactor, UnitNotConvertible, InvalidBom
    """
    order = bom_order(bom)
    roots = bom.roots
    chosen = list(products) if products else roots
    for product in chosen:
        if product not in roots:
            raise UnknownProduct(file=bom.source, value=product, available=", ".join(roots))
    if year is None and ledger.periods:
        year = int(str(ledger.periods[-1])[:4])
    direct, info = _direct_emissions(bom, order, ledger, factors, year=year)
    results = []
    for product in chosen:
        root = bom.index(product)
        assert root is not None
        supply = supply_vector(bom, order, root)
        results.append(_result(bom, order, product, root, supply, direct, info, ledger))
    return results


def supply_vector(bom: Bom, order: BomOrder, root: int) -> np.ndarray:
    """Cumulative quantity of every item per unit of ``root`` [item unit], level by level.

    Items not below ``root`` get 0. Each level is one vectorised scatter-add, so the cost is
    O(edges) with one numpy call per BOM level.
    """
    supply = np.zeros(len(bom.items))
    supply[root] = 1.0
    for k in range(order.depth):
        edges = order.edge_order[order.level_starts[k] : order.level_starts[k + 1]]
        if len(edges) == 0:
            continue
        parents = bom.parent[edges]
        np.add.at(supply, bom.child[edges], supply[parents] * bom.quantity[edges])
    return supply


def item_masses(bom: Bom, order: BomOrder) -> np.ndarray:
    """Net mass of one unit of every item [kg].

    ``mass_kg`` where given; 1 for items counted in kg; else the sum of the components'
    masses (from the deepest level up). A purchased item counted in pieces without
    ``mass_kg`` gets NaN.
    """
    is_parent = np.zeros(len(bom.items), dtype=bool)
    is_parent[bom.parent] = True
    mass = np.where(bom.unit == "kg", 1.0, np.nan)
    mass = np.where(np.isnan(bom.mass_kg), mass, bom.mass_kg)
    derived = is_parent & np.isnan(mass)
    for k in range(order.depth - 1, -1, -1):
        edges = order.edge_order[order.level_starts[k] : order.level_starts[k + 1]]
        if len(edges) == 0:
            continue
        parents = bom.parent[edges]
        contribution = np.nan_to_num(mass[bom.child[edges]]) * bom.quantity[edges]
        sums = np.zeros(len(bom.items))
        np.add.at(sums, parents, contribution)
        targets = np.unique(parents[derived[parents]])
        mass[targets] = sums[targets]
    return mass


@dataclass(frozen=True)
class _ItemInfo:
    mass: np.ndarray
    primary: np.ndarray
    recycled: np.ndarray
    factor_key: np.ndarray
    factor_reason: np.ndarray
    factor_source: np.ndarray
    centres: dict[str, CentreIntensity]
    recycled_from_ledger: list[str]
    no_centre: int


def _direct_emissions(
    bom: Bom, order: BomOrder, ledger: Ledger, factors: FactorLibrary, *, year: int | None
) -> tuple[np.ndarray, _ItemInfo]:
    """Direct emissions per unit of every item, ``(items, 3 stages)`` [kg CO2e]."""
    n = len(bom.items)
    is_parent = np.zeros(n, dtype=bool)
    is_parent[bom.parent] = True
    leaf = ~is_parent
    mass = item_masses(bom, order)
    missing = leaf & np.isnan(mass)
    if missing.any():
        item = int(np.flatnonzero(missing)[0])
        raise InvalidBom(
            file=bom.source,
            row=int(bom.row[item]),
            column="mass_kg",
            value=bom.items[item],
            expected="the net mass of one piece of a purchased item counted in pieces (mass_kg)",
        )
    direct = np.zeros((n, len(STAGES)))
    recycled = bom.recycled_share.copy()
    from_ledger: list[str] = []
    shares = ledger_recycled_shares(ledger)
    factor_key = np.full(n, "", dtype=object)
    reason = np.full(n, "", dtype=object)
    source = np.full(n, "", dtype=object)
    leaves = np.flatnonzero(leaf)
    for key, positions in (
        pd.Series(bom.factor_key[leaves])
        .groupby(bom.factor_key[leaves], sort=False)
        .indices.items()
    ):
        idx = leaves[positions]
        where = {"file": bom.source, "row": int(bom.row[idx[0]]), "column": "component"}
        virgin = factors.resolve([(str(key), "exact")], year=year, where=where)
        virgin_use = FactorUse.of(virgin, "kg")
        share = recycled[idx]
        if np.isnan(share).any() and str(key) in shares:
            share = np.where(np.isnan(share), shares[str(key)], share)
            from_ledger.append(str(key))
        share = np.nan_to_num(share)
        recycled[idx] = share
        per_kg = np.full(len(idx), virgin_use.kg_co2e_per_unit)
        recycled_source = ""
        if (share > 0).any():
            match = factors.resolve([(f"{key}:recycled", "recycled")], year=year, where=where)
            recycled_use = FactorUse.of(match, "kg")
            per_kg = (
                1 - share
            ) * virgin_use.kg_co2e_per_unit + share * recycled_use.kg_co2e_per_unit
            recycled_source = f"; {recycled_use.key}: {recycled_use.source}"
        direct[idx, 0] = mass[idx] * per_kg
        factor_key[idx] = virgin_use.key
        reason[idx] = virgin_use.reason
        source[idx] = virgin_use.source + recycled_source
    produced = np.flatnonzero(is_parent & (bom.centre != ""))
    names = sorted(set(bom.centre[produced].tolist()))
    centres = centre_intensities(ledger, names, factors, year=year)
    if len(produced):
        processing = np.array([centres[c].processing_per_kg for c in bom.centre[produced]])
        waste = np.array([centres[c].waste_per_kg for c in bom.centre[produced]])
        direct[produced, 1] = mass[produced] * processing
        direct[produced, 2] = mass[produced] * waste
        factor_key[produced] = bom.centre[produced]
        reason[produced] = "ledger_centre"
        source[produced] = "ledger: " + ", ".join(ledger.sources)
    info = _ItemInfo(
        mass=mass,
        primary=bom.primary,
        recycled=np.nan_to_num(recycled),
        factor_key=factor_key,
        factor_reason=reason,
        factor_source=source,
        centres=centres,
        recycled_from_ledger=from_ledger,
        no_centre=int((is_parent & (bom.centre == "")).sum()),
    )
    return direct, info


def _result(
    bom: Bom,
    order: BomOrder,
    product: str,
    root: int,
    supply: np.ndarray,
    direct: np.ndarray,
    info: _ItemInfo,
    ledger: Ledger,
) -> PcfResult:
    reached = np.flatnonzero(supply > 0)
    contributions = supply[reached, None] * direct[reached]
    primary = contributions[:, 1:].sum(axis=1) + np.where(
        info.primary[reached], contributions[:, 0], 0.0
    )
    total = float(contributions.sum())
    components = pd.DataFrame(
        {
            "item": bom.items[reached],
            "level": order.level[reached] - order.level[root],
            "quantity": supply[reached],
            "unit": bom.unit[reached],
            "mass_kg": info.mass[reached],
            "raw_materials": contributions[:, 0],
            "processing": contributions[:, 1],
            "waste": contributions[:, 2],
            "total": contributions.sum(axis=1),
            "primary": info.primary[reached] | (contributions[:, 1:].sum(axis=1) > 0),
            "factor_key": info.factor_key[reached],
            "factor_reason": info.factor_reason[reached],
            "factor_source": info.factor_source[reached],
            "recycled_share": info.recycled[reached],
        }
    )
    components = components.sort_values("total", ascending=False, kind="stable")
    components = components.reset_index(drop=True)
    used = sorted({c for c in bom.centre[reached].tolist() if c})
    assumptions: list[Any] = []
    if info.no_centre:
        assumptions.append(msg("carbon.pcf.no_centre", count=info.no_centre))
    if info.recycled_from_ledger:
        assumptions.append(
            msg("carbon.pcf.ledger_recycled", items=", ".join(info.recycled_from_ledger))
        )
    return PcfResult(
        product=product,
        total_kg=total,
        stages={s: float(contributions[:, i].sum()) for i, s in enumerate(STAGES)},
        primary_share=float(primary.sum()) / total if total > 0 else 0.0,
        mass_kg=float(info.mass[root]),
        components=components,
        centres=[info.centres[c] for c in used],
        bom_source=bom.source,
        ledger_sources=ledger.sources,
        assumptions=assumptions,
    )
