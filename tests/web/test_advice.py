"""Advice on the platform: funding API and page, one-page summary, self-check against a
network's survey, the Förderdatenbank import job (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from pypdf import PdfReader

from kreislauf import settings
from kreislauf.store import survey as survey_store
from kreislauf.store.engine import make_sessionmaker
from kreislauf.survey import read_responses
from kreislauf.web import jobs
from kreislauf.web.app import create_app
from kreislauf.web.queue import run_schedule
from kreislauf.web.services import advice as advice_service

from .web_helpers import (
    CARBON,
    EXAMPLES,
    FACTORS,
    Member,
    settings_for,
    upload_carbon,
    wait_for_job,
)

COMPANY = {
    "employees": 85,
    "turnover_eur": 14_500_000,
    "balance_sheet_eur": 9_800_000,
    "state": "SN",
    "de_minimis_received_eur": 40_000,
    "measures": {"M5": {"listed_machine": True, "saving_concept": False}},
}
SAMPLE = Path(__file__).parents[1] / "advice" / "data" / "fdb-sample"


@pytest.fixture
def company(member: Member) -> Member:
    member.org("acme")
    assert member.upload_ledger("acme").status_code == 201
    response = upload_carbon(member, "acme", factors=FACTORS, measures=CARBON / "measures.yaml")
    assert response.status_code == 201, response.text
    return member


def test_funding_api_on_the_stored_measures(company: Member) -> None:
    response = company.client.post("/api/v1/orgs/acme/advice/funding?lang=en", json=COMPANY)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["size_class"] == "medium"
    assert len(data["results"]) == 5 * 14
    basis = next(
        r for r in data["results"] if (r["measure"], r["programme"]) == ("M5", "eew-m4-basis")
    )
    assert basis["status"] == "eligible"
    assert basis["estimated_grant_eur"] == pytest.approx(18_000)  # 10 % of EUR 180,000


def test_funding_api_errors(company: Member, member: Member) -> None:
    bad = company.client.post("/api/v1/orgs/acme/advice/funding", json={**COMPANY, "employees": -1})
    assert bad.status_code == 422
    member.org("empty")
    missing = member.client.post("/api/v1/orgs/empty/advice/funding", json=COMPANY)
    assert missing.status_code == 404


def test_one_page_summary_pdf(company: Member) -> None:
    response = company.client.post("/api/v1/orgs/acme/advice/funding/M5/summary.pdf", json=COMPANY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    unknown = company.client.post("/api/v1/orgs/acme/advice/funding/M9/summary.pdf", json=COMPANY)
    assert unknown.status_code == 404


def test_funding_page_and_printable_summary(company: Member) -> None:
    page = company.client.get("/orgs/acme/advice/funding")
    assert page.status_code == 200 and "M5" in page.text
    form = {
        "csrf_token": company.csrf,
        "employees": "85",
        "turnover_eur": "14.500.000",  # German thousands separators
        "balance_sheet_eur": "9800000",
        "state": "SN",
        "M5__listed_machine": "yes",
    }
    result = company.client.post("/orgs/acme/advice/funding", data=form)
    assert result.status_code == 200, result.text
    assert 'data-programme="eew-m4-basis" data-status="eligible"' in result.text
    assert "18.000" in result.text  # German page
    summary = company.client.post("/orgs/acme/advice/funding/M5/summary", data=form)
    assert summary.status_code == 200
    assert "Förderung: Servohydraulik" in summary.text
    bad = company.client.post("/orgs/acme/advice/funding", data={**form, "employees": "viele"})
    assert bad.status_code == 422 and "employees" in bad.text


def test_funding_form_asks_each_measure_only_what_its_programmes_read(company: Member) -> None:
    page = company.client.get("/orgs/acme/advice/funding?lang=en").text
    # M3 heat recovery: the waste-heat bonus asks about external waste heat, not biomass
    assert 'name="M3__external_waste_heat"' in page and 'name="M3__biomass"' not in page
    # M5 servo drives: module 4 basis asks for a listed machine
    assert 'name="M5__listed_machine"' in page
    # M4 own PV: only SAENA's free advice, which asks nothing
    assert not any(f'name="M4__{fact}"' in page for fact in ("saving_concept", "started"))
    assert "No programme of the rule table needs more answers for this measure." in page
    # an answer stored for a question not asked is carried along, not lost on saving
    stored = company.client.put(
        "/api/v1/orgs/acme/advice/company",
        json={"employees": 85, "measures": {"M4": {"biomass": False}}},
    )
    assert stored.status_code == 200, stored.text
    page = company.client.get("/orgs/acme/advice/funding").text
    assert '<input type="hidden" name="M4__biomass" value="no">' in page


def test_company_profile_is_stored_and_fills_the_page(app: FastAPI, company: Member) -> None:
    empty = company.client.get("/api/v1/orgs/acme/advice/company")
    assert empty.status_code == 200
    assert empty.json()["stored"] is False and empty.json()["company"]["employees"] is None
    body = {
        **COMPANY,
        "nace": "C22.2",
        "energy_network_member": True,
        "measures": {"M5": {"listed_machine": True, "saving_confirmation_cost_eur": 3000}},
    }
    stored = company.client.put("/api/v1/orgs/acme/advice/company", json=body)
    assert stored.status_code == 200, stored.text
    again = company.client.get("/api/v1/orgs/acme/advice/company").json()
    assert again["stored"] is True and again["updated_by"] == "Owner"
    assert again["company"]["employees"] == 85 and again["company"]["nace"] == "C22.2"
    assert again["company"]["turnover_eur"] == 14_500_000 and again["company"]["state"] == "SN"
    assert again["company"]["energy_network_member"] is True
    assert again["company"]["measures"]["M5"]["listed_machine"] is True
    assert again["company"]["measures"]["M5"]["saving_confirmation_cost_eur"] == 3000
    # the stored profile is the funding body: M5 basis 10 % x (180,000 + 2 % x 180,000 = 3,000
    # of 3,000 asked, limit 3,600) = 18,300
    funding = company.client.post("/api/v1/orgs/acme/advice/funding", json=again["company"]).json()
    basis = next(
        r for r in funding["results"] if (r["measure"], r["programme"]) == ("M5", "eew-m4-basis")
    )
    assert basis["estimated_grant_eur"] == pytest.approx(18_300)
    # the page fills the stored figures in
    page = company.client.get("/orgs/acme/advice/funding")
    assert 'id="f-employees" name="employees" value="85"' in page.text
    assert 'name="nace" value="C22.2"' in page.text
    assert 'id="funding-profile-stored"' in page.text
    assert '<option value="yes" selected>' in page.text  # listed machine / network member
    # a bad field: 422 naming it, the stored profile unchanged
    bad = company.client.put("/api/v1/orgs/acme/advice/company", json={**body, "employees": -1})
    assert bad.status_code == 422 and "employees" in bad.text
    assert (
        company.client.get("/api/v1/orgs/acme/advice/company").json()["company"] == again["company"]
    )
    # a second save replaces the first (one row per organisation)
    company.client.put("/api/v1/orgs/acme/advice/company", json={"employees": 40})
    last = company.client.get("/api/v1/orgs/acme/advice/company").json()["company"]
    assert last["employees"] == 40 and last["state"] is None and last["measures"] == {}
    from sqlalchemy import func, select

    from kreislauf.store.models import AdviceCompanyProfile

    with make_sessionmaker(app.state.engine)() as session:
        assert session.scalar(select(func.count()).select_from(AdviceCompanyProfile)) == 1


def test_funding_page_saves_the_profile_for_editors_only(app: FastAPI, company: Member) -> None:
    form = {
        "csrf_token": company.csrf,
        "employees": "85",
        "turnover_eur": "14.500.000",
        "balance_sheet_eur": "9800000",
        "state": "SN",
        "M5__listed_machine": "yes",
        "save_profile": "yes",
    }
    saved = company.client.post("/orgs/acme/advice/funding", data=form)
    assert saved.status_code == 200, saved.text
    assert 'id="funding-profile-saved"' in saved.text
    stored = company.client.get("/api/v1/orgs/acme/advice/company").json()["company"]
    assert stored["turnover_eur"] == 14_500_000 and stored["measures"]["M5"]["listed_machine"]
    # a bad figure saves nothing
    bad = company.client.post("/orgs/acme/advice/funding", data={**form, "employees": "viele"})
    assert bad.status_code == 422
    assert company.client.get("/api/v1/orgs/acme/advice/company").json()["company"] == stored
    # a viewer sees the stored figures but may not save
    token = company.client.post(
        "/api/v1/orgs/acme/invitations", json={"email": "v@example.org", "role": "viewer"}
    ).json()["token"]
    viewer = Member(app, "v@example.org")
    viewer.client.post("/api/v1/invitations/accept", json={"token": token})
    page = viewer.client.get("/orgs/acme/advice/funding")
    assert 'name="turnover_eur" value="14500000"' in page.text
    assert 'id="f-save_profile"' not in page.text
    refused = viewer.client.post(
        "/orgs/acme/advice/funding", data={**form, "csrf_token": viewer.csrf, "employees": "1"}
    )
    assert refused.status_code == 403
    assert viewer.client.put("/api/v1/orgs/acme/advice/company", json={}).status_code == 403
    assert company.client.get("/api/v1/orgs/acme/advice/company").json()["company"] == stored


def _network_with_responses(app: FastAPI, member: Member) -> int:
    member.org("netz", kind="network")
    questionnaire_id = member.questionnaire("netz")
    sessions = make_sessionmaker(app.state.engine)
    with sessions() as session, session.begin():
        record = survey_store.get_questionnaire(
            session, organisation_id=_org_id(member, "netz"), questionnaire_id=questionnaire_id
        )
        survey_store.import_responses(
            session,
            organisation_id=record.organisation_id,
            questionnaire_id=record.id,
            raw=read_responses(EXAMPLES / "leipzig-survey" / "responses.csv"),
        )
    return questionnaire_id


def _org_id(member: Member, slug: str) -> int:
    orgs = member.client.get("/api/v1/orgs").json()
    return int(next(o["id"] for o in orgs if o["slug"] == slug))


def test_selfcheck_api_and_page(app: FastAPI, member: Member) -> None:
    qid = _network_with_responses(app, member)
    body = {"answers": {"strategisches_ziel": 3, "umsetzung": 2}}
    response = member.client.post(f"/api/v1/orgs/netz/advice/selfcheck/{qid}?lang=en", json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    item = next(i for i in data["items"] if i["item"] == "strategisches_ziel")
    assert item["n_peers"] == 24 and item["position"] == "below"
    assert {s["code"] for s in data["suggestions"]} >= {"scrap_reduction", "transformation_plan"}
    bad = member.client.post(
        f"/api/v1/orgs/netz/advice/selfcheck/{qid}", json={"answers": {"umsetzung": 9}}
    )
    assert bad.status_code == 422
    page = member.client.post(
        f"/orgs/netz/advice/selfcheck/{qid}",
        data={"csrf_token": member.csrf, "q_umsetzung": "2", "q_strategisches_ziel": "3"},
    )
    assert page.status_code == 200
    assert 'data-code="scrap_reduction"' in page.text


def test_selfcheck_before_any_response(member: Member) -> None:
    member.org("leer", kind="network")
    qid = member.questionnaire("leer")
    body = {"answers": {"umsetzung": 2}}
    response = member.client.post(f"/api/v1/orgs/leer/advice/selfcheck/{qid}", json=body)
    assert response.status_code == 409


@pytest.fixture
def import_app(db_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for xml in sorted((SAMPLE / "2026-12-01").glob("*.xml")):
            archive.write(xml, xml.name)
    settings = settings_for(db_url).model_copy(
        update={"funding_export": str(export), "funding_history_dir": tmp_path / "history"}
    )
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


def test_funding_import_job(import_app: FastAPI, tmp_path: Path) -> None:
    member = Member(import_app, "owner@example.org")
    member.org("netz", kind="network")
    started = member.client.post("/api/v1/orgs/netz/advice/funding-import-jobs")
    assert started.status_code == 202, started.text
    job = wait_for_job(member, "netz", started.json()["id"])
    assert job["status"] == "done", job
    result = member.client.get(f"/api/v1/orgs/netz/jobs/{job['id']}/result")
    changes = json.loads(result.content)
    assert changes["added"] == ["eew", "krw-sn", "neu-1"]
    assert len(list((tmp_path / "history").glob("*.zip"))) == 1


def test_weekly_import_is_declared_and_imports(
    monkeypatch: pytest.MonkeyPatch, import_app: FastAPI, tmp_path: Path
) -> None:
    schedule = jobs.schedules()["advice_funding_import"]
    assert schedule.cron == "0 3 * * 1"
    assert schedule.run is advice_service.funding_import_weekly
    export = tmp_path / "export.zip"
    monkeypatch.setenv("KREISLAUF_FUNDING_EXPORT", str(export))
    monkeypatch.setenv("KREISLAUF_FUNDING_HISTORY_DIR", str(tmp_path / "weekly"))
    settings.get_settings.cache_clear()
    try:
        due = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
        run_schedule("advice_funding_import", sessions=import_app.state.sessionmaker, due=due)
    finally:
        settings.get_settings.cache_clear()
    stored = sorted(p.name for p in (tmp_path / "weekly").iterdir())
    assert len(stored) == 2 and stored[0].startswith("2026-11-30-"), stored
    changes = json.loads((tmp_path / "weekly" / stored[0]).read_text(encoding="utf-8"))
    assert changes["added"] == ["eew", "krw-sn", "neu-1"]


def test_weekly_import_without_an_export_does_nothing(
    monkeypatch: pytest.MonkeyPatch, app: FastAPI, tmp_path: Path
) -> None:
    monkeypatch.delenv("KREISLAUF_FUNDING_EXPORT", raising=False)
    monkeypatch.setenv("KREISLAUF_FUNDING_HISTORY_DIR", str(tmp_path / "weekly"))
    settings.get_settings.cache_clear()
    try:
        due = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
        run_schedule("advice_funding_import", sessions=app.state.sessionmaker, due=due)
    finally:
        settings.get_settings.cache_clear()
    assert not (tmp_path / "weekly").exists()


def test_funding_import_needs_a_configured_export(member: Member) -> None:
    member.org("netz", kind="network")
    response = member.client.post("/api/v1/orgs/netz/advice/funding-import-jobs")
    assert response.status_code == 422
    assert "KREISLAUF_FUNDING_EXPORT" in response.text


def test_taxonomy_and_rules_api(member: Member) -> None:
    taxonomy = member.client.get("/api/v1/advice/taxonomy").json()
    assert "heat_recovery" in taxonomy["codes"]
    rules = member.client.get("/api/v1/advice/rules").json()
    assert any(p["id"] == "eew-m4-premium" for p in rules["programmes"])


def test_breadth_search_on_the_funding_page(import_app: FastAPI, tmp_path: Path) -> None:
    member = Member(import_app, "owner@example.org")
    member.org("netz", kind="network")
    before = member.client.get("/orgs/netz/advice/funding?q=Ressourceneffizienz&lang=en")
    assert before.status_code == 200
    assert 'id="breadth-none"' in before.text  # nothing imported yet
    started = member.client.post("/api/v1/orgs/netz/advice/funding-import-jobs")
    assert wait_for_job(member, "netz", started.json()["id"])["status"] == "done"
    page = member.client.get("/orgs/netz/advice/funding?q=ressourceneffizienz&lang=de")
    assert page.status_code == 200
    assert 'data-programme="eew"' in page.text  # title of eew.xml, case-insensitive match
    assert 'data-programme="neu-1"' not in page.text
    assert "Lizenz CC BY-ND 4.0" in page.text and 'id="breadth-attribution"' in page.text
    too_long = member.client.get("/orgs/netz/advice/funding?q=" + "x" * 201)
    assert too_long.status_code == 422


def test_breadth_search_shows_the_categories_of_a_tree_export(db_url: str, tmp_path: Path) -> None:
    # the hand-made BMWI tree (advice/data/fdb-bmwi-tree/SOURCE.md), stored as the latest
    # import of the history folder
    tree = Path(__file__).parents[1] / "advice" / "data" / "fdb-bmwi-tree"
    history = tmp_path / "history"
    history.mkdir()
    with zipfile.ZipFile(history / "2026-12-02-000000000000.zip", "w") as archive:
        for xml in sorted(tree.rglob("*.xml")):
            archive.write(xml, xml.relative_to(tree).as_posix())
    app = create_app(settings_for(db_url).model_copy(update={"funding_history_dir": history}))
    try:
        member = Member(app, "owner@example.org")
        member.org("netz", kind="network")
        page = member.client.get("/orgs/netz/advice/funding?q=platzhalter&lang=de")
        assert page.status_code == 200
        assert 'data-programme="Bund/BMWE/platzhalter"' in page.text
        assert "Foerderart: zuschuss; Foerderberechtigte: unternehmen, kmu" in page.text
    finally:
        app.state.engine.dispose()
