"""The survey analysis: prepared items in, :class:`SurveyResults` out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kreislauf.errors import InvalidOption
from kreislauf.i18n import Lang
from kreislauf.survey.comparisons import MIN_GROUP_N, compare_groups
from kreislauf.survey.dataset import RawResponses
from kreislauf.survey.descriptives import DEFAULT_QUANTILE_METHOD, QUANTILE_METHODS, descriptives
from kreislauf.survey.frequencies import frequency_table
from kreislauf.survey.items import Item, PreparedSurvey, prepare_survey
from kreislauf.survey.models import (
    Code,
    Comparison,
    Descriptives,
    ItemResult,
    Settings,
    SurveyResults,
)
from kreislauf.survey.multiple import multiple_response_table
from kreislauf.survey.quality import quality_warnings, rule_checks, rule_warnings
from kreislauf.survey.questionnaire import Questionnaire, ScaleSpec
from kreislauf.survey.reliability import group_reliability
from kreislauf.survey.shares import likert_shares


@dataclass(frozen=True)
class AnalysisOptions:
    """The choices of one analysis run (command-line options or their defaults).

    scale : the Likert scale when no questionnaire declares one (``--scale 1-5``)
    missing_codes : codes that mean 'no valid answer' in every column (``--missing``)
    quantile_method : Hyndman & Fan type for median and quartiles (7 = JASP/R, 6 = SPSS)
    compare_by : demographic items to compare the Likert items by (adds to the questionnaire)
    """

    scale: ScaleSpec | None = None
    missing_codes: tuple[Code, ...] = ()
    quantile_method: int = DEFAULT_QUANTILE_METHOD
    weight_column: str | None = None
    compare_by: tuple[str, ...] = ()
    confidence: float = 0.95
    min_group_n: int = MIN_GROUP_N
    lang: Lang = "de"
    questionnaire_name: str | None = None


def analyze_responses(
    raw: RawResponses,
    questionnaire: Questionnaire | None = None,
    options: AnalysisOptions | None = None,
    *,
    on_item: Callable[[int, int], None] | None = None,
) -> SurveyResults:
    """Prepare the items and compute everything the report shows.

    ``on_item(done, total)`` is called after each item (for a progress bar).
    """
    options = options or AnalysisOptions()
    survey = prepare_options(raw, questionnaire, options)
    return analyze_prepared(survey, questionnaire, options, on_item=on_item)


def prepare_options(
    raw: RawResponses, questionnaire: Questionnaire | None, options: AnalysisOptions
) -> PreparedSurvey:
    """The items of ``raw`` as :func:`analyze_responses` prepares them (options checked).

    For a caller that wants to let go of the raw cells before the statistics (the CLI).
    """
    if options.quantile_method not in QUANTILE_METHODS:
        raise InvalidOption(
            value=str(options.quantile_method),
            option="--quantile-method",
            expected="1-9 (Hyndman & Fan)",
        )
    return prepare_survey(
        raw,
        questionnaire,
        scale=options.scale,
        missing_codes=options.missing_codes,
        weight_column=options.weight_column,
        questionnaire_name=options.questionnaire_name or "questionnaire",
    )


def analyze_prepared(
    survey: PreparedSurvey,
    questionnaire: Questionnaire | None,
    options: AnalysisOptions,
    *,
    on_item: Callable[[int, int], None] | None = None,
) -> SurveyResults:
    """Statistics, checks, reliability and comparisons of prepared items."""
    lang = options.lang
    q = questionnaire or Questionnaire()
    results = []
    for done, item in enumerate(survey.items, start=1):
        results.append(item_result(item, survey, options))
        if on_item is not None:
            on_item(done, len(survey.items))

    checks = rule_checks(survey, q.rules, lang=lang)
    warnings = quality_warnings(survey, lang=lang) + rule_warnings(checks, lang=lang, survey=survey)
    reliability = [
        group_reliability(
            group.id,
            (group.text or {}).get(lang, group.id),
            [survey.item(i) for i in group.items],
            weights=survey.weights,
        )
        for group in q.groups
    ]
    multiple = [
        multiple_response_table(group, weights=survey.weights, lang=lang)
        for group in survey.multiple
    ]
    comparisons: list[Comparison] = []
    for by_id in dict.fromkeys([*q.compare_by, *options.compare_by]):
        by = _find(survey, by_id, options)
        comparisons.extend(
            compare_groups(item, by, min_group_n=options.min_group_n, lang=lang)
            for item in survey.items
            if item.kind == "likert" and item.id != by.id
        )
    scales = {(i.scale.min, i.scale.max, i.scale.neutral_point) for i in survey.items if i.scale}
    scale = next(iter(scales)) if len(scales) == 1 else None
    return SurveyResults(
        n_responses=survey.n,
        items=results,
        warnings=warnings,
        reliability=reliability,
        comparisons=comparisons,
        multiple=multiple,
        checks=checks,
        title=q.title[lang] if q.title else None,
        notes=[note[lang] for note in q.notes],
        settings=Settings(
            source=survey.source,
            questionnaire=options.questionnaire_name,
            scale=(scale[0], scale[1]) if scale else None,
            neutral=scale[2] if scale else None,
            missing_codes=sorted({c for i in survey.items for c in i.missing_labels}, key=str),
            quantile_method=options.quantile_method if survey.weights is None else 1,
            weight_column=survey.weight_column,
            id_column=survey.id_column,
            id_rule=survey.id_rule,
            confidence=options.confidence,
            lang=lang,
        ),
    )


def item_result(item: Item, survey: PreparedSurvey, options: AnalysisOptions) -> ItemResult:
    """Descriptives, frequency table and (Likert) shares of one item."""
    numeric = item.kind in ("likert", "numeric")
    return ItemResult(
        id=item.id,
        column=item.column,
        text=item.text[options.lang],
        short=item.short[options.lang] if item.short else None,
        kind=item.kind,
        role=item.role,
        scale=(item.scale.min, item.scale.max) if item.scale else None,
        neutral=item.scale.neutral_point if item.scale else None,
        descriptives=descriptives(
            item.values, weights=survey.weights, quantile_method=options.quantile_method
        )
        if numeric
        else _counts_only(item),
        frequencies=frequency_table(item, weights=survey.weights, lang=options.lang),
        shares=likert_shares(
            item.values, item.scale, weights=survey.weights, confidence=options.confidence
        )
        if item.kind == "likert" and item.scale
        else None,
        measure=item.measure,
    )


def _counts_only(item: Item) -> Descriptives:
    """Valid and missing counts of a categorical item (no location or spread)."""
    valid = int(item.valid.sum())
    return Descriptives(
        valid=valid,
        missing=int(item.values.size - valid),
        mean=None,
        sd=None,
        median=None,
        min=None,
        max=None,
    )


def _find(survey: PreparedSurvey, item_id: str, options: AnalysisOptions) -> Item:
    match = next((i for i in survey.items if i.id == item_id), None)
    if match is None:
        raise InvalidOption(
            value=item_id, option="--compare-by", expected=", ".join(i.id for i in survey.items)
        )
    return match
