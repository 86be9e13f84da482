"""What a survey analysis returns: typed, JSON-serialisable, keeping its working.

The layout of ``results.json`` is these models dumped as JSON (documented in
``docs/survey.md``). Numbers are unrounded; percentages are on the 0-100 scale; a value
that cannot be computed (e.g. the SD of one answer) is ``null``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kreislauf.results import Result

Code = float | str
ItemKind = Literal["likert", "numeric", "categorical"]
MissingKind = Literal["declared", "empty", "not_shown"]


class _Result(Result):
    """The shared result base (:mod:`kreislauf.results`); survey figures are plain, unrounded
    ``float`` fields (the documented choice of ``results.json``), ``null`` when not finite."""


class Descriptives(_Result):
    """Per item: counts and location/spread of the valid answers.

    valid, missing : number of cases (unweighted)
    mean, sd : arithmetic mean and sample standard deviation (n-1) [scale points]
    median, q1, q3, iqr : quantiles by ``quantile_method`` (Hyndman & Fan type 1-9)
    weighted_n : sum of the case weights of the valid answers (``null`` without weights)
    """

    valid: int
    missing: int
    mean: float | None
    sd: float | None
    median: float | None
    min: float | None
    max: float | None
    q1: float | None = None
    q3: float | None = None
    iqr: float | None = None
    weighted_n: float | None = None


class FrequencyRow(_Result):
    """One row of a frequency table.

    kind : ``valid`` for an answer; for missing rows the kind of missing: a declared code
        (``declared``), a question shown but not answered (``empty``) or not shown at all
        (``not_shown``).
    percent : of all responses; valid_percent / cumulative_percent : of the valid answers
        (``null`` on missing rows); percent_excl_neutral : of the valid answers without the
        neutral midpoint (Likert items; the base of the seed report's per-answer shares).
    in_scale : ``False`` for a valid answer outside the declared scale.
    """

    value: Code | None
    label: str
    kind: Literal["valid", "declared", "empty", "not_shown"]
    frequency: float
    percent: float
    valid_percent: float | None
    cumulative_percent: float | None
    percent_excl_neutral: float | None = None
    in_scale: bool = True


class Interval(_Result):
    """A two-sided confidence interval on the 0-100 percent scale."""

    low: float
    high: float


class Shares(_Result):
    """Agreement shares of a Likert item [%].

    ``agree``/``neutral``/``disagree`` are over all valid answers; the ``*_excl_neutral``
    shares over the valid answers without the neutral midpoint. A valid answer outside the
    scale stays in both bases but is neither agreement nor disagreement (the seed report's
    rule). ``intervals`` holds the 95 % Wilson interval of each share, ``bases`` the two
    denominators and ``counts`` the numerators (``agree``, ``neutral``, ``disagree``;
    sums of weights with case weights).
    """

    agree: float | None
    neutral: float | None
    disagree: float | None
    agree_excl_neutral: float | None
    disagree_excl_neutral: float | None
    bases: dict[str, float]
    counts: dict[str, float]
    intervals: dict[str, Interval | None]


class ItemResult(_Result):
    """Everything computed for one item."""

    id: str
    column: str
    text: str
    short: str | None = None
    kind: ItemKind
    role: Literal["item", "demographic"] = "item"
    scale: tuple[int, int] | None = None
    neutral: float | None = None
    descriptives: Descriptives | None = None
    frequencies: list[FrequencyRow]
    shares: Shares | None = None
    measure: Literal["nominal", "ordinal", "scale"] | None = None


class Reliability(_Result):
    """Cronbach's alpha of an item group (listwise complete cases).

    weighted : computed from the weighted covariances of the items (case weights as
        frequency weights); ``n`` stays the number of complete cases
    """

    group: str
    text: str
    items: list[str]
    n: int
    alpha: float | None
    alpha_if_deleted: dict[str, float | None]
    reversed_items: list[str] = Field(default_factory=list)
    weighted: bool = False


class GroupStat(_Result):
    """One group in a comparison: size and location of the answers."""

    group: str
    n: int
    median: float | None
    mean_rank: float | None
    label: str | None = None


class Comparison(_Result):
    """An item compared across the groups of a demographic variable.

    test : ``mann-whitney`` (2 groups) or ``kruskal-wallis`` (3 or more); ``none`` when fewer
        than two groups have answers.
    effect : rank-biserial correlation r (Mann-Whitney) or epsilon squared (Kruskal-Wallis).
    small_n : some group has fewer than ``min_group_n`` answers: no claim should rest on it.
    """

    item: str
    by: str
    test: Literal["mann-whitney", "kruskal-wallis", "none"]
    statistic: float | None
    p_value: float | None
    effect_name: str | None
    effect: float | None
    groups: list[GroupStat]
    small_n: bool
    note: str = ""


class MultipleRow(_Result):
    """One answer of a multiple-response set.

    count : how often it was given (sum of case weights with weights)
    percent_of_responses : of all answers given in the set [%]
    percent_of_cases : of the cases that gave at least one answer [%]; these sum to more
        than 100 when cases gave several answers
    """

    value: Code
    label: str
    count: float
    percent_of_responses: float | None
    percent_of_cases: float | None


class MultipleResponse(_Result):
    """A multiple-response table as SPSS ``MULT RESPONSE`` prints it.

    kind : ``dichotomy`` (a column counts when it holds ``counted_value``) or ``category``
        (every column holds one answer code; a code given in two columns counts twice, as
        in SPSS without ``NODUPLICATE``)
    cases : cases with at least one answer (the base of percent of cases);
        missing_cases : the others; responses : all answers given (sums of weights with
        weights)
    """

    id: str
    label: str
    kind: Literal["dichotomy", "category"]
    columns: list[str]
    rows: list[MultipleRow]
    cases: float
    missing_cases: float
    responses: float


class RuleCheck(_Result):
    """The outcome of a questionnaire rule (a claim about the sample)."""

    id: str
    item: str
    claim: str
    holds: bool | None
    share: float | None
    base: float
    missing: int


class QualityWarning(_Result):
    """A data-quality finding; ``item``, ``value`` and ``count`` say where and how often."""

    item: str | None
    code: str
    message: str
    value: Code | None = None
    count: int | None = None
    rows: list[int] = Field(default_factory=list)


class Settings(_Result):
    """The choices the figures depend on (shown in the report's method section)."""

    source: str
    questionnaire: str | None
    scale: tuple[int, int] | None
    neutral: float | None
    missing_codes: list[Code]
    quantile_method: int
    weight_column: str | None
    id_column: str | None
    id_rule: Literal["questionnaire", "source", "name", "first_column"] | None = None
    confidence: float
    lang: Literal["de", "en"]


class SurveyResults(_Result):
    """The whole analysis: the ``results.json`` document."""

    n_responses: int
    items: list[ItemResult]
    warnings: list[QualityWarning]
    reliability: list[Reliability] = Field(default_factory=list)
    comparisons: list[Comparison] = Field(default_factory=list)
    multiple: list[MultipleResponse] = Field(default_factory=list)
    checks: list[RuleCheck] = Field(default_factory=list)
    settings: Settings
    title: str | None = None
    notes: list[str] = Field(default_factory=list)

    def item(self, item_id: str) -> ItemResult:
        return next(i for i in self.items if i.id == item_id)
