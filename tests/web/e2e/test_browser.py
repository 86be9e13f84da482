"""End to end in headless Chromium: company dashboard and a questionnaire through a link."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
LIKERT = ("strategisches_ziel", "tagesgeschaeft", "marktposition", "eigenmotivation",
          "wettbewerbsdruck", "umsetzung", "wettbewerbsvorteil")  # fmt: skip
Shot = Callable[[Page, str], Path]


def wait_until(page: Page, expression: str, *, timeout_s: float = 10.0) -> None:
    """Wait until ``expression`` is true in ``page``.

    ``page.wait_for_function`` polls through ``eval``, which the platform's CSP forbids
    (no ``'unsafe-eval'``); ``page.evaluate`` goes through the DevTools protocol instead.
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true within {timeout_s} s: {expression}"
        page.wait_for_timeout(50)


def _sign_up(page: Page, server: str, email: str) -> None:
    page.goto(f"{server}/signup")
    page.get_by_label("Name", exact=True).fill("Erika Muster")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill("ein sicheres Passwort")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("heading", name="Organisationen")).to_be_visible()


def _create_org(page: Page, name: str, slug: str, kind: str) -> None:
    page.get_by_label("Name der Organisation").fill(name)
    page.get_by_label("Kurzname (für Adressen)").fill(slug)
    page.get_by_label("Art").select_option(kind)
    page.get_by_role("button", name="Anlegen").click()


