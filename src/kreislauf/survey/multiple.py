"""Multiple-response sets: one table of the answers given over several columns.

The layout is that of SPSS ``MULT RESPONSE``: per answer the count, the percent of all
answers given ("percent of responses") and the percent of the cases that gave at least one
answer ("percent of cases", which sums to more than 100 % when cases answer several times).

References
----------
IBM SPSS Statistics Command Syntax Reference, MULT RESPONSE: "Percent of responses" and
"percent of cases"; cases without any counted answer are missing cases.
"""

from __future__ import annotations

import numpy as np

from kreislauf.i18n import Lang
from kreislauf.survey.items import PreparedSet
from kreislauf.survey.models import MultipleResponse, MultipleRow


def multiple_response_table(
    group: PreparedSet, *, weights: np.ndarray | None = None, lang: Lang = "de"
) -> MultipleResponse:
    """Counts, percent of responses and percent of cases of one multiple-response set.

    weights : case weights (frequency weights); counts and bases are then sums of weights
    """
    chosen = group.chosen
    w = np.ones(chosen.shape[0]) if weights is None else weights
    answered = chosen.sum(axis=1) > 0
    counts = (chosen * w[:, None]).sum(axis=0)
    responses = float(counts.sum())
    cases = float(w[answered].sum())
    rows = [
        MultipleRow(
            value=value,
            label=label,
            count=float(count),
            percent_of_responses=100 * float(count) / responses if responses else None,
            percent_of_cases=100 * float(count) / cases if cases else None,
        )
        for (value, label), count in zip(group.answers, counts, strict=True)
    ]
    return MultipleResponse(
        id=group.id,
        label=group.label[lang],
        kind=group.kind,
        columns=list(group.columns),
        rows=rows,
        cases=cases,
        missing_cases=float(w[~answered].sum()),
        responses=responses,
    )
