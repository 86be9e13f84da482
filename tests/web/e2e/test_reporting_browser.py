"""End to end in headless Chromium: the guided VSME page of a company, German and English,
on a 390 px phone: computed values with sources, an answer stored and shown with its name."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.web.e2e.test_browser import EXAMPLES, Shot, _create_org, _sign_up

#: The element reaching furthest right outside a scrolling table (for the message).
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.table-scroll'))
  .map(e => [e.getBoundingClientRect().right, e.tagName + '#' + e.id + '.' + e.className])
  .sort((a, b) => b[0] - a[0]).slice(0, 3)"""
SUPPLIERS = Path(__file__).parents[2] / "reporting" / "data" / "suppliers.csv"


def test_guided_vsme_page(browser: Browser, server: str, shot: Shot) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _sign_up(page, server, "vsme@example.org")
    _create_org(page, "VSME GmbH", "vsme-gmbh", "company")
    page.goto(f"{server}/orgs/vsme-gmbh/ledger")
    page.get_by_label("Ledger-Datei (CSV oder XLSX)").set_input_files(
        str(EXAMPLES / "demo-company" / "ledger.csv")
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator("#upload-ok")).to_contain_text("696")
    carbon: Path = EXAMPLES / "demo-company" / "carbon"
    page.goto(f"{server}/orgs/vsme-gmbh/carbon")
    page.get_by_label("Emissionsfaktoren (CSV, mehrere möglich)").set_input_files(
        [str(carbon / "product-factors.csv"), str(carbon / "factors.csv")]
    )
    page.get_by_role("button", name="CO2-Daten hochladen").click()
    expect(page.locator("#carbon-ok")).to_be_visible()
    page.get_by_role("link", name="VSME-Bericht").click()
    expect(page.get_by_role("heading", name="VSME-Bericht 2024")).to_be_visible()
    b3 = page.locator("#module-B3")
    expect(b3).to_contain_text("Gesamtenergieverbrauch")
    expect(b3).to_contain_text("ledger.csv")
    expect(page.locator("#vsme-completeness")).to_contain_text("B3")
    page.get_by_label("Umsatzerlöse [EUR]").fill("48.500.000")
    page.get_by_role("button", name="Angaben speichern").click()
    expect(page.locator("#vsme-saved")).to_contain_text("1 Angabe(n) gespeichert")
    turnover = page.locator("#module-B1 tr[data-key='Turnover']")
    expect(turnover).to_contain_text("48.500.000")
    expect(turnover).to_contain_text("Erika Muster")
    # the intensities per turnover now appear in B3
    expect(b3).to_contain_text("Treibhausgas-Emissionsintensität")
    # a table row (a site) and an enumeration (a country) through the form
    page.locator("#table-ListOfSitesTable > summary").click()
    page.locator("#row-ListOfSitesTable-IdentifierOfSiteTypedAxis").fill("LEJ")
    page.locator("#row-ListOfSitesTable-CityOfSite").fill("Leipzig")
    page.locator("#row-ListOfSitesTable-CountryOfSite").select_option("country:DE")
    page.locator("#dp-BasisForReporting").select_option("IndividualMember")
    page.get_by_role("button", name="Angaben speichern").click()
    expect(page.locator("#vsme-saved")).to_contain_text("3 Angabe(n) gespeichert")
    site = page.locator("#module-B1 tr[data-key='CityOfSite|IdentifierOfSiteTypedAxis=LEJ']")
    expect(site).to_contain_text("Leipzig")
    expect(site).to_contain_text("Erika Muster")
    expect(page.locator("#module-B1 tr[data-key='BasisForReporting']")).to_be_visible()
    # 2023 beside 2024 with the change (energy_in by hand: 2,788.374 → 2,750.828 MWh)
    energy = page.locator("#vsme-years tr[data-key='TotalEnergyConsumption']")
    expect(energy).to_contain_text("2.788,4")
    expect(energy).to_contain_text("2.750,8")
    expect(energy).to_contain_text("-37,5")
    width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate(WIDEST)
    assert width <= 390, f"the page is {width} px wide on a 390 px phone: {widest}"
    shot(page, "20-vsme-phone")
    # the report as PDF from the page's link, as the browser downloads it
    with page.expect_download() as download:
        page.locator("#vsme-download-pdf").click()
    assert download.value.suggested_filename == "vsme-2024.pdf"
    pdf = Path(download.value.path()).read_bytes()
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="VSME report 2024")).to_be_visible()
    expect(page.locator("#module-B3")).to_contain_text("Total energy consumption")
    shot(page, "21-vsme-en")
    page.close()


def test_lksg_page_on_a_phone(browser: Browser, server: str, shot: Shot) -> None:
    """Upload the supplier list, record a concrete assessment, see its state (390 px)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _sign_up(page, server, "lksg@example.org")
    _create_org(page, "LkSG GmbH", "lksg-gmbh", "company")
    page.goto(f"{server}/orgs/lksg-gmbh/reporting/lksg?year=2025")
    expect(page.locator("#lksg-empty")).to_be_visible()
    page.get_by_label("Zuliefererliste (CSV/XLSX)").set_input_files(str(SUPPLIERS))
    page.get_by_role("button", name="Liste hochladen").click()
    expect(page.locator("#lksg-ranking")).to_contain_text("Katanga Cobalt Trading SARL")
    expect(page.locator("#lksg-ranking")).to_contain_text("Deutschland (DE)")
    page.goto(f"{server}/orgs/lksg-gmbh/reporting/lksg?year=2025")
    risk = page.locator("#lksg-risks tr[data-state='not_assessed']").first
    expect(risk).to_contain_text("noch nicht bewertet")
    page.locator("#as-supplier").select_option("Katanga Cobalt Trading SARL")
    page.locator("#as-position").select_option("HR01")
    page.locator("#as-finding").select_option("not_confirmed")
    page.locator("#as-by").fill("Erika Muster")
    page.get_by_role("button", name="Speichern").first.click()
    expect(page.locator("#lksg-saved")).to_be_visible()
    expect(page.locator("#lksg-risks tr[data-state='not_confirmed']")).to_contain_text(
        "Katanga Cobalt Trading SARL"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate(WIDEST)
    assert width <= 390, f"the page is {width} px wide on a 390 px phone: {widest}"
    shot(page, "22-lksg-phone")
    page.close()
