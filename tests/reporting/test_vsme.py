"""VSME data points of the demo company equal the ledger and carbon figures of the year."""

from __future__ import annotations

import pandas as pd
import pytest

from kreislauf.errors import YearNotInLedger
from kreislauf.ledger import Ledger
from kreislauf.reporting import read_answers, vsme_report
from kreislauf.reporting.vsme import VsmeReport
from tests.reporting.conftest import ANSWERS, YEAR, Demo, ledger_rows, scaled

TOL = 1e-9


@pytest.fixture(scope="module")
def report(demo: Demo) -> VsmeReport:
    return vsme_report(
        demo.ledger,
        year=YEAR,
        balance=demo.balance,
        activities=demo.activities,
        answers=read_answers(ANSWERS),
    )


def _rows(**match: str) -> list[tuple[int, dict[str, str]]]:
    return [(n, row) for n, row in ledger_rows() if all(row[k] == v for k, v in match.items())]


def _rows_of(report: VsmeReport, key: str) -> set[int]:
    return {r for s in report.points[key].sources if s.file == "ledger.csv" for r in s.rows}


def test_b3_energy_equals_the_ledger_by_carrier(report: VsmeReport) -> None:
    energy = _rows(flow="energy_in")
    assert report.value("TotalEnergyConsumption") == pytest.approx(
        sum(scaled(r) for _, r in energy), rel=TOL
    )
    for concept, carrier in (
        ("EnergyConsumptionFromElectricity", "electricity"),
        ("EnergyConsumptionFromSelfGeneratedElectricity", "own_pv"),
        ("EnergyConsumptionFromFuels", "natural_gas"),
    ):
        rows = _rows(flow="energy_in", category=carrier)
        assert rows, carrier
        assert report.value(concept) == pytest.approx(sum(scaled(r) for _, r in rows), rel=TOL)
        assert _rows_of(report, concept) == {n for n, _ in rows}
    assert _rows_of(report, "TotalEnergyConsumption") == {n for n, _ in energy}


def test_b3_renewable_electricity_is_the_guarantees_of_origin_of_the_year(
    report: VsmeReport,
) -> None:
    axis = "BreakdownOfEnergyConsumptionAxis"
    bought = report.value("EnergyConsumptionFromElectricity")
    renewable = report.value(f"EnergyConsumptionFromElectricity|{axis}=RenewableEnergyMember")
    non_renewable = report.value(
        f"EnergyConsumptionFromElectricity|{axis}=NonRenewableEnergyMember"
    )
    assert renewable == pytest.approx(600.0)  # activities.csv: 600 MWh of GoO in 2024
    assert isinstance(bought, float) and isinstance(non_renewable, float)
    assert renewable + non_renewable == pytest.approx(bought)
    own = sum(scaled(r) for _, r in _rows(flow="energy_in", category="own_pv"))
    total = sum(scaled(r) for _, r in _rows(flow="energy_in"))
    assert report.value("kreislauf:RenewableEnergyShare") == pytest.approx(
        100 * (600.0 + own) / total
    )


def test_b3_emissions_equal_the_carbon_balance_of_the_year(report: VsmeReport, demo: Demo) -> None:
    year = next(y for y in demo.balance.years if y.year == YEAR)
    t = year.totals
    expected = {
        "GrossScope1GreenhouseGasEmissions": t["scope1"],
        "GrossLocationBasedScope2GreenhouseGasEmissions": t["scope2_location"],
        "GrossMarketBasedScope2GreenhouseGasEmissions": t["scope2_market"],
        "GrossScope3GreenhouseGasEmissions": t["scope3"],
        "TotalGrossLocationBasedScope1AndScope2GHGEmissions": t["scope1"] + t["scope2_location"],
        "TotalGrossMarketBasedGHGEmissions": t["scope1"] + t["scope2_market"] + t["scope3"],
    }
    for key, value in expected.items():
        assert report.value(key) == pytest.approx(value, rel=TOL), key
    # intensity per turnover from the answers (48.5 million EUR)
    assert report.value(
        "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased"
    ) == pytest.approx((t["scope1"] + t["scope2_location"]) / 48_500_000, rel=TOL)
    # Scope 1 is traced to the natural-gas rows of the year
    gas = {n for n, _ in _rows(flow="energy_in", category="natural_gas")}
    assert _rows_of(report, "GrossScope1GreenhouseGasEmissions") == gas


def test_b6_water_equals_the_ledger(report: VsmeReport) -> None:
    withdrawn = sum(scaled(r) for _, r in _rows(flow="water_in"))
    discharged = sum(scaled(r) for _, r in _rows(flow="water_out"))
    assert report.value("TotalAmountOfWaterWithdrawnFromAllSites") == pytest.approx(withdrawn)
    assert report.value("TotalWaterConsumption") == pytest.approx(withdrawn - discharged)


