"""Templates a user fills in: the canonical ledger as CSV and as XLSX with column help.

The example rows are valid ledger rows (one of each common flow kind, from the demo
company), so a template read back with :func:`kreislauf.ledger.read_ledger` validates;
the XLSX puts the rows on the first sheet (the one the reader takes) and the help per
column, in the user's language, on a second sheet.
"""

from __future__ import annotations

import io

from kreislauf import exports
from kreislauf.i18n import Lang, translate
from kreislauf.ledger.models import (
    CANONICAL_COLUMNS,
    ENERGY_CARRIERS,
    FLOW_KINDS,
    MATERIAL_CATEGORIES,
    REQUIRED_COLUMNS,
    TREATMENTS,
)

#: One example per common flow kind (the demo company's first month).
EXAMPLE_ROWS: tuple[tuple[object, ...], ...] = (
    ("2024-01", "Leipzig", "Spritzguss", "material_in", "PP-GF30 Granulat", "raw", 40.387, "t",
     84811.68, 0.15, "", "", "", ""),
    ("2024-01", "Leipzig", "Spritzguss", "energy_in", "", "electricity", 61.2, "MWh", 14688.0,
     "", "", "", "Zählerstand Hauptzähler", ""),
    ("2024-01", "Leipzig", "Spritzguss", "product_out", "Gehäuse", "", 36.5, "t", "", "", "",
     "Montage", "an die Montage", ""),
    ("2024-01", "Leipzig", "Spritzguss", "waste_out", "Angüsse und Ausschuss", "", 2.47, "t",
     98.81, "", "recycling", "", "", "07 02 13"),
    ("2024-01", "Leipzig", "Spritzguss", "water_in", "", "", 120, "m3", 480.0, "", "", "", "",
     ""),
    ("2024-01", "Leipzig", "Spritzguss", "system_cost", "", "", "", "", 52000.0, "", "", "",
     "Personal und Abschreibung", ""),
)  # fmt: skip


def _allowed(column: str) -> str:
    choices = {
        "flow": FLOW_KINDS,
        "category": (*MATERIAL_CATEGORIES, *ENERGY_CARRIERS),
        "treatment": TREATMENTS,
    }
    return ", ".join(choices.get(column, ()))


def ledger_template_csv() -> str:
    """The canonical ledger header with the example rows (UTF-8 CSV, decimal point)."""
    return exports.csv_text(list(CANONICAL_COLUMNS), [list(r) for r in EXAMPLE_ROWS])


def ledger_template_xlsx(lang: Lang) -> bytes:
    """The ledger template as XLSX: sheet 1 the rows, sheet 2 the help for each column."""
    from openpyxl import load_workbook

    rows = [list(r) for r in EXAMPLE_ROWS]
    book = load_workbook(
        io.BytesIO(exports.xlsx_bytes(list(CANONICAL_COLUMNS), rows, sheet="Ledger"))
    )
    help_sheet = book.create_sheet(translate("ledger.template.help_sheet", lang))
    header = [translate(f"ledger.template.{c}", lang) for c in ("column", "required", "meaning",
                                                                 "allowed")]  # fmt: skip
    help_sheet.append(header)
    for column in CANONICAL_COLUMNS:
        help_sheet.append(
            [
                column,
                translate(
                    "ledger.template.yes" if column in REQUIRED_COLUMNS else "ledger.template.no",
                    lang,
                ),
                translate(f"ledger.help.{column}", lang),
                _allowed(column),
            ]
        )
    for letter, width in zip("ABCD", (16, 10, 90, 60), strict=True):
        help_sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
