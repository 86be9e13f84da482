"""The ledger engine's per-row code before issue 21's vectorisation, kept as the oracle.

Only the tests import this module: ``test_engine_oracle.py`` checks on generated ledgers
that the vectorised :func:`kreislauf.ledger.validate._check_transfers`,
:func:`~kreislauf.ledger.validate.row_identity` and :func:`kreislauf.ledger.mfca.mfca_balance`
give exactly what this code gave (same problems and messages, same hashes, same figures).
``sums`` is :func:`kreislauf.ledger.kpis._sums` before its flow kinds were compared by
category and its parts frame was built without a consolidated copy (main at 8d07ef4).
Copied from main at b8866d0 (src/kreislauf/ledger/validate.py and mfca.py), unchanged
except for names and for the transfers handed to ``_allocate_site``, which now takes them
as (period, source, target, mass) tuples (``_edges`` makes them from the old Series).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kreislauf.errors import CyclicTransfers, MissingValue, UnknownCentre
from kreislauf.i18n import msg
from kreislauf.ledger.kpis import ALL
from kreislauf.ledger.mfca import (
    _COST_OF_FLOW,
    _MASS_FLOWS,
    COST_CATEGORIES,
    DETAIL_COLUMNS,
    Allocation,
    BalanceWarning,
    MfcaResult,
    _allocate_site,
    _by_centre,
    _total,
)
from kreislauf.ledger.models import Ledger
from kreislauf.ledger.validate import _IDENTITY_COLUMNS, _IDENTITY_DECIMALS, _Problems


def check_transfers(table: dict[str, Any], transfers: np.ndarray, problems: _Problems) -> None:
    to_centre = table["to_centre"]
    problems.add(
        MissingValue,
        transfers & to_centre.isna().to_numpy(),
        column="to_centre",
        cells=None,
        expected=msg("ledger.expected.to_centre"),
    )
    rows = np.flatnonzero(transfers & to_centre.notna().to_numpy())
    if not len(rows):
        return
    site, centre = table["site"].astype(str), table["centre"].astype(str)
    present = pd.MultiIndex.from_arrays([site, centre]).unique()
    targets = pd.MultiIndex.from_arrays([site.iloc[rows], to_centre.astype(str).iloc[rows]])
    unknown = np.zeros(len(site), bool)
    unknown[rows] = ~targets.isin(present)
    for site_name in pd.unique(site[unknown]):
        available = ", ".join(sorted(centre[site == site_name].dropna().unique()))
        problems.add(
            UnknownCentre,
            unknown & (site == site_name).to_numpy(),
            column="to_centre",
            cells=to_centre,
            site=site_name,
            available=available,
        )


def row_identity(flows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    content = flows[list(_IDENTITY_COLUMNS)].copy()
    for column in ("amount", "cost_eur", "recycled_share"):
        content[column] = np.round(content[column].to_numpy(dtype=float), _IDENTITY_DECIMALS)
    hashes = pd.util.hash_pandas_object(content, index=False).to_numpy(dtype=np.uint64)
    occurrence = pd.Series(hashes).groupby(hashes).cumcount().to_numpy(dtype=np.int64)
    return hashes, occurrence


def transfer_order(ledger: Ledger, site: str) -> list[str]:
    flows = ledger.flows[ledger.flows["site"] == site]
    centres = sorted(flows["centre"].astype(str).unique())
    edges = (
        flows.loc[flows["flow"] == "transfer", ["centre", "to_centre"]]
        .astype(str)
        .drop_duplicates()
    )
    successors: dict[str, set[str]] = {c: set() for c in centres}
    indegree = dict.fromkeys(centres, 0)
    for source, target in edges.itertuples(index=False):
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


def _matrix(series: pd.Series, grid: pd.MultiIndex) -> np.ndarray:
    periods, centres = (len(level) for level in grid.levels[1:])
    values = series.reindex(grid, fill_value=0.0).fillna(0.0).to_numpy(float)
    return values.reshape(periods, centres).T


def _edges(site_edges: pd.Series) -> list[tuple[str, str, str, float]]:
    """The old ``_allocate_site`` read its edges from the Series; the same tuples."""
    levels = (
        site_edges.index.get_level_values(n).astype(str) for n in ("period", "centre", "to_centre")
    )
    return list(zip(*levels, site_edges.to_numpy(float), strict=True))


def mfca_balance(
    ledger: Ledger, *, allocation: Allocation | None = None, tolerance: float = 0.02
) -> MfcaResult:
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

    rows: list[pd.DataFrame] = []
    warnings: list[BalanceWarning] = []
    for site in ledger.sites:
        site_index = mass.index[mass.index.get_level_values("site") == site]
        periods = sorted(site_index.get_level_values("period").unique().astype(str))
        order = transfer_order(ledger, site)
        grid = pd.MultiIndex.from_product([[site], periods, order], names=keys)
        present = grid.isin(site_index).reshape(len(periods), len(order)).T

        m = {flow: _matrix(mass[flow], grid) for flow in _MASS_FLOWS}
        c = {category: _matrix(category_cost[category], grid) for category in COST_CATEGORIES}
        site_edges = edges[edges.index.get_level_values("site") == site] if len(edges) else edges
        result = _allocate_site(m, c, _edges(site_edges), order, periods, allocation)
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


def sums(ledger: Ledger, by: tuple[str, ...]) -> pd.DataFrame:
    flows = ledger.flows
    flow = flows["flow"].to_numpy()
    amount = np.nan_to_num(flows["amount"].to_numpy(float))
    material = flow == "material_in"
    waste = flow == "waste_out"
    parts = pd.DataFrame(
        {
            "material_kg": np.where(material, amount, 0.0),
            "recycled_kg": np.where(
                material, amount * flows["recycled_share"].to_numpy(float), 0.0
            ),
            "product_kg": np.where(flow == "product_out", amount, 0.0),
            "waste_kg": np.where(waste, amount, 0.0),
            "waste_recycled_kg": np.where(
                waste & (flows["treatment"] == "recycling").to_numpy(bool), amount, 0.0
            ),
            "energy_kwh": np.where(flow == "energy_in", amount, 0.0),
            "water_m3": np.where(flow == "water_in", amount, 0.0),
        }
    )
    if not by:
        return parts.sum().to_frame().T.set_index(pd.Index([ALL], name="all"))
    keys = [flows[k].cat.set_categories(sorted(flows[k].cat.categories)) for k in by]
    result = parts.groupby(keys, observed=True, sort=True).sum()
    result.index = result.index.set_names(list(by))
    return result
