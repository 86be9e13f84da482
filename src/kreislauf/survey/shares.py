"""Agreement shares of Likert items with Wilson score intervals.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
JASA 22(158), 209-212. doi:10.1080/01621459.1927.10502953
Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial
proportion. Statistical Science 16(2), 101-133 (why Wilson rather than Wald for small n).
Seed report ``001``: headline shares leave out the neutral midpoint; an answer outside the
scale (the code 0) stays in that base but is neither agreement nor disagreement.
"""

from __future__ import annotations

import numpy as np

from kreislauf.survey.models import Interval, Shares
from kreislauf.survey.questionnaire import ScaleSpec

#: ``scipy.special.ndtri(p)`` (= ``scipy.stats.norm.ppf(p)``) of the usual two-sided
#: confidence levels 80/90/95/99 %, as float64 (repr round-trips; tests/survey/test_shares.py
#: compares them with scipy bit for bit): loading scipy.special or scipy.stats for one
#: quantile took 0.3-1 s of every survey command (issue 21).
_NORMAL_QUANTILES = {
    0.9: 1.2815515655446004,
    0.95: 1.6448536269514722,
    0.975: 1.959963984540054,
    0.995: 2.5758293035489004,
}


def normal_quantile(p: float) -> float:
    """The standard normal quantile of ``p`` (0 < p < 1), as ``scipy.stats.norm.ppf``."""
    known = _NORMAL_QUANTILES.get(p)
    if known is not None:
        return known
    from scipy.special import ndtri

    return float(ndtri(p))


def wilson_interval(successes: float, n: float, *, confidence: float = 0.95) -> Interval | None:
    """Wilson score interval for ``successes`` out of ``n`` [%]; None when ``n`` is 0."""
    if n <= 0:
        return None
    z = normal_quantile(0.5 + confidence / 2)
    p = successes / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    return Interval(low=100 * max(0.0, centre - half), high=100 * min(1.0, centre + half))


def likert_shares(
    values: np.ndarray,
    scale: ScaleSpec,
    *,
    weights: np.ndarray | None = None,
    confidence: float = 0.95,
) -> Shares:
    """Shares agree/neutral/disagree over all valid answers and without the midpoint [%].

    values : answers [scale points], NaN where not valid. For an even scale (no neutral
        point) agreement is above and disagreement below the middle of the scale.
    """
    valid = ~np.isnan(values)
    w = np.ones(values.size) if weights is None else weights
    x, w = values[valid], w[valid]
    neutral = scale.neutral_point
    middle = neutral if neutral is not None else (scale.min + scale.max) / 2
    on_scale = (x >= scale.min) & (x <= scale.max)
    agree = float(w[on_scale & (x > middle)].sum())
    disagree = float(w[on_scale & (x < middle)].sum())
    neutral_n = float(w[x == neutral].sum()) if neutral is not None else 0.0
    base = float(w.sum())
    base_excl = base - neutral_n

    def pct(part: float, whole: float) -> float | None:
        return 100 * part / whole if whole > 0 else None

    return Shares(
        agree=pct(agree, base),
        neutral=pct(neutral_n, base),
        disagree=pct(disagree, base),
        agree_excl_neutral=pct(agree, base_excl),
        disagree_excl_neutral=pct(disagree, base_excl),
        bases={"all": base, "excl_neutral": base_excl},
        counts={"agree": agree, "neutral": neutral_n, "disagree": disagree},
        intervals={
            "agree": wilson_interval(agree, base, confidence=confidence),
            "neutral": wilson_interval(neutral_n, base, confidence=confidence),
            "disagree": wilson_interval(disagree, base, confidence=confidence),
            "agree_excl_neutral": wilson_interval(agree, base_excl, confidence=confidence),
            "disagree_excl_neutral": wilson_interval(disagree, base_excl, confidence=confidence),
        },
    )
