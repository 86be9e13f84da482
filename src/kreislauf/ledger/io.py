"""Reading ledger files: the canonical CSV/XLSX format, or any export through a mapping.

``read_ledger`` returns a validated :class:`~kreislauf.ledger.models.Ledger` or raises;
it never returns part of a file. ``read_ledgers`` merges several files and drops flows
that are already present (see :func:`~kreislauf.ledger.validate.row_identity`), so
importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kreislauf.errors import EmptyFile, FileNotReadable, UnsupportedFormat, os_error_reason
from kreislauf.ledger.mapping import Mapping, apply_mapping, read_mapping
from kreislauf.ledger.models import LABEL_COLUMNS, Ledger
from kreislauf.ledger.validate import build_ledger, merge_ledgers

SUFFIXES = (".csv", ".txt", ".xlsx")


def _delimiter(path: Path, encoding: str) -> str:
    """``;`` or ``,``, whichever the header line uses more (German spreadsheets use ``;``)."""
    with path.open(encoding=encoding, newline="") as handle:
        header = handle.readline()
    return ";" if header.count(";") > header.count(",") else ","


def _read_table(
    path: Path,
    *,
    delimiter: str | None,
    encoding: str,
    sheet: str | int,
    skip_rows: int,
    text: bool,
) -> pd.DataFrame:
    """The cells of a CSV or XLSX file; label columns as categories (canonical) or all text."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormat(
            file=path.name, suffix=suffix or path.name, expected=", ".join(SUFFIXES)
        )
    try:
        if suffix == ".xlsx":
            frame = pd.read_excel(path, sheet_name=sheet, dtype=object, skiprows=skip_rows)
        else:
            dtype: type[str] | dict[str, str] = (
                str if text else dict.fromkeys(LABEL_COLUMNS, "category")
            )
            frame = pd.read_csv(
                path,
                sep=delimiter or _delimiter(path, encoding),
                encoding=encoding,
                dtype=dtype,
                skiprows=skip_rows,
                skipinitialspace=True,
                keep_default_na=False,
                na_values=[""],
            )
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    except (pd.errors.ParserError, csv.Error, ValueError) as error:
        raise FileNotReadable(file=path.name, reason=str(error).splitlines()[0]) from error
    if frame.empty:
        raise EmptyFile(file=path.name, detail="no flow rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_ledger(path: Path, *, mapping: Mapping | Path | None = None) -> Ledger:
    """Read one ledger file, canonical or through ``mapping``, and validate every row.

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
        raw = _read_table(
            path, delimiter=None, encoding="utf-8-sig", sheet=0, skip_rows=0, text=False
        )
        return build_ledger(raw, source=path.name)
    mapping_name = mapping.name if isinstance(mapping, Path) else "mapping"
    spec = read_mapping(mapping) if isinstance(mapping, Path) else mapping
    export = _read_table(
        path,
        delimiter=spec.delimiter,
        encoding=spec.encoding,
        sheet=spec.sheet,
        skip_rows=spec.skip_rows,
        text=True,
    )
    raw, columns = apply_mapping(export, spec, source=path.name, mapping_name=mapping_name)
    return build_ledger(raw, source=path.name, first_row=spec.skip_rows + 2, columns=columns)


def read_ledgers(paths: Sequence[Path], *, mapping: Mapping | Path | None = None) -> Ledger:
    """Read and validate every file first, then merge them without duplicate flows."""
    return merge_ledgers([read_ledger(path, mapping=mapping) for path in paths])
