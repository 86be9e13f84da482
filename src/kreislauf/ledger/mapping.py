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
not list pass through unchanged and are checked like any canonical cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from kreislauf.errors import FileNotReadable, InvalidMapping, UnknownColumn, os_error_reason
from kreislauf.ledger.models import CANONICAL_COLUMNS, LABEL_COLUMNS, NUMERIC_COLUMNS
from kreislauf.numbers import coerce_numeric


class Mapping(BaseModel):
    """How an export's columns and values become canonical ledger cells.

    columns : canonical column -> column name in the export
    constants : canonical column -> value for every row (e.g. the site, or the unit when
        the export's quantity column has one fixed unit)
    values : canonical column -> {value in the export: canonical value}
    scale : numeric canonical column -> factor [-] (e.g. 0.01 for a share given in percent)
    decimal : the export's decimal separator; with ``","`` dots are thousands separators
    period_format : ``strftime`` pattern of the export's period cells (e.g. ``%m/%Y``)
    """

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, str]
    constants: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    scale: dict[str, float] = {}
    delimiter: str = ","
    decimal: Literal[".", ","] = "."
    encoding: str = "utf-8-sig"
    sheet: str | int = 0
    skip_rows: int = 0
    period_format: str | None = None

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
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    except yaml.YAMLError as error:
        raise InvalidMapping(file=path.name, detail=f"not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise InvalidMapping(file=path.name, detail="expected a mapping with a 'columns' section")
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidMapping(file=path.name, field=where, detail=first["msg"]) from error


def apply_mapping(
    export: pd.DataFrame, mapping: Mapping, *, source: str, mapping_name: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The export's cells as canonical columns, and canonical -> export column names.

    Raises
    ------
    UnknownColumn
        when the mapping names a column the export does not have.
    """
    available = [str(c) for c in export.columns]
    for canonical, column in mapping.columns.items():
        if column not in export.columns:
            raise UnknownColumn(
                file=mapping_name,
                field=f"columns.{canonical}",
                value=column,
                hint=f" ({source})",
                available=", ".join(available),
            )
    out = pd.DataFrame(index=export.index)
    for canonical, column in mapping.columns.items():
        out[canonical] = export[column]
    for canonical, value in mapping.constants.items():
        out[canonical] = pd.Categorical.from_codes(
            np.zeros(len(export), np.int8), categories=[value]
        )
    for canonical in LABEL_COLUMNS:
        if canonical in out.columns:
            out[canonical] = _map_labels(out[canonical], mapping.values.get(canonical, {}))
    if mapping.period_format and "period" in out.columns:
        out["period"] = _reformat_periods(out["period"], mapping.period_format)
    for canonical in NUMERIC_COLUMNS:
        if canonical in out.columns:
            out[canonical] = _numbers(out[canonical], mapping, canonical)
    return out, dict(mapping.columns)


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


def _numbers(cells: pd.Series, mapping: Mapping, column: str) -> pd.Series:
    """Numbers where the cell is one (scaled), the original text where it is not."""
    if mapping.decimal == "," and not pd.api.types.is_numeric_dtype(cells.dtype):
        text = cells.astype("string").str.strip()
        cells = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        original = text
    else:
        original = cells
    numbers, bad = coerce_numeric(cells)
    numbers = numbers * mapping.scale.get(column, 1.0)
    if not bad.any():
        return pd.Series(numbers, index=cells.index)
    result = pd.Series(numbers, index=cells.index, dtype=object)
    result[bad] = original[bad].astype(object)
    return result
