"""The guided VSME page and its API on SQLite and PostgreSQL: computed values with their
sources, answers stored with who/when, bad answers shown with their field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.web.web_helpers import CARBON, FACTORS, Member, upload_carbon

ACTIVITIES_FILE = CARBON / "activities.csv"


def _ready(app: FastAPI) -> Member:
    member = Member(app, "owner@example.org", "Erika Muster")
    member.org("acme")
    assert member.upload_ledger("acme").status_code == 201  # type: ignore[attr-defined]
    response = upload_carbon(member, "acme", factors=FACTORS, activities=ACTIVITIES_FILE)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    return member


def test_api_gives_b3_from_ledger_and_balance(app: FastAPI) -> None:
    member = _ready(app)
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2024").json()
    assert data["year"] == "2024" and data["years"] == ["2023", "2024"]
    b3 = next(m for m in data["modules"] if m["module"] == "B3")
    keys = {p["key"]: p for p in b3["points"]}
    assert keys["TotalEnergyConsumption"]["unit"] == "MWh"
    assert "ledger.csv" in keys["TotalEnergyConsumption"]["source"]
    assert "GrossScope1GreenhouseGasEmissions" in keys
    assert b3["reported"] == 12  # intensities need the turnover, an answer
    assert data["balance_problem"] is None


def test_answers_are_stored_with_who_and_when_and_fill_the_report(app: FastAPI) -> None:
    member = _ready(app)
    page = member.client.get("/orgs/acme/reporting/vsme?year=2024")
    assert page.status_code == 200 and 'name="dp.Turnover"' in page.text
    response = member.client.post(
        "/orgs/acme/reporting/vsme",
        data={"csrf_token": member.csrf, "year": "2024", "dp.Turnover": "48.500.000",
              "dp.UndertakingAppliesCircularEconomyPrinciples": "true"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303 and "saved=2" in response.headers["location"]
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2024").json()
    b1 = {p["key"]: p for m in data["modules"] if m["module"] == "B1" for p in m["points"]}
    assert (
        b1["Turnover"]["origin"] == "answered" and b1["Turnover"]["answered_by"] == "Erika Muster"
    )
    assert b1["Turnover"]["answered_at"]
    b3 = next(m for m in data["modules"] if m["module"] == "B3")
    assert b3["reported"] == 16  # the intensities now follow from the turnover
    other_year = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2023").json()
    assert not any(p["key"] == "Turnover" for m in other_year["modules"] for p in m["points"])


def test_a_bad_answer_is_shown_with_its_field_and_nothing_is_stored(app: FastAPI) -> None:
    member = _ready(app)
    response = member.client.post(
        "/orgs/acme/reporting/vsme",
        data={"csrf_token": member.csrf, "year": "2024", "dp.Turnover": "viel",
              "dp.NumberOfEmployees": "182"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "datapoints.Turnover" in response.text and re.search("viel", response.text)
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2024").json()
    assert not any(p["origin"] == "answered" for m in data["modules"] for p in m["points"])


def test_earlier_years_side_by_side_with_their_change(app: FastAPI) -> None:
    """The page and the API set 2023 beside 2024 (sums by hand from the demo ledger:
    energy_in 2,788.374 → 2,750.828 MWh, waste_out 60.368 → 51.095 t); 2023 has no
    earlier year; the intensity of 2023 comes from 2023's own stored turnover."""
    member = _ready(app)
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2024&lang=en").json()
    comparison = data["comparison"]
    assert comparison["years"] == ["2023", "2024"] and comparison["previous"] == "2023"
    points = {p["key"]: p for p in comparison["points"]}
    energy = points["TotalEnergyConsumption"]
    assert energy["values"] == pytest.approx({"2023": 2788.374, "2024": 2750.828}, abs=1e-9)
    assert energy["change_value"] == pytest.approx(-37.546, abs=1e-9)
    assert energy["change_percent_value"] == pytest.approx(-1.3465, abs=5e-5)
    assert energy["shown"] == {"2023": "2,788.4", "2024": "2,750.8"}
    assert energy["change"] == "-37.5" and energy["change_percent"] == "-1.3%"
    waste = points["TotalWasteGeneratedMass"]
    assert waste["change_value"] == pytest.approx(51.095 - 60.368, abs=1e-9)
    page = member.client.get("/orgs/acme/reporting/vsme?year=2024")
    assert 'id="vsme-years"' in page.text and "Änderung 2024 ggü. 2023" in page.text
    assert '<td class="num">2.788,4</td>' in page.text
    first = member.client.get("/orgs/acme/reporting/vsme?year=2023")
    assert 'id="vsme-years-none"' in first.text
    assert (
        member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2023").json()["comparison"] is None
    )
    for year, turnover in (("2023", "40.000.000"), ("2024", "50.000.000")):
        response = member.client.post(
            "/orgs/acme/reporting/vsme",
            data={"csrf_token": member.csrf, "year": year, "dp.Turnover": turnover},
            follow_redirects=False,
        )
        assert response.status_code == 303
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2024").json()
    intensity = "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased"
    values = {p["key"]: p for p in data["comparison"]["points"]}[intensity]["values"]
    for year, turnover in (("2023", 40e6), ("2024", 50e6)):
        own = member.client.get(f"/api/v1/orgs/acme/reporting/vsme/json?year={year}").json()
        points = own["datapoints"]
        emissions = (
            points["GrossScope1GreenhouseGasEmissions"]["value"]
            + points["GrossLocationBasedScope2GreenhouseGasEmissions"]["value"]
        )
        assert values[year] == pytest.approx(emissions / turnover, rel=1e-9)


