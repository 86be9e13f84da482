"""Templates of the carbon input files: own emission factors and activities (CSV).

Each example row is valid (a template read back with :func:`read_factors` /
:func:`read_activities` passes): an own factor with its source, a mapping of a purchased
material to a shipped factor with ``same_as``, and one activity of the common kinds.
"""

from __future__ import annotations

from kreislauf import exports
from kreislauf.carbon.activities import COLUMNS as ACTIVITY_COLUMNS
from kreislauf.carbon.activities import OPTIONAL as ACTIVITY_OPTIONAL
from kreislauf.carbon.factors import USER_COLUMNS

FACTOR_HEADER = (*USER_COLUMNS, "quality", "same_as", "note")
FACTOR_ROWS: tuple[tuple[object, ...], ...] = (
    ("electricity:market", 0.35, "kg CO2e / kWh", 2, "electricity",
     "Stromkennzeichnung des Lieferanten 2024", 2024, "DE", 2, "", "Ihr Stromvertrag"),
    ("PP-GF30 Granulat", "", "", "", "", "", "", "", "", "plastics:pp",
     "Material des Ledgers einem mitgelieferten Faktor zuordnen"),
)  # fmt: skip
ACTIVITY_HEADER = (*ACTIVITY_COLUMNS, *ACTIVITY_OPTIONAL)
ACTIVITY_ROWS: tuple[tuple[object, ...], ...] = (
    ("2024", "upstream_transport", "freight:hgv", 350000, "t*km", "Leipzig",
     "Anlieferung Stahlband und Granulat"),
    ("2024", "business_travel", "flight:short_haul", 7000, "km", "Leipzig", "Kundenbesuche"),
    ("2024", "commuting", "car:average", 410000, "km", "Leipzig", "Pendeln der Beschäftigten"),
    ("2024", "green_electricity", "", 600, "MWh", "Leipzig", "Herkunftsnachweise"),
)  # fmt: skip


def factors_template_csv() -> str:
    """The columns of an own factor file with two example rows (UTF-8 CSV)."""
    return exports.csv_text(list(FACTOR_HEADER), [list(r) for r in FACTOR_ROWS])


def activities_template_csv() -> str:
    """The columns of an activity file with example rows (UTF-8 CSV)."""
    return exports.csv_text(list(ACTIVITY_HEADER), [list(r) for r in ACTIVITY_ROWS])
