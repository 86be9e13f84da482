"""Self-check: one company's answers against a peer group's responses.

Per Likert item of the questionnaire the company answered:

- position: the share of peers who answered lower, the same, higher, and the mid-rank
  percentile ``100 · (lower + ½ · same) / n`` [%] (n: peers with an answer on the scale);
  ``below`` under 25, ``above`` over 75, else ``middle``;
- the peers' agreement share (answers above the neutral point, over all valid answers, as
  the survey module reports it) with its 95 % Wilson interval;
- small-N notes: fewer than :data:`SMALL_N` peers → the interval is wide and one answer
  moves a share by ``100 / n`` points; fewer than :data:`MIN_N` → no position is given.

Suggested measures come from rules per item (``data/suggestions.yaml``): a low answer or
one below the peers' median points to measure codes of the taxonomy.

References
----------
Wilson, E. B. (1927), JASA 22(158), 209-212 (the interval, :mod:`kreislauf.survey.shares`).
Percentile rank with mid-rank for ties: Roscoe, J. T. (1975), Fundamental Research
Statistics for the Behavioral Sciences, 2nd ed., p. 35.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from kreislauf.advice.taxonomy import taxonomy
from kreislauf.bounded import load_yaml, parse_yaml
from kreislauf.errors import FileNotReadable, InvalidAnswers, os_error_reason
from kreislauf.i18n import Lang, format_percent, translate
from kreislauf.results import Number2, Result
from kreislauf.survey import Questionnaire, SurveyResults
from kreislauf.tables import decode

__all__ = [
    "MIN_N",
    "SMALL_N",
    "ItemPosition",
    "SelfCheckResult",
    "SuggestedMeasure",
    "read_answers",
    "self_check",
    "suggestion_rules",
]

#: fewer peers than this: the interval is wide (a note is shown)
SMALL_N = 30
#: fewer peers than this: no position is given
MIN_N = 5


class SuggestionRule(BaseModel):
    """When an item's answer points to measure codes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item: str
    answer_at_most: float | None = None
    below_peer_median: bool = False
    codes: list[str]
    why: dict[str, str]


class SuggestionRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    rules: list[SuggestionRule]


class ItemPosition(Result):
    """The company's answer to one item against the peers'."""

    item: str
    text: str
    answer: float
    n_peers: int
    lower_pct: Number2 | None
    same_pct: Number2 | None
    higher_pct: Number2 | None
    percentile: Number2 | None
    position: Literal["below", "middle", "above"] | None
    peer_median: float | None
    peers_agree_pct: Number2 | None
    peers_agree_low: Number2 | None
    peers_agree_high: Number2 | None
    company_agrees: bool
    notes: list[str]


class SuggestedMeasure(Result):
    """A measure code suggested by an item's answer, with why."""

    code: str
    name: str
    item: str
    why: str


class SelfCheckResult(Result):
    """``kreislauf advice selfcheck --json``."""

    title: str | None
    n_peers: int
    items: list[ItemPosition]
    suggestions: list[SuggestedMeasure]
    notes: list[str]


@cache
def suggestion_rules() -> SuggestionRules:
    """The shipped suggestion rules."""
    text = (
        resources.files("kreislauf.advice").joinpath("data", "suggestions.yaml").read_text("utf-8")
    )
    return SuggestionRules.model_validate(load_yaml(text, name="suggestions.yaml"))


def read_answers(path: Path, questionnaire: Questionnaire) -> dict[str, float]:
    """A company's answers (YAML ``answers: {item: value}``), checked against the items.

    Raises
    ------
    FileNotReadable, InvalidAnswers
    """
    path = Path(path)
    try:
        text = decode(path.read_bytes(), name=path.name)
    except OSError as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    return answers_from_text(text, questionnaire, name=path.name)


def answers_from_text(text: str, questionnaire: Questionnaire, *, name: str) -> dict[str, float]:
    """Answers from YAML ``text`` (an upload or a form); ``name`` is used in messages."""
    data = parse_yaml(text, name=name, error=InvalidAnswers)
    raw = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(raw, dict) or not raw:
        raise InvalidAnswers(
            file=name, value=type(data).__name__, expected="a mapping 'answers: {item: value}'"
        )
    return checked_answers(raw, questionnaire, name=name)


