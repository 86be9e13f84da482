"""In headless Chromium: the self-check against the Leipzig peer group, then the funding
page of the company with its printable one-page summary (issue 20)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from kreislauf.store import survey as survey_store
from kreislauf.store.engine import make_engine, make_sessionmaker
from kreislauf.store.models import Organisation
from kreislauf.survey import read_responses
from tests.web.e2e.test_browser import _create_org, _sign_up

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
Shot = Callable[[Page, str], Path]


def _import_leipzig_responses(database: str, slug: str) -> None:
    """The Leipzig responses into the network's questionnaire (as the demo seeds them)."""
    engine = make_engine(database)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            org = session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
            record = survey_store.questionnaires(session, organisation_id=org.id)[0]
            survey_store.import_responses(
                session,
                organisation_id=org.id,
                questionnaire_id=record.id,
                raw=read_responses(EXAMPLES / "leipzig-survey" / "responses.csv"),
            )
    finally:
        engine.dispose()


def test_selfcheck_then_funding(browser: Browser, server: str, database: str, shot: Shot) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    _sign_up(page, server, "beratung@example.org")
    _create_org(page, "Netzwerk Selbstcheck", "netz-sc", "network")
    page.get_by_label("Fragebogen (YAML", exact=False).set_input_files(
        str(EXAMPLES / "leipzig-survey" / "questionnaire.yaml")
    )
    page.get_by_role("button", name="Hochladen").click()
    _import_leipzig_responses(database, "netz-sc")

    page.get_by_role("link", name="Selbstcheck").click()
    page.locator("#selfcheck-surveys a").first.click()
    answers = {"strategisches_ziel": 3, "tagesgeschaeft": 4, "marktposition": 3,
               "eigenmotivation": 4, "wettbewerbsdruck": 2, "umsetzung": 2,
               "wettbewerbsvorteil": 4}  # fmt: skip
    for item, value in answers.items():
        page.locator(f'input[name="q_{item}"][value="{value}"]').check()
    page.get_by_role("button", name="Vergleichen").click()
    result = page.locator("#selfcheck-result")
    row = result.locator('tr[data-item="strategisches_ziel"]')
    expect(row).to_contain_text("unteres Viertel")  # 2.5 of 24 peers below or equal
    expect(row).to_contain_text("84")  # peers agreeing [%] with the Wilson interval
    expect(page.get_by_text("Kleine Vergleichsgruppe (n = 24)")).to_be_visible()
    expect(page.locator('#selfcheck-suggestions li[data-code="scrap_reduction"]')).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the self-check page is {width} px wide on a 390 px phone"
    shot(page, "20-selfcheck")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/orgs")
    _create_org(page, "Formteile GmbH", "formteile", "company")
    page.goto(f"{server}/orgs/formteile/ledger")
    page.get_by_label("Ledger-Datei (CSV oder XLSX)").set_input_files(
        str(EXAMPLES / "demo-company" / "ledger.csv")
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator("#upload-ok")).to_contain_text("696")
    page.goto(f"{server}/orgs/formteile/carbon")
    carbon = EXAMPLES / "demo-company" / "carbon"
    page.get_by_label("Emissionsfaktoren (CSV, mehrere möglich)").set_input_files(
        [str(carbon / "product-factors.csv"), str(carbon / "factors.csv")]
    )
    page.get_by_label("Maßnahmen (YAML oder CSV)").set_input_files(str(carbon / "measures.yaml"))
    page.get_by_role("button", name="CO2-Daten hochladen").click()
    expect(page.locator("#carbon-ok")).to_be_visible()

    page.get_by_role("link", name="Fördermittel").click()
    page.get_by_label("Beschäftigte (Jahresarbeitseinheiten)").fill("85")
    page.get_by_label("Jahresumsatz [EUR]").fill("14500000")
    page.get_by_label("Bilanzsumme [EUR]").fill("9800000")
    page.get_by_label("Bundesland (z. B. SN)").fill("SN")
    page.locator('select[name="M5__listed_machine"]').select_option("yes")
    page.get_by_role("button", name="Fördermittel finden").click()
    expect(page.locator("#funding-size")).to_contain_text("mittleres Unternehmen")
    basis = page.locator('section[data-measure="M5"] tr[data-programme="eew-m4-basis"]')
    expect(basis).to_contain_text("förderfähig")
    expect(basis).to_contain_text("18.000")
    shot(page, "21-funding")
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Einseitige Zusammenfassung für M5").click()
    summary = popup.value
    expect(summary.get_by_text("Förderung: Servohydraulik", exact=False).first).to_be_visible()
    shot(summary, "22-funding-summary")
    summary.close()

    # the funding page on a phone, German and English: nothing wider than the screen
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Fördermittel finden").click()
    expect(page.locator("#funding-size")).to_contain_text("mittleres Unternehmen")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the funding page is {width} px wide on a 390 px phone"
    shot(page, "23-funding-phone-de")
    page.get_by_role("link", name="English").click()
    page.get_by_role("button", name="Find funding").click()
    expect(page.locator("#funding-size")).to_contain_text("medium-sized enterprise")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the English funding page is {width} px wide on a 390 px phone"
    shot(page, "24-funding-phone-en")
    page.close()
