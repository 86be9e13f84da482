"""Generate the SYNTHETIC demo ledger of "Muster Kunststoff- und Metalltechnik GmbH".

Invented data, no real company: a plausible automotive supplier with injection moulding
(Spritzguss), metal stamping (Stanzerei) and assembly (Montage) at one site, 24 months
(2023-01 to 2024-12). Quantities follow simple rules with seasonal noise (fixed random
seed), and 2024 shows a modest scrap reduction and a higher recycled share.

Writes, next to this script:
- ``ledger.csv``: the canonical kreislauf ledger format;
- ``erp-export.csv``: the same flows as an ERP-style export (German headers, ``;``,
  decimal comma, cp1252, quantities in kg and kWh, recycled share in percent);
- ``erp-mapping.yaml`` is hand-written and turns the export into the canonical format.

    .venv/bin/python examples/demo-company/generate.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kreislauf.ledger.models import CANONICAL_COLUMNS
from kreislauf.units import ureg

HERE = Path(__file__).parent
SITE = "Leipzig"
COLUMNS = list(CANONICAL_COLUMNS)
#: SYNTHETIC but plausible AVV / EU List of Waste codes of the demo's waste (the same as
#: the demo answers' ``waste_codes``): plastic sprues, scrap and purge material 07 02 13
#: (waste plastic), rejected assemblies 16 01 22 (components not otherwise specified),
#: mixed municipal waste 20 03 01, oily metal sludge 12 01 18* (hazardous, asterisk).
WASTE_CODES = {
    "Angüsse und Ausschuss": "07 02 13",
    "Spülmaterial": "07 02 13",
    "Ausschuss Baugruppen": "16 01 22",
    "Mischabfall": "20 03 01",
    "ölhaltiger Schlamm": "12 01 18*",
}
#: The ERP's unit per ledger unit: quantities are exported in kg and kWh.
_ERP_UNIT = {"t": ("kg", "KG"), "MWh": ("kWh", "KWH"), "m3": ("m3", "M3")}


def flows() -> list[dict[str, object]]:
    rng = np.random.default_rng(2024)
    rows: list[dict[str, object]] = []

    def add(
        period: str, centre: str, flow: str, quantity: float | None, unit: str, **extra: object
    ) -> None:
        row = dict.fromkeys(COLUMNS, "")
        row.update(period=period, site=SITE, centre=centre, flow=flow, unit=unit)
        row["quantity"] = "" if quantity is None else round(quantity, 3)
        row.update({k: (round(v, 2) if isinstance(v, float) else v) for k, v in extra.items()})
        rows.append(row)

    for month in pd.period_range("2023-01", "2024-12", freq="M"):
        period = str(month)
        later = month.year == 2024
        season = 1.0 + 0.08 * np.sin(2 * np.pi * (month.month - 3) / 12) + rng.normal(0, 0.03)
        winter = month.month in (1, 2, 3, 11, 12)

        # Spritzguss: PP-GF30 granulate -> moulded housings, sprue/scrap regrind to recycling
        granulate = 42.0 * season
        stock = round(float(rng.normal(0, 0.8)), 3)
        share = 0.25 if later else 0.15
        add(
            period,
            "Spritzguss",
            "material_in",
            granulate,
            "t",
            material="PP-GF30 Granulat",
            category="raw",
            cost_eur=granulate * 2100.0,
            recycled_share=share,
        )
        add(
            period,
            "Spritzguss",
            "material_in",
            0.8 * season,
            "t",
            material="Masterbatch schwarz",
            category="auxiliary",
            cost_eur=0.8 * season * 6500.0,
        )
        add(period, "Spritzguss", "stock_change", stock, "t", material="PP-GF30 Granulat")
        used = granulate + 0.8 * season - stock
        scrap = used * (0.045 if later else 0.062)
        purge = used * 0.008
        add(
            period,
            "Spritzguss",
            "waste_out",
            scrap,
            "t",
            material="Angüsse und Ausschuss",
            treatment="recycling",
            waste_code=WASTE_CODES["Angüsse und Ausschuss"],
            cost_eur=scrap * 40.0,
        )
        add(
            period,
            "Spritzguss",
            "waste_out",
            purge,
            "t",
            material="Spülmaterial",
            treatment="energy_recovery",
            waste_code=WASTE_CODES["Spülmaterial"],
            cost_eur=purge * 180.0,
        )
        add(
            period,
            "Spritzguss",
            "transfer",
            used - scrap - purge,
            "t",
            material="Gehäuse",
            to_centre="Montage",
        )
        electricity = 95.0 * season
        add(
            period,
            "Spritzguss",
            "energy_in",
            electricity,
            "MWh",
            category="electricity",
            cost_eur=electricity * 220.0,
        )
        add(
            period,
            "Spritzguss",
            "water_in",
            120.0 * season,
            "m3",
            material="Kühlwasser",
            cost_eur=120.0 * season * 4.5,
        )
        add(
            period,
            "Spritzguss",
            "system_cost",
            None,
            "",
            material="Personal und Abschreibung",
            cost_eur=61000.0 + rng.normal(0, 1500),
        )

        # Stanzerei: steel coil -> stamped brackets, punching scrap sold as by-product
        coil = 120.0 * season
        add(
            period,
            "Stanzerei",
            "material_in",
            coil,
            "t",
            material="Stahlband DC04",
            category="raw",
            cost_eur=coil * 1050.0,
            recycled_share=0.22,
        )
        add(
            period,
            "Stanzerei",
            "material_in",
            0.3,
            "t",
            material="Stanzöl",
            category="operating",
            cost_eur=0.3 * 3200.0,
        )
        scrap = coil * (0.19 if later else 0.21)
        sludge = 0.25
        add(
            period,
            "Stanzerei",
            "byproduct_out",
            scrap,
            "t",
            material="Stanzschrott",
            note="an Schrotthandel verkauft",
        )
        add(
            period,
            "Stanzerei",
            "waste_out",
            sludge,
            "t",
            material="ölhaltiger Schlamm",
            treatment="disposal",
            waste_code=WASTE_CODES["ölhaltiger Schlamm"],
            cost_eur=sludge * 650.0,
        )
        add(
            period,
            "Stanzerei",
            "transfer",
            coil + 0.3 - scrap - sludge,
            "t",
            material="Halter",
            to_centre="Montage",
        )
        add(
            period,
            "Stanzerei",
            "energy_in",
            60.0 * season,
            "MWh",
            category="electricity",
            cost_eur=60.0 * season * 220.0,
        )
        gas = 25.0 * season * (1.6 if winter else 0.7)
        add(
            period,
            "Stanzerei",
            "energy_in",
            gas,
            "MWh",
            category="natural_gas",
            cost_eur=gas * 80.0,
        )
        add(
            period,
            "Stanzerei",
            "system_cost",
            None,
            "",
            material="Personal und Abschreibung",
            cost_eur=75000.0 + rng.normal(0, 2000),
        )

        # Montage: housings + brackets + purchased parts + packaging -> modules
        fasteners = 4.0 * season
        packaging = 3.0 * season
        add(
            period,
            "Montage",
            "material_in",
            fasteners,
            "t",
            material="Zukaufteile (Schrauben, Clips)",
            category="auxiliary",
            cost_eur=fasteners * 4800.0,
        )
        add(
            period,
            "Montage",
            "material_in",
            packaging,
            "t",
            material="Kartonage",
            category="packaging",
            cost_eur=packaging * 900.0,
            recycled_share=0.8,
        )
        inbound = (granulate + 0.8 * season - stock) * (1 - (0.045 if later else 0.062) - 0.008)
        inbound += coil + 0.3 - coil * (0.19 if later else 0.21) - sludge
        total = inbound + fasteners + packaging
        rejects = total * 0.012
        add(
            period,
            "Montage",
            "waste_out",
            rejects * 0.7,
            "t",
            material="Ausschuss Baugruppen",
            treatment="energy_recovery",
            waste_code=WASTE_CODES["Ausschuss Baugruppen"],
            cost_eur=rejects * 0.7 * 180.0,
        )
        add(
            period,
            "Montage",
            "waste_out",
            rejects * 0.3,
            "t",
            material="Mischabfall",
            treatment="disposal",
            waste_code=WASTE_CODES["Mischabfall"],
            cost_eur=rejects * 0.3 * 240.0,
        )
        add(period, "Montage", "product_out", total - rejects, "t", material="Türmodul-Träger")
        pv = 8.0 * (1.8 if month.month in range(4, 10) else 0.4)
        add(
            period,
            "Montage",
            "energy_in",
            25.0 * season,
            "MWh",
            category="electricity",
            cost_eur=25.0 * season * 220.0,
        )
        add(period, "Montage", "energy_in", pv, "MWh", category="own_pv")
        heat = 15.0 * (1.8 if winter else 0.3)
        add(
            period,
            "Montage",
            "energy_in",
            heat,
            "MWh",
            category="district_heat",
            cost_eur=heat * 110.0,
        )
        add(period, "Montage", "water_in", 40.0, "m3", material="Trinkwasser", cost_eur=40.0 * 4.5)
        add(period, "Montage", "water_out", 35.0, "m3", material="Abwasser", cost_eur=35.0 * 3.9)
        add(
            period,
            "Montage",
            "system_cost",
            None,
            "",
            material="Personal und Abschreibung",
            cost_eur=90000.0 + rng.normal(0, 2500),
        )
        add(period, "Montage", "waste_cost", None, "", material="Containermiete", cost_eur=650.0)
    return rows


_MOVEMENT = {
    "material_in": "Wareneingang",
    "transfer": "Umbuchung KST",
    "product_out": "Fertigmeldung",
    "byproduct_out": "Verkauf Nebenprodukt",
    "waste_out": "Entsorgung",
    "energy_in": "Energiebezug",
    "water_in": "Wasserbezug",
    "water_out": "Abwasser",
    "system_cost": "Gemeinkosten",
    "waste_cost": "Entsorgungskosten",
    "stock_change": "Bestandsänderung",
}
_CATEGORY = {
    "raw": "ROH",
    "auxiliary": "HIBE",
    "operating": "BETR",
    "packaging": "VERP",
    "electricity": "Strom",
    "natural_gas": "Erdgas",
    "district_heat": "Fernwärme",
    "own_pv": "PV-Eigenstrom",
}
_TREATMENT = {"recycling": "stofflich", "energy_recovery": "energetisch", "disposal": "Beseitigung"}
_CENTRE = {"Spritzguss": "4100", "Stanzerei": "4200", "Montage": "4300"}


def _german(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def erp_export(canonical: pd.DataFrame) -> pd.DataFrame:
    """The same flows as an ERP would export them: kg and kWh, German labels and numbers."""
    rows = []
    for number, row in enumerate(canonical.itertuples(index=False), start=100001):
        quantity, unit = row.quantity, row.unit
        if unit in _ERP_UNIT:
            target, unit = _ERP_UNIT[unit]
            quantity = ureg.Quantity(float(quantity), row.unit).to(target).magnitude
        year, month = row.period.split("-")
        rows.append(
            {
                "Buchungsnr": number,
                "Buchungsmonat": f"{month}.{year}",
                "Werk": "1000",
                "Kostenstelle": _CENTRE[row.centre],
                "Bewegungsart": _MOVEMENT[row.flow],
                "Materialkurztext": row.material,
                "Materialart": _CATEGORY.get(row.category, ""),
                "Menge": "" if quantity == "" else _german(float(quantity), 3),
                "ME": unit,
                "Betrag EUR": "" if row.cost_eur == "" else _german(float(row.cost_eur), 2),
                "Rezyklatanteil %": ""
                if row.recycled_share == ""
                else _german(100 * float(row.recycled_share), 1),
                "Entsorgungsweg": _TREATMENT.get(row.treatment, ""),
                "Empfänger-KST": _CENTRE.get(row.to_centre, ""),
                "Bemerkung": row.note,
                # ERP exports write the code without spaces (070213, 120118*)
                "Abfallschlüssel": row.waste_code.replace(" ", ""),
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    canonical = pd.DataFrame(flows(), columns=COLUMNS)
    canonical.to_csv(HERE / "ledger.csv", index=False)
    erp_export(canonical).to_csv(HERE / "erp-export.csv", sep=";", index=False, encoding="cp1252")


if __name__ == "__main__":
    main()
