"""Two VSME years side by side: values of each year and the change against the previous."""

from __future__ import annotations

import pytest

from kreislauf.errors import YearNotInLedger
from kreislauf.i18n import format_number, format_percent
from kreislauf.report import render_html
from kreislauf.reporting import vsme_report
from kreislauf.reporting.compare import compared_years, vsme_comparison, vsme_years
from kreislauf.reporting.vsme_document import compared_rows, vsme_document
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


#: The demo ledger's yearly sums, computed by hand (csv module, outside kreislauf) from
#: examples/demo-company/ledger.csv: Σ quantity of the flow kind per year [MWh, t, m³].
HAND = {
    "TotalEnergyConsumption": (2788.374, 2750.828),  # energy_in
    "TotalWasteGeneratedMass": (60.368, 51.095),  # waste_out
    "TotalAmountOfWaterWithdrawnFromAllSites": (1942.739, 1921.091),  # water_in
}


@pytest.mark.parametrize("key", sorted(HAND))
def test_the_demo_changes_equal_the_hand_computed_ones(demo: Demo, key: str) -> None:
    report = vsme_report(demo.ledger, year="2024", balance=demo.balance, activities=demo.activities)
    comparison = vsme_years(demo.ledger, report, years=["2023"], balance=demo.balance)
    point = next(p for p in comparison.points if p.key == key)
    old, new = HAND[key]
    assert point.values == pytest.approx({"2023": old, "2024": new}, abs=1e-9)
    # energy −37.546 MWh (−1.3465 %), waste −9.273 t (−15.3608 %), water −21.648 m³ (−1.1143 %)
    expected = {
        "TotalEnergyConsumption": (-37.546, -1.3465),
        "TotalWasteGeneratedMass": (-9.273, -15.3608),
        "TotalAmountOfWaterWithdrawnFromAllSites": (-21.648, -1.1143),
    }[key]
    assert point.change["2024"] == pytest.approx(expected[0], abs=1e-9)
    assert point.change_percent["2024"] == pytest.approx(expected[1], abs=5e-5)
    assert comparison.latest == "2024" and comparison.previous == "2023"


def test_compared_years_take_lists_all_and_refuse_a_year_without_flows(demo: Demo) -> None:
    assert compared_years(demo.ledger, year="2024", compare=["all"]) == ["2023"]
    assert compared_years(demo.ledger, year="2023", compare=["all"]) == []
    assert compared_years(demo.ledger, year="2024", compare=["2023,2024", "2023"]) == ["2023"]
    with pytest.raises(YearNotInLedger) as caught:
        compared_years(demo.ledger, year="2024", compare=["2023,2019"])
    assert "2019" in caught.value.message("en") and "2023, 2024" in caught.value.message("en")


def test_the_document_shows_values_and_absolute_and_relative_change(demo: Demo) -> None:
    report = vsme_report(demo.ledger, year="2024", balance=demo.balance, activities=demo.activities)
    comparison = vsme_years(demo.ledger, report, years=["2023"], balance=demo.balance)
    rows = {key: rest for key, *rest in compared_rows(comparison, report, "de")}
    label, values, change, percent, unit = rows["TotalEnergyConsumption"]
    assert label.startswith("Gesamtenergieverbrauch")
    assert values == ["2.788,4", "2.750,8"] and unit == "MWh"
    assert change == format_number(-37.546, "de", decimals=1)
    assert percent == format_percent(-1.3465, "de", decimals=1)
    html = render_html(vsme_document(report, lang="en", comparison=comparison))
    assert "Change 2024 vs 2023" in html and "2,788.4" in html and "-37.5" in html
