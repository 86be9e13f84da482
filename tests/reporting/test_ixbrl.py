"""The Inline XBRL output passes Arelle's validation against the stand-in taxonomy package
(built from EFRAG's concept list, offline); Arelle finds what is wrong in broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from kreislauf.reporting import read_answers, vsme_report
from kreislauf.reporting.ixbrl import inline_xbrl
from kreislauf.reporting.vsme import VsmeReport
from kreislauf.reporting.xbrl_standin import standin_package
from tests.reporting.arelle_check import arelle_validate
from tests.reporting.conftest import ANSWERS, YEAR, Demo

pytest.importorskip("arelle")


@pytest.fixture(scope="module")
def report(demo: Demo) -> VsmeReport:
    return vsme_report(
        demo.ledger,
        year=YEAR,
        balance=demo.balance,
        activities=demo.activities,
        answers=read_answers(ANSWERS),
    )


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("taxonomy") / "vsme-standin.zip"
    path.write_bytes(standin_package())
    return path


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_demo_report_is_valid_inline_xbrl(
    report: VsmeReport, package: Path, tmp_path: Path, lang: str
) -> None:
    document = tmp_path / "vsme.xhtml"
    document.write_text(inline_xbrl(report, lang=lang), encoding="utf-8")  # type: ignore[arg-type]
    result = arelle_validate(document, package)
    assert result.problems == []
    tagged = [p for p in report.points.values() if p.in_taxonomy]
    assert result.facts == len(tagged) > 50
    assert "vsme:GrossScope1GreenhouseGasEmissions" in result.concepts
    assert "vsme:WasteDivertedToRecycleOrReuseMass" in result.concepts


def test_tagged_values_read_back_as_reported(
    report: VsmeReport, package: Path, tmp_path: Path
) -> None:
    """Arelle's fact values (after the ixt transformation and scale) equal the report's."""
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    document = tmp_path / "vsme.xhtml"
    document.write_text(inline_xbrl(report, lang="de"), encoding="utf-8")
    options = RuntimeOptions(
        entrypointFile=str(document),
        packages=[str(package)],
        workOffline=True,
        disablePersistentConfig=True,
        keepOpen=True,
        logFile="logToBuffer",
    )
    with Session() as session:
        session.run(options)
        facts = {
            f.qname.localName: f for f in session.get_models()[0].facts if not f.context.qnameDims
        }
        energy = float(facts["TotalEnergyConsumption"].xValue)
        intensity = float(
            facts["Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased"].xValue
        )
        turnover = float(facts["Turnover"].xValue)
        applies = facts["UndertakingAppliesCircularEconomyPrinciples"].xValue
    assert energy == pytest.approx(float(report.value("TotalEnergyConsumption") or 0), abs=5e-4)
    expected = report.value("Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased")
    assert intensity == pytest.approx(float(expected or 0), abs=5e-9)
    assert turnover == 48_500_000 and applies is True


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        # the default member must not be stated in a context (XBRL Dimensions 2.7.1)
        (
            ">vsme:RenewableEnergyMember<",
            ">vsme:TotalRenewableAndNonRenewableEnergyMember<",
            "xbrldie:DefaultValueUsedInInstanceError",
        ),
        # waste facts outside their closed hypercube
        (
            'dimension="vsme:TypeOfWasteAxis"',
            'dimension="vsme:BreakdownOfEnergyConsumptionAxis"',
            "xbrldie:PrimaryItemDimensionallyInvalidError",
        ),
        # a concept the taxonomy does not have
        (
            'name="vsme:TotalEnergyConsumption"',
            'name="vsme:TotalEnergyUse"',
            "ix11.12.1.2:missingReferences",
        ),
    ],
)
def test_arelle_reports_a_broken_copy(
    report: VsmeReport, package: Path, tmp_path: Path, old: str, new: str, code: str
) -> None:
    text = inline_xbrl(report, lang="en")
    assert old in text
    document = tmp_path / "broken.xhtml"
    document.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = arelle_validate(document, package).problems
    assert any(p.startswith(code) for p in problems), problems[:5]


TABLES = Path(__file__).parent / "data" / "answers-tables.yaml"


def test_every_answerable_table_gives_valid_dimensional_facts(
    demo: Demo, package: Path, tmp_path: Path
) -> None:
    """Rows of all answerable tables (typed sites and subsidiaries, pollutants, GHG base
    and target year, employees by country) and enumerations (a country, a set, NACE) pass
    Arelle, and each fact comes back with its member and value."""
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    report = vsme_report(
        demo.ledger, year=YEAR, balance=demo.balance, activities=demo.activities,
        answers=read_answers(TABLES),
    )  # fmt: skip
    document = tmp_path / "tables.xhtml"
    document.write_text(inline_xbrl(report, lang="de"), encoding="utf-8")
    result = arelle_validate(document, package)
    assert result.problems == []
    assert result.facts == sum(1 for p in report.points.values() if p.in_taxonomy)
    options = RuntimeOptions(
        entrypointFile=str(document), packages=[str(package)], workOffline=True,
        disablePersistentConfig=True, keepOpen=True, logFile="logToBuffer",
    )  # fmt: skip
    with Session() as session:
        session.run(options)
        facts = {}
        for fact in session.get_models()[0].facts:
            dims = tuple(
                sorted(
                    (
                        d.dimensionQname.localName,
                        d.memberQname.localName if d.isExplicit else d.typedMember.stringValue,
                    )
                    for d in fact.context.qnameDims.values()
                )
            )
            facts[(fact.qname.localName, dims)] = fact.xValue
    site = ("IdentifierOfSiteTypedAxis", "S2")
    assert facts[("CityOfSite", (site,))] == "Brno"
    assert str(facts[("CountryOfSite", (site,))]).endswith("iso3166#CZ")
    assert facts[("SiteLocatedNearABiodiversitySensitiveArea", (site,))] is True
    assert float(facts[("AreaOfSiteInBiodiversitySensitiveArea", (site,))]) == 1.5
    scope = "ReportingScopesAxis"
    assert float(facts[("GrossScope1GreenhouseGasEmissions", ((scope, "TargetYearMember"),))]) == 35
    assert float(facts[("GrossScope1GreenhouseGasEmissions", ())]) == pytest.approx(
        float(report.value("GrossScope1GreenhouseGasEmissions") or 0), abs=5e-4
    )
    country = "CountryOfEmploymentContractAxis"
    assert (
        float(facts[("NumberOfEmployeesForCountryOfEmploymentContract", ((country, "DE"),))]) == 40
    )
    # the axis default (all countries) is not stated in the context
    assert float(facts[("NumberOfEmployeesForCountryOfEmploymentContract", ())]) == 55
    pollutant = (("TypeOfPollutantAxis", "AmmoniaNH3Member"),)
    assert float(facts[("AmountOfEmissionToAir", pollutant)]) == 0.25
    issues = str(facts[("SustainabilityIssueAddressedByPracticePolicyAndOrFutureInitiative", ())])
    assert issues.count("#") == 2 and "ClimateChangeMember" in issues
    assert str(facts[("NaceSectorClassificationCodes", ())]).endswith("#NACE_C22")
