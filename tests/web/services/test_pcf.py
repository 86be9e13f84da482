"""Product carbon footprints on the web: BOM upload (API, page), figures, report job, errors,
roles."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pypdf
import pytest
from fastapi import FastAPI

from kreislauf.carbon.bom import read_bom
from kreislauf.carbon.factors import read_factors
from kreislauf.carbon.pcf import FootprintsJson, PcfResult, product_footprints
from kreislauf.ledger import read_ledger
from kreislauf.web import create_app
from kreislauf.web.demo import COMPANY, DEMO_EMAIL, DEMO_PASSWORD, create_demo
from tests.web.web_helpers import (
    CARBON,
    FACTORS,
    LEDGER,
    Member,
    client_for,
    settings_for,
    wait_for_job,
)

PROBLEM = "application/problem+json"
BOM = CARBON / "bom.csv"
FACTOR_ROW = (
    b"key,value,unit,scope,category,source,year,region\n"
    b"Steel X,3,kg CO2e/kg,3,1,test value,2024,DE\n"
)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _upload(member: Member, slug: str, bom: Path, *factors: Path) -> object:
    parts = [("bom", (bom.name, bom.read_bytes()))]
    parts += [("factors", (f.name, f.read_bytes())) for f in factors]
    return member.client.post(f"/api/v1/orgs/{slug}/pcf/bom", files=parts)


def _expected() -> list[PcfResult]:
    """What ``kreislauf carbon pcf bom.csv --ledger ledger.csv --factors …`` computes."""
    return product_footprints(read_bom(BOM), read_ledger(LEDGER), read_factors(list(FACTORS)))


def _stored(member: Member, slug: str) -> list[tuple[str, str]]:
    inputs = member.client.get(f"/api/v1/orgs/{slug}/carbon/inputs").json()
    return [(i["kind"], i["filename"]) for i in inputs]


def _pdf_text(member: Member, slug: str, job_id: int) -> str:
    """The text of a finished report job's PDF (pypdf)."""
    pdf = member.client.get(f"/api/v1/orgs/{slug}/jobs/{job_id}/result")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="pcf-report.pdf"'
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)


def _failed_report(member: Member, slug: str, lang: str) -> str:
    """Start a report job through the API; the message of the job, which must fail."""
    started = member.client.post(f"/api/v1/orgs/{slug}/pcf/report-jobs?lang={lang}")
    assert started.status_code == 202, started.text
    job = wait_for_job(member, slug, started.json()["id"])
    assert job["status"] == "failed" and job["result_name"] is None, job
    missing = member.client.get(f"/api/v1/orgs/{slug}/jobs/{job['id']}/result")
    assert missing.status_code == 404
    return str(job["error"])


@pytest.fixture
def company(member: Member) -> str:
    member.org("acme")
    assert member.upload_ledger("acme").status_code == 201  # type: ignore[attr-defined]
    return "acme"


def test_api_upload_gives_the_clis_footprints(member: Member, company: str) -> None:
    response = _upload(member, company, BOM, *FACTORS)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    assert _stored(member, company) == [
        ("factors", "product-factors.csv"),
        ("factors", "factors.csv"),
        ("bom", "bom.csv"),
    ]
    expected = _expected()
    got = member.client.get(f"/api/v1/orgs/{company}/pcf").json()
    assert got["bom"] == "bom.csv" and got["factor_files"] == ["product-factors.csv", "factors.csv"]
    assert [p["product"] for p in got["products"]] == ["Türmodul-Träger TM-200", "Halter-Set HS-4"]
    for product, result in zip(got["products"], expected, strict=True):
        assert product["pcf_kg_co2e"] == pytest.approx(result.total_kg, abs=1e-6)
        assert product["primary_data_share"] == pytest.approx(100 * result.primary_share, abs=1e-6)
        stages = {s["stage"]: s["kg_co2e"] for s in product["stages"]}
        assert stages == pytest.approx(result.stages, abs=1e-6)
        assert sum(s["share"] for s in product["stages"]) == pytest.approx(100, abs=1e-3)
        components = {c["item"]: c["total"] for c in product["components"]}
        totals = dict(zip(result.components["item"], result.components["total"], strict=True))
        assert components == pytest.approx(totals, abs=1e-6)
    # the demo door module: 3.84 kg CO2e, 16.9 % primary data (docs/carbon-products.md)
    assert got["products"][0]["pcf_kg_co2e"] == pytest.approx(3.842, abs=5e-4)
    assert got["products"][0]["primary_data_share"] == pytest.approx(16.9, abs=0.05)
    download = member.client.get(f"/api/v1/orgs/{company}/pcf/pcf.json")
    assert download.headers["content-disposition"] == 'attachment; filename="pcf.json"'
    cli_json = json.loads(json.dumps({"products": [r.to_dict() for r in expected]}))
    assert download.json() == cli_json


