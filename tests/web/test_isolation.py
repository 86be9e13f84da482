"""Tenant isolation: every route, called as a member of another organisation, is refused.

The test enumerates ``app.routes``, so a route added later is covered automatically:
- a route with ``{org}`` in its path is called as an outsider with the victim's slug and
  object ids (expect 403/404), and with the outsider's own slug but the victim's object ids
  (expect 404: the scoped queries must not find another tenant's records);
- a route without ``{org}`` must be listed in ``NOT_TENANT_SCOPED`` with a reason, so that
  nobody adds an organisation's data under a path that skips the guard;
- every GET route works for the victim with the same parameters (so the ids are real and a
  403/404 for the outsider means refusal, not a typo).
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import APIRoute

from tests.web.web_helpers import CARBON, FACTORS, Member, upload_carbon, wait_for_job

MEASURES = CARBON / "measures.yaml"

#: Routes that carry no organisation in the path, and why that is safe.
NOT_TENANT_SCOPED = {
    "/api/v1/auth/signup": "creates an account",
    "/api/v1/auth/login": "signs in",
    "/api/v1/auth/logout": "ends the own session",
    "/api/v1/me": "the current user only",
    "/api/v1/me/tokens": "the current user's tokens only",
    "/api/v1/me/password": "the current user's own password",
    "/api/v1/me/tokens/{token_id}": "filtered by the current user",
    "/api/v1/invitations/accept": "the token is the authority",
    "/api/v1/orgs": "creates / lists the user's own organisations",
    "/api/v1/respond/{token}": "the survey link token is the authority",
    "/": "redirect",
    "/lang/{code}": "language cookie",
    "/login": "sign-in page",
    "/signup": "sign-up page",
    "/logout": "ends the own session",
    "/orgs": "the user's own organisations",
    "/account": "the current user's own account page",
    "/account/password": "the current user's own password",
    "/s/{token}": "the survey link token is the authority",
    "/invite/{token}": "the invitation token is the authority",
    "/api/v1/advice/taxonomy": "shipped reference data, the same for everyone",
    "/api/v1/advice/rules": "shipped reference data, the same for everyone",
    "/pact/auth/token": "client credentials: a PACT client belongs to one organisation",
    "/pact/.well-known/openid-configuration": "discovery document, the same for everyone",
    "/pact/3/footprints": "the bearer token's organisation only (tests/web/test_pact.py)",
    "/pact/3/footprints/{footprint_id}": "the bearer token's organisation only",
    "/pact/3/events": "into the bearer token's organisation's inbox",
    "/pact/2/footprints": "the bearer token's organisation only",
    "/pact/2/footprints/{footprint_id}": "the bearer token's organisation only",
    "/pact/2/events": "into the bearer token's organisation's inbox",
    "/p/{passport_ref}": "public passport page: the public tier only (test_passport_platform)",
    "/p/{passport_ref}/passport.json": "the public tier only, signed",
    "/p/{passport_ref}/qr.svg": "the public Digital Link URI",
    "/.well-known/jwks.json": "public keys, the same for everyone",
    "/01/{gtin}": "GS1 resolver: links to the public page and file only",
    "/01/{gtin}/21/{serial}": "GS1 resolver: links to the public page and file only",
    "/01/{gtin}/10/{batch}": "GS1 resolver: links to the public page and file only",
    "/examples/{name}": "the bundled example files, the same for everyone (test_examples)",
}
_PARAM = re.compile(r"{(\w+)}")
#: A body that is valid for every changing route, so a refusal cannot hide behind a 422.
_BODY = {"status": "published", "kind": "anonymous", "label": "x", "role": "viewer"}


def _call(member: Member, method: str, url: str) -> int:
    if url.startswith("/api/"):
        return member.client.request(method, url, json=_BODY).status_code
    return member.client.request(method, url, data=_BODY).status_code


def _setup(app: FastAPI) -> tuple[Member, Member, dict[str, dict[str, str]]]:
    victim = Member(app, "victim@example.org", "Victim")
    victim.org("victim-co")
    victim.org("victim-net", kind="network")
    assert victim.upload_ledger("victim-co").status_code == 201  # type: ignore[attr-defined]
    carbon = upload_carbon(victim, "victim-co", factors=FACTORS, measures=MEASURES)
    assert carbon.status_code == 201, carbon.text  # type: ignore[attr-defined]
    bom = victim.client.post(
        "/api/v1/orgs/victim-co/pcf/bom",
        files={"bom": ("bom.csv", (CARBON / "bom.csv").read_bytes())},
    )
    assert bom.status_code == 201, bom.text
    questionnaire = victim.questionnaire("victim-net")
    api = f"/api/v1/orgs/victim-net/questionnaires/{questionnaire}"
    assert victim.client.post(f"{api}/status", json={"status": "published"}).status_code == 200
    link = victim.client.post(f"{api}/links", json={"kind": "anonymous"}).json()
    answers = {"answers": {c: "4" for c in ("strategisches_ziel", "tagesgeschaeft",
               "marktposition", "eigenmotivation", "wettbewerbsdruck", "umsetzung",
               "wettbewerbsvorteil")}, "submit": True}  # fmt: skip
    assert victim.client.post(f"/api/v1/respond/{link['token']}", json=answers).status_code == 200
    invitation = victim.client.post(
        "/api/v1/orgs/victim-net/invitations", json={"email": "x@example.org"}
    ).json()
    job = victim.client.post(f"{api}/report-jobs").json()
    assert wait_for_job(victim, "victim-net", job["id"])["status"] == "done"
    members = victim.client.get("/api/v1/orgs/victim-co/members").json()
    upload = victim.client.get("/api/v1/orgs/victim-co/ledger/uploads").json()[0]
    carbon_input = victim.client.get("/api/v1/orgs/victim-co/carbon/inputs").json()[0]
    exchange = _exchange_setup(victim)
    passport = _passport_setup(app, victim)
    ids = {
        "upload_id": str(upload["id"]),
        "input_id": str(carbon_input["id"]),
        "member_id": str(members[0]["id"]),
        "invitation_id": str(invitation["id"]),
        "questionnaire_id": str(questionnaire),
        "link_id": str(link["id"]),
        "job_id": str(job["id"]),
        "number": "1",
        "fmt": "csv",
        **exchange,
        **passport,
        "measure": "M1",
        "kind": "json",
    }
    outsider = Member(app, "outsider@example.org", "Outsider")
    outsider.org("outsider-co")
    outsider.org("outsider-net", kind="network")
    # the victim's company routes use the company, survey routes the network
    slugs = {"company": {"org": "victim-co"}, "network": {"org": "victim-net"}}
    return victim, outsider, {k: v | ids for k, v in slugs.items()}


def _exchange_setup(victim: Member) -> dict[str, str]:
    """A match between the victim's company (offer) and network (request), a forecast."""
    from tests.exchange.exchange_fixtures import offer, request
    from tests.exchange.forecast_fixtures import history_csv, small_history
    from tests.web.api.test_exchange import _csv

    for slug, row in (("victim-co", offer("A1")), ("victim-net", request("G1"))):
        files = {"file": ("listings.csv", _csv([row]))}
        published = victim.client.post(f"/api/v1/orgs/{slug}/exchange/listings", files=files)
        assert published.status_code == 201, published.text
    (match,) = victim.client.get("/api/v1/orgs/victim-co/exchange/matches").json()
    history = history_csv(small_history(months=27)).encode()
    job = victim.client.post(
        "/api/v1/orgs/victim-co/exchange/forecast-jobs?horizon=1",
        files={"history": ("history.csv", history)},
    ).json()
    assert wait_for_job(victim, "victim-co", job["id"], timeout_s=120)["status"] == "done"
    return {
        "offer_id": str(match["offer_id"]),
        "request_id": str(match["request_id"]),
        "decision": "accept",
        "forecast_id": str(job["id"]),
    }


