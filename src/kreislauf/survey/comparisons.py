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

from kreislauf.i18n import Lang, translate
from kreislauf.survey.items import VALID, Item, normalise_code
from kreislauf.survey.limesurvey import code_text
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
    from scipy import stats  # only when groups are compared (scipy.stats: ~1 s to load)

    both = (item.missing_kind == VALID) & (by.missing_kind == VALID)
    keys = by.values[both]
    x = item.values[both].astype(float)
    keys = np.array([_key(k) for k in keys], dtype=object)
    labels = _group_order(set(keys), by)
    samples = {label: x[keys == label] for label in labels}
    samples = {k: v for k, v in samples.items() if v.size}
    pooled_ranks = stats.rankdata(x) if x.size else np.array([])
    groups = []
    for label, sample in samples.items():
        mask = keys == label
        groups.append(
            GroupStat(
                group=label,
                label=_group_label(by, label, lang),
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


def _key(value: object) -> str:
    return code_text(value) if isinstance(value, float) else str(value)


def _group_order(found: set[str], by: Item) -> list[str]:
    """Groups in the order of the grouping item's labels (the questionnaire's or the
    file's codes, so age groups stay in age order), then the rest in natural order."""
    ordered = []
    for code in by.labels:
        key = code_text(code) if isinstance(code, float) else str(code)
        if key in found and key not in ordered:
            ordered.append(key)
    rest = sorted(found - set(ordered), key=lambda g: _natural(normalise_code(g), g))
    return ordered + rest


def _natural(code: object, text: str) -> tuple[float, str]:
    return (code, "") if isinstance(code, float) else (float("inf"), text)


def _group_label(by: Item, group: str, lang: Lang) -> str:
    label = by.labels.get(normalise_code(group)) or by.labels.get(group)
    return label[lang] if label else group
