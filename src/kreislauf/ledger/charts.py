"""Charts of a ledger: the Sankey diagram (static and interactive) and the loss-cost chart.

Static charts are matplotlib figures in the shared style of :mod:`kreislauf.charts`, drawn
here without a browser; :func:`figure_svg` keeps text as ``<text>`` so labels stay
searchable. The interactive Sankey is a self-contained HTML page with plotly.js embedded
(works offline).
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import plotly.graph_objects as go
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from kreislauf.charts import ACCENT, FONT_FAMILY, GRID, INK, MUTED, PRIMARY, new_figure
from kreislauf.i18n import DEFAULT_LANG, Lang, format_number, translate
from kreislauf.ledger.mfca import COST_CATEGORIES, MfcaResult
from kreislauf.ledger.sankey import SankeyData

_NODE_WIDTH = 0.018  # [axes fraction]
_GAP = 0.035  # [axes fraction] between nodes of one column
_MIN_SLOT = 0.055  # [axes fraction] height kept free for a node's two-line label
_CATEGORY_COLOURS = {
    "material": PRIMARY,
    "energy": ACCENT,
    "system": MUTED,
    "waste_management": "#8fb4d9",
}


def figure_svg(fig: Figure) -> str:
    """``fig`` as SVG text with text kept as ``<text>`` elements (searchable, accessible)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kreislauf"}):
        fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    return buffer.getvalue()


def _columns(data: SankeyData) -> dict[str, int]:
    """Column of each node: longest path from a source; nodes without outputs go last."""
    column = dict.fromkeys(data.nodes, 0)
    for _ in range(len(data.nodes)):
        changed = False
        for link in data.links:
            if column[link.target] < column[link.source] + 1:
                column[link.target] = column[link.source] + 1
                changed = True
        if not changed:
            break
    last = max(column.values(), default=0)
    has_output = {link.source for link in data.links}
    return {node: (c if node in has_output else last) for node, c in column.items()}


def _scale(size: dict[str, float], members: list[list[str]]) -> float:
    """Axes height per unit of flow, so that every column fits with its gaps and slots.

    A node takes at least :data:`_MIN_SLOT` of height so that its two-line label does not
    run into its neighbours'; the scale shrinks until every column fits into the axes.
    """
    scale = min(
        (1 - _GAP * (len(nodes) - 1)) / sum(size[n] for n in nodes) for nodes in members if nodes
    )
    for _ in range(50):
        needed = max(
            sum(max(size[n] * scale, _MIN_SLOT) for n in nodes) + _GAP * (len(nodes) - 1)
            for nodes in members
            if nodes
        )
        if needed <= 1.0 + 1e-9:
            break
        scale *= 0.97
    return scale


def sankey_figure(data: SankeyData, *, lang: Lang = DEFAULT_LANG) -> Figure:
    """A static Sankey diagram of ``data``: bands as wide as the flow [t or MWh]."""
    fig = new_figure(16.0, 10.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(data.title, family=FONT_FAMILY, size=9.5, weight="bold", color=INK, loc="left")
    if not data.links:
        return fig
    column = _columns(data)
    n_columns = max(column.values()) + 1
    inflow = dict.fromkeys(data.nodes, 0.0)
    outflow = dict.fromkeys(data.nodes, 0.0)
    for link in data.links:
        outflow[link.source] += link.value
        inflow[link.target] += link.value
    size = {n: max(inflow[n], outflow[n]) for n in data.nodes}
    members = [[n for n in data.nodes if column[n] == c] for c in range(n_columns)]
    scale = _scale(size, members)
    left_margin, right_margin = 0.12, 0.16
    span = 1 - left_margin - right_margin
    x = {n: left_margin + span * column[n] / max(n_columns - 1, 1) for n in data.nodes}
    top: dict[str, float] = {}
    for nodes in members:
        y = 1.0
        for node in nodes:
            height = size[node] * scale
            slot = max(height, _MIN_SLOT)
            top[node] = y - (slot - height) / 2  # a small node sits in the middle of its slot
            y -= slot + _GAP
    out_offset = dict.fromkeys(data.nodes, 0.0)
    in_offset = dict.fromkeys(data.nodes, 0.0)
    for link in sorted(data.links, key=lambda k: (-top[k.source], -top[k.target])):
        height = link.value * scale
        x0, x1 = x[link.source] + _NODE_WIDTH, x[link.target]
        y0 = top[link.source] - out_offset[link.source]
        y1 = top[link.target] - in_offset[link.target]
        out_offset[link.source] += height
        in_offset[link.target] += height
        middle = (x0 + x1) / 2
        path = MplPath(
            [
                (x0, y0),
                (middle, y0),
                (middle, y1),
                (x1, y1),
                (x1, y1 - height),
                (middle, y1 - height),
                (middle, y0 - height),
                (x0, y0 - height),
                (x0, y0),
            ],
            [
                MplPath.MOVETO,
                MplPath.CURVE4,
                MplPath.CURVE4,
                MplPath.CURVE4,
                MplPath.LINETO,
                MplPath.CURVE4,
                MplPath.CURVE4,
                MplPath.CURVE4,
                MplPath.CLOSEPOLY,
            ],
        )
        ax.add_patch(PathPatch(path, facecolor=PRIMARY, alpha=0.25, edgecolor="none"))
    for node in data.nodes:
        height = size[node] * scale
        ax.add_patch(Rectangle((x[node], top[node] - height), _NODE_WIDTH, height, color=PRIMARY))
        is_sink = node not in outflow or outflow[node] == 0
        label = f"{node}\n{format_number(size[node], lang, decimals=1)} {data.unit}"
        ax.text(
            x[node] + (_NODE_WIDTH + 0.006 if is_sink or column[node] > 0 else -0.006),
            top[node] - height / 2,
            label,
            ha="left" if is_sink or column[node] > 0 else "right",
            va="center",
            family=FONT_FAMILY,
            size=7.0,
            color=INK,
        )
    return fig


def loss_cost_figure(result: MfcaResult, *, lang: Lang = DEFAULT_LANG) -> Figure:
    """Material-loss cost per quantity centre [EUR], stacked by MFCA cost category."""
    centres = result.centres
    multi_site = len({c.site for c in centres}) > 1
    labels = [f"{c.site}: {c.centre}" if multi_site else c.centre for c in centres]
    fig = new_figure(16.0, 3.0 + 0.7 * max(len(centres), 1))
    ax = fig.add_subplot()
    ax.set_title(
        translate("ledger.chart.loss_cost", lang),
        family=FONT_FAMILY,
        size=9.5,
        weight="bold",
        color=INK,
        loc="left",
    )
    rows = np.arange(len(centres))[::-1]
    left = np.zeros(len(centres))
    for category in COST_CATEGORIES:
        values = np.array([c.loss_cost_by_category[category] for c in centres])
        ax.barh(
            rows,
            values,
            left=left,
            height=0.6,
            color=_CATEGORY_COLOURS[category],
            label=translate(f"ledger.cost.{category}", lang),
            zorder=2,
        )
        left += values
    for row, total in zip(rows, left, strict=True):
        ax.text(
            total,
            row,
            f" {format_number(total, lang, decimals=0)} EUR",
            va="center",
            family=FONT_FAMILY,
            size=7.5,
            color=INK,
        )
    ax.set_yticks(rows, labels, family=FONT_FAMILY, size=8, color=INK)
    ax.set_xlim(0, max(float(left.max(initial=0)), 1.0) * 1.2)
    ax.grid(axis="x", color=GRID, linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7.5, colors=INK)
    ax.xaxis.set_major_formatter(lambda value, _: format_number(value, lang, decimals=0))
    ax.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=4,
        frameon=False,
        prop={"family": FONT_FAMILY, "size": 7.5},
        borderaxespad=1.6,
    )
    return fig