def _passport_setup(app: FastAPI, victim: Member) -> dict[str, str]:
    """A stored passport, a PACT client, credentials at a requester, an inbox request."""
    import base64

    from kreislauf.store import passport as passport_store
    from kreislauf.store import passport_web
    from tests.passport.passport_fixtures import demo_passport

    passport = demo_passport()
    body = passport.model_dump_json().encode()
    published = victim.client.post(
        "/api/v1/orgs/victim-co/passports", files={"file": ("p.json", body)}
    )
    assert published.status_code == 201, published.text
    with app.state.sessionmaker.begin() as session:
        org = passport_store.organisation_by_slug(session, "victim-co")
        client, secret = passport_store.create_pact_client(
            session, organisation_id=org.id, name="OEM"
        )
        client_ref, client_id = client.id, client.client_id
        peer = passport_web.add_peer(
            session, organisation_id=org.id, base_url="https://oem.example/pact",
            client_id="c", client_secret="s",
        )  # fmt: skip
        peer_ref = peer.id
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = victim.client.post(
        "/pact/auth/token", content="grant_type=client_credentials",
        headers={"Authorization": f"Basic {basic}",
                 "Content-Type": "application/x-www-form-urlencoded"},
    ).json()["access_token"]  # fmt: skip
    event = {
        "specversion": "1.0", "id": "victim-request", "source": "//oem.example/pact",
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "data": {"productId": ["urn:gtin:4012345000016"]},
    }  # fmt: skip
    sent = victim.client.post("/pact/3/events", json=event,
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert sent.status_code == 200, sent.text
    with app.state.sessionmaker() as session:
        (request,) = passport_store.pact_requests(session, organisation_id=org.id)
    assert passport.identification.gtin is not None
    return {
        "passport_ref": str(passport.id),
        "client_ref": str(client_ref),
        "peer_ref": str(peer_ref),
        "inbox_ref": str(request.id),
        "answer": "fulfil",
        "gtin": passport.identification.gtin.zfill(14),
        "serial": "SN1",
        "batch": "B1",
        "name": "bom.csv",
    }


def _kind(path: str) -> str:
    survey = ("questionnaire", "links", "surveys", "invitations", "jobs", "invite")
    return "network" if any(s in path for s in survey) else "company"


#: Required query parameters of GET routes (a series stored by the victim's forecast job).
_QUERIES = {"/orgs/{org}/exchange/forecast/chart.svg": "?series=PP-Leipzig"}


def _fill(path: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"{path}: add a value for the path parameter '{name}'"
        return values[name]

    return _PARAM.sub(one, path) + _QUERIES.get(path, "")


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """(path, method) of every endpoint, including those of included routers.

    Newer FastAPI versions keep included routers unflattened in ``app.routes``;
    ``iter_route_contexts`` walks them. Routes that are not endpoints (static files, the
    OpenAPI document) are left out.
    """
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI that flattens routers itself
        contexts = [r for r in app.routes if isinstance(r, APIRoute)]
    else:
        contexts = [
            c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)
        ]
    return sorted((str(c.path), m) for c in contexts for m in (c.methods or ()))


def test_the_walk_sees_every_endpoint(app: FastAPI) -> None:
    paths = {p for p, _ in _routes(app)}
    assert {"/api/v1/orgs/{org}/dashboard", "/orgs/{org}/dashboard", "/s/{token}"} <= paths
    assert len(paths) >= 40


def test_every_route_is_guarded_or_declared_public(app: FastAPI) -> None:
    unguarded = [p for p, _ in _routes(app) if "{org}" not in p and p not in NOT_TENANT_SCOPED]
    assert unguarded == [], "routes without {org} must be tenant-scoped or declared"


def test_outsiders_are_refused_on_every_organisation_route(app: FastAPI) -> None:
    victim, outsider, values = _setup(app)
    checked = 0
    for path, method in _routes(app):
        if "{org}" not in path:
            continue
        mine = values[_kind(path)]
        url = _fill(path, mine)
        if method == "GET":
            ok = victim.client.get(url)
            assert ok.status_code < 400, f"victim GET {url}: {ok.status_code} {ok.text[:200]}"
        status = _call(outsider, method, url)
        assert status in (403, 404), f"{method} {url}: {status}"
        if set(_PARAM.findall(path)) - {"org", "fmt"}:
            own = dict(mine, org="outsider-net" if _kind(path) == "network" else "outsider-co")
            status = _call(outsider, method, _fill(path, own))
            assert status == 404, f"{method} {_fill(path, own)}: {status}"
        checked += 1
    assert checked >= 25
    # nothing of the victim's changed
    assert len(victim.client.get("/api/v1/orgs/victim-co/ledger/uploads").json()) == 1
    assert len(victim.client.get("/api/v1/orgs/victim-co/members").json()) == 1
    assert len(victim.client.get("/api/v1/orgs/victim-co/carbon/inputs").json()) == 4  # + BOM
