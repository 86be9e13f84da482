"""Reading ledger files: a real XLSX workbook gives the same ledger as the CSV."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from ledger_fixtures import EXAMPLE, assert_same_kpis
from openpyxl import Workbook, load_workbook

from kreislauf.errors import InvalidLedger
from kreislauf.ledger import mfca_balance, read_ledger
from kreislauf.ledger.models import NUMERIC_COLUMNS


def _write_xlsx(path: Path, *, excel_dates: bool) -> Path:
    """The demo ledger as a workbook a person would type: numbers as numbers, blanks empty.

    With ``excel_dates`` the period cells hold dates formatted ``YYYY-MM``, as Excel stores
    a typed ``2024-03``.
    """
    workbook = Workbook()
    sheet = workbook.active
    with (EXAMPLE / "ledger.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        sheet.append(header)
        for row in reader:
            cells: list[object] = []
            for column, text in zip(header, row, strict=True):
                if text == "":
                    cells.append(None)
                elif column in NUMERIC_COLUMNS:
                    cells.append(float(text))
                elif column == "period" and excel_dates:
                    cells.append(datetime.strptime(text, "%Y-%m"))
                else:
                    cells.append(text)
            sheet.append(cells)
    if excel_dates:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=1, max_col=1):
            cell.number_format = "YYYY-MM"
    workbook.save(path)
    return path


@pytest.mark.parametrize("excel_dates", [False, True], ids=["text-periods", "date-periods"])
def test_xlsx_gives_the_same_kpis_and_mfca_as_the_csv(tmp_path, excel_dates):
    canonical = read_ledger(EXAMPLE / "ledger.csv")
    workbook = read_ledger(_write_xlsx(tmp_path / "ledger.xlsx", excel_dates=excel_dates))
    assert workbook.sources == ("ledger.xlsx",)
    assert len(workbook.flows) == len(canonical.flows) == 696
    assert workbook.periods == canonical.periods
    assert_same_kpis(workbook, canonical)
    assert mfca_balance(workbook).total.loss_cost_eur == pytest.approx(
        mfca_balance(canonical).total.loss_cost_eur, rel=1e-12
    )
    # the same flows: identical row identities
    assert workbook.flows["row_hash"].tolist() == canonical.flows["row_hash"].tolist()


def test_xlsx_bad_cell_is_named_with_its_row(tmp_path):
    path = _write_xlsx(tmp_path / "ledger.xlsx", excel_dates=True)

    workbook = load_workbook(path)
    workbook.active["D5"] = "material_inn"  # column D = flow, row 5 as Excel shows it
    workbook.save(path)
    with pytest.raises(
        InvalidLedger, match=r"ledger.xlsx, row 5, column 'flow': unknown flow kind"
    ):
        read_ledger(path)


def _german_excel_twin(path: Path) -> Path:
    """The demo ledger as German Excel saves it: cp1252, ``;``, ``1.234,5``."""
    with (EXAMPLE / "ledger.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        lines = [";".join(header)]
        for row in reader:
            cells = [
                _german(text) if column in NUMERIC_COLUMNS and text else text
                for column, text in zip(header, row, strict=True)
            ]
            lines.append(";".join(cells))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def _german(text: str) -> str:
    """``1234.5`` as ``1.234,5``: thousands dots, decimal comma, every digit kept."""
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        digits, tail = digits[:-3], digits[-3:]
        groups.insert(0, tail)
    grouped = ".".join([digits, *groups])
    return sign + grouped + ("," + fraction if fraction else "")


def test_german_excel_export_gives_the_same_kpis_and_mfca_as_its_utf8_twin(tmp_path):
    twin = _german_excel_twin(tmp_path / "ledger.csv")
    assert "ü".encode("cp1252") in twin.read_bytes()  # umlauts really are cp1252
    canonical = read_ledger(EXAMPLE / "ledger.csv")
    german = read_ledger(twin)
    assert len(german.flows) == len(canonical.flows) == 696
    assert german.periods == canonical.periods
    assert_same_kpis(german, canonical)
    got, want = mfca_balance(german).total, mfca_balance(canonical).total
    assert got.loss_cost_eur == pytest.approx(want.loss_cost_eur, rel=1e-9)
    assert got.product_cost_eur == pytest.approx(want.product_cost_eur, rel=1e-9)
    assert german.flows["row_hash"].tolist() == canonical.flows["row_hash"].tolist()


def test_blank_and_excel_empty_rows_keep_the_row_numbers_of_the_file(tmp_path):
    lines = (EXAMPLE / "ledger.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "ledger.csv"
    bad = lines[3].replace("stock_change", "stock_chang")
    path.write_text("\n".join([lines[0], "", lines[1], ",,,,,,,,,,,,", bad]) + "\n")
    with pytest.raises(InvalidLedger, match=r"ledger.csv, row 5, column 'flow': unknown flow"):
        read_ledger(path)


def test_a_mapping_may_set_only_encoding_and_decimal(tmp_path):
    twin = _german_excel_twin(tmp_path / "ledger.csv")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text('encoding: cp1252\ndecimal: ","\n', encoding="utf-8")
    assert_same_kpis(read_ledger(twin, mapping=mapping), read_ledger(EXAMPLE / "ledger.csv"))


def test_comment_lines_are_skipped_and_rows_keep_their_numbers(tmp_path):
    """An export's title line or a note starting with '#' is no flow (docs/ledger.md)."""
    lines = (EXAMPLE / "ledger.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "ledger.csv"
    bad = lines[3].replace("stock_change", "stock_chang")
    text = ["# Export aus dem ERP, 2024-02-01", lines[0], "  # geprüft: M. K.", lines[1], bad]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InvalidLedger, match=r"ledger.csv, row 5, column 'flow': unknown flow"):
        read_ledger(path)
    path.write_text("\n".join(text[:4]) + "\n", encoding="utf-8")
    assert len(read_ledger(path).flows) == 1
