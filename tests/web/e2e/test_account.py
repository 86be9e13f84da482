"""The account page in Chromium on a phone (390 px): change the password, with no CSP
violation; the old password no longer signs in (issue 13 leftover)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.web.e2e.test_browser import Shot, _sign_up
from tests.web.e2e.test_csp import _watched

NEW = "sieben orange Drachen über Leipzig"


def test_password_change_on_a_phone(browser: Browser, server: str, shot: Shot) -> None:
    found: list[str] = []
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = _watched(context, found)
    _sign_up(page, server, "konto@example.org")
    page.get_by_role("link", name="Konto und Passwort").click()
    expect(page.get_by_role("heading", name="Ihr Konto")).to_be_visible()
    page.get_by_label("Bisheriges Passwort").fill("ein sicheres Passwort")
    page.get_by_label("Neues Passwort").fill(NEW)
    page.get_by_role("button", name="Passwort ändern").click()
    expect(page.get_by_role("status")).to_contain_text("Das Passwort wurde geändert")
    shot(page, "account-password-changed")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert found == []
    other = browser.new_context().new_page()
    other.goto(f"{server}/login")
    other.get_by_label("E-Mail-Adresse").fill("konto@example.org")
    other.get_by_label("Passwort").fill("ein sicheres Passwort")
    other.get_by_role("button", name="Anmelden").click()
    expect(other.get_by_role("alert")).to_be_visible()
    other.get_by_label("Passwort").fill(NEW)
    other.get_by_role("button", name="Anmelden").click()
    expect(other.get_by_role("heading", name="Organisationen")).to_be_visible()
    context.close()
