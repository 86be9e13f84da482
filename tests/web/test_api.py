"""JSON API: problem details, sessions with CSRF, API tokens, rate limit, uploads, surveys."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from kreislauf.ledger import ledger_kpis, mfca_balance, read_ledger
from tests.web.web_helpers import LEDGER, PASSWORD, Member, client_for, wait_for_job

PROBLEM = "application/problem+json"
LIKERT = ("strategisches_ziel", "tagesgeschaeft", "marktposition", "eigenmotivation",
          "wettbewerbsdruck", "umsetzung", "wettbewerbsvorteil")  # fmt: skip


def test_openapi_is_served(app: FastAPI) -> None:
    spec = client_for(app).get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/orgs/{org}/dashboard" in spec["paths"]
    assert not any(p.startswith("/orgs") for p in spec["paths"])  # pages are not API


def test_errors_are_problem_details(app: FastAPI) -> None:
    client = client_for(app)
    unauthenticated = client.get("/api/v1/me")
    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["content-type"] == PROBLEM
    assert unauthenticated.json()["status"] == 401
    invalid = client.post("/api/v1/auth/signup", json={"email": "a@example.org"})
    assert invalid.status_code == 422 and invalid.headers["content-type"] == PROBLEM
    assert {e["field"] for e in invalid.json()["errors"]} >= {"name", "password"}
    unknown = client.get("/api/v1/nothing-here")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM


def test_session_changes_need_the_csrf_token(app: FastAPI, member: Member) -> None:
    member.client.headers.pop("X-CSRF-Token")
    refused = member.client.post("/api/v1/orgs", json={"slug": "a", "name": "A", "kind": "company"})
    assert refused.status_code == 403 and "csrf" in refused.json()["type"]
    member.client.headers["X-CSRF-Token"] = member.csrf
    assert (
        member.client.post(
            "/api/v1/orgs", json={"slug": "a", "name": "A", "kind": "company"}
        ).status_code
        == 201
    )


def test_api_token_authenticates_without_cookie(app: FastAPI, member: Member) -> None:
    member.org("acme")
    token = member.client.post("/api/v1/me/tokens", json={"name": "ci"}).json()["token"]
    machine = client_for(app)
    headers = {"Authorization": f"Bearer {token}"}
    assert machine.get("/api/v1/orgs/acme", headers=headers).json()["slug"] == "acme"
    bad = machine.get("/api/v1/orgs/acme", headers={"Authorization": "Bearer kl_wrong"})
    assert bad.status_code == 401


def test_login_is_rate_limited(app: FastAPI, member: Member) -> None:
    client = client_for(app)
    for _ in range(5):
        wrong = client.post(
            "/api/v1/auth/login", json={"email": "owner@example.org", "password": "wrong-wrong"}
        )
        assert wrong.status_code == 401
    blocked = client.post(
        "/api/v1/auth/login", json={"email": "owner@example.org", "password": PASSWORD}
    )
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_logout_ends_the_session(app: FastAPI, member: Member) -> None:
    assert member.client.get("/api/v1/me").status_code == 200
    assert member.client.post("/api/v1/auth/logout").status_code == 204
    assert member.client.get("/api/v1/me").status_code == 401


def test_viewer_cannot_upload_and_invitation_grants_the_role(app: FastAPI, member: Member) -> None:
    member.org("acme")
    token = member.client.post(
        "/api/v1/orgs/acme/invitations", json={"email": "v@example.org", "role": "viewer"}
    ).json()["token"]
    viewer = Member(app, "v@example.org")
    assert viewer.client.get("/api/v1/orgs/acme").status_code == 403
    accepted = viewer.client.post("/api/v1/invitations/accept", json={"token": token})
    assert accepted.json()["role"] == "viewer"
    assert viewer.client.get("/api/v1/orgs/acme/dashboard").status_code == 200
    assert viewer.upload_ledger("acme").status_code == 403  # type: ignore[attr-defined]


def test_dashboard_shows_the_ledger_package_figures(app: FastAPI, member: Member) -> None:
    member.org("acme")
    assert member.upload_ledger("acme").status_code == 201  # type: ignore[attr-defined]
    board = member.client.get("/api/v1/orgs/acme/dashboard").json()
    ledger = read_ledger(LEDGER)
    mfca = mfca_balance(ledger)
    expected = {v.id: v.value for v in ledger_kpis(ledger, mfca=mfca).values}
    assert {k["id"]: k["total"] for k in board["kpis"]} == pytest.approx(expected, rel=1e-6)
    latest = [v for v in ledger_kpis(ledger, by=("period",), mfca=mfca).values
              if v.period == board["latest_period"]]  # fmt: skip
    assert {k["id"]: k["change"] for k in board["kpis"]} == pytest.approx(
        {v.id: v.change for v in latest},
        rel=1e-6,
        abs=1e-6,  # JSON rounds to 6 decimals
    )
    assert board["mfca"]["loss_cost_eur"] == pytest.approx(mfca.total.loss_cost_eur, rel=1e-6)
    assert board["ghg"] is None  # reserved for kreislauf.carbon
    svg = member.client.get("/api/v1/orgs/acme/ledger/sankey.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text


def test_bad_upload_lists_rows_and_stores_nothing(
    app: FastAPI, member: Member, tmp_path: Path
) -> None:
    member.org("acme")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "period,site,centre,flow,category,quantity,unit\n2024-01,L,G,material_in,raw,1,t\n"
        "2024-01,L,G,material_in,raw,eins,t\n2024-01,L,G,material_in,raw,2,parsec\n",
        encoding="utf-8",
    )
    response = member.upload_ledger("acme", bad)  # type: ignore[attr-defined]
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    errors = response.json()["errors"]
    assert {(e["file"], e["row"], e["column"]) for e in errors} == {
        ("bad.csv", 3, "quantity"),
        ("bad.csv", 4, "unit"),
    }
    assert all(e["expected"] for e in errors)
    assert member.client.get("/api/v1/orgs/acme/ledger/uploads").json() == []
    page = member.client.post(
        "/orgs/acme/ledger",
        files={"file": ("bad.csv", bad.read_bytes())},
        data={"csrf_token": member.csrf},
    )
    assert page.status_code == 422 and "parsec" in page.text and "bad.csv" in page.text


def test_questionnaire_answered_through_a_link(app: FastAPI, member: Member) -> None:
    member.org("net", kind="network")
    qid = member.questionnaire("net")
    api = f"/api/v1/orgs/net/questionnaires/{qid}"
    link = member.client.post(f"{api}/links", json={"kind": "anonymous"}).json()
    respondent = client_for(app)
    assert respondent.get(f"/api/v1/respond/{link['token']}").status_code == 409  # draft
    member.client.post(f"{api}/status", json={"status": "published"})
    form = respondent.get(f"/api/v1/respond/{link['token']}").json()
    assert [f["column"] for f in form["fields"]][:7] == list(LIKERT)
    wrong = respondent.post(
        f"/api/v1/respond/{link['token']}", json={"answers": {"umsetzung": "9"}}
    )
    assert wrong.status_code == 422 and wrong.json()["field"] == "umsetzung"
    saved = respondent.post(
        f"/api/v1/respond/{link['token']}", json={"answers": {"umsetzung": "4"}}
    ).json()
    assert saved["status"] == "in_progress" and saved["resume"]
    incomplete = respondent.post(
        f"/api/v1/respond/{link['token']}",
        json={"answers": {"umsetzung": "4"}, "resume": saved["resume"], "submit": True},
    )
    assert incomplete.status_code == 422
    resumed = respondent.get(f"/api/v1/respond/{link['token']}?resume={saved['resume']}").json()
    assert resumed["answers"] == {"umsetzung": "4"}
    answers = dict.fromkeys(LIKERT, "5") | {"umsetzung": "2"}
    done = respondent.post(
        f"/api/v1/respond/{link['token']}",
        json={"answers": answers, "resume": saved["resume"], "submit": True},
    )
    assert done.json()["status"] == "submitted"
    result = member.client.get(f"{api}/analysis").json()
    assert result["n_responses"] == 1
    item = next(i for i in result["items"] if i["id"] == "umsetzung")
    assert item["descriptives"]["mean"] == pytest.approx(2.0)
    csv = member.client.get(f"{api}/export.csv")
    assert csv.status_code == 200 and "umsetzung" in csv.content.decode("utf-8-sig")
    for fmt in ("xlsx", "sav"):
        assert len(member.client.get(f"{api}/export.{fmt}").content) > 500


def test_report_renders_in_the_background(app: FastAPI, member: Member) -> None:
    member.org("net", kind="network")
    qid = member.questionnaire("net")
    api = f"/api/v1/orgs/net/questionnaires/{qid}"
    empty = member.client.post(f"{api}/report-jobs")
    assert empty.status_code == 202
    failed = wait_for_job(member, "net", empty.json()["id"])
    assert failed["status"] == "failed" and failed["error"]  # no responses yet
    member.client.post(f"{api}/status", json={"status": "published"})
    link = member.client.post(f"{api}/links", json={"kind": "identified"}).json()
    answers = dict.fromkeys(LIKERT, "4")
    done = client_for(app).post(
        f"/api/v1/respond/{link['token']}", json={"answers": answers, "submit": True}
    )
    assert done.json()["status"] == "submitted"
    started = member.client.post(f"{api}/report-jobs").json()
    assert started["status"] == "queued" and started["progress"] == 0
    job = wait_for_job(member, "net", started["id"])
    assert job["status"] == "done" and job["progress"] == 1
    pdf = member.client.get(f"/api/v1/orgs/net/jobs/{job['id']}/result")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    page = member.client.get(f"/orgs/net/jobs/{job['id']}")
    assert "job-result" in page.text
