"""The measures file: YAML (a list ``measures:``) or CSV (one row per measure).

The CSV is read by :mod:`kreislauf.tables` (encoding, delimiter and decimal mark detected,
blank and ``#`` comment lines skipped, rows named by their line); YAML text is decoded by
its encoding detection too.

Fields and their meaning: docs/carbon-products.md#measures-format. Every problem is an
:class:`~kreislauf.errors.InvalidMeasure` that names the file and the row and column (CSV)
or the field (YAML, e.g. ``measures[2].share``), the value and what was expected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kreislauf.bounded import parse_yaml
from kreislauf.errors import FileNotReadable, InvalidMeasure, os_error_reason
from kreislauf.numbers import Decimal, parse_number
from kreislauf.tables import decode, read_table

Kind = Literal["scrap_reduction", "recyclate", "energy_saving", "own_pv"]
KINDS: tuple[str, ...] = ("scrap_reduction", "recyclate", "energy_saving", "own_pv")
PRICED = ("fuels", "all", "none")
FIELDS: dict[str, tuple[str, ...]] = {
    "common": (
        "id",
        "name",
        "kind",
        "centre",
        "investment_eur",
        "lifetime_years",
        "running_cost_eur",
        "start_year",
        "co2_price_path",
        "priced",
        "note",
        "code",
    ),
    "scrap_reduction": ("reduction", "waste", "material"),
    "recyclate": ("material", "recycled_share", "price_change_eur_per_t"),
    "energy_saving": ("carrier", "share", "mwh"),
    "own_pv": ("mwh",),
}
ALL_FIELDS = tuple(dict.fromkeys(f for group in FIELDS.values() for f in group))


@dataclass(frozen=True)
class Measure:
    """One measure as read from the file; ``where`` locates it (file, row or field)."""

    id: str
    name: str
    kind: str
    centre: str
    investment_eur: float
    lifetime_years: int
    running_cost_eur: float = 0.0
    start_year: int | None = None
    co2_price_path: str | None = None
    priced: str = "fuels"
    #: the measure's code in the advice taxonomy (kreislauf.advice.taxonomy), if given
    code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    where: dict[str, Any] = field(default_factory=dict)


def read_measures(path: Path) -> list[Measure]:
    """Read measures from YAML (``measures:`` list) or CSV (one row per measure).

    Raises
    ------
    FileNotReadable
        if the file cannot be read.
    InvalidMeasure
        naming file and row (CSV) or field (YAML), the value and what was expected.
    """
    path = Path(path)
    decimals: dict[str, Decimal | None] = {}
    if path.suffix.lower() == ".csv":
        table = read_table(path, comments=True)
        decimals = {c: table.decimal_of(c) for c in table.columns}
        records = [
            (
                {k: v for k, v in row.items() if k and v},
                {"file": path.name, "row": line},
            )
            for line, row in table.records()
        ]
    else:
        try:
            text = decode(path.read_bytes(), name=path.name)
        except OSError as error:
            raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
        data = parse_yaml(text, name=path.name, error=InvalidMeasure)
        items = data.get("measures") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InvalidMeasure(
                file=path.name, value=type(data).__name__, expected="a list 'measures:' of measures"
            )
        records = []
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise InvalidMeasure(
                    file=path.name,
                    field=f"measures[{n}]",
                    value=item,
                    expected="a mapping of fields",
                )
            records.append(
                (
                    {str(k): v for k, v in item.items() if v is not None and v != ""},
                    {"file": path.name, "field": f"measures[{n}]"},
                )
            )
    if not records:
        raise InvalidMeasure(file=path.name, value="", expected="at least one measure")
    measures = [
        _measure(record, where, n, decimals) for n, (record, where) in enumerate(records, start=1)
    ]
    ids = [m.id for m in measures]
    for m in measures:
        if ids.count(m.id) > 1:
            raise InvalidMeasure(
                **field_location(m.where, "id"), value=m.id, expected="a unique id"
            )
    return measures


def field_location(where: dict[str, Any], name: str) -> dict[str, Any]:
    """Location of field ``name``: CSV → row and column, YAML → ``measures[i].name``."""
    if "row" in where:
        return {**where, "column": name}
    return {"file": where["file"], "field": f"{where['field']}.{name}"}


def _measure(
    record: dict[str, Any],
    where: dict[str, Any],
    position: int,
    decimals: dict[str, Decimal | None],
) -> Measure:
    """One checked measure; ``decimals``: the decimal mark of each CSV column."""
    for key in record:
        if key not in ALL_FIELDS:
            raise InvalidMeasure(
                **field_location(where, key), value=key, expected=", ".join(ALL_FIELDS)
            )
    kind = str(record.get("kind", ""))
    if kind not in KINDS:
        raise InvalidMeasure(**field_location(where, "kind"), value=kind, expected=", ".join(KINDS))
    for key in record:
        if key not in FIELDS["common"] + FIELDS[kind]:
            raise InvalidMeasure(
                **field_location(where, key),
                value=key,
                expected=", ".join(FIELDS["common"] + FIELDS[kind]),
            )

    def number(
        name: str,
        *,
        low: float = 0.0,
        high: float = math.inf,
        default: float | None = None,
        expected: str = "a number >= 0",
    ) -> float:
        if name not in record:
            if default is None:
                raise InvalidMeasure(**field_location(where, name), value="", expected=expected)
            return default
        raw = record[name]
        try:
            if isinstance(raw, str):
                value = parse_number(raw, decimal=decimals.get(name))
            else:
                value = float(raw)
        except (TypeError, ValueError):
            raise InvalidMeasure(
                **field_location(where, name), value=raw, expected=expected
            ) from None
        if not (low <= value <= high) or not math.isfinite(value):
            raise InvalidMeasure(**field_location(where, name), value=raw, expected=expected)
        return value

    centre = str(record.get("centre", "")).strip()
    if not centre:
        raise InvalidMeasure(
            **field_location(where, "centre"), value="", expected="a ledger centre"
        )
    lifetime = number(
        "lifetime_years", low=1, high=100, expected="a whole number of years, 1 to 100"
    )
    if lifetime != int(lifetime):
        raise InvalidMeasure(
            **field_location(where, "lifetime_years"),
            value=record["lifetime_years"],
            expected="a whole number of years, 1 to 100",
        )
    start = record.get("start_year")
    if start is not None:
        start = int(number("start_year", low=1990, high=2100, expected="a year such as 2026"))
    priced = str(record.get("priced", "fuels"))
    if priced not in PRICED:
        raise InvalidMeasure(
            **field_location(where, "priced"), value=priced, expected=", ".join(PRICED)
        )
    code = _code(record, where)
    params: dict[str, Any] = {}
    if kind == "scrap_reduction":
        params["reduction"] = number("reduction", high=1.0, expected="a share from 0 to 1")
        params["waste"] = str(record.get("waste", ""))
        params["material"] = str(record.get("material", ""))
    elif kind == "recyclate":
        if not record.get("material"):
            raise InvalidMeasure(
                **field_location(where, "material"), value="", expected="an input material"
            )
        params["material"] = str(record["material"])
        params["recycled_share"] = number(
            "recycled_share", high=1.0, expected="the target recycled share, 0 to 1"
        )
        params["price_change_eur_per_t"] = number(
            "price_change_eur_per_t", low=-math.inf, default=0.0, expected="a number [EUR/t]"
        )
    elif kind == "energy_saving":
        params["carrier"] = str(record.get("carrier", ""))
        if not params["carrier"]:
            raise InvalidMeasure(
                **field_location(where, "carrier"),
                value="",
                expected="an energy carrier (ledger category)",
            )
        if ("share" in record) == ("mwh" in record):
            raise InvalidMeasure(
                **field_location(where, "share"),
                value=record.get("share", ""),
                expected="either share (0 to 1) or mwh [MWh/a], not both",
            )
        if "share" in record:
            params["share"] = number("share", high=1.0, expected="a share from 0 to 1")
        else:
            params["mwh"] = number("mwh", expected="a number >= 0 [MWh/a]")
    else:
        params["mwh"] = number("mwh", expected="own PV electricity used on site [MWh/a]")
    return Measure(
        id=str(record.get("id", f"M{position}")),
        name=str(record.get("name", record.get("id", f"M{position}"))),
        kind=kind,
        centre=centre,
        investment_eur=number("investment_eur", expected="the investment >= 0 [EUR]"),
        lifetime_years=int(lifetime),
        running_cost_eur=number(
            "running_cost_eur", low=-math.inf, default=0.0, expected="a number [EUR/a]"
        ),
        start_year=start,
        co2_price_path=str(record["co2_price_path"]) if record.get("co2_price_path") else None,
        priced=priced,
        code=code,
        params=params,
        where=where,
    )


def _code(record: dict[str, Any], where: dict[str, Any]) -> str | None:
    """The measure's taxonomy code, checked against the advice taxonomy; None if absent."""
    from kreislauf.advice.taxonomy import taxonomy_codes  # the taxonomy imports no carbon

    if "code" not in record:
        return None
    code = str(record["code"]).strip()
    if code not in taxonomy_codes():
        raise InvalidMeasure(
            **field_location(where, "code"),
            value=code,
            expected="a code of the measure taxonomy (docs/advice.md#taxonomy): "
            + ", ".join(taxonomy_codes()),
        )
    return code
