"""The online form of a questionnaire: fields from the survey module's format, validation.

Which items exist, their scales, labels and kinds come from
:class:`kreislauf.survey.questionnaire.Questionnaire`; this module only decides how each
is asked in a browser and checks a submitted value against the allowed codes.

Rules: Likert items and categorical items with labels are single choices; numeric items
take a number; other categorical items take free text (at most 500 characters). On submit
every item with ``role: item`` must be answered; demographic questions are optional.
"""

from __future__ import annotations

from typing import Any

from kreislauf.errors import IncompleteResponse, InvalidAnswer, InvalidField
from kreislauf.i18n import Lang, msg
from kreislauf.numbers import parse_number
from kreislauf.survey.questionnaire import ItemSpec
from kreislauf.survey.questionnaire import Questionnaire as QuestionnaireSpec
from kreislauf.web.schemas.survey import FormField

MAX_TEXT = 500


def _code_text(code: float | str) -> str:
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def _kind(item: ItemSpec, spec: QuestionnaireSpec) -> str:
    if item.kind is not None:
        return item.kind
    if item.labels:
        return "categorical"
    return "likert" if (item.scale or spec.scale) and item.role == "item" else "categorical"


def form_fields(spec: QuestionnaireSpec, lang: Lang) -> list[FormField]:
    """One field per item of the questionnaire, in questionnaire order."""
    fields = []
    for item in spec.items:
        kind = _kind(item, spec)
        choices: list[tuple[str, str]] = []
        if kind == "likert":
            scale = item.scale or spec.scale
            points = scale.points if scale else []
            labels: dict[Any, Any] = {**(scale.labels if scale else {}), **item.labels}
            choices = [
                (
                    _code_text(p),
                    f"{_code_text(p)} – {labels[p][lang]}" if p in labels else _code_text(p),
                )
                for p in points
            ]
        elif kind == "categorical" and item.labels:
            choices = [(_code_text(code), text[lang]) for code, text in item.labels.items()]
        text = (item.text or item.short or {}).get(lang, item.id)
        fields.append(
            FormField(
                column=item.source_column,
                text=text,
                kind="choice" if choices else ("number" if kind == "numeric" else "text"),
                required=item.role == "item",
                choices=choices,
            )
        )
    return fields


def clean_answers(
    fields: list[FormField], submitted: dict[str, str], *, submit: bool
) -> dict[str, str]:
    """The submitted answers, checked; blanks dropped.

    Raises :class:`InvalidField` for a field the form does not have,
    :class:`InvalidAnswer` naming the question (its text) for a value that is not allowed
    and, when ``submit`` is set, :class:`IncompleteResponse` naming every unanswered
    required question (see :func:`unanswered`).
    """
    by_column = {f.column: f for f in fields}
    answers: dict[str, str] = {}
    for column, raw in submitted.items():
        field = by_column.get(column)
        if field is None:
            raise InvalidField(field=column, value=raw, expected=", ".join(by_column))
        value = raw.strip()
        if not value:
            continue
        where = {"field": column, "question": field.text}
        if field.choices and value not in {code for code, _ in field.choices}:
            allowed = ", ".join(label for _, label in field.choices)
            raise InvalidAnswer(**where, value=value, expected=allowed)
        if field.kind == "number":
            try:
                parse_number(value)
            except ValueError as error:
                expected = msg("survey.expected_number")
                raise InvalidAnswer(**where, value=value, expected=expected) from error
        if len(value) > MAX_TEXT:
            expected = msg("web.respond.max_text", limit=MAX_TEXT)
            raise InvalidAnswer(**where, value=value[:40] + "…", expected=expected)
        answers[column] = value
    if submit:
        missing = unanswered(fields, answers)
        if missing:
            raise IncompleteResponse(
                field=missing[0].column,
                count=len(missing),
                questions="; ".join(f"„{f.text}“" for f in missing),
            )
    return answers


def unanswered(fields: list[FormField], answers: dict[str, str]) -> list[FormField]:
    """The required questions without an answer, in form order."""
    return [f for f in fields if f.required and not answers.get(f.column, "").strip()]
