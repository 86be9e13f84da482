"""Security headers on every response (issue 13): walk ``app.routes`` and check each answer.

Every endpoint is called as the owner (the real page, answer or download), as an outsider
(a problem response) and anonymously (a redirect to the login page or a 401), plus the
static files, the OpenAPI document and its documentation page. Both databases.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kreislauf.web.security import document_csp
from tests.web.test_isolation import _BODY, _fill, _kind, _routes, _setup
from tests.web.web_helpers import client_for

COMMON = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _problems(response: httpx.Response, *, static: bool = False) -> list[str]:
    """What is wrong with the headers of ``response`` (empty: all present)."""
    where = f"{response.request.method} {response.request.url.path} {response.status_code}"
    headers = response.headers
    found = [f"{where}: {k}={headers.get(k)!r}" for k, v in COMMON.items() if headers.get(k) != v]
    csp = headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    if directives.get("frame-ancestors") != ["'none'"]:
        found.append(f"{where}: frame-ancestors in {csp!r}")
    scripts = directives.get("script-src", directives.get("default-src", ["'unsafe-inline'"]))
    if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        found.append(f"{where}: script-src in {csp!r}")
    if "strict-transport-security" in headers and response.request.url.scheme == "http":
        found.append(f"{where}: HSTS over plain HTTP")
    cache = headers.get("cache-control", "")
    if static == ("no-store" in cache):
        found.append(f"{where}: cache-control={cache!r}")
    return found


def test_every_route_answers_with_the_security_headers(app: FastAPI) -> None:
    victim, outsider, values = _setup(app)
    anonymous = client_for(app)
    problems: list[str] = []
    statuses: set[int] = set()
    for path, method in _routes(app):
        url = _fill(
            path,
            values[_kind(path)]
            | {"token": "unknown", "code": "en", "token_id": "1", "footprint_id": "x"},
        )
        calls = [outsider, anonymous] if method != "GET" else [victim, outsider, anonymous]
        for who in calls:
            client = who if isinstance(who, type(anonymous)) else who.client  # type: ignore[attr-defined]
            json = _BODY if url.startswith("/api/") else None
            data = None if json else _BODY
            response = client.request(method, url, json=json, data=data, follow_redirects=False)
            statuses.add(response.status_code)
            problems += _problems(response)
    for path in ("/api/v1/openapi.json", "/api/v1/docs", "/no-such-page", "/api/v1/nothing"):
        problems += _problems(anonymous.get(path))
    for path in ("/static/kreislauf.css", "/static/does-not-exist.css"):
        problems += _problems(anonymous.get(path), static=True)  # may be cached
    assert problems == []
    assert {200, 303, 401, 403, 404} <= statuses  # pages, redirects, problems all checked


def test_downloads_and_the_sankey_page_carry_the_headers(app: FastAPI) -> None:
    victim, _, values = _setup(app)
    org, qid = values["company"]["org"], values["network"]["questionnaire_id"]
    urls = [
        f"/api/v1/orgs/{org}/ledger/kpis.csv",
        f"/api/v1/orgs/{org}/ledger/sankey.svg",
        f"/api/v1/orgs/victim-net/questionnaires/{qid}/export.xlsx",
    ]
    for url in urls:
        response = victim.client.get(url)
        assert response.status_code == 200 and _problems(response) == [], url
    sankey = victim.client.get(f"/api/v1/orgs/{org}/ledger/sankey.html")
    assert sankey.status_code == 200 and _problems(sankey) == []
    csp = sankey.headers["content-security-policy"]
    assert csp == document_csp(sankey.text) and "sandbox allow-scripts" in csp
    assert "'sha256-" in csp and "connect-src 'none'" in csp
    svg = victim.client.get(f"/api/v1/orgs/{org}/ledger/sankey.svg")
    assert "script-src" not in svg.headers["content-security-policy"]  # default-src 'none'
    assert svg.headers["content-security-policy"].endswith("sandbox")


def test_the_api_documentation_runs_its_script_by_nonce(app: FastAPI) -> None:
    first, second = (client_for(app).get("/api/v1/docs") for _ in range(2))
    nonces = []
    for page in (first, second):
        csp = page.headers["content-security-policy"]
        nonce = csp.split("'nonce-")[1].split("'")[0]
        assert f'<script nonce="{nonce}">' in page.text and "<script>" not in page.text
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_hsts_only_over_https(app: FastAPI) -> None:
    plain = client_for(app).get("/login")
    assert "strict-transport-security" not in plain.headers
    tls = TestClient(app, base_url="https://testserver").get("/login")
    assert tls.headers["strict-transport-security"].startswith("max-age=31536000")
