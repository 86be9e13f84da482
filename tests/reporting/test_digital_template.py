"""EFRAG's Digital Template filled from the demo report: the named input cells hold the
report's values, formulas and every other part of the workbook stay as EFRAG made them."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from kreislauf.reporting import read_answers, vsme_report
from kreislauf.reporting.digital_template import (
    FilledTemplate,
    fill_digital_template,
    template_bytes,
)
from tests.reporting.conftest import ANSWERS, YEAR, Demo


@pytest.fixture(scope="module")
def filled(demo: Demo) -> tuple[Any, FilledTemplate]:
    report = vsme_report(
        demo.ledger, year=YEAR, balance=demo.balance, activities=demo.activities,
        answers=read_answers(ANSWERS),
    )  # fmt: skip
    return report, fill_digital_template(report)


@pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")  # openpyxl reading
def test_named_cells_hold_the_report_values(filled: tuple[Any, FilledTemplate]) -> None:
    import openpyxl

    report, result = filled
    book = openpyxl.load_workbook(io.BytesIO(result.data))  # names resolved by openpyxl
    axis = "BreakdownOfEnergyConsumptionAxis"
    expected = {
        "TotalEnergyConsumption": report.value("TotalEnergyConsumption"),
        "EnergyConsumptionFromElectricity_RenewableEnergyMember": report.value(
            f"EnergyConsumptionFromElectricity|{axis}=RenewableEnergyMember"
        ),
        "GrossScope1GreenhouseGasEmissions": report.value("GrossScope1GreenhouseGasEmissions"),
        "TotalAmountOfWaterWithdrawnFromAllSites": report.value(
            "TotalAmountOfWaterWithdrawnFromAllSites"
        ),
        "Turnover": 48_500_000,
        "UndertakingAppliesCircularEconomyPrinciples": "YES",
        "template_reporting_entity_name": "Muster Kunststoff- und Metalltechnik GmbH",
        "template_currency": "EUR",
    }
    for name, value in expected.items():
        (sheet, ref), *_ = book.defined_names[name].destinations
        cell = book[sheet][ref.replace("$", "").split(":")[0]]
        assert cell.value == (pytest.approx(value) if isinstance(value, float) else value), name
        assert name in result.written
    general = book["General Information"]
    assert (general["D6"].value, general["D10"].value, general["D12"].value) == (2024, 2024, 31)
    # the totals stay the template's formulas
    assert str(book["Environmental Disclosures"]["K12"].value).startswith("=IF(")
    assert "TotalWasteGeneratedMass" in result.skipped


def test_every_other_part_of_the_workbook_is_unchanged(filled: tuple[Any, FilledTemplate]) -> None:
    _, result = filled
    before = zipfile.ZipFile(io.BytesIO(template_bytes()))
    after = zipfile.ZipFile(io.BytesIO(result.data))
    assert before.namelist() == after.namelist()
    changed = {n for n in before.namelist() if before.read(n) != after.read(n)}
    assert "xl/workbook.xml" in changed and changed <= {
        "xl/workbook.xml",
        *(n for n in changed if n.startswith("xl/worksheets/sheet")),
    }
    assert b'fullCalcOnLoad="1"' in after.read("xl/workbook.xml")
    assert len(changed) <= 6


@pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")
def test_tables_are_written_row_by_row_with_the_templates_labels(
    filled: tuple[Any, FilledTemplate],
) -> None:
    """Sites, waste by code, materials and employees by country land in the template's
    table rows; drop-down cells hold the template's own list labels; the section check
    boxes that open a table are set."""
    import openpyxl

    report, result = filled
    book = openpyxl.load_workbook(io.BytesIO(result.data))
    general, env, social = (
        book["General Information"],
        book["Environmental Disclosures"],
        book["Social Disclosures"],
    )
    # the site of the answers file (SYNTHETIC address)
    assert [general[f"{c}406"].value for c in "DEFG"] == [
        "Musterstraße 1", "04179", "Leipzig", "Germany",
    ]  # fmt: skip
    assert general["D407"].value is None
    # waste by List-of-Waste code: one row per code, in code order
    waste = sorted(
        (p for p in report.points.values() if p.concept == "WasteDivertedToRecycleOrReuseMass"),
        key=lambda p: p.dimensions,
    )
    codes = [str(env[f"D{323 + n}"].value).strip()[:8] for n in range(len(waste))]
    assert codes == ["07 02 13", "12 01 18", "16 01 22", "20 03 01"]
    assert str(env["D324"].value).strip().startswith("12 01 18 - Hazardous - ")
    oily = next(
        p for k, p in report.points.items()
        if k.startswith("WasteDirectedToDisposalMass|TypeOfWasteAxis=W-120118")
    )  # fmt: skip
    assert env["K324"].value == pytest.approx(oily.value)
    assert env["G323"].value == "metric tonnes (t)"
    assert str(env["L323"].value).startswith("=")  # the row total stays a formula
    # materials: name and weight [t] per row, the "significant material flows" box ticked
    materials = [p for p in report.points.values() if p.concept == "WeightOfMaterialUsed"]
    assert len(materials) >= 3
    assert env["D435"].value == materials[0].label
    assert env["G435"].value == pytest.approx(materials[0].value)
    assert env["G433"].value == 1
    # employees by country, and "operates in more than one country" ticked
    assert [(social[f"C{r}"].value, social[f"E{r}"].value) for r in (29, 30)] == [
        ("Germany", 176), ("Poland", 6),
    ]  # fmt: skip
    assert social["E27"].value == 1
    assert "ListOfSitesTable[1].CityOfSite" in result.written
