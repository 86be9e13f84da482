"""Investment appraisal of a measure: NPV, simple payback, annuity and abatement cost.

Pure functions on numbers in EUR, EUR/a and t CO2e/a (docs/carbon-products.md#economics).

References
----------
VDI 2067 Blatt 1:2012 (annuity method, capital recovery factor).
McKinsey & Company (2009): Pathways to a Low-Carbon Economy, v2 of the global GHG
abatement cost curve. Kesicki, F., Ekins, P. (2012): Marginal abatement cost curves: a call
for caution. Climate Policy 12(2), 219-236. https://doi.org/10.1080/14693062.2011.582347
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def capital_recovery_factor(rate: float, years: int) -> float:
    """CRF = r (1+r)^n / ((1+r)^n − 1) [1/a]; 1/n for r = 0 (VDI 2067-1)."""
    if rate == 0:
        return 1.0 / years
    growth = (1.0 + rate) ** years
    return rate * growth / (growth - 1.0)


def npv(investment: float, cash_flows: Sequence[float], rate: float) -> float:
    """−I + Σ_t CF_t / (1+r)^t for t = 1..n [EUR]."""
    t = np.arange(1, len(cash_flows) + 1)
    return float(-investment + np.sum(np.asarray(cash_flows) / (1.0 + rate) ** t))


def simple_payback(investment: float, cash_flows: Sequence[float]) -> float | None:
    """Years until the undiscounted cash flows cover ``investment`` (linear within a year)."""
    if investment <= 0:  # nothing to pay back, unless the measure runs at a loss
        return 0.0 if all(flow >= 0 for flow in cash_flows) else None
    cumulative = 0.0
    for t, flow in enumerate(cash_flows, start=1):
        if flow > 0 and cumulative + flow >= investment:
            return (t - 1) + (investment - cumulative) / flow
        cumulative += flow
    return None


def marginal_abatement_cost(
    investment: float,
    running_cost: float,
    savings: float,
    abatement_t: float,
    *,
    rate: float,
    years: int,
) -> float | None:
    """(I · CRF + C − S) / A [EUR/t CO2e]; ``None`` when nothing is abated (A ≤ 0)."""
    if abatement_t <= 0:
        return None
    annual_cost = investment * capital_recovery_factor(rate, years) + running_cost - savings
    return annual_cost / abatement_t
