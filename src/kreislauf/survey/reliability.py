"""Internal consistency of an item group (a scale): Cronbach's alpha.

With case weights alpha is computed from the weighted covariance matrix of the items
(frequency weights, as SPSS ``WEIGHT BY``: denominators ``sum(w) - 1``); for whole-number
weights this is the alpha of the data with every case repeated ``w`` times.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
Psychometrika 16(3), 297-334. doi:10.1007/BF02310555
IBM SPSS Statistics Algorithms, RELIABILITY: alpha from the item covariance matrix,
``k/(k-1) * (1 - sum of item variances / sum of all covariances)``.
"""

from __future__ import annotations

import numpy as np

from kreislauf.survey.items import Item
from kreislauf.survey.models import Reliability


def cronbach_alpha(matrix: np.ndarray, weights: np.ndarray | None = None) -> float | None:
    """Alpha of a complete-case matrix (rows respondents, columns items) [-].

    ``alpha = k / (k - 1) * (1 - sum(var_i) / var(sum))`` with sample variances (n-1), or
    with ``weights`` (frequency weights, one per row) weighted variances over
    ``sum(w) - 1``. None when there are fewer than two items or two respondents (sum of
    weights ≤ 1), or the sum is constant.
    """
    n, k = matrix.shape
    if k < 2 or n < 2:
        return None
    if weights is None:
        total_variance = float(np.var(matrix.sum(axis=1), ddof=1))
        item_variances = float(np.var(matrix, axis=0, ddof=1).sum())
    else:
        if float(weights.sum()) <= 1:
            return None
        covariance = _weighted_covariance(matrix, weights)
        total_variance = float(covariance.sum())
        item_variances = float(np.trace(covariance))
    # a constant sum: the weighted covariances leave rounding noise (-2e-16) instead of 0,
    # which would give an alpha of -6.6e15 (found by the hypothesis test)
    if total_variance <= 1e-12 * max(item_variances, 1.0):
        return None
    return float(k / (k - 1) * (1 - item_variances / total_variance))


def _weighted_covariance(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Covariances of the columns with frequency weights: ``sum w (x - m)(y - m) / (W - 1)``."""
    total = float(weights.sum())
    centred = matrix - (weights @ matrix) / total
    return np.asarray((centred * weights[:, None]).T @ centred / (total - 1))


def group_reliability(
    group: str, text: str, items: list[Item], *, weights: np.ndarray | None = None
) -> Reliability:
    """Cronbach's alpha over ``items`` (listwise complete cases, reverse-coded items
    mirrored on their scale: ``x' = min + max - x``), and alpha if each item is deleted.

    weights : case weights (frequency weights) or None
    """
    columns = []
    for item in items:
        x = item.values.astype(float)
        if item.reverse and item.scale is not None:
            x = item.scale.min + item.scale.max - x
        columns.append(x)
    matrix = np.column_stack(columns)
    rows = ~np.isnan(matrix).any(axis=1)
    complete = matrix[rows]
    w = weights[rows] if weights is not None else None
    if_deleted: dict[str, float | None] = (
        {
            item.id: cronbach_alpha(np.delete(complete, position, axis=1), w)
            for position, item in enumerate(items)
        }
        if len(items) > 2
        else {item.id: None for item in items}
    )
    return Reliability(
        group=group,
        text=text,
        items=[i.id for i in items],
        n=int(complete.shape[0]),
        alpha=cronbach_alpha(complete, w),
        alpha_if_deleted=if_deleted,
        reversed_items=[i.id for i in items if i.reverse],
        weighted=weights is not None,
    )
