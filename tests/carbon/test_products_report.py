"""PCF and measures report sections render to HTML and PDF with their figures."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kreislauf.carbon.bom import read_bom
from kreislauf.carbon.measures import evaluate_measures, read_measures
from kreislauf.carbon.measures_report import mac_curve_figure, measures_report_sections
from kreislauf.carbon.pcf import product_footprints
from kreislauf.carbon.pcf_report import pcf_report_sections
from kreislauf.carbon.prices import read_price_paths
from kreislauf.report import Figure, Report, Table, render_html, render_pdf
from tests.carbon.products_fixtures import BOM_CSV, make_factors, make_ledger
from tests.carbon.test_measures import MEASURES, PRICES


@pytest.fixture
def pcf_results(tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_text(BOM_CSV, encoding="utf-8")
    return product_footprints(read_bom(bom), make_ledger(), make_factors(tmp_path))


@pytest.fixture
def measures_result(tmp_path):
    (tmp_path / "m.yaml").write_text(MEASURES, encoding="utf-8")
    (tmp_path / "p.csv").write_text(PRICES, encoding="utf-8")
    return evaluate_measures(
        read_measures(tmp_path / "m.yaml"),
        make_ledger(),
        make_factors(tmp_path),
        read_price_paths(tmp_path / "p.csv"),
        default_path="rising",
    )


def _blocks(sections, kind):
    return [b for s in sections for b in s.blocks if isinstance(b, kind)]


def test_pcf_sections_render_with_figure_in_both_languages(pcf_results):
    for lang, stage, number in (("de", "Verarbeitung", "3,325"), ("en", "Processing", "3.325")):
        sections = pcf_report_sections(pcf_results, lang)
        figures = _blocks(sections, Figure)
        assert len(figures) == 1 and figures[0].png.startswith(b"\x89PNG")
        html = render_html(Report(title="PCF", sections=sections, lang=lang))
        assert "<img" in html and "data:image/png;base64" in html
        assert stage in html and number in html and "Module" in html
    tables = _blocks(pcf_report_sections(pcf_results, "en"), Table)
    stage_rows = {row[0]: row[1] for row in tables[0].rows}
    assert stage_rows["Waste"] == "0.030"


def test_measures_sections_render_with_mac_curve(measures_result):
    sections = measures_report_sections(measures_result, "de")
    assert len(_blocks(sections, Figure)) == 1
    html = render_html(Report(title="Maßnahmen", sections=sections, lang="de"))
    assert "data:image/png;base64" in html
    assert "Heat recovery" in html and "Kapitalwert" in html and "rising" in html
    pdf = render_pdf(Report(title="Maßnahmen", sections=sections, lang="de"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Vermeidungskosten" in text and "McKinsey" in text


def test_mac_curve_bars_are_sorted_with_widths_equal_to_abatement(measures_result):
    fig = mac_curve_figure(measures_result, "en")
    bars = [p for p in fig.axes[0].patches]
    order = measures_result.mac_order()
    assert len(bars) == len(order)
    assert [b.get_height() for b in bars] == pytest.approx([m.mac_eur_per_t for m in order])
    assert [b.get_width() for b in bars] == pytest.approx([m.co2e_t for m in order])
    lefts = [b.get_x() for b in bars]
    assert lefts == pytest.approx([sum(m.co2e_t for m in order[:i]) for i in range(len(order))])
