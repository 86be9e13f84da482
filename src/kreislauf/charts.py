"""The one chart style of kreislauf, on matplotlib's object API.

Every chart is a :class:`matplotlib.figure.Figure` drawn by the Agg backend; nothing here
touches ``pyplot`` or ``matplotlib.rcParams``, so charts can be built concurrently (e.g. by
the web layer) without leaking style into other code. Style properties are set on each
artist explicitly instead.

The palette is calm and colour-blind safe: a dark blue for single-series charts, and a
diverging orange/blue scale with a grey neutral for Likert items (orange and blue stay
distinguishable under protanopia, deuteranopia and tritanopia).

References
----------
Okabe, M., Ito, K. (2008): Color Universal Design (CUD) - How to make figures and
presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
Brewer, C. A. (2002): ColorBrewer, diverging scheme "PuOr". https://colorbrewer2.org
Heiberger, R. M., Robbins, N. B. (2014): Design of Diverging Stacked Bar Charts for Likert
Scales and Other Applications. Journal of Statistical Software 57(5).
https://doi.org/10.18637/jss.v057.i05
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox, ScaledTranslation
from PIL import Image as PILImage

CM_PER_INCH = 2.54
FONT_FAMILY = "DejaVu Sans"

#: Text and lines.
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee3"
#: The colour of single-series charts (bars), and a second accent.
PRIMARY = "#2b5f8a"
ACCENT = "#c26a1b"
#: Several series (Okabe & Ito 2008, colour-blind safe), in the order to use them.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442")
#: Likert, strongly disagree -> strongly agree (ColorBrewer PuOr hues, darkened ends).
LIKERT_5 = ("#b35806", "#f1a340", "#c8ccd0", "#8fb4d9", "#2b5f8a")
NEUTRAL = LIKERT_5[2]

_FONT_SIZE = 8.0  # [pt] at the printed size
_SMALL = FontProperties(family=FONT_FAMILY, size=_FONT_SIZE)
_LABEL = FontProperties(family=FONT_FAMILY, size=_FONT_SIZE + 0.5)
_TITLE = FontProperties(family=FONT_FAMILY, size=_FONT_SIZE + 1.5, weight="bold")
_MIN_LABELLED_SHARE = 8.0  # [%] segments narrower than this carry no value label
_CHAR_CM = 0.16  # [cm] mean width of a DejaVu Sans character at _FONT_SIZE
_ITEM_LABEL_CHARS = 36
_LEGEND_WIDTH_CM = 15.0


def new_figure(width_cm: float, height_cm: float) -> Figure:
    """An empty figure of the given printed size with an Agg canvas attached.

    width_cm, height_cm : printed size [cm]; matches :attr:`kreislauf.report.Figure.width_cm`
    so that text prints at its nominal point size.
    """
    fig = Figure(
        figsize=(width_cm / CM_PER_INCH, height_cm / CM_PER_INCH),
        facecolor="white",
        layout=ConstrainedLayoutEngine(w_pad=0.06, h_pad=0.06),
    )
    FigureCanvasAgg(fig)
    return fig


def to_png(fig: Figure, *, dpi: int = 150) -> bytes:
    """``fig`` as an RGB PNG at ``dpi`` [1/inch], on white, without metadata (reproducible).

    No alpha channel: charts sit on white paper, and an opaque PNG is a third smaller and
    embeds in a PDF without a separate transparency mask.
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    screen_dpi = fig.dpi
    fig.set_dpi(dpi)
    try:
        # backend_agg has no annotations (matplotlib ships none for it)
        canvas.draw()  # type: ignore[no-untyped-call]
        rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    finally:
        fig.set_dpi(screen_dpi)
    alpha = rgba[..., 3:4]
    if alpha.min() == 255:
        rgb = rgba[..., :3]
    else:  # composite transparent parts onto white
        blended = rgba[..., :3] * (alpha / 255.0) + 255.0 * (1.0 - alpha / 255.0)
        rgb = np.round(blended).astype(np.uint8)
    buffer = io.BytesIO()
    PILImage.fromarray(np.ascontiguousarray(rgb), mode="RGB").save(
        buffer, format="png", dpi=(dpi, dpi)
    )
    return buffer.getvalue()


