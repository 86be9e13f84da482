"""The one reader of tables: CSV, TXT, TSV and XLSX files of every domain.

:func:`read_table` (a path) and :func:`read_table_text` (bytes or text, e.g. an upload)
return a :class:`Table`: the cells under their headings and, for every row, the line (CSV)
or row (XLSX) number the user sees in an editor or in Excel, so that a message can point at
it even after skipped lines. What is detected unless given:

* the encoding (:func:`detect_encoding`): a byte order mark, else UTF-8, else Windows-1252
  (German Excel's "CSV (Trennzeichen-getrennt)"; it reads ISO-8859-1 text the same way);
* the delimiter (:func:`detect_delimiter`): tab, ``;``, ``,`` or ``|``;
* per numeric column, the decimal mark (:func:`kreislauf.numbers.detect_decimal`), when the
  caller converts a column with :meth:`Table.numbers` or :meth:`Table.coerce`.

Blank lines, rows whose cells are all blank and, with ``comments=True``, lines starting with
``#`` are skipped. Cells of text files are stripped strings, blank cells ``NaN``; XLSX cells
keep what the sheet holds (numbers, dates, text). Numbers are read only through
:mod:`kreislauf.numbers`. Problems raise :class:`~kreislauf.errors.FileNotReadable`
(cannot open, not decodable, malformed CSV, corrupt XLSX), :class:`UnsupportedFormat`,
:class:`DuplicateColumn` or :class:`InvalidOption`, each naming the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd

from kreislauf.bounded import Limits, archive_members, current
from kreislauf.errors import (
    DuplicateColumn,
    FileNotReadable,
    InputError,
    InvalidNumber,
    InvalidOption,
    LimitExceeded,
    TextNotStorable,
    os_error_reason,
)
from kreislauf.i18n import Msg, msg
from kreislauf.numbers import Decimal, coerce_numeric, detect_decimal

__all__ = [
    "DELIMITERS",
    "TEXT_SUFFIXES",
    "XLSX_SUFFIXES",
    "Table",
    "check_options",
    "check_xlsx",
    "csv_reason",
    "decode",
    "detect_delimiter",
    "detect_encoding",
    "read_table",
    "read_table_text",
    "xlsx_grid",
]

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = ("\t", ";", ",", "|")
_SAMPLE_CHARS = 65_536
_SAMPLE_RECORDS = 50
_MULTI_BYTE = ("utf", "gb", "big5", "shift_jis", "cp932", "euc", "iso2022", "cp949", "cp950")
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")
_COMMENT_LINE = re.compile(r"(?m)^[ \t]*#[^\r\n]*")
# XLSX parts scanned before openpyxl loads them, and what is looked for in their XML
_XLSX_SCANNED = re.compile(r"xl/(worksheets/[^/]+|sharedStrings)\.xml")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([^\"]+)\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b":c ")  # ":c ": a cell with a namespace prefix
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Za-z]+)(\d+)\"")
_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,9})")
#: XML bytes per character of a cell at most: UTF-8 (4) or an entity such as ``&quot;``.
_XML_BYTES_PER_CHAR = 6
_XLSX_CHUNK = 1 << 20


@dataclass(frozen=True)
class Table:
    """The rows of one file under its headings.

    frame : one column per heading (stripped), one row per data row; text cells are stripped
        ``str``, blank cells ``NaN`` (columns read as ``categories``: categorical; as
        ``numeric``: float64 when every cell is a plain number; XLSX: numbers, dates and
        text as the sheet holds them). A column as numbers, bad cells named: :meth:`numbers`.
    lines : per row of ``frame``, its line number in the file (XLSX: the sheet's row number)
    source : the file name used in messages
    header_line : the line number of the headings
    encoding, delimiter : what was used to read a text file (``None`` for XLSX)
    decimal : the decimal mark given by the caller (``None``: detected per column)
    """

    frame: pd.DataFrame
    lines: np.ndarray
    source: str
    header_line: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    decimal: Decimal | None = None
    _decimals: dict[str, Decimal | None] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        """The headings in file order."""
        return [str(c) for c in self.frame.columns]

    def decimal_of(self, column: str) -> Decimal | None:
        """The decimal mark of ``column``: as given, else detected from its cells."""
        if self.decimal is not None:
            return self.decimal
        if column not in self._decimals:
            self._decimals[column] = detect_decimal(self.frame[column])
        return self._decimals[column]

    def coerce(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """``(numbers, bad)`` of ``column`` by :func:`kreislauf.numbers.coerce_numeric`."""
        return coerce_numeric(self.frame[column], decimal=self.decimal_of(column))

    def numbers(
        self,
        column: str,
        *,
        expected: str | Msg | None = None,
        error: Callable[..., InputError] = InvalidNumber,
    ) -> np.ndarray:
        """``column`` as float64 [the column's unit], blank cells ``NaN``.

        Raises ``error`` (default :class:`~kreislauf.errors.InvalidNumber`) at the first cell
        that is not a number, naming file, the cell's real line, column, value and
        ``expected``.
        """
        values, bad = self.coerce(column)
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            raise error(
                file=self.source,
                row=int(self.lines[position]),
                column=column,
                value=str(self.frame[column].iloc[position]),
                expected=expected if expected is not None else msg("tables.expected.number"),
            )
        return values

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line, {heading: text})`` per row; blank cells as ``""``, every cell as text."""
        names = self.columns
        cells = self.frame.astype(object).where(self.frame.notna(), "").to_numpy(dtype=object)
        for line, row in zip(self.lines.tolist(), cells.tolist(), strict=True):
            yield line, {name: _text(value) for name, value in zip(names, row, strict=True)}


def read_table(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: Decimal | None = None,
    sheet: str | int | None = None,
    skip_rows: int = 0,
    comments: bool = False,
    categories: Collection[str] = (),
    numeric: Collection[str] = (),
) -> Table:
    """Read the table in ``path``: XLSX for ``.xlsx``/``.xlsm``, any other file as text.

    encoding, delimiter : override the detection (text files)
    decimal : the decimal mark of every numeric column (default: detected per column)
    sheet : name or 0-based index of the XLSX sheet (default: the first)
    skip_rows : lines (rows) above the headings to ignore, e.g. an export's title block
    comments : skip lines whose first character other than blanks is ``#``
    categories : headings of text columns to hold as :class:`pandas.Categorical` (labels
        that repeat on many rows: less memory, faster to group); cells are the same
    numeric : headings of number columns that may be parsed straight to float64 when every
        cell is a plain number, as the general rule of :mod:`kreislauf.numbers` reads them
        (fast for large files); a column with any other cell stays text. Only with
        ``decimal=None``; use :meth:`Table.coerce` or :meth:`Table.numbers` either way.

    A file with no headings gives a table without columns; headings only, one without rows.
    """
    path = Path(path)
    name = path.name
    if path.suffix.lower() in XLSX_SUFFIXES:
        _refuse(name, "xlsx", encoding=encoding, delimiter=delimiter)
        return _read_xlsx(
            path, sheet=sheet, skip_rows=skip_rows, comments=comments, decimal=decimal
        )
    _refuse(name, "text", sheet=sheet)
    return _read_text(
        path,
        name=name,
        encoding=encoding,
        delimiter=delimiter,
        decimal=decimal,
        skip_rows=skip_rows,
        comments=comments,
        categories=categories,
        numeric=numeric,
    )


def read_table_text(
    data: bytes | str,
    *,
    name: str,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: Decimal | None = None,
    skip_rows: int = 0,
    comments: bool = False,
    categories: Collection[str] = (),
    numeric: Collection[str] = (),
) -> Table:
    """:func:`read_table` for the content of a text file (bytes are decoded as detected).

    name : the file name used in messages
    """
    return _read_text(
        data,
        name=name,
        encoding=encoding,
        delimiter=delimiter,
        decimal=decimal,
        skip_rows=skip_rows,
        comments=comments,
        categories=categories,
        numeric=numeric,
    )


def _read_text(
    source: Path | bytes | str,
    *,
    name: str,
    encoding: str | None,
    delimiter: str | None,
    decimal: Decimal | None,
    skip_rows: int,
    comments: bool,
    categories: Collection[str],
    numeric: Collection[str],
) -> Table:
    """The table of a text file's path or content.

    Each form of the content is let go as soon as the next one exists: the file's bytes once
    decoded, the text once the part below the header is cut from it, that part once it is
    encoded for the parser. Given a path, this function reads the file itself, so that no
    caller holds the bytes meanwhile (a 60 MB ledger: 180 MB less at the parse's peak).
    """
    if isinstance(source, Path):
        try:
            source = source.read_bytes()
        except OSError as error:
            raise FileNotReadable(file=name, reason=os_error_reason(error)) from error
    check_options(name, encoding=encoding, delimiter=delimiter, skip_rows=skip_rows)
    if isinstance(source, bytes):
        text, used = _detect_and_decode(source, name=name, encoding=encoding)
    else:
        text, used = source.removeprefix("\ufeff"), encoding
    del source
    if "\r" in text:  # line numbers as an editor counts them: "\r\n" and "\r" end a line
        text = io.StringIO(text, newline=None).read()
    if skip_rows:
        parts = text.split("\n", skip_rows)
        text = parts[skip_rows] if len(parts) > skip_rows else ""
        del parts
    if comments and "#" in text:
        text = _COMMENT_LINE.sub("", text)  # blanked, not removed: the lines keep their numbers
    separator = delimiter or detect_delimiter(text[: 2 * _SAMPLE_CHARS].lstrip("\n"))
    skipped, header, body = _split_header(text, separator)
    del text
    if header is None:
        return _empty(name, used, separator)
    header_line = skip_rows + skipped + 1
    headings = [h.strip() for h in next(csv.reader([header], delimiter=separator), [])]
    if "\x00" in body:  # pandas' C parser would cut the cell at NUL ("Lei\x00pzig" -> "Lei")
        _refuse_nul(name, body, separator, headings, first_line=header_line + 1)
    blank = not body or body.isspace()
    # bytes, not io.StringIO: a StringIO holds the text as 4 bytes a character (240 MB for a
    # 60 MB ledger) and pandas encodes it back to UTF-8 anyway
    data = body.encode("utf-8")
    del body
    # b"\n" never occurs inside a UTF-8 sequence: this counts the text's line ends
    newlines = data.count(b"\n")
    # the grid pandas fills: every line below the header (blank ones too) times the headings
    cells = len(headings) * (newlines + 1)
    _check_extent(name, rows=0, columns=len(headings), cells=cells, limits=current())
    grid = _parse_csv(
        name,
        None if blank else data,
        separator,
        width=len(headings),
        first_line=header_line + 1,
        dtypes={i: _dtype(h, categories, numeric, decimal) for i, h in enumerate(headings)},
    )
    lines = _line_numbers(data, len(grid), header_line + 1, newlines=newlines)
    del data
    return _text_table(
        grid,
        headings,
        lines,
        name=name,
        header_line=header_line,
        encoding=used,
        delimiter=separator,
        decimal=decimal,
    )


def detect_encoding(data: bytes) -> str | None:
    """The text encoding of ``data``, or ``None`` when it is not text.

    1. A byte order mark decides (UTF-8, UTF-16, UTF-32).
    2. Data that decodes as UTF-8 is UTF-8.
    3. charset-normalizer is asked; a multi-byte encoding it finds (e.g. UTF-16 without BOM,
       Shift-JIS) is taken. Bytes 0x00 outside such an encoding mean binary data: ``None``.
    4. Otherwise Windows-1252, the code page of German Excel's "CSV (Trennzeichen-getrennt)",
       when it decodes the data; for short German texts charset-normalizer often guesses
       cp1250 or even cp1006, which would garble "é" or every umlaut. ISO-8859-1 text reads
       the same in Windows-1252 (they differ only in control characters 0x80-0x9F).
    5. Otherwise charset-normalizer's guess, if any.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8"
    import charset_normalizer  # only for text that is not UTF-8 (slow to import)

    best = charset_normalizer.from_bytes(data).best()
    guessed = best.encoding if best is not None else None
    if b"\x00" in data:
        return guessed if guessed and guessed.startswith(("utf_16", "utf_32")) else None
    if guessed is not None and guessed.startswith(_MULTI_BYTE):
        return guessed
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return guessed
    return "cp1252"


def detect_delimiter(text: str) -> str:
    """The field delimiter of CSV text: tab, ``;``, ``,`` or ``|``.

    A candidate fits when it splits the first records (up to 50, quotes respected) into the
    same number of fields, more than one. Candidates are tried in the order tab, ``;``, ``,``,
    ``|``: German Excel separates with ``;`` and then uses ``,`` as decimal mark and in text,
    so a file that splits evenly on ``;`` is a ``;`` file even if every line has commas. If
    none fits, the candidate found most often in the header line wins; ``,`` if none occurs
    (a one-column file).
    """
    sample = text[:_SAMPLE_CHARS]
    truncated = len(text) > _SAMPLE_CHARS
    if truncated and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    counts: dict[str, int] = {}
    for candidate in DELIMITERS:
        lines = io.StringIO(sample, newline=None)  # universal newlines: "\r" ends a line too
        try:
            records = [r for r in csv.reader(lines, delimiter=candidate) if r]
        except csv.Error:  # e.g. a stray quote: this candidate tells nothing
            records = []
        records = records[:_SAMPLE_RECORDS]
        widths = {len(r) for r in records}
        if len(widths) == 1 and widths.pop() > 1:
            return candidate
        counts[candidate] = len(records[0]) - 1 if records else 0
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def decode(data: bytes, *, name: str, encoding: str | None = None) -> str:
    """``data`` as text in ``encoding`` or the detected one, without a byte order mark.

    Raises :class:`FileNotReadable` for binary data, an encoding that cannot be detected, or
    bytes that ``encoding`` cannot decode (naming the byte's position).
    """
    return _decode(data, name=name, encoding=encoding or detect_encoding(data))


#: Byte order marks :func:`detect_encoding` decides by.
_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)


def _detect_and_decode(data: bytes, *, name: str, encoding: str | None) -> tuple[str, str | None]:
    """The text of ``data`` and the encoding used: ``encoding``, else :func:`detect_encoding`'s.

    UTF-8 without a byte order mark, the common case, is decoded once, not once to detect
    it and again to read it (the same text and encoding as the two steps).
    """
    if encoding is None and not data.startswith(_BOMS) and b"\x00" not in data:
        try:
            return data.decode("utf-8").removeprefix("\ufeff"), "utf-8"
        except UnicodeDecodeError:
            pass  # not UTF-8: detected as before
    used = encoding or detect_encoding(data)
    return _decode(data, name=name, encoding=used), used


def _decode(data: bytes, *, name: str, encoding: str | None) -> str:
    chosen = encoding
    if chosen is None:
        binary = b"\x00" in data
        reason = msg("readers.reason.binary" if binary else "readers.reason.unknown_encoding")
        raise FileNotReadable(file=name, reason=reason)
    try:
        return data.decode(chosen).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        reason = msg("readers.reason.undecodable", encoding=chosen, position=exc.start)
        raise FileNotReadable(file=name, reason=reason) from exc
    except LookupError as exc:  # a codec that is no text encoding, e.g. "rot13", "zip"
        raise InvalidOption(
            file=name, value=chosen, option="encoding", expected=msg("readers.expected.encoding")
        ) from exc


def csv_reason(exc: pd.errors.ParserError, separator: str, lines: np.ndarray | None = None) -> Msg:
    """A translatable reason for pandas' CSV error; ``lines``: the file line of each record."""

    def line_of(record: int) -> int:  # pandas counts records from 1
        if lines is None or not 0 < record <= len(lines):
            return record
        return int(lines[record - 1])

    ragged = _RAGGED.search(str(exc))
    if ragged:
        expected, record, found = ragged.groups()
        shown = "\\t" if separator == "\t" else separator
        return msg(
            "readers.reason.ragged_line",
            line=line_of(int(record)),
            found=found,
            expected=expected,
            delimiter=shown,
        )
    open_quote = _OPEN_QUOTE.search(str(exc))
    if open_quote:
        return msg("readers.reason.open_quote", line=line_of(int(open_quote.group(1)) + 1))
    return msg("readers.reason.malformed_csv", detail=str(exc).strip())


# --- helpers -------------------------------------------------------------------------------


def check_options(
    name: str, *, encoding: str | None, delimiter: str | None, skip_rows: int = 0
) -> None:
    """Refuse a delimiter that is not one character, an unknown encoding, negative skip_rows.

    Raises :class:`InvalidOption` naming the file ``name``, the option and what it expects;
    readers that take these options from their users call it before reading.
    """
    if delimiter is not None and len(delimiter) != 1:
        raise InvalidOption(
            file=name,
            value=delimiter,
            option="delimiter",
            expected=msg("readers.expected.delimiter"),
        )
    if encoding is not None:
        try:
            if not codecs.lookup(encoding)._is_text_encoding:
                raise LookupError(encoding)
        except LookupError as exc:
            raise InvalidOption(
                file=name,
                value=encoding,
                option="encoding",
                expected=msg("readers.expected.encoding"),
            ) from exc
    if skip_rows < 0:
        raise InvalidOption(
            file=name, value=skip_rows, option="skip_rows", expected=msg("tables.expected.skip")
        )


def _refuse(name: str, kind: str, **given: object) -> None:
    """Options that do not fit the format are an error, not silently ignored."""
    formats = {"xlsx": "CSV", "text": "XLSX"}
    for option, value in given.items():
        if value is not None:
            raise InvalidOption(
                file=name,
                value=value,
                option=option,
                expected=msg("readers.expected.option_format", formats=formats[kind]),
            )


def _dtype(
    heading: str, categories: Collection[str], numeric: Collection[str], decimal: Decimal | None
) -> str | None:
    """How pandas parses a column: as categories, as text, or ``None``: numbers if it can."""
    if heading in categories:
        return "category"
    return None if heading in numeric and decimal is None else "str"


def _split_header(text: str, separator: str) -> tuple[int, str | None, str]:
    """``(lines before the header, header line, the text below it)``; no header: ``None``.

    Blank lines and rows of delimiters only (Excel's empty rows) above the header are skipped.
    """
    skipped, position = 0, 0
    blank = f"{separator} \t\"'"
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        line = text[position:end]
        if line.strip(blank):
            return skipped, line, text[end + 1 :]
        skipped, position = skipped + 1, end + 1
    return skipped, None, ""


def _parse_csv(
    name: str,
    data: bytes | None,
    separator: str,
    *,
    width: int,
    first_line: int,
    dtypes: dict[int, str | None],
) -> pd.DataFrame:
    """The records below the header, ``width`` fields each; blank lines kept as blank rows.

    ``data`` is that text in UTF-8 (None: it is blank). A column whose dtype is ``None`` is
    parsed as numbers when every cell is a plain number (pandas' C parser, fast for large
    files) and as text otherwise.
    """
    if data is None:
        return pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)})
    try:
        with warnings.catch_warnings():
            # a first record longer than the header would silently lose its last fields
            warnings.simplefilter("error", pd.errors.ParserWarning)
            grid = pd.read_csv(
                io.BytesIO(data),
                encoding="utf-8",
                sep=separator,
                header=None,
                names=list(range(width)),
                index_col=False,
                dtype={i: t for i, t in dtypes.items() if t is not None},
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                engine="c",
            )
    except pd.errors.ParserWarning as exc:
        first = data.split(b"\n", 1)[0].decode("utf-8")
        found = len(next(csv.reader([first], delimiter=separator), []))
        shown = "\\t" if separator == "\t" else separator
        reason = msg(
            "readers.reason.ragged_line",
            line=first_line,
            found=found,
            expected=width,
            delimiter=shown,
        )
        raise FileNotReadable(file=name, reason=reason) from exc
    except pd.errors.EmptyDataError:
        return pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)})
    except pd.errors.ParserError as exc:
        starts = _record_starts(data.decode("utf-8"), first_line)
        raise FileNotReadable(file=name, reason=csv_reason(exc, separator, starts)) from exc
    for i, kind in dtypes.items():
        if kind is None and grid[i].dtype == bool:  # "TRUE" in a number column is no number
            grid[i] = grid[i].map({True: "TRUE", False: "FALSE"}).astype(str)
    return grid


