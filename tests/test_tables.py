"""The one table reader: encodings, delimiters, skipped lines with real numbers, XLSX, errors."""

from __future__ import annotations

import codecs
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kreislauf.errors import DuplicateColumn, FileNotReadable, InvalidNumber, InvalidOption
from kreislauf.tables import (
    detect_delimiter,
    detect_encoding,
    read_table,
    read_table_text,
)

GERMAN = "Material;Menge;Bemerkung\nStahl geölt;1.234,5;Größe Ø 4\nPP-GF30;0,25;für Gehäuse\n"


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("cp1252"), "cp1252"),
        (lambda t: t.encode("latin-1"), "cp1252"),
        (lambda t: t.encode("utf-16"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "latin-1", "utf-16-bom"],
)
def test_encodings_are_detected_and_umlauts_survive(tmp_path, encode, expected):
    path = tmp_path / "t.csv"
    path.write_bytes(encode(GERMAN))
    table = read_table(path)
    assert table.encoding == expected
    assert table.columns == ["Material", "Menge", "Bemerkung"]  # no BOM in the first heading
    assert table.frame["Material"].tolist() == ["Stahl geölt", "PP-GF30"]
    assert table.frame["Bemerkung"].tolist() == ["Größe Ø 4", "für Gehäuse"]
    assert table.numbers("Menge").tolist() == [1234.5, 0.25]


def test_latin1_and_cp1252_read_german_text_alike():
    text = "Straße;Maß\nÄußeres;1,5\n"
    latin, windows = (read_table_text(text.encode(e), name="t.csv") for e in ("latin-1", "cp1252"))
    assert latin.frame.equals(windows.frame)
    assert latin.frame.iloc[0, 0] == "Äußeres"


def test_given_encoding_overrides_detection():
    data = "a;b\nÄ;1\n".encode("cp1252")
    assert read_table_text(data, name="t.csv", encoding="latin-1").frame.iloc[0, 0] == "Ä"


@pytest.mark.parametrize("delimiter", ["\t", ";", ",", "|"])
def test_delimiters_are_sniffed(delimiter):
    text = delimiter.join(["key", "value", "note"]) + "\n" + delimiter.join(["a", "1", "x"])
    table = read_table_text(text + "\n", name="t.txt")
    assert table.delimiter == delimiter
    assert table.columns == ["key", "value", "note"]


def test_semicolon_file_with_decimal_commas_is_a_semicolon_file():
    assert detect_delimiter("a;b;c\n1,5;2,5;3\n4,0;5;6,75\n") == ";"


def test_comment_and_blank_lines_are_skipped_and_rows_keep_their_lines():
    text = (
        "# exported 2024-05-01\n"  # 1
        "\n"  # 2
        "key,value\n"  # 3
        "a,1\n"  # 4
        "\n"  # 5
        "   # a comment, with commas, more than the header has\n"  # 6
        "b,2\n"  # 7
        ",\n"  # 8: Excel's empty row
        'c,"multi\nline"\n'  # 9-10
        "d,4\n"  # 11
    )
    table = read_table_text(text, name="t.csv", comments=True)
    assert table.header_line == 3
    assert table.frame["key"].tolist() == ["a", "b", "c", "d"]
    assert table.lines.tolist() == [4, 7, 9, 11]
    assert [line for line, _ in table.records()] == [4, 7, 9, 11]


def test_windows_and_old_mac_line_ends_count_as_the_editor_counts():
    table = read_table_text("k;v\r\n\r\na;1\rb;2\r\n", name="t.csv")
    assert table.lines.tolist() == [3, 4]


def test_without_comments_a_hash_line_is_data():
    table = read_table_text("key,value\n#1,2\n", name="t.csv")
    assert table.frame["key"].tolist() == ["#1"]


def test_skip_rows_skips_a_title_block_and_keeps_line_numbers():
    text = "Bericht Lager\nStand 05/2024\nkey;value\nx;1\n\ny;oops\n"
    table = read_table_text(text, name="t.csv", skip_rows=2)
    assert table.header_line == 3
    with pytest.raises(InvalidNumber, match=r"t.csv, row 6, column 'value': 'oops'"):
        table.numbers("value")


