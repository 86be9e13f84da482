"""Material flow cost accounting (MFCA) per ISO 14051: what material losses really cost.

For every site and period the quantity centres are processed in transfer order (a centre
after every centre that transfers into it). In each centre:

1. Material balance [kg]: input (material_in + transfers in) = products (product_out +
   transfers out) + by-products + waste + stock change + unaccounted difference. A positive
   unaccounted difference counts as material loss (an output nobody measured); any
   difference beyond ``tolerance`` of the input is reported as a :class:`BalanceWarning`.
2. Material cost = purchased material and water + cost carried in with transfers. The part
   that went into a stock increase is valued at the centre's average material cost per kg
   and set aside (``stock_cost_eur``); a stock decrease adds material at that value.
3. Material, energy, system and waste-management costs are allocated to product and
   material loss with the key configured per cost category (:class:`Allocation`): by
   default material, energy and system costs by the mass share of product and loss in the
   centre's outputs, waste-management costs entirely to losses.
4. Transfers out carry the product cost per kg into the next centre, where it counts as
   material cost.

Cost inputs by flow kind: ``material_in`` and ``water_in`` → material; ``energy_in`` →
energy; ``system_cost`` → system; ``waste_cost``, ``waste_out`` and ``water_out`` → waste
management. ``cost_eur`` on other flow kinds is not a cost input.

References
----------
ISO 14051:2011, Environmental management — Material flow cost accounting — General
framework: terms (quantity centre, material loss, the four cost categories), fundamental
elements (material balance, cost calculation and allocation) and the informative annex on
cost allocation by mass share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from kreislauf.errors import CyclicTransfers
from kreislauf.ledger.models import Ledger
from kreislauf.results import Number, Result, Serialisable

Key = Literal["mass", "product", "loss"] | Annotated[float, Field(ge=0.0, le=1.0)]
Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]
COST_CATEGORIES = ("material", "energy", "system", "waste_management")
_COST_OF_FLOW = {
    "material_in": "material",
    "water_in": "material",
    "energy_in": "energy",
    "system_cost": "system",
    "waste_cost": "waste_management",
    "waste_out": "waste_management",
    "water_out": "waste_management",
}
#: Masses below this count as zero, so tiny rounding remainders carry no cost [kg].
_MIN_MASS = 1e-6
_MASS_FLOWS = (
    "material_in",
    "transfer",
    "product_out",
    "byproduct_out",
    "waste_out",
    "stock_change",
)


class Allocation(BaseModel):
    """Allocation key per cost category.

    ``"mass"``: by the mass share of product and loss in the centre's outputs [-];
    ``"product"`` / ``"loss"``: entirely to one side; a number: that share [-] to losses,
    the rest to product. Where a centre has no product output, every cost goes to losses.
    ``byproducts``: whether by-products count as material loss (ISO 14051:2011 defines
    material loss as every material output except the intended products) or as product.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    material: Key = "mass"
    energy: Key = "mass"
    system: Key = "mass"
    waste_management: Key = "loss"
    byproducts: Literal["loss", "product"] = "loss"


@dataclass(frozen=True)
class BalanceWarning:
    """A centre whose material balance is off by more than the tolerance.

    input_kg, output_kg : input and outputs + stock change [kg]; difference_kg = in - out.
    """

    site: str
    period: str
    centre: str
    input_kg: float
    output_kg: float
    difference_kg: float


@dataclass(frozen=True)
class CentreCost:
    """One quantity centre over all periods. Masses [t], costs [EUR].

    product_cost_eur includes the cost of products transferred to the next centre.
    loss_cost_by_category : loss cost per cost category (:data:`COST_CATEGORIES`) [EUR].
    """

    site: str
    centre: str
    input_mass_t: float
    product_mass_t: float
    loss_mass_t: float
    stock_change_t: float
    product_cost_eur: float
    loss_cost_eur: float
    loss_cost_by_category: dict[str, float]


@dataclass(frozen=True)
class MfcaTotal:
    """The whole ledger [EUR]; ``loss_share`` = loss / (product + loss) [%].

    product_cost_eur : cost of the products that leave the system (not of transfers).
    total_cost_eur : every cost input = product + loss + stock cost.
    """

    product_cost_eur: float
    loss_cost_eur: float
    stock_cost_eur: float
    total_cost_eur: float
    loss_share: float


@dataclass(frozen=True)
class MfcaResult(Serialisable):
    """Result of :func:`mfca_balance`, with its working.

    detail : one row per site, period and centre with masses [kg] and costs [EUR]
        (columns listed in :data:`DETAIL_COLUMNS`).
    centres : per centre over all periods, sites in order, centres in transfer order.
    """

    detail: pd.DataFrame
    centres: list[CentreCost]
    total: MfcaTotal
    warnings: list[BalanceWarning]
    allocation: Allocation
    tolerance: float

    def json_model(self) -> MfcaJson:
        return MfcaJson.model_validate(self)


