"""Resource-efficiency KPIs of a ledger, for the whole ledger or by site and/or period.

Each KPI is defined once in :data:`KPI_DEFINITIONS` (id, unit, formula, source); the same
table feeds ``docs/ledger.md``, the CLI and the report. All sums are taken in one
vectorised group-by over the flow table; ratios whose denominator is zero are NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from kreislauf.ledger.mfca import MfcaResult, mfca_balance
from kreislauf.ledger.models import Ledger
from kreislauf.results import Number, Result, Serialisable

GroupKey = Literal["site", "period"]
ALL = "all"


@dataclass(frozen=True)
class KpiDefinition:
    """What a KPI is: ``id``, ``unit``, its ``formula`` in words and its ``source``."""

    id: str
    unit: str
    formula: str
    source: str


#: Formulas are written language-neutrally with the flow kinds of the ledger:
#: m(…) mass [t], E(…) energy [kWh or MWh], V(…) water volume [m³], C(…) cost [EUR].
_VDI = "VDI 4800-1:2016"
KPI_DEFINITIONS: tuple[KpiDefinition, ...] = (
    KpiDefinition("material_input_t", "t", "Σ m(material_in)", _VDI),
    KpiDefinition(
        "recycled_input_share",
        "%",
        "100 · Σ m(material_in) · recycled_share / Σ m(material_in)",
        "ISO 14021:2016",
    ),
    KpiDefinition("material_yield", "%", "100 · Σ m(product_out) / Σ m(material_in)", _VDI),
    KpiDefinition("waste_ratio", "%", "100 · Σ m(waste_out) / Σ m(material_in)", _VDI),
    KpiDefinition(
        "waste_recycling_rate",
        "%",
        "100 · Σ m(waste_out, treatment = recycling) / Σ m(waste_out)",
        "2008/98/EC art. 4; KrWG § 6",
    ),
    KpiDefinition("energy_use_mwh", "MWh", "Σ E(energy_in) [MWh]", _VDI),
    KpiDefinition(
        "specific_energy_kwh_per_t", "kWh/t", "Σ E(energy_in) [kWh] / Σ m(product_out) [t]", _VDI
    ),
    KpiDefinition(
        "water_intensity_m3_per_t", "m³/t", "Σ V(water_in) [m³] / Σ m(product_out) [t]", _VDI
    ),
    KpiDefinition(
        "material_loss_cost_eur",
        "EUR",
        "Σ C(loss) over all quantity centres (MFCA)",
        "ISO 14051:2011",
    ),
)
KPI_IDS = tuple(definition.id for definition in KPI_DEFINITIONS)


@dataclass(frozen=True)
class KpiValue:
    """One KPI for one site and period (``"all"`` when not split).

    previous : the value of the previous period of the same site (None when not split by
        period or for the first period); change = value - previous, in the KPI's unit.
    """

    id: str
    site: str
    period: str
    value: float
    unit: str
    previous: float | None = None
    change: float | None = None


@dataclass(frozen=True)
class KpiTable(Serialisable):
    """All KPIs, grouped ``by`` (``()`` = the whole ledger), in group then KPI order."""

    by: tuple[GroupKey, ...]
    values: list[KpiValue]

    def json_model(self) -> KpiTableJson:
        return KpiTableJson.model_validate({"kpis": self.values})


class KpiJson(Result):
    """One KPI in JSON: ``value`` in the KPI's ``unit`` (rounded, ``null`` if undefined)."""

    id: str
    site: str
    period: str
    value: Number
    unit: str


class KpiTableJson(Result):
    """``kreislauf ledger kpis --json`` (docs/ledger.md): one row per group and KPI."""

    kpis: list[KpiJson]


def _sums(ledger: Ledger, by: tuple[GroupKey, ...]) -> pd.DataFrame:
    flows = ledger.flows
    flow = flows["flow"]  # categorical: compared by code, not as a million strings

    def of(kind: str) -> np.ndarray:
        return np.asarray(flow == kind, bool)

    amount = np.nan_to_num(flows["amount"].to_numpy(float))
    material = of("material_in")
    waste = of("waste_out")
    parts = pd.DataFrame(
        {
            "material_kg": np.where(material, amount, 0.0),
            "recycled_kg": np.where(
                material, amount * flows["recycled_share"].to_numpy(float), 0.0
            ),
            "product_kg": np.where(of("product_out"), amount, 0.0),
            "waste_kg": np.where(waste, amount, 0.0),
            "waste_recycled_kg": np.where(
                waste & (flows["treatment"] == "recycling").to_numpy(bool), amount, 0.0
            ),
            "energy_kwh": np.where(of("energy_in"), amount, 0.0),
            "water_m3": np.where(of("water_in"), amount, 0.0),
        },
        copy=False,  # the seven new columns are the frame's: no consolidated second copy
    )
    if not by:
        return parts.sum().to_frame().T.set_index(pd.Index([ALL], name="all"))
    keys = [flows[k].cat.set_categories(sorted(flows[k].cat.categories)) for k in by]
    sums = parts.groupby(keys, observed=True, sort=True).sum()
    sums.index = sums.index.set_names(list(by))
    return sums


