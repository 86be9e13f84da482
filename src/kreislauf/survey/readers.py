"""Read survey responses from CSV, Excel (XLSX), SPSS (SAV) and LimeSurvey exports.

Every reader returns a :class:`~kreislauf.survey.dataset.RawResponses`: the cells as read
(``str`` for text files, ``float``/``str`` for XLSX and SAV), blank cells as ``NaN``, strings
stripped, and what the file itself says about its columns. No reader decides what a column
means or turns text into numbers; that is :func:`~kreislauf.numbers.coerce_numeric`,
called by the analysis.

Text files are read with every cell as text, so ``"NA"``, ``"0"`` or ``"007"`` stay what they
are; the encoding and the delimiter are detected by the one table reader
(:func:`kreislauf.tables.detect_encoding`, :func:`kreislauf.tables.detect_delimiter`) unless
given. A LimeSurvey export is recognized by its headings
(see :mod:`kreislauf.survey.limesurvey`). Format details and limits: docs/survey-formats.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from kreislauf.bounded import read_archive_members
from kreislauf.errors import (
    EmptyFile,
    FileNotReadable,
    InvalidOption,
    UnsupportedFormat,
)
from kreislauf.i18n import msg
from kreislauf.survey.dataset import Code, ColumnMeta, MultipleSet, RawResponses
from kreislauf.survey.limesurvey import (
    SurveyStructure,
    is_limesurvey_export,
    limesurvey_responses,
    parse_responses,
    parse_structure,
)
from kreislauf.tables import (
    DELIMITERS,
    check_options,
    csv_reason,
    decode,
    detect_delimiter,
    detect_encoding,
    named_columns,
    xlsx_grid,
)

__all__ = [
    "DELIMITERS",
    "FORMATS",
    "detect_delimiter",
    "detect_encoding",
    "read_responses",
    "read_structure",
]

Kind = Literal["text", "xlsx", "sav", "lsa", "lsr"]
FORMATS: dict[str, Kind] = {
    ".csv": "text",
    ".txt": "text",
    ".tsv": "text",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sav": "sav",
    ".zsav": "sav",
    ".lsa": "lsa",
    ".lsr": "lsr",
}


def read_responses(
    path: Path,
    *,
    structure: Path | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    language: str | None = None,
) -> RawResponses:
    """Read a response file; the format follows from the file name's suffix.

    path : ``.csv``/``.txt``/``.tsv`` (text, LimeSurvey CSV or VV export), ``.xlsx``/``.xlsm``
        (first sheet unless ``sheet``), ``.sav``/``.zsav`` (SPSS), ``.lsa`` (LimeSurvey
        survey archive: structure and responses), ``.lsr`` (LimeSurvey response table as the
        archive holds it; needs ``structure``)
    structure : LimeSurvey structure file (``.lss``) for question texts and answer labels;
        the text file is then read as a LimeSurvey export even if its headings do not say so;
        required for an ``.lsr``
    encoding, delimiter : override the detection for text files
    language : language of the texts taken from ``structure`` (default: its base language)

    Raises :class:`FileNotReadable`, :class:`UnsupportedFormat`, :class:`EmptyFile`,
    :class:`DuplicateColumn` or :class:`InvalidOption`, each naming the file.
    """
    _check_path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UnsupportedFormat(
            file=path.name, suffix=path.suffix or path.name, expected=msg("readers.formats")
        )
    _check_options(
        path,
        kind,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        structure=structure,
        language=language,
    )
    survey = read_structure(structure, language=language) if structure else None
    if kind == "lsa":
        return _read_lsa(path, language=language)
    if kind == "lsr" and survey is not None:  # _check_options: an .lsr needs its .lss
        return _lsr_responses(_read_bytes(path), path.name, survey)
    if kind == "text":
        return _read_text(path, _read_bytes(path), survey, encoding=encoding, delimiter=delimiter)
    if not _read_bytes(path, limit=1):
        raise EmptyFile(file=path.name, detail=msg("readers.empty.no_content"))
    if kind == "xlsx":
        return _read_xlsx(path, sheet)
    return _read_sav(path)


def read_structure(path: Path, *, language: str | None = None) -> SurveyStructure:
    """Read a LimeSurvey structure file (``.lss``); see :func:`limesurvey.parse_structure`."""
    _check_path(path)
    return parse_structure(_read_bytes(path), source=path.name, language=language)


def _read_lsa(path: Path, *, language: str | None) -> RawResponses:
    """A LimeSurvey survey archive: ``survey_<id>.lss`` (structure) and
    ``survey_<id>_responses.lsr`` (the response table; its NULLs are answers never shown).

    The archive (``export.php``, ``exportarchive``) may also hold the participants
    (``_tokens.lst``) and timings (``_timings.lsi``); they are not read. Members are read
    within the limits of an XLSX file (the same zip bomb bound, ``max_xlsx_bytes``).
    """
    suffixes = (".lss", "_responses.lsr")
    members = read_archive_members(
        path,
        name=path.name,
        reason="readers.reason.corrupt_lsa",
        select=lambda member: member.endswith(suffixes),
    )
    lss = next((data for m, data in members.items() if m.endswith(".lss")), None)
    lsr = next((data for m, data in members.items() if m.endswith(suffixes[1])), None)
    if lss is None or lsr is None:
        missing = ".lss" if lss is None else "_responses.lsr"
        reason = msg("readers.reason.lsa_member", member=missing)
        raise FileNotReadable(file=path.name, reason=reason)
    structure = parse_structure(lss, source=path.name, language=language)
    return _lsr_responses(lsr, path.name, structure)


def _lsr_responses(lsr: bytes, source: str, structure: SurveyStructure) -> RawResponses:
    """The responses of an ``.lsr`` (alone or from an archive), named and labelled by the
    survey's structure."""
    frame, null = parse_responses(lsr, source=source, structure=structure)
    if frame.empty:
        raise EmptyFile(file=source, detail=msg("readers.empty.no_cases"))
    return limesurvey_responses(
        frame, source=source, first_row=1, structure=structure, export="lsr", null=null
    )


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise FileNotReadable(file=path.name, reason=msg("readers.reason.is_directory"))
    if not path.exists():
        raise FileNotReadable(file=path.name, reason=msg("readers.reason.not_found"))


