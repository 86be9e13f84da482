"""Reading numbers from cells the way German and English spreadsheets write them.

One place for the rule, shared by the survey readers and the ledger import: plain numbers,
numeric strings with a decimal point, and German numbers with a decimal comma and optional
thousands dots (``"1.234,5"``). A string such as ``"4.020"`` is read as 4.02 (decimal
point), not as the German 4020: without a comma the two readings cannot be told apart, and
exports from statistics programs write decimal points.

Where a file says (or :func:`detect_decimal` finds) which mark it uses, ``decimal`` makes
the reading explicit: with ``","`` dots are thousands separators (``"4.020"`` is 4020), with
``"."`` commas are (``"1,234.5"`` is 1234.5); a cell that is not written that way (``"1.5"``
with ``","``) is read by the general rule.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# numpy, pandas and pyarrow are imported where a column is converted, not here: a form
# field or a command-line option parsed with parse_number must not pay for loading them.

__all__ = ["Decimal", "coerce_numeric", "detect_decimal", "parse_number"]

#: The decimal mark of a file: ``","`` (German) or ``"."`` (English).
Decimal = Literal[",", "."]

_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
# a number written with the decimal mark given: (pattern, its group separator)
_MARKED: dict[Decimal, tuple[re.Pattern[str], str]] = {
    ",": (re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"), "."),
    ".": (re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$"), ","),
}
# cells that only one of the two readings accepts: a comma, or a point, that is no group mark
_SURELY_GERMAN = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+")
_SURELY_ENGLISH = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)\.(\d{1,2}|\d{4,})")


def coerce_numeric(
    values: pd.Series, *, decimal: Decimal | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Convert cells to float64; return ``(numbers, bad)``.

    Accepts numbers, numeric strings with a decimal point, and German numbers with a decimal
    comma and optional thousands dots (``"1.234,5"``). Blank cells (NaN) become NaN and are
    not bad. ``bad`` marks cells that hold something else (e.g. ``"4a"``), so the caller can
    name the first one in its error message.

    decimal : ``","`` or ``"."`` when the decimal mark is known (see the module docstring);
        ``None`` reads each cell by the rule above.
    """
    import numpy as np
    import pandas as pd

    if decimal is not None and not pd.api.types.is_numeric_dtype(values.dtype):
        return _coerce_marked(values, decimal)
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
    except (ValueError, TypeError, OverflowError):
        # an integer of hundreds of digits (a CSV parser keeps it as a Python int) is a
        # number too large for float64: infinite, which callers that need a magnitude refuse
        cells = np.array([_float_or_cell(v) for v in cells], dtype=object)
        numbers = np.array(pd.to_numeric(cells, errors="coerce"), dtype=np.float64)
    failed = np.isnan(numbers) & ~blank
    if failed.any():
        candidates = values[failed].astype("string").str.strip()
        german = candidates.str.fullmatch(_DECIMAL_COMMA.pattern).fillna(False).to_numpy(bool)
        if german.any():
            fixed = candidates[german].str.replace(".", "", regex=False).str.replace(",", ".")
            idx = np.flatnonzero(failed)[german]
            # digits of other scripts ("٠,5") fit the pattern but are no number for pandas:
            # such a cell stays bad (it raised ValueError, a traceback, before)
            read = pd.to_numeric(fixed, errors="coerce").to_numpy(dtype=np.float64)
            numbers[idx] = read
            failed[idx] = np.isnan(read)
    return numbers, failed


