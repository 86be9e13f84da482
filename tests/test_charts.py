"""The one chart style: frequency bars and diverging Likert bars on matplotlib's object API."""

from __future__ import annotations

import io
import struct

import matplotlib
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.patches import Rectangle
from PIL import Image

from kreislauf import charts

LIKERT = [
    "trifft überhaupt nicht zu",
    "trifft eher nicht zu",
    "teils/teils",
    "trifft eher zu",
    "trifft voll und ganz zu",
]
SHARES = np.array(
    [
        [8.0, 12.0, 20.0, 44.0, 16.0],
        [0.0, 4.0, 36.0, 40.0, 20.0],
        [30.0, 30.0, 10.0, 20.0, 10.0],
    ]
)


def _bars(fig: matplotlib.figure.Figure) -> list[Rectangle]:
    return [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]


def test_new_figure_has_the_printed_size_and_an_agg_canvas() -> None:
    fig = charts.new_figure(16.0, 8.0)
    width, height = fig.get_size_inches()
    assert width == pytest.approx(16.0 / 2.54, abs=1e-12)
    assert height == pytest.approx(8.0 / 2.54, abs=1e-12)
    assert type(fig.canvas).__name__ == "FigureCanvasAgg"


def test_to_png_is_an_opaque_png_at_the_requested_dpi() -> None:
    png = charts.to_png(charts.new_figure(16.0, 8.0), dpi=150)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour_type = struct.unpack(">IIBB", png[16:26])
    assert (width, height) == (int(16 / 2.54 * 150), int(8 / 2.54 * 150))  # Agg truncates
    assert (depth, colour_type) == (8, 2)  # 8-bit RGB, no alpha channel
    image = Image.open(io.BytesIO(png))
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # stored per metre


def test_to_png_is_reproducible() -> None:
    def render() -> bytes:
        return charts.to_png(
            charts.frequency_bar_chart(["a", "b"], [1, 2], ["33 %", "67 %"], ylabel="n")
        )

    assert render() == render()


def test_frequency_bar_chart_has_one_bar_per_category_with_its_count() -> None:
    counts = [2, 3, 5, 11, 4]
    labels = ["8,0 %", "12,0 %", "20,0 %", "44,0 %", "16,0 %"]
    fig = charts.frequency_bar_chart(LIKERT, counts, labels, ylabel="Häufigkeit", title="Q1")
    ax = fig.axes[0]
    bars = _bars(fig)
    assert len(bars) == 5
    assert [bar.get_height() for bar in bars] == counts
    assert [bar.get_x() + bar.get_width() / 2 for bar in bars] == pytest.approx(range(5))
    ticks = [tick.get_text().replace("\n", " ") for tick in ax.get_xticklabels()]
    assert ticks == LIKERT
    texts = {text.get_text(): text.get_position() for text in ax.texts}
    assert list(texts) == labels
    for (_x, y), count in zip(texts.values(), counts, strict=True):
        assert y == count  # the percentage stands on its bar
    assert ax.get_ylabel() == "Häufigkeit"
    assert ax.get_title(loc="left") == "Q1"
    assert ax.get_ylim()[1] > max(counts)  # room for the labels


def test_frequency_bar_chart_style_is_calm() -> None:
    ax = charts.frequency_bar_chart(["a", "b"], [1, 2], ["", ""], ylabel="n").axes[0]
    assert not ax.spines["top"].get_visible()
    assert not ax.spines["right"].get_visible()
    assert ax.yaxis.get_gridlines()[0].get_visible()
    assert {bar.get_facecolor()[:3] for bar in ax.patches} == {
        matplotlib.colors.to_rgb(charts.PRIMARY)
    }
    assert ax.get_xticklabels()[0].get_fontname() == "DejaVu Sans"


def test_frequency_bar_chart_rejects_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        charts.frequency_bar_chart(["a", "b"], [1], ["x", "y"], ylabel="n")


def test_diverging_offsets_centre_the_neutral_share() -> None:
    left = charts.diverging_offsets(SHARES, neutral_index=2)
    assert left == pytest.approx([-(8 + 12 + 10), -(0 + 4 + 18), -(30 + 30 + 5)], abs=1e-12)
    no_neutral = charts.diverging_offsets(SHARES[:, [0, 1, 3, 4]], neutral_index=None)
    assert no_neutral == pytest.approx([-20.0, -4.0, -60.0], abs=1e-12)


def test_diverging_chart_rows_start_at_minus_disagree_plus_half_neutral() -> None:
    fig = charts.diverging_stacked_bar_chart(
        ["Q1", "Q2", "Q3"], LIKERT, SHARES, neutral_index=2, xlabel="Anteil (%)"
    )
    bars = _bars(fig)
    assert len(bars) == SHARES.size
    for row, shares in enumerate(SHARES):
        segments = [bar for bar in bars if round(bar.get_y() + bar.get_height() / 2) == row]
        assert len(segments) == 5
        left = min(bar.get_x() for bar in segments)
        right = max(bar.get_x() + bar.get_width() for bar in segments)
        assert left == pytest.approx(-(shares[0] + shares[1] + shares[2] / 2), abs=1e-9)
        assert right == pytest.approx(shares[3] + shares[4] + shares[2] / 2, abs=1e-9)
        assert sorted(bar.get_width() for bar in segments) == sorted(shares)
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    assert low == -high  # symmetric around zero
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["Q1", "Q2", "Q3"]
    assert ax.yaxis_inverted()  # first item on top


