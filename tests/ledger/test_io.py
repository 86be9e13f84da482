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