def likert_palette(n_categories: int, neutral_index: int | None) -> list[str]:
    """Colours for ``n_categories`` ordered disagree -> agree.

    Categories before ``neutral_index`` get orange shades (darkest = most disagreeing),
    categories after it blue shades (darkest = most agreeing), the neutral one grey. With
    ``neutral_index=None`` the first half counts as disagreeing.
    """
    n_disagree, n_agree = _side_counts(n_categories, neutral_index)
    disagree = _ramp(LIKERT_5[0], LIKERT_5[1], n_disagree)
    agree = _ramp(LIKERT_5[4], LIKERT_5[3], n_agree)[::-1]
    return disagree + ([NEUTRAL] if neutral_index is not None else []) + agree


def diverging_offsets(
    shares: npt.ArrayLike, *, neutral_index: int | None
) -> npt.NDArray[np.float64]:
    """Left edge of every row of a diverging stacked bar chart [%].

    A row starts at minus the sum of its disagreeing shares and half the neutral share, so
    that the neutral segment is centred on zero.

    shares : ``(items, categories)`` [%], categories ordered disagree -> agree
    """
    values = np.asarray(shares, dtype=np.float64)
    n_disagree, _ = _side_counts(values.shape[1], neutral_index)
    left: npt.NDArray[np.float64] = values[:, :n_disagree].sum(axis=1)
    if neutral_index is not None:
        left = left + values[:, neutral_index] / 2.0
    return -left