def _read_bytes(path: Path, *, limit: int = -1) -> bytes:
    """The file's bytes (the first ``limit`` only, if given); OS errors as FileNotReadable."""
    try:
        with path.open("rb") as handle:
            return handle.read(limit)
    except OSError as exc:
        reason = msg("readers.reason.os_error", detail=exc.strerror or str(exc))
        raise FileNotReadable(file=path.name, reason=reason) from exc


def _check_options(
    path: Path,
    kind: Kind,
    *,
    sheet: str | int | None,
    encoding: str | None,
    delimiter: str | None,
    structure: Path | None,
    language: str | None,
) -> None:
    """Options that do not fit the format are an error, not silently ignored."""
    given = {
        "sheet": sheet,
        "encoding": encoding,
        "delimiter": delimiter,
        "structure": structure.name if structure else None,
    }
    allowed = {"sheet": "xlsx", "encoding": "text", "delimiter": "text", "structure": "text"}
    formats = {"xlsx": "XLSX", "text": "CSV"}
    if kind == "lsr" and structure is None:
        raise InvalidOption(
            file=path.name,
            value=path.name,
            option="structure",
            expected=msg("readers.expected.lsr_structure"),
        )
    for option, value in given.items():
        if value is not None and allowed[option] != kind and (option, kind) != ("structure", "lsr"):
            raise InvalidOption(
                file=path.name,
                value=value,
                option=option,
                expected=msg("readers.expected.option_format", formats=formats[allowed[option]]),
            )
    if language is not None and structure is None and kind not in ("lsa", "lsr"):
        raise InvalidOption(
            file=path.name,
            value=language,
            option="language",
            expected=msg("readers.expected.with_structure"),
        )
    check_options(path.name, encoding=encoding, delimiter=delimiter)


