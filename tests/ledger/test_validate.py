"""Import and validation: every problem named with file, row and column; nothing half-read."""

from __future__ import annotations

import numpy as np
import pytest
from ledger_fixtures import TWO_CENTRES, P, write_csv

from kreislauf.errors import (
    InvalidLedger,
    LedgerNonNumeric,
    MissingColumn,
    MissingValue,
    MixedPeriods,
    NegativeQuantity,
    NonNumericValue,
    UnexpectedColumn,
    UnitMismatch,
    UnknownCentre,
    UnknownFlowKind,
    UnknownUnit,
)
from kreislauf.ledger import merge_ledgers, read_ledger, read_ledgers

GOOD = dict(
    period=P,
    site="S",
    centre="C",
    flow="material_in",
    category="raw",
    quantity=1,
    unit="t",
    cost_eur=10,
)


def _problems(path):
    with pytest.raises(InvalidLedger) as info:
        read_ledger(path)
    return info.value


@pytest.mark.parametrize(
    ("bad", "error", "column", "text"),
    [
        (dict(flow="material_inn"), UnknownFlowKind, "flow", "unknown flow kind 'material_inn'"),
        (
            dict(unit="kWh"),
            UnitMismatch,
            "unit",
            "unit 'kWh' does not fit the flow kind 'material_in'",
        ),
        (dict(unit="Stk"), UnknownUnit, "unit", "'Stk' is not a known unit"),
        (dict(quantity=-5), NegativeQuantity, "quantity", "quantity -5 is negative"),
        (dict(centre=""), MissingValue, "centre", "value is missing"),
        (dict(quantity="5a"), LedgerNonNumeric, "quantity", "'5a' is not a number"),
        (dict(flow="transfer", to_centre="X"), UnknownCentre, "to_centre", "target centre 'X'"),
    ],
)
def test_bad_row_is_named_and_nothing_imported(tmp_path, bad, error, column, text):
    path = write_csv(tmp_path / "flows.csv", [GOOD, GOOD, {**GOOD, **bad}])
    failure = _problems(path)
    (problem,) = failure.problems
    assert isinstance(problem, error)
    message = problem.message("en")
    assert message.startswith(f"flows.csv, row 4, column '{column}': ")  # header = row 1
    assert text in message
    assert "nothing was imported" in failure.message("en")
    assert "Zeile 4" in failure.message("de")


def test_every_problem_is_reported_in_file_order(tmp_path):
    rows = [{**GOOD, "flow": "x"}, GOOD, {**GOOD, "unit": "kWh", "quantity": -1}]
    failure = _problems(write_csv(tmp_path / "flows.csv", rows))
    assert failure.total == 3
    assert [p.params["row"] for p in failure.problems] == [2, 4, 4]


