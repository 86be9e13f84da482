"""The Content-Security-Policy in Chromium: every main page renders with no violation.

Chromium reports a blocked inline script or style, event handler or foreign resource on the
console ("Refused to … Content Security Policy") and fires ``securitypolicyviolation``; the
test listens to both on every page it opens (issue 13).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.web.e2e.test_browser import EXAMPLES, LIKERT, _create_org, _sign_up, wait_until

REPORT = (
    "document.addEventListener('securitypolicyviolation', e => "
    "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
)


def _watched(context: BrowserContext, found: list[str]) -> Page:
    context.add_init_script(REPORT)

    def on_console(message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        if "Content Security Policy" in text or "CSP violation" in text:
            found.append(f"{context.pages[-1].url}: {text}")

    context.on("console", on_console)
    context.on("weberror", lambda error: found.append(f"page error: {error.error}"))
    return context.new_page()


def test_main_pages_render_without_csp_violations(browser: Browser, server: str) -> None:
    found: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = _watched(context, found)
    page.goto(f"{server}/login")
    _sign_up(page, server, "csp@example.org")
    _create_org(page, "CSP GmbH", "csp-gmbh", "company")
    page.goto(f"{server}/orgs/csp-gmbh/ledger")
    page.get_by_label("Ledger-Datei (CSV oder XLSX)").set_input_files(
        str(EXAMPLES / "demo-company" / "ledger.csv")
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator("#upload-ok")).to_contain_text("696")
    page.goto(f"{server}/orgs/csp-gmbh/dashboard")
    expect(page.locator("#kpis")).to_contain_text("Materialausbeute")
    wait_until(page, "document.querySelector('img.chart').naturalWidth > 0")
    for path in ("carbon", "pcf", "members"):
        page.goto(f"{server}/orgs/csp-gmbh/{path}")
        expect(page.locator("main")).to_be_visible()
    # the chart opened on its own (matplotlib styles by attribute)
    page.goto(f"{server}/api/v1/orgs/csp-gmbh/ledger/sankey.svg?lang=de")
    expect(page.locator("svg").first).to_be_attached()
    # the interactive Sankey: plotly's inline scripts run by hash in a sandbox
    page.goto(f"{server}/api/v1/orgs/csp-gmbh/ledger/sankey.html?lang=de")
    expect(page.locator(".js-plotly-plot .sankey").first).to_be_attached(timeout=15_000)

    page.goto(f"{server}/orgs")
    _create_org(page, "CSP Netz", "csp-netz", "network")
    page.get_by_label("Fragebogen (YAML", exact=False).set_input_files(
        str(EXAMPLES / "leipzig-survey" / "questionnaire.yaml")
    )
    page.get_by_role("button", name="Hochladen").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    page.get_by_role("button", name="Link erzeugen").click()
    link = page.locator("#new-link").get_attribute("href")
    assert link
    respondent = _watched(browser.new_context(viewport={"width": 390, "height": 844}), found)
    respondent.goto(server + link)
    for column in LIKERT:
        respondent.locator(f'input[name="q_{column}"][value="4"]').check()
    respondent.get_by_role("button", name="Absenden").click()
    expect(respondent.locator("#thanks")).to_be_visible()
    page.get_by_role("link", name="Auswertung").click()
    expect(page.locator("#n-responses")).to_contain_text("1")
    page.wait_for_load_state("load")
    assert found == []
    bars = page.locator("progress.bar")
    expect(bars.first).to_be_visible()
    assert bars.first.bounding_box()["width"] > 10  # type: ignore[index]
    context.close()


def test_a_framing_page_cannot_show_the_login(
    browser: Browser, server: str, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    frame = tmp_path / "frame.html"
    frame.write_text(f'<iframe src="{server}/login" id="f"></iframe>', encoding="utf-8")
    page.goto(frame.as_uri())
    page.wait_for_timeout(1500)
    inner = page.frames[-1]
    assert inner.url in (
        "about:blank",
        "chrome-error://chromewebdata/",
    ) or not inner.query_selector("form")
    context.close()
