"""Data-quality findings: each names the item, the value and how often it occurs.

The checks answer the errors found in the seed report (``001``): codes outside the scale
counted as answers (the 0 on a 1-5 scale), constant items, respondents without a single
answer, duplicate respondents, and claims about the sample ("überwiegend KMU") that the
answers contradict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kreislauf.i18n import Lang, format_number, format_percent, translate
from kreislauf.survey.items import VALID, Item, PreparedSurvey, normalise_code
from kreislauf.survey.models import QualityWarning, RuleCheck
from kreislauf.survey.questionnaire import RuleSpec

MANY_MISSING_SHARE = 0.2
SMALL_SAMPLE = 30
DUPLICATE_MIN_ITEMS = 5
MAX_ROWS_LISTED = 10


def quality_warnings(survey: PreparedSurvey, *, lang: Lang = "de") -> list[QualityWarning]:
    """All item- and respondent-level findings, items in order, then respondents."""
    found: list[QualityWarning] = []
    for item in survey.items:
        found.extend(_out_of_scale(item, survey, lang))
        found.extend(_constant(item, lang))
        found.extend(_many_missing(item, survey.n, lang))
        found.extend(_unknown_categories(item, survey, lang))
    found.extend(_all_missing(survey, lang))
    found.extend(_duplicates(survey, lang))
    if 0 < survey.n < SMALL_SAMPLE:
        found.append(
            QualityWarning(
                item=None,
                code="small_sample",
                count=survey.n,
                message=translate("survey.warn_small_sample", lang, n=survey.n, limit=SMALL_SAMPLE),
            )
        )
    return found


def rule_checks(
    survey: PreparedSurvey, rules: list[RuleSpec], *, lang: Lang = "de"
) -> list[RuleCheck]:
    """Evaluate each claim: does ``min_share`` % of the valid answers fall into ``values``?"""
    checks = []
    for rule in rules:
        item = survey.item(rule.item)
        valid = item.missing_kind == VALID
        answers = [normalise_code(v) for v in item.values[valid]]
        wanted = {normalise_code(v) for v in rule.values}
        hits = sum(1 for a in answers if a in wanted)
        base = len(answers)
        share = 100 * hits / base if base else None
        checks.append(
            RuleCheck(
                id=rule.id,
                item=rule.item,
                claim=rule.claim[lang],
                holds=None if share is None else share >= rule.min_share,
                share=share,
                base=float(base),
                missing=int(survey.n - base),
            )
        )
    return checks


def rule_warnings(
    checks: list[RuleCheck], *, lang: Lang = "de", survey: PreparedSurvey | None = None
) -> list[QualityWarning]:
    """A warning for every claim the data do not support ("keine der 11" when none fit)."""
    names = {i.id: _name(i, lang) for i in survey.items} if survey else {}
    return [
        QualityWarning(
            item=check.item,
            code="rule_violated",
            count=int(check.base),
            message=translate(
                "survey.warn_rule_none" if check.share == 0 else "survey.warn_rule",
                lang,
                claim=check.claim,
                item=names.get(check.item, check.item),
                share=format_percent(check.share, lang),
                base=int(check.base),
                missing=check.missing,
            ),
        )
        for check in checks
        if check.holds is False
    ]


def _name(item: Item, lang: Lang) -> str:
    """How a message names an item: its short name, else its text (never only its id)."""
    return (item.short or item.text)[lang]


def _out_of_scale(item: Item, survey: PreparedSurvey, lang: Lang) -> list[QualityWarning]:
    if item.scale is None:
        return []
    x = item.values
    outside = ~np.isnan(x) & ((x < item.scale.min) | (x > item.scale.max))
    if not outside.any():
        return []
    inside = ~np.isnan(x) & ~outside
    mean_all = float(np.nanmean(x))
    mean_inside = float(x[inside].mean()) if inside.any() else None
    warnings = []
    for value in np.unique(x[outside]):
        hit = x == value
        warnings.append(
            QualityWarning(
                item=item.id,
                code="out_of_scale",
                value=float(value),
                count=int(hit.sum()),
                rows=_rows(survey, hit),
                message=translate(
                    "survey.warn_out_of_scale",
                    lang,
                    item=_name(item, lang),
                    value=format_number(value, lang, decimals=0),
                    count=int(hit.sum()),
                    low=item.scale.min,
                    high=item.scale.max,
                    mean=format_number(mean_all, lang),
                    mean_inside=format_number(mean_inside, lang),
                ),
            )
        )
    return warnings


def _constant(item: Item, lang: Lang) -> list[QualityWarning]:
    valid = item.values[item.missing_kind == VALID]
    if valid.size < 2 or not np.all(valid == valid[0]):
        return []
    value = valid[0]
    shown = format_number(value, lang, decimals=0) if isinstance(value, float) else str(value)
    return [
        QualityWarning(
            item=item.id,
            code="constant_item",
            value=value if isinstance(value, str) else float(value),
            count=int(valid.size),
            message=translate(
                "survey.warn_constant", lang, item=_name(item, lang), value=shown, n=valid.size
            ),
        )
    ]


def _many_missing(item: Item, n: int, lang: Lang) -> list[QualityWarning]:
    missing = int((item.missing_kind != VALID).sum())
    if n == 0 or missing / n <= MANY_MISSING_SHARE:
        return []
    return [
        QualityWarning(
            item=item.id,
            code="many_missing",
            count=missing,
            message=translate(
                "survey.warn_many_missing",
                lang,
                item=_name(item, lang),
                missing=missing,
                n=n,
                share=format_percent(100 * missing / n, lang, decimals=0),
            ),
        )
    ]


def _unknown_categories(item: Item, survey: PreparedSurvey, lang: Lang) -> list[QualityWarning]:
    if item.kind != "categorical" or not item.labels:
        return []
    known = {normalise_code(c) for c in item.labels}
    valid = item.missing_kind == VALID
    values = pd.Series(item.values[valid])
    unknown = values[~values.map(normalise_code).isin(known)]
    warnings = []
    for value, count in unknown.value_counts().items():
        hit = valid & (item.values == value)
        warnings.append(
            QualityWarning(
                item=item.id,
                code="unknown_category",
                value=str(value),
                count=int(count),
                rows=_rows(survey, hit),
                message=translate(
                    "survey.warn_unknown_category",
                    lang,
                    item=_name(item, lang),
                    value=value,
                    count=int(count),
                ),
            )
        )
    return warnings


def _all_missing(survey: PreparedSurvey, lang: Lang) -> list[QualityWarning]:
    if not survey.items:
        return []
    none = np.logical_and.reduce([item.missing_kind != VALID for item in survey.items])
    if not none.any():
        return []
    rows = _rows(survey, none)
    return [
        QualityWarning(
            item=None,
            code="respondent_all_missing",
            count=int(none.sum()),
            rows=rows,
            message=translate(
                "survey.warn_all_missing",
                lang,
                count=int(none.sum()),
                rows=_show_rows(rows, int(none.sum())),
            ),
        )
    ]


def _duplicates(survey: PreparedSurvey, lang: Lang) -> list[QualityWarning]:
    found: list[QualityWarning] = []
    if survey.respondent_ids is not None:
        ids = pd.Series(survey.respondent_ids)
        repeated = ids.duplicated(keep=False).to_numpy()
        if repeated.any():
            rows = _rows(survey, repeated)
            found.append(
                QualityWarning(
                    item=None,
                    code="duplicate_id",
                    count=int(repeated.sum()),
                    rows=rows,
                    message=translate(
                        "survey.warn_duplicate_id",
                        lang,
                        column=survey.id_column,
                        count=int(repeated.sum()),
                        rows=_show_rows(rows, int(repeated.sum())),
                    ),
                )
            )
    questions = [i for i in survey.items if i.role == "item"]
    if len(questions) < DUPLICATE_MIN_ITEMS:
        return found
    complete = np.ones(survey.n, dtype=bool)
    for item in questions:  # a respondent who answered every question
        complete &= pd.notna(item.values)
    # only the complete rows become a frame (not all items × respondents, issue 21)
    frame = pd.DataFrame({i.id: i.values[complete] for i in questions})
    same = frame.duplicated(keep=False).to_numpy()
    if same.any():
        mask = np.zeros(survey.n, dtype=bool)
        mask[np.flatnonzero(complete)[same]] = True
        rows = _rows(survey, mask)
        found.append(
            QualityWarning(
                item=None,
                code="duplicate_answers",
                count=int(mask.sum()),
                rows=rows,
                message=translate(
                    "survey.warn_duplicate_answers",
                    lang,
                    k=len(questions),
                    count=int(mask.sum()),
                    rows=_show_rows(rows, int(mask.sum())),
                ),
            )
        )
    return found


def _rows(survey: PreparedSurvey, mask: np.ndarray) -> list[int]:
    return [int(r) for r in survey.row_numbers[mask][:MAX_ROWS_LISTED]]


def _show_rows(rows: list[int], count: int) -> str:
    shown = ", ".join(str(r) for r in rows)
    return shown + (" …" if count > len(rows) else "")
