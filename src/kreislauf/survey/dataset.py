"""What every response reader returns, and the one place where cells become numbers.

Readers (CSV, XLSX, SPSS ``.sav``, LimeSurvey) do not decide what a column means; they
return :class:`RawResponses`: the cells as read, what the source itself says about each
column (question text, value labels, user-missing codes) and which answers were not shown
to the respondent. The analysis decides later which columns are items and converts them
with :func:`kreislauf.numbers.coerce_numeric`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

Code = float | str
Measure = Literal["nominal", "ordinal", "scale"]


@dataclass(frozen=True)
class ColumnMeta:
    """What a source file says about one column.

    text : question text (SPSS variable label, LimeSurvey question [+ subquestion] text)
    value_labels : answer code -> label (SPSS value labels, LimeSurvey answer options)
    missing_codes : codes the source declares as missing (SPSS user-missing values)
    measure : the declared measurement level (SPSS ``nominal``/``ordinal``/``scale``);
        ``None`` where the source does not say
    string : the source declares the column as text (SPSS ``A8``): never a number
    display_width : the declared display width in characters (SPSS), ``None`` if unknown
    scale : the rating scale ``(min, max)`` the source defines for the column (the answer
        options of a LimeSurvey array question, recoded to consecutive numbers)
    """

    text: str | None = None
    value_labels: dict[Code, str] = field(default_factory=dict)
    missing_codes: frozenset[Code] = frozenset()
    measure: Measure | None = None
    string: bool = False
    display_width: int | None = None
    scale: tuple[int, int] | None = None


@dataclass(frozen=True)
class MultipleSet:
    """Columns that together hold one multiple-response question.

    kind : ``dichotomy`` (each column says "chosen" with ``counted_value``; SPSS ``$mrset``
        type D, LimeSurvey multiple choice) or ``category`` (each column holds one of the
        answer codes; SPSS type C)
    counted_value : the code that means "chosen" in a dichotomy set
    answer_labels : per column the text of the answer it stands for (LimeSurvey
        subquestions); without one the column's own text is used
    """

    id: str
    label: str
    columns: tuple[str, ...]
    kind: Literal["dichotomy", "category"]
    counted_value: Code | None = None
    answer_labels: dict[str, str] = field(default_factory=dict)


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
    multiple_sets : multiple-response questions the source defines (SPSS ``$mrset``,
        LimeSurvey multiple choice)
    """

    frame: pd.DataFrame
    source: str
    first_row: int = 2
    not_shown: dict[str, np.ndarray] = field(default_factory=dict)
    meta: dict[str, ColumnMeta] = field(default_factory=dict)
    id_column: str | None = None
    multiple_sets: tuple[MultipleSet, ...] = ()

    def file_row(self, position: int) -> int:
        """The row number in the file of the response at 0-based ``position``."""
        return self.first_row + position
