"""Measures as sections of the shared report, and the marginal-abatement-cost curve.

The MAC curve draws one bar per measure with an abatement > 0: width = abatement
[t CO2e/a], height = marginal abatement cost [EUR/t CO2e], sorted from the cheapest to the
most expensive (McKinsey 2009; Kesicki & Ekins 2012, https://doi.org/10.1080/14693062.2011.582347).
A dashed line marks the CO2 price of the first evaluated year of the price path.
"""

from __future__ import annotations

from matplotlib.figure import Figure as MplFigure

from kreislauf import charts
from kreislauf.carbon.measures import MeasuresResult
from kreislauf.i18n import Lang, format_number, format_percent, translate
from kreislauf.report import Align, Block, Figure, KeyFigure, KeyFigures, Paragraph, Section, Table


def mac_curve_figure(result: MeasuresResult, lang: Lang) -> MplFigure:
    """The MAC curve of ``result`` in the kreislauf chart style."""
    curve = result.mac_order()
    fig = charts.new_figure(16.0, 9.0)
    ax = fig.add_subplot()
    charts.style_axes(ax, grid_axis="y")
    left = 0.0
    for m in curve:
        cost = float(m.mac_eur_per_t or 0.0)
        colour = charts.PALETTE[2] if cost < 0 else charts.PRIMARY
        ax.bar(
            left,
            cost,
            width=m.co2e_t,
            align="edge",
            color=colour,
            edgecolor="white",
            linewidth=0.8,
            zorder=2,
        )
        label = ax.text(
            left + m.co2e_t / 2,
            cost,
            m.measure.id,
            ha="center",
            va="bottom" if cost >= 0 else "top",
            fontsize=8,
            color=charts.INK,
        )
        label.set_in_layout(False)
        left += m.co2e_t
    ax.axhline(0, color=charts.MUTED, linewidth=0.8, zorder=1.5)
    costs = [float(m.mac_eur_per_t or 0.0) for m in curve]
    top, bottom = max([0.0, *costs]), min([0.0, *costs])
    if curve:
        first = curve[0]
        path = result.price_paths[first.price_path]
        year = first.years[0]
        price = path.price(year)
        top = max(top, price)
        ax.axhline(
            price,
            color=charts.ACCENT,
            linestyle="--",
            linewidth=1.0,
            zorder=3,
            label=translate(
                "carbon.measures.chart_price",
                lang,
                year=year,
                price=format_number(price, lang, decimals=0),
                path=path.name,
            ),
        )
        ax.legend(loc="lower right", frameon=False, labelcolor=charts.INK, fontsize=8)
    span = max(top - bottom, 1.0)
    ax.set_ylim(bottom - 0.08 * span, top + 0.12 * span)
    ax.set_xlim(0, max(left, 1e-9) * 1.02)
    ax.set_xlabel(translate("carbon.measures.chart_x", lang), color=charts.INK)
    ax.set_ylabel(translate("carbon.measures.chart_y", lang), color=charts.INK)
    return fig


def measures_report_sections(
    result: MeasuresResult, lang: Lang, *, with_charts: bool = True
) -> list[Section]:
    """A level-1 section: key figures, the measures table, the MAC curve, prices, method."""

    def t(key: str, **params: object) -> str:
        return translate(f"carbon.measures.{key}", lang, **params)

    def n(value: float | None, decimals: int = 1) -> str:
        return format_number(value, lang, decimals=decimals)

    measures = result.measures
    negative = [m for m in measures if m.mac_eur_per_t is not None and m.mac_eur_per_t < 0]
    blocks: list[Block] = [
        KeyFigures(
            [
                KeyFigure(f"{n(sum(m.co2e_t for m in measures))} t CO2e/a", t("total_abatement")),
                KeyFigure(f"{n(sum(m.npv_eur for m in measures), 0)} EUR", t("total_npv")),
                KeyFigure(str(len(negative)), t("negative_cost")),
            ]
        )
    ]
    rows = [
        [
            f"{m.measure.id}: {m.measure.name}",
            t(f"kind_{m.measure.kind}"),
            n(m.material_t, 2),
            n(m.energy_mwh),
            n(m.co2e_t, 2),
            n(m.savings_eur, 0),
            n(m.measure.investment_eur, 0),
            n(m.npv_eur, 0),
            n(m.payback_years) if m.payback_years is not None else t("never"),
            n(m.mac_eur_per_t, 0),
        ]
        for m in measures
    ]
    right: Align = "right"
    blocks.append(
        Table(
            header=[
                t("measure"),
                t("kind"),
                t("material_t"),
                t("energy_mwh"),
                t("co2e_t"),
                t("savings_eur"),
                t("investment"),
                t("npv"),
                t("payback"),
                t("mac"),
            ],
            rows=rows,
            align=["left", "left", *[right] * 8],
        )
    )
    if with_charts and result.mac_order():
        caption = t("chart_caption")
        blocks.append(Figure(charts.to_png(mac_curve_figure(result, lang)), caption, alt=caption))
    for path in result.price_paths.values():
        blocks.append(
            Table(
                header=[t("year"), t("price"), t("status"), translate("carbon.pcf.source", lang)],
                rows=[[str(p.year), n(p.eur_per_t, 2), p.status, p.source] for p in path.points],
                caption=f"{t('prices')}: {path.name}",
                align=["left", "right", "left", "left"],
            )
        )
    rate = format_percent(100 * result.discount_rate, lang)
    blocks.append(Paragraph(t("method_text", year=result.base_year, rate=rate), style="note"))
    return [Section(t("title"), blocks, anchor="measures")]
