"""Descriptive statistics per item, as JASP/SPSS report them.

References
----------
Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. The American
Statistician 50(4), 361-365. doi:10.1080/00031305.1996.10473566 (quantile types 1-9;
JASP/R default type 7, SPSS FREQUENCIES type 6).
IBM SPSS Statistics Algorithms, "WEIGHT": case weights are frequency weights; the sample
variance uses ``sum(w) - 1`` degrees of freedom.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from kreislauf.survey.models import Descriptives

#: numpy's names for the Hyndman & Fan sample quantile types.
QuantileMethod = Literal[
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
]

QUANTILE_METHODS: dict[int, QuantileMethod] = {
    1: "inverted_cdf",
    2: "averaged_inverted_cdf",
    3: "closest_observation",
    4: "interpolated_inverted_cdf",
    5: "hazen",
    6: "weibull",
    7: "linear",
    8: "median_unbiased",
    9: "normal_unbiased",
}
DEFAULT_QUANTILE_METHOD = 7


def descriptives(
    values: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    quantile_method: int = DEFAULT_QUANTILE_METHOD,
) -> Descriptives:
    """Valid/missing counts, mean, SD (n-1), median, quartiles, min and max.

    Parameters
    ----------
    values : answers [scale points or the item's unit], NaN where not a valid answer
    weights : case weights (frequency weights, ≥ 0) or None. With weights the quantiles use
        type 1 (the weighted empirical distribution), whatever ``quantile_method`` says.
    quantile_method : Hyndman & Fan type 1-9 (7 = JASP/R default, 6 = SPSS)
    """
    valid_mask = ~np.isnan(values)
    x = values[valid_mask]
    n = int(x.size)
    missing = int(values.size - n)
    if n == 0:
        return Descriptives(
            valid=0, missing=missing, mean=None, sd=None, median=None, min=None, max=None
        )
    if weights is None:
        mean = float(np.mean(x))
        sd = float(np.std(x, ddof=1)) if n > 1 else None
        q1, median, q3 = (
            float(v)
            for v in np.quantile(x, [0.25, 0.5, 0.75], method=QUANTILE_METHODS[quantile_method])
        )
        weighted_n = None
    else:
        w = weights[valid_mask]
        weighted_n = float(w.sum())
        if weighted_n <= 0:
            return Descriptives(
                valid=n,
                missing=missing,
                mean=None,
                sd=None,
                median=None,
                min=float(x.min()),
                max=float(x.max()),
                weighted_n=weighted_n,
            )
        mean = float(np.sum(w * x) / weighted_n)
        sd = (
            float(np.sqrt(np.sum(w * (x - mean) ** 2) / (weighted_n - 1)))
            if weighted_n > 1
            else None
        )
        q1, median, q3 = (
            float(v) for v in np.quantile(x, [0.25, 0.5, 0.75], weights=w, method="inverted_cdf")
        )
    return Descriptives(
        valid=n,
        missing=missing,
        mean=mean,
        sd=sd,
        median=median,
        min=float(x.min()),
        max=float(x.max()),
        q1=q1,
        q3=q3,
        iqr=q3 - q1,
        weighted_n=weighted_n,
    )
