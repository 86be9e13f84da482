"""KPI trends over the periods: which direction is better, and a small SVG chart per KPI.

The chart is plain SVG text (no script, no style element: it can be inlined in a page
under a strict Content-Security-Policy and in the HTML report) in the colours of
:mod:`kreislauf.charts`. Each chart has a ``<title>`` and ``<desc>`` for screen readers;
the page puts the values in a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Literal

from kreislauf import charts

Better = Literal["up", "down", "none"]
Verdict = Literal["better", "worse", "same"]

#: Which change of a KPI is an improvement (VDI 4800-1: less resource use per output).
KPI_BETTER: dict[str, Better] = {
    "material_input_t": "none",  # more input may just be more production
    "recycled_input_share": "up",
    "material_yield": "up",
    "waste_ratio": "down",
    "waste_recycling_rate": "up",
    "energy_use_mwh": "none",
    "specific_energy_kwh_per_t": "down",
    "water_intensity_m3_per_t": "down",
    "material_loss_cost_eur": "down",
}
#: Colours of an improvement and a deterioration (WCAG AA on white), and of no judgement.
BETTER_COLOUR = "#1d6b35"
WORSE_COLOUR = "#a1141c"
SAME_COLOUR = charts.MUTED


def verdict(change: float | None, better: Better, *, decimals: int = 1) -> Verdict | None:
    """``better``/``worse``/``same`` for a change as shown with ``decimals`` [KPI unit].

    None without a change; ``same`` when it rounds to 0 or the KPI has no better direction.
    """
    if change is None or not math.isfinite(change):
        return None
    if round(change, decimals) == 0 or better == "none":
        return "same"
    return "better" if (change > 0) == (better == "up") else "worse"


def trend_svg(
    values: Sequence[float | None],
    periods: Sequence[str],
    *,
    title: str,
    description: str,
    better: Better,
    width: int = 280,
    height: int = 72,
) -> str:
    """A line of ``values`` [KPI unit] over ``periods``, the last point coloured by its
    :func:`verdict` against the previous one; gaps where a value is missing."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    pad = 6.0
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = high - low
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def x(index: int) -> float:
        return pad + index * step

    def y(value: float) -> float:
        """Height of ``value``; a flat or unrepresentable range draws at mid-height."""
        if not (math.isfinite(span) and span > 0):
            return height / 2
        share = (value - low) / span
        return height - pad - (share if math.isfinite(share) else 0.5) * (height - 2 * pad)

    segments: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None or not math.isfinite(value):
            segments.append([])
            continue
        segments[-1].append(f"{x(index):.1f},{y(value):.1f}")
    lines = "".join(
        f'<polyline points="{" ".join(s)}" fill="none" stroke="{charts.PRIMARY}" '
        'stroke-width="1.6" stroke-linejoin="round"/>'
        for s in segments
        if len(s) > 1
    )
    last = next((i for i in range(len(values) - 1, -1, -1) if values[i] is not None), None)
    marker = ""
    if last is not None and math.isfinite(values[last] or math.nan):
        previous = values[last - 1] if last > 0 else None
        change = None if previous is None else (values[last] or 0.0) - previous
        colour = {"better": BETTER_COLOUR, "worse": WORSE_COLOUR}.get(
            verdict(change, better) or "same", SAME_COLOUR
        )
        marker = (
            f'<circle cx="{x(last):.1f}" cy="{y(values[last] or 0.0):.1f}" r="3.5" '
            f'fill="{colour}" data-verdict="{verdict(change, better) or "none"}"/>'
        )
    axis = (
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        f'stroke="{charts.GRID}" stroke-width="1"/>'
    )
    first_label = escape(periods[0]) if periods else ""
    last_label = escape(periods[-1]) if periods else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 12}" '
        f'role="img" class="trend">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        f"{axis}{lines}{marker}"
        f'<text x="{pad}" y="{height + 10}" font-size="9" fill="{charts.MUTED}">'
        f"{first_label}</text>"
        f'<text x="{width - pad}" y="{height + 10}" font-size="9" fill="{charts.MUTED}" '
        f'text-anchor="end">{last_label}</text></svg>'
    )
