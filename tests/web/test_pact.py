"""The PACT host under /pact on SQLite and PostgreSQL: token, footprints v3/v2, events."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kreislauf.passport import Tier, disclose
from kreislauf.passport.pact import from_pact_v3, to_pact_v3
from kreislauf.store import passport as passport_store
from tests.passport.passport_fixtures import demo_passport
from tests.web.web_helpers import Member, client_for

DATA = Path(__file__).parents[1] / "passport" / "data"


def _publish(app: FastAPI, slug: str, documents: list[dict[str, Any]]) -> dict[str, str]:
    with app.state.sessionmaker.begin() as session:
        organisation = passport_store.organisation_by_slug(session, slug)
        for document in documents:
            passport_store.publish_footprint(
                session,
                organisation_id=organisation.id,
                document=document,
                passport_id=document["id"],
                passport_version=1,
            )
        client, secret = passport_store.create_pact_client(
            session, organisation_id=organisation.id, name="OEM"
        )
        return {"client_id": client.client_id, "client_secret": secret}


def _token(client: TestClient, credentials: dict[str, str]) -> str:
    basic = base64.b64encode(
        f"{credentials['client_id']}:{credentials['client_secret']}".encode()
    ).decode()
    response = client.post(
        "/pact/auth/token",
        content="grant_type=client_credentials",
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    return str(body["access_token"])


@pytest.fixture
def host(app: FastAPI) -> tuple[TestClient, dict[str, str], list[dict[str, Any]]]:
    Member(app, "owner@example.org").org("acme")
    Member(app, "other@example.org").org("rival")
    steel = json.loads((DATA / "pact-v3-steel.json").read_text(encoding="utf-8"))
    demo = to_pact_v3(disclose(demo_passport(), Tier.legitimate_interest))
    credentials = _publish(app, "acme", [steel, demo])
    _publish(app, "rival", [{**steel, "id": "00000000-0000-4000-8000-000000000001"}])
    return client_for(app), credentials, [steel, demo]


def test_list_get_and_filter(host: tuple[TestClient, dict[str, str], list[dict[str, Any]]]) -> None:
    client, credentials, published = host
    auth = {"Authorization": f"Bearer {_token(client, credentials)}"}
    listed = client.get("/pact/3/footprints", headers=auth)
    assert listed.status_code == 200
    assert [f["id"] for f in listed.json()["data"]] == [p["id"] for p in published]  # no rival
    one = client.get(f"/pact/3/footprints/{published[1]['id']}", headers=auth).json()["data"]
    assert from_pact_v3(one).carbon_footprint == from_pact_v3(published[1]).carbon_footprint
    geo = client.get(
        "/pact/3/footprints",
        params={"geography": "DE", "productId": published[0]["productIds"][0]},
        headers=auth,
    )
    assert [f["id"] for f in geo.json()["data"]] == [published[0]["id"]]
    page = client.get("/pact/3/footprints", params={"limit": 1}, headers=auth)
    assert len(page.json()["data"]) == 1
    link = page.headers["link"]
    assert link.startswith("<http://testserver/pact/3/footprints?") and link.endswith('rel="next"')
    rest = client.get(link[1 : link.index(">")], headers=auth)
    assert [f["id"] for f in rest.json()["data"]] == [
        published[1]["id"]
    ] and "link" not in rest.headers
    rival = "00000000-0000-4000-8000-000000000001"
    for version in (3, 2):  # another organisation's footprint is not found, not shown
        other = client.get(f"/pact/{version}/footprints/{rival}", headers=auth)
        assert other.status_code == 404 and rival not in other.text
    v2 = client.get("/pact/2/footprints", headers=auth).json()["data"]
    assert [f["specVersion"] for f in v2] == ["2.3.0", "2.3.0"]


def test_v2_odata_filter(host: tuple[TestClient, dict[str, str], list[dict[str, Any]]]) -> None:
    """The v2.3 $filter on the host: each statement of the subset selects what it says."""
    client, credentials, published = host
    auth = {"Authorization": f"Bearer {_token(client, credentials)}"}
    steel, demo = published

    def ids(statement: str) -> list[str]:
        answer = client.get("/pact/2/footprints", params={"$filter": statement}, headers=auth)
        assert answer.status_code == 200, answer.text
        return [f["id"] for f in answer.json()["data"]]

    assert ids("pcf/geographyCountry eq 'DE'") == [steel["id"], demo["id"]]  # both German
    assert ids("pcf/geographyCountry eq 'FR'") == []
    assert ids("productCategoryCpc eq '42999'") == [demo["id"]]
    assert ids(f"productIds/any(p:(p eq '{demo['productIds'][0]}'))") == [demo["id"]]
    assert ids(f"companyIds/any(c:(c eq '{steel['companyIds'][0]}'))") == [steel["id"]]
    latest = max(steel["created"], demo["created"])
    assert ids(f"created ge '{latest}'") == [f["id"] for f in published if f["created"] == latest]
    assert ids("created lt '1999-01-01T00:00:00Z'") == []
    assert ids("productCategoryCpc eq '41232' and pcf/geographyCountry eq 'DE'") == [steel["id"]]
    both = "(pcf/referencePeriodStart ge '2000-01-01T00:00:00Z') and created ge '2000-01-01'"
    assert ids(both) == [steel["id"], demo["id"]]
    first = client.get("/pact/2/footprints", params={"$filter": both, "limit": 1}, headers=auth)
    link = first.headers["link"]
    assert "%24filter=" in link and "after=" in link
    rest = client.get(link[1 : link.index(">")], headers=auth).json()["data"]
    assert [f["id"] for f in first.json()["data"] + rest] == [steel["id"], demo["id"]]


def test_errors_have_pact_bodies(
    host: tuple[TestClient, dict[str, str], list[dict[str, Any]]],
) -> None:
    client, credentials, _ = host
    assert client.get("/pact/3/footprints").json()["code"] == "AccessDenied"
    assert (
        client.get("/pact/3/footprints", headers={"Authorization": "Bearer forged"}).status_code
        == 401
    )
    auth = {"Authorization": f"Bearer {_token(client, credentials)}"}
    missing = client.get("/pact/3/footprints/00000000-0000-4000-8000-000000000001", headers=auth)
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"  # the rival's
    assert client.get("/pact/2/footprints/x", headers=auth).json()["code"] == "NoSuchFootprint"
    bad = client.get("/pact/3/footprints", params={"limit": "0"}, headers=auth)
    assert bad.status_code == 400 and bad.json()["code"] == "BadRequest"
    odata = client.get("/pact/2/footprints", params={"$filter": "x eq 'y'"}, headers=auth)
    assert odata.status_code == 400 and odata.json()["code"] == "NotImplemented"
    assert "$filter" in odata.json()["message"] and "at 1 ('x')" in odata.json()["message"]
    v3 = client.get("/pact/3/footprints", params={"$filter": "created ge '2024'"}, headers=auth)
    assert v3.status_code == 400 and v3.json()["code"] == "NotImplemented"
    bad_date = client.get(
        "/pact/2/footprints", params={"$filter": "created ge 'soon'"}, headers=auth
    )
    assert bad_date.status_code == 400 and bad_date.json()["code"] == "BadRequest"
    assert "date-time at 12" in bad_date.json()["message"]
    rival = "00000000-0000-4000-8000-000000000001"
    cursor = client.get("/pact/3/footprints", params={"after": rival}, headers=auth)
    assert cursor.status_code == 400 and "field 'after'" in cursor.json()["message"]
    wrong = client.post(
        "/pact/auth/token",
        content=f"grant_type=client_credentials&client_id={credentials['client_id']}&client_secret=no",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_events_land_in_the_inbox(
    app: FastAPI, host: tuple[TestClient, dict[str, str], list[dict[str, Any]]]
) -> None:
    client, credentials, _ = host
    auth = {"Authorization": f"Bearer {_token(client, credentials)}"}
    event = {
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "specversion": "1.0",
        "id": "848dcf00-2c18-400d-bcb8-11e45bbf7ebd",
        "source": "//api.recipient.example/3/events",
        "data": {"productId": ["urn:gtin:4012345000016"], "comment": "current PCF please"},
    }
    for _ in range(2):  # a retried event is kept once
        assert client.post("/pact/3/events", json=event, headers=auth).status_code == 200
    rejected = client.post("/pact/3/events", json={**event, "type": "x"}, headers=auth)
    assert rejected.status_code == 400 and rejected.json()["code"] == "NotImplemented"
    with app.state.sessionmaker() as session:
        organisation = passport_store.organisation_by_slug(session, "acme")
        inbox = passport_store.pact_requests(session, organisation_id=organisation.id)
        assert [(r.kind, r.state, r.data["comment"]) for r in inbox] == [
            ("RequestCreated", "open", "current PCF please")
        ]