def test_cells_are_stripped_and_blank_cells_are_nan():
    table = read_table_text("a , b\n  x  ,   \n y,2\n", name="t.csv")
    assert table.columns == ["a", "b"]
    assert table.frame["a"].tolist() == ["x", "y"]
    assert table.frame["b"].isna().tolist() == [True, False]
    assert next(iter(table.records())) == (2, {"a": "x", "b": ""})


def test_numbers_read_with_the_columns_decimal_mark():
    text = "g;e;plain\n1.314;1,314;7\n84.811,68;1,234.5;8\n"
    table = read_table_text(text, name="t.csv")
    assert table.decimal_of("g") == ","  # 84.811,68 shows the decimal comma
    assert table.numbers("g").tolist() == [1314.0, 84811.68]
    assert table.decimal_of("plain") is None
    assert table.numbers("plain").tolist() == [7.0, 8.0]


def test_numeric_columns_may_parse_straight_to_floats():
    text = "q,r\n1.5,2\n2.5,1\n"
    table = read_table_text(text, name="t.csv", numeric=["q"], categories=["r"])
    assert table.frame["q"].dtype == np.float64
    assert str(table.frame["r"].dtype) == "category"
    assert table.numbers("q").tolist() == [1.5, 2.5]


def test_given_decimal_mark_wins():
    table = read_table_text("v\n4.020\n1,5\n", name="t.csv", delimiter=";", decimal=",")
    assert table.numbers("v").tolist() == [4020.0, 1.5]
    table = read_table_text('v\n"1,234.5"\n', name="t.csv", decimal=".")
    assert table.numbers("v").tolist() == [1234.5]


def test_header_only_and_empty_files():
    assert len(read_table_text("a;b\n", name="t.csv")) == 0
    assert read_table_text("a;b\n", name="t.csv").columns == ["a", "b"]
    empty = read_table_text("\n\n# only a comment\n", name="t.csv", comments=True)
    assert empty.columns == [] and len(empty) == 0


def test_trailing_delimiters_do_not_make_columns():
    table = read_table_text("a;b;;\n1;2;;\n", name="t.csv")
    assert table.columns == ["a", "b"]


# --- bad input ----------------------------------------------------------------------------


def test_missing_file_and_directory_are_not_readable(tmp_path):
    with pytest.raises(FileNotReadable, match=r"nothing\.csv: file cannot be read: file not"):
        read_table(tmp_path / "nothing.csv")
    with pytest.raises(FileNotReadable, match="directory"):
        read_table(tmp_path)


def test_binary_data_is_not_a_text_table():
    with pytest.raises(FileNotReadable, match="binary data"):
        read_table_text(b"PK\x03\x04\x00\x00\x00binary", name="t.csv")


def test_undecodable_bytes_in_the_given_encoding_name_the_byte():
    with pytest.raises(FileNotReadable, match=r"encoding utf-8 \(byte 4\)") as info:
        read_table_text("a;b\nÄ;1\n".encode("cp1252"), name="t.csv", encoding="utf-8")
    assert "Kodierung utf-8" in info.value.message("de")


def test_ragged_line_is_named_by_its_line_in_the_file():
    text = "# note\nkey;value\n\na;1\nb;2;3\n"
    with pytest.raises(FileNotReadable, match=r"line 5 has 3 fields but the header only 2"):
        read_table_text(text, name="t.csv", comments=True)


def test_first_row_longer_than_the_header_is_an_error_not_lost_data():
    with pytest.raises(FileNotReadable, match=r"line 2 has 3 fields but the header only 2"):
        read_table_text("key;value\na;1;2\n", name="t.csv")


def test_duplicate_heading_is_refused():
    with pytest.raises(DuplicateColumn, match=r"t.csv, column 'q'.*columns 1, 3"):
        read_table_text("q;r;q\n1;2;3\n", name="t.csv")


@pytest.mark.parametrize(
    ("options", "option"),
    [({"delimiter": ";;"}, "delimiter"), ({"encoding": "klingon"}, "encoding")],
)
def test_bad_options_are_named(options, option):
    with pytest.raises(InvalidOption, match=option):
        read_table_text("a\n1\n", name="t.csv", **options)


