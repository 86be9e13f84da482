"""The List-of-Waste code of each waste row, for B7 (VSME) and E5-5 (ESRS).

A ``waste_out`` row's code is, in this order: the ledger's own ``waste_code`` cell
(docs/ledger.md, optional column), the answers file's ``waste_codes`` entry for the row's
``material``, or a ``category`` that is a six-digit code of the list. Codes are those of
the EU List of Waste (Commission Decision 2000/532/EC), which the German
Abfallverzeichnis-Verordnung (AVV, Anlage) adopts code for code; hazardousness comes from
the list (its asterisk entries), never from the text.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kreislauf.reporting.answers import Answers
from kreislauf.reporting.taxonomy import normalise_waste_code, waste_codes


@dataclass(frozen=True)
class WasteCodes:
    """Per waste row (in the rows' order) its six-digit code ``"07 02 13"`` or ``""``
    (no code, or a code that is not a six-digit entry of the list); ``warnings`` name the
    ledger cell (file, row) of every code not on the list or whose asterisk contradicts
    the list."""

    codes: tuple[str, ...]
    warnings: tuple[str, ...]


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()  # type: ignore[call-overload]


def row_waste_codes(waste: pd.DataFrame, answers: Answers) -> WasteCodes:
    """The code of each row of ``waste`` (``waste_out`` flows of a ledger)."""
    table = waste_codes()
    given = waste["waste_code"] if "waste_code" in waste.columns else [None] * len(waste)
    codes: list[str] = []
    warnings: list[str] = []
    for material, category, written, source, row in zip(
        waste["material"], waste["category"], given, waste["source"], waste["row"], strict=True
    ):
        cell = _text(written)
        if cell:
            code = normalise_waste_code(cell)
            entry = table.get(code)
            where = f"{source}, row {int(row)}, column 'waste_code'"
            if entry is None or entry.hazardous is None:
                warnings.append(
                    f"{where}: '{cell}' is not a six-digit code of the List of Waste (AVV); "
                    "the row counts as waste without a code"
                )
                code = ""
            elif cell.endswith("*") != entry.hazardous:
                state = "hazardous" if entry.hazardous else "not hazardous"
                mark = "with" if entry.hazardous else "without"
                warnings.append(
                    f"{where}: {entry.code} is {state} on the List of Waste; write it {mark} "
                    "the asterisk (the list's classification is used)"
                )
            codes.append(code)
            continue
        code = answers.waste_codes.get(_text(material), "")
        if not code:
            candidate = normalise_waste_code(_text(category))
            entry = table.get(candidate)
            code = candidate if entry is not None and entry.hazardous is not None else ""
        codes.append(code)
    return WasteCodes(tuple(codes), tuple(warnings))