def test_company_uploads_ledger_and_sees_dashboard(
    browser: Browser, server: str, shot: Shot
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_up(page, server, "erika@example.org")
    shot(page, "01-organisations")
    _create_org(page, "Muster GmbH", "muster-gmbh", "company")
    expect(page.get_by_text("Noch keine Daten")).to_be_visible()
    page.get_by_role("link", name="Ressourcen-Ledger").click()
    page.get_by_label("Ledger-Datei (CSV oder XLSX)").set_input_files(
        str(EXAMPLES / "demo-company" / "ledger.csv")
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator("#upload-ok")).to_contain_text("696")
    shot(page, "02-ledger-upload")
    page.locator("#upload-ok").get_by_role("link").click()
    expect(page.locator("#kpis")).to_contain_text("Materialausbeute")
    expect(page.locator("#mfca-total")).to_contain_text("EUR")
    sankey = page.locator("img.chart")
    expect(sankey).to_be_visible()
    wait_until(page, "document.querySelector('img.chart').naturalWidth > 0")
    shot(page, "03-dashboard")
    page.get_by_role("link", name="English").click()
    expect(page.locator("#kpis")).to_contain_text("Material yield")
    shot(page, "04-dashboard-en")
    page.get_by_role("link", name="Deutsch").click()
    # without the company's own factors, the GHG section names the flow without factor
    expect(page.locator("#ghg-problem")).to_contain_text("PP-GF30 Granulat")
    page.get_by_role("link", name="CO2-Daten", exact=True).click()
    carbon = EXAMPLES / "demo-company" / "carbon"
    page.get_by_label("Emissionsfaktoren (CSV, mehrere möglich)").set_input_files(
        [str(carbon / "product-factors.csv"), str(carbon / "factors.csv")]
    )
    page.get_by_label("Maßnahmen (YAML oder CSV)").set_input_files(str(carbon / "measures.yaml"))
    page.get_by_role("button", name="CO2-Daten hochladen").click()
    expect(page.locator("#carbon-ok")).to_contain_text("product-factors.csv")
    shot(page, "03b-carbon-inputs")
    page.locator("#carbon-ok").get_by_role("link").click()
    scopes = page.locator("#ghg-scopes")
    expect(scopes).to_contain_text("Scope 2 (marktbasiert)")
    expect(scopes).to_contain_text("Eingekaufte Waren")
    expect(page.locator("#measures-ranked")).to_contain_text("M1")
    wait_until(page, "[...document.querySelectorAll('img.chart')].every(i => i.naturalWidth > 0)")
    page.locator("#ghg").scroll_into_view_if_needed()
    shot(page, "03c-dashboard-ghg")
    page.close()


def test_bad_ledger_shows_row_errors(
    browser: Browser, server: str, shot: Shot, tmp_path: Path
) -> None:
    page = browser.new_page()
    _sign_up(page, server, "fehler@example.org")
    _create_org(page, "Fehler AG", "fehler-ag", "company")
    bad = tmp_path / "kaputt.csv"
    bad.write_text(
        "period,site,centre,flow,category,quantity,unit\n2024-13,L,G,material_in,raw,x,t\n",
        encoding="utf-8",
    )
    page.goto(f"{server}/orgs/fehler-ag/ledger")
    page.get_by_label("Ledger-Datei (CSV oder XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Hochladen").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("kaputt.csv")
    expect(errors).to_contain_text("quantity")
    expect(errors).to_contain_text("period")
    expect(page.get_by_text("Noch keine Dateien.")).to_be_visible()
    shot(page, "05-ledger-errors")
    page.close()


def test_network_publishes_questionnaire_answered_by_link(
    browser: Browser, server: str, shot: Shot
) -> None:
    owner = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_up(owner, server, "netz@example.org")
    _create_org(owner, "Netzwerk Leipzig", "netz-leipzig", "network")
    owner.get_by_label("Fragebogen (YAML", exact=False).set_input_files(
        str(EXAMPLES / "leipzig-survey" / "questionnaire.yaml")
    )
    owner.get_by_role("button", name="Hochladen").click()
    owner.get_by_role("button", name="Veröffentlichen").click()
    expect(owner.locator("#status")).to_have_text("veröffentlicht")
    survey = owner.url
    owner.get_by_role("button", name="Link erzeugen").click()
    link = owner.locator("#new-link").get_attribute("href")
    assert link and link.startswith("/s/")
    shot(owner, "06-questionnaire")

    respondent = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    respondent.goto(server + link)
    respondent.locator('input[name="q_umsetzung"][value="4"]').check()
    respondent.get_by_role("button", name="Zwischenspeichern").click()
    resume = respondent.locator("#resume-link").get_attribute("href")
    assert resume and resume.startswith(server + "/s/") and "?r=" in resume  # absolute
    shot(respondent, "07-respondent-saved")
    respondent.goto(resume)
    expect(respondent.locator('input[name="q_umsetzung"][value="4"]')).to_be_checked()
    respondent.get_by_role("button", name="Absenden").click()
    expect(respondent.locator("#form-error")).to_be_visible()  # required items missing
    for column in LIKERT:
        respondent.locator(f'input[name="q_{column}"][value="5"]').check()
    respondent.locator('input[name="q_umsetzung"][value="2"]').check()
    respondent.get_by_role("button", name="Absenden").click()
    expect(respondent.locator("#thanks")).to_be_visible()
    shot(respondent, "08-respondent-thanks")

    owner.get_by_role("link", name="Auswertung").click()
    expect(owner.locator("#n-responses")).to_contain_text("1")
    row = owner.locator("#likert tr", has_text="Stand der Umsetzung")
    expect(row).to_contain_text("2,00")
    shot(owner, "09-analysis")

    # not go_back(): the page that showed the new link is not stored (Cache-Control: no-store)
    owner.goto(survey)
    owner.get_by_role("button", name="Bericht im Hintergrund erstellen (PDF)").click()
    expect(owner.locator("#job-status")).to_have_text("fertig", timeout=60_000)
    expect(owner.locator("#job-result")).to_contain_text(".pdf")
    shot(owner, "10-report-job")


def test_company_computes_product_footprints_and_manages_members(
    browser: Browser, server: str, shot: Shot
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_up(page, server, "pcf@example.org")
    _create_org(page, "Träger GmbH", "traeger-gmbh", "company")
    page.goto(f"{server}/orgs/traeger-gmbh/ledger")
    page.get_by_label("Ledger-Datei (CSV oder XLSX)").set_input_files(
        str(EXAMPLES / "demo-company" / "ledger.csv")
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator("#upload-ok")).to_contain_text("696")

    page.get_by_role("link", name="Produkt-Fußabdrücke").click()
    carbon = EXAMPLES / "demo-company" / "carbon"
    page.get_by_label("Stückliste (CSV)").set_input_files(str(carbon / "bom.csv"))
    page.get_by_label("Emissionsfaktoren (CSV, mehrere möglich)").set_input_files(
        [str(carbon / "product-factors.csv"), str(carbon / "factors.csv")]
    )
    page.get_by_role("button", name="Stückliste hochladen").click()
    expect(page.locator("#pcf-ok")).to_contain_text("bom.csv")
    first = page.locator("#product-1")
    expect(first).to_contain_text("TM-200")
    expect(first.locator(".pcf-total")).to_contain_text("3,842")  # as `kreislauf carbon pcf`
    wait_until(page, "document.querySelector('#product-1 img.chart').naturalWidth > 0")
    shot(page, "11-product-footprints")
    page.get_by_role("button", name="PCF-Bericht als PDF erstellen").click()
    expect(page.locator("#job-status")).to_have_text("fertig", timeout=60_000)
    expect(page.locator("#job-result")).to_contain_text(".pdf")

    page.goto(f"{server}/orgs/traeger-gmbh/members")
    page.get_by_label("E-Mail-Adresse").fill("kollege@example.org")
    page.get_by_role("button", name="Einladungslink erzeugen").click()
    invite = page.locator("#invite-link").get_attribute("href")
    assert invite and invite.startswith("/invite/")
    expect(page.locator("#invitations")).to_contain_text("kollege@example.org")
    shot(page, "12-members")
    page.get_by_role("button", name="Einladung an kollege@example.org zurückziehen").click()
    expect(page.locator("#members-ok")).to_be_visible()
    expect(page.locator("#invitations li", has_text="kollege@example.org")).to_have_count(0)
    page.close()