def test_hand_computed_small_bom(member: Member, tmp_path: Path) -> None:
    """One product of 2 kg steel (factor 3 kg CO2e/kg): PCF 6 kg CO2e, 0 % primary data."""
    member.org("small")
    assert member.upload_ledger("small").status_code == 201  # type: ignore[attr-defined]
    bom = tmp_path / "small-bom.csv"
    bom.write_text("parent,component,quantity,unit\nWidget,Steel X,2,kg\n", encoding="utf-8")
    factors = tmp_path / "steel.csv"
    factors.write_bytes(FACTOR_ROW)
    assert _upload(member, "small", bom, factors).status_code == 201  # type: ignore[attr-defined]
    product = member.client.get("/api/v1/orgs/small/pcf").json()["products"][0]
    assert product["product"] == "Widget"
    assert product["pcf_kg_co2e"] == pytest.approx(6.0)
    assert product["primary_data_share"] == pytest.approx(0.0)
    assert {s["stage"]: s["kg_co2e"] for s in product["stages"]} == pytest.approx(
        {"raw_materials": 6.0, "processing": 0.0, "waste": 0.0}
    )


def test_page_upload_shows_figures_chart_and_downloads(member: Member, company: str) -> None:
    page = member.client.get(f"/orgs/{company}/pcf")
    assert page.status_code == 200 and 'id="pcf-none"' in page.text
    assert f'href="/orgs/{company}/pcf" aria-current="page"' in page.text
    files = [("bom", (BOM.name, BOM.read_bytes()))]
    files += [("factors", (f.name, f.read_bytes())) for f in FACTORS]
    shown = member.client.post(
        f"/orgs/{company}/pcf", data={"csrf_token": _csrf(page.text)}, files=files
    )
    assert shown.status_code == 200 and 'id="pcf-ok"' in shown.text
    door, holder = _expected()
    text = shown.text
    assert "Türmodul-Träger TM-200" in text and "Halter-Set HS-4" in text
    assert f"{door.total_kg:.3f}".replace(".", ",") + " kg CO2e" in text  # German format
    assert f"{100 * door.primary_share:.1f}".replace(".", ",") + "\u00a0%" in text
    assert f"{holder.total_kg:.3f}".replace(".", ",") in text
    assert "Rohstoffe und Zukaufteile" in text and "Primärdatenanteil" in text
    chart = re.search(r'<img src="([^"]+/products/1/chart\.png[^"]*)"', text)
    assert chart
    png = member.client.get(chart.group(1).replace("&amp;", "&"))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert f'href="/api/v1/orgs/{company}/pcf/pcf.json"' in text
    assert f'action="/orgs/{company}/pcf/report?lang=de"' in text and 'id="pcf-report"' in text
    english = member.client.get(f"/orgs/{company}/pcf?lang=en")
    assert "Primary data share" in english.text and "Product footprints" in english.text
    assert member.client.get(f"/api/v1/orgs/{company}/pcf/products/3/chart.png").status_code == 404


