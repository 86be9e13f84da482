"""The text and number code of main before issue 21's session 7, kept only as test oracle.

``tests/test_text_oracle.py`` compares the vectorised code of :mod:`kreislauf.tables`,
:mod:`kreislauf.numbers`, :mod:`kreislauf.carbon.bom` and :mod:`kreislauf.ledger.validate`
with these functions, copied unchanged from main at 34de45a.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kreislauf.ledger.models import FLOW_KINDS
from kreislauf.numbers import _MARKED, Decimal, coerce_numeric


def coerce_marked(values: pd.Series, decimal: Decimal) -> tuple[np.ndarray, np.ndarray]:
    pattern, group = _MARKED[decimal]
    text = values.astype("string").str.strip()
    fits = text.str.fullmatch(pattern.pattern).fillna(False).to_numpy(bool)
    if not fits.any():
        return coerce_numeric(values)
    plain = text.str.replace(group, "", regex=False).str.replace(",", ".", regex=False)
    cells = plain.where(fits, text)
    return coerce_numeric(cells)


def strip_column(column: pd.Series) -> pd.Series:
    """``kreislauf.tables._strip_column`` for object and string columns (not categories)."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) != "string":
        column = column.map(lambda v: v.strip() if isinstance(v, str) else v)
    else:
        column = column.str.strip()
    return column.mask(column.isna() | (column == ""))


def cell_measures(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Length and NUL per cell as ``kreislauf.tables._check_cells`` measured text cells."""
    lengths = cells.str.len().astype("float64").fillna(0).to_numpy(dtype=np.int64)
    nul = cells.str.contains("\x00", regex=False, na=False).to_numpy(dtype=bool)
    return lengths, nul


def bom_text(column: pd.Series) -> pd.Series:
    """``kreislauf.carbon.bom._text``."""
    if pd.api.types.is_string_dtype(column.dtype) and not pd.api.types.is_object_dtype(
        column.dtype
    ):
        return column.fillna("").str.strip()
    cells = column.astype(object).to_numpy()
    missing = pd.isna(cells)
    text = [
        ("" if blank else str(cell).strip()) for cell, blank in zip(cells, missing, strict=True)
    ]
    return pd.Series(text, index=column.index, dtype="str")


def flow_kinds(flow: pd.Series) -> pd.Categorical:
    """The flow column as ``build_ledger`` and ``merge_ledgers`` recoded it."""
    return pd.Categorical(flow.astype(str), categories=FLOW_KINDS)