def test_numbers_names_the_first_bad_cell_with_its_real_line():
    table = read_table_text("k,v\n\na,1\n# x\nb,zwei\n", name="t.csv", comments=True)
    with pytest.raises(InvalidNumber) as info:
        table.numbers("v")
    assert info.value.params == {
        "file": "t.csv",
        "row": 5,
        "column": "v",
        "value": "zwei",
        "expected": info.value.params["expected"],
    }
    assert "keine Zahl" in info.value.message("de")


# --- XLSX ---------------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Daten"
    sheet.append(["Materialbewegungen 2024"])  # row 1: title
    sheet.append([])  # row 2
    sheet.append(["material", "menge", "datum", None])  # row 3: header
    sheet.append(["Stahl", 1234.5, datetime(2024, 3, 1), None])
    sheet.append([])  # row 5
    sheet.append(["# Kommentar", None, None, None])  # row 6
    sheet.append([" PP ", "2,5", datetime(2024, 4, 1), None])  # row 7
    book.create_sheet("Leer")
    book.save(path)
    return path


def test_xlsx_through_the_same_interface(tmp_path):
    table = read_table(_workbook(tmp_path / "t.xlsx"), skip_rows=2, comments=True)
    assert table.columns == ["material", "menge", "datum"]
    assert table.header_line == 3
    assert table.lines.tolist() == [4, 7]
    assert table.frame["material"].tolist() == ["Stahl", "PP"]
    assert table.numbers("menge").tolist() == [1234.5, 2.5]
    assert [row["datum"] for _, row in table.records()] == ["2024-03-01", "2024-04-01"]


def test_xlsx_header_is_the_first_filled_row(tmp_path):
    table = read_table(_workbook(tmp_path / "t.xlsx"), sheet="Daten")
    assert table.header_line == 1 and table.columns == [
        "Materialbewegungen 2024",
        "column 2",
        "column 3",
    ]


def test_xlsx_options_and_corrupt_files(tmp_path):
    path = _workbook(tmp_path / "t.xlsx")
    with pytest.raises(InvalidOption, match="Daten, Leer"):
        read_table(path, sheet="Tabelle1")
    with pytest.raises(InvalidOption, match="encoding"):
        read_table(path, encoding="cp1252")
    with pytest.raises(InvalidOption, match="sheet"):
        read_table(tmp_path / "t.csv", sheet=0)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(FileNotReadable, match=r"broken\.xlsx"):
        read_table(broken)


# --- properties ---------------------------------------------------------------------------


def _german(whole: int, fraction: str) -> str:
    """``whole`` with thousands dots, then ``,fraction`` if any (German Excel's format)."""
    sign, digits = ("-", str(-whole)) if whole < 0 else ("", str(whole))
    groups = []
    while len(digits) > 3:
        digits, groups = digits[:-3], [digits[-3:], *groups]
    return sign + ".".join([digits, *groups]) + ("," + fraction if fraction else "")


_numbers = st.tuples(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text("0123456789", min_size=0, max_size=4),
)


@settings(max_examples=200, deadline=None)
@given(
    first=_numbers,
    rest=st.lists(_numbers, max_size=8),
    encoding=st.sampled_from(["cp1252", "utf-8"]),
)
def test_german_numbers_written_and_read_back_are_equal(first, rest, encoding):
    whole, fraction = first
    cells = [(whole, fraction or "5"), *rest]  # the first one shows the decimal comma
    texts = [_german(w, f) for w, f in cells]
    expected = [
        float(f"{w}.{f}" if f else str(w)) if w >= 0 else -float(f"{-w}.{f or 0}") for w, f in cells
    ]
    data = ("wert;text\n" + "".join(f"{t};ä\n" for t in texts)).encode(encoding)
    detected = read_table_text(data, name="t.csv")
    assert detected.numbers("wert").tolist() == expected
    given_mark = read_table_text(data, name="t.csv", decimal=",")
    assert given_mark.numbers("wert").tolist() == expected


def test_detect_encoding_returns_none_for_binary(tmp_path):
    assert detect_encoding(_workbook(tmp_path / "t.xlsx").read_bytes()) is None


# --- limits (issue 13): checked before a parser builds the grid ---------------------------


