"""The forecast chart: history, forecast mean, its 80 % interval and the seasonal naive
baseline of one series, in the style of :mod:`kreislauf.charts`.

Sized for a phone (10 cm wide: at 390 px the text stays at about its printed size);
the page shows it as SVG (:func:`kreislauf.ledger.charts.figure_svg`, text kept as text)
with the numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kreislauf import charts
from kreislauf.exchange.forecast import SEASON
from kreislauf.exchange.models import SeriesForecast

WIDTH_CM = 10.0
HEIGHT_CM = 7.0
#: History months shown before the forecast (the rest is cut for readability).
SHOWN_HISTORY = 36


@dataclass(frozen=True)
class ChartLabels:
    """The chart's texts in the page's language."""

    history: str
    mean: str
    interval: str
    baseline: str
    unit: str


def seasonal_naive(quantities: Sequence[float], horizon: int) -> list[float]:
    """The seasonal naive forecast [t]: each month's value of one season earlier.

    The same forecast as statsforecast's ``SeasonalNaive(season_length=12)``; with fewer
    than 12 months, the last value (naive).
    """
    values = [float(v) for v in quantities]
    if not values:
        return []
    if len(values) < SEASON:
        return [values[-1]] * horizon
    last = values[-SEASON:]
    return [last[h % SEASON] for h in range(horizon)]


def forecast_figure(
    periods: Sequence[str],
    quantities: Sequence[float],
    forecast: SeriesForecast,
    labels: ChartLabels,
) -> Figure:
    """History [t/month] and ``forecast`` (mean, 80 % band) with the seasonal naive line."""
    periods, quantities = list(periods)[-SHOWN_HISTORY:], list(quantities)[-SHOWN_HISTORY:]
    ahead = [p.period for p in forecast.forecast]
    names = [*periods, *ahead]
    x_hist = np.arange(len(periods))
    x_ahead = np.arange(len(periods), len(names))
    fig = charts.new_figure(WIDTH_CM, HEIGHT_CM)
    ax = fig.add_subplot()
    charts.style_axes(ax, grid_axis="y")
    lo = [p.lo_80 for p in forecast.forecast]
    hi = [p.hi_80 for p in forecast.forecast]
    ax.fill_between(x_ahead, lo, hi, color=charts.PRIMARY, alpha=0.2, linewidth=0,
                    label=labels.interval, zorder=1)  # fmt: skip
    ax.plot(x_hist, quantities, color=charts.INK, linewidth=1.2, label=labels.history, zorder=3)
    ax.plot(x_ahead, [p.mean for p in forecast.forecast], color=charts.PRIMARY,
            linewidth=1.8, marker="o", markersize=2.5, label=labels.mean, zorder=4)  # fmt: skip
    baseline = seasonal_naive(list(quantities), len(ahead))
    ax.plot(x_ahead, baseline, color=charts.ACCENT, linewidth=1.2, linestyle="--",
            label=labels.baseline, zorder=2)  # fmt: skip
    ax.set_ylim(bottom=0)
    ax.set_ylabel(labels.unit, color=charts.INK, fontsize=8, fontfamily=charts.FONT_FAMILY)
    ticks = [i for i, name in enumerate(names) if name.endswith("-01")] or [0]
    ax.set_xticks(ticks, [names[i][:4] for i in ticks])
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.axvline(len(periods) - 0.5, color=charts.MUTED, linewidth=0.6, linestyle=":")
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2,
                       frameon=False, fontsize=7.5)  # fmt: skip
    for text in legend.get_texts():
        text.set_color(charts.INK)
        text.set_fontfamily(charts.FONT_FAMILY)
    return fig
