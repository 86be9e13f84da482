"""The PACT request inbox (SQLite and PostgreSQL): an owner fulfils or rejects a
RequestCreated event and kreislauf delivers the reply to the requester's ``/3/events``,
here a second real ``kreislauf serve`` (another company's platform) over loopback HTTP."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kreislauf.errors import PactSourceRefused
from kreislauf.passport.pact_events import reply_target
from kreislauf.store import passport as passport_store
from kreislauf.store.models import Job
from kreislauf.web.queue import is_queue_database
from tests.passport.passport_fixtures import demo_passport
from tests.web.servers import Requester, requester_host
from tests.web.web_helpers import Member, drain_queue, wait_for_job

SLUG = "acme"


@pytest.fixture
def requester(tmp_path: Path) -> Iterator[Requester]:
    with requester_host(tmp_path) as host:
        yield host


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
    return str(response.json()["access_token"])


def _request_created(event_id: str, source: str, product_id: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": source,
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "data": {"productId": [product_id], "comment": "Bitte aktuellen PCF senden"},
    }


@pytest.fixture
def supplier(app: FastAPI) -> Member:
    owner = Member(app, "owner@example.org", "Owner")
    owner.org(SLUG)
    passport = demo_passport()
    published = owner.client.post(
        f"/api/v1/orgs/{SLUG}/passports",
        files={"file": ("tm-200.json", passport.model_dump_json().encode())},
    )
    assert published.status_code == 201 and published.json()["footprint_id"], published.text
    return owner


def _create_client(owner: Member) -> dict[str, str]:
    page = owner.client.post(f"/orgs/{SLUG}/passports/pact/clients", data={"name": "OEM"})
    assert page.status_code == 200, page.text
    found = re.search(r'"client_id": "([^&"]+)", "client_secret": "([^&"]+)"', page.text)
    assert found is not None, page.text
    return {"client_id": found.group(1), "client_secret": found.group(2)}


def _row(owner: Member, request_id: int) -> str:
    page = owner.client.get(f"/orgs/{SLUG}/passports/pact")
    assert page.status_code == 200
    found = re.search(rf'<tr id="pact-request-{request_id}">(.*?)</tr>', page.text, re.S)
    assert found is not None
    return found.group(1)


def _job_status(app: FastAPI, job_id: int) -> str:
    with app.state.sessionmaker() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job.status


def _inbox_id(app: FastAPI, event_id: str) -> int:
    with app.state.sessionmaker() as session:
        organisation = passport_store.organisation_by_slug(session, SLUG)
        rows = passport_store.pact_requests(session, organisation_id=organisation.id)
        return next(r.id for r in rows if r.event_id == event_id)


def test_fulfil_and_reject_reach_the_requester(
    app: FastAPI, supplier: Member, requester: Requester
) -> None:
    customer = _create_client(supplier)
    token = _token(supplier.client, customer)
    source = requester.base.removeprefix("http:")  # "//127.0.0.1:PORT/pact"
    source = "http:" + source  # loopback: http allowed
    product = "urn:pact:demo.kreislauf.example:supplier-id:TM-200"
    for event_id in ("req-1", "req-2"):
        sent = supplier.client.post(
            "/pact/3/events",
            json=_request_created(event_id, source, product),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert sent.status_code == 200, sent.text
    first, second = _inbox_id(app, "req-1"), _inbox_id(app, "req-2")
    assert "Bitte aktuellen PCF senden" in _row(supplier, first)
    # without credentials at the requester's host the delivery fails and says so
    answered = supplier.client.post(f"/orgs/{SLUG}/passports/pact/inbox/{first}/fulfil")
    assert answered.status_code == 200, answered.text
    job = int(re.search(r'id="pact-queued">[^<]*?(\d+)', answered.text).group(1))  # type: ignore[union-attr]
    queue = is_queue_database(app.state.settings.database_url)
    if queue:  # PostgreSQL: procrastinate schedules the next attempt (3 s, then 9 s, …)
        drain_queue(app.state.settings)
        row = _row(supplier, first)
        assert "wird automatisch erneut gesendet" in row and "nächster Versuch" in row, row
        assert "HTTP 401" in row and "Versuche: 1" in row and "/retry" in row
        assert _job_status(app, job) == "queued"
    else:  # SQLite: no queue, the owner sends it again by hand
        assert wait_for_job(supplier, SLUG, job)["status"] == "failed"
        row = _row(supplier, first)
        assert "nicht zugestellt" in row and "HTTP 401" in row and "/retry" in row
        assert "nächster Versuch" not in row
    assert requester.received() == []
    kept = supplier.client.post(
        f"/orgs/{SLUG}/passports/pact/peers",
        data={"base_url": requester.base, **requester.credentials},
    )
    assert kept.status_code == 200 and requester.base in kept.text  # after the redirect
    if queue:  # with the credentials kept, the queue's own retry delivers the same reply
        deadline = time.monotonic() + 60
        while _job_status(app, job) != "done" and time.monotonic() < deadline:
            time.sleep(1)
            drain_queue(app.state.settings)  # the retry is due 3 s after the first attempt
        assert _job_status(app, job) == "done"
    else:  # "send again" delivers the same reply
        retried = supplier.client.post(f"/orgs/{SLUG}/passports/pact/inbox/{first}/retry")
        job = int(re.search(r'id="pact-queued">[^<]*?(\d+)', retried.text).group(1))  # type: ignore[union-attr]
        assert wait_for_job(supplier, SLUG, job)["status"] == "done"
    row = _row(supplier, first)
    assert "zugestellt" in row and "Versuche: 2" in row and "nächster Versuch" not in row
    rejected = supplier.client.post(
        f"/orgs/{SLUG}/passports/pact/inbox/{second}/reject", data={"message": "kein Vertrag"}
    )
    job = int(re.search(r'id="pact-queued">[^<]*?(\d+)', rejected.text).group(1))  # type: ignore[union-attr]
    assert wait_for_job(supplier, SLUG, job)["status"] == "done"
    received = sorted(requester.received(), key=lambda r: r[0])
    assert [r[0] for r in received] == ["RequestFulfilled", "RequestRejected"]
    fulfilled, declined = received[0][2], received[1][2]
    assert fulfilled["requestEventId"] == "req-1"
    assert [product in pf["productIds"] for pf in fulfilled["pfs"]] == [True]
    assert declined == {
        "requestEventId": "req-2",
        "error": {"code": "AccessDenied", "message": "kein Vertrag"},
    }
    assert received[0][1].endswith("/pact")  # the supplier's source, //host/pact
    # a request is answered once; the PACT access is in the owner's log
    again = supplier.client.post(f"/orgs/{SLUG}/passports/pact/inbox/{first}/fulfil")
    assert again.status_code == 409
    log = supplier.client.get(f"/api/v1/orgs/{SLUG}/passports/access").json()
    assert ("pact", "pact-v3-event") in {(r["channel"], r["format"]) for r in log}
    assert any(r["who"].startswith("OEM (") for r in log)


def test_send_again_replaces_a_scheduled_retry(
    app: FastAPI, supplier: Member, requester: Requester
) -> None:
    """PostgreSQL: while the queue waits to retry, "Send again" sends at once (the waiting
    run is cancelled, not run twice)."""
    if not is_queue_database(app.state.settings.database_url):
        pytest.skip("automatic retries need the queue (PostgreSQL)")
    token = _token(supplier.client, _create_client(supplier))
    product = "urn:pact:demo.kreislauf.example:supplier-id:TM-200"
    sent = supplier.client.post(
        "/pact/3/events",
        json=_request_created("req-9", requester.base, product),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert sent.status_code == 200, sent.text
    inbox = _inbox_id(app, "req-9")
    answered = supplier.client.post(f"/orgs/{SLUG}/passports/pact/inbox/{inbox}/fulfil")
    scheduled = int(re.search(r'id="pact-queued">[^<]*?(\d+)', answered.text).group(1))  # type: ignore[union-attr]
    drain_queue(app.state.settings)
    assert "nächster Versuch" in _row(supplier, inbox)
    supplier.client.post(
        f"/orgs/{SLUG}/passports/pact/peers",
        data={"base_url": requester.base, **requester.credentials},
    )
    again = supplier.client.post(f"/orgs/{SLUG}/passports/pact/inbox/{inbox}/retry")
    now = int(re.search(r'id="pact-queued">[^<]*?(\d+)', again.text).group(1))  # type: ignore[union-attr]
    assert now != scheduled and _job_status(app, scheduled) == "cancelled"
    assert wait_for_job(supplier, SLUG, now)["status"] == "done"
    time.sleep(4)  # past the cancelled run's time: it does not run
    drain_queue(app.state.settings)
    assert _job_status(app, scheduled) == "cancelled"
    assert [r[0] for r in requester.received()] == ["RequestFulfilled"]
    assert "Versuche: 2" in _row(supplier, inbox)


def test_another_organisation_sees_no_inbox_and_cannot_answer(
    app: FastAPI, supplier: Member
) -> None:
    customer = _create_client(supplier)
    token = _token(supplier.client, customer)
    event = _request_created("req-x", "//oem.example/pact", "urn:x")
    assert (
        supplier.client.post(
            "/pact/3/events", json=event, headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )
    inbox = _inbox_id(app, "req-x")
    other = Member(app, "other@example.org")
    other.org("other")
    assert "req-x" not in other.client.get("/orgs/other/passports/pact").text
    assert other.client.post(f"/orgs/other/passports/pact/inbox/{inbox}/fulfil").status_code == 404
    assert other.client.post(f"/orgs/{SLUG}/passports/pact/inbox/{inbox}/fulfil").status_code == 403


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("//oem.example/pact", "https://oem.example/pact/3/events"),
        ("https://oem.example/pact/", "https://oem.example/pact/3/events"),
        ("http://127.0.0.1:8000/pact", "http://127.0.0.1:8000/pact/3/events"),
    ],
)
def test_reply_targets(source: str, target: str) -> None:
    assert reply_target(source, 3) == target


@pytest.mark.parametrize(
    "source",
    ["http://oem.example/pact", "ftp://oem.example", "oem.example", "//", "https://u@x.example/"],
)
def test_refused_reply_targets(source: str) -> None:
    with pytest.raises(PactSourceRefused):
        reply_target(source, 3)


def test_revoked_credentials_get_no_token(supplier: Member) -> None:
    customer = _create_client(supplier)
    _token(supplier.client, customer)
    page = supplier.client.get(f"/orgs/{SLUG}/passports/pact").text
    client_ref = re.search(r"/clients/(\d+)/revoke", page).group(1)  # type: ignore[union-attr]
    assert (
        supplier.client.post(
            f"/orgs/{SLUG}/passports/pact/clients/{client_ref}/revoke", follow_redirects=False
        ).status_code
        == 303
    )
    basic = base64.b64encode(f"{customer['client_id']}:{customer['client_secret']}".encode())
    refused = supplier.client.post(
        "/pact/auth/token",
        content="grant_type=client_credentials",
        headers={
            "Authorization": f"Basic {basic.decode()}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert refused.status_code == 401
