"""In Chromium (issue 14): a corrected ledger replaces after asking, the history restores,
and the dashboard is read at a glance (trend charts with colours, GHG by year), de and en.

Screenshots go to test-artifacts/web/ (14-*.png; PostgreSQL run: test-artifacts/web/postgresql/).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.e2e.test_browser import EXAMPLES, Shot, _create_org, _sign_up, wait_until

LEDGER = EXAMPLES / "demo-company" / "ledger.csv"
CARBON = EXAMPLES / "demo-company" / "carbon"


def _upload(page: Page, path: Path) -> None:
    page.get_by_label("Ledger-Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Hochladen").click()


def _spritzguss_input(page: Page, server: str, slug: str) -> float:
    """The injection moulding centre's input [t] as the dashboard's JSON (same session)."""
    board = page.request.get(f"{server}/api/v1/orgs/{slug}/dashboard").json()
    centre = next(c for c in board["mfca"]["centres"] if c["centre"] == "Spritzguss")
    return float(centre["input_mass_t"])


def test_corrected_upload_asks_replaces_and_restores(
    browser: Browser, server: str, shot: Shot, tmp_path: Path
) -> None:
    corrected = tmp_path / "ledger-korrigiert.csv"
    text = LEDGER.read_text(encoding="utf-8")
    corrected.write_text(text.replace(",0.769,t,", ",0.800,t,", 1), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_up(page, server, "korrektur@example.org")
    _create_org(page, "Korrektur GmbH", "korrektur-gmbh", "company")
    page.goto(f"{server}/orgs/korrektur-gmbh/ledger")
    _upload(page, LEDGER)
    expect(page.locator("#upload-ok")).to_contain_text("696")
    before = _spritzguss_input(page, server, "korrektur-gmbh")

    page.goto(f"{server}/orgs/korrektur-gmbh/ledger")
    _upload(page, corrected)
    confirm = page.locator("section.confirm")
    expect(confirm).to_contain_text("ledger-korrigiert.csv")
    expect(confirm).to_contain_text("2023-01 – 2024-12")
    shot(page, "14-ledger-confirm-replace")
    page.locator("#confirm-replace").click()
    expect(page.locator("#upload-done")).to_be_visible()
    expect(page.locator("#history tr[data-state='replaced']")).to_contain_text("ledger.csv")
    shot(page, "14-ledger-history")
    page.goto(f"{server}/orgs/korrektur-gmbh/dashboard")
    expect(page.locator("main")).to_contain_text("696 Flüsse")
    after = _spritzguss_input(page, server, "korrektur-gmbh")
    assert after == pytest.approx(before + 0.031, abs=1e-9)  # 0.769 → 0.800 t

    page.goto(f"{server}/orgs/korrektur-gmbh/ledger")
    replaced = page.locator("#history tr[data-state='replaced']")
    replaced.get_by_role("button", name="Wiederherstellen").click()
    expect(page.locator("#upload-done")).to_contain_text("wieder")
    assert _spritzguss_input(page, server, "korrektur-gmbh") == pytest.approx(before, abs=1e-9)
    page.close()


def test_dashboard_at_a_glance_in_german_and_english(
    browser: Browser, server: str, shot: Shot
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_up(page, server, "blick@example.org")
    _create_org(page, "Blick GmbH", "blick-gmbh", "company")
    page.goto(f"{server}/orgs/blick-gmbh/ledger")
    _upload(page, LEDGER)
    page.goto(f"{server}/orgs/blick-gmbh/carbon")
    page.get_by_label("Emissionsfaktoren (CSV, mehrere möglich)").set_input_files(
        [str(CARBON / "product-factors.csv"), str(CARBON / "factors.csv")]
    )
    page.get_by_role("button", name="CO2-Daten hochladen").click()
    expect(page.locator("#carbon-ok")).to_be_visible()
    for lang, yield_name in (("de", "Materialausbeute"), ("en", "Material yield")):
        page.goto(f"{server}/orgs/blick-gmbh/dashboard?lang={lang}")
        trends = page.locator("#kpi-trends svg.trend")
        expect(trends.first).to_be_visible()
        assert trends.count() >= 9
        expect(page.locator("#trend-material_yield")).to_contain_text(yield_name)
        # every chart has one last point coloured by its verdict; at least one is judged
        colours = page.evaluate(
            "[...document.querySelectorAll('#kpi-trends svg.trend circle')]"
            ".map(c => c.getAttribute('fill'))"
        )
        assert len(colours) >= 9 and {"#1d6b35", "#a1141c"} & set(colours), colours
        judged = page.locator("#kpis [data-verdict]")
        assert judged.count() >= 1
        shown = page.evaluate(
            "getComputedStyle(document.querySelector('#kpis [data-verdict]')).color"
        )
        assert shown in ("rgb(29, 107, 53)", "rgb(161, 20, 28)"), shown
        assert "-0,0" not in page.locator("#kpis").inner_text()
        expect(page.locator("#ghg-scopes caption")).to_contain_text("2024")
        expect(page.locator("#ghg-years")).to_contain_text("2023")
        wait_until(
            page, "[...document.querySelectorAll('img.chart')].every(i => i.naturalWidth > 0)"
        )
        shot(page, f"14-dashboard-{lang}")
    page.close()
