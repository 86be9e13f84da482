"""The ledger report: KPIs, MFCA and Sankey diagrams of a :class:`Ledger` as a document.

Built into the shared document model (:mod:`kreislauf.report`) and written with
:func:`kreislauf.report.write_report`, like every report of kreislauf. The report shows its
working: the data basis (files, rows, periods, sites, centres), the mass-balance warnings,
the formula and source of every KPI and the allocation rules of the MFCA.

References
----------
VDI 4800-1:2016, Resource efficiency — Methodological principles and strategies.
ISO 14051:2011, Environmental management — Material flow cost accounting — General
framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kreislauf import __version__, charts
from kreislauf.i18n import DEFAULT_LANG, Lang, format_integer, format_number, format_percent
from kreislauf.i18n import translate as _translate
from kreislauf.ledger.charts import loss_cost_figure, sankey_figure
from kreislauf.ledger.kpis import KPI_DEFINITIONS, GroupKey, KpiTable, KpiValue, ledger_kpis
from kreislauf.ledger.mfca import Allocation, BalanceWarning, Key, MfcaResult, mfca_balance
from kreislauf.ledger.models import FLOW_KINDS, Ledger
from kreislauf.ledger.sankey import sankey_data
from kreislauf.report import (
    Block,
    Callout,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Report,
    Section,
    Table,
)

#: Decimals shown per KPI unit; percentages use :func:`format_percent`'s one decimal.
_DECIMALS = {"t": 1, "%": 1, "MWh": 1, "kWh/t": 0, "m³/t": 2, "EUR": 0}
#: Balance warnings listed one by one in the report; the rest are counted.
_WARNINGS_SHOWN = 30


@dataclass(frozen=True)
class _Context:
    lang: Lang
    ledger: Ledger
    mfca: MfcaResult
    totals: dict[str, KpiValue]
    period_text: str
    with_charts: bool = True

    def t(self, key: str, **params: object) -> str:
        return _translate(f"ledger.report.{key}", self.lang, **params)


def ledger_report(
    ledger: Ledger,
    *,
    lang: Lang = DEFAULT_LANG,
    by: Sequence[GroupKey] = ("site", "period"),
    mfca: MfcaResult | None = None,
    with_charts: bool = True,
) -> Report:
    """The complete ledger report in ``lang``.

    Parameters
    ----------
    ledger : the validated flows.
    lang : language of every text and number format (German by default).
    by : split of the KPI tables (``()`` = only the whole-ledger table); with ``period``
        each value shows the change vs the previous period of the same site.
    mfca : the MFCA of the same ledger; computed with the default allocation if not given.
    with_charts : draw the loss-cost chart and the material and energy Sankey diagrams.

    Returns
    -------
    Report
        sections: summary, KPIs, MFCA, flows (Sankey), mass balances, data basis, method.
    """
    mfca = mfca if mfca is not None else mfca_balance(ledger)
    totals = {v.id: v for v in ledger_kpis(ledger, mfca=mfca).values}
    periods = ledger.periods
    period_text = (
        _translate(
            "ledger.report.period_range",
            lang,
            first=periods[0],
            last=periods[-1],
            count=len(periods),
        )
        if periods
        else "–"
    )
    ctx = _Context(lang, ledger, mfca, totals, period_text, with_charts)
    group: tuple[GroupKey, ...] = tuple(k for k in ("site", "period") if k in by)
    sections = [
        _summary(ctx),
        _kpis(ctx, group),
        _mfca(ctx, with_charts=with_charts),
    ]
    if with_charts:
        sections.append(_flows(ctx))
    sections += [_balances(ctx), _data_basis(ctx), _method(ctx)]
    files = ", ".join(ledger.sources)
    return Report(
        title=ctx.t("title"),
        subtitle=ctx.t("subtitle", sites=", ".join(ledger.sites), periods=period_text),
        lang=lang,
        meta=[
            (ctx.t("meta_files"), files),
            (ctx.t("meta_flows"), format_integer(len(ledger.flows), lang)),
            (ctx.t("meta_periods"), period_text),
            (
                ctx.t("meta_created"),
                ctx.t("created", date=date.today().isoformat(), version=__version__),
            ),
        ],
        sections=sections,
        footer=ctx.t("footer", version=__version__, files=files),
    )


def _value(value: float | None, unit: str, lang: Lang) -> str:
    return format_number(value, lang, decimals=_DECIMALS.get(unit, 2))


def _change(value: float | None, unit: str, lang: Lang) -> str:
    if value is None:
        return "–"
    text = _value(abs(value), unit, lang)
    if text.strip("0,.") == "":
        return text
    return ("+" if value > 0 else "−") + text


def _kpi_name(kpi_id: str, lang: Lang) -> str:
    return _translate(f"ledger.kpi.{kpi_id}", lang)


def _summary(ctx: _Context) -> Section:
    lang, totals, mfca = ctx.lang, ctx.totals, ctx.mfca
    ledger = ctx.ledger

    def kpi(kpi_id: str) -> float:
        return totals[kpi_id].value

    lead = ctx.t(
        "summary_lead",
        rows=format_integer(len(ledger.flows), lang),
        sites=len(ledger.sites),
        centres=len(ledger.centres),
        periods=ctx.period_text,
        loss=format_number(mfca.total.loss_cost_eur, lang, decimals=0),
        share=format_percent(mfca.total.loss_share, lang),
    )
    figures = [
        KeyFigure(
            f"{_value(kpi('material_input_t'), 't', lang)} t",
            ctx.t("kf_material"),
            ctx.t("kf_material_detail", share=format_percent(kpi("recycled_input_share"), lang)),
        ),
        KeyFigure(
            format_percent(kpi("material_yield"), lang),
            ctx.t("kf_yield"),
            ctx.t("kf_yield_detail"),
        ),
        KeyFigure(
            f"{_value(kpi('energy_use_mwh'), 'MWh', lang)} MWh",
            ctx.t("kf_energy"),
            ctx.t(
                "kf_energy_detail",
                value=_value(kpi("specific_energy_kwh_per_t"), "kWh/t", lang),
            ),
        ),
        KeyFigure(
            f"{_value(mfca.total.loss_cost_eur, 'EUR', lang)} EUR",
            ctx.t("kf_loss"),
            ctx.t("kf_loss_detail", share=format_percent(mfca.total.loss_share, lang)),
        ),
    ]
    return Section(ctx.t("summary"), [Paragraph(lead, style="lead"), KeyFigures(figures)])


def _kpis(ctx: _Context, group: tuple[GroupKey, ...]) -> Section:
    lang = ctx.lang
    header = [
        _translate("ledger.col.kpi", lang),
        _translate("ledger.col.value", lang),
        _translate("ledger.col.unit", lang),
    ]
    rows = [
        [_kpi_name(d.id, lang), _value(ctx.totals[d.id].value, d.unit, lang), d.unit]
        for d in KPI_DEFINITIONS
    ]
    blocks: list[Block] = [
        Table(header, rows, caption=ctx.t("kpis_total_caption"), align=["left", "right", "left"])
    ]
    if len(ctx.ledger.periods) > 1:
        blocks += _trends(ctx)
    if group:
        by_name = ctx.t(f"by.{'_'.join(group)}")
        blocks.append(Paragraph(ctx.t("kpis_by", by=by_name), style="lead"))
        blocks += _kpi_tables(ctx, ledger_kpis(ctx.ledger, by=group, mfca=ctx.mfca))
    return Section(ctx.t("kpis"), blocks)


def _trends(ctx: _Context) -> list[Block]:
    """The latest period against the one before, judged per KPI (better/worse), and the
    trend of every KPI as small multiples (when charts are drawn)."""
    from kreislauf.ledger.trends import KPI_BETTER, verdict

    lang, periods = ctx.lang, [str(p) for p in ctx.ledger.periods]
    by_period = ledger_kpis(ctx.ledger, by=("period",), mfca=ctx.mfca).values
    series: dict[str, list[float | None]] = {}
    latest: dict[str, KpiValue] = {}
    position = {p: i for i, p in enumerate(periods)}
    for value in by_period:
        series.setdefault(value.id, [None] * len(periods))[position[str(value.period)]] = (
            value.value
        )
        if str(value.period) == periods[-1]:
            latest[value.id] = value
    header = [_translate("ledger.col.kpi", lang), periods[-1],
              ctx.t("trend_change", previous=periods[-2]), ctx.t("trend_verdict"),
              _translate("ledger.col.unit", lang)]  # fmt: skip
    rows = []
    for d in KPI_DEFINITIONS:
        current = latest.get(d.id)
        change = current.change if current is not None else None
        judged = verdict(change, KPI_BETTER.get(d.id, "none"), decimals=_DECIMALS.get(d.unit, 2))
        arrow = ""
        if change is not None and round(change, _DECIMALS.get(d.unit, 2)) != 0:
            arrow = "▲ " if change > 0 else "▼ "
        word = ctx.t(f"verdict_{judged}") if judged and KPI_BETTER.get(d.id) != "none" else "–"
        shown = _value(current.value if current else None, d.unit, lang)
        change_text = arrow + _change(change, d.unit, lang)
        rows.append([_kpi_name(d.id, lang), shown, change_text, word, d.unit])
    blocks: list[Block] = [
        Table(
            header,
            rows,
            caption=ctx.t("trend_caption"),
            align=["left", "right", "right", "left", "left"],
        )
    ]
    if ctx.with_charts:
        from kreislauf.ledger.charts import kpi_trends_figure

        figure = kpi_trends_figure(series, periods, lang=lang)
        blocks.append(Figure(charts.to_png(figure), ctx.t("trend_chart"), alt=ctx.t("trend_chart")))
    return blocks


#: The KPIs of each split table: mass flows, then energy, water and cost (fits A4 portrait).
_KPI_GROUPS = (
    ("material_input_t", "recycled_input_share", "material_yield", "waste_ratio",
     "waste_recycling_rate"),
    ("energy_use_mwh", "specific_energy_kwh_per_t", "water_intensity_m3_per_t",
     "material_loss_cost_eur"),
)  # fmt: skip


def _kpi_tables(ctx: _Context, table: KpiTable) -> list[Block]:
    """Two tables, a row per site and/or period; with a period split each cell also shows
    the change vs the previous period of the same site in brackets."""
    lang = ctx.lang
    with_change = "period" in table.by
    one_site = len(ctx.ledger.sites) == 1 and "period" in table.by
    keys = [k for k in table.by if not (k == "site" and one_site)]
    units = {d.id: d.unit for d in KPI_DEFINITIONS}
    rows_of: dict[tuple[str, str], dict[str, KpiValue]] = {}
    for value in table.values:
        rows_of.setdefault((value.site, value.period), {})[value.id] = value
    caption = ctx.t("kpi_caption" if with_change else "kpi_caption_plain")
    blocks: list[Block] = []
    for ids in _KPI_GROUPS:
        header = [_translate(f"ledger.col.{k}", lang) for k in keys]
        header += [f"{_kpi_name(i, lang)} [{units[i]}]" for i in ids]
        rows = []
        for (site, period), values in rows_of.items():
            cells = [site if k == "site" else period for k in keys]
            for kpi_id in ids:
                v = values[kpi_id]
                text = _value(v.value, v.unit, lang)
                if with_change and v.change is not None:
                    text += f" ({_change(v.change, v.unit, lang)})"
                cells.append(text)
            rows.append(cells)
        align = ["left"] * len(keys) + ["right"] * len(ids)
        blocks.append(Table(header, rows, caption=caption, align=align))  # type: ignore[arg-type]
    return blocks


def _mfca(ctx: _Context, *, with_charts: bool) -> Section:
    lang, result = ctx.lang, ctx.mfca
    multi_site = len({c.site for c in result.centres}) > 1
    keys = ["centre", "input_t", "product_t", "loss_t", "product_cost", "loss_cost", "loss_share"]
    if multi_site:
        keys.insert(0, "site")
    header = [_translate(f"ledger.col.{k}", lang) for k in keys]
    rows = []
    for c in result.centres:
        total = c.product_cost_eur + c.loss_cost_eur
        cells = [
            c.centre,
            *(_value(v, "t", lang) for v in (c.input_mass_t, c.product_mass_t, c.loss_mass_t)),
            *(_value(v, "EUR", lang) for v in (c.product_cost_eur, c.loss_cost_eur)),
            format_percent(100 * c.loss_cost_eur / total if total else None, lang),
        ]
        rows.append([c.site, *cells] if multi_site else cells)
    t = result.total
    footer = [
        [
            _translate("ledger.total", lang),
            *([""] * (len(keys) - 4)),
            _value(t.product_cost_eur, "EUR", lang),
            _value(t.loss_cost_eur, "EUR", lang),
            format_percent(t.loss_share, lang),
        ]
    ]
    align = ["left"] * (2 if multi_site else 1) + ["right"] * (7 - 1)
    blocks: list[Block] = [
        Paragraph(ctx.t("mfca_lead")),
        Table(header, rows, caption=ctx.t("mfca_caption"), footer=footer, align=align),  # type: ignore[arg-type]
    ]
    if with_charts and result.centres:
        blocks.append(
            Figure(
                charts.to_png(loss_cost_figure(result, lang=lang)),
                ctx.t("loss_chart_caption"),
                alt=ctx.t("loss_chart_alt"),
            )
        )
    return Section(ctx.t("mfca"), blocks)


def _flows(ctx: _Context) -> Section:
    blocks: list[Block] = []
    for kind in ("material", "energy"):
        data = sankey_data(ctx.ledger, kind=kind, lang=ctx.lang)
        if not data.links:
            continue
        blocks.append(
            Figure(
                charts.to_png(sankey_figure(data, lang=ctx.lang)),
                ctx.t("sankey_caption", title=data.title, periods=ctx.period_text),
                alt=ctx.t("sankey_alt", title=data.title),
            )
        )
    return Section(ctx.t("sankey"), blocks)


def balance_warning_text(warning: BalanceWarning, lang: Lang = DEFAULT_LANG) -> str:
    """One mass-balance warning as a sentence: where, input, output, difference [t], share."""
    share = 100 * warning.difference_kg / warning.input_kg if warning.input_kg else None
    return _translate(
        "ledger.balance_warning",
        lang,
        site=warning.site,
        period=warning.period,
        centre=warning.centre,
        input=format_number(warning.input_kg / 1000, lang),
        output=format_number(warning.output_kg / 1000, lang),
        difference=format_number(warning.difference_kg / 1000, lang),
        share=format_percent(share, lang),
    )


def _balances(ctx: _Context) -> Section:
    tolerance = format_percent(100 * ctx.mfca.tolerance, ctx.lang, decimals=0)
    count = len(ctx.mfca.warnings)
    if not count:
        callout = Callout(ctx.t("balance_ok", tolerance=tolerance), [], tone="ok")
    else:
        items = [balance_warning_text(w, ctx.lang) for w in ctx.mfca.warnings[:_WARNINGS_SHOWN]]
        if count > _WARNINGS_SHOWN:
            items.append(ctx.t("more", count=count - _WARNINGS_SHOWN))
        callout = Callout(
            ctx.t("balance_warnings", count=count, tolerance=tolerance), items, tone="warning"
        )
    return Section(ctx.t("balance"), [callout, Paragraph(ctx.t("balance_note"), style="note")])


def _data_basis(ctx: _Context) -> Section:
    lang, ledger = ctx.lang, ctx.ledger
    counts = ledger.flows["flow"].value_counts()
    per_kind = ", ".join(
        f"{kind} {format_integer(int(counts[kind]), lang)}"
        for kind in FLOW_KINDS
        if counts.get(kind, 0)
    )
    centres: dict[str, list[str]] = {}
    for site, centre in ledger.centres:
        centres.setdefault(site, []).append(centre)
    multi_site = len(centres) > 1
    centre_text = "; ".join(
        f"{site}: {', '.join(names)}" if multi_site else ", ".join(names)
        for site, names in centres.items()
    )
    rows = [
        [ctx.t("data_files"), ", ".join(ledger.sources)],
        [ctx.t("data_rows"), format_integer(len(ledger.flows), lang)],
        [ctx.t("data_duplicates"), format_integer(ledger.duplicates_removed, lang)],
        [ctx.t("data_periods"), ctx.period_text],
        [ctx.t("data_sites"), ", ".join(ledger.sites)],
        [ctx.t("data_centres"), centre_text],
        [ctx.t("data_flow_rows"), per_kind],
    ]
    header = [ctx.t("col_item"), ctx.t("col_detail")]
    return Section(ctx.t("data"), [Table(header, rows, align=["left", "left"])])


def _key_text(ctx: _Context, key: Key) -> str:
    if isinstance(key, str):
        return ctx.t(f"key.{key}")
    return ctx.t("key.share", share=format_percent(100 * float(key), ctx.lang, decimals=0))


def _method(ctx: _Context) -> Section:
    lang = ctx.lang
    allocation: Allocation = ctx.mfca.allocation
    header = [
        _translate("ledger.col.kpi", lang),
        _translate("ledger.col.unit", lang),
        ctx.t("col_formula"),
        ctx.t("col_source"),
    ]
    rows = [[_kpi_name(d.id, lang), d.unit, d.formula, d.source] for d in KPI_DEFINITIONS]
    texts = [
        ctx.t("method_kpis"),
        ctx.t(
            "method_mfca",
            material=_key_text(ctx, allocation.material),
            energy=_key_text(ctx, allocation.energy),
            system=_key_text(ctx, allocation.system),
            waste_management=_key_text(ctx, allocation.waste_management),
            byproducts=ctx.t(f"byproducts.{allocation.byproducts}"),
        ),
        ctx.t(
            "method_balance",
            tolerance=format_percent(100 * ctx.mfca.tolerance, lang, decimals=0),
        ),
        ctx.t("method_periods"),
    ]
    blocks: list[Block] = [Paragraph(text, style="note") for text in texts]
    blocks.append(Paragraph(ctx.t("method_symbols"), style="note"))
    blocks.append(
        Table(
            header,
            rows,
            caption=ctx.t("kpi_table_caption"),
            align=["left", "left", "left", "left"],
        )
    )
    return Section(ctx.t("method"), blocks)
