"""Reading ledger files: the canonical CSV/XLSX format, or any export through a mapping.

``read_ledger`` returns a validated :class:`~kreislauf.ledger.models.Ledger` or raises;
it never returns part of a file. ``read_ledgers`` merges several files and drops flows
that are already present (see :func:`~kreislauf.ledger.validate.row_identity`), so
importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kreislauf.errors import EmptyFile, UnsupportedFormat
from kreislauf.i18n import msg
from kreislauf.ledger.models import LABEL_COLUMNS, NUMERIC_COLUMNS, Ledger
from kreislauf.ledger.validate import build_ledger, merge_ledgers
from kreislauf.tables import Table, read_table

# The mapping module (its pydantic schema, YAML) is imported only when a mapping is given.
if TYPE_CHECKING:
    from kreislauf.ledger.mapping import Mapping

SUFFIXES = (".csv", ".txt", ".xlsx")


def _read_table(path: Path, mapping: Mapping | None) -> Table:
    """The rows of a CSV or XLSX ledger file; what the mapping leaves open is detected."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormat(
            file=path.name, suffix=suffix or path.name, expected=", ".join(SUFFIXES)
        )
    xlsx = suffix == ".xlsx"
    canonical = mapping is None or not mapping.renames
    table = read_table(
        path,
        encoding=None if xlsx or mapping is None else mapping.encoding,
        delimiter=None if xlsx or mapping is None else mapping.delimiter,
        decimal=None if mapping is None else mapping.decimal,
        sheet=mapping.sheet if xlsx and mapping is not None else None,
        skip_rows=0 if mapping is None else mapping.skip_rows,
        comments=True,  # '#' lines (an export's title, a note) are no flows
        # labels repeat on many rows; numbers parse fastest straight to float64
        categories=LABEL_COLUMNS if canonical else (),
        numeric=NUMERIC_COLUMNS if canonical else (),
    )
    if not len(table):
        raise EmptyFile(file=path.name, detail=msg("ledger.empty.no_flows"))
    return table


def read_ledger(path: Path, *, mapping: Mapping | Path | None = None) -> Ledger:
    """Read one ledger file, canonical or through ``mapping``, and validate every row.

    Without a mapping (or with one that names no ``columns``) the file has the canonical
    columns; its encoding, delimiter and decimal mark are detected (a German Excel export:
    Windows-1252, ``;``, ``1.234,5``), see :mod:`kreislauf.tables`.

    Raises
    ------
    FileNotReadable, UnsupportedFormat, EmptyFile
        when the file cannot be read as a table.
    InvalidMapping, UnknownColumn
        when the mapping is wrong or names a column the file does not have.
    InvalidLedger
        listing every invalid row (file, row, column, value, what was expected).
    """
    if mapping is None:
        table = _read_table(path, None)
        return build_ledger(_canonical(table), source=path.name, rows=table.lines)
    from kreislauf.ledger.mapping import apply_mapping, read_mapping

    mapping_name = mapping.name if isinstance(mapping, Path) else "mapping"
    spec = read_mapping(mapping) if isinstance(mapping, Path) else mapping
    table = _read_table(path, spec)
    if not spec.renames:
        return build_ledger(_canonical(table), source=path.name, rows=table.lines)
    raw, columns = apply_mapping(table, spec, source=path.name, mapping_name=mapping_name)
    return build_ledger(raw, source=path.name, rows=table.lines, columns=columns)


def _canonical(table: Table) -> pd.DataFrame:
    """The cells of a canonical file; numeric columns read with their decimal mark."""
    # shallow: columns are replaced below, never changed in place, so the table's cells
    # need no second copy (one frame of a million rows less while the ledger is validated)
    frame = table.frame.copy(deep=False)
    for column in NUMERIC_COLUMNS:
        if column in frame.columns and table.decimal_of(column) is not None:
            frame[column] = numbers_or_text(table, column)
    return frame


def numbers_or_text(table: Table, column: str, *, scale: float = 1.0) -> pd.Series:
    """Numbers where the cell is one (times ``scale``), the original text where it is not.

    The cells that are no number stay for the validation, which names them with row,
    column and value.
    """
    cells = table.frame[column]
    numbers, bad = table.coerce(column)
    numbers = numbers * scale
    if not bad.any():
        return pd.Series(numbers, index=cells.index)
    result = pd.Series(numbers, index=cells.index, dtype=object)
    result[bad] = cells[bad].astype(object)
    return result


def read_ledgers(paths: Sequence[Path], *, mapping: Mapping | Path | None = None) -> Ledger:
    """Read and validate every file first, then merge them without duplicate flows."""
    return merge_ledgers([read_ledger(path, mapping=mapping) for path in paths])
