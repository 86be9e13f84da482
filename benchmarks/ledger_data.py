"""Synthetic ledgers for the ledger benchmarks (random but valid; not a realistic company).

``write_ledger_csv(path, rows=..., sites=..., centres_per_site=..., periods=...)`` writes a
canonical CSV whose centres form one transfer chain per site, so the MFCA has real work.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

_KINDS = np.array(
    ["material_in", "transfer", "product_out", "waste_out", "energy_in", "water_in", "system_cost"]
)
_WEIGHTS = np.array([0.3, 0.15, 0.1, 0.15, 0.15, 0.05, 0.1])
_UNIT_CHOICES = {
    "material_in": ["kg", "t"],
    "transfer": ["kg", "t"],
    "product_out": ["kg", "t"],
    "waste_out": ["kg", "t"],
    "energy_in": ["kWh", "MWh"],
    "water_in": ["m3", "l"],
    "system_cost": [""],
}


def ledger_frame(
    rows: int, *, sites: int = 10, centres_per_site: int = 20, periods: int = 36, seed: int = 1
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    kind = rng.choice(_KINDS, size=rows, p=_WEIGHTS)
    site = rng.integers(0, sites, rows)
    centre = rng.integers(0, centres_per_site, rows)
    # the last centre of a chain has nowhere to transfer to: make it a product instead
    kind = np.where((kind == "transfer") & (centre == centres_per_site - 1), "product_out", kind)
    start = pd.Period("2022-01", "M")
    period = np.array([str(start + i) for i in range(periods)])[rng.integers(0, periods, rows)]
    unit = np.empty(rows, dtype=object)
    for name, choices in _UNIT_CHOICES.items():
        mask = kind == name
        unit[mask] = np.array(choices, dtype=object)[rng.integers(0, len(choices), mask.sum())]
    quantity = np.round(rng.uniform(1, 1000, rows), 3)
    frame = pd.DataFrame(
        {
            "period": period,
            "site": np.char.add("Werk ", site.astype(str)),
            "centre": np.char.add("KS", centre.astype(str)),
            "flow": kind,
            "material": np.where(kind == "material_in", "PP", ""),
            "category": np.select(
                [kind == "material_in", kind == "energy_in"], ["raw", "electricity"], ""
            ),
            "quantity": np.where(kind == "system_cost", np.nan, quantity),
            "unit": unit,
            "cost_eur": np.round(rng.uniform(0, 5000, rows), 2),
            "recycled_share": np.where(
                kind == "material_in", np.round(rng.uniform(0, 1, rows), 2), np.nan
            ),
            "treatment": np.where(kind == "waste_out", "recycling", ""),
            "to_centre": np.where(
                kind == "transfer", np.char.add("KS", (centre + 1).astype(str)), ""
            ),
            "note": "",
        }
    )
    return frame


def write_ledger_csv(path: Path, rows: int, **options: int) -> Path:
    ledger_frame(rows, **options).to_csv(path, index=False)
    return path