def test_report_downloads_pdf_and_html_with_the_earlier_years(app: FastAPI) -> None:
    member = _ready(app)
    page = member.client.get("/orgs/acme/reporting/vsme?year=2024&lang=en")
    link = re.search(r'id="vsme-download-pdf" href="([^"]+)"', page.text)
    assert link is not None
    pdf = member.client.get(link.group(1).replace("&amp;", "&"))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="vsme-2024.pdf"' in pdf.headers["content-disposition"]
    html = member.client.get("/api/v1/orgs/acme/reporting/vsme/html?year=2024&lang=en")
    assert html.status_code == 200 and "Years side by side" in html.text
    assert "Change 2024 vs 2023" in html.text and "2,788.4" in html.text


def test_without_a_ledger_the_page_says_so(app: FastAPI) -> None:
    member = Member(app, "owner@example.org")
    member.org("empty")
    page = member.client.get("/orgs/empty/reporting/vsme")
    assert page.status_code == 404 and 'role="alert"' in page.text


def test_downloads_inline_xbrl_template_and_json(app: FastAPI) -> None:
    member = _ready(app)
    xhtml = member.client.get("/api/v1/orgs/acme/reporting/vsme/xhtml?year=2024")
    assert xhtml.status_code == 200 and "ix:nonFraction" in xhtml.text
    assert 'filename="vsme-2024.xhtml"' in xhtml.headers["content-disposition"]
    xlsx = member.client.get("/api/v1/orgs/acme/reporting/vsme/xlsx?year=2024")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme/json?year=2024").json()
    assert data["datapoints"]["TotalEnergyConsumption"]["source"][0]["file"] == "ledger.csv"
    assert member.client.get("/api/v1/orgs/acme/reporting/vsme/docx").status_code == 422


def test_the_stored_ledger_keeps_its_waste_codes_for_b7(app: FastAPI) -> None:
    """The platform stores the ledger's ``waste_code`` column (migration 0017), so B7 on
    the page splits the waste by AVV code as the CLI does (tests/reporting/test_waste.py)."""
    member = _ready(app)
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme/json?year=2024").json()
    by_code = {
        key.rsplit("=", 1)[1]: point["value"]
        for key, point in data["datapoints"].items()
        if key.startswith("TotalWasteRecycledReusedAndDirectedToDisposalMass|")
    }
    assert len(by_code) == 4, sorted(data["datapoints"])
    assert sum(by_code.values()) == pytest.approx(27.231 + 3.0 + 14.604 + 6.26, abs=1e-9)
    hazardous = data["datapoints"]["TotalHazardousWasteGeneratedMass"]["value"]
    assert hazardous == pytest.approx(3.0, abs=1e-9)


EMPLOYEES = "row.NumberOfEmployeesForCountryOfEmploymentContractTable"


