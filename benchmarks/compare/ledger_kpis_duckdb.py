"""Plain DuckDB SQL: the eight sum-based ledger KPIs by site and period (as the pandas one).

    python benchmarks/compare/ledger_kpis_duckdb.py LEDGER.csv OUT.json

Needs the ``bench`` extra (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import duckdb

QUERY = """
WITH rows AS (
  SELECT site, period, flow, treatment, recycled_share,
         coalesce(quantity * CASE unit WHEN 'kg' THEN 1.0 WHEN 't' THEN 1000.0
                                       WHEN 'kWh' THEN 1.0 WHEN 'MWh' THEN 1000.0
                                       WHEN 'm3' THEN 1.0 WHEN 'l' THEN 0.001 END, 0.0) AS amount
  FROM read_csv(?, header = true, types = {'site': 'VARCHAR', 'period': 'VARCHAR',
                                          'unit': 'VARCHAR', 'treatment': 'VARCHAR'})
), sums AS (
  SELECT site, period,
    sum(CASE WHEN flow = 'material_in' THEN amount ELSE 0 END) AS material,
    sum(CASE WHEN flow = 'material_in' THEN amount * recycled_share ELSE 0 END) AS recycled,
    sum(CASE WHEN flow = 'product_out' THEN amount ELSE 0 END) AS product,
    sum(CASE WHEN flow = 'waste_out' THEN amount ELSE 0 END) AS waste,
    sum(CASE WHEN flow = 'waste_out' AND treatment = 'recycling' THEN amount ELSE 0 END) AS wr,
    sum(CASE WHEN flow = 'energy_in' THEN amount ELSE 0 END) AS energy,
    sum(CASE WHEN flow = 'water_in' THEN amount ELSE 0 END) AS water
  FROM rows GROUP BY site, period
)
SELECT site, period,
  material / 1000 AS material_input_t,
  CASE WHEN material > 0 THEN 100 * recycled / material END AS recycled_input_share,
  CASE WHEN material > 0 THEN 100 * product / material END AS material_yield,
  CASE WHEN material > 0 THEN 100 * waste / material END AS waste_ratio,
  CASE WHEN waste > 0 THEN 100 * wr / waste END AS waste_recycling_rate,
  energy / 1000 AS energy_use_mwh,
  CASE WHEN product > 0 THEN 1000 * energy / product END AS specific_energy_kwh_per_t,
  CASE WHEN product > 0 THEN 1000 * water / product END AS water_intensity_m3_per_t
FROM sums ORDER BY site, period
"""


def kpis(path: str) -> dict[str, float | None]:
    cursor = duckdb.connect().execute(QUERY, [path])
    names = [d[0] for d in cursor.description][2:]
    result: dict[str, float | None] = {}
    for site, period, *values in cursor.fetchall():
        for kpi, value in zip(names, values, strict=True):
            result[f"{site}|{period}|{kpi}"] = (
                None if value is None or math.isnan(value) else float(value)
            )
    return result


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(kpis(sys.argv[1])), encoding="utf-8")
