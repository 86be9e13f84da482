"""A small ledger, factor file and BOM worked by hand in test_pcf.py and test_measures.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kreislauf.carbon.factors import FactorLibrary, read_factors
from kreislauf.ledger import Ledger, build_ledger
from kreislauf.ledger.models import CANONICAL_COLUMNS

EXAMPLE = Path(__file__).parents[2] / "examples" / "demo-company"

FACTORS_CSV = """key,value,unit,scope,category,source,year,region
PP,2.0,kg CO2e / kg,3,1,test,2024,DE
PP:recycled,0.5,kg CO2e / kg,3,1,test,2024,DE
Steel,1.5,kg CO2e / kg,3,1,test,2024,DE
Steel:recycled,0.4,kg CO2e / kg,3,1,test,2024,DE
Screw,3.0,kg CO2e / kg,3,1,supplier PCF,2024,DE
electricity,0.4,kg CO2e / kWh,2,electricity,test,2024,DE
natural_gas,0.2,kg CO2e / kWh,1,stationary_combustion,test,2024,DE
waste:recycling,0.05,kg CO2e / kg,3,5,test,2024,DE
waste:disposal,0.5,kg CO2e / kg,3,5,test,2024,DE
"""

P = "2024"


def _row(centre: str, flow: str, **values: object) -> dict[str, object]:
    return {"period": P, "site": "S", "centre": centre, "flow": flow, **values}


LEDGER_ROWS: list[dict[str, object]] = [
    _row(
        "Moulding",
        "material_in",
        material="PP",
        category="raw",
        quantity=1000,
        unit="kg",
        cost_eur=2000,
        recycled_share=0.2,
    ),
    _row("Moulding", "energy_in", category="electricity", quantity=2, unit="MWh", cost_eur=500),
    _row("Moulding", "energy_in", category="natural_gas", quantity=500, unit="kWh", cost_eur=50),
    _row(
        "Moulding",
        "waste_out",
        material="sprues",
        quantity=100,
        unit="kg",
        cost_eur=10,
        treatment="recycling",
    ),
    _row(
        "Moulding",
        "waste_out",
        material="purge",
        quantity=50,
        unit="kg",
        cost_eur=20,
        treatment="disposal",
    ),
    _row("Moulding", "transfer", material="Housing", quantity=850, unit="kg", to_centre="Assembly"),
    _row(
        "Stamping",
        "material_in",
        material="Steel",
        category="raw",
        quantity=500,
        unit="kg",
        cost_eur=600,
        recycled_share=0.1,
    ),
    _row("Stamping", "energy_in", category="electricity", quantity=300, unit="kWh", cost_eur=75),
    _row(
        "Stamping",
        "waste_out",
        material="scrap",
        quantity=50,
        unit="kg",
        cost_eur=0,
        treatment="recycling",
    ),
    _row("Stamping", "transfer", material="Bracket", quantity=450, unit="kg", to_centre="Assembly"),
    _row(
        "Assembly",
        "material_in",
        material="Screw",
        category="auxiliary",
        quantity=20,
        unit="kg",
        cost_eur=200,
    ),
    _row("Assembly", "energy_in", category="electricity", quantity=1000, unit="kWh", cost_eur=250),
    _row("Assembly", "product_out", material="Module", quantity=1.3, unit="t"),
]

BOM_CSV = """parent,component,quantity,unit,process_centre,primary_data,recycled_share,mass_kg
Module,Housing,2,pcs,Assembly,,,0.4
Module,Bracket,1,pcs,Assembly,,,
Module,Screw,4,pcs,Assembly,ja,,0.01
Housing,PP,0.45,kg,Moulding,,,
Bracket,Steel,300,g,Stamping,,0.25,
"""


def make_ledger(rows: list[dict[str, object]] | None = None) -> Ledger:
    rows = LEDGER_ROWS if rows is None else rows
    frame = pd.DataFrame([{c: row.get(c) for c in CANONICAL_COLUMNS} for row in rows])
    return build_ledger(frame, source="test-ledger.csv")


def write_ledger(path: Path, rows: list[dict[str, object]] | None = None) -> Path:
    rows = LEDGER_ROWS if rows is None else rows
    pd.DataFrame([{c: row.get(c, "") for c in CANONICAL_COLUMNS} for row in rows]).to_csv(
        path, index=False
    )
    return path


def make_factors(tmp_path: Path) -> FactorLibrary:
    path = tmp_path / "factors.csv"
    path.write_text(FACTORS_CSV, encoding="utf-8")
    return read_factors(path)
