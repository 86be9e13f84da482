"""Reading numbers from cells the way German and English spreadsheets write them.

One place for the rule, shared by the survey readers and the ledger import: plain numbers,
numeric strings with a decimal point, and German numbers with a decimal comma and optional
thousands dots (``"1.234,5"``). A string such as ``"4.020"`` is read as 4.02 (decimal
point), not as the German 4020: without a comma the two readings cannot be told apart, and
exports from statistics programs write decimal points.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["coerce_numeric"]

_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def coerce_numeric(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Convert cells to float64; return ``(numbers, bad)``.

    Accepts numbers, numeric strings with a decimal point, and German numbers with a decimal
    comma and optional thousands dots (``"1.234,5"``). Blank cells (NaN) become NaN and are
    not bad. ``bad`` marks cells that hold something else (e.g. ``"4a"``), so the caller can
    name the first one in its error message.
    """
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(values), bool)
    blank = values.isna().to_numpy()
    numbers = _arrow_cast(values)
    if numbers is not None:
        return numbers, np.zeros(len(values), bool)
    cells = values.to_numpy(dtype=object, na_value=np.nan)
    try:
        # Fast path for the common case, every cell a plain number or blank: about twice
        # as fast as pd.to_numeric on pandas' string dtype (benchmarks/survey_bench.py).
        numbers = cells.astype(np.float64)
    except (ValueError, TypeError):
        numbers = np.array(pd.to_numeric(cells, errors="coerce"), dtype=np.float64)
    failed = np.isnan(numbers) & ~blank
    if failed.any():
        candidates = values[failed].astype("string").str.strip()
        german = candidates.str.fullmatch(_DECIMAL_COMMA.pattern).fillna(False).to_numpy(bool)
        if german.any():
            fixed = candidates[german].str.replace(".", "", regex=False).str.replace(",", ".")
            idx = np.flatnonzero(failed)[german]
            numbers[idx] = pd.to_numeric(fixed).to_numpy(dtype=np.float64)
            failed[idx] = False
    return numbers, failed


def _arrow_cast(values: pd.Series) -> np.ndarray | None:
    """Cast an Arrow-backed string column to float64 in one vectorised call, if it can.

    pandas 3 stores text in Arrow arrays; Arrow's cast is about ten times faster than
    NumPy's object-to-float conversion (benchmarks/survey_bench.py). Returns ``None`` when
    the column is not Arrow-backed or holds a cell Arrow cannot read as a plain number
    (German decimal comma, padding, text) so that the caller takes the general path. Cells
    Arrow reads as NaN ("nan") are left to that path too, which reports them as bad.
    """
    if not hasattr(values.array, "__arrow_array__"):
        return None
    try:
        cast = pc.cast(pa.array(values.array), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
        return None
    if pc.any(pc.is_nan(cast)).as_py():
        return None
    return np.asarray(cast.to_numpy(zero_copy_only=False), dtype=np.float64)