def _read_text(
    path: Path,
    data: bytes,
    structure: SurveyStructure | None,
    *,
    encoding: str | None,
    delimiter: str | None,
) -> RawResponses:
    text = _decode(path, data, encoding)
    del data  # the caller holds no other reference (peak memory)
    if not text.strip():
        raise EmptyFile(file=path.name, detail=msg("readers.empty.no_content"))
    # pandas cannot start at a blank line; skipping them here keeps row numbers right
    body = text.lstrip("\r\n")
    skipped = text[: len(text) - len(body)].count("\n")
    separator = delimiter or detect_delimiter(body)
    grid = _parse_csv_arrow(body, separator)
    if grid is None:  # what Arrow refuses: pandas pads short rows and words the errors
        grid = _stripped(_parse_csv_pandas(path, body, separator))
    del text, body
    top = _first_filled_row(grid, path)
    vv = (
        len(grid) > top + 1
        and is_limesurvey_export(grid.iloc[top + 1].dropna())
        and not is_limesurvey_export(grid.iloc[top].dropna())
    )
    frame, first_row = _frame(grid, top + 1 if vv else top, path)
    first_row += skipped
    if vv or structure is not None or is_limesurvey_export(frame.columns):
        # a VV export has the question texts in its first line, the codes in the second
        pairs = zip(grid.iloc[top + 1], grid.iloc[top], strict=True) if vv else ()
        heading_texts = {h: t for h, t in pairs if isinstance(h, str) and isinstance(t, str)}
        return limesurvey_responses(
            frame,
            source=path.name,
            first_row=first_row,
            structure=structure,
            export="vv" if vv else "csv",
            heading_texts=heading_texts,
        )
    return RawResponses(frame=frame, source=path.name, first_row=first_row)


