"""Listings files for the exchange tests, written from rows."""

from __future__ import annotations

import csv
from pathlib import Path

from kreislauf.exchange.models import LISTING_COLUMNS, REQUEST_COLUMNS

LEVEL_1 = (
    "MainMaterialType",
    "TypeOfPackaging",
    "ColorByVisualInspection",
    "Form",
    "TradeName",
    "RecycledContent",
    "Viscosity",
)


def offer(listing_id: str, **cells: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": listing_id,
        "side": "offer",
        "company": f"Firma {listing_id}",
        "material": "PP",
        "quantity_t": 10,
        "interval": "once",
        "price_eur_per_t": 400,
        "lat": 51.34,
        "lon": 12.37,
        "ewc_code": "07 02 13",
        "valid_from": "",
        "valid_to": "",
    }
    row.update(cells)
    return row


def request(listing_id: str, **cells: object) -> dict[str, object]:
    row = offer(listing_id, side="request", price_eur_per_t="", ewc_code="")
    row.update({"min_dql": "", "max_price_eur_per_t": "", "max_distance_km": ""})
    row.update(cells)
    return row


def write_listings(path: Path, rows: list[dict[str, object]]) -> Path:
    """A CSV with the import format's columns and every extra column the rows name."""
    columns = list(LISTING_COLUMNS) + list(REQUEST_COLUMNS)
    for row in rows:
        columns += [c for c in row if c not in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path
