"""The example files beside the upload forms (web/pages/examples.py)."""

from __future__ import annotations

from fastapi import FastAPI

from kreislauf.web.services.examples import EXAMPLES
from tests.web.web_helpers import EXAMPLES as EXAMPLES_DIR
from tests.web.web_helpers import Member, client_for


def test_every_example_is_the_bundled_file_as_an_attachment(app: FastAPI) -> None:
    client = client_for(app)
    for name, (relative, media_type) in EXAMPLES.items():
        response = client.get(f"/examples/{name}")
        assert response.status_code == 200, name
        assert response.content == (EXAMPLES_DIR / relative).read_bytes(), name
        assert response.headers["content-type"].startswith(media_type), name
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment") and f"kreislauf-example-{name}" in disposition


def test_the_downloaded_questionnaire_is_accepted_by_the_upload(app: FastAPI) -> None:
    content = client_for(app).get("/examples/questionnaire.yaml").content
    member = Member(app, "net@example.org")
    member.org("netz", kind="network")
    response = member.client.post(
        "/api/v1/orgs/netz/questionnaires", files={"file": ("questionnaire.yaml", content)}
    )
    assert response.status_code == 201, response.text


def test_the_downloaded_listings_are_accepted_by_the_exchange_upload(app: FastAPI) -> None:
    content = client_for(app).get("/examples/listings.csv").content
    member = Member(app, "firma@example.org")
    member.org("firma")
    response = member.client.post(
        "/api/v1/orgs/firma/exchange/listings", files={"file": ("listings.csv", content)}
    )
    assert response.status_code == 201, response.text
    assert len(response.json()) > 10


def test_the_forms_link_their_examples(app: FastAPI) -> None:
    member = Member(app, "owner@example.org")
    member.org("netz", kind="network")
    member.org("firma")
    pages = {
        "/orgs/netz/surveys": ["/examples/questionnaire.yaml"],
        "/orgs/firma/pcf": ["/examples/bom.csv", "/examples/product-factors.csv"],
        "/orgs/firma/carbon": ["/examples/measures.yaml"],
        "/orgs/firma/exchange": ["/examples/listings.csv"],
    }
    for page, links in pages.items():
        html = member.client.get(page).text
        for link in links:
            assert f'href="{link}"' in html, (page, link)


def test_other_names_are_not_served(app: FastAPI) -> None:
    client = client_for(app)
    assert client.get("/examples/ledger.yaml").status_code == 404
    assert client.get("/examples/responses.csv").status_code == 404
    for hostile in ("..%2Fpyproject.toml", "%2Fetc%2Fpasswd", "x" * 41 + ".csv"):
        response = client.get(f"/examples/{hostile}")
        assert response.status_code in (404, 422), hostile
        assert "traceback" not in response.text.lower()
