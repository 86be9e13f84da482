"""End to end in headless Chromium: a company publishes a passport; a phone (390 px) scans
its GS1 Digital Link and sees the public page in German and in English; the owner fulfils
a customer's PACT request from the inbox and the reply reaches the customer's host (a
small real HTTP server in the test)."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.passport.passport_fixtures import demo_passport
from tests.web.e2e.test_browser import Shot, _create_org, _sign_up

SLUG = "muster-passport"


class _Customer(BaseHTTPRequestHandler):
    """The customer's PACT host: hands out a token, keeps the events it receives."""

    events: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.path == "/pact/auth/token":
            answer = json.dumps({"access_token": "customer-token", "token_type": "Bearer"})
            self._send(200, answer.encode())
        elif self.path == "/pact/3/events" and self.headers.get("authorization") == (
            "Bearer customer-token"
        ):
            self.events.append(json.loads(body))
            self._send(200, b"")
        else:
            self._send(403, b'{"code": "AccessDenied", "message": "no"}')

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def customer() -> Iterator[str]:
    _Customer.events = []
    host = ThreadingHTTPServer(("127.0.0.1", 0), _Customer)
    thread = threading.Thread(target=host.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{host.server_address[1]}/pact"
    host.shutdown()
    host.server_close()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"


def test_public_passport_page_on_a_phone_and_the_inbox_fulfilled(
    browser: Browser, server: str, shot: Shot, tmp_path: Path, customer: str
) -> None:
    passport = demo_passport()
    file = tmp_path / "tm-200.json"
    file.write_text(passport.model_dump_json(indent=2), encoding="utf-8")
    owner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_up(owner, server, "pass@example.org")
    _create_org(owner, "Muster Kunststoff GmbH", SLUG, "company")
    owner.get_by_role("link", name="Produktpässe").click()
    owner.get_by_label("Passdatei (JSON oder YAML").set_input_files(str(file))
    owner.get_by_role("button", name="Veröffentlichen").click()
    expect(owner.locator("#passport-ok")).to_contain_text("als Version 1 veröffentlicht")
    expect(owner.locator("#passport-list")).to_contain_text("Türmodul-Träger TM-200")

    gtin = (passport.identification.gtin or "").zfill(14)
    for locale, lang, heading, manufacturer in (
        ("de-DE", "de", "Produktpass: Türmodul-Träger TM-200", "Hersteller"),
        ("en-GB", "en", "Product passport: Türmodul-Träger TM-200", "Manufacturer"),
    ):
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
        page = phone.new_page()
        page.goto(f"{server}/01/{gtin}")  # the QR code's Digital Link: 307 to the page
        assert page.url.endswith(f"/p/{passport.id}?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("#passport-title")).to_have_text(heading)
        expect(page.locator("#manufacturer h2")).to_have_text(manufacturer)
        expect(page.locator("#passport-qr")).to_be_visible()
        expect(page.locator("#composition")).to_have_count(0)  # legitimate interest only
        expect(page.locator("#notes")).to_have_count(0)  # owner only
        _fits(page)
        shot(page, f"passport-01-public-page-390px-{lang}")
        phone.close()

    owner.goto(f"{server}/orgs/{SLUG}/passports/pact")
    owner.get_by_label("Name des Kunden").fill("OEM Zwickau")
    owner.get_by_role("button", name="Zugang anlegen").click()
    credentials = json.loads(owner.locator("#pact-credentials pre").inner_text())
    owner.get_by_label("Basis-URL des PACT-Hosts").fill(customer)
    owner.get_by_label("Client-ID").fill("supplier")
    owner.get_by_label("Client-Geheimnis").fill("secret")
    owner.get_by_role("button", name="Hinzufügen").click()
    expect(owner.locator("#pact-peers")).to_contain_text(customer)

    basic = base64.b64encode(
        f"{credentials['client_id']}:{credentials['client_secret']}".encode()
    ).decode()
    token = httpx.post(
        f"{server}/pact/auth/token",
        content="grant_type=client_credentials",
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    ).json()["access_token"]
    event = {
        "specversion": "1.0",
        "id": "oem-request-1",
        "source": customer,
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "data": {
            "productId": [f"urn:gtin:{passport.identification.gtin}"],
            "comment": "Bitte PCF für TM-200",
        },
    }
    sent = httpx.post(
        f"{server}/pact/3/events", json=event, headers={"Authorization": f"Bearer {token}"}
    )
    assert sent.status_code == 200, sent.text

    owner.goto(f"{server}/orgs/{SLUG}/passports/pact")
    inbox = owner.locator("#pact-inbox")
    expect(inbox).to_contain_text("Bitte PCF für TM-200")
    shot(owner, "passport-02-pact-inbox")
    inbox.get_by_role("button", name="Erfüllen").click()
    expect(owner.locator("#pact-queued")).to_be_visible()
    deadline = time.monotonic() + 60
    while not _Customer.events and time.monotonic() < deadline:
        time.sleep(0.2)
    (reply,) = _Customer.events
    assert reply["type"] == "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3"
    assert reply["data"]["requestEventId"] == "oem-request-1"
    assert len(reply["data"]["pfs"]) == 1
    owner.goto(f"{server}/orgs/{SLUG}/passports/pact")
    expect(owner.locator("#pact-inbox .pact-state-delivered")).to_contain_text("zugestellt")
    shot(owner, "passport-03-inbox-fulfilled")
