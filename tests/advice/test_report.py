"""The printable one-page funding summary per measure."""

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from kreislauf.advice import funding_options, measure_figures, read_company, read_rules
from kreislauf.advice.report import funding_summary
from kreislauf.carbon.factors import read_factors
from kreislauf.carbon.measures import evaluate_measures, read_measures
from kreislauf.carbon.prices import read_price_paths
from kreislauf.errors import NotFound
from kreislauf.ledger import read_ledgers
from kreislauf.report.html import render_html
from kreislauf.report.pdf import render_pdf

DEMO = Path(__file__).parents[2] / "examples" / "demo-company"


@pytest.fixture(scope="module")
def demo():
    company = read_company(DEMO / "advice" / "company.yaml")
    measures = read_measures(DEMO / "carbon" / "measures.yaml")
    ledger = read_ledgers([DEMO / "ledger.csv"])
    factors = read_factors([DEMO / "carbon" / "product-factors.csv"])
    evaluation = evaluate_measures(measures, ledger, factors, read_price_paths(None))
    figures = measure_figures(
        measures, company, evaluation=evaluation, ledger=ledger, factors=factors
    )
    rules, source = read_rules()
    return {
        lang: funding_options(
            company, figures, rules, today=date(2026, 12, 1), lang=lang, rules_source=source
        )
        for lang in ("de", "en")
    }


@pytest.mark.parametrize("lang", ["de", "en"])
def test_summary_of_each_demo_measure_fits_one_page(demo, lang):
    for measure in ("M1", "M2", "M3", "M4", "M5"):
        pdf = render_pdf(funding_summary(demo[lang], measure, lang))
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1, measure


def test_summary_shows_the_estimate_and_the_lists(demo):
    report = funding_summary(demo["de"], "M5", "de")
    html = render_html(report)
    assert "18.000 EUR" in html  # module 4 basis, 10 % of 180,000
    assert "EEW Modul 4 – Basisförderung" in html
    # FRL EuK module 2: checked against the text before its amendment, still marked; the
    # guideline names no adviser list
    assert "Sachsen: FRL Energie und Klima/2023, Modul 2 (SAB) (UNGEPRÜFT)" in html
    assert "nur gegen den Text vor seiner letzten Änderung" in html
    with pytest.raises(NotFound):
        funding_summary(demo["de"], "M9", "de")


@pytest.mark.parametrize(
    ("lang", "mark", "kind"),
    [("de", "(UNGEPRÜFT)", "Servoantriebe"), ("en", "(UNCHECKED)", "Servo drives")],
)
def test_summary_table_marks_unchecked_rows_and_names_the_measure_type(demo, lang, mark, kind):
    from kreislauf.report.model import Table

    report = funding_summary(demo[lang], "M5", lang)
    assert kind in report.subtitle and "servo_drives" not in report.subtitle
    table = next(b for b in report.sections[0].blocks if isinstance(b, Table))
    names = {row[0] for row in table.rows}
    checked = {r.programme: r.checked_against for r in demo[lang].results if r.measure == "M5"}
    open_rows = [r for r in demo[lang].results if r.measure == "M5" and r.status != "not_eligible"]
    assert len(names) == len(open_rows) == 3  # module 4 basis, FRL EuK module 2, SAENA
    for r in open_rows:
        marked = f"{r.programme_name} {mark}"
        assert (marked in names) == (checked[r.programme] != "guideline"), r.programme
