"""The questionnaire file (YAML): what the items mean.

Everything is optional; without a questionnaire the analysis infers the items from the data
(see :mod:`kreislauf.survey.items`). A questionnaire adds item texts in German and English,
the Likert scale with its labels and neutral point, missing-value codes, item groups
(scales, for Cronbach's alpha), reverse-coded items, demographics, group comparisons and
*rules*: claims a report makes about its sample ("überwiegend KMU") that the data must
support. The format is documented in ``docs/survey.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from kreislauf.bounded import load_yaml
from kreislauf.errors import FileNotReadable, InvalidQuestionnaire, os_error_reason
from kreislauf.i18n import LANGUAGES, Lang
from kreislauf.numbers import parse_number

Code = float | str
ItemKind = Literal["likert", "numeric", "categorical"]


def _local_text(value: object) -> object:
    """Accept ``"Text"`` (same in every language) or ``{de: …, en: …}``."""
    if isinstance(value, str):
        return {lang: value for lang in LANGUAGES}
    if isinstance(value, dict):
        known = {k: v for k, v in value.items() if k in LANGUAGES}
        if not known:
            return value  # let validation name the problem
        fallback = known.get("de") or next(iter(known.values()))
        return {lang: str(known.get(lang, fallback)) for lang in LANGUAGES}
    return value


LocalText = Annotated[dict[Lang, str], BeforeValidator(_local_text)]


def _code(value: object) -> object:
    """Codes are numbers where they look like numbers (``"3"`` and ``3`` are the same)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ValueError:
            return value.strip()
    return value


CodeValue = Annotated[Code, BeforeValidator(_code)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleSpec(_Strict):
    """A rating scale: integer points ``min``..``max``.

    neutral : the midpoint that is neither agreement nor disagreement; ``None`` for an
        even scale. Default: the middle point of an odd scale.
    labels : point -> label, e.g. ``5: {de: "stimme voll zu", en: "strongly agree"}``.
    """

    min: int
    max: int
    neutral: float | Literal["auto"] | None = "auto"
    labels: dict[Annotated[float, BeforeValidator(_code)], LocalText] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> ScaleSpec:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max}) must be greater than min ({self.min})")
        neutral = self.neutral
        if isinstance(neutral, float | int) and not self.min < neutral < self.max:
            raise ValueError(f"neutral point {self.neutral} must lie inside {self.min}..{self.max}")
        return self

    @property
    def neutral_point(self) -> float | None:
        """The neutral point; for ``auto`` the middle of an odd scale, else ``None``."""
        if self.neutral == "auto":
            points = self.max - self.min + 1
            return (self.min + self.max) / 2 if points % 2 == 1 else None
        return self.neutral

    @property
    def points(self) -> list[float]:
        return [float(p) for p in range(self.min, self.max + 1)]


class MissingCode(_Strict):
    """A code that means 'no valid answer', e.g. ``99`` = *keine Angabe*."""

    code: CodeValue
    label: LocalText | None = None


class ItemSpec(_Strict):
    """One question (column) of the data.

    column : the column in the data; default ``id``
    kind : likert | numeric | categorical; default likert if a scale applies, else inferred
    role : ``item`` (a question of the survey) or ``demographic``
    labels : answer code -> label (categorical answers, or overriding scale labels)
    reverse : reverse-coded (used for scale scores and Cronbach's alpha)
    """

    id: str
    column: str | None = None
    text: LocalText | None = None
    short: LocalText | None = None
    kind: ItemKind | None = None
    role: Literal["item", "demographic"] = "item"
    scale: ScaleSpec | None = None
    labels: dict[CodeValue, LocalText] = Field(default_factory=dict)
    missing: list[MissingCode] = Field(default_factory=list)
    reverse: bool = False

    @property
    def source_column(self) -> str:
        return self.column or self.id


class GroupSpec(_Strict):
    """Items that form one scale; Cronbach's alpha is computed over them."""

    id: str
    text: LocalText | None = None
    items: list[str] = Field(min_length=2)


class MultipleSpec(_Strict):
    """A multiple-response question whose answers are spread over several columns.

    items : item ids or data columns, one per answer (dichotomy) or one per mention
        (category set)
    counted_value : the code that means "chosen" (e.g. 1 or ``Y``): a dichotomy set;
        without it every column holds an answer code (a category set)
    """

    id: str
    text: LocalText | None = None
    items: list[str] = Field(min_length=2)
    counted_value: CodeValue | None = None


class RuleSpec(_Strict):
    """A claim about the sample that the data must support.

    The rule holds when at least ``min_share`` percent of the valid answers to ``item`` are
    among ``values``, e.g. ``claim: überwiegend KMU`` with the SME size classes.
    """

    id: str
    item: str
    claim: LocalText
    values: list[CodeValue] = Field(min_length=1)
    min_share: float = Field(default=50.0, gt=0, le=100)


class Questionnaire(_Strict):
    """The whole questionnaire file."""

    title: LocalText | None = None
    source: LocalText | None = None
    notes: list[LocalText] = Field(default_factory=list)
    scale: ScaleSpec | None = None
    missing: list[MissingCode] = Field(default_factory=list)
    id_column: str | None = None
    weight_column: str | None = None
    items: list[ItemSpec] = Field(default_factory=list)
    groups: list[GroupSpec] = Field(default_factory=list)
    multiple: list[MultipleSpec] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list)
    compare_by: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Questionnaire:
        ids = [item.id for item in self.items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"item id defined more than once: {', '.join(duplicates)}")
        known = set(ids)
        for where, names in (
            *((f"groups[{g}].items", grp.items) for g, grp in enumerate(self.groups)),
            *((f"rules[{r}].item", [rule.item]) for r, rule in enumerate(self.rules)),
            ("compare_by", self.compare_by),
        ):
            unknown = [n for n in names if n not in known] if self.items else []
            if unknown:
                raise ValueError(f"{where}: unknown item id '{unknown[0]}'")
        return self

    def item(self, item_id: str) -> ItemSpec | None:
        return next((i for i in self.items if i.id == item_id), None)


def read_questionnaire(path: Path) -> Questionnaire:
    """Read and validate a questionnaire file; errors name the file and the field."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    try:
        data = load_yaml(text, name=path.name)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InvalidQuestionnaire(
            file=path.name, row=row, detail=f"YAML: {getattr(error, 'problem', error)}"
        ) from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidQuestionnaire(file=path.name, detail="expected a mapping (key: value)")
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = _field_path(first["loc"])
        raise InvalidQuestionnaire(
            file=path.name,
            field=field or None,
            # pydantic prefixes messages of validators with "Value error, ".
            detail=first["msg"].removeprefix("Value error, "),
        ) from error


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not str(part).startswith(("function-", "union[", "float", "str")):
            path += f".{part}" if path else str(part)
    return path
