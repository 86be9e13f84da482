"""In headless Chromium: declare a missing code on the analysis page and see the mean change;
the analysis page and the respondent form at 320 px without sideways scrolling."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store import survey as survey_store
from kreislauf.store.models import Organisation
from kreislauf.survey.readers import read_responses
from tests.web.e2e.test_browser import EXAMPLES, Shot, _create_org, _sign_up

LEIPZIG = EXAMPLES / "leipzig-survey"


def _import_leipzig(database: str, slug: str, questionnaire_id: int) -> None:
    """The example's 25 responses, as a paper survey would be imported."""
    engine = make_engine(database)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            org = session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
            survey_store.import_responses(
                session,
                organisation_id=org.id,
                questionnaire_id=questionnaire_id,
                raw=read_responses(LEIPZIG / "responses.csv"),
            )
    finally:
        engine.dispose()


def _network_with_questionnaire(browser: Browser, server: str, name: str) -> Page:
    """A new account and network ``netz-<name>`` with the Leipzig questionnaire uploaded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_up(page, server, f"{name}@example.org")
    _create_org(page, f"Netz {name.title()}", f"netz-{name}", "network")
    page.get_by_label("Fragebogen (YAML", exact=False).set_input_files(
        str(LEIPZIG / "questionnaire.yaml")
    )
    page.get_by_role("button", name="Hochladen").click()
    return page


def test_declared_missing_code_changes_the_mean(
    browser: Browser, server: str, database: str, shot: Shot
) -> None:
    page = _network_with_questionnaire(browser, server, "auswertung")
    expect(page.locator("#status")).to_be_visible()
    questionnaire_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    _import_leipzig(database, "netz-auswertung", questionnaire_id)

    page.get_by_role("link", name="Auswertung").click()
    row = page.locator("#likert tr", has_text="Stand der Umsetzung")
    expect(row.locator(".mean")).to_have_text("2,92")
    expect(page.locator("#warnings")).to_contain_text("erklären Sie 0 als Fehlend-Code")
    page.get_by_label("Fehlend-Codes", exact=False).fill("0")
    page.get_by_role("button", name="Speichern und neu auswerten").click()
    expect(row.locator(".mean")).to_have_text("3,48")
    expect(page.get_by_label("Fehlend-Codes", exact=False)).to_have_value("0")
    shot(page, "11-analysis-missing-declared")

    phone = browser.new_page(viewport={"width": 320, "height": 700})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    expect(phone.locator("#n-responses")).to_contain_text("25")
    wide = phone.evaluate("document.documentElement.scrollWidth")
    culprits = phone.evaluate(  # what sticks out (tables scroll inside their .scroll box)
        "Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.scroll'))"
        ".slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className)"
    )
    assert wide <= 320, f"the analysis page is {wide} px wide at 320 px: {culprits}"
    shot(phone, "12-analysis-320px")
    phone.close()
    page.close()


def test_respondent_form_at_320_px(browser: Browser, server: str, shot: Shot) -> None:
    owner = _network_with_questionnaire(browser, server, "formular")
    owner.get_by_role("button", name="Veröffentlichen").click()
    owner.get_by_role("button", name="Link erzeugen").click()
    link = owner.locator("#new-link").get_attribute("href")
    assert link
    respondent = browser.new_context(viewport={"width": 320, "height": 700}).new_page()
    respondent.goto(server + link)
    respondent.locator('input[name="q_umsetzung"][value="4"]').check()
    respondent.get_by_role("button", name="Absenden").click()
    expect(respondent.locator("#form-error")).to_contain_text("Pflichtfrage")
    assert respondent.locator('fieldset[aria-invalid="true"]').count() == 6
    wide = respondent.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320, f"the form is {wide} px wide at 320 px"
    respondent.get_by_role("button", name="Zwischenspeichern").click()
    resume = respondent.locator("#resume-link").get_attribute("href")
    assert resume and resume.startswith(server + "/s/")
    shot(respondent, "13-respondent-320px")
    owner.close()
