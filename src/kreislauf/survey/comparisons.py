"""Compare an item's answers across the groups of a demographic variable.

Rank tests, because Likert answers are ordinal: Mann-Whitney U for two groups with the
rank-biserial correlation as effect size, Kruskal-Wallis H for three or more with epsilon
squared. Groups smaller than ``min_group_n`` are flagged: no claim should rest on them.

References
----------
Kerby, D. S. (2014). The simple difference formula: an approach to teaching nonparametric
correlation. Comprehensive Psychology 3. doi:10.2466/11.IT.3.1 (rank-biserial r).
Tomczak, M. & Tomczak, E. (2014). The need to report effect size estimates revisited.
Trends in Sport Sciences 1(21), 19-25 (epsilon squared for Kruskal-Wallis).
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np
from scipy import stats

from kreislauf.i18n import Lang, translate
from kreislauf.survey.items import VALID, Item
from kreislauf.survey.models import Comparison, GroupStat

MIN_GROUP_N = 5


class _Common(TypedDict):
    """The fields every outcome of :func:`compare_groups` shares."""

    item: str
    by: str
    groups: list[GroupStat]
    small_n: bool


def compare_groups(
    item: Item, by: Item, *, min_group_n: int = MIN_GROUP_N, lang: Lang = "de"
) -> Comparison:
    """Test whether ``item`` differs between the answer groups of ``by`` (unweighted)."""
    both = (item.missing_kind == VALID) & (by.missing_kind == VALID)
    keys = by.values[both]
    x = item.values[both].astype(float)
    labels = sorted({str(k) for k in keys}, key=str)
    samples = {label: x[np.array([str(k) == label for k in keys], dtype=bool)] for label in labels}
    samples = {k: v for k, v in samples.items() if v.size}
    pooled_ranks = stats.rankdata(x) if x.size else np.array([])
    groups = []
    for label, sample in samples.items():
        mask = np.array([str(k) == label for k in keys], dtype=bool)
        groups.append(
            GroupStat(
                group=label,
                n=int(sample.size),
                median=float(np.median(sample)),
                mean_rank=float(pooled_ranks[mask].mean()),
            )
        )
    small = any(g.n < min_group_n for g in groups)
    base: _Common = {"item": item.id, "by": by.id, "groups": groups, "small_n": small}

    if len(samples) < 2:
        only = groups[0].group if groups else "–"
        note = translate("survey.compare_one_group", lang, group=only, n=int(x.size))
        return Comparison(
            test="none",
            statistic=None,
            p_value=None,
            effect_name=None,
            effect=None,
            note=note,
            **base,
        )
    note = translate("survey.compare_small_n", lang, n=min_group_n) if small else ""
    if np.ptp(x) == 0:
        return Comparison(
            test="none",
            statistic=None,
            p_value=None,
            effect_name=None,
            effect=None,
            note=translate("survey.compare_constant", lang),
            **base,
        )
    if len(samples) == 2:
        a, b = samples.values()
        u_test = stats.mannwhitneyu(a, b, alternative="two-sided")
        effect = 2 * float(u_test.statistic) / (a.size * b.size) - 1
        return Comparison(
            test="mann-whitney",
            statistic=float(u_test.statistic),
            p_value=float(u_test.pvalue),
            effect_name="rank-biserial r",
            effect=effect,
            note=note,
            **base,
        )
    h_test = stats.kruskal(*samples.values())
    n = x.size
    effect = float(h_test.statistic) / (n - 1) if n > 1 else None
    return Comparison(
        test="kruskal-wallis",
        statistic=float(h_test.statistic),
        p_value=float(h_test.pvalue),
        effect_name="epsilon²",
        effect=effect,
        note=note,
        **base,
    )
