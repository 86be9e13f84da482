"""The optional activity file of a GHG balance: what the resource ledger does not hold.

CSV, header line first, one activity per row; read by :mod:`kreislauf.tables` (encoding,
``,``/``;`` and decimal mark detected; blank and ``#`` comment lines skipped, each row named
by its line in the file):

| column | meaning |
|---|---|
| ``period`` | ``YYYY`` or ``YYYY-MM`` |
| ``kind`` | one of :data:`ACTIVITY_KINDS` |
| ``key`` | emission factor key, e.g. ``air:short_haul`` (blank for ``green_electricity``) |
| ``quantity`` | number ≥ 0 |
| ``unit`` | converts to the factor's unit (``km``, ``t*km``, ``EUR``, ``kg``, ``kWh``) |
| ``site`` | optional |
| ``description`` | optional free text |

Each kind belongs to one place of the GHG Protocol balance (:data:`ACTIVITY_KINDS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kreislauf.errors import InvalidActivityFile
from kreislauf.numbers import Decimal, parse_number
from kreislauf.tables import read_table

#: kind → (scope, category). Scope 3 categories are those of the GHG Protocol.
ACTIVITY_KINDS: dict[str, tuple[int, str]] = {
    "mobile_fuel": (1, "mobile_combustion"),
    "process": (1, "process"),
    "refrigerant": (1, "fugitive"),
    "green_electricity": (2, "electricity"),
    "purchased_services": (3, "1"),
    "capital_goods": (3, "2"),
    "upstream_transport": (3, "4"),
    "business_travel": (3, "6"),
    "commuting": (3, "7"),
    "downstream_transport": (3, "9"),
}
COLUMNS = ("period", "kind", "key", "quantity", "unit")
OPTIONAL = ("site", "description")
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Activity:
    """One activity row. quantity [unit]; ``row`` as in the file (header = row 1)."""

    period: str
    kind: str
    key: str
    quantity: float
    unit: str
    site: str
    description: str
    source: str
    row: int

    @property
    def scope(self) -> int:
        return ACTIVITY_KINDS[self.kind][0]

    @property
    def category(self) -> str:
        return ACTIVITY_KINDS[self.kind][1]


def read_activities(path: Path) -> list[Activity]:
    """Read and check an activity file; raises on the first invalid cell.

    Raises
    ------
    FileNotReadable, InvalidActivityFile
    """
    table = read_table(path, comments=True)
    if not table.columns:
        raise InvalidActivityFile(file=path.name, value="", expected="a header and activity rows")
    for column in COLUMNS:
        if column not in table.columns:
            raise InvalidActivityFile(
                file=path.name,
                row=table.header_line,
                value=column,
                expected="the columns " + ", ".join(COLUMNS),
            )
    for column in table.columns:
        if column not in COLUMNS + OPTIONAL:
            raise InvalidActivityFile(
                file=path.name,
                row=table.header_line,
                column=column,
                value=column,
                expected=", ".join(COLUMNS + OPTIONAL),
            )
    decimal = table.decimal_of("quantity")
    return [_activity(row, path.name, line, decimal) for line, row in table.records()]


def _activity(row: dict[str, str], file: str, line: int, decimal: Decimal | None) -> Activity:
    def bad(column: str, expected: str) -> InvalidActivityFile:
        return InvalidActivityFile(
            file=file, row=line, column=column, value=row.get(column, ""), expected=expected
        )

    if not _PERIOD.match(row.get("period", "")):
        raise bad("period", "YYYY or YYYY-MM")
    kind = row.get("kind", "")
    if kind not in ACTIVITY_KINDS:
        raise bad("kind", "one of " + ", ".join(ACTIVITY_KINDS))
    if kind != "green_electricity" and not row.get("key"):
        raise bad("key", "an emission factor key (kreislauf carbon factors search …)")
    try:
        quantity = parse_number(row.get("quantity", ""), decimal=decimal)
    except ValueError:
        raise bad("quantity", "a number ≥ 0") from None
    if quantity < 0 or quantity != quantity:
        raise bad("quantity", "a number ≥ 0")
    if not row.get("unit"):
        raise bad("unit", "a unit such as km, t*km, EUR, kg, kWh")
    return Activity(
        period=row["period"],
        kind=kind,
        key=row.get("key", ""),
        quantity=quantity,
        unit=row["unit"],
        site=row.get("site", ""),
        description=row.get("description", ""),
        source=file,
        row=line,
    )