class MfcaCentreJson(Result):
    """One quantity centre in JSON: costs [EUR], masses [t]."""

    site: str
    centre: str
    product_cost_eur: Number
    loss_cost_eur: Number
    input_mass_t: Number
    product_mass_t: Number
    loss_mass_t: Number


class MfcaTotalJson(Result):
    """The whole ledger in JSON: costs [EUR], ``loss_share`` [%] (``null`` without costs)."""

    product_cost_eur: Number
    loss_cost_eur: Number
    loss_share: Number


class MfcaJson(Result):
    """``kreislauf ledger mfca --json`` (docs/ledger.md): centres and total."""

    centres: list[MfcaCentreJson]
    total: MfcaTotalJson


def transfer_order(ledger: Ledger, site: str) -> list[str]:
    """The centres of ``site``, each after every centre that transfers into it.

    Raises
    ------
    CyclicTransfers
        naming the centres on a cycle.
    """
    flows = ledger.flows[ledger.flows["site"] == site]
    centres = sorted(flows["centre"].astype(str).unique())
    edges = (
        flows.loc[flows["flow"] == "transfer", ["centre", "to_centre"]]
        .astype(str)
        .drop_duplicates()
    )
    return _order(site, centres, edges.itertuples(index=False))


def _order(site: str, centres: list[str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """Topological order of ``centres`` (sorted) under the transfer ``edges`` (source, target)."""
    successors: dict[str, set[str]] = {c: set() for c in centres}
    indegree = dict.fromkeys(centres, 0)
    for source, target in edges:
        if target not in successors[source]:
            successors[source].add(target)
            indegree[target] += 1
    order: list[str] = []
    ready = [c for c in centres if indegree[c] == 0]
    while ready:
        centre = ready.pop(0)
        order.append(centre)
        for target in sorted(successors[centre]):
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    if len(order) < len(centres):
        cycle = [c for c in centres if c not in order]
        raise CyclicTransfers(site=site, cycle=" → ".join(cycle))
    return order


DETAIL_COLUMNS = (
    "site",
    "period",
    "centre",
    "material_in_kg",
    "transfer_in_kg",
    "input_mass_kg",
    "product_out_kg",
    "transfer_out_kg",
    "byproduct_kg",
    "waste_kg",
    "stock_change_kg",
    "unaccounted_kg",
    "product_mass_kg",
    "loss_mass_kg",
    *(f"{c}_cost_eur" for c in COST_CATEGORIES),
    "transfer_in_cost_eur",
    "stock_cost_eur",
    "product_cost_eur",
    "loss_cost_eur",
    *(f"loss_{c}_eur" for c in COST_CATEGORIES),
    "transfer_out_cost_eur",
    "final_product_cost_eur",
)


def _split(cost: Floats, key: Key, share: Floats, has_product: Flags) -> Floats:
    """The product part of ``cost`` under ``key``; the rest is loss."""
    if key == "mass":
        product: Floats = cost * share
        return product
    if key == "loss":
        return np.zeros_like(cost)
    product_part = 1.0 if key == "product" else 1.0 - float(key)
    return np.where(has_product, cost * product_part, 0.0)


def mfca_balance(
    ledger: Ledger, *, allocation: Allocation | None = None, tolerance: float = 0.02
) -> MfcaResult:
    """Material flow cost accounting of every quantity centre, per site and period.

    Parameters
    ----------
    ledger : the validated flows.
    allocation : allocation key per cost category; default: mass share, waste management to
        losses.
    tolerance : largest accepted material-balance difference as a share of the input [-].

    Returns
    -------
    MfcaResult
        product and loss cost per centre and in total [EUR], masses [kg] / [t].

    Raises
    ------
    CyclicTransfers
        when transfers form a cycle.

    References
    ----------
    ISO 14051:2011 (material balance per quantity centre; allocation of material, energy,
    system and waste-management costs by mass share of the outputs).
    """
    allocation = allocation or Allocation()
    flows = ledger.flows
    keys = ["site", "period", "centre"]
    sums = flows.groupby([*keys, "flow"], observed=True)[["amount", "cost_eur"]].sum()
    mass = (
        sums["amount"].unstack("flow").reindex(columns=list(_MASS_FLOWS), fill_value=0.0)
    ).fillna(0.0)
    cost = sums["cost_eur"].unstack("flow").fillna(0.0)
    category_cost = {
        c: cost.reindex(
            columns=[f for f, cc in _COST_OF_FLOW.items() if cc == c], fill_value=0.0
        ).sum(axis=1)
        for c in COST_CATEGORIES
    }
    transfers = flows.loc[flows["flow"] == "transfer"]
    edges = transfers.groupby(["site", "period", "centre", "to_centre"], observed=True)[
        "amount"
    ].sum()

    # The groups' labels as text, once: every site's grid is then looked up by position
    # (one indexer per site for all flow kinds and cost categories, not one reindex each).
    labels = pd.MultiIndex.from_arrays(
        [mass.index.get_level_values(k).astype(str) for k in keys], names=keys
    )
    mass_values = mass.to_numpy(float)
    category_values = {k: v.to_numpy(float) for k, v in category_cost.items()}
    edge_labels = [edges.index.get_level_values(k).astype(str) for k in (*keys, "to_centre")]
    edge_values = edges.to_numpy(float)
    rows: list[pd.DataFrame] = []
    warnings: list[BalanceWarning] = []
    for site in ledger.sites:
        of_site = np.asarray(labels.get_level_values("site") == site)
        periods = sorted(set(labels.get_level_values("period")[of_site]))
        centres = sorted(set(labels.get_level_values("centre")[of_site]))
        site_edges = np.asarray(edge_labels[0] == site) if len(edges) else np.zeros(0, bool)
        pairs = dict.fromkeys(
            zip(edge_labels[2][site_edges], edge_labels[3][site_edges], strict=True)
        )
        order = _order(site, centres, pairs)
        grid = pd.MultiIndex.from_product([[site], periods, order], names=keys)
        position = labels.get_indexer(grid)
        present = (position >= 0).reshape(len(periods), len(order)).T

        m = {
            flow: _matrix(mass_values[:, i], position, len(periods), len(order))
            for i, flow in enumerate(_MASS_FLOWS)
        }
        c = {
            category: _matrix(category_values[category], position, len(periods), len(order))
            for category in COST_CATEGORIES
        }
        result = _allocate_site(
            m,
            c,
            zip(
                *(level[site_edges] for level in edge_labels[1:]),
                edge_values[site_edges],
                strict=True,
            ),
            order,
            periods,
            allocation,
        )
        frame = pd.DataFrame({name: values[present] for name, values in result.items()})
        centre_idx, period_idx = np.nonzero(present)
        frame.insert(0, "centre", np.asarray(order)[centre_idx])
        frame.insert(0, "period", np.asarray(periods)[period_idx])
        frame.insert(0, "site", site)
        rows.append(frame)

    detail = (
        pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=list(DETAIL_COLUMNS))
    )
    detail = detail[list(DETAIL_COLUMNS)]
    off = detail["unaccounted_kg"].abs() > tolerance * detail["input_mass_kg"] + 1e-9
    flagged = detail.loc[off]
    for site, period, centre, input_kg, unaccounted_kg in zip(
        *(flagged[c].tolist() for c in ("site", "period", "centre")),
        flagged["input_mass_kg"].astype(float).tolist(),
        flagged["unaccounted_kg"].astype(float).tolist(),
        strict=True,
    ):
        warnings.append(
            BalanceWarning(
                site=str(site),
                period=str(period),
                centre=str(centre),
                input_kg=input_kg,
                output_kg=input_kg - unaccounted_kg,
                difference_kg=unaccounted_kg,
            )
        )
    return MfcaResult(
        detail=detail,
        centres=_by_centre(detail),
        total=_total(detail),
        warnings=warnings,
        allocation=allocation,
        tolerance=tolerance,
    )


def _matrix(values: Floats, position: np.ndarray, periods: int, centres: int) -> Floats:
    """``values`` of the groups at ``position`` (a site's period × centre grid, -1 where the
    group is absent) as [centre, period], 0 where absent or NaN."""
    taken = np.where(position >= 0, values[position], 0.0)
    matrix: Floats = np.nan_to_num(taken, nan=0.0).reshape(periods, centres).T
    return matrix


def _allocate_site(
    m: dict[str, np.ndarray],
    c: dict[str, np.ndarray],
    edges: Iterable[tuple[str, str, str, float]],
    order: list[str],
    periods: list[str],
    allocation: Allocation,
) -> dict[str, np.ndarray]:
    """Allocate one site's costs, centre by centre in transfer order; arrays [centre, period].

    edges : the site's transfers as (period, source centre, target centre, mass [kg]).
    """
    shape = m["material_in"].shape
    position = {centre: i for i, centre in enumerate(order)}
    period_pos = {period: j for j, period in enumerate(periods)}
    flow_matrix: dict[tuple[int, int], np.ndarray] = {}
    for period, source_name, target_name, value in edges:
        key = (position[source_name], position[target_name])
        flow_matrix.setdefault(key, np.zeros(shape[1]))[period_pos[period]] += value
    transfer_in = np.zeros(shape)
    for (_, target), values in flow_matrix.items():
        transfer_in[target] += values

    byproduct_is_loss = allocation.byproducts == "loss"
    input_mass = m["material_in"] + transfer_in
    measured_out = m["product_out"] + m["transfer"] + m["byproduct_out"] + m["waste_out"]
    unaccounted = input_mass - measured_out - m["stock_change"]
    product_mass = (
        m["product_out"] + m["transfer"] + (0 if byproduct_is_loss else m["byproduct_out"])
    )
    loss_mass = (
        m["waste_out"]
        + (m["byproduct_out"] if byproduct_is_loss else 0)
        + np.maximum(unaccounted, 0)
    )
    output_mass = product_mass + loss_mass
    share = np.divide(product_mass, output_mass, out=np.zeros(shape), where=output_mass > _MIN_MASS)
    has_product = product_mass > _MIN_MASS
    share = np.where(has_product, share, 0.0)

    out = {name: np.zeros(shape) for name in DETAIL_COLUMNS[3:]}
    carried_in = np.zeros(shape)
    for i in range(len(order)):
        material_total = c["material"][i] + carried_in[i]
        average = np.divide(
            material_total, input_mass[i], out=np.zeros(shape[1]), where=input_mass[i] > 0
        )
        stock_cost = m["stock_change"][i] * average
        allocable = {
            "material": material_total - stock_cost,
            **{k: c[k][i] for k in COST_CATEGORIES if k != "material"},
        }
        product_cost = np.zeros(shape[1])
        for category, amount in allocable.items():
            key = getattr(allocation, category)
            product_part = _split(amount, key, share[i], has_product[i])
            product_cost += product_part
            out[f"loss_{category}_eur"][i] = amount - product_part
        per_kg = np.divide(
            product_cost, product_mass[i], out=np.zeros(shape[1]), where=has_product[i]
        )
        for (source, target), values in flow_matrix.items():
            if source == i:
                carried_in[target] += values * per_kg
        out["transfer_in_cost_eur"][i] = carried_in[i]
        out["stock_cost_eur"][i] = stock_cost
        out["product_cost_eur"][i] = product_cost
        out["transfer_out_cost_eur"][i] = m["transfer"][i] * per_kg
        final_mass = m["product_out"][i] + (0 if byproduct_is_loss else m["byproduct_out"][i])
        out["final_product_cost_eur"][i] = final_mass * per_kg

    loss_cost = np.zeros(shape)
    for k in COST_CATEGORIES:
        loss_cost = loss_cost + out[f"loss_{k}_eur"]
    out["loss_cost_eur"] = loss_cost
    out.update(
        material_in_kg=m["material_in"],
        transfer_in_kg=transfer_in,
        input_mass_kg=input_mass,
        product_out_kg=m["product_out"],
        transfer_out_kg=m["transfer"],
        byproduct_kg=m["byproduct_out"],
        waste_kg=m["waste_out"],
        stock_change_kg=m["stock_change"],
        unaccounted_kg=unaccounted,
        product_mass_kg=product_mass,
        loss_mass_kg=loss_mass,
        **{f"{k}_cost_eur": c[k] for k in COST_CATEGORIES},
    )
    return out


def _by_centre(detail: pd.DataFrame) -> list[CentreCost]:
    if detail.empty:
        return []
    grouped = detail.groupby(["site", "centre"], sort=False).sum(numeric_only=True)
    sums = {name: grouped[name].to_numpy(float).tolist() for name in grouped.columns}
    labels = (grouped.index.get_level_values(n).astype(str) for n in ("site", "centre"))
    return [
        CentreCost(
            site=site,
            centre=centre,
            input_mass_t=sums["input_mass_kg"][i] / 1000,
            product_mass_t=sums["product_mass_kg"][i] / 1000,
            loss_mass_t=sums["loss_mass_kg"][i] / 1000,
            stock_change_t=sums["stock_change_kg"][i] / 1000,
            product_cost_eur=sums["product_cost_eur"][i],
            loss_cost_eur=sums["loss_cost_eur"][i],
            loss_cost_by_category={k: sums[f"loss_{k}_eur"][i] for k in COST_CATEGORIES},
        )
        for i, (site, centre) in enumerate(zip(*labels, strict=True))
    ]


def _total(detail: pd.DataFrame) -> MfcaTotal:
    product = float(detail["final_product_cost_eur"].sum())
    loss = float(detail["loss_cost_eur"].sum())
    stock = float(detail["stock_cost_eur"].sum())
    total = float(sum(detail[f"{k}_cost_eur"].sum() for k in COST_CATEGORIES))
    share = 100.0 * loss / (product + loss) if product + loss > 0 else float("nan")
    return MfcaTotal(
        product_cost_eur=product,
        loss_cost_eur=loss,
        stock_cost_eur=stock,
        total_cost_eur=total,
        loss_share=share,
    )
