"""The answers file's tables and enumerations: rows become data points with their
members; wrong rows are refused with the table, row and field named."""

from __future__ import annotations

import pytest

from kreislauf.errors import InvalidReportingAnswers
from kreislauf.reporting import answers_from_data
from kreislauf.reporting.taxonomy import enumerations, tables


def _cells(
    tables_section: dict[str, object],
) -> dict[tuple[str, tuple[tuple[str, str], ...]], object]:
    answers = answers_from_data({"tables": tables_section}, name="a.yaml")
    return {(c.concept, c.dimensions): c.value for c in answers.cells}


def test_rows_become_cells_with_their_members() -> None:
    cells = _cells(
        {
            "ListOfSitesTable": [
                {"IdentifierOfSiteTypedAxis": "S1", "CityOfSite": "Leipzig", "CountryOfSite": "de"}
            ],
            "WasteGeneratedTable": [
                {"TypeOfWasteAxis": "120118*", "WasteDirectedToDisposalMass": "1,5"}
            ],
            "NumberOfEmployeesForCountryOfEmploymentContractTable": [
                {"CountryOfEmploymentContractAxis": "AllCountriesMember",
                 "NumberOfEmployeesForCountryOfEmploymentContract": 12},
            ],
        }
    )  # fmt: skip
    site = (("IdentifierOfSiteTypedAxis", "S1"),)
    assert cells[("CityOfSite", site)] == "Leipzig"
    assert cells[("CountryOfSite", site)] == "country:DE"
    (waste_key,) = [k for k in cells if k[0] == "WasteDirectedToDisposalMass"]
    assert waste_key[1][0][1].startswith("W-120118-Hazardous")
    assert cells[waste_key] == 1.5
    # the axis default is left out of the dimensions (XBRL Dimensions forbids stating it)
    assert cells[("NumberOfEmployeesForCountryOfEmploymentContract", ())] == 12.0


@pytest.mark.parametrize(
    ("section", "where", "expected"),
    [
        ({"SitesTable": []}, r"tables\.SitesTable", "ListOfSitesTable"),
        ({"ListOfSitesTable": {"S1": {}}}, r"tables\.ListOfSitesTable", "a list of at most 100"),
        ({"ListOfSitesTable": [{"CityOfSite": "Leipzig"}]},
         r"tables\.ListOfSitesTable\[1\]\.IdentifierOfSiteTypedAxis", "every axis"),
        ({"ListOfSitesTable": [{"IdentifierOfSiteTypedAxis": "S1", "Town": "x"}]},
         r"tables\.ListOfSitesTable\[1\]\.Town", "CityOfSite"),
        ({"ListOfSitesTable": [{"IdentifierOfSiteTypedAxis": "S1", "CountryOfSite": "XX"}]},
         r"\[1\]\.CountryOfSite", "member"),
        ({"ListOfSitesTable": [{"IdentifierOfSiteTypedAxis": "S1"},
                               {"IdentifierOfSiteTypedAxis": "S1"}]},
         r"tables\.ListOfSitesTable\[2\]", "one row per"),
        ({"WasteGeneratedTable": [{"TypeOfWasteAxis": "12 01", "WasteDirectedToDisposalMass": 1}]},
         r"\[1\]\.TypeOfWasteAxis", "six-digit"),
        ({"AmountOfEmissionsTable": [{"TypeOfPollutantAxis": "AmmoniaNH3Member",
                                      "AmountOfEmissionToAir": "much"}]},
         r"\[1\]\.AmountOfEmissionToAir", "a number [t]"),
        ({"EstimatedGreenhouseGasEmissionsTable": [
            {"ReportingScopesAxis": "CurrentlyStatedMember",
             "GrossScope1GreenhouseGasEmissions": 1}]},
         r"\[1\]\.ReportingScopesAxis", "BaselineYearMember"),
        ({"BreakdownOfEnergyConsumptionTable": []}, r"tables\.Breakdown", "ListOfSitesTable"),
    ],
)  # fmt: skip
def test_a_wrong_row_names_table_row_and_field(
    section: dict[str, object], where: str, expected: str
) -> None:
    with pytest.raises(InvalidReportingAnswers, match=where) as caught:
        answers_from_data({"tables": section}, name="a.yaml")
    assert "a.yaml" in str(caught.value)
    assert expected in caught.value.message("en")


def test_a_table_column_as_a_single_data_point_points_to_its_table() -> None:
    with pytest.raises(InvalidReportingAnswers) as caught:
        answers_from_data({"datapoints": {"CityOfSite": "Leipzig"}}, name="a.yaml")
    assert "tables.ListOfSitesTable" in caught.value.message("en")


def test_enumerations_take_members_of_their_domain() -> None:
    values = answers_from_data(
        {
            "datapoints": {
                "BasisForReporting": "IndividualMember",
                "CountryOfPrimaryOperationsAndLocationOfSignificantAssets": "pl",
                "SustainabilityIssueAddressedByPracticePolicyAndOrFutureInitiative":
                    "ClimateChangeMember, PollutionMember, ClimateChangeMember",
            }
        },
        name="a.yaml",
    ).values  # fmt: skip
    assert values["CountryOfPrimaryOperationsAndLocationOfSignificantAssets"] == "country:PL"
    issues = values["SustainabilityIssueAddressedByPracticePolicyAndOrFutureInitiative"]
    assert issues == "ClimateChangeMember PollutionMember"
    for raw, expected in [
        ("ConsolidatedMember, IndividualMember", "one member"),  # not a set
        ("ClimateChangeMember", "member(s)"),  # a member of another concept's domain
    ]:
        with pytest.raises(InvalidReportingAnswers, match=r"datapoints\.BasisForReporting") as e:
            answers_from_data({"datapoints": {"BasisForReporting": raw}}, name="a.yaml")
        assert expected in e.value.message("en")


def test_the_domains_come_from_the_taxonomy() -> None:
    known = enumerations()
    assert known["BasisForReporting"].members == ("ConsolidatedMember", "IndividualMember")
    assert not known["BasisForReporting"].several
    assert known["NaceSectorClassificationCodes"].several
    assert len(known["CountryOfSite"].members) == 256
    assert set(tables()) >= {"ListOfSitesTable", "WasteGeneratedTable", "AmountOfEmissionsTable"}
