"""The optional ``waste_code`` column: AVV / EU List of Waste codes on waste rows, a bad
code named with file, row and column, ledgers without the column read as before."""

from __future__ import annotations

import pytest
from ledger_fixtures import P, write_csv

from kreislauf.errors import InvalidLedger, InvalidWasteCode, WasteCodeNotOnWaste
from kreislauf.ledger import read_ledger

WASTE = dict(
    period=P, site="S", centre="C", flow="waste_out", material="Angüsse", quantity=2,
    unit="t", treatment="recycling",
)  # fmt: skip
MATERIAL = dict(
    period=P, site="S", centre="C", flow="material_in", category="raw", quantity=5, unit="t"
)  # fmt: skip


def test_codes_are_read_as_written(tmp_path) -> None:
    rows = [
        MATERIAL,
        {**WASTE, "waste_code": "070213"},
        {**WASTE, "material": "Schlamm", "waste_code": "12 01 18*", "treatment": "disposal"},
        {**WASTE, "material": "Späne", "waste_code": "12-01-01"},
        {**WASTE, "material": "ohne"},
    ]
    flows = read_ledger(write_csv(tmp_path / "l.csv", rows)).flows
    codes = ["" if c != c else c for c in flows["waste_code"].astype(object)]
    assert codes == ["", "070213", "12 01 18*", "12-01-01", ""]


def test_a_ledger_without_the_column_reads_as_before(tmp_path) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "period,site,centre,flow,material,quantity,unit,treatment\n"
        f"{P},S,C,waste_out,Angüsse,2,t,recycling\n",
        encoding="utf-8",
    )
    flows = read_ledger(path).flows
    assert flows["waste_code"].isna().all() and flows["amount"].tolist() == [2000.0]


@pytest.mark.parametrize("code", ["7213", "07 02 13 4", "07 02-13", "AVV 070213", "07.02.13"])
def test_a_bad_code_is_named_with_file_row_and_column(tmp_path, code) -> None:
    path = write_csv(tmp_path / "flows.csv", [MATERIAL, WASTE, {**WASTE, "waste_code": code}])
    with pytest.raises(InvalidLedger) as info:
        read_ledger(path)
    (problem,) = info.value.problems
    assert isinstance(problem, InvalidWasteCode)
    english = problem.message("en")
    assert english.startswith("flows.csv, row 4, column 'waste_code': ")
    assert f"'{code}' is not a waste code" in english and "six digits" in english
    assert "Zeile 4" in problem.message("de") and "Abfallverzeichnis" in problem.message("de")


def test_a_code_on_a_row_that_is_not_waste_is_refused(tmp_path) -> None:
    path = write_csv(tmp_path / "flows.csv", [{**MATERIAL, "waste_code": "07 02 13"}, WASTE])
    with pytest.raises(InvalidLedger) as info:
        read_ledger(path)
    (problem,) = info.value.problems
    assert isinstance(problem, WasteCodeNotOnWaste)
    assert problem.message("en").startswith("flows.csv, row 2, column 'waste_code': ")
    assert "waste_out rows only" in problem.message("en")


def test_row_identity_ignores_the_code(tmp_path) -> None:
    """Hashes of stored rows stay valid: the code is not part of a row's identity."""
    plain = read_ledger(write_csv(tmp_path / "a.csv", [WASTE])).flows
    coded = read_ledger(write_csv(tmp_path / "b.csv", [{**WASTE, "waste_code": "070213"}])).flows
    assert plain["row_hash"].tolist() == coded["row_hash"].tolist()
