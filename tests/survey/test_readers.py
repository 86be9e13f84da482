"""Tests for kreislauf.survey.readers: CSV, XLSX and SPSS files, detection and errors."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kreislauf.errors import (
    DuplicateColumn,
    EmptyFile,
    FileNotReadable,
    InvalidOption,
    UnsupportedFormat,
)
from kreislauf.numbers import coerce_numeric
from kreislauf.survey.dataset import ColumnMeta
from kreislauf.survey.readers import detect_delimiter, detect_encoding, read_responses

DATA = Path(__file__).parent / "data"


def cells(frame: pd.DataFrame, column: str) -> list[object]:
    """Cells as plain Python values, NaN as None, so lists compare exactly."""
    return [None if isinstance(v, float) and math.isnan(v) else v for v in frame[column]]


# --- CSV from German Excel: cp1252, ';', decimal comma -----------------------------------


def test_excel_csv_headings_and_text_cells() -> None:
    raw = read_responses(DATA / "excel_de_semikolon.csv")
    assert list(raw.frame.columns) == [
        "Nr",
        "Unternehmen",
        "Branche",
        "Beschäftigte",
        "Materialeinsatz [t]",
        "Energiepreis [€/MWh]",
        "Rezyklatanteil [%]",
        "Bewertung",
        "Bemerkung",
    ]
    assert raw.source == "excel_de_semikolon.csv"
    assert raw.first_row == 2
    assert raw.id_column is None
    assert raw.meta == {}
    assert raw.not_shown == {}
    assert cells(raw.frame, "Unternehmen") == [
        "Müller Präzisionsteile GmbH",
        "Schäfer & Söhne KG",
        "Weißbach Automotive GmbH",
        "Özdemir Kunststofftechnik",
    ]


def test_excel_csv_keeps_cells_as_text() -> None:
    frame = read_responses(DATA / "excel_de_semikolon.csv").frame
    # decimal comma and thousands dot untouched; the analysis converts them
    assert cells(frame, "Materialeinsatz [t]") == ["1.234,5", "310,75", "4.020", "95,2"]
    # "0" and "NA" stay what they are; a blank cell is NaN; " 18 " is stripped
    assert cells(frame, "Rezyklatanteil [%]") == ["12,5", "0", "7,25", None]
    assert cells(frame, "Bewertung") == ["4", "NA", "5", "3"]
    assert cells(frame, "Beschäftigte") == ["85", "42", "230", "18"]
    # a quoted cell holding the delimiter; cp1252-only characters „ “
    assert cells(frame, "Bemerkung")[2] == "Größter Verlust: Verschnitt; Ausschuss < 2 %"
    assert cells(frame, "Bemerkung")[3] == "Kunde lobt „sehr gute“ Qualität"


def test_excel_csv_trailing_empty_row_is_dropped_and_numbers_coerce() -> None:
    frame = read_responses(DATA / "excel_de_semikolon.csv").frame
    assert len(frame) == 4
    numbers, bad = coerce_numeric(frame["Energiepreis [€/MWh]"])
    np.testing.assert_allclose(numbers, [182.40, 175.10, 168.00, 190.75])
    assert not bad.any()


def test_explicit_encoding_and_delimiter_override_detection() -> None:
    raw = read_responses(DATA / "excel_de_semikolon.csv", encoding="latin-1", delimiter=";")
    # latin-1 has no "€" at 0x80: the explicit choice is obeyed, not "corrected"
    assert "Energiepreis [\x80/MWh]" in raw.frame.columns


# --- UTF-8 with BOM, ',' -------------------------------------------------------------------


def test_utf8_bom_comma_csv() -> None:
    raw = read_responses(DATA / "utf8_bom_komma.csv")
    assert list(raw.frame.columns)[:3] == ["Zeitstempel", "Unternehmen", "Größe"]  # no BOM
    assert raw.first_row == 2
    assert cells(raw.frame, "Unternehmen") == [
        "Gießerei Lindner, Leipzig",
        "Autozulieferer Böhme",
        "Kunststoffwerk Ost",
    ]
    assert cells(raw.frame, "F1 Materialverluste messen") == ["4", "0", None]
    assert cells(raw.frame, "F2 Anteil Sekundärrohstoffe") == ["0.35", "NA", "0.1"]
    assert cells(raw.frame, "Kommentar") == [
        "Kreislaufführung von Formsand",
        None,
        'Mehrweg-Ladungsträger, "KLT" statt Karton',
    ]


def test_tab_separated_utf16_with_bom(tmp_path: Path) -> None:
    # Excel's "Unicode-Text (*.txt)": UTF-16 LE with BOM, tab-separated
    path = tmp_path / "unicode.txt"
    path.write_bytes("Frage\tAntwort\r\nF1\t4\r\nF2\t\r\n".encode("utf-16"))
    raw = read_responses(path)
    assert list(raw.frame.columns) == ["Frage", "Antwort"]
    assert cells(raw.frame, "Antwort") == ["4", None]


def test_blank_lines_between_responses_keep_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("\n\nNr;F1\n1;4\n\n3;5\n\n", encoding="utf-8")
    raw = read_responses(path)
    assert raw.first_row == 4
    assert cells(raw.frame, "Nr") == ["1", None, "3"]
    assert raw.file_row(2) == 6


def test_column_without_heading_and_trailing_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "unnamed.csv"
    path.write_text("Nr;;F1;\n1;x;4;\n2;;5;\n", encoding="utf-8")
    raw = read_responses(path)
    assert list(raw.frame.columns) == ["Nr", "column 2", "F1"]


# --- detection helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Menge, kg;Preis, EUR\n1,5;2,30\n3;4,5\n", ";"),
        ('a,b,c\n"x;y",1,2\n3,4,5\n', ","),
        ("a\tb\n1,5\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("nur eine Spalte\nWert\n", ","),
        ('"Frage, lang";Antwort\n"F1; F2";4\n', ";"),
    ],
)
def test_detect_delimiter(text: str, expected: str) -> None:
    assert detect_delimiter(text) == expected


def test_detect_encoding() -> None:
    german = "Größe;Maßnahme\nÄpfel;Öl\n"
    assert detect_encoding(german.encode("utf-8")) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + german.encode("utf-8")) == "utf-8-sig"
    assert detect_encoding(german.encode("utf-16")) == "utf-16"
    assert detect_encoding(german.encode("cp1252")) == "cp1252"
    assert detect_encoding(b"PK\x03\x04\x00\x00binary\x00") is None


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_first_sheet_typed_cells() -> None:
    raw = read_responses(DATA / "responses.xlsx")
    frame = raw.frame
    assert raw.first_row == 2
    assert list(frame.columns) == [
        "ID",
        "Branche",
        "Beschäftigte",
        "F1",
        "F2",
        "Anteil Rezyklat",
        "Erhoben am",
        "Bemerkung",
    ]
    assert frame["Beschäftigte"].dtype == np.float64
    assert cells(frame, "Beschäftigte") == [85.0, 42.0, 230.0]
    assert cells(frame, "Anteil Rezyklat") == [0.125, 0.0, 0.0725]
    # a column with a text answer keeps numbers as float and text as str
    assert cells(frame, "F2") == [5.0, None, "weiß nicht"]
    assert cells(frame, "Erhoben am") == ["2024-03-04", "2024-03-05", "2024-03-07"]
    assert cells(frame, "Bemerkung") == ["Späne getrennt", None, "NA"]


def test_xlsx_sheet_by_name_and_index() -> None:
    by_name = read_responses(DATA / "responses.xlsx", sheet="Hinweise")
    by_index = read_responses(DATA / "responses.xlsx", sheet=1)
    assert list(by_name.frame.columns) == ["Hinweis"] == list(by_index.frame.columns)
    assert cells(by_name.frame, "Hinweis") == [
        "F1/F2: 1 = trifft gar nicht zu … 5 = trifft voll zu"
    ]


def test_xlsx_unknown_sheet() -> None:
    with pytest.raises(InvalidOption, match=r"responses\.xlsx.*'Tabelle1'.*Antworten, Hinweise"):
        read_responses(DATA / "responses.xlsx", sheet="Tabelle1")


# --- SPSS ----------------------------------------------------------------------------------


def test_sav_cells_keep_user_missing_codes() -> None:
    raw = read_responses(DATA / "responses.sav")
    frame = raw.frame
    assert raw.first_row == 1
    assert raw.id_column is None
    assert list(frame.columns) == ["id", "branche", "f1", "f2", "datum"]
    assert cells(frame, "f1") == [4.0, 9.0, 5.0, None, 2.0]  # 9 kept, system-missing NaN
    assert cells(frame, "f2") == [3.0, 98.0, 99.0, 1.0, 5.0]
    assert cells(frame, "branche") == ["Metall", "Kunststoff", "Metall", None, "Elektro"]
    assert cells(frame, "datum")[0] == "2024-03-04"


def test_sav_labels_and_missing_codes() -> None:
    meta = read_responses(DATA / "responses.sav").meta
    likert = {1.0: "trifft gar nicht zu", 3.0: "teils/teils", 5.0: "trifft voll zu"}
    assert meta["f1"] == ColumnMeta(
        text="Wir messen unsere Materialverluste regelmäßig.",
        value_labels={**likert, 9.0: "weiß nicht"},
        missing_codes=frozenset({9.0}),
        measure="ordinal",
        display_width=8,
    )
    # the range 97-99 becomes the codes that occur in the data
    assert meta["f2"] == ColumnMeta(
        text="Wir setzen Sekundärrohstoffe ein.",
        value_labels={**likert, 98.0: "keine Angabe", 99.0: "nicht gefragt"},
        missing_codes=frozenset({98.0, 99.0}),
        measure="ordinal",
        display_width=8,
    )
    assert meta["id"] == ColumnMeta(text="Fragebogennummer", display_width=8)
    assert meta["branche"].string  # declared A8: text, never a number
    assert meta["datum"] == ColumnMeta(display_width=8)


# --- errors --------------------------------------------------------------------------------


def test_missing_file() -> None:
    with pytest.raises(FileNotReadable, match=r"gibtsnicht\.csv: file cannot be read: .*not exist"):
        read_responses(DATA / "gibtsnicht.csv")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "antworten.csv"
    folder.mkdir()
    with pytest.raises(FileNotReadable, match=r"antworten\.csv: .*folder, not a file"):
        read_responses(folder)


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "antworten.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(UnsupportedFormat, match=r"antworten\.json: file type '\.json'"):
        read_responses(path)


@pytest.mark.parametrize("name", ["kaputt.xlsx", "kaputt.sav", "kaputt.zsav"])
def test_corrupt_binary_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 8)
    kind = "Excel workbook" if name.endswith("xlsx") else "SPSS data file"
    with pytest.raises(FileNotReadable, match=rf"{re.escape(name)}: .*not a valid {kind}"):
        read_responses(path)


def test_binary_data_with_csv_suffix(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    with pytest.raises(FileNotReadable, match=r"export\.csv: .*binary data"):
        read_responses(path)


def test_encoding_not_detectable(tmp_path: Path) -> None:
    # bytes undefined in Windows-1252 that charset-normalizer cannot place either
    path = tmp_path / "raetsel.csv"
    path.write_bytes(b"\x8f\x9dAA\x8dA\xe4\x8f\x9d\x9d\x9d\x81AA\x8dA\xe4\x9d\x8f\x8f\x81\x81\x90")
    with pytest.raises(FileNotReadable, match=r"raetsel\.csv: .*encoding .* not be detected"):
        read_responses(path)


def test_undecodable_with_explicit_encoding() -> None:
    with pytest.raises(FileNotReadable, match=r"excel_de_semikolon\.csv: .*encoding utf-8 \(byte"):
        read_responses(DATA / "excel_de_semikolon.csv", encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        ({"encoding": "klingonisch"}, r"'klingonisch' for encoding"),
        ({"delimiter": ";;"}, r"';;' for delimiter"),
        ({"sheet": "Tabelle1"}, r"'Tabelle1' for sheet; expected this option only with XLSX"),
    ],
)
def test_invalid_options(options: dict[str, str], pattern: str) -> None:
    with pytest.raises(InvalidOption, match=r"excel_de_semikolon\.csv: invalid value " + pattern):
        read_responses(DATA / "excel_de_semikolon.csv", **options)


def test_encoding_option_for_xlsx() -> None:
    with pytest.raises(InvalidOption, match=r"responses\.xlsx: .*only with CSV"):
        read_responses(DATA / "responses.xlsx", encoding="utf-8")


def test_structure_option_for_sav() -> None:
    lss = DATA / "limesurvey_survey_451738.lss"
    with pytest.raises(InvalidOption, match=r"responses\.sav: .*for structure; .*only with CSV"):
        read_responses(DATA / "responses.sav", structure=lss)


@pytest.mark.parametrize("name", ["leer.csv", "leer.xlsx", "leer.sav"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(EmptyFile, match=rf"{re.escape(name)}: .*no data \(the file is empty\)"):
        read_responses(path)


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "kopf.csv"
    path.write_text("Nr;F1;F2\r\n;;\r\n", encoding="cp1252")
    with pytest.raises(EmptyFile, match=r"kopf\.csv: .*only a header line, no responses"):
        read_responses(path)


def test_whitespace_only(tmp_path: Path) -> None:
    path = tmp_path / "leer.txt"
    path.write_text(" \r\n\r\n", encoding="utf-8")
    with pytest.raises(EmptyFile, match=r"leer\.txt: .*the file is empty"):
        read_responses(path)


def test_duplicate_headings(tmp_path: Path) -> None:
    path = tmp_path / "doppelt.csv"
    path.write_text("Nr;F1;F2;F1\n1;4;3;5\n", encoding="utf-8")
    with pytest.raises(DuplicateColumn, match=r"doppelt\.csv, column 'F1': .*columns 2, 4"):
        read_responses(path)


def test_duplicate_headings_german_message(tmp_path: Path) -> None:
    path = tmp_path / "doppelt.csv"
    path.write_text("Nr;F1;F1\n1;4;5\n", encoding="utf-8")
    with pytest.raises(DuplicateColumn) as caught:
        read_responses(path)
    assert caught.value.message("de") == (
        "doppelt.csv, Spalte 'F1': die Überschrift kommt mehrfach vor (Spalten 2, 3); jede "
        "Spalte braucht einen eindeutigen Namen – benennen Sie die doppelten Spalten um"
    )


def test_ragged_line(tmp_path: Path) -> None:
    path = tmp_path / "schief.csv"
    path.write_text("Nr;F1;F2\n1;4;3\n2;4,5;3;1\n", encoding="utf-8")
    with pytest.raises(FileNotReadable, match=r"schief\.csv: .*line 3 has 4 fields .* only 3"):
        read_responses(path, delimiter=";")


def test_unclosed_quote(tmp_path: Path) -> None:
    path = tmp_path / "zitat.csv"
    path.write_text('Nr;Text\n1;ok\n2;"nie geschlossen\n', encoding="utf-8")
    with pytest.raises(FileNotReadable, match=r"zitat\.csv: .*quotation mark in line 3"):
        read_responses(path)


def test_language_without_structure() -> None:
    with pytest.raises(InvalidOption, match=r"'en' for language; expected .*structure file"):
        read_responses(DATA / "excel_de_semikolon.csv", language="en")
