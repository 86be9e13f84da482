"""Plain pandas: the eight sum-based ledger KPIs by site and period of a canonical CSV.

    python benchmarks/compare/ledger_kpis_pandas.py LEDGER.csv OUT.json

What a data engineer would write: read the CSV, convert the units to kg / kWh / m³, one
group-by. No validation, no MFCA (``material_loss_cost_eur`` is left out; see
docs/performance.md). Output: ``{"site|period|kpi": value}`` (NaN as null).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

TO_BASE = {"kg": 1.0, "t": 1000.0, "kWh": 1.0, "MWh": 1000.0, "m3": 1.0, "l": 0.001}


def kpis(path: str) -> dict[str, float | None]:
    frame = pd.read_csv(
        path,
        usecols=["site", "period", "flow", "quantity", "unit", "recycled_share", "treatment"],
        dtype={"site": str, "period": str, "flow": str, "unit": str, "treatment": str},
        keep_default_na=False,
        na_values={"quantity": [""], "recycled_share": [""]},
    )
    amount = (frame["quantity"] * frame["unit"].map(TO_BASE)).fillna(0.0)
    flow = frame["flow"]
    material = flow == "material_in"
    waste = flow == "waste_out"
    parts = pd.DataFrame(
        {
            "site": frame["site"],
            "period": frame["period"],
            "material": amount.where(material, 0.0),
            "recycled": (amount * frame["recycled_share"]).where(material, 0.0),
            "product": amount.where(flow == "product_out", 0.0),
            "waste": amount.where(waste, 0.0),
            "waste_recycled": amount.where(waste & (frame["treatment"] == "recycling"), 0.0),
            "energy": amount.where(flow == "energy_in", 0.0),
            "water": amount.where(flow == "water_in", 0.0),
        }
    )
    s = parts.groupby(["site", "period"], sort=True).sum()
    material_, waste_, product_ = (s[k].where(s[k] > 0) for k in ("material", "waste", "product"))
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "material_input_t": s["material"] / 1000,
                "recycled_input_share": 100 * s["recycled"] / material_,
                "material_yield": 100 * s["product"] / material_,
                "waste_ratio": 100 * s["waste"] / material_,
                "waste_recycling_rate": 100 * s["waste_recycled"] / waste_,
                "energy_use_mwh": s["energy"] / 1000,
                "specific_energy_kwh_per_t": 1000 * s["energy"] / product_,
                "water_intensity_m3_per_t": 1000 * s["water"] / product_,
            }
        )
    long = table.stack(future_stack=True)
    return {
        f"{site}|{period}|{kpi}": None if np.isnan(v) else float(v)
        for (site, period, kpi), v in long.items()
    }


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(kpis(sys.argv[1])), encoding="utf-8")