def _ratio(
    numerator: NDArray[np.float64], denominator: NDArray[np.float64], factor: float
) -> NDArray[np.float64]:
    ratio: NDArray[np.float64] = np.divide(
        factor * numerator,
        denominator,
        out=np.full(len(numerator), np.nan),
        where=denominator > 0,
    )
    return ratio


def ledger_kpis(
    ledger: Ledger, *, by: Sequence[GroupKey] = (), mfca: MfcaResult | None = None
) -> KpiTable:
    """Every KPI of :data:`KPI_DEFINITIONS`, for the whole ledger or grouped ``by``.

    Parameters
    ----------
    ledger : the validated flows (masses [kg], energy [kWh], water [m³]).
    by : ``()``, ``("site",)``, ``("period",)`` or ``("site", "period")``.
    mfca : the MFCA of the same ledger for ``material_loss_cost_eur``; computed with the
        default allocation when not given.

    Returns
    -------
    KpiTable
        values in the units of :data:`KPI_DEFINITIONS` (t, %, MWh, kWh/t, m³/t, EUR).

    References
    ----------
    VDI 4800-1:2016; ISO 14021:2016; ISO 14051:2011; Directive 2008/98/EC.
    """
    group: tuple[GroupKey, ...] = tuple(k for k in ("site", "period") if k in by)
    mfca = mfca if mfca is not None else mfca_balance(ledger)
    sums = _sums(ledger, group)
    if group:
        losses = mfca.detail.groupby(list(group))["loss_cost_eur"].sum()
        labels = [_level(sums.index, k) for k in group]
        index = pd.MultiIndex.from_arrays(labels) if len(group) > 1 else pd.Index(labels[0])
        loss_cost = losses.reindex(index, fill_value=0.0).to_numpy(float)
    else:
        loss_cost = np.array([mfca.detail["loss_cost_eur"].sum()])
    material = sums["material_kg"].to_numpy(float)
    product = sums["product_kg"].to_numpy(float)
    waste = sums["waste_kg"].to_numpy(float)
    values = {
        "material_input_t": material / 1000,
        "recycled_input_share": _ratio(sums["recycled_kg"].to_numpy(float), material, 100),
        "material_yield": _ratio(product, material, 100),
        "waste_ratio": _ratio(waste, material, 100),
        "waste_recycling_rate": _ratio(sums["waste_recycled_kg"].to_numpy(float), waste, 100),
        "energy_use_mwh": sums["energy_kwh"].to_numpy(float) / 1000,
        "specific_energy_kwh_per_t": _ratio(sums["energy_kwh"].to_numpy(float), product, 1000),
        "water_intensity_m3_per_t": _ratio(sums["water_m3"].to_numpy(float), product, 1000),
        "material_loss_cost_eur": loss_cost,
    }
    table = pd.DataFrame(values, index=sums.index)
    sites = _level(sums.index, "site")
    periods = _level(sums.index, "period")
    if "period" in group:
        previous = table.groupby(sites, sort=False).shift(1)
    else:
        previous = pd.DataFrame(np.nan, index=table.index, columns=table.columns)
    current_values = {k: table[k].to_numpy(float) for k in KPI_IDS}
    previous_values = {k: previous[k].to_numpy(float) for k in KPI_IDS}
    result: list[KpiValue] = []
    for position in range(len(table)):
        for definition in KPI_DEFINITIONS:
            value = float(current_values[definition.id][position])
            before = float(previous_values[definition.id][position])
            known = not np.isnan(before)
            result.append(
                KpiValue(
                    id=definition.id,
                    site=sites[position],
                    period=periods[position],
                    value=value,
                    unit=definition.unit,
                    previous=before if known else None,
                    change=value - before if known and not np.isnan(value) else None,
                )
            )
    return KpiTable(by=group, values=result)


def _level(index: pd.Index, name: str) -> list[str]:
    if name in (index.names or []):
        return [str(v) for v in index.get_level_values(name)]
    return [ALL] * len(index)
