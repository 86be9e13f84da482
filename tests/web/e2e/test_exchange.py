"""End to end in headless Chromium: a company publishes an offer, another sees the match
and accepts; the names appear only after both sides have accepted."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.exchange.exchange_fixtures import LEVEL_1, offer, request, write_listings
from tests.web.e2e.test_browser import Shot, _create_org, _sign_up


def test_offer_published_match_accepted_by_both_then_names_shown(
    browser: Browser, server: str, shot: Shot, tmp_path: Path
) -> None:
    offers = write_listings(
        tmp_path / "angebot.csv", [offer("A-1", quantity_t=12, **dict.fromkeys(LEVEL_1, "ja"))]
    )
    wanted = write_listings(
        tmp_path / "gesuch.csv",
        [request("G-1", quantity_t=5, min_dql=1, max_distance_km=150, lat=51.05, lon=13.74)],
    )
    seller = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_up(seller, server, "verkauf@example.org")
    _create_org(seller, "Recycling Leipzig GmbH", "recycling-leipzig", "company")
    seller.get_by_role("link", name="Rohstoffbörse").click()
    seller.get_by_label("Angebote und Gesuche (CSV/XLSX)").set_input_files(str(offers))
    seller.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(seller.locator("#exchange-ok")).to_contain_text("Veröffentlicht: 1")
    expect(seller.locator("#exchange-listings")).to_contain_text("ChainOfCustody")
    expect(seller.locator("#exchange-no-matches")).to_be_visible()

    buyer = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_up(buyer, server, "einkauf@example.org")
    _create_org(buyer, "Spritzguss Dresden AG", "spritzguss-dresden", "company")
    buyer.goto(f"{server}/orgs/spritzguss-dresden/exchange")
    buyer.get_by_label("Angebote und Gesuche (CSV/XLSX)").set_input_files(str(wanted))
    buyer.get_by_role("button", name="Veröffentlichen", exact=True).click()
    matches = buyer.locator("#exchange-matches")
    expect(matches).to_contain_text("G-1")
    expect(matches.locator(".exchange-other")).to_have_text("anonym")
    expect(buyer.get_by_text("Recycling Leipzig GmbH")).to_have_count(0)
    shot(buyer, "exchange-01-buyer-sees-match-390px")
    notices = buyer.locator("#exchange-notices")
    expect(notices).to_contain_text("Neue Zuordnung")
    buyer.reload()  # opening the page again marks nothing
    expect(notices).to_contain_text("Neue Zuordnung")
    buyer.get_by_role("button", name="Als gesehen markieren").click()
    expect(notices).to_have_count(0)
    buyer.reload()
    expect(notices).to_have_count(0)
    buyer.get_by_role("button", name="Zustimmen").click()
    expect(matches).to_contain_text("Sie haben zugestimmt")
    expect(matches.locator(".exchange-other")).to_have_text("anonym")

    seller.reload()  # the page after publishing is a GET (POST-redirect-GET): nothing re-posted
    seller_matches = seller.locator("#exchange-matches")
    expect(seller_matches).to_contain_text("Gegenseite hat entschieden")
    expect(seller_matches.locator(".exchange-other")).to_have_text("anonym")
    seller.get_by_role("button", name="Zustimmen").click()
    expect(seller_matches.locator(".exchange-other")).to_have_text("Spritzguss Dresden AG")
    expect(seller_matches).to_contain_text("beide zugestimmt")
    shot(seller, "exchange-02-seller-after-both-agreed")

    buyer.goto(f"{server}/orgs/spritzguss-dresden/exchange")
    expect(buyer.locator("#exchange-matches .exchange-other")).to_have_text(
        "Recycling Leipzig GmbH"
    )
    width = buyer.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"


def test_a_listing_entered_by_hand_on_a_phone(browser: Browser, server: str, shot: Shot) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_up(page, server, "hand@example.org")
    _create_org(page, "Kunststoffe Halle GmbH", "kunststoffe-halle", "company")
    page.goto(f"{server}/orgs/kunststoffe-halle/exchange")
    page.get_by_label("Ihre Kennung (id)").fill("H-1")
    page.locator("#f-material").fill("PP")
    page.get_by_label("Menge [t je Intervall]").fill("7,5")
    page.locator("#f-interval").select_option("month")
    page.get_by_label("Preis [EUR/t] (bei Angeboten Pflicht)").fill("410")
    page.get_by_label("Standort: Breite [°]", exact=True).fill("151.5")  # a typo: not a latitude
    page.get_by_label("Standort: Länge [°]", exact=True).fill("11.97")
    page.get_by_role("checkbox", name="MainMaterialType").check()
    page.get_by_role("button", name="Diesen Eintrag veröffentlichen").click()
    latitude = page.get_by_label("Standort: Breite [°]", exact=True)
    expect(latitude).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-lat-error")).to_contain_text("eine geografische Breite von -90 bis 90")
    expect(latitude).to_have_value("151.5")
    expect(page.get_by_role("checkbox", name="MainMaterialType")).to_be_checked()
    shot(page, "exchange-03-entry-form-error-390px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    latitude.fill("51.48")
    page.get_by_role("button", name="Diesen Eintrag veröffentlichen").click()
    expect(page.locator("#exchange-ok")).to_contain_text("Veröffentlicht: 1")
    expect(page.locator("#exchange-listings")).to_contain_text("H-1")
    page.reload()  # a GET: the listing is not posted twice
    expect(page.locator("#exchange-listings tbody tr")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