#: The characters ``str.strip()`` removes (``str.isspace``), for Arrow's ``utf8_trim``.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def strip_text(cells: np.ndarray) -> np.ndarray:
    """``str.strip()`` of every cell of an object array of ``str`` (no blanks), vectorised.

    One Arrow ``utf8_trim`` with the characters of :data:`WHITESPACE` instead of a Python
    call per cell; the same text. Only the cells that change are new objects, the others
    are the ones given, as ``str.strip()`` returns them (no second copy of a large column
    in memory). Cells Arrow cannot hold (a lone surrogate) are stripped one by one.
    """
    return _strip_measured_text(cells)[0]


def _strip_measured_text(
    cells: np.ndarray,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """:func:`strip_text`, and per stripped cell its length in characters and whether it
    holds NUL (what :func:`_check_cells` asks), from the same Arrow array; the measures are
    ``None`` where Arrow cannot hold a cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(cells, type=pa.string())
    except (pa.ArrowException, UnicodeError, TypeError):
        return np.array([cell.strip() for cell in cells], dtype=object), None
    stripped = pc.utf8_trim(text, characters=WHITESPACE)
    lengths = np.asarray(pc.utf8_length(stripped).to_numpy(zero_copy_only=False), np.int64)
    changed = lengths != np.asarray(pc.utf8_length(text).to_numpy(zero_copy_only=False))
    out = np.array(cells, dtype=object, copy=True)
    if changed.any():  # the others stay the same objects (as str.strip() returns them)
        out[changed] = stripped.filter(pa.array(changed)).to_numpy(zero_copy_only=False)
    # NUL is no white space: the stripped cell holds it exactly when the cell does
    nul = np.asarray(pc.match_substring(text, "\x00").to_numpy(zero_copy_only=False), bool)
    return out, (lengths, nul)


def _line_numbers(data: bytes, records: int, first_line: int, *, newlines: int) -> np.ndarray:
    """The line on which each of the ``records`` records of ``data`` (UTF-8, holding
    ``newlines`` line ends) starts."""
    physical = newlines + 1 - (1 if data.endswith(b"\n") else 0)
    if records == physical:  # no quoted cell holds a line break
        return np.arange(first_line, first_line + records, dtype=np.int64)
    starts = _record_starts(data.decode("utf-8"), first_line)
    padded = np.concatenate([starts, np.full(max(0, records - len(starts)), starts[-1])])
    return padded[:records].astype(np.int64)


def _record_starts(text: str, first_line: int) -> np.ndarray:
    """The line on which each record of ``text`` starts, following quotes as pandas does.

    A quoted cell may hold line breaks; a line with an odd number of quotes opens or closes
    one (inside a quoted cell a quote is written ``""``, which keeps the count even).
    """
    starts: list[int] = []
    inside = False
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not inside:
            starts.append(number)
        if line.count('"') % 2:
            inside = not inside
    return np.array(starts, dtype=np.int64)


def _table(
    grid: pd.DataFrame,
    lines: np.ndarray,
    *,
    name: str,
    encoding: str | None,
    delimiter: str | None,
    decimal: Decimal | None,
) -> Table:
    """Headings from the first filled row of ``grid``, data rows below it."""
    if grid.empty:
        return _empty(name, encoding, delimiter)
    grid = grid.apply(_strip_column)
    filled = grid.notna().any(axis=1).to_numpy()
    rows = np.flatnonzero(filled)
    if rows.size == 0:
        return _empty(name, encoding, delimiter)
    header, body_rows = int(rows[0]), rows[1:]
    body = grid.iloc[body_rows]
    names, keep = named_columns(
        list(grid.iloc[header]), lambda i: bool(body.iloc[:, i].notna().any()), name
    )
    frame = pd.DataFrame(
        {n: body.iloc[:, i].reset_index(drop=True) for n, i in zip(names, keep, strict=True)}
    )
    _check_cells(frame, lines[body_rows], name=name)
    return Table(
        frame=frame,
        lines=lines[body_rows],
        source=name,
        header_line=int(lines[header]),
        encoding=encoding,
        delimiter=delimiter,
        decimal=decimal,
    )


def _text_table(
    grid: pd.DataFrame,
    headings: list[str],
    lines: np.ndarray,
    *,
    name: str,
    header_line: int,
    encoding: str | None,
    delimiter: str,
    decimal: Decimal | None,
) -> Table:
    """Cells stripped, blank rows dropped, columns without heading and data dropped."""
    stripped = {int(i): _strip_measured(grid[i]) for i in grid.columns}
    columns: dict[int, pd.Series] = {i: column for i, (column, _) in stripped.items()}
    filled = np.zeros(len(grid), dtype=bool)
    for column in columns.values():
        filled |= column.notna().to_numpy()
    names, keep = named_columns(headings, lambda i: bool(columns[i][filled].notna().any()), name)
    rows = np.flatnonzero(filled)
    everything = len(rows) == len(grid)
    frame = pd.DataFrame(
        {
            n: columns[i] if everything else columns[i].iloc[rows].reset_index(drop=True)
            for n, i in zip(names, keep, strict=True)
        }
    )
    measures = {
        n: measured if everything else (measured[0][rows], measured[1][rows])
        for n, i in zip(names, keep, strict=True)
        if (measured := stripped[i][1]) is not None
    }
    _check_cells(frame, lines[rows], name=name, measures=measures)
    return Table(
        frame=frame,
        lines=lines[rows],
        source=name,
        header_line=header_line,
        encoding=encoding,
        delimiter=delimiter,
        decimal=decimal,
    )


def _refuse_nul(
    name: str, body: str, separator: str, headings: list[str], *, first_line: int
) -> None:
    """Raise TextNotStorable at the first cell of ``body`` holding NUL (file, row, column)."""
    position = body.index("\x00")
    start = body.rfind("\n", 0, position) + 1
    end = body.find("\n", position)
    line = body[start : end if end >= 0 else len(body)]
    cells = next(csv.reader([line.replace("\x00", "\ufffd")], delimiter=separator), [])
    index = next((i for i, cell in enumerate(cells) if "\ufffd" in cell), 0)
    column = headings[index] if index < len(headings) else str(index + 1)
    raise TextNotStorable(
        file=name,
        row=first_line + body.count("\n", 0, start),
        column=column,
        value=cells[index].replace("\ufffd", "\x00") if cells else "",
        limit=current().max_cell_chars,
    )


def _check_cells(
    frame: pd.DataFrame,
    lines: np.ndarray,
    *,
    name: str,
    measures: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> None:
    """Refuse rows beyond ``max_rows``, a cell longer than ``max_cell_chars`` or with NUL.

    No table has a use for the NUL character, and PostgreSQL cannot store it in text.
    measures : per column, the length and NUL of every cell when the stripping measured
        them already (:func:`_strip_measured`); other columns are measured here.
    """
    limits = current()
    _check_extent(name, rows=len(frame), columns=frame.shape[1], cells=0, limits=limits)
    for column in frame.columns:
        cells = frame[column]
        if measures and column in measures:
            lengths, nul = measures[column]
            _refuse_cell(cells, lengths, nul, lines, name=name, column=column)
            continue
        if isinstance(cells.dtype, pd.CategoricalDtype):
            labels = pd.Series(cells.cat.categories.astype(str))
            if not ((labels.str.len() > limits.max_cell_chars) | labels.str.contains("\x00")).any():
                continue
            cells = cells.astype(object)
        elif pd.api.types.is_numeric_dtype(cells.dtype) or not len(cells):
            continue
        text = cells
        vectorised = cells.dtype != object or pd.api.types.infer_dtype(cells) == "string"
        measured = _arrow_measure(cells) if cells.dtype == object and vectorised else None
        if measured is not None:
            lengths, nul = measured
        elif pd.api.types.is_string_dtype(cells.dtype) and vectorised:  # text and blanks only
            lengths = cells.str.len().astype("float64").fillna(0).to_numpy(dtype=np.int64)
            nul = cells.str.contains("\x00", regex=False, na=False).to_numpy(dtype=bool)
        else:  # XLSX cells: numbers, dates and text mixed
            lengths = np.fromiter(
                (len(v) if isinstance(v, str) else 0 for v in text), np.int64, len(text)
            )
            nul = np.fromiter((isinstance(v, str) and "\x00" in v for v in text), bool, len(text))
        _refuse_cell(text, lengths, nul, lines, name=name, column=column)


def _refuse_cell(
    text: pd.Series,
    lengths: np.ndarray,
    nul: np.ndarray,
    lines: np.ndarray,
    *,
    name: str,
    column: object,
) -> None:
    """Raise for the first cell longer than ``max_cell_chars`` or holding NUL, if any."""
    limits = current()
    wrong = np.flatnonzero((lengths > limits.max_cell_chars) | nul)
    if not len(wrong):
        return
    first = int(wrong[0])
    where = {"file": name, "row": int(lines[first]), "column": str(column)}
    if nul[first]:
        raise TextNotStorable(**where, value=text.iloc[first], limit=limits.max_cell_chars)
    raise LimitExceeded(
        **where,
        limit="max_cell_chars",
        found=int(lengths[first]),
        allowed=limits.max_cell_chars,
    )


def _arrow_measure(cells: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Per cell of an object column of ``str`` and blanks: its length in characters (blank:
    0) and whether it holds NUL, by Arrow (``None`` if Arrow cannot hold a cell)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(cells.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError, TypeError):
        return None
    lengths = pc.fill_null(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    nul = pc.fill_null(pc.match_substring(text, "\x00"), False).to_numpy(zero_copy_only=False)
    return np.asarray(lengths, dtype=np.int64), np.asarray(nul, dtype=bool)


def _empty(name: str, encoding: str | None, delimiter: str | None) -> Table:
    return Table(
        frame=pd.DataFrame(),
        lines=np.zeros(0, dtype=np.int64),
        source=name,
        encoding=encoding,
        delimiter=delimiter,
    )


def _strip_column(column: pd.Series) -> pd.Series:
    """Cells without surrounding blanks; blank cells ``NaN`` (categories: stripped once)."""
    return _strip_measured(column)[0]


def _strip_measured(column: pd.Series) -> tuple[pd.Series, tuple[np.ndarray, np.ndarray] | None]:
    """:func:`_strip_column`, and for a text column stripped by Arrow the length and NUL of
    every stripped cell (blank: 0 and False), so that :func:`_check_cells` need not hand the
    column to Arrow a second time; ``None`` for every other column."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = column.cat.categories.astype(str)
        stripped = labels.str.strip()
        if stripped.equals(labels):
            return (column.cat.remove_categories([""]) if "" in labels else column), None
        text = column.astype(object).where(column.notna(), None)
        return _strip_column(text).astype("category"), None
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column, None
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) != "string":
        column = column.map(lambda v: v.strip() if isinstance(v, str) else v)  # XLSX: mixed
    elif column.dtype == object:  # text (and blanks) only: one vectorised strip
        cells = column.to_numpy(dtype=object, copy=True)
        blank = pd.isna(cells)
        given = ~blank
        cells[given], measured = _strip_measured_text(cells[given])
        blank |= cells == ""
        cells[blank] = np.nan
        result = pd.Series(cells, index=column.index, dtype=object, name=column.name)
        if measured is None:
            return result, None
        lengths, nul = np.zeros(len(cells), np.int64), np.zeros(len(cells), bool)
        lengths[given], nul[given] = measured  # a cell stripped to "" has length 0, no NUL
        return result, (lengths, nul)
    else:  # pandas' string dtypes
        column = column.str.strip()
    return column.mask(column.isna() | (column == "")), None