def checked_answers(
    raw: Mapping[Any, Any], questionnaire: Questionnaire, *, name: str
) -> dict[str, float]:
    """``raw`` answers as numbers on the scale of Likert items of ``questionnaire``."""
    likert = {
        item.id: item
        for item in questionnaire.items
        if item.role == "item" and item.kind in (None, "likert")
    }
    scale = questionnaire.scale
    answers: dict[str, float] = {}
    for key, value in raw.items():
        item = str(key)
        if item not in likert:
            raise InvalidAnswers(
                file=name,
                field=f"answers.{item}",
                value=item,
                expected="a Likert item of the questionnaire: " + ", ".join(likert),
            )
        if value is None or value == "":
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        low, high = (scale.min, scale.max) if scale else (1, 5)
        if not (low <= number <= high) or number != int(number):
            raise InvalidAnswers(
                file=name,
                field=f"answers.{item}",
                value=value,
                expected=f"a whole number from {low} to {high}",
            )
        answers[item] = number
    return answers


def self_check(
    peers: SurveyResults,
    questionnaire: Questionnaire,
    answers: Mapping[str, float],
    *,
    lang: Lang,
    rules: SuggestionRules | None = None,
) -> SelfCheckResult:
    """Position of ``answers`` in the peer group ``peers`` and the measures they suggest."""
    rules = rules or suggestion_rules()
    names = taxonomy()
    items: list[ItemPosition] = []
    suggestions: list[SuggestedMeasure] = []
    seen: set[str] = set()
    for item_id, answer in answers.items():
        result = peers.item(item_id)
        position = _position(result, answer, lang)
        items.append(position)
        for rule in rules.rules:
            if rule.item != item_id or not _fires(rule, answer, position.peer_median):
                continue
            for code in rule.codes:
                if code in seen:
                    continue
                seen.add(code)
                suggestions.append(
                    SuggestedMeasure(
                        code=code,
                        name=names.name(code, lang),
                        item=item_id,
                        why=rule.why.get(lang, ""),
                    )
                )
    notes = [translate("advice.selfcheck.note_rebuilt", lang)] if peers.notes else []
    return SelfCheckResult(
        title=peers.title,
        n_peers=peers.n_responses,
        items=items,
        suggestions=suggestions,
        notes=notes + list(peers.notes),
    )


def _fires(rule: SuggestionRule, answer: float, median: float | None) -> bool:
    if rule.answer_at_most is not None and answer <= rule.answer_at_most:
        return True
    return rule.below_peer_median and median is not None and answer < median


def _position(result: Any, answer: float, lang: Lang) -> ItemPosition:
    scale = result.scale or (1, 5)
    counts = [
        (float(row.value), row.frequency)
        for row in result.frequencies
        if row.kind == "valid"
        and row.in_scale
        and row.value is not None
        and scale[0] <= float(row.value) <= scale[1]
    ]
    n = int(sum(f for _, f in counts))
    lower = sum(f for v, f in counts if v < answer)
    same = sum(f for v, f in counts if v == answer)
    higher = n - lower - same
    notes = []
    percentile = None
    position: Literal["below", "middle", "above"] | None = None
    if n >= MIN_N:
        percentile = 100.0 * (lower + 0.5 * same) / n
        position = "below" if percentile < 25 else "above" if percentile > 75 else "middle"
    else:
        notes.append(translate("advice.selfcheck.too_few", lang, n=n, min=MIN_N))
    if MIN_N <= n < SMALL_N:
        notes.append(
            translate(
                "advice.selfcheck.small_n",
                lang,
                n=n,
                step=format_percent(100.0 / n, lang),
            )
        )
    shares = result.shares
    interval = shares.intervals.get("agree") if shares else None
    neutral = result.neutral if result.neutral is not None else (scale[0] + scale[1]) / 2

    def pct(part: float) -> float | None:
        return 100.0 * part / n if n else None

    return ItemPosition(
        item=result.id,
        text=result.text,
        answer=answer,
        n_peers=n,
        lower_pct=pct(lower),
        same_pct=pct(same),
        higher_pct=pct(higher),
        percentile=percentile,
        position=position,
        peer_median=result.descriptives.median if result.descriptives else None,
        peers_agree_pct=shares.agree if shares else None,
        peers_agree_low=interval.low if interval else None,
        peers_agree_high=interval.high if interval else None,
        company_agrees=answer > neutral,
        notes=notes,
    )
