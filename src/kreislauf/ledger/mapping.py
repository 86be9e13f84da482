"""Mapping files: turn an ERP or spreadsheet export into the canonical ledger columns.

A mapping is a small YAML file (see ``docs/ledger.md#mapping``)::

    delimiter: ";"
    decimal: ","
    encoding: cp1252
    period_format: "%m.%Y"
    columns: {period: Buchungsmonat, centre: Kostenstelle, quantity: Menge, unit: ME}
    constants: {site: Leipzig}
    values:
      flow: {Wareneingang: material_in, Ausschuss: waste_out}
      unit: {KG: kg, TO: t}
    scale: {recycled_share: 0.01}

Columns of the export that the mapping does not name are ignored; values a value map does
not list pass through unchanged and are checked like any canonical cell. A mapping without
``columns`` reads a file with the canonical columns; it may set only the reading options
(e.g. ``encoding: cp1252`` or ``decimal: ","``). Every reading option left out is detected
by :mod:`kreislauf.tables`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kreislauf.bounded import load_yaml
from kreislauf.errors import FileNotReadable, InvalidMapping, UnknownColumn, os_error_reason
from kreislauf.ledger.io import numbers_or_text
from kreislauf.ledger.models import CANONICAL_COLUMNS, LABEL_COLUMNS, NUMERIC_COLUMNS
from kreislauf.numbers import Decimal
from kreislauf.tables import Table


class Mapping(BaseModel):
    """How an export's columns and values become canonical ledger cells.

    columns : canonical column -> column name in the export
    constants : canonical column -> value for every row (e.g. the site, or the unit when
        the export's quantity column has one fixed unit)
    values : canonical column -> {value in the export: canonical value}
    scale : numeric canonical column -> factor [-] (e.g. 0.01 for a share given in percent)
    delimiter, encoding : of a text export (default: detected)
    decimal : the export's decimal separator; with ``","`` dots are thousands separators
        (default: detected per numeric column)
    sheet : XLSX sheet name or 0-based index (default: the first); skip_rows : lines above
        the header
    period_format : ``strftime`` pattern of the export's period cells (e.g. ``%m/%Y``)
    """

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, str] = {}
    constants: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    scale: dict[str, float] = {}
    delimiter: str | None = None
    decimal: Decimal | None = None
    encoding: str | None = None
    sheet: str | int | None = None
    skip_rows: int = Field(default=0, ge=0)
    period_format: str | None = None

    @property
    def renames(self) -> bool:
        """Whether the mapping changes columns or values (else it only says how to read)."""
        return bool(self.columns or self.constants or self.values or self.scale)

    @field_validator("columns", "constants", "values", "scale")
    @classmethod
    def _canonical_names(cls, names: dict[str, object]) -> dict[str, object]:
        unknown = [name for name in names if name not in CANONICAL_COLUMNS]
        if unknown:
            raise ValueError(
                f"'{unknown[0]}' is not a ledger column; use one of {', '.join(CANONICAL_COLUMNS)}"
            )
        return names

    @field_validator("values", mode="before")
    @classmethod
    def _keys_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {
                column: {str(k): str(v) for k, v in (table or {}).items()}
                for column, table in value.items()
            }
        return value

    @field_validator("scale")
    @classmethod
    def _numeric_only(cls, value: dict[str, float]) -> dict[str, float]:
        wrong = [name for name in value if name not in NUMERIC_COLUMNS]
        if wrong:
            raise ValueError(
                f"'{wrong[0]}' cannot be scaled; use one of {', '.join(NUMERIC_COLUMNS)}"
            )
        return value


def read_mapping(path: Path) -> Mapping:
    """Read and check a mapping file.

    Raises
    ------
    FileNotReadable, InvalidMapping
    """
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), name=path.name)
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    except yaml.YAMLError as error:
        raise InvalidMapping(file=path.name, detail=f"not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise InvalidMapping(
            file=path.name, detail="expected a mapping with a 'columns' or reading options"
        )
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidMapping(file=path.name, field=where, detail=first["msg"]) from error


def apply_mapping(
    table: Table, mapping: Mapping, *, source: str, mapping_name: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The export's cells as canonical columns, and canonical -> export column names.

    A mapping without ``columns`` takes the export's columns of canonical name as they are.

    Raises
    ------
    UnknownColumn
        when the mapping names a column the export does not have.
    """
    export = table.frame
    available = [str(c) for c in export.columns]
    names = dict(mapping.columns)
    if not names:
        names = {c: c for c in CANONICAL_COLUMNS if c in export.columns}
    for canonical, column in names.items():
        if column not in export.columns:
            raise UnknownColumn(
                file=mapping_name,
                field=f"columns.{canonical}",
                value=column,
                hint=f" ({source})",
                available=", ".join(available),
            )
    out = pd.DataFrame(index=export.index)
    for canonical, column in names.items():
        out[canonical] = export[column]
    for canonical, value in mapping.constants.items():
        out[canonical] = pd.Categorical.from_codes(
            np.zeros(len(export), np.int8), categories=pd.Index([value])
        )
    for canonical in LABEL_COLUMNS:
        if canonical in out.columns:
            out[canonical] = _map_labels(out[canonical], mapping.values.get(canonical, {}))
    if mapping.period_format and "period" in out.columns:
        out["period"] = _reformat_periods(out["period"], mapping.period_format)
    for canonical in NUMERIC_COLUMNS:
        if canonical in names:
            scale = mapping.scale.get(canonical, 1.0)
            out[canonical] = numbers_or_text(table, names[canonical], scale=scale)
    return out, names


def _map_labels(cells: pd.Series, table: dict[str, str]) -> pd.Series:
    cells = cells.astype("category")
    lookup = {c: table.get(str(c).strip(), str(c).strip()) for c in cells.cat.categories}
    return cells.map(lookup)


def _reformat_periods(cells: pd.Series, pattern: str) -> pd.Series:
    cells = cells.astype("category")
    categories = [str(c) for c in cells.cat.categories]
    parsed = pd.to_datetime(pd.Series(categories), format=pattern, errors="coerce")
    periods = [
        original if pd.isna(date) else date.strftime("%Y-%m")
        for original, date in zip(categories, parsed, strict=True)
    ]
    return cells.map(dict(zip(cells.cat.categories, periods, strict=True)))