def test_the_report_is_rendered_by_a_background_job(member: Member, company: str) -> None:
    assert _upload(member, company, BOM, *FACTORS).status_code == 201  # type: ignore[attr-defined]
    door, holder = _expected()
    started = member.client.post(f"/api/v1/orgs/{company}/pcf/report-jobs?lang=en")
    assert started.status_code == 202
    job = started.json()
    assert job["kind"] == "pcf_report_pdf" and job["status"] in ("queued", "running", "done")
    assert started.headers["location"] == f"/api/v1/orgs/{company}/jobs/{job['id']}"
    done = wait_for_job(member, company, job["id"])
    assert done["status"] == "done", done["error"]
    assert done["progress"] == 1.0 and done["result_name"] == "pcf-report.pdf"
    text = _pdf_text(member, company, job["id"])
    assert "Product carbon footprint (cradle-to-gate)" in text
    assert "Türmodul-Träger TM-200" in text and "Halter-Set HS-4" in text
    assert f"{door.total_kg:.3f} kg CO2e" in text and f"{holder.total_kg:.3f} kg CO2e" in text
    assert f"{100 * door.primary_share:.1f}%" in text
    # the report is no longer rendered within a request
    assert member.client.get(f"/api/v1/orgs/{company}/pcf/report.pdf").status_code == 404


