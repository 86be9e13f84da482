"""Plain scipy: raw-material footprint of each product of a BOM via one sparse solve.

    python benchmarks/compare/pcf_scipy.py BOM.csv FACTORS.csv OUT.json

The supply vector x (quantity of every item per product unit) solves ``(I − Q) x = e``
with ``Q[component, parent]`` = quantity per parent unit; the raw-material stage is
``Σ_leaves x · m · ((1 − r) f + r f_recycled)``. No validation, no processing or waste
stage (kreislauf computes those from the ledger as well; see docs/performance.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import spsolve

TO_BASE = {"g": 0.001, "kg": 1.0, "t": 1000.0}


def read_inputs(bom_path: str, factor_path: str) -> tuple[pd.DataFrame, pd.Series]:
    bom = pd.read_csv(bom_path, dtype=str, keep_default_na=False)
    factors = pd.read_csv(factor_path, dtype={"key": str}).set_index("key")["value"]
    return bom, factors


def leaf_emissions(bom: pd.DataFrame, factors: pd.Series, items: pd.Index) -> np.ndarray:
    """Direct raw-material emissions per unit of every item [kg CO2e] (0 for non-leaves)."""
    first = bom.drop_duplicates("component").set_index("component")
    leaves = items.difference(pd.Index(bom["parent"].unique()))
    rows = first.loc[leaves]
    mass = pd.to_numeric(rows["mass_kg"], errors="coerce").fillna(1.0)
    share = pd.to_numeric(rows["recycled_share"], errors="coerce").fillna(0.0)
    key = rows["factor_key"].where(rows["factor_key"] != "", rows.index.to_series())
    virgin = factors.reindex(key).to_numpy()
    recycled = factors.reindex(key + ":recycled").fillna(0.0).to_numpy()
    direct = np.zeros(len(items))
    direct[items.get_indexer(leaves)] = mass.to_numpy() * (
        (1 - share.to_numpy()) * virgin + share.to_numpy() * recycled
    )
    return direct


def footprints(bom_path: str, factor_path: str) -> dict[str, float]:
    bom, factors = read_inputs(bom_path, factor_path)
    codes, items = pd.factorize(pd.concat([bom["parent"], bom["component"]], ignore_index=True))
    parent, child = codes[: len(bom)], codes[len(bom) :]
    scale = bom["unit"].map(TO_BASE).fillna(1.0).to_numpy()
    quantity = bom["quantity"].astype(float).to_numpy() * scale
    n = len(items)
    q = sparse.csc_matrix((quantity, (child, parent)), shape=(n, n))
    system = (sparse.identity(n, format="csc") - q).tocsc()
    direct = leaf_emissions(bom, factors, pd.Index(items))
    roots = pd.Index(items).difference(pd.Index(bom["component"].unique()))
    result = {}
    for root in roots:
        demand = np.zeros(n)
        demand[items.get_loc(root)] = 1.0
        supply = spsolve(system, demand)
        result[str(root)] = float(supply @ direct)
    return result


if __name__ == "__main__":
    Path(sys.argv[3]).write_text(json.dumps(footprints(sys.argv[1], sys.argv[2])), encoding="utf-8")
