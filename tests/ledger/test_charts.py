"""Sankey (SVG, HTML) and loss-cost charts render with their labels."""

from __future__ import annotations

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
        ("electricity", "A"): 1.0,
        ("natural_gas", "A"): 0.5,
        ("electricity", "B"): 2.0,
    }


def test_interactive_sankey_is_self_contained(two_centres):
    html = sankey_html(sankey_data(two_centres))
    assert '<script src="https://' not in html  # plotly.js embedded, works offline
    assert "newPlot" in html and "Materialfl" in html


def test_loss_cost_chart_names_every_centre(two_centres):
    svg = figure_svg(loss_cost_figure(mfca_balance(two_centres), lang="de"))
    assert "Kosten der Materialverluste je Mengenstelle [EUR]" in svg
    assert ">A<" in svg and ">B<" in svg
