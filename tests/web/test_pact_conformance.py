"""A conformance-style client plays the PACT v3 and v2 test cases against ``kreislauf serve``
over HTTPS (a real uvicorn process with a self-signed certificate for 127.0.0.1).

The cases follow the list of the official conformance tool (``wbcsd/pact-conformance-service``,
``docs/v3-test-cases-expected-results.md``, MIT): numbers and expectations are that list's.
Left out are the cases that need a call back to the conformance service's own host (#13,
#14.B) and the optional OpenID Connect flow through a separate identity provider (#18, #19;
the discovery document itself is checked).
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kreislauf.passport import Tier, disclose
from kreislauf.passport.pact import to_pact_v3
from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store import passport as passport_store
from tests.passport.passport_fixtures import demo_passport
from tests.web.servers import owned_organisation, requester_host, running_server

DATA = Path(__file__).parents[1] / "passport" / "data"


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _trust(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def _seed(url: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
    steel = json.loads((DATA / "pact-v3-steel.json").read_text(encoding="utf-8"))
    demo = to_pact_v3(disclose(demo_passport(), Tier.legitimate_interest))
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        org = owned_organisation(session, slug="acme", name="Acme")
        for document in (steel, demo):
            passport_store.publish_footprint(
                session, organisation_id=org.id, document=document,
                passport_id=document["id"], passport_version=1,
            )  # fmt: skip
        client, secret = passport_store.create_pact_client(
            session, organisation_id=org.id, name="conformance"
        )
        credentials = {"client_id": client.client_id, "client_secret": secret}
    engine.dispose()
    return credentials, [steel, demo]


@pytest.fixture
def server(
    db_url: str, tmp_path: Path
) -> Iterator[tuple[str, Path, dict[str, str], list[dict[str, Any]]]]:
    credentials, published = _seed(db_url)
    cert, key = _certificate(tmp_path)
    with running_server(db_url, tmp_path, name="conformance", tls=(cert, key)) as base:
        yield f"{base}/pact", cert, credentials, published


@pytest.mark.slow
def test_v3_conformance_cases(
    server: tuple[str, Path, dict[str, str], list[dict[str, Any]]],
) -> None:
    base, cert, credentials, published = server
    http = httpx.Client(verify=_trust(cert), timeout=10)
    steel, demo = published
    results: dict[str, bool] = {}

    def case(number: str, ok: bool) -> None:
        results[number] = ok

    basic = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode())
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    grant = "grant_type=client_credentials"
    good_basic = {**form, "Authorization": f"Basic {basic.decode()}"}
    token = http.post(f"{base}/auth/token", content=grant, headers=good_basic)
    case("1", token.status_code == 200 and token.json()["token_type"] == "Bearer")
    wrong_basic = {**form, "Authorization": "Basic " + base64.b64encode(b"x:y").decode()}
    bad = http.post(f"{base}/auth/token", content=grant, headers=wrong_basic)
    case("2", bad.status_code in (400, 401) and "access_token" not in bad.text)
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}

    got = http.get(f"{base}/3/footprints/{steel['id']}", headers=auth)
    case("3", got.status_code == 200 and got.json()["data"]["id"] == steel["id"])
    listed = http.get(f"{base}/3/footprints", headers=auth)
    case("4", listed.status_code in (200, 202) and len(listed.json()["data"]) == 2)
    first = http.get(f"{base}/3/footprints", params={"limit": 1}, headers=auth)
    link = first.headers.get("link", "")
    target = link[1 : link.find(">")]
    second = http.get(target, headers=auth) if target else None
    both = first.json()["data"] + (second.json()["data"] if second is not None else [])
    case(
        "5",
        first.status_code == 200
        and target.startswith(f"{base}/3/footprints")
        and second is not None
        and second.status_code == 200
        and [f["id"] for f in both] == [steel["id"], demo["id"]],
    )
    forged = {"Authorization": "Bearer invalid-token"}
    case("6", http.get(f"{base}/3/footprints", headers=forged).status_code in (400, 401))
    case(
        "7",
        http.get(f"{base}/3/footprints/{steel['id']}", headers=forged).status_code in (400, 401),
    )
    missing = http.get(f"{base}/3/footprints/00000000-0000-4000-8000-000000000000", headers=auth)
    case("8", missing.status_code in (400, 404) and missing.json()["code"] == "NotFound")
    plain = base.replace("https://", "http://")
    for number, call in (
        ("9", lambda: httpx.post(f"{plain}/auth/token", content=grant, headers=good_basic)),
        ("10", lambda: httpx.get(f"{plain}/3/footprints", headers=auth, timeout=5)),
        ("11", lambda: httpx.get(f"{plain}/3/footprints/{steel['id']}", headers=auth, timeout=5)),
        ("17", lambda: httpx.post(f"{plain}/3/events", json={}, headers=auth, timeout=5)),
    ):  # fmt: skip
        try:
            response = call()
            case(number, "access_token" not in response.text and '"data"' not in response.text)
        except httpx.TransportError:
            case(number, True)  # the connection is refused: nothing travels unencrypted

    def event(kind: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"type": f"org.wbcsd.pact.ProductFootprint.{kind}Event.3", "specversion": "1.0",
                "id": f"{kind}-{time.monotonic_ns()}", "source": "//conformance.example/3/events",
                "time": "2025-05-01T00:00:00Z", "data": data}  # fmt: skip

    created = http.post(
        f"{base}/3/events",
        json=event("RequestCreated", {"productId": steel["productIds"]}),
        headers=auth,
    )
    case("12", created.status_code == 200)
    rejected_request = http.post(
        f"{base}/3/events",
        json=event("RequestCreated", {"productId": ["urn:gtin:0000000000000"]}),
        headers=auth,
    )
    case("14.A", rejected_request.status_code == 200)
    published_event = http.post(
        f"{base}/3/events", json=event("Published", {"pfIds": [steel["id"]]}), headers=auth
    )
    case("15", published_event.status_code == 200)
    case(
        "16",
        http.post(
            f"{base}/3/events", json=event("Published", {"pfIds": []}), headers=forged
        ).status_code
        in (400, 401),
    )
    discovery = http.get(f"{base}/.well-known/openid-configuration").json()
    case("18 (discovery)", discovery["token_endpoint"] == f"{base}/auth/token")

    def ids(params: list[tuple[str, str]]) -> list[str]:
        response = http.get(f"{base}/3/footprints", params=params, headers=auth)
        assert response.status_code == 200, response.text
        return [f["id"] for f in response.json()["data"]]

    product, company = steel["productIds"][0], steel["companyIds"][0]
    positive = {
        "20": [("productId", product)],
        "21": [("companyId", company)],
        "22": [("geography", "DE")],
        "23": [("classification", "urn:cpc:41232")],
        "24": [("validOn", "2026-01-01T00:00:00Z")],
        "25": [("validAfter", "2024-06-01T00:00:00Z")],
        "26": [("validBefore", "2030-01-01T00:00:00Z")],
        "27": [("status", "Active")],
        "28": [("status", "Active"), ("productId", product)],
        "29": [("companyId", company), ("companyId", "urn:uuid:other"), ("companyId", "urn:x:y")],
    }
    for number, params in positive.items():
        found = ids(params)
        case(number, steel["id"] in found and all(i in (steel["id"], demo["id"]) for i in found))
    negative = {
        "30": [("productId", "urn:gtin:0000000000000")],
        "31": [("companyId", "urn:uuid:nobody")],
        "32": [("geography", "AQ")],
        "33": [("classification", "urn:cpc:00000")],
        "34": [("validOn", "1999-01-01T00:00:00Z")],
        "35": [("validAfter", "2999-01-01T00:00:00Z")],
        "36": [("validBefore", "1999-01-01T00:00:00Z")],
        "37": [("status", "BogusStatusValue")],
        "38": [("productId", product), ("geography", "AQ")],
        "39": [("productId", "urn:gtin:0000000000000"), ("productId", "urn:gtin:1111111111116")],
    }
    for number, params in negative.items():
        case(number, ids(params) == [])
    no_data = b'{"type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"}'
    cloudevent = {**auth, "Content-Type": "application/cloudevents+json"}
    malformed = http.post(f"{base}/3/events", content=no_data, headers=cloudevent)
    case("40", malformed.status_code == 400 and malformed.json()["code"] == "BadRequest")
    failed = sorted(number for number, ok in results.items() if not ok)
    assert failed == [], f"failed conformance cases: {failed}"
    assert len(results) == 38


V2 = "org.wbcsd.pathfinder."


@pytest.mark.slow
def test_v2_conformance_cases(
    server: tuple[str, Path, dict[str, str], list[dict[str, Any]]],
) -> None:
    """The v2 cases of the official tool (``src/test-cases/v2-test-cases.ts`` and
    ``docs/v2-test-cases-expected-results.md``): 1–12, 14.A, 15–17, 20, 21 and the discovery
    part of 18; left out 13 and 14.B (call-back to the tool's host) and 18/19 (a separate
    identity provider); the optional 20 (OData ``$filter``) is played as the tool plays it.
    The tool also validates bodies against the v2.x OpenAPI schemas, which are not
    shipped here (WBCSD licence); tests/passport/test_pact.py checks the v2.3 documents'
    mandatory properties instead."""
    base, cert, credentials, published = server
    http = httpx.Client(verify=_trust(cert), timeout=10)
    steel = published[0]
    results: dict[str, bool] = {}

    def case(number: str, ok: bool) -> None:
        results[number] = ok

    basic = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode())
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    grant = "grant_type=client_credentials"
    good_basic = {**form, "Authorization": f"Basic {basic.decode()}"}
    token = http.post(f"{base}/auth/token", content=grant, headers=good_basic)
    case("1", token.status_code == 200 and token.json()["token_type"] == "Bearer")
    wrong_basic = {**form, "Authorization": "Basic " + base64.b64encode(b"x:y").decode()}
    bad = http.post(f"{base}/auth/token", content=grant, headers=wrong_basic)
    case("2", bad.status_code in (400, 401) and "access_token" not in bad.text)
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}

    listed = http.get(f"{base}/2/footprints", headers=auth)
    data = listed.json()["data"]
    case("4", listed.status_code in (200, 202) and len(data) == 2)
    first_id = data[0]["id"]
    got = http.get(f"{base}/2/footprints/{first_id}", headers=auth)
    case(
        "3",
        got.status_code == 200
        and got.json()["data"]["id"] == first_id
        and got.json()["data"]["specVersion"].startswith("2."),
    )
    first = http.get(f"{base}/2/footprints", params={"limit": 1}, headers=auth)
    link = first.headers.get("link", "")
    target = link[1 : link.find(">")]
    second = http.get(target, headers=auth) if target else None
    both = first.json()["data"] + (second.json()["data"] if second is not None else [])
    case(
        "5",
        first.status_code == 200
        and target.startswith(f"{base}/2/footprints")
        and second is not None
        and second.status_code == 200
        and sorted(f["id"] for f in both) == sorted(f["id"] for f in data),
    )
    forged = {"Authorization": "Bearer very-invalid-access-token-0123456789abcdef"}
    case("6", http.get(f"{base}/2/footprints", headers=forged).status_code in (400, 401))
    case("7", http.get(f"{base}/2/footprints/{first_id}", headers=forged).status_code in (400, 401))
    missing = http.get(f"{base}/2/footprints/00000000-0000-0000-0000-000000000000", headers=auth)
    case(
        "8",
        missing.status_code in (400, 404)
        and missing.json().get("code") in ("NoSuchFootprint", "BadRequest"),
    )
    plain = base.replace("https://", "http://")
    for number, call in (
        ("9", lambda: httpx.post(f"{plain}/auth/token", content=grant, headers=good_basic)),
        ("10", lambda: httpx.get(f"{plain}/2/footprints", headers=auth, timeout=5)),
        ("11", lambda: httpx.get(f"{plain}/2/footprints/{first_id}", headers=auth, timeout=5)),
        ("17", lambda: httpx.post(f"{plain}/2/events", json={}, headers=auth, timeout=5)),
    ):  # fmt: skip
        try:
            response = call()
            case(number, "access_token" not in response.text and '"data"' not in response.text)
        except httpx.TransportError:
            case(number, True)  # the connection is refused: nothing travels unencrypted

    cloudevent = {**auth, "Content-Type": "application/cloudevents+json; charset=UTF-8"}

    def event(kind: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"type": V2 + kind, "specversion": "1.0", "id": f"{kind}-{time.monotonic_ns()}",
                "source": "https://conformance.example/2/events",
                "time": "2025-05-01T00:00:00Z", "data": data}  # fmt: skip

    def post(body: dict[str, Any], headers: dict[str, str] = cloudevent) -> httpx.Response:
        return http.post(f"{base}/2/events", content=json.dumps(body), headers=headers)

    request = {"pf": {"productIds": steel["productIds"]}, "comment": "Please send PCF data."}
    case("12", post(event("ProductFootprintRequest.Created.v1", request)).status_code == 200)
    unknown = {"pf": {"productIds": ["urn:gtin:4712345060507"]}, "comment": "to be rejected"}
    case("14.A", post(event("ProductFootprintRequest.Created.v1", unknown)).status_code == 200)
    update = {"pfIds": ["3a6c14a7-4deb-498a-b5ea-16ce2535b576"]}
    case("15", post(event("ProductFootprint.Published.v1", update)).status_code == 200)
    forged_event = post(
        event("ProductFootprint.Published.v1", update),
        {"Authorization": forged["Authorization"], "Content-Type": cloudevent["Content-Type"]},
    )
    case(
        "16", forged_event.status_code in (400, 401) and forged_event.json()["code"] == "BadRequest"
    )
    discovery = http.get(f"{base}/.well-known/openid-configuration").json()
    case("18 (discovery)", discovery["token_endpoint"] == f"{base}/auth/token")
    # 20 (optional, no mandatory version): OData $filter, the tool's own statement; every
    # footprint returned was created at or after the first one's time, and that one is in
    created = data[0]["created"]
    filtered = http.get(
        f"{base}/2/footprints", params={"$filter": f"created ge '{created}'"}, headers=auth
    )
    returned = filtered.json()["data"] if filtered.status_code == 200 else []
    case(
        "20",
        filtered.status_code == 200
        and first_id in [f["id"] for f in returned]
        and all(f["created"] >= created for f in returned),
    )
    later = max(f["created"] for f in data)
    after_all = http.get(
        f"{base}/2/footprints", params={"$filter": f"created gt '{later}'"}, headers=auth
    )
    assert after_all.status_code == 200 and after_all.json()["data"] == []
    malformed = post(event("ProductFootprint.Published.v1", {"pfIds": ["urn:gtin:4712345060507"]}))
    case("21", malformed.status_code == 400)
    failed = sorted(number for number, ok in results.items() if not ok)
    assert failed == [], f"failed conformance cases: {failed}"
    assert len(results) == 19


@pytest.mark.slow
def test_v3_cases_13_and_14b_reach_the_requesters_host(db_url: str, tmp_path: Path) -> None:
    """13 and 14.B: the conformance client's RequestCreated events (12, 14.A) land in the
    inbox; the owner fulfils the first and rejects the second on the PACT page; the
    server's own worker delivers RequestFulfilled and RequestRejected (``NotFound``: the
    product is unknown) to the requester's ``/3/events``. The tool's own host is played by
    a second real ``kreislauf serve`` (its events endpoint and client credentials)."""
    credentials, published = _seed(db_url)
    steel = published[0]
    cert, key = _certificate(tmp_path)
    with (
        requester_host(tmp_path) as requester,
        running_server(
            db_url, tmp_path, name="supplier", tls=(cert, key), with_worker=True
        ) as origin,
    ):
        base = f"{origin}/pact"
        http = httpx.Client(verify=_trust(cert), timeout=30)
        basic = base64.b64encode(
            f"{credentials['client_id']}:{credentials['client_secret']}".encode()
        ).decode()
        token = http.post(
            f"{base}/auth/token",
            content="grant_type=client_credentials",
            headers={"Authorization": f"Basic {basic}",
                     "Content-Type": "application/x-www-form-urlencoded"},
        ).json()["access_token"]  # fmt: skip
        auth = {"Authorization": f"Bearer {token}"}

        def created(event_id: str, product: str) -> int:
            body = {"type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
                    "specversion": "1.0", "id": event_id, "source": requester.base,
                    "time": "2025-05-01T00:00:00Z", "data": {"productId": [product]}}  # fmt: skip
            return http.post(f"{base}/3/events", json=body, headers=auth).status_code

        assert created("case-12", steel["productIds"][0]) == 200
        assert created("case-14a", "urn:gtin:0000000000000") == 200
        # the owner signs in, keeps the requester's credentials and answers in the inbox
        owner = httpx.Client(verify=_trust(cert), timeout=30, headers={"Origin": origin})
        signed_in = owner.post(
            f"{origin}/api/v1/auth/login", json={"email": "o@example.org", "password": "x" * 12}
        )
        assert signed_in.status_code == 200, signed_in.text
        owner.headers["X-CSRF-Token"] = signed_in.json()["csrf_token"]
        kept = owner.post(
            f"{origin}/orgs/acme/passports/pact/peers",
            data={"base_url": requester.base, **requester.credentials},
        )
        assert kept.status_code in (200, 303), kept.text
        engine = make_engine(db_url)
        with make_sessionmaker(engine)() as session:
            organisation = passport_store.organisation_by_slug(session, "acme")
            inbox = {
                r.event_id: r.id
                for r in passport_store.pact_requests(session, organisation_id=organisation.id)
            }
        engine.dispose()
        page = f"{origin}/orgs/acme/passports/pact/inbox"
        assert owner.post(f"{page}/{inbox['case-12']}/fulfil").status_code == 200
        assert owner.post(f"{page}/{inbox['case-14a']}/reject").status_code == 200
        deadline = time.monotonic() + 120
        while len(requester.received()) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        received = {data["requestEventId"]: (kind, source, data)
                    for kind, source, data in requester.received()}  # fmt: skip
    kind, source, data = received["case-12"]
    assert kind == "RequestFulfilled" and source.endswith("/pact")  # case 13
    assert [pf["id"] for pf in data["pfs"]] == [steel["id"]]
    kind, _, data = received["case-14a"]
    assert kind == "RequestRejected"  # case 14.B
    assert data["error"] == {
        "code": "NotFound",
        "message": "The requested footprint could not be found.",
    }
