"""Two VSME years side by side: values of each year and the change against the previous."""

from __future__ import annotations

import pytest

from kreislauf.reporting import vsme_report
from kreislauf.reporting.compare import vsme_comparison
from tests.reporting.conftest import Demo, ledger_rows, scaled


def test_two_years_side_by_side_with_their_change(demo: Demo) -> None:
    reports = [
        vsme_report(demo.ledger, year=y, balance=demo.balance, activities=demo.activities)
        for y in ("2024", "2023")
    ]
    comparison = vsme_comparison(reports)
    assert comparison.years == ("2023", "2024")
    energy = next(p for p in comparison.points if p.key == "TotalEnergyConsumption")
    expected = {
        y: sum(scaled(r) for _, r in ledger_rows(y) if r["flow"] == "energy_in")
        for y in ("2023", "2024")
    }
    assert energy.values == pytest.approx(expected)
    assert energy.change["2024"] == pytest.approx(expected["2024"] - expected["2023"])
    assert energy.change_percent["2024"] == pytest.approx(
        100 * (expected["2024"] - expected["2023"]) / expected["2023"]
    )
    scope1 = next(p for p in comparison.points if p.key == "GrossScope1GreenhouseGasEmissions")
    years = {y.year: y.totals["scope1"] for y in demo.balance.years}
    assert scope1.values == pytest.approx(years)
    data = comparison.to_dict()
    assert data["datapoints"]["TotalEnergyConsumption"]["unit"] == "MWh"
