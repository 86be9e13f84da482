"""Sankey (SVG, HTML) and loss-cost charts render with their labels."""

from __future__ import annotations

import pytest
from ledger_fixtures import P, make_ledger

from kreislauf.ledger import mfca_balance
from kreislauf.ledger.charts import figure_svg, loss_cost_figure, sankey_figure, sankey_html
from kreislauf.ledger.sankey import sankey_data


def test_material_sankey_nodes_and_svg_labels(two_centres):
    data = sankey_data(two_centres, lang="en")
    assert data.unit == "t"
    links = {(link.source, link.target): link.value for link in data.links}
    assert links[("PP", "A")] == 2.0
    assert links[("A", "B")] == 2.0
    assert links[("B", "Product")] == 2.3
    assert links[("A", "Waste: recycling")] == 0.4
    svg = figure_svg(sankey_figure(data, lang="en"))
    assert svg.startswith("<?xml")
    for label in (
        "PP",
        "Schrauben",
        "Product",
        "Waste: recycling",
        "Waste: disposal",
        "Material flows [t]",
    ):
        assert f">{label}<" in svg or f">{label}\n" in svg or label in svg


def test_energy_sankey_in_mwh(two_centres):
    data = sankey_data(two_centres, kind="energy", lang="de")
    links = {(link.source, link.target): link.value for link in data.links}
    assert links == {
        ("Strom", "A"): 1.0,
        ("Erdgas", "A"): 0.5,
        ("Strom", "B"): 2.0,
    }


def test_material_sankey_closes_the_balance_with_stock_and_unaccounted_loss(two_centres):
    links = {(k.source, k.target): k.value for k in sankey_data(two_centres, lang="en").links}
    # A: 2.5 t in = 2.0 transfer + 0.4 waste + 0.1 to stock; B: 2.5 t in, 2.45 t measured out
    assert links[("A", "To stock")] == pytest.approx(0.1)
    assert links[("B", "unaccounted loss")] == pytest.approx(0.05)
    assert ("A", "unaccounted loss") not in links


def test_stock_withdrawal_is_an_input_and_category_names_unnamed_material():
    rows = [
        dict(period=P, site="S", centre="C", flow="material_in", category="packaging",
             quantity=1, unit="t"),
        dict(period=P, site="S", centre="C", flow="stock_change", quantity=-0.5, unit="t"),
        dict(period=P, site="S", centre="C", flow="product_out", quantity=1.5, unit="t"),
    ]  # fmt: skip
    ledger = make_ledger(rows)
    german = {(k.source, k.target): k.value for k in sankey_data(ledger, lang="de").links}
    assert german == {("Verpackung", "C"): 1.0, ("Lagerentnahme", "C"): 0.5, ("C", "Produkt"): 1.5}
    english = {(k.source, k.target) for k in sankey_data(ledger, lang="en").links}
    assert english == {("Packaging", "C"), ("From stock", "C"), ("C", "Product")}


@pytest.mark.parametrize(
    ("lang", "present", "absent"),
    [
        (
            "de",
            ["Materialflüsse [t]", "Produkt", "Abfall: Recycling", "Abfall: Beseitigung",
             "Lagerzugang", "nicht erfasster Verlust", "Energieflüsse [MWh]", "Strom", "Erdgas",
             "2,3 t", "1,5 MWh"],
            ["Product", "Waste", "electricity", "natural_gas", "Electricity"],
        ),
        (
            "en",
            ["Material flows [t]", "Product", "Waste: recycling", "Waste: disposal", "To stock",
             "unaccounted loss", "Energy flows [MWh]", "Electricity", "Natural gas", "2.3 t",
             "1.5 MWh"],
            ["Produkt", "Abfall", "Strom", "Erdgas", "electricity", "natural_gas", "2,3 t"],
        ),
    ],
)  # fmt: skip
def test_sankey_svg_labels_are_translated(two_centres, lang, present, absent):
    svg = "".join(
        figure_svg(sankey_figure(sankey_data(two_centres, kind=kind, lang=lang), lang=lang))
        for kind in ("material", "energy")
    )
    for text in present:
        assert text in svg, text
    for text in absent:
        assert text not in svg, text


def test_interactive_sankey_is_self_contained(two_centres):
    html = sankey_html(sankey_data(two_centres))
    assert '<script src="https://' not in html  # plotly.js embedded, works offline
    assert "newPlot" in html and "Materialfl" in html


def test_loss_cost_chart_names_every_centre(two_centres):
    svg = figure_svg(loss_cost_figure(mfca_balance(two_centres), lang="de"))
    assert "Kosten der Materialverluste je Mengenstelle [EUR]" in svg
    assert ">A<" in svg and ">B<" in svg
