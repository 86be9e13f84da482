"""The JSON form of a GHG balance: ``kreislauf carbon balance --json`` and the web API.

The shape is documented in docs/carbon.md; numbers are plain floats (t CO2e unless the key
says otherwise), rounded to 6 decimals (line values to 9), NaN written as ``null``.
"""

from __future__ import annotations

import math
from typing import Any

from kreislauf.carbon.balance import SCOPES, BalanceLine, GhgBalance

__all__ = ["balance_json"]


def _number(value: float | None, digits: int = 6) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


def _line_dict(line: BalanceLine) -> dict[str, Any]:
    scope, _, method = line.scope.removeprefix("scope").partition("_")
    return {
        "scope": int(scope),
        "method": method or None,
        "category": line.category,
        "period": line.period,
        "site": line.site,
        "source_file": line.source_file,
        "source_row": line.source_row,
        "activity": line.activity,
        "amount": _number(line.amount),
        "unit": line.unit,
        "factor_key": line.factor_key,
        "factor_value": line.factor_value,
        "factor_unit": line.factor_unit,
        "factor_source": line.factor_source,
        "factor_year": line.factor_year,
        "reason": line.reason,
        "quality": line.quality,
        "co2e_t": _number(line.co2e_t, 9),
    }


def balance_json(result: GhgBalance) -> dict[str, Any]:
    """The JSON of ``kreislauf carbon balance --json`` (shape in docs/carbon.md)."""
    return {
        "scope1_t": _number(result.totals["scope1"]),
        "scope2_location_t": _number(result.totals["scope2_location"]),
        "scope2_market_t": _number(result.totals["scope2_market"]),
        "scope3_t": _number(result.totals["scope3"]),
        "scope3_by_category": {k: _number(v) for k, v in result.scope3_by_category.items()},
        "base_year": result.base_year,
        "years": [
            {
                "year": y.year,
                **{f"{s}_t": _number(y.totals[s]) for s in SCOPES},
                "change_t": {s: _number(y.change[s]) for s in SCOPES},
                "vs_base_t": {s: _number(y.vs_base[s]) for s in SCOPES},
            }
            for y in result.years
        ],
        "uncertainty": {
            s: {
                "low_t": _number(u.low_t),
                "high_t": _number(u.high_t),
                "quality_score": _number(u.quality_score, 3),
            }
            for s, u in result.uncertainty.items()
        },
        "lines": [_line_dict(line) for line in result.lines],
    }