def _float_or_cell(value: object) -> object:
    """An ``int`` as float (``inf`` beyond float64's range), any other cell as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return float("inf") if value > 0 else float("-inf")
    return value


def _arrow_cast(values: pd.Series) -> np.ndarray | None:
    """Cast an Arrow-backed string column to float64 in one vectorised call, if it can.

    pandas 3 stores text in Arrow arrays; Arrow's cast is about ten times faster than
    NumPy's object-to-float conversion (benchmarks/survey_bench.py). Returns ``None`` when
    the column is not Arrow-backed or holds a cell Arrow cannot read as a plain number
    (German decimal comma, padding, text) so that the caller takes the general path. Cells
    Arrow reads as NaN ("nan") are left to that path too, which reports them as bad.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not hasattr(values.array, "__arrow_array__"):
        return None
    try:
        cast = pc.cast(pa.array(values.array), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
        return None
    if pc.any(pc.is_nan(cast)).as_py():
        return None
    return np.asarray(cast.to_numpy(zero_copy_only=False), dtype=np.float64)


def parse_number(text: str, *, decimal: Decimal | None = None) -> float:
    """One cell's text as a float by the rules of :func:`coerce_numeric`.

    Raises ``ValueError`` when ``text`` is not a number (the caller names file, row and
    column). Surrounding whitespace is ignored; ``"inf"`` and ``"nan"`` are numbers here as
    they are for :func:`float` (callers that need finite values check).
    """
    cell = text.strip()
    if decimal is not None:
        pattern, group = _MARKED[decimal]
        if pattern.fullmatch(cell):
            return float(cell.replace(group, "").replace(",", "."))
    try:
        return float(cell)
    except ValueError:
        if _DECIMAL_COMMA.fullmatch(cell):
            return float(cell.replace(".", "").replace(",", "."))
        raise


def detect_decimal(values: pd.Series) -> Decimal | None:
    """The decimal mark a column of number texts uses, or ``None`` when it cannot tell.

    ``","`` when some cell has a decimal comma (``"40,387"``, ``"1.234,5"``) and no cell a
    decimal point that cannot be a thousands separator (``"1.5"``, ``"0.15"``); ``"."`` in
    the opposite case; ``None`` when neither or both occur (then each cell is read by the
    rule of :func:`coerce_numeric`). Only a column that shows its decimal comma tells that
    its ``"4.020"`` means 4020, as German Excel writes it.
    """
    import pandas as pd

    if pd.api.types.is_numeric_dtype(values.dtype):
        return None
    present = values.dropna()
    if pd.api.types.infer_dtype(present, skipna=False) in ("string", "empty"):
        # every cell is text: each distinct spelling once, a regex only where its mark
        # occurs, and no more once both readings were seen (a CSV column of 100,000
        # numbers: a few ms instead of 0.15 s per column)
        german = english = False
        for cell in pd.unique(present.to_numpy(dtype=object)):
            if not german and "," in cell:
                german = _SURELY_GERMAN.fullmatch(cell.strip()) is not None
            if not english and "." in cell:
                english = _SURELY_ENGLISH.fullmatch(cell.strip()) is not None
            if german and english:
                break
    else:  # numbers, dates, text mixed (XLSX): compared as pandas writes them as text
        cells = present.astype("string").str.strip()
        german = bool(cells.str.fullmatch(_SURELY_GERMAN.pattern).any())
        english = bool(cells.str.fullmatch(_SURELY_ENGLISH.pattern).any())
    if german == english:
        return None
    return "," if german else "."


def _coerce_marked(values: pd.Series, decimal: Decimal) -> tuple[np.ndarray, np.ndarray]:
    """:func:`coerce_numeric` for a known decimal mark; other cells by the general rule.

    Only a cell holding a comma or the group mark can change when the marks are rewritten,
    so the pattern runs on those cells alone; of the others it is asked only whether any
    fits at all (which decides whether the stripped text or the cells as given are read),
    and that question stops at the first cell that fits (a 100,000-row column: one regex
    call instead of 100,000). The result is the rewrite of every fitting cell, as before.
    """
    import numpy as np

    pattern, group = _MARKED[decimal]
    text = values.astype("string").str.strip()
    special = text.str.contains(",", regex=False)
    if group != ",":
        special |= text.str.contains(group, regex=False)
    marked = special.fillna(False).to_numpy(bool)
    fits = np.zeros(len(text), bool)
    if marked.any():
        fits[marked] = text[marked].str.fullmatch(pattern.pattern).fillna(False).to_numpy(bool)
    if not fits.any():
        if not any(pattern.fullmatch(cell) for cell in _distinct(text[~marked])):
            return coerce_numeric(values)
        return coerce_numeric(text)  # no cell to rewrite: the stripped text as it is
    at = np.flatnonzero(fits)
    cells = text.copy()
    fitting = text.iloc[at]
    rewritten = fitting.str.replace(group, "", regex=False).str.replace(",", ".", regex=False)
    cells.iloc[at] = rewritten.to_numpy(dtype=object)  # type: ignore[call-overload]
    return coerce_numeric(cells)


def _distinct(text: pd.Series) -> list[str]:
    """The distinct non-blank cells of a text column, in order of first occurrence."""
    import pandas as pd

    return [str(cell) for cell in pd.unique(text.dropna().to_numpy(dtype=object))]
