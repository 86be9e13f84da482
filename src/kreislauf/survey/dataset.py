"""What every response reader returns, and the one place where cells become numbers.

Readers (CSV, XLSX, SPSS ``.sav``, LimeSurvey) do not decide what a column means; they
return :class:`RawResponses`: the cells as read, what the source itself says about each
column (question text, value labels, user-missing codes) and which answers were not shown
to the respondent. The analysis decides later which columns are items and converts them
with :func:`kreislauf.numbers.coerce_numeric`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

Code = float | str


@dataclass(frozen=True)
class ColumnMeta:
    """What a source file says about one column.

    text : question text (SPSS variable label, LimeSurvey question [+ subquestion] text)
    value_labels : answer code -> label (SPSS value labels, LimeSurvey answer options)
    missing_codes : codes the source declares as missing (SPSS user-missing values)
    """

    text: str | None = None
    value_labels: dict[Code, str] = field(default_factory=dict)
    missing_codes: frozenset[Code] = frozenset()


@dataclass(frozen=True)
class RawResponses:
    """Responses as read from one file.

    frame : one row per response, columns in file order. Cells are ``str`` for text formats
        (CSV, LimeSurvey) and ``float``/``str`` for typed formats (XLSX, SAV). Blank cells
        are ``NaN``; strings are stripped.
    not_shown : per column a boolean mask of answers the respondent never saw (LimeSurvey
        ``NULL``/``N/A``). Columns without such answers may be absent.
    meta : per column what the source says about it (may be absent for plain CSV).
    source : file name used in messages.
    first_row : the row number, as a user sees it in the file, of ``frame.iloc[0]``
        (2 for CSV/XLSX with a header line, 1 for SPSS case numbers).
    id_column : the respondent identifier when the source names one (LimeSurvey ``id``);
        otherwise the analysis looks for a column whose values are all unique.
    """

    frame: pd.DataFrame
    source: str
    first_row: int = 2
    not_shown: dict[str, np.ndarray] = field(default_factory=dict)
    meta: dict[str, ColumnMeta] = field(default_factory=dict)
    id_column: str | None = None

    def file_row(self, position: int) -> int:
        """The row number in the file of the response at 0-based ``position``."""
        return self.first_row + position
