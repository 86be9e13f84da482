"""The nodes and links of a Sankey diagram of a ledger's material or energy flows.

Material [t]: inputs (by material, else by category) and stock withdrawals → quantity
centre → next centre (transfers) → product, by-product, waste by treatment, stock increase
and unaccounted loss (the positive remainder of a centre's material balance). Energy
[MWh]: carrier → quantity centre. Links with the same ends are summed.

Node labels the ledger defines (energy carriers, material categories, products, waste
treatments, stock, loss) are translated; names the user wrote (materials, centres) are
shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kreislauf.i18n import DEFAULT_LANG, Lang, translate
from kreislauf.ledger.models import Ledger

SankeyKind = Literal["material", "energy"]
#: Unaccounted remainders below this share of a centre's input are rounding, not drawn [-].
MIN_UNACCOUNTED_SHARE = 1e-3


@dataclass(frozen=True)
class SankeyLink:
    """A flow from ``source`` to ``target`` node of ``value`` [t or MWh, see SankeyData]."""

    source: str
    target: str
    value: float


@dataclass(frozen=True)
class SankeyData:
    """Nodes in first-appearance order, links, the unit of every value, and a title."""

    nodes: list[str]
    links: list[SankeyLink]
    unit: str
    title: str


def sankey_data(
    ledger: Ledger,
    *,
    kind: SankeyKind = "material",
    site: str | None = None,
    period: str | None = None,
    lang: Lang = DEFAULT_LANG,
) -> SankeyData:
    """Links of material [t] or energy [MWh] flows, for one site/period or all.

    When the ledger spans several sites and none is chosen, centre nodes are named
    ``site: centre`` so that equally named centres of different sites stay apart.
    """
    flows = ledger.flows
    mask = np.ones(len(flows), bool)
    if site is not None:
        mask &= (flows["site"] == site).to_numpy(bool)
    if period is not None:
        mask &= (flows["period"] == period).to_numpy(bool)
    flows = flows.loc[mask]
    prefix_site = site is None and flows["site"].nunique() > 1

    def centre_name(frame: pd.DataFrame, column: str) -> pd.Series:
        names = frame[column].astype(str)
        return frame["site"].astype(str) + ": " + names if prefix_site else names

    parts: list[pd.DataFrame] = []

    def add(frame: pd.DataFrame, source: pd.Series, target: pd.Series, scale: float) -> None:
        if len(frame):
            parts.append(
                pd.DataFrame(
                    {
                        "source": source.to_numpy(),
                        "target": target.to_numpy(),
                        "value": frame["amount"].to_numpy() / scale,
                    }
                )
            )

    def constant(frame: pd.DataFrame, label: str) -> pd.Series:
        return pd.Series([label] * len(frame), index=frame.index)

    flow = flows["flow"]
    if kind == "energy":
        energy = flows[flow == "energy_in"]
        carriers = (
            energy["category"].astype(str).map(lambda c: translate(f"ledger.carrier.{c}", lang))
        )
        add(energy, carriers, centre_name(energy, "centre"), 1000)
        unit, title = "MWh", translate("ledger.sankey.title_energy", lang)
    else:
        inputs = flows[flow == "material_in"]
        category = (
            inputs["category"].astype(str).map(lambda c: translate(f"ledger.category.{c}", lang))
        )
        label = inputs["material"].astype(str).where(inputs["material"].notna(), category)
        add(inputs, label, centre_name(inputs, "centre"), 1000)
        withdrawn = flows[(flow == "stock_change") & (flows["amount"] < 0)]
        add(
            withdrawn.assign(amount=-withdrawn["amount"]),
            constant(withdrawn, translate("ledger.sankey.from_stock", lang)),
            centre_name(withdrawn, "centre"),
            1000,
        )
        transfers = flows[flow == "transfer"]
        add(transfers, centre_name(transfers, "centre"), centre_name(transfers, "to_centre"), 1000)
        for flow_kind, key in (("product_out", "product"), ("byproduct_out", "byproduct")):
            out = flows[flow == flow_kind]
            add(
                out,
                centre_name(out, "centre"),
                constant(out, translate(f"ledger.sankey.{key}", lang)),
                1000,
            )
        waste = flows[flow == "waste_out"]
        waste_label = translate("ledger.sankey.waste", lang)
        treatments = (
            waste["treatment"]
            .astype(str)
            .map(lambda t: f"{waste_label}: {translate(f'ledger.treatment.{t}', lang)}")
        )
        add(waste, centre_name(waste, "centre"), treatments, 1000)
        stock = flows[(flow == "stock_change") & (flows["amount"] > 0)]
        add(
            stock,
            centre_name(stock, "centre"),
            constant(stock, translate("ledger.sankey.stock", lang)),
            1000,
        )
        lost = _unaccounted(flows)
        add(
            lost,
            centre_name(lost, "centre"),
            constant(lost, translate("ledger.sankey.loss_unaccounted", lang)),
            1000,
        )
        unit, title = "t", translate("ledger.sankey.title_material", lang)

    if not parts:
        return SankeyData(nodes=[], links=[], unit=unit, title=title)
    table = pd.concat(parts, ignore_index=True)
    summed = table.groupby(["source", "target"], sort=False)["value"].sum().reset_index()
    links = [
        SankeyLink(str(s), str(t), float(v))
        for s, t, v in zip(summed["source"], summed["target"], summed["value"], strict=True)
        if v > 0
    ]
    nodes = list(dict.fromkeys(name for link in links for name in (link.source, link.target)))
    return SankeyData(nodes=nodes, links=links, unit=unit, title=title)


def _unaccounted(flows: pd.DataFrame) -> pd.DataFrame:
    """Per site and centre: the positive material-balance remainders of its periods [kg].

    Remainder = material_in + transfers in − product − transfers out − by-product − waste
    − stock change, per site, period and centre (as in :mod:`kreislauf.ledger.mfca`); only
    positive remainders are unmeasured outputs. Columns ``site``, ``centre``, ``amount``.
    """
    sign = {
        "material_in": 1.0,
        "transfer": -1.0,
        "product_out": -1.0,
        "byproduct_out": -1.0,
        "waste_out": -1.0,
        "stock_change": -1.0,
    }
    mass = flows[flows["flow"].isin(list(sign))]
    keys = ["site", "period", "centre"]
    signed = mass["amount"].to_numpy(float) * mass["flow"].astype(str).map(sign).to_numpy(float)
    frame = pd.DataFrame({k: mass[k].astype(str).to_numpy() for k in keys}).assign(
        amount=signed, inflow=np.where(mass["flow"].to_numpy() == "material_in", signed, 0.0)
    )
    transfers = mass[mass["flow"] == "transfer"]
    incoming = pd.DataFrame(
        {
            "site": transfers["site"].astype(str).to_numpy(),
            "period": transfers["period"].astype(str).to_numpy(),
            "centre": transfers["to_centre"].astype(str).to_numpy(),
            "amount": transfers["amount"].to_numpy(float),
            "inflow": transfers["amount"].to_numpy(float),
        }
    )
    balance = pd.concat([frame, incoming], ignore_index=True).groupby(keys, sort=False).sum()
    balance["amount"] = balance["amount"].clip(lower=0.0)
    per_centre = balance.groupby(level=["site", "centre"], sort=False).sum()
    keep = per_centre["amount"] > MIN_UNACCOUNTED_SHARE * per_centre["inflow"]
    return per_centre.loc[keep, ["amount"]].reset_index()
