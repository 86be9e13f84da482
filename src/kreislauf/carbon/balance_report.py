"""The GHG balance as report sections of the shared renderer (:mod:`kreislauf.report`).

Sections: scope totals with their ranges and data quality, a chart by scope and Scope-3
category (the one chart style, :mod:`kreislauf.charts`), the years against the base year,
the line table naming factor and source of every line, the factors used, method notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from matplotlib.ticker import FuncFormatter

from kreislauf import __version__, charts
from kreislauf.carbon.balance import SCOPES, GhgBalance
from kreislauf.carbon.uncertainty import QUALITY_HALF_WIDTH
from kreislauf.i18n import Lang, format_number, translate
from kreislauf.report import (
    Block,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Report,
    Section,
    Table,
)


def _t(key: str, lang: Lang, **params: object) -> str:
    return translate(f"carbon.{key}", lang, **params)


def _n(value: float | None, lang: Lang, decimals: int = 1) -> str:
    return format_number(value, lang, decimals=decimals)


def scope_chart(balance: GhgBalance, lang: Lang) -> bytes:
    """Horizontal bars [t CO2e]: Scope 1, Scope 2 (both methods), each Scope-3 category."""
    labels = [_t(f"scope.{s}", lang) for s in SCOPES[:3]]
    values = [balance.totals[s] for s in SCOPES[:3]]
    colours = [charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[4]]
    for category, value in balance.scope3_by_category.items():
        labels.append("Scope 3 · " + _t(f"cat3.{category}", lang))
        values.append(value)
        colours.append(charts.PALETTE[2])
    fig = charts.new_figure(16.0, 1.2 + 0.6 * len(labels))
    ax = fig.add_subplot()
    positions = np.arange(len(labels))[::-1]
    ax.barh(positions, values, color=colours, height=0.6)
    ax.set_yticks(positions, labels, fontsize=7.5, color=charts.INK)
    ax.set_xlabel("t CO2e", fontsize=8, color=charts.MUTED)
    for position, value in zip(positions, values, strict=True):
        ax.text(value, position, " " + _n(value, lang), va="center", fontsize=7, color=charts.INK)
    ax.set_xlim(0, max(values or [1.0]) * 1.18 or 1.0)
    charts.style_axes(ax, grid_axis="x")
    return charts.to_png(fig)


def years_chart(balance: GhgBalance, lang: Lang) -> bytes:
    """Grouped bars per year [t CO2e]: Scope 1, Scope 2 (market-based), Scope 3.

    A linear axis, so that bar lengths compare as the emissions do; each bar carries its
    value, so that a small scope beside a large one stays readable.
    """
    shown = ("scope1", "scope2_market", "scope3")
    years = [y.year for y in balance.years]
    fig = charts.new_figure(16.0, 6.0)
    ax = fig.add_subplot()
    positions = np.arange(len(years))
    width = 0.8 / len(shown)
    for index, scope in enumerate(shown):
        values = [y.totals[scope] for y in balance.years]
        bars = ax.bar(
            positions + (index - 1) * width,
            values,
            width=width,
            color=charts.PALETTE[index],
            label=_t(f"scope.{scope}", lang),
        )
        ax.bar_label(
            bars, labels=[_n(v, lang) for v in values], fontsize=6, color=charts.INK, padding=1
        )
    labels = [
        y
        + (f"\n({_t('base_year', lang)})" if y == balance.base_year else "")
        + (f"\n({_t('reporting_year', lang)})" if y == balance.reporting_year else "")
        for y in years
    ]
    ax.set_xticks(positions, labels, fontsize=7.5, color=charts.INK)
    ax.set_ylabel("t CO2e", fontsize=8, color=charts.MUTED)
    values = [y.totals[s] for y in balance.years for s in shown]
    lowest, highest = min([0.0, *values]), max([0.0, *values])
    ax.set_ylim(lowest * 1.12, highest * 1.12 or 1.0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _n(v, lang, 0)))
    ax.legend(fontsize=7, frameon=False)
    charts.style_axes(ax, grid_axis="y")
    return charts.to_png(fig)


def balance_sections(balance: GhgBalance, lang: Lang, *, with_chart: bool = True) -> list[Section]:
    """The balance part of the carbon report: the reporting year, then every year."""
    u = balance.uncertainty
    year = balance.reporting_year or "–"
    figures = [
        KeyFigure(
            _n(balance.totals[s], lang),
            _t(f"scope.{s}", lang) + f" {year} [t CO2e]",
            f"{_n(u[s].low_t, lang)} – {_n(u[s].high_t, lang)}",
        )
        for s in SCOPES
    ]
    header = [_t("col.scope", lang), _t("col.co2e_t", lang), _t("col.low", lang)]
    header += [_t("col.high", lang), _t("col.quality", lang)]
    rows = [
        [
            _t(f"scope.{s}", lang),
            _n(balance.totals[s], lang, 3),
            _n(u[s].low_t, lang, 3),
            _n(u[s].high_t, lang, 3),
            _n(u[s].quality_score, lang, 1),
        ]
        for s in SCOPES
    ]
    rows += [
        [_t("scope.total_location", lang), _n(balance.total_location_t, lang, 3), "", "", ""],
        [_t("scope.total_market", lang), _n(balance.total_market_t, lang, 3), "", "", ""],
    ]
    blocks: list[Block] = [
        Paragraph(_t("report.reporting_year", lang, year=year, base=balance.base_year or "–")),
        KeyFigures(figures),
        Table(header, rows),
    ]
    if balance.scope3_by_category:
        blocks.append(
            Table(
                [_t("col.category", lang), _t("col.co2e_t", lang)],
                [
                    [_t(f"cat3.{c}", lang), _n(v, lang, 3)]
                    for c, v in balance.scope3_by_category.items()
                ],
            )
        )
    if with_chart:
        blocks.append(
            Figure(
                scope_chart(balance, lang),
                _t("report.chart", lang),
                alt=_t("report.chart", lang),
            )
        )
    sections = [Section(_t("balance.title", lang), blocks, anchor="balance")]
    sections.append(_years(balance, lang))
    sections.append(_lines(balance, lang))
    sections.append(_factors_used(balance, lang))
    sections.append(_method(lang))
    return sections


def _years(balance: GhgBalance, lang: Lang) -> Section:
    header = [_t("col.year", lang)] + [_t(f"scope.{s}", lang) for s in SCOPES]
    header.append(_t("col.change", lang) + " Scope 1+2(m)+3")
    rows = []
    for year in balance.years:
        change = [year.change[s] for s in ("scope1", "scope2_market", "scope3")]
        total_change = None if any(c is None for c in change) else sum(change)  # type: ignore[arg-type]
        label = (
            year.year
            + (f" ({_t('base_year', lang)})" if year.year == balance.base_year else "")
            + (f" ({_t('reporting_year', lang)})" if year.year == balance.reporting_year else "")
        )
        if balance.months.get(year.year, 12) < 12:
            label += " · " + _t("months", lang, count=balance.months[year.year])
        rows.append(
            [label, *(_n(year.totals[s], lang, 2) for s in SCOPES), _n(total_change, lang, 2)]
        )
    blocks: list[Block] = [Table(header, rows)]
    if balance.years:
        chart = _t("report.years_chart", lang)
        blocks.append(Figure(years_chart(balance, lang), chart, alt=chart))
    return Section(_t("balance.by_period", lang), blocks, anchor="years")


#: scope, category, year, activity, unit, factor key, value and unit, reason, source file
_LineKey = tuple[str, str, str, str, str, str, float, str, str, str]


@dataclass
class _LineGroup:
    """Balance lines that share a :data:`_LineKey`: summed amount [line unit] and CO2e [t],
    and their row numbers in the source file."""

    amount: float = 0.0
    co2e: float = 0.0
    rows: list[int] = field(default_factory=list)


def _lines(balance: GhgBalance, lang: Lang) -> Section:
    """Lines grouped by scope, category, year, activity and factor; rows listed by file."""
    groups: dict[_LineKey, _LineGroup] = {}
    for line in balance.lines:
        key = (
            line.scope,
            line.category,
            line.period[:4],
            line.activity,
            line.unit,
            line.factor_key,
            line.factor_value,
            line.factor_unit,
            line.reason,
            line.source_file,
        )
        group = groups.setdefault(key, _LineGroup())
        group.amount += line.amount
        group.co2e += line.co2e_t
        group.rows.append(line.source_row)
    header = [
        _t("col.year", lang) + " · " + _t("col.scope", lang),
        _t("col.activity", lang),
        _t("col.amount", lang),
        _t("col.factor", lang),
        _t("col.line", lang),
        _t("col.co2e_t", lang),
    ]
    ordered = sorted(groups.items(), key=lambda kv: (SCOPES.index(kv[0][0]), kv[0][2], -kv[1].co2e))
    rows = [
        [
            f"{key[2]} · "
            + _t(f"scope_short.{key[0]}", lang)
            + (f" · {key[1]}" if key[0] == "scope3" else ""),
            key[3],
            f"{_n(group.amount, lang, 0)} {key[4]}",
            f"{key[5]} = {factor_value_text(key[6], lang)} {key[7]} ({key[8]})",
            _rows_text(key[9], group.rows, lang),
            _n(group.co2e, lang, 3),
        ]
        for key, group in ordered
    ]
    blocks: list[Block] = [
        Paragraph(_t("report.lines_note", lang, count=len(balance.lines)), "note"),
        Table(header, rows, align=["left", "left", "right", "left", "left", "right"]),
    ]
    return Section(_t("report.lines", lang), blocks, anchor="lines")


def factor_value_text(value: float, lang: Lang) -> str:
    """A factor value with up to 6 decimals and no trailing zeros (``0,4``; ``2.861,58``)."""
    text = format_number(value, lang, decimals=6)
    separator = "," if lang == "de" else "."
    return text.rstrip("0").rstrip(separator) if separator in text else text


def _rows_text(source: str, rows: list[int], lang: Lang) -> str:
    if len(rows) == 1:
        return f"{source}:{rows[0]}"
    return _t("report.rows", lang, file=source, count=len(rows), first=min(rows), last=max(rows))


def _factors_used(balance: GhgBalance, lang: Lang) -> Section:
    seen: dict[tuple[str, int | None], list[str]] = {}
    for line in balance.lines:
        seen.setdefault(
            (line.factor_key, line.factor_year),
            [
                line.factor_key,
                factor_value_text(line.factor_value, lang) + " " + line.factor_unit,
                str(line.factor_year or "–"),
                str(line.quality),
                line.factor_source,
            ],
        )
    header = [_t(f"col.{c}", lang) for c in ("key", "value", "year", "quality", "source")]
    return Section(
        _t("report.factors", lang),
        [Table(header, list(seen.values()), align=["left", "right", "left", "right", "left"])],
        anchor="factors",
    )


def _method(lang: Lang) -> Section:
    widths = ", ".join(f"{q}: ±{int(h * 100)} %" for q, h in QUALITY_HALF_WIDTH.items())
    return Section(
        _t("report.method", lang),
        [Paragraph(_t(f"report.method_{n}", lang, widths=widths), "note") for n in (1, 2, 3, 4)],
        anchor="method",
    )


def carbon_report(
    balance: GhgBalance,
    *,
    lang: Lang,
    extra_sections: Sequence[Section] = (),
    with_chart: bool = True,
) -> Report:
    """The carbon report: the balance sections, then ``extra_sections`` (PCF, measures)."""
    return Report(
        title=_t("report.title", lang),
        subtitle=_t(
            "report.subtitle",
            lang,
            year=balance.reporting_year or "–",
            base=balance.base_year or "–",
        ),
        lang=lang,
        meta=[
            (_t("report.meta_source", lang), ", ".join(balance.sources)),
            (
                _t("report.meta_created", lang),
                f"{date.today().isoformat()} · kreislauf {__version__}",
            ),
        ],
        sections=[*balance_sections(balance, lang, with_chart=with_chart), *extra_sections],
        footer=f"kreislauf {__version__} · {', '.join(balance.sources)}",
    )