def sankey_html(data: SankeyData, *, lang: Lang = DEFAULT_LANG) -> str:
    """An interactive Sankey diagram as one self-contained HTML page (plotly.js embedded)."""
    index = {node: i for i, node in enumerate(data.nodes)}
    figure = go.Figure(
        go.Sankey(
            valueformat=".1f",
            valuesuffix=f" {data.unit}",
            node={"label": data.nodes, "color": PRIMARY, "pad": 14, "thickness": 14},
            link={
                "source": [index[link.source] for link in data.links],
                "target": [index[link.target] for link in data.links],
                "value": [link.value for link in data.links],
                "color": "rgba(43, 95, 138, 0.25)",
            },
        )
    )
    figure.update_layout(
        title_text=data.title,
        font_family=FONT_FAMILY,
        font_color=INK,
        separators=",." if lang == "de" else ".,",
    )
    html: str = figure.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    return html


def kpi_trends_figure(
    series: dict[str, list[float | None]],
    periods: list[str],
    *,
    lang: Lang = DEFAULT_LANG,
) -> Figure:
    """Small multiples: one line per KPI over ``periods`` [KPI unit], the last point green
    when it improved on the one before, red when it got worse, grey without judgement
    (:data:`kreislauf.ledger.trends.KPI_BETTER`)."""
    from kreislauf.ledger.kpis import KPI_DEFINITIONS
    from kreislauf.ledger.trends import (
        BETTER_COLOUR,
        KPI_BETTER,
        SAME_COLOUR,
        WORSE_COLOUR,
        verdict,
    )

    ids = [d.id for d in KPI_DEFINITIONS if d.id in series]
    units = {d.id: d.unit for d in KPI_DEFINITIONS}
    columns = 3
    rows = max(1, -(-len(ids) // columns))
    fig = new_figure(17.0, 3.6 * rows)
    for index, kpi_id in enumerate(ids):
        ax = fig.add_subplot(rows, columns, index + 1)
        values = np.array([np.nan if v is None else v for v in series[kpi_id]], dtype=float)
        positions = np.arange(len(values))
        ax.plot(positions, values, color=PRIMARY, linewidth=1.2)
        finite = np.flatnonzero(np.isfinite(values))
        if finite.size:
            last = int(finite[-1])
            change = values[last] - values[last - 1] if last > 0 else None
            judged = verdict(
                None if change is None or not np.isfinite(change) else float(change),
                KPI_BETTER.get(kpi_id, "none"),
            )
            colour = {"better": BETTER_COLOUR, "worse": WORSE_COLOUR}.get(judged or "", SAME_COLOUR)
            ax.plot([last], [values[last]], "o", color=colour, markersize=4.5)
        title = translate(f"ledger.kpi.{kpi_id}", lang)
        ax.set_title(f"{title} [{units[kpi_id]}]", fontsize=7, color=INK, loc="left")
        if periods:
            ax.set_xticks([0, len(periods) - 1], [periods[0], periods[-1]], fontsize=6)
        ax.tick_params(axis="y", labelsize=6, colors=MUTED)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="y", color=GRID, linewidth=0.5)
    return fig
