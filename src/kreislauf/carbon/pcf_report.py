"""PCF results as sections of the shared report (:mod:`kreislauf.report`).

``kreislauf carbon report`` puts these sections into the carbon report; the sections show
the working: stages, components with their factors and sources, the ledger centres and
their intensities, and the method.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure as MplFigure

from kreislauf import charts
from kreislauf.carbon.pcf import STAGES, PcfResult
from kreislauf.i18n import Lang, Msg, format_number, format_percent, translate
from kreislauf.report import Block, Figure, KeyFigure, KeyFigures, Paragraph, Section, Table

#: Components listed in the table and the chart; the rest is summed in one line.
TOP_COMPONENTS = 12
_STAGE_COLOURS = dict(zip(STAGES, (charts.PRIMARY, charts.ACCENT, charts.PALETTE[2]), strict=True))


def pcf_report_sections(
    results: Sequence[PcfResult], lang: Lang, *, with_charts: bool = True
) -> list[Section]:
    """One level-1 section with the method, then a level-2 section per product."""

    def t(key: str, **params: object) -> str:
        return translate(f"carbon.pcf.{key}", lang, **params)

    ledger = ", ".join(results[0].ledger_sources) if results else ""
    sections = [
        Section(
            t("title"), [Paragraph(t("method_text", ledger=ledger), style="note")], anchor="pcf"
        )
    ]
    for result in results:
        sections.append(_product(result, lang, with_charts=with_charts))
    return sections


def pcf_figure(result: PcfResult, lang: Lang) -> MplFigure:
    """Horizontal stacked bars: the largest components by life-cycle stage [kg CO2e/unit]."""
    top = result.components.head(TOP_COMPONENTS).iloc[::-1]
    fig = charts.new_figure(16.0, 2.0 + 0.55 * max(len(top), 1))
    ax = fig.add_subplot()
    charts.style_axes(ax, grid_axis="x")
    rows = np.arange(len(top))
    left = np.zeros(len(top))
    for stage in STAGES:
        values = top[stage].to_numpy(dtype=float)
        ax.barh(
            rows,
            values,
            left=left,
            height=0.62,
            color=_STAGE_COLOURS[stage],
            label=translate(f"carbon.pcf.stage_{stage}", lang),
            zorder=2,
        )
        left = left + values
    ax.set_yticks(rows, [str(i) for i in top["item"]])
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(translate("carbon.pcf.chart_x", lang), color=charts.INK)
    fig.legend(loc="outside lower center", ncols=3, frameon=False, labelcolor=charts.INK)
    return fig


def _product(result: PcfResult, lang: Lang, *, with_charts: bool) -> Section:
    def t(key: str, **params: object) -> str:
        return translate(f"carbon.pcf.{key}", lang, **params)

    kg = t("unit_kg")
    blocks: list[Block] = [
        KeyFigures(
            [
                KeyFigure(
                    f"{format_number(result.total_kg, lang)} {kg}", t("total"), result.product
                ),
                KeyFigure(format_percent(100 * result.primary_share, lang), t("primary_share")),
                KeyFigure(f"{format_number(result.mass_kg, lang)} kg", t("mass")),
            ]
        )
    ]
    total = result.total_kg or float("nan")
    blocks.append(
        Table(
            header=[t("stage"), kg, t("share")],
            rows=[
                [t(f"stage_{s}"), format_number(v, lang), format_percent(100 * v / total, lang)]
                for s, v in result.stages.items()
            ],
            footer=[[t("total"), format_number(result.total_kg, lang), format_percent(100, lang)]],
            caption=t("by_stage"),
        )
    )
    top = result.components.head(TOP_COMPONENTS)
    rows = [
        [
            str(item),
            f"{format_number(quantity, lang)} {unit}",
            format_number(kg_co2e, lang),
            format_percent(100 * kg_co2e / total, lang),
            str(factor_key),
            str(factor_source),
        ]
        for item, quantity, unit, kg_co2e, factor_key, factor_source in zip(
            top["item"],
            top["quantity"],
            top["unit"],
            top["total"],
            top["factor_key"],
            top["factor_source"],
            strict=True,
        )
    ]
    rest = result.components.iloc[TOP_COMPONENTS:]
    if len(rest):
        share = format_percent(100 * float(rest["total"].sum()) / total, lang)
        rows.append([t("more_components", count=len(rest), share=share), "", "", "", "", ""])
    blocks.append(
        Table(
            header=[t("component"), t("quantity"), kg, t("share"), t("factor"), t("source")],
            rows=rows,
            caption=t("by_component"),
            align=["left", "right", "right", "right", "left", "left"],
        )
    )
    if with_charts and len(result.components):
        fig = pcf_figure(result, lang)
        caption = t("chart_caption", product=result.product)
        blocks.append(Figure(charts.to_png(fig), caption, alt=caption))
    if result.centres:
        blocks.append(
            Table(
                header=[
                    t("centre"),
                    t("output_t"),
                    t("energy_kwh_per_kg"),
                    t("processing_per_kg"),
                    t("waste_per_kg"),
                ],
                rows=[
                    [
                        c.centre,
                        format_number(c.output_kg / 1000, lang),
                        format_number(sum(c.energy_kwh.values()) / c.output_kg, lang),
                        format_number(c.processing_per_kg, lang, decimals=4),
                        format_number(c.waste_per_kg, lang, decimals=4),
                    ]
                    for c in result.centres
                ],
                caption=t("centres"),
            )
        )
    for note in result.assumptions:
        text = note.text(lang) if isinstance(note, Msg) else str(note)
        blocks.append(Paragraph(text, style="note"))
    return Section(f"{t('product')}: {result.product}", blocks, level=2)