def test_the_page_button_starts_the_job_and_shows_its_progress(
    member: Member, company: str
) -> None:
    assert _upload(member, company, BOM, *FACTORS).status_code == 201  # type: ignore[attr-defined]
    page = member.client.get(f"/orgs/{company}/pcf")
    started = member.client.post(
        f"/orgs/{company}/pcf/report?lang=de",
        data={"csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert started.status_code == 303
    match = re.fullmatch(rf"/orgs/{company}/jobs/(\d+)\?lang=de", started.headers["location"])
    assert match, started.headers["location"]
    job_id = int(match.group(1))
    progress = member.client.get(started.headers["location"])
    assert progress.status_code == 200 and 'id="job-progress"' in progress.text
    assert wait_for_job(member, company, job_id)["status"] == "done"
    shown = member.client.get(started.headers["location"]).text
    assert f'href="/api/v1/orgs/{company}/jobs/{job_id}/result"' in shown
    assert "pcf-report.pdf herunterladen" in shown and "http-equiv" not in shown
    door, _ = _expected()
    text = _pdf_text(member, company, job_id)
    assert "Produkt-CO2-Fußabdruck (cradle-to-gate)" in text and "Halter-Set HS-4" in text
    assert f"{door.total_kg:.3f}".replace(".", ",") + " kg CO2e" in text
    assert re.search(rf"{100 * door.primary_share:.1f}".replace(".", ",") + r"\s%", text)


def test_a_report_job_without_bom_or_ledger_fails_with_the_message(
    member: Member, company: str
) -> None:
    assert "'acme' (bom)" in _failed_report(member, company, "de")
    assert "does not exist in this organisation" in _failed_report(member, company, "en")
    member.org("noledger")
    assert _upload(member, "noledger", BOM, *FACTORS).status_code == 201  # type: ignore[attr-defined]
    message = _failed_report(member, "noledger", "de")
    assert message == "'noledger' (ledger) gibt es in dieser Organisation nicht"


def test_a_report_job_fails_with_the_missing_factor_named(member: Member) -> None:
    """A BOM stored before the ledger, without product factors: the report names the row."""
    member.org("late")
    assert _upload(member, "late", BOM).status_code == 201  # type: ignore[attr-defined]
    assert member.upload_ledger("late").status_code == 201  # type: ignore[attr-defined]
    expected = member.client.get("/api/v1/orgs/late/pcf?lang=en")
    assert expected.status_code == 422
    assert expected.json()["type"] == "urn:kreislauf:problem:no_factor"
    message = _failed_report(member, "late", "en")
    assert message == expected.json()["detail"] and "bom.csv" in message


def test_a_bom_with_a_cycle_is_refused_in_the_page_and_stores_nothing(
    member: Member, company: str, tmp_path: Path
) -> None:
    assert _upload(member, company, BOM, *FACTORS).status_code == 201  # type: ignore[attr-defined]
    before = _stored(member, company)
    cycle = tmp_path / "cycle.csv"
    cycle.write_text("parent,component,quantity,unit\nA,B,1,Stk\nB,C,2,Stk\nC,B,1,Stk\n")
    page = member.client.get(f"/orgs/{company}/pcf")
    refused = member.client.post(
        f"/orgs/{company}/pcf",
        data={"csrf_token": _csrf(page.text)},
        files=[("bom", (cycle.name, cycle.read_bytes())), ("factors", ("more.csv", FACTOR_ROW))],
    )
    assert refused.status_code == 422 and 'id="upload-errors"' in refused.text
    assert "cycle.csv" in refused.text and "B → C → B" in refused.text
    assert _stored(member, company) == before  # the stored BOM stays, no factor file added
    assert "Türmodul-Träger TM-200" in refused.text  # the stored results are still shown


def test_an_unknown_unit_names_row_and_column(member: Member, company: str, tmp_path: Path) -> None:
    bad = tmp_path / "units.csv"
    bad.write_text("parent,component,quantity,unit\nA,B,1,Stk\nA,C,2,Schubkarren\n")
    response = _upload(member, company, bad, *FACTORS)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["type"] == "urn:kreislauf:problem:invalid_bom"
    assert (body["file"], body["row"], body["column"]) == ("units.csv", 3, "unit")
    assert "Schubkarren" in body["detail"]
    page = member.client.get(f"/orgs/{company}/pcf")
    shown = member.client.post(
        f"/orgs/{company}/pcf",
        data={"csrf_token": _csrf(page.text)},
        files=[("bom", (bad.name, bad.read_bytes()))],
    )
    assert shown.status_code == 422
    assert re.search(r"<td>units\.csv</td><td>3</td><td>unit</td><td>Schubkarren</td>", shown.text)
    assert _stored(member, company) == []


def test_a_component_without_factor_is_refused_with_its_row(member: Member, company: str) -> None:
    response = _upload(member, company, BOM)  # no product factor files
    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["type"] == "urn:kreislauf:problem:no_factor" and "bom.csv" in body["detail"]
    assert _stored(member, company) == []
    assert member.client.get(f"/api/v1/orgs/{company}/pcf").status_code == 404


def test_without_ledger_the_bom_is_kept_and_the_page_says_what_is_missing(
    member: Member,
) -> None:
    member.org("noledger")
    assert _upload(member, "noledger", BOM, *FACTORS).status_code == 201  # type: ignore[attr-defined]
    page = member.client.get("/orgs/noledger/pcf")
    assert 'id="pcf-no-ledger"' in page.text and 'id="pcf-bom"' in page.text
    missing = member.client.get("/api/v1/orgs/noledger/pcf")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert member.upload_ledger("noledger").status_code == 201  # type: ignore[attr-defined]
    products = member.client.get("/api/v1/orgs/noledger/pcf").json()["products"]
    assert products[0]["pcf_kg_co2e"] == pytest.approx(_expected()[0].total_kg, abs=1e-6)


def test_delete_through_api_and_page(member: Member, company: str) -> None:
    assert _upload(member, company, BOM, *FACTORS).status_code == 201  # type: ignore[attr-defined]
    assert member.client.delete(f"/api/v1/orgs/{company}/pcf/bom").status_code == 204
    assert ("bom", "bom.csv") not in _stored(member, company)
    assert ("factors", "factors.csv") in _stored(member, company)  # the balance keeps them
    assert member.client.get(f"/api/v1/orgs/{company}/pcf").status_code == 404
    assert member.client.delete(f"/api/v1/orgs/{company}/pcf/bom").status_code == 404
    assert _upload(member, company, BOM).status_code == 201  # type: ignore[attr-defined]
    page = member.client.get(f"/orgs/{company}/pcf")
    deleted = member.client.post(
        f"/orgs/{company}/pcf/delete", data={"csrf_token": _csrf(page.text)}
    )
    assert deleted.status_code == 200 and 'id="pcf-none"' in deleted.text


def test_viewers_read_but_cannot_upload_or_delete(
    app: FastAPI, member: Member, company: str
) -> None:
    assert _upload(member, company, BOM, *FACTORS).status_code == 201  # type: ignore[attr-defined]
    token = member.client.post(
        f"/api/v1/orgs/{company}/invitations", json={"email": "v@example.org", "role": "viewer"}
    ).json()["token"]
    viewer = Member(app, "v@example.org")
    viewer.client.post("/api/v1/invitations/accept", json={"token": token})
    assert viewer.client.get(f"/api/v1/orgs/{company}/pcf").status_code == 200
    page = viewer.client.get(f"/orgs/{company}/pcf")
    assert page.status_code == 200 and 'id="bom-file"' not in page.text
    assert "/pcf/delete" not in page.text
    assert _upload(viewer, company, BOM).status_code == 403  # type: ignore[attr-defined]
    form = viewer.client.post(
        f"/orgs/{company}/pcf",
        data={"csrf_token": _csrf(page.text)},
        files=[("bom", (BOM.name, BOM.read_bytes()))],
    )
    assert form.status_code == 403
    assert viewer.client.delete(f"/api/v1/orgs/{company}/pcf/bom").status_code == 403
    gone = viewer.client.post(f"/orgs/{company}/pcf/delete", data={"csrf_token": _csrf(page.text)})
    assert gone.status_code == 403
    assert ("bom", "bom.csv") in _stored(member, company)


def test_the_demo_company_has_its_product_footprints(db_url: str) -> None:
    create_demo(db_url)
    app = create_app(settings_for(db_url))
    client = client_for(app)
    login = client.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert login.status_code == 200
    got = client.get(f"/api/v1/orgs/{COMPANY}/pcf").json()
    assert [p["pcf_kg_co2e"] for p in got["products"]] == pytest.approx(
        [r.total_kg for r in _expected()], abs=1e-6
    )
    assert "Türmodul-Träger TM-200" in client.get(f"/orgs/{COMPANY}/pcf").text
    app.state.engine.dispose()


def test_pcf_json_is_the_clis_document_and_a_zero_pcf_has_no_shares(
    member: Member, tmp_path: Path
) -> None:
    """pcf.json is ``FootprintsJson`` as ``kreislauf carbon pcf --json`` writes it; shares
    of a PCF of 0 are not defined: ``null`` in the API, an empty bar and '–' on the page."""
    member.org("zero")
    assert member.upload_ledger("zero").status_code == 201  # type: ignore[attr-defined]
    bom = tmp_path / "zero-bom.csv"
    bom.write_text("parent,component,quantity,unit\nWidget,Steel X,2,kg\n", encoding="utf-8")
    factors = tmp_path / "steel.csv"
    factors.write_bytes(FACTOR_ROW.replace(b"Steel X,3,", b"Steel X,0,"))
    assert _upload(member, "zero", bom, factors).status_code == 201  # type: ignore[attr-defined]
    expected = product_footprints(read_bom(bom), read_ledger(LEDGER), read_factors([factors]))
    download = member.client.get("/api/v1/orgs/zero/pcf/pcf.json")
    assert download.content == FootprintsJson.of(expected).to_json().encode()
    assert download.json()["products"][0]["pcf_kg_co2e"] == 0.0

    product = member.client.get("/api/v1/orgs/zero/pcf").json()["products"][0]
    assert product["pcf_kg_co2e"] == 0.0
    assert [s["share"] for s in product["stages"]] == [None, None, None]
    assert {c["share"] for c in product["components"]} == {None}
    page = member.client.get("/orgs/zero/pcf?lang=en").text
    bars = 'class="bar" max="100" value="0"'
    assert page.count(bars) == 1 + len(product["stages"])  # primary share too
    assert not re.search(r"\bnan\b", page, flags=re.IGNORECASE)
