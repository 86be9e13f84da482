"""Generate the SYNTHETIC exchange network example: listings and 5 years of monthly history.

Everything is invented: the companies, their locations (scattered around real towns of
central Germany), prices and quantities. Fixed seed, so the files are the same on every run:

    .venv/bin/python examples/exchange-network/generate.py
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from kreislauf.exchange import default_rules

SEED = 18065
HERE = Path(__file__).parent
HEADER = "# SYNTHETIC example data (kreislauf examples/exchange-network/generate.py, seed 18065)"
TOWNS = {
    "Leipzig": (51.340, 12.375),
    "Halle": (51.483, 11.970),
    "Dresden": (51.050, 13.738),
    "Chemnitz": (50.833, 12.925),
    "Zwickau": (50.718, 12.496),
    "Jena": (50.927, 11.586),
    "Erfurt": (50.978, 11.029),
    "Dessau": (51.835, 12.246),
}
#: Material, EWC/AVV code of the waste, typical price of a recyclate [EUR/t].
MATERIALS = {
    "PP": ("07 02 13", 650),
    "PE-LD": ("15 01 02", 520),
    "PE-HD": ("15 01 02", 600),
    "PET": ("15 01 02", 700),
    "PS": ("07 02 13", 480),
    "ABS": ("16 01 19", 900),
}
COLUMNS = [
    "id",
    "side",
    "company",
    "material",
    "quantity_t",
    "interval",
    "price_eur_per_t",
    "lat",
    "lon",
    "ewc_code",
    "valid_from",
    "valid_to",
    "min_dql",
    "max_price_eur_per_t",
    "max_distance_km",
]


def _location(rng: np.random.Generator) -> tuple[str, float, float]:
    town = str(rng.choice(list(TOWNS)))
    lat, lon = TOWNS[town]
    return town, round(lat + rng.normal(0, 0.05), 4), round(lon + rng.normal(0, 0.07), 4)


def listings(rng: np.random.Generator) -> list[dict[str, object]]:
    rules = default_rules()
    elements = list(rules.names)
    rows: list[dict[str, object]] = []
    for n in range(1, 41):
        material = str(rng.choice(list(MATERIALS)))
        code, price = MATERIALS[material]
        town, lat, lon = _location(rng)
        level = int(rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4]))
        present = set(rules.required_up_to(level))
        # some listings carry part of the next level already
        present |= {e for e in elements if e not in present and rng.random() < 0.15}
        interval = str(rng.choice(["once", "once", "month", "quarter", "year"]))
        per = {"once": 1, "month": 1, "quarter": 3, "year": 12}[interval]
        row: dict[str, object] = {
            "id": f"A{n:03d}",
            "side": "offer",
            "company": f"Recycler {town} {n:02d} GmbH",
            "material": material,
            "quantity_t": round(float(rng.uniform(2, 40)) * per, 1),
            "interval": interval,
            "price_eur_per_t": round(price * float(rng.uniform(0.75, 1.2)) + 40 * level, 0),
            "lat": lat,
            "lon": lon,
            "ewc_code": code,
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
        }
        row.update({e: "yes" if e in present else "" for e in elements})
        rows.append(row)
    for n in range(1, 31):
        material = str(rng.choice(list(MATERIALS)))
        _, price = MATERIALS[material]
        town, lat, lon = _location(rng)
        interval = str(rng.choice(["once", "month", "month", "quarter"]))
        per = {"once": 1, "month": 1, "quarter": 3}[interval]
        rows.append(
            {
                "id": f"G{n:03d}",
                "side": "request",
                "company": f"Verarbeiter {town} {n:02d} AG",
                "material": material,
                "quantity_t": round(float(rng.uniform(2, 30)) * per, 1),
                "interval": interval,
                "price_eur_per_t": "",
                "lat": lat,
                "lon": lon,
                "ewc_code": "",
                "valid_from": "2026-01-01",
                "valid_to": "2026-12-31",
                "min_dql": int(rng.choice([0, 1, 2, 2, 3])),
                "max_price_eur_per_t": round(price * float(rng.uniform(0.9, 1.4)), 0),
                "max_distance_km": int(rng.choice([50, 100, 150, 250])),
            }
        )
    return rows


def history(rng: np.random.Generator) -> list[tuple[str, str, float]]:
    """60 months (2021-01 … 2025-12) per material × region: seasonal, trending, lumpy."""
    rows: list[tuple[str, str, float]] = []
    months = [f"{2021 + m // 12}-{m % 12 + 1:02d}" for m in range(60)]
    regions = ("Leipzig", "Halle", "Dresden", "Chemnitz")
    for material in MATERIALS:
        for region in regions:
            kind = str(rng.choice(["seasonal", "trend", "lumpy"], p=[0.45, 0.3, 0.25]))
            level = float(rng.uniform(10, 80))
            amplitude = float(rng.uniform(0.15, 0.45))
            phase = float(rng.uniform(0, 2 * math.pi))
            for m, month in enumerate(months):
                season = 1 + amplitude * math.sin(2 * math.pi * m / 12 + phase)
                if kind == "seasonal":
                    mean = level * season
                elif kind == "trend":
                    mean = level * (1 + 0.012 * m) * season
                else:
                    mean = level * 0.4 * season if rng.random() < 0.35 else 0.0
                quantity = float(rng.gamma(8, mean / 8)) if mean > 0 else 0.0
                rows.append((f"{material}-{region}", month, round(quantity, 1)))
    return rows


def main(out: Path = HERE) -> None:
    """Write ``listings.csv`` and ``history.csv`` into ``out``."""
    rng = np.random.default_rng(SEED)
    rows = listings(rng)
    columns = COLUMNS + list(default_rules().names)
    with (out / "listings.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "\n")
        writer = csv.DictWriter(handle, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with (out / "history.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "\n")
        writer_h = csv.writer(handle, lineterminator="\n")
        writer_h.writerow(["series_id", "period", "quantity_t"])
        writer_h.writerows(history(rng))


if __name__ == "__main__":
    main()