def frequency_bar_chart(
    labels: Sequence[str],
    counts: Sequence[float],
    bar_labels: Sequence[str],
    *,
    ylabel: str,
    title: str = "",
) -> Figure:
    """One bar per category with its absolute frequency, as in a JASP/SPSS frequency chart.

    labels : category names along the x axis (wrapped when long)
    counts : absolute frequency per category [-]
    bar_labels : text printed above each bar, usually the formatted percentage ("44 %")
    """
    if not len(labels) == len(counts) == len(bar_labels):
        raise ValueError("labels, counts and bar_labels must have the same length")
    n = len(labels)
    fig = new_figure(16.0, 7.5 if n <= 8 else 9.0)
    ax = fig.add_subplot()
    style_axes(ax, grid_axis="y")
    positions = np.arange(n)
    heights = np.asarray(counts, dtype=float)
    ax.bar(positions, heights, width=0.62, color=PRIMARY, zorder=2)
    # plain texts 2 pt above each bar: much cheaper to lay out than Axes.bar_label
    above = ax.transData + ScaledTranslation(0, 2 / 72, fig.dpi_scale_trans)
    for x, height, text in zip(range(n), heights, bar_labels, strict=True):
        label = ax.text(
            x, height, text, transform=above, ha="center", va="bottom", fontproperties=_SMALL
        )
        label.set_color(INK)
        label.set_in_layout(False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    _frequency_axes(ax, heights, labels)
    ax.set_xlim(-0.6, n - 0.4)
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel(ylabel, fontproperties=_LABEL, color=INK)
    if title:
        ax.set_title(title, fontproperties=_TITLE, color=INK, loc="left")
    return fig


def _frequency_axes(ax: Axes, heights: npt.NDArray[np.float64], labels: Sequence[str]) -> None:
    """The height and the category labels of a frequency bar chart's axes."""
    n = len(labels)
    top = float(heights.max()) if n and heights.max() > 0 else 1.0
    ax.set_ylim(0, top * 1.15)
    width_chars = max(6, int(14.0 / max(n, 1) / _CHAR_CM))
    ax.set_xticks(np.arange(n), [_wrap(label, width_chars) for label in labels])


class FrequencyBarCharts:
    """Many :func:`frequency_bar_chart` PNGs drawn on one reused figure (issue 21).

    A new figure per chart spends about a third of its time building axes, ticks and
    spines, and Matplotlib's constrained layout another third finding the margins. Here the
    figure, its axes and, while the number of bars stays, the bars and their labels are
    kept and only given new heights and texts; the margins are worked out by the layout
    engine once per set of tick and axis labels and reused for every chart that shows the
    same labels (the layout depends on nothing else). Each PNG equals the one
    ``to_png(frequency_bar_chart(...))`` draws, byte for byte (tests/test_charts.py).
    """

    def __init__(self, *, dpi: int = 150) -> None:
        self._dpi = dpi
        self._figure: Figure | None = None
        self._shape: tuple[int, str, str] | None = None
        self._bars: list[Rectangle] = []
        self._labels: list[Text] = []
        self._positions: dict[tuple[object, ...], tuple[Bbox, Bbox]] = {}

    def png(
        self,
        labels: Sequence[str],
        counts: Sequence[float],
        bar_labels: Sequence[str],
        *,
        ylabel: str,
        title: str = "",
    ) -> bytes:
        """The chart of :func:`frequency_bar_chart` with these arguments, as PNG."""
        if not len(labels) == len(counts) == len(bar_labels):
            raise ValueError("labels, counts and bar_labels must have the same length")
        n = len(labels)
        heights = np.asarray(counts, dtype=float)
        if self._figure is None or self._shape != (n, ylabel, title):
            self._figure = frequency_bar_chart(
                labels, counts, bar_labels, ylabel=ylabel, title=title
            )
            self._shape = (n, ylabel, title)
            ax = self._figure.axes[0]
            self._bars = [bar for bar in ax.patches if isinstance(bar, Rectangle)]
            self._labels = list(ax.texts)
        else:
            ax = self._figure.axes[0]
            for bar, label, height, text in zip(
                self._bars, self._labels, heights, bar_labels, strict=True
            ):
                bar.set_height(height)
                label.set_y(height)
                label.set_text(text)
            _frequency_axes(ax, heights, labels)
        figure = self._figure
        key = self._layout_key(ax)
        known = self._positions.get(key)
        if known is None:
            figure.set_layout_engine(ConstrainedLayoutEngine(w_pad=0.06, h_pad=0.06))
            png = to_png(figure, dpi=self._dpi)
            self._positions[key] = (ax.get_position(original=True), ax.get_position())
            return png
        figure.set_layout_engine("none")
        ax.set_position(known[0], which="original")  # what the engine set for these labels
        ax.set_position(known[1], which="active")
        ax.set_in_layout(True)  # set_position takes it out; the next new labels need it
        return to_png(figure, dpi=self._dpi)

    @staticmethod
    def _layout_key(ax: Axes) -> tuple[object, ...]:
        """What the margins depend on: the tick labels shown and the axis labels."""
        low, high = ax.get_ylim()
        locs = [v for v in ax.yaxis.get_major_locator()() if low <= v <= high]
        yticks = tuple(ax.yaxis.get_major_formatter().format_ticks(locs))
        xticks = tuple(label.get_text() for label in ax.get_xticklabels())
        return (xticks, yticks, ax.get_ylabel(), ax.get_title(loc="left"))


def diverging_stacked_bar_chart(
    items: Sequence[str],
    categories: Sequence[str],
    shares: npt.ArrayLike,
    *,
    neutral_index: int | None,
    xlabel: str,
    value_labels: Sequence[Sequence[str]] | None = None,
) -> Figure:
    """Likert items as diverging stacked bars: disagreement left of zero, agreement right.

    items : one row per item, top to bottom (long labels are wrapped)
    categories : answer categories ordered disagree -> agree (legend below the plot)
    shares : ``(len(items), len(categories))`` [%] of the valid answers per item
    neutral_index : the middle category, centred on zero half/half; ``None`` if none
    value_labels : text per segment; default the share rounded to whole percent. Segments
        below 8 % carry no label.

    References
    ----------
    Heiberger & Robbins (2014), https://doi.org/10.18637/jss.v057.i05
    """
    values = np.asarray(shares, dtype=float)
    if values.shape != (len(items), len(categories)):
        raise ValueError(
            f"shares has shape {values.shape}; expected ({len(items)}, {len(categories)})"
        )
    colours = likert_palette(len(categories), neutral_index)
    item_labels = [_wrap(item, _ITEM_LABEL_CHARS) for item in items]
    legend_chars = _legend_label_chars(len(categories))
    legend_labels = [_wrap(category, legend_chars) for category in categories]
    legend_lines = max((label.count("\n") + 1 for label in legend_labels), default=1)
    lines = max((label.count("\n") + 1 for label in item_labels), default=1)
    row_cm = max(0.75, 0.36 * lines + 0.3)
    fig = new_figure(16.0, 2.2 + 0.4 * legend_lines + row_cm * len(items))
    ax = fig.add_subplot()
    style_axes(ax, grid_axis="x")
    rows = np.arange(len(items))
    left = diverging_offsets(values, neutral_index=neutral_index)
    start = left.copy()
    for column, (category, colour) in enumerate(zip(legend_labels, colours, strict=True)):
        widths = values[:, column]
        ax.barh(rows, widths, left=left, height=0.66, color=colour, label=category, zorder=2)
        ink = _text_colour_on(colour)
        for row in range(len(items)):
            if widths[row] < _MIN_LABELLED_SHARE:
                continue
            text = value_labels[row][column] if value_labels is not None else f"{widths[row]:.0f}"
            label = ax.text(
                left[row] + widths[row] / 2,
                row,
                text,
                ha="center",
                va="center",
                fontproperties=_SMALL,
                zorder=4,
            )
            label.set_color(ink)
            label.set_in_layout(False)
        left = left + widths
    extent = _nice_extent(max(float(-start.min(initial=0.0)), float(left.max(initial=0.0))))
    ax.set_xlim(-extent, extent)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{abs(x):.0f}"))
    ax.axvline(0, color=MUTED, linewidth=0.8, zorder=1.5)  # behind the bars and labels
    ax.set_yticks(rows, item_labels)
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(xlabel, fontproperties=_LABEL, color=INK)
    fig.legend(
        loc="outside lower center",
        ncols=max(len(categories), 1),
        frameon=False,
        prop=_SMALL,
        handlelength=1.2,
        columnspacing=1.4,
        labelcolor=INK,
    )
    return fig


def style_axes(ax: Axes, *, grid_axis: Literal["x", "y", "both"] = "y") -> None:
    """Apply the kreislauf style to ``ax``.

    A light grid on ``grid_axis`` ("x", "y" or "both") behind the data, no top/right
    spines, muted ticks, tick labels in DejaVu Sans.

    For domain charts beyond the two here: create the figure with :func:`new_figure`, call
    this on each axes, export with :func:`to_png`.
    """
    ax.set_facecolor("white")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
        ax.spines[side].set_linewidth(0.8)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.7, zorder=0)
    ax.set_axisbelow(True)
    ax.tick_params(
        colors=MUTED,
        labelcolor=INK,
        labelsize=_FONT_SIZE,
        labelfontfamily=FONT_FAMILY,
        width=0.8,
    )