def test_b7_materials_and_recycled_share_equal_the_ledger(report: VsmeReport) -> None:
    materials = _rows(flow="material_in")
    total = sum(scaled(r) for _, r in materials)
    recycled = sum(scaled(r) * float(r["recycled_share"] or 0) for _, r in materials)
    assert report.value("TotalMassOfMaterialUsed") == pytest.approx(total, rel=TOL)
    assert report.value("kreislauf:RecycledInputShare") == pytest.approx(100 * recycled / total)
    by_name: dict[str, float] = {}
    for _, row in materials:
        by_name[row["material"]] = by_name.get(row["material"], 0.0) + scaled(row)
    weights = {
        p.label: p.value for p in report.points.values() if p.concept == "WeightOfMaterialUsed"
    }
    assert weights == pytest.approx(by_name)


def test_b7_waste_by_code_hazardous_and_treatment_equal_the_ledger(report: VsmeReport) -> None:
    waste = _rows(flow="waste_out")
    total = sum(scaled(r) for _, r in waste)
    sludge = sum(scaled(r) for _, r in waste if r["material"] == "ölhaltiger Schlamm")
    recycled = sum(scaled(r) for _, r in waste if r["treatment"] == "recycling")
    assert report.value("TotalWasteGeneratedMass") == pytest.approx(total)
    assert report.value("TotalHazardousWasteGeneratedMass") == pytest.approx(sludge)  # 12 01 18*
    assert report.value("TotalNonHazardousWasteGeneratedMass") == pytest.approx(total - sludge)
    diverted = [
        p.value for p in report.points.values() if p.concept == "WasteDivertedToRecycleOrReuseMass"
    ]
    disposed = [
        p.value for p in report.points.values() if p.concept == "WasteDirectedToDisposalMass"
    ]
    assert sum(float(v) for v in diverted) == pytest.approx(recycled)
    assert sum(float(v) for v in disposed) == pytest.approx(total - recycled)
    plastic = "TotalWasteRecycledReusedAndDirectedToDisposalMass|TypeOfWasteAxis=" + (
        "W-070213-Non-Hazardous-WastePlasticMember"
    )
    both = {"Angüsse und Ausschuss", "Spülmaterial"}
    assert report.value(plastic) == pytest.approx(
        sum(scaled(r) for _, r in waste if r["material"] in both)
    )
    assert _rows_of(report, plastic) == {n for n, r in waste if r["material"] in both}


def test_uncoded_waste_is_reported_as_a_warning_not_split(demo: Demo) -> None:
    """The demo ledger without its waste_code column and without answers."""
    uncoded = Ledger(
        flows=demo.ledger.flows.assign(waste_code=pd.NA).astype({"waste_code": "category"}),
        sources=demo.ledger.sources,
    )
    report = vsme_report(uncoded, year=YEAR)
    assert "TotalHazardousWasteGeneratedMass" not in report.points
    assert report.value("kreislauf:WasteWithoutListOfWasteCode") == report.value(
        "TotalWasteGeneratedMass"
    )
    assert any("waste_code column" in w and "waste_codes" in w for w in report.warnings)
    assert "GrossScope1GreenhouseGasEmissions" not in report.points  # no balance given


def test_answers_fill_what_the_ledger_cannot_know(report: VsmeReport) -> None:
    turnover = report.points["Turnover"]
    assert turnover.value == 48_500_000 and turnover.unit == "EUR"
    assert turnover.origin == "answered"
    assert turnover.sources[0].file == "answers.yaml"
    assert turnover.sources[0].field == "datapoints.Turnover"
    assert report.completeness.modules["B3"] == (16, 16)
    assert report.completeness.modules["C9"] == (0, 1)


def test_json_has_value_unit_and_source_per_datapoint(report: VsmeReport) -> None:
    data = report.to_dict()
    point = data["datapoints"]["TotalEnergyConsumption"]
    assert point["unit"] == "MWh" and point["source"][0]["file"] == "ledger.csv"
    assert len(point["source"][0]["rows"]) == len(_rows(flow="energy_in"))
    assert data["taxonomy"] == "2026-05-01" and data["year"] == YEAR


def test_a_year_without_flows_is_refused(demo: Demo) -> None:
    with pytest.raises(YearNotInLedger, match=r"2019.*2023, 2024"):
        vsme_report(demo.ledger, year="2019")


def test_a_year_without_guarantees_of_origin_has_no_renewable_bought_electricity(
    demo: Demo,
) -> None:
    report = vsme_report(demo.ledger, year="2023", activities=demo.activities)
    key = "EnergyConsumptionFromElectricity|BreakdownOfEnergyConsumptionAxis=RenewableEnergyMember"
    value = report.value(key)
    assert isinstance(value, float) and value == 0.0  # a float like every amount (JSON, XBRL)