def test_table_rows_and_enumerations_are_stored_edited_and_removed(app: FastAPI) -> None:
    """A site row (typed axis), employees by country (explicit axis), a single-choice and
    a check-box enumeration go through the form into the report and the Inline XBRL."""
    member = _ready(app)
    page = member.client.get("/orgs/acme/reporting/vsme?year=2024")
    assert 'name="row.ListOfSitesTable.CityOfSite"' in page.text
    omitted = "ListOfOmittedDisclosuresDeemedToBeClassifiedOrSensitiveInformation"
    assert f'type="checkbox" name="dp.{omitted}"' in page.text
    assert '<option value="IndividualMember">' in page.text
    response = member.client.post(
        "/orgs/acme/reporting/vsme",
        data={"csrf_token": member.csrf, "year": "2024",
              "dp.BasisForReporting": "IndividualMember",
              "dp.ListOfOmittedDisclosuresDeemedToBeClassifiedOrSensitiveInformation": [
                  "B1ListOfSubsidiariesMember", "B1-BasisForPreparationMember"],
              "row.ListOfSitesTable.IdentifierOfSiteTypedAxis": "LEJ",
              "row.ListOfSitesTable.CityOfSite": "Leipzig",
              "row.ListOfSitesTable.CountryOfSite": "country:DE",
              f"{EMPLOYEES}.CountryOfEmploymentContractAxis": "country:PL",
              f"{EMPLOYEES}.NumberOfEmployeesForCountryOfEmploymentContract": "6"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    assert "saved=5" in response.headers["location"]  # 2 single values, 3 table values
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2024").json()
    points = {p["key"]: p for m in data["modules"] for p in m["points"]}
    city = points["CityOfSite|IdentifierOfSiteTypedAxis=LEJ"]
    assert city["value"] == "Leipzig" and city["answered_by"] == "Erika Muster"
    assert points["CountryOfSite|IdentifierOfSiteTypedAxis=LEJ"]["value"] == "Deutschland"
    english = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2024&lang=en").json()
    english_points = {p["key"]: p for m in english["modules"] for p in m["points"]}
    assert english_points["CountryOfSite|IdentifierOfSiteTypedAxis=LEJ"]["value"] == "Germany"
    employees = (
        "NumberOfEmployeesForCountryOfEmploymentContract|CountryOfEmploymentContractAxis=country:PL"
    )
    assert points[employees]["value"] == "6"
    omitted = points["ListOfOmittedDisclosuresDeemedToBeClassifiedOrSensitiveInformation"]["value"]
    assert omitted.count(",") == 1
    xhtml = member.client.get("/api/v1/orgs/acme/reporting/vsme/xhtml?year=2024").text
    assert '<xbrldi:typedMember dimension="vsme:IdentifierOfSiteTypedAxis"><vsme:TYP>LEJ<' in xhtml
    assert ">country:PL</xbrldi:explicitMember>" in xhtml
    # change the city, remove the employees row; a repeated site identifier is refused
    response = member.client.post(
        "/orgs/acme/reporting/vsme",
        data={"csrf_token": member.csrf, "year": "2024",
              "cell.CityOfSite|IdentifierOfSiteTypedAxis=LEJ": "Leipzig-Nord",
              f"cell.{employees}": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303 and "saved=2" in response.headers["location"]
    bad = member.client.post(
        "/orgs/acme/reporting/vsme",
        data={"csrf_token": member.csrf, "year": "2024",
              "row.ListOfSitesTable.IdentifierOfSiteTypedAxis": "LEJ",
              "row.ListOfSitesTable.CityOfSite": "Halle"},
    )  # fmt: skip
    assert bad.status_code == 422 and "tables.ListOfSitesTable[2]" in bad.text
    data = member.client.get("/api/v1/orgs/acme/reporting/vsme?year=2024").json()
    points = {p["key"]: p for m in data["modules"] for p in m["points"]}
    assert points["CityOfSite|IdentifierOfSiteTypedAxis=LEJ"]["value"] == "Leipzig-Nord"
    assert employees not in points


SUPPLIERS = Path(__file__).parents[1] / "reporting" / "data" / "suppliers.csv"


def test_lksg_supplier_list_assessment_measure_and_documentation(app: FastAPI) -> None:
    """Upload the supplier list, record an assessment and a measure of 2025, see their
    state, download the yearly documentation (§ 10 Abs. 1) as HTML and PDF."""
    member = Member(app, "owner@example.org", "Erika Muster")
    member.org("acme")
    empty = member.client.get("/orgs/acme/reporting/lksg")
    assert empty.status_code == 200 and 'id="lksg-empty"' in empty.text
    with SUPPLIERS.open("rb") as f:
        response = member.client.post(
            "/orgs/acme/reporting/lksg/suppliers",
            data={"csrf_token": member.csrf},
            files={"file": ("suppliers.csv", f, "text/csv")},
            follow_redirects=False,
        )
    assert response.status_code == 303 and "saved=7" in response.headers["location"]
    data = member.client.get("/api/v1/orgs/acme/reporting/lksg?year=2025").json()
    assert data["suppliers"][0]["name"] == "Katanga Cobalt Trading SARL"
    names = {s["country"]: s["country_name"] for s in data["suppliers"]}
    assert names["DE"] == "Deutschland" and names["CD"] == "Kongo-Kinshasa"
    page = member.client.get("/orgs/acme/reporting/lksg?year=2025&lang=en")
    assert "<td>Germany (DE)</td>" in page.text
    states = {(r["supplier"], r["position"]): r["state"] for r in data["risks"]}
    assert states[("Katanga Cobalt Trading SARL", "HR01")] == "not_assessed"
    cobalt = {"csrf_token": member.csrf, "year": "2025",
              "supplier": "Katanga Cobalt Trading SARL", "position": "HR01"}  # fmt: skip
    response = member.client.post(
        "/orgs/acme/reporting/lksg/assessment",
        data={**cobalt, "finding": "confirmed", "method": "audit",
              "evidence": "Audit 2025-03", "assessed_by": "Erika Muster",
              "assessed_on": "2025-04-02"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    response = member.client.post(
        "/orgs/acme/reporting/lksg/measure",
        data={**cobalt, "id": "M1", "kind": "remedial", "description": "Corrective plan",
              "owner": "Einkauf", "due": "2025-09-30", "status": "in_progress"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    data = member.client.get("/api/v1/orgs/acme/reporting/lksg?year=2025").json()
    risk = next(r for r in data["risks"] if r["position"] == "HR01" and r["measures"])
    assert risk["state"] == "overdue"  # due 30 Sep 2025, today is later
    assert data["measures"][0]["overdue"] is True and data["measures"][0]["owner"] == "Einkauf"
    other = member.client.get("/api/v1/orgs/acme/reporting/lksg?year=2024").json()
    assert other["measures"] == []
    bad = member.client.post(
        "/orgs/acme/reporting/lksg/measure",
        data={**cobalt, "id": "M2", "kind": "remedial", "description": "x", "owner": "y",
              "due": "30.09.2025", "status": "planned"},
    )  # fmt: skip
    assert bad.status_code == 422 and "measures[1].due" in bad.text
    html = member.client.get("/api/v1/orgs/acme/reporting/lksg/documentation?format=html&year=2025")
    assert html.status_code == 200 and "Corrective plan" in html.text
    assert "lksg-documentation-2025.html" in html.headers["content-disposition"]
    pdf = member.client.get("/api/v1/orgs/acme/reporting/lksg/documentation?format=pdf&year=2025")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = member.client.get("/orgs/acme/reporting/lksg?year=2025")
    assert page.status_code == 200 and "Corrective plan" in page.text


def test_a_wrong_supplier_list_is_shown_and_nothing_is_stored(app: FastAPI) -> None:
    member = Member(app, "owner@example.org", "Erika Muster")
    member.org("acme")
    response = member.client.post(
        "/orgs/acme/reporting/lksg/suppliers",
        data={"csrf_token": member.csrf},
        files={
            "file": ("s.csv", b"name,country,nace,spend_eur\nA,Deutschland,C24,1\n", "text/csv")
        },
    )
    assert response.status_code == 422 and "country" in response.text
    data = member.client.get("/api/v1/orgs/acme/reporting/lksg").json()
    assert data["suppliers"] == [] and data["risks"] == []