def _legend_label_chars(n_entries: int) -> int:
    """Characters per legend line so that all entries fit into one row (reading order)."""
    return max(8, int((_LEGEND_WIDTH_CM - 1.0 * n_entries) / max(n_entries, 1) / _CHAR_CM))


def _side_counts(n_categories: int, neutral_index: int | None) -> tuple[int, int]:
    """Number of disagreeing and agreeing categories."""
    if neutral_index is None:
        n_disagree = n_categories // 2
        return n_disagree, n_categories - n_disagree
    if not 0 <= neutral_index < n_categories:
        raise ValueError(f"neutral_index {neutral_index} is outside 0..{n_categories - 1}")
    return neutral_index, n_categories - neutral_index - 1


def _ramp(dark: str, light: str, n: int) -> list[str]:
    """``n`` colours from ``dark`` to ``light``; a single colour sits between the two."""
    steps = np.linspace(0.0, 1.0, n) if n > 1 else np.full(n, 0.4)
    a, b = np.array(to_rgb(dark)), np.array(to_rgb(light))
    return [
        "#{:02x}{:02x}{:02x}".format(*np.round((a + (b - a) * t) * 255).astype(int)) for t in steps
    ]


def _text_colour_on(background: str) -> str:
    """White or ink, whichever contrasts more with ``background`` (WCAG luminance)."""
    rgb = np.array(to_rgb(background))
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return "white" if luminance < 0.22 else INK


def _nice_extent(value: float) -> float:
    """The half-width of a symmetric percent axis: ``value`` rounded up to 25/50/75/100."""
    for limit in (25.0, 50.0, 75.0, 100.0):
        if value <= limit + 1e-9:
            return limit
    return float(np.ceil(value / 25.0) * 25.0)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text
