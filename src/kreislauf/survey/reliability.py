"""Internal consistency of an item group (a scale): Cronbach's alpha.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
Psychometrika 16(3), 297-334. doi:10.1007/BF02310555
"""

from __future__ import annotations

import numpy as np

from kreislauf.survey.items import Item
from kreislauf.survey.models import Reliability


def cronbach_alpha(matrix: np.ndarray) -> float | None:
    """Alpha of a complete-case matrix (rows respondents, columns items) [-].

    ``alpha = k / (k - 1) * (1 - sum(var_i) / var(sum))`` with sample variances (n-1).
    None when there are fewer than two items or two respondents, or the sum is constant.
    """
    n, k = matrix.shape
    if k < 2 or n < 2:
        return None
    total_variance = float(np.var(matrix.sum(axis=1), ddof=1))
    if total_variance == 0:
        return None
    item_variances = float(np.var(matrix, axis=0, ddof=1).sum())
    return float(k / (k - 1) * (1 - item_variances / total_variance))


def group_reliability(group: str, text: str, items: list[Item]) -> Reliability:
    """Cronbach's alpha over ``items`` (listwise complete cases, reverse-coded items
    mirrored on their scale: ``x' = min + max - x``), and alpha if each item is deleted."""
    columns = []
    for item in items:
        x = item.values.astype(float)
        if item.reverse and item.scale is not None:
            x = item.scale.min + item.scale.max - x
        columns.append(x)
    matrix = np.column_stack(columns)
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    if_deleted: dict[str, float | None] = (
        {
            item.id: cronbach_alpha(np.delete(complete, position, axis=1))
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
        alpha=cronbach_alpha(complete),
        alpha_if_deleted=if_deleted,
        reversed_items=[i.id for i in items if i.reverse],
    )