def test_missing_and_unexpected_columns(tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text("period,site,centre,flow,quantity,cost_euro\n2024-01,S,C,material_in,1,2\n")
    failure = _problems(path)
    kinds = {type(p) for p in failure.problems}
    assert kinds == {MissingColumn, UnexpectedColumn}
    assert "'cost_euro'" in failure.message("en")


def test_mixed_units_are_converted_once_to_base_units(tmp_path):
    ledger = read_ledger(write_csv(tmp_path / "flows.csv", TWO_CENTRES))
    amounts = ledger.flows.set_index("row")["amount"]
    assert amounts[2] == pytest.approx(2000)  # 2 t
    assert amounts[3] == pytest.approx(500)  # 500 kg
    assert amounts[4] == pytest.approx(1000)  # 1 MWh in kWh
    assert amounts[16] == pytest.approx(23)  # 23000 l in m³
    assert np.isnan(amounts[6])  # system cost has no quantity


def test_reimporting_the_same_file_never_duplicates(tmp_path):
    path = write_csv(tmp_path / "flows.csv", [*TWO_CENTRES, GOOD, GOOD])
    once = read_ledger(path)
    twice = read_ledgers([path, path])
    assert len(twice.flows) == len(once.flows) == len(TWO_CENTRES) + 2
    assert twice.duplicates_removed == len(once.flows)
    # two identical rows inside one file are two flows, told apart by their occurrence
    assert sorted(once.flows["occurrence"].tolist())[-2:] == [0, 1]


def test_identity_ignores_units_and_notes(tmp_path):
    first = read_ledger(write_csv(tmp_path / "a.csv", [GOOD]))
    second = read_ledger(
        write_csv(
            tmp_path / "b.csv",
            [{**GOOD, "quantity": 1000, "unit": "kg", "note": "Lieferschein 4711"}],
        )
    )
    other = read_ledger(write_csv(tmp_path / "c.csv", [{**GOOD, "quantity": 2}]))
    merged = merge_ledgers([first, second, other])
    assert len(merged.flows) == 2
    assert merged.sources == ("a.csv", "b.csv", "c.csv")


def test_yearly_and_monthly_rows_in_one_file_are_rejected(tmp_path):
    rows = [GOOD, {**GOOD, "period": "2024-02"}, {**GOOD, "period": "2024"}]
    failure = _problems(write_csv(tmp_path / "flows.csv", rows))
    (problem,) = failure.problems
    assert isinstance(problem, MixedPeriods)
    assert problem.message("en") == (
        "flows.csv, row 4, column 'period': period '2024' is a year (YYYY), but flows.csv "
        "row 2 is a month (YYYY-MM) ('2024-01'); a ledger uses one kind of period: sum the "
        "months to years or split the yearly values into months"
    )
    assert "Zeitraum '2024' ist ein Jahr (JJJJ)" in problem.message("de")


def test_the_rarer_granularity_is_flagged(tmp_path):
    rows = [{**GOOD, "period": "2023"}, {**GOOD, "period": "2024"}, GOOD]
    failure = _problems(write_csv(tmp_path / "flows.csv", rows))
    assert [p.params["row"] for p in failure.problems] == [4]
    assert "is a month (YYYY-MM), but flows.csv row 2 is a year" in failure.message("en")


def test_files_of_different_granularity_are_not_merged(tmp_path):
    monthly = write_csv(tmp_path / "monthly.csv", [GOOD, {**GOOD, "period": "2024-02"}])
    yearly = write_csv(tmp_path / "yearly.csv", [{**GOOD, "period": "2023"}])
    with pytest.raises(InvalidLedger) as info:
        read_ledgers([monthly, yearly])
    (problem,) = info.value.problems
    assert isinstance(problem, MixedPeriods)
    assert problem.message("en").startswith(
        "yearly.csv, row 2, column 'period': period '2023' is a year (YYYY), but monthly.csv "
        "row 2 is a month (YYYY-MM) ('2024-01')"
    )
    # one granularity throughout is fine, yearly as well as monthly
    assert read_ledgers([yearly, yearly]).periods == ["2023"]


@pytest.mark.parametrize(
    ("unit", "amount"),
    [("m3", 1.0), ("cbm", 1.0), ("m³", 1.0), ("Liter", 0.001), ("l", 0.001)],
)
def test_german_volume_spellings_come_from_the_units_registry(tmp_path, unit, amount):
    row = dict(period=P, site="S", centre="C", flow="water_in", quantity=1, unit=unit)
    ledger = read_ledger(write_csv(tmp_path / "flows.csv", [row]))
    assert ledger.flows["amount"].iloc[0] == pytest.approx(amount)


def test_tonne_spelled_to(tmp_path):
    ledger = read_ledger(write_csv(tmp_path / "flows.csv", [{**GOOD, "unit": "to"}]))
    assert ledger.flows["amount"].iloc[0] == pytest.approx(1000.0)


def test_non_numeric_message_fits_the_ledger(tmp_path):
    failure = _problems(write_csv(tmp_path / "flows.csv", [{**GOOD, "quantity": "5 t"}]))
    (problem,) = failure.problems
    assert not isinstance(problem, NonNumericValue)  # not the survey's condition
    message = problem.message("en")
    assert message.startswith("flows.csv, row 2, column 'quantity': '5 t' is not a number")
    assert "the unit goes into the column 'unit'" in message
    assert "--missing" not in message and "--missing" not in problem.message("de")


def test_text_maxima_match_the_store_columns() -> None:
    """The documented maxima are what the store's columns hold (``note`` is unbounded)."""
    from kreislauf.ledger.validate import MAX_CHARS
    from kreislauf.store.models import LedgerFlow

    for column, limit in MAX_CHARS.items():
        length = getattr(LedgerFlow.__table__.c[column].type, "length", None)
        assert length == (None if column == "note" else limit), column


@pytest.mark.parametrize("cell", ["1e15", "-1e15"])
def test_the_magnitude_bound_itself_is_accepted(tmp_path, cell) -> None:
    from tests import hostile

    from kreislauf.ledger import read_ledger

    row = [*hostile.LEDGER_ROW[:3], "stock_change", "PP", "", cell, "kg"]
    path = tmp_path / "l.csv"
    path.write_bytes(hostile.ledger_csv(row))
    assert read_ledger(path).flows["quantity"].tolist() == [float(cell)]
