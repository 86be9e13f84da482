"""Data quality and uncertainty ranges of a GHG balance, per scope.

Every factor carries a data-quality rating q from 1 (verified, specific to the supplier or
site) to 5 (rough estimate). The rating is turned into a relative half-width h(q) of the
line's 95 % range, in the spirit of the pedigree matrix (Weidema & Wesnæs 1996; basic
uncertainty factors of ecoinvent v3): 1 → ±5 %, 2 → ±10 %, 3 → ±20 %, 4 → ±35 %,
5 → ±50 %. These half-widths are kreislauf's convention, not a measured property of the
factors; they make the relative uncertainty of a scope visible and comparable.

Lines are treated as independent, so the half-width of a scope is
``H = sqrt(Σ (h(q_i) · e_i)²)`` [t CO2e] (first-order error propagation, GHG Protocol
"Measuring and estimating uncertainty" guidance, 2003), and the range is
``[max(0, E − H), E + H]``. The data-quality score of a scope is the emission-weighted mean
rating ``Σ q_i e_i / Σ e_i`` (lines of 0 t count with weight 0; no emissions → None).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

#: Relative 95 % half-width per data-quality rating [-].
QUALITY_HALF_WIDTH: dict[int, float] = {1: 0.05, 2: 0.10, 3: 0.20, 4: 0.35, 5: 0.50}


class _Line(Protocol):
    # read-only, so frozen dataclasses (BalanceLine) match
    @property
    def quality(self) -> int: ...
    @property
    def co2e_t(self) -> float: ...


@dataclass(frozen=True)
class ScopeUncertainty:
    """total_t, low_t, high_t [t CO2e]; quality_score [1-5] or None without emissions."""

    total_t: float
    low_t: float
    high_t: float
    quality_score: float | None


def scope_uncertainty(lines: Sequence[_Line]) -> ScopeUncertainty:
    """Range and data-quality score of the lines of one scope (see module docstring)."""
    total = sum(line.co2e_t for line in lines)
    half = math.sqrt(sum((QUALITY_HALF_WIDTH[line.quality] * line.co2e_t) ** 2 for line in lines))
    weight = sum(abs(line.co2e_t) for line in lines)
    score = sum(line.quality * abs(line.co2e_t) for line in lines) / weight if weight else None
    return ScopeUncertainty(
        total_t=total, low_t=max(0.0, total - half), high_t=total + half, quality_score=score
    )
