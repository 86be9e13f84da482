"""Carbon inputs and the GHG section: upload, validation, dashboard, downloads, report job."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kreislauf.carbon.activities import read_activities
from kreislauf.carbon.balance import ghg_balance
from kreislauf.carbon.factors import read_factors
from kreislauf.carbon.measures import evaluate_measures
from kreislauf.carbon.measures_file import read_measures
from kreislauf.carbon.prices import DEFAULT_PATH, read_price_paths
from kreislauf.ledger import read_ledger
from tests.web.web_helpers import CARBON, FACTORS, LEDGER, Member, upload_carbon, wait_for_job

PROBLEM = "application/problem+json"


@pytest.fixture
def company(member: Member) -> str:
    member.org("acme")
    assert member.upload_ledger("acme").status_code == 201  # type: ignore[attr-defined]
    return "acme"


def test_without_factor_files_the_dashboard_names_the_flow_without_factor(
    member: Member, company: str
) -> None:
    board = member.client.get(f"/api/v1/orgs/{company}/dashboard?lang=en").json()
    assert board["ghg"] is None and board["kpis"]
    problem = board["ghg_problem"]
    assert problem["type"] == "urn:kreislauf:problem:no_factor"
    assert problem["file"] == "ledger.csv" and problem["row"] >= 2
    assert "PP-GF30" in problem["detail"]
    download = member.client.get(f"/api/v1/orgs/{company}/carbon/balance.json")
    assert download.status_code == 422 and download.headers["content-type"] == PROBLEM
    page = member.client.get(f"/orgs/{company}/dashboard?lang=en")
    assert page.status_code == 200 and 'id="ghg-problem"' in page.text


def test_demo_inputs_give_the_clis_balance_and_ranked_measures(
    member: Member, company: str
) -> None:
    response = upload_carbon(
        member, company, factors=FACTORS, activities=CARBON / "activities.csv",
        measures=CARBON / "measures.yaml",
    )  # fmt: skip
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    stored = member.client.get(f"/api/v1/orgs/{company}/carbon/inputs").json()
    assert [(i["kind"], i["filename"]) for i in stored] == [
        ("factors", "product-factors.csv"),
        ("factors", "factors.csv"),
        ("activities", "activities.csv"),
        ("measures", "measures.yaml"),
    ]
    expected = ghg_balance(
        read_ledger(LEDGER),
        read_factors(list(FACTORS)),
        activities=read_activities(CARBON / "activities.csv"),
    )
    ghg = member.client.get(f"/api/v1/orgs/{company}/dashboard").json()["ghg"]
    assert ghg["scope1_t"] == pytest.approx(expected.totals["scope1"], rel=1e-6)
    assert ghg["scope2_market_t"] == pytest.approx(expected.totals["scope2_market"], rel=1e-6)
    assert ghg["scope3_t"] == pytest.approx(expected.totals["scope3"], rel=1e-6)
    assert set(ghg["scope3_by_category"]) == set(expected.scope3_by_category)
    balance = member.client.get(f"/api/v1/orgs/{company}/carbon/balance.json").json()
    assert balance["scope2_location_t"] == pytest.approx(
        expected.totals["scope2_location"], rel=1e-6
    )
    assert len(balance["lines"]) == len(expected.lines)
    measures = member.client.get(f"/api/v1/orgs/{company}/dashboard").json()["measures"]
    macs = [m["mac_eur_per_t"] for m in measures["measures"] if m["mac_eur_per_t"] is not None]
    assert macs == sorted(macs) and len(measures["measures"]) >= 3
    assert [m["rank"] for m in measures["measures"]] == list(
        range(1, len(measures["measures"]) + 1)
    )
    png = member.client.get(f"/api/v1/orgs/{company}/carbon/mac-curve.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    page = member.client.get(f"/orgs/{company}/dashboard")
    assert 'id="ghg-scopes"' in page.text and 'id="measures-ranked"' in page.text
    assert "Scope 2 (marktbasiert)" in page.text


def test_a_bad_factor_file_names_the_row_and_stores_nothing(
    member: Member, company: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad-factors.csv"
    bad.write_text(
        "key,value,unit,scope,category,source,year,region\n"
        "gas,0.2,kg CO2e / kWh,1,stationary_combustion,own,2024,DE\n"
        "strom,viel,kg CO2e / kWh,2,electricity,own,2024,DE\n",
        encoding="utf-8",
    )
    response = upload_carbon(member, company, factors=bad, measures=CARBON / "measures.yaml")
    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert response.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    assert (body["file"], body["row"], body["column"]) == ("bad-factors.csv", 3, "value")
    assert body["errors"][0]["value"] == "viel"
    assert member.client.get(f"/api/v1/orgs/{company}/carbon/inputs").json() == []
    page = member.client.post(
        f"/orgs/{company}/carbon", files={"factors": (bad.name, bad.read_bytes())}
    )
    assert page.status_code == 422 and 'id="upload-errors"' in page.text
    assert "bad-factors.csv" in page.text and "viel" in page.text
    assert member.client.get(f"/api/v1/orgs/{company}/carbon/inputs").json() == []


def test_measures_on_an_unknown_centre_are_reported_in_place(
    member: Member, company: str, tmp_path: Path
) -> None:
    measures = tmp_path / "measures.csv"
    measures.write_text(
        "id,name,kind,centre,investment_eur,lifetime_years,carrier,share\n"
        "X1,Test,energy_saving,Lackiererei,1000,5,natural_gas,0.1\n",
        encoding="utf-8",
    )
    assert upload_carbon(member, company, factors=FACTORS, measures=measures).status_code == 201  # type: ignore[attr-defined]
    board = member.client.get(f"/api/v1/orgs/{company}/dashboard").json()
    assert board["ghg"] is not None and board["measures"] is None
    assert board["measures_problem"]["row"] == 2
    assert "Lackiererei" in board["measures_problem"]["detail"]


def test_page_upload_and_replacement_and_delete(member: Member, company: str) -> None:
    page = member.client.post(
        f"/orgs/{company}/carbon",
        files=[("factors", (p.name, p.read_bytes())) for p in FACTORS],
    )
    assert page.status_code == 200 and 'id="carbon-ok"' in page.text
    for _ in range(2):
        assert (
            upload_carbon(member, company, activities=CARBON / "activities.csv").status_code == 201
        )  # type: ignore[attr-defined]
    stored = member.client.get(f"/api/v1/orgs/{company}/carbon/inputs").json()
    assert [i["kind"] for i in stored] == ["factors", "factors", "activities"]
    gone = member.client.delete(f"/api/v1/orgs/{company}/carbon/inputs/{stored[-1]['id']}")
    assert gone.status_code == 204
    assert len(member.client.get(f"/api/v1/orgs/{company}/carbon/inputs").json()) == 2
    page = member.client.get(f"/orgs/{company}/carbon")
    assert f"/carbon/inputs/{stored[0]['id']}/delete" in page.text
    deleted = member.client.post(
        f"/orgs/{company}/carbon/inputs/{stored[0]['id']}/delete", follow_redirects=False
    )
    assert deleted.status_code == 303
    remaining = member.client.get(f"/api/v1/orgs/{company}/carbon/inputs").json()
    assert [i["filename"] for i in remaining] == ["factors.csv"]
    empty = member.client.post(f"/api/v1/orgs/{company}/carbon/inputs", files={})
    assert empty.status_code == 422


def test_carbon_report_is_rendered_in_the_background(member: Member, company: str) -> None:
    assert (
        upload_carbon(
            member, company, factors=FACTORS, measures=CARBON / "measures.yaml"
        ).status_code
        == 201
    )  # type: ignore[attr-defined]
    job = member.client.post(f"/api/v1/orgs/{company}/carbon/report-jobs?lang=en")
    assert job.status_code == 202
    done = wait_for_job(member, company, job.json()["id"])
    assert done["status"] == "done", done["error"]
    pdf = member.client.get(f"/api/v1/orgs/{company}/jobs/{job.json()['id']}/result")
    assert pdf.content.startswith(b"%PDF")


def test_the_cache_sees_a_replaced_upload_that_got_the_same_id(
    member: Member, company: str, tmp_path: Path
) -> None:
    """SQLite gives a new row the id of a deleted last row; the dashboard must not go stale."""
    uploads = f"/api/v1/orgs/{company}/ledger/uploads"
    assert member.client.get(f"/api/v1/orgs/{company}/dashboard").json()["rows"] == 696
    first = member.client.get(uploads).json()[0]["id"]
    assert member.client.delete(f"{uploads}/{first}").status_code == 204
    small = tmp_path / "small.csv"
    lines = LEDGER.read_text(encoding="utf-8").splitlines(True)
    small.write_text("".join(lines[:6] + lines[7:10]), encoding="utf-8")  # without the transfer
    assert member.upload_ledger(company, small).status_code == 201  # type: ignore[attr-defined]
    assert member.client.get(f"/api/v1/orgs/{company}/dashboard").json()["rows"] == 8


def _rounded(value: float | None, digits: int) -> float | None:
    """The documented JSON of a number: ``None`` if missing or not finite, else rounded."""
    return None if value is None or not math.isfinite(value) else round(value, digits)


def test_downloads_and_dashboard_use_the_results_own_number_rule(
    member: Member, company: str
) -> None:
    """balance.json is the balance's JSON document (``kreislauf carbon balance --json``);
    the dashboard rounds t CO2e to 6 decimals, quality scores and payback to 3 and NPV and
    abatement cost to 2 (whole cents), null where a value is not finite."""
    measures_file = CARBON / "measures.yaml"
    response = upload_carbon(
        member, company, factors=FACTORS, activities=CARBON / "activities.csv",
        measures=measures_file,
    )  # fmt: skip
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    ledger, library = read_ledger(LEDGER), read_factors(list(FACTORS))
    balance = ghg_balance(ledger, library, activities=read_activities(CARBON / "activities.csv"))
    download = member.client.get(f"/api/v1/orgs/{company}/carbon/balance.json")
    assert download.headers["content-type"] == "application/json"
    assert download.content == balance.to_json().encode()

    board = member.client.get(f"/api/v1/orgs/{company}/dashboard").json()
    for scope in board["ghg"]["scopes"]:
        u = balance.uncertainty[scope["scope"]]
        assert scope["co2e_t"] == _rounded(balance.totals[scope["scope"]], 6)
        assert (scope["low_t"], scope["high_t"]) == (_rounded(u.low_t, 6), _rounded(u.high_t, 6))
        assert scope["quality_score"] == _rounded(u.quality_score, 3)
    evaluated = evaluate_measures(
        read_measures(measures_file), ledger, library, read_price_paths(None),
        default_path=DEFAULT_PATH, measures_source=measures_file.name,
    )  # fmt: skip
    by_id = {m.measure.id: m for m in evaluated.measures}
    shown = board["measures"]["measures"]
    assert {m["id"] for m in shown} == set(by_id)
    for m in shown:
        want = by_id[m["id"]]
        assert m["co2e_t"] == _rounded(want.co2e_t, 6)
        assert m["investment_eur"] == _rounded(want.measure.investment_eur, 6)
        assert m["npv_eur"] == _rounded(want.npv_eur, 2)
        assert m["payback_years"] == _rounded(want.payback_years, 3)
        assert m["mac_eur_per_t"] == _rounded(want.mac_eur_per_t, 2)
