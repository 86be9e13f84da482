"""Benchmark: PCF rollup of a 100,000-node bill of materials (target < 1 s, issue 4).

    .venv/bin/python benchmarks/carbon_pcf.py [--nodes 100000] [--repeat 5]

A synthetic BOM (fixed seed): one product, levels of growing width down to the purchased
materials (50 factor keys, 30 % of them with a recycled share), 20 producing centres;
every item below the product has one parent, 20 % have a second parent (shared parts, a
DAG, not a tree). The CSV is written to a temporary file; reading + validating it and the
rollup (ordering, ledger intensities, factors, supply vector, breakdown) are timed
separately, best of ``--repeat`` runs, in one process.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CENTRES = 20
MATERIALS = 50


def bom_frame(nodes: int, seed: int = 4) -> pd.DataFrame:
    """A BOM with ``nodes`` items and about 1.2 × nodes rows."""
    rng = np.random.default_rng(seed)
    widths = [1]
    while sum(widths) < nodes:
        widths.append(min(widths[-1] * 8, nodes - sum(widths)))
    starts = np.cumsum([0, *widths])
    parents, children = [], []
    for level in range(1, len(widths)):
        above = np.arange(starts[level - 1], starts[level])
        here = np.arange(starts[level], starts[level + 1])
        if level < len(widths) - 1:
            # non-leaf levels: every item above gets at least one child
            first = np.concatenate([above, rng.choice(above, len(here) - len(above))])
        else:
            # the last level holds the leaves; attach them only to items of the level above
            first = rng.choice(above, len(here))
        parents.append(first[: len(here)])
        children.append(here)
        shared = rng.random(len(here)) < 0.2
        parents.append(rng.choice(above, shared.sum()))
        children.append(here[shared])
    parent, child = np.concatenate(parents), np.concatenate(children)
    names = np.array([f"I{i}" for i in range(nodes)], dtype=object)
    is_leaf = np.ones(nodes, dtype=bool)
    is_leaf[parent] = False
    frame = pd.DataFrame(
        {
            "parent": names[parent],
            "component": names[child],
            "quantity": np.round(rng.uniform(0.1, 3.0, len(parent)), 3),
            "unit": np.where(is_leaf[child], "kg", "pcs"),
            "process_centre": [f"C{i % CENTRES}" for i in parent],
            "primary_data": np.where(rng.random(len(parent)) < 0.1, "true", ""),
            "recycled_share": "",
            "mass_kg": np.where(is_leaf[child], "", np.round(rng.uniform(0.05, 2, len(parent)), 3)),
            "factor_key": np.where(is_leaf[child], [f"mat{i % MATERIALS}" for i in child], ""),
        }
    )
    # attributes of an item must agree on all its rows: take the first row's values
    for column in ("mass_kg", "factor_key"):
        frame[column] = frame.groupby("component")[column].transform("first")
    frame["primary_data"] = frame.groupby("component")["primary_data"].transform("first")
    return frame


def ledger_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i in range(CENTRES):
        c = f"C{i}"
        rows += [
            dict(
                period="2024",
                site="S",
                centre=c,
                flow="material_in",
                material=f"mat{i}",
                category="raw",
                quantity=100,
                unit="t",
                recycled_share=0.2,
            ),
            dict(
                period="2024",
                site="S",
                centre=c,
                flow="energy_in",
                category="electricity",
                quantity=50 + i,
                unit="MWh",
            ),
            dict(
                period="2024",
                site="S",
                centre=c,
                flow="energy_in",
                category="natural_gas",
                quantity=20,
                unit="MWh",
            ),
            dict(
                period="2024",
                site="S",
                centre=c,
                flow="waste_out",
                material="scrap",
                quantity=5,
                unit="t",
                treatment="recycling",
            ),
            dict(
                period="2024",
                site="S",
                centre=c,
                flow="product_out",
                material="p",
                quantity=95,
                unit="t",
            ),
        ]
    return rows


def factor_csv() -> str:
    lines = ["key,value,unit,scope,category,source,year,region"]
    for m in range(MATERIALS):
        lines.append(f"mat{m},{1 + m / 25:.2f},kg CO2e / kg,3,1,bench,2024,DE")
        lines.append(f"mat{m}:recycled,0.4,kg CO2e / kg,3,1,bench,2024,DE")
    lines.append("waste:recycling,0.02,kg CO2e / kg,3,5,bench,2024,DE")
    return "\n".join(lines) + "\n"


def main() -> None:
    from kreislauf.carbon.bom import bom_order, read_bom
    from kreislauf.carbon.factors import read_factors
    from kreislauf.carbon.pcf import product_footprints
    from kreislauf.ledger import build_ledger
    from kreislauf.ledger.models import CANONICAL_COLUMNS

    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    frame = bom_frame(args.nodes)
    ledger = build_ledger(
        pd.DataFrame([{c: r.get(c) for c in CANONICAL_COLUMNS} for r in ledger_rows()]),
        source="synthetic",
    )
    with tempfile.TemporaryDirectory() as folder:
        bom_path, factor_path = Path(folder) / "bom.csv", Path(folder) / "factors.csv"
        frame.to_csv(bom_path, index=False)
        factor_path.write_text(factor_csv(), encoding="utf-8")
        factors = read_factors(factor_path)
        read_times, order_times, rollup_times = [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            bom = read_bom(bom_path)
            read_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            order = bom_order(bom)
            order_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            [result] = product_footprints(bom, ledger, factors)
            rollup_times.append(time.perf_counter() - start)
        size = bom_path.stat().st_size / 1e6
    print(
        f"BOM: {len(bom.items):,} items, {len(bom.parent):,} rows ({size:.1f} MB), "
        f"{order.depth} levels"
    )
    print(
        f"PCF of {result.product}: {result.total_kg:,.1f} kg CO2e, "
        f"primary share {100 * result.primary_share:.1f} %, "
        f"{len(result.components):,} components"
    )
    print(f"read + validate CSV: {min(read_times):.3f} s (best of {args.repeat})")
    print(f"order (Kahn levels): {min(order_times):.3f} s")
    print(f"rollup incl. ordering, factors, breakdown: {min(rollup_times):.3f} s")
    print(f"total read + rollup: {min(read_times) + min(rollup_times):.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