def test_diverging_chart_colours_run_disagree_to_agree_with_grey_neutral() -> None:
    fig = charts.diverging_stacked_bar_chart(
        ["Q1"], LIKERT, SHARES[:1], neutral_index=2, xlabel="%"
    )
    colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in _bars(fig)]
    assert colours == list(charts.LIKERT_5)
    legend = fig.legends[0]
    assert [t.get_text().replace("\n", " ") for t in legend.get_texts()] == LIKERT


def test_diverging_chart_labels_only_segments_of_at_least_8_percent() -> None:
    fig = charts.diverging_stacked_bar_chart(
        ["Q1", "Q2", "Q3"], LIKERT, SHARES, neutral_index=2, xlabel="%"
    )
    labels = sorted(text.get_text() for text in fig.axes[0].texts)
    expected = sorted(f"{value:.0f}" for value in SHARES.ravel() if value >= 8.0)
    assert labels == expected


def test_diverging_chart_wraps_long_items_and_grows_with_them() -> None:
    item = "Unser Unternehmen setzt Sekundärrohstoffe in relevantem Umfang ein"
    small = charts.diverging_stacked_bar_chart(
        [item] * 3, LIKERT, SHARES, neutral_index=2, xlabel="%"
    )
    many = charts.diverging_stacked_bar_chart(
        [item] * 9, LIKERT, np.vstack([SHARES] * 3), neutral_index=2, xlabel="%"
    )
    assert "\n" in small.axes[0].get_yticklabels()[0].get_text()
    assert many.get_size_inches()[1] > small.get_size_inches()[1] * 2
    assert small.get_size_inches()[0] == many.get_size_inches()[0]


def test_diverging_chart_checks_the_shape_of_shares() -> None:
    with pytest.raises(ValueError, match=r"shape \(3, 5\)"):
        charts.diverging_stacked_bar_chart(["Q1"], LIKERT, SHARES, neutral_index=2, xlabel="%")


def test_likert_palette_for_other_scale_lengths() -> None:
    seven = charts.likert_palette(7, 3)
    assert len(set(seven)) == 7
    assert seven[3] == charts.NEUTRAL
    assert (seven[0], seven[-1]) == (charts.LIKERT_5[0], charts.LIKERT_5[-1])
    four = charts.likert_palette(4, None)
    assert charts.NEUTRAL not in four and len(set(four)) == 4
    with pytest.raises(ValueError, match="neutral_index 5"):
        charts.likert_palette(5, 5)


def test_charts_leave_matplotlib_global_state_alone() -> None:
    before = dict(matplotlib.rcParams)
    charts.to_png(
        charts.diverging_stacked_bar_chart(["Q"], LIKERT, SHARES[:1], neutral_index=2, xlabel="%")
    )
    charts.to_png(charts.frequency_bar_chart(["a"], [1], ["100 %"], ylabel="n"))
    assert dict(matplotlib.rcParams) == before


bar_label = st.sampled_from(["1", "2", "3", "stimme zu", "stimme gar nicht zu", "weiß nicht", "k"])


@st.composite
def bar_specs(draw: st.DrawFn) -> tuple[list[str], list[float], list[str], str]:
    n = draw(st.integers(1, 7))
    labels = draw(st.lists(bar_label, min_size=n, max_size=n))
    scale = draw(st.sampled_from([0, 1, 10, 1_000, 30_000]))
    counts = draw(
        st.lists(st.integers(0, 40).map(lambda k: float(k * scale // 10)), min_size=n, max_size=n)
    )
    return (
        labels,
        counts,
        [f"{c:.0f} %" for c in counts],
        draw(st.sampled_from(["Anzahl", "Count"])),
    )


@settings(max_examples=25, deadline=None)
@given(st.lists(bar_specs(), min_size=1, max_size=6))
@example([(["1", "2"], [5.0, 3.0], ["5", "3"], "Anzahl")] * 3)
def test_a_reused_figure_draws_the_charts_of_new_figures_byte_for_byte(
    specs: list[tuple[list[str], list[float], list[str], str]],
) -> None:
    """FrequencyBarCharts (one figure, bars and margins reused) against a new figure per
    chart, in any order of bar counts, labels and magnitudes (issue 21)."""
    painter = charts.FrequencyBarCharts()
    for labels, counts, texts, ylabel in specs:
        fresh = charts.to_png(charts.frequency_bar_chart(labels, counts, texts, ylabel=ylabel))
        assert painter.png(labels, counts, texts, ylabel=ylabel) == fresh


def test_a_reused_figure_refuses_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        charts.FrequencyBarCharts().png(["a"], [1.0, 2.0], ["x"], ylabel="n")