def _stripped(grid: pd.DataFrame) -> pd.DataFrame:
    """Cells without surrounding whitespace, blank ones missing: one Arrow pass per column
    (``str.strip`` then ``mask`` over the frame took three times as long, issue 21)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # pandas 3's "str" (Arrow storage, NaN for a missing cell); pandas 2.3 has it too
    text = type(pd.array([], dtype=pd.StringDtype("pyarrow", na_value=np.nan)))

    def column(cells: pd.Series) -> pd.Series:
        trimmed = pc.utf8_trim_whitespace(pa.array(cells.array))
        blanked = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
        return pd.Series(text(blanked), index=cells.index)

    return pd.DataFrame({key: column(grid[key]) for key in grid.columns}, index=grid.index)


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    return decode(data, name=path.name, encoding=encoding)


#: How far to look for the end of the first record (its fields name the columns).
_FIRST_RECORD_CHARS = 1 << 20


def _parse_csv_arrow(text: str, separator: str) -> pd.DataFrame | None:
    """The records as Arrow-backed text columns (``0..n-1``), stripped and blanked as
    :func:`_stripped` does it, or ``None`` if Arrow's CSV reader cannot read them as pandas
    would.

    Same dialect as :func:`_parse_csv_pandas` (double quotes, doubled to escape, newlines
    inside quotes, no escape character, no comment lines, blank lines as records of empty
    cells). Arrow parses the bytes into its own buffers without a Python string per cell
    (100,000 × 61 cells: 0.4 instead of 2.5 s, and none of the strings' memory), straight
    into the 64-bit offsets pandas keeps text in; a cell is blanked by clearing its validity
    bit, not by copying the column (issue 21). The two readers give the same cells on every
    text Arrow accepts (tests/survey/test_readers_arrow.py).
    """
    import pyarrow as pa
    import pyarrow.csv as pv

    if "\x00" in text:
        return None  # pandas' C parser ends a cell at NUL; Arrow keeps it
    if '"' in text and not _only_whole_quoted_fields(text, separator):
        return None  # stray or open quotes: pandas' reading (or its error) stays the rule
    try:  # the first record's fields (quotes respected): every column is read as text
        first = io.StringIO(text[:_FIRST_RECORD_CHARS], newline="")
        width = len(next(csv.reader(first, delimiter=separator)))
    except (csv.Error, StopIteration):
        return None
    as_text = {f"f{i}": pa.large_string() for i in range(width)}
    try:
        table = pv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pv.ReadOptions(autogenerate_column_names=True, block_size=1 << 20),
            parse_options=pv.ParseOptions(
                delimiter=separator,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pv.ConvertOptions(
                column_types=as_text,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                true_values=[],
                false_values=[],
                auto_dict_encode=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # Arrow cannot read it: pandas' parser reads it or names the problem
    if any(column.type != pa.large_string() for column in table.columns):
        return None  # more fields than the first record: pandas' error message
    text_array = type(pd.array([], dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
    columns = table.columns
    del table
    grid = {}
    for i in range(len(columns)):
        column, columns[i] = columns[i], None  # let go of each column once converted
        chunks = [_strip_chunk(chunk) for chunk in column.chunks]
        grid[i] = text_array(pa.chunked_array(chunks, column.type))
    return pd.DataFrame(grid, index=pd.RangeIndex(len(grid[0]) if grid else 0))


def _only_whole_quoted_fields(text: str, separator: str) -> bool:
    """Whether every ``"`` of ``text`` belongs to a whole quoted field: one that starts a
    field (after a delimiter or line end), ends one, and holds quotes only doubled.

    Arrow's and pandas' CSV readers differ on other quotes (Arrow takes an open quote at the
    end of the text as a field, pandas refuses it); such texts go to pandas.
    """
    boundary = re.escape(separator) + "\r\n"
    field = re.compile(f'(?:(?<=[{boundary}])|^)"(?:[^"]|"")*"(?=[{boundary}]|$)')
    return '"' not in field.sub("", text)


def _strip_chunk(cells: Any) -> Any:
    """One Arrow text chunk without surrounding whitespace, empty cells missing (the rule of
    :func:`_stripped`); unchanged cells keep their buffers."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(cells)
    if trimmed.buffers()[2].size == cells.buffers()[2].size:  # trimming only removes bytes
        trimmed = cells
    empty = pc.equal(trimmed, "")
    if not pc.any(empty).as_py():
        return trimmed
    if trimmed.offset or trimmed.null_count:
        return pc.if_else(empty, pa.scalar(None, trimmed.type), trimmed)
    filled = pc.invert(empty)  # a fresh boolean array: its bitmap is the new validity
    _, offsets, data = trimmed.buffers()
    return pa.Array.from_buffers(
        trimmed.type, len(trimmed), [filled.buffers()[1], offsets, data], null_count=-1
    )


def _parse_csv_pandas(path: Path, text: str, separator: str) -> pd.DataFrame:
    """All records as text, the header line included, blank lines kept (row numbers), by
    pandas' C parser: the reference of :func:`_parse_csv_arrow` and the reader of what Arrow
    refuses (short rows are padded, errors worded by :func:`kreislauf.tables.csv_reason`)."""
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            # Arrow-backed text, as pandas 3 makes it for dtype=str: pandas 2.3 (statsforecast
            # pins pandas<3) would give object columns, and converting those to numbers
            # (kreislauf.numbers.coerce_numeric) was half of the analysis (issue 21)
            dtype=pd.StringDtype("pyarrow", na_value=np.nan),
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError as exc:
        raise EmptyFile(file=path.name, detail=msg("readers.empty.no_content")) from exc
    except pd.errors.ParserError as exc:
        raise FileNotReadable(file=path.name, reason=csv_reason(exc, separator)) from exc


def _first_filled_row(grid: pd.DataFrame, path: Path) -> int:
    filled = np.flatnonzero(grid.notna().any(axis=1).to_numpy())
    if filled.size == 0:
        raise EmptyFile(file=path.name, detail=msg("readers.empty.no_content"))
    return int(filled[0])


def _frame(grid: pd.DataFrame, header: int, path: Path) -> tuple[pd.DataFrame, int]:
    """Headings from row ``header``, responses below it; returns the frame and first_row.

    Columns with neither heading nor data are dropped (trailing delimiters, empty Excel
    columns); trailing blank rows too (Excel writes ``;;;;`` for formatted empty rows).
    Blank rows between responses stay, so that row numbers match the file.
    """
    body = grid.iloc[header + 1 :]
    names, keep = named_columns(
        list(grid.iloc[header]), lambda i: bool(body.iloc[:, i].notna().any()), path.name
    )
    if not names:
        raise EmptyFile(file=path.name, detail=msg("readers.empty.no_columns"))
    body = body.iloc[:, keep]
    filled = np.flatnonzero(body.notna().any(axis=1).to_numpy())
    if filled.size == 0:
        raise EmptyFile(file=path.name, detail=msg("readers.empty.header_only"))
    body = body.iloc[: filled[-1] + 1]
    frame = pd.DataFrame(
        {name: body.iloc[:, i].reset_index(drop=True) for i, name in enumerate(names)}
    )
    return frame, header + 2


def _read_xlsx(path: Path, sheet: str | int | None) -> RawResponses:
    grid = xlsx_grid(path, sheet=sheet)  # limits and corrupt files: kreislauf.tables
    grid = grid.map(_cell)
    top = _first_filled_row(grid, path)
    frame, first_row = _frame(grid, top, path)
    frame = frame.apply(_typed_column)
    return RawResponses(frame=frame, source=path.name, first_row=first_row)


def _cell(value: object) -> float | str:
    """One Excel or SPSS cell as ``float`` or stripped ``str`` (dates ISO 8601); blank ``NaN``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value).strip()
    return text if text else np.nan


def _typed_column(column: pd.Series) -> pd.Series:
    """float64 when every filled cell is a number, otherwise cells as they are."""
    filled = column.dropna()
    if all(isinstance(v, float) for v in filled):
        return column.astype("float64")
    return column.astype(object)


def _read_sav(path: Path) -> RawResponses:
    try:
        import pyreadstat  # only for SPSS files (with narwhals: ~0.2 s to load)

        data, meta = pyreadstat.read_sav(path, user_missing=True)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as exc:
        reason = msg("readers.reason.corrupt_sav", detail=str(exc))
        raise FileNotReadable(file=path.name, reason=reason) from exc
    if data.shape[1] == 0:
        raise EmptyFile(file=path.name, detail=msg("readers.empty.no_columns"))
    if data.shape[0] == 0:
        raise EmptyFile(file=path.name, detail=msg("readers.empty.no_cases"))
    frame = pd.DataFrame({name: _sav_column(data[name]) for name in data.columns})
    measures = meta.variable_measure or {}
    columns_meta = {
        name: _sav_meta(
            frame[name],
            text=meta.column_names_to_labels.get(name),
            labels=meta.variable_value_labels.get(name, {}),
            ranges=meta.missing_ranges.get(name, []),
        )
        | {
            "measure": measures.get(name) if measures.get(name) in _MEASURES else None,
            "string": (meta.readstat_variable_types or {}).get(name) == "string",
            "display_width": (meta.variable_display_width or {}).get(name),
        }
        for name in frame.columns
    }
    return RawResponses(
        frame=frame,
        source=path.name,
        first_row=1,
        meta={name: ColumnMeta(**fields) for name, fields in columns_meta.items()},
        multiple_sets=_sav_sets(getattr(meta, "mr_sets", None) or {}, set(frame.columns)),
    )


_MEASURES = ("nominal", "ordinal", "scale")


def _sav_sets(
    declared: Mapping[str, Mapping[str, Any]], columns: set[str]
) -> tuple[MultipleSet, ...]:
    """SPSS multiple-response sets (``$mrset`` record, as pyreadstat reports them).

    Type ``D`` is a dichotomy set (a column counts when it holds ``counted_value``), type
    ``C`` a category set (every column holds one answer code). Sets naming a column the
    file does not have are left out.
    """
    sets = []
    for name, spec in declared.items():
        members = tuple(str(v) for v in spec.get("variable_list", ()))
        if not members or not set(members) <= columns:
            continue
        dichotomy = bool(spec.get("is_dichotomy")) or spec.get("type") == "D"
        counted = spec.get("counted_value")
        sets.append(
            MultipleSet(
                id=str(name),
                label=str(spec.get("label") or name),
                columns=members,
                kind="dichotomy" if dichotomy else "category",
                counted_value=_code(counted) if dichotomy and counted is not None else None,
            )
        )
    return tuple(sets)


def _sav_column(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.astype("float64")
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        cells = column.map(lambda v: np.nan if pd.isna(v) else _cell(v.to_pydatetime()))
        return cells.astype(object)
    return column.map(lambda v: np.nan if v is None else _cell(v)).astype(object)


def _sav_meta(
    column: pd.Series,
    *,
    text: str | None,
    labels: Mapping[Any, str],
    ranges: Sequence[Any],
) -> dict[str, Any]:
    """Variable label, value labels and user-missing codes of one SPSS variable.

    SPSS declares user-missing values as up to three discrete values or a range plus one
    value; pyreadstat reports both as ``{"lo", "hi"}`` (discrete: lo == hi). A range becomes
    the codes that occur in the data within it.
    """
    missing: set[Code] = set()
    numbers = pd.to_numeric(column, errors="coerce") if column.dtype == "float64" else None
    for declared in ranges:
        low, high = declared["lo"], declared["hi"]
        if low == high:
            missing.add(_code(low))
        elif numbers is not None and isinstance(low, float | int) and isinstance(high, float | int):
            inside = numbers[(numbers >= low) & (numbers <= high)]
            missing.update(float(v) for v in inside.unique())
    return {
        "text": text or None,
        "value_labels": {_code(k): v for k, v in labels.items()},
        "missing_codes": frozenset(missing),
    }


def _code(value: object) -> Code:
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return str(value).strip()