def named_columns(
    headings: Sequence[object], has_data: Callable[[int], bool], name: str
) -> tuple[list[str], list[int]]:
    """The names and 0-based positions of the columns a table keeps.

    has_data : whether the column at a 0-based position holds any cell; asked only for
        columns without a heading

    A column with neither heading nor data is dropped (a trailing delimiter, an empty Excel
    column); one with data but no heading is named ``column N`` (N its position). Headings
    are stripped text (whole numbers without ``.0``). Two columns with the same name are a
    :class:`DuplicateColumn` error naming both positions.
    """
    texts = [_heading(h) for h in headings]
    keep = [i for i, h in enumerate(texts) if h or has_data(i)]
    names = [texts[i] or f"column {i + 1}" for i in keep]
    _check_duplicates(names, keep, name)
    return names, keep


def _heading(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text(value: object) -> str:
    """A cell as text: XLSX whole numbers without ``.0``, dates in ISO 8601."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _check_duplicates(names: list[str], positions: list[int], name: str) -> None:
    seen: dict[str, list[int]] = {}
    for heading, position in zip(names, positions, strict=True):
        seen.setdefault(heading, []).append(position + 1)
    for heading, found in seen.items():
        if len(found) > 1:
            raise DuplicateColumn(file=name, column=heading, positions=", ".join(map(str, found)))


def xlsx_grid(path: Path, *, sheet: str | int | None = None, skip_rows: int = 0) -> pd.DataFrame:
    """The cells of one sheet of an XLSX file as read, without headings (``dtype=object``).

    The file is checked against the current limits (:func:`check_xlsx`) before openpyxl
    loads it; text cells stay text (``"NA"`` is not blank, as in CSV). ``sheet`` is a name
    or a 0-based position (default: the first sheet).

    Raises :class:`FileNotReadable` (unreadable or corrupt file), :class:`InvalidOption`
    (no such sheet, negative ``skip_rows``) or :class:`LimitExceeded`.
    """
    from openpyxl.utils.exceptions import InvalidFileException  # only for XLSX files

    name = path.name
    check_options(name, encoding=None, delimiter=None, skip_rows=skip_rows)
    check_xlsx(path, limits=current())
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = [str(n) for n in book.sheet_names]
            chosen = _sheet_name(name, names, sheet)
            return pd.read_excel(
                book,
                sheet_name=chosen,
                header=None,
                dtype=object,
                skiprows=skip_rows,
                keep_default_na=False,
            )
    except OSError as error:
        raise FileNotReadable(file=name, reason=os_error_reason(error)) from error
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ParseError,
        ValueError,
        TypeError,
        EOFError,
        zlib.error,
    ) as exc:
        reason = msg("readers.reason.corrupt_xlsx", detail=str(exc).strip("'\""))
        raise FileNotReadable(file=name, reason=reason) from exc


def _read_xlsx(
    path: Path, *, sheet: str | int | None, skip_rows: int, comments: bool, decimal: Decimal | None
) -> Table:
    name = path.name
    grid = xlsx_grid(path, sheet=sheet, skip_rows=skip_rows)
    lines = np.arange(skip_rows + 1, skip_rows + 1 + len(grid), dtype=np.int64)
    if comments and len(grid):
        first = grid.bfill(axis=1).iloc[:, 0] if grid.shape[1] else grid.iloc[:, 0]
        comment = first.map(lambda v: isinstance(v, str) and v.lstrip().startswith("#"))
        keep = ~comment.to_numpy(dtype=bool)
        grid, lines = grid[keep], lines[keep]
    return _table(grid, lines, name=name, encoding=None, delimiter=None, decimal=decimal)


def _sheet_name(file: str, names: list[str], sheet: str | int | None) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    raise InvalidOption(
        file=file,
        value=sheet,
        option="sheet",
        expected=msg("readers.expected.sheet", names=", ".join(names)),
    )


def check_xlsx(path: Path, *, limits: Limits | None = None) -> None:
    """Refuse an XLSX file that would not fit the limits, before anything loads it.

    Reads only the zip directory and streams the XML of every worksheet and of the shared
    strings once, without building it: the parts' uncompressed sizes together
    (``max_xlsx_bytes``, a zip bomb), each sheet's declared ``<dimension ref=…>`` and the
    highest row and column its cells name (``max_rows``, ``max_columns``, ``max_cells``:
    openpyxl and pandas fill the whole grid up to the last cell), its number of cells, and
    text runs longer than a cell may be (``max_cell_chars``).

    Raises :class:`~kreislauf.errors.LimitExceeded` or, for a file that is not a zip
    archive, :class:`~kreislauf.errors.FileNotReadable`.
    """
    bounds = limits or current()
    parts = archive_members(
        path, name=path.name, reason="readers.reason.corrupt_xlsx", limits=bounds
    )
    for part, stream in parts:  # every part counts towards max_xlsx_bytes
        if _XLSX_SCANNED.fullmatch(part):  # worksheets and shared strings are scanned
            _scan_part(stream, name=path.name, limits=bounds)


def _scan_part(stream: IO[bytes], *, name: str, limits: Limits) -> None:
    """Check one XML part chunk by chunk; a tag split between chunks is carried over."""
    longest = limits.max_cell_chars * _XML_BYTES_PER_CHAR
    long_run = re.compile(rb"[^<]{%d}" % (longest + 1))
    rows = columns = cells = 0
    carry = b""
    while True:
        chunk = stream.read(_XLSX_CHUNK)
        data = carry + chunk
        cut = data.rfind(b"<") if chunk else len(data)
        if cut <= 0:
            cut = len(data) if not chunk else 0
        done, carry = data[:cut], data[cut:]
        if len(carry) > longest or long_run.search(done):
            raise LimitExceeded(
                file=name,
                limit="max_cell_chars",
                found=f"> {limits.max_cell_chars}",
                allowed=limits.max_cell_chars,
            )
        head = done if not rows else b""  # the dimension precedes the sheet's first row
        for found in _DIMENSION.findall(head):
            declared = [_ref(part) for part in found.decode("ascii", "replace").split(":")]
            rows = max([rows, *(r for r, _ in declared)])
            columns = max([columns, *(c for _, c in declared)])
        # the largest of equal-width decimal (or letter) references is the last in order
        refs = set(_CELL_REF.findall(done))
        numbers = set(_ROW_REF.findall(done)) | {number for _, number in refs}
        if numbers:
            rows = max(rows, int(max(numbers, key=lambda text: (len(text), text))))
        letters = {letter.upper() for letter, _ in refs}
        if letters:
            last = max(letters, key=lambda text: (len(text), text))
            columns = max(columns, _column_number(last.decode("ascii")))
        cells += sum(done.count(tag) for tag in _CELL_TAGS)
        _check_extent(name, rows=rows, columns=columns, cells=cells, limits=limits)
        if not chunk:
            return


def _ref(text: str) -> tuple[int, int]:
    """``(row, column)`` of a cell reference such as ``XFD1048576`` (``(0, 0)``: none)."""
    match = _REF.fullmatch(text.strip())
    if match is None:
        return 0, 0
    return int(match.group(2)), _column_number(match.group(1))


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _check_extent(name: str, *, rows: int, columns: int, cells: int, limits: Limits) -> None:
    """Refuse a grid beyond ``max_rows``, ``max_columns`` or ``max_cells``."""
    for limit, found, allowed in (
        ("max_rows", rows, limits.max_rows),
        ("max_columns", columns, limits.max_columns),
        ("max_cells", max(cells, rows * columns), limits.max_cells),
    ):
        if found > allowed:
            raise LimitExceeded(file=name, limit=limit, found=found, allowed=allowed)
