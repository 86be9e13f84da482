"""Plain polars: the eight sum-based ledger KPIs by site and period (as ledger_kpis_pandas).

    python benchmarks/compare/ledger_kpis_polars.py LEDGER.csv OUT.json

Needs the ``bench`` extra (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import polars as pl

TO_BASE = {"kg": 1.0, "t": 1000.0, "kWh": 1.0, "MWh": 1000.0, "m3": 1.0, "l": 0.001}
KPIS = (
    "material_input_t",
    "recycled_input_share",
    "material_yield",
    "waste_ratio",
    "waste_recycling_rate",
    "energy_use_mwh",
    "specific_energy_kwh_per_t",
    "water_intensity_m3_per_t",
)


def _ratio(numerator: pl.Expr, denominator: str, factor: float) -> pl.Expr:
    return pl.when(pl.col(denominator) > 0).then(factor * numerator / pl.col(denominator))


def kpis(path: str) -> dict[str, float | None]:
    frame = pl.scan_csv(
        path,
        schema_overrides={"site": pl.String, "period": pl.String, "unit": pl.String},
    ).select("site", "period", "flow", "quantity", "unit", "recycled_share", "treatment")
    amount = (pl.col("quantity") * pl.col("unit").replace_strict(TO_BASE, default=None)).fill_null(
        0.0
    )
    flow = pl.col("flow")

    def part(condition: pl.Expr, value: pl.Expr = amount) -> pl.Expr:
        return pl.when(condition).then(value).otherwise(0.0).sum()

    sums = (
        frame.group_by("site", "period")
        .agg(
            part(flow == "material_in").alias("material"),
            part(flow == "material_in", amount * pl.col("recycled_share")).alias("recycled"),
            part(flow == "product_out").alias("product"),
            part(flow == "waste_out").alias("waste"),
            part((flow == "waste_out") & (pl.col("treatment") == "recycling")).alias("wr"),
            part(flow == "energy_in").alias("energy"),
            part(flow == "water_in").alias("water"),
        )
        .select(
            "site",
            "period",
            (pl.col("material") / 1000).alias(KPIS[0]),
            _ratio(pl.col("recycled"), "material", 100).alias(KPIS[1]),
            _ratio(pl.col("product"), "material", 100).alias(KPIS[2]),
            _ratio(pl.col("waste"), "material", 100).alias(KPIS[3]),
            _ratio(pl.col("wr"), "waste", 100).alias(KPIS[4]),
            (pl.col("energy") / 1000).alias(KPIS[5]),
            _ratio(pl.col("energy"), "product", 1000).alias(KPIS[6]),
            _ratio(pl.col("water"), "product", 1000).alias(KPIS[7]),
        )
        .sort("site", "period")
        .collect()
    )
    result: dict[str, float | None] = {}
    for row in sums.iter_rows(named=True):
        for kpi in KPIS:
            value = row[kpi]
            result[f"{row['site']}|{row['period']}|{kpi}"] = (
                None if value is None or math.isnan(value) else float(value)
            )
    return result


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(kpis(sys.argv[1])), encoding="utf-8")
