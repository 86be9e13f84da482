"""Reading ledger files: the canonical CSV/XLSX format, or any export through a mapping.

``read_ledger`` returns a validated :class:`~kreislauf.ledger.models.Ledger` or raises;
it never returns part of a file. ``read_ledgers`` merges several files and drops flows
that are already present (see :func:`~kreislauf.ledger.validate.row_identity`), so
importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kreislauf.errors import EmptyFile, UnsupportedFormat
from kreislauf.i18n import msg
from kreislauf.ledger.mapping import Mapping, apply_mapping, numbers_or_text, read_mapping
from kreislauf.ledger.models import LABEL_COLUMNS, NUMERIC_COLUMNS, Ledger
from kreislauf.ledger.validate import build_ledger, merge_ledgers
from kreislauf.tables import Table, read_table

SUFFIXES = (".csv", ".txt", ".xlsx")


def _read_table(path: Path, mapping: Mapping) -> Table:
    """The rows of a CSV or XLSX ledger file; what the mapping leaves open is detected."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormat(
            file=path.name, suffix=suffix or path.name, expected=", ".join(SUFFIXES)
        )
    xlsx = suffix == ".xlsx"
    table = read_table(
        path,
        encoding=None if xlsx else mapping.encoding,
        delimiter=None if xlsx else mapping.delimiter,
        decimal=mapping.decimal,
        sheet=mapping.sheet if xlsx else None,
        skip_rows=mapping.skip_rows,
        comments=True,  # '#' lines (an export's title, a note) are no flows
        # labels repeat on many rows; numbers parse fastest straight to float64
        categories=LABEL_COLUMNS if not mapping.renames else (),
        numeric=NUMERIC_COLUMNS if not mapping.renames else (),
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
    mapping_name = mapping.name if isinstance(mapping, Path) else "mapping"
    if mapping is None:
        spec = Mapping()
    else:
        spec = read_mapping(mapping) if isinstance(mapping, Path) else mapping
    table = _read_table(path, spec)
    if not spec.renames:
        raw = _canonical(table)
        return build_ledger(raw, source=path.name, rows=table.lines)
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


def read_ledgers(paths: Sequence[Path], *, mapping: Mapping | Path | None = None) -> Ledger:
    """Read and validate every file first, then merge them without duplicate flows."""
    return merge_ledgers([read_ledger(path, mapping=mapping) for path in paths])