def test_xlsx_declared_dimension_beyond_the_limits_is_refused(tmp_path: Path) -> None:
    from kreislauf.errors import LimitExceeded
    from tests import hostile

    path = tmp_path / "fake.xlsx"
    for corner_cell in (False, True):
        path.write_bytes(hostile.fake_dimension_xlsx(corner_cell=corner_cell))
        with pytest.raises(LimitExceeded, match="max_rows: found 1048576"):
            read_table(path)


def test_xlsx_extent_counts_columns_and_cells(tmp_path: Path) -> None:
    from kreislauf.bounded import Limits, applied
    from kreislauf.errors import LimitExceeded
    from tests import hostile

    path = tmp_path / "wide.xlsx"
    path.write_bytes(hostile.xlsx([[f"c{i}" for i in range(30)], list(range(30))]))
    with applied(Limits(max_columns=20)), pytest.raises(LimitExceeded, match="max_columns"):
        read_table(path)
    with applied(Limits(max_cells=50)), pytest.raises(LimitExceeded, match="max_cells"):
        read_table(path)
    with applied(Limits(max_columns=30, max_cells=60)):
        assert read_table(path).frame.shape == (1, 30)


def test_a_long_cell_split_between_chunks_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kreislauf import tables
    from kreislauf.bounded import Limits, applied
    from kreislauf.errors import LimitExceeded
    from tests import hostile

    monkeypatch.setattr(tables, "_XLSX_CHUNK", 1000)  # the cell spans many chunks
    path = tmp_path / "long.xlsx"
    path.write_bytes(hostile.xlsx([["note"], ["x" * 5_000]]))
    with applied(Limits(max_cell_chars=800)), pytest.raises(LimitExceeded, match="max_cell_chars"):
        read_table(path)
    with applied(Limits(max_cell_chars=5_000)):
        assert read_table(path).frame["note"][0] == "x" * 5_000
    with applied(Limits(max_cell_chars=4_999)), pytest.raises(LimitExceeded) as info:
        read_table(path)  # the exact check after loading names the cell
    assert (info.value.params["row"], info.value.params["column"]) == (2, "note")


def test_xlsx_uncompressed_size_is_bounded(tmp_path: Path) -> None:
    from kreislauf.errors import LimitExceeded
    from tests import hostile

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(hostile.huge_cell_xlsx(300))
    assert path.stat().st_size < 400_000
    with pytest.raises(LimitExceeded, match="max_xlsx_bytes") as info:
        read_table(path)
    assert len(info.value.message()) < 300


def test_csv_grid_and_cells_are_bounded() -> None:
    from kreislauf.bounded import Limits, applied
    from kreislauf.errors import LimitExceeded

    text = "a,b,c\n" + "1,2,3\n" * 10
    with applied(Limits(max_cells=20)), pytest.raises(LimitExceeded, match="max_cells"):
        read_table_text(text, name="t.csv")
    with applied(Limits(max_columns=2)), pytest.raises(LimitExceeded, match="max_columns"):
        read_table_text(text, name="t.csv")
    with applied(Limits(max_rows=9)), pytest.raises(LimitExceeded, match="max_rows"):
        read_table_text(text, name="t.csv")
    with applied(Limits(max_cell_chars=3)), pytest.raises(LimitExceeded) as info:
        read_table_text("a,b\n1,2\n3,xxxx\n", name="t.csv")
    assert (info.value.params["row"], info.value.params["column"]) == (3, "b")


@pytest.mark.parametrize("encoding", ["rot13", "zip", "base64"])
def test_codecs_that_are_no_text_encodings_are_invalid_options(encoding: str) -> None:
    with pytest.raises(InvalidOption, match=encoding):
        read_table_text(b"a,b\n1,2\n", name="t.csv", encoding=encoding)


def test_corrupt_xlsx_parts_are_unreadable_files(tmp_path: Path) -> None:
    from tests import hostile

    path = tmp_path / "broken.xlsx"
    for data in (hostile.corrupt_deflate_xlsx(), hostile.broken_xml_xlsx(), b"PK\x03\x04junk"):
        path.write_bytes(data)
        with pytest.raises(FileNotReadable, match=r"broken\.xlsx"):
            read_table(path)
