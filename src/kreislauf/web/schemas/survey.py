"""Questionnaires, respondent links, the online form and its answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from kreislauf.web.schemas.common import Public


class QuestionnairePublic(Public):
    id: int
    title: str
    filename: str
    status: str
    created_at: datetime


class QuestionnaireDetail(QuestionnairePublic):
    responses: dict[str, int]
    definition: dict[str, Any]


class StatusIn(BaseModel):
    status: Literal["draft", "published", "closed"]


class LinkIn(BaseModel):
    kind: Literal["anonymous", "identified"] = "anonymous"
    label: str = Field(default="", max_length=200)


class LinkPublic(Public):
    id: int
    kind: str
    label: str
    created_at: datetime
    closed_at: datetime | None


class LinkCreated(LinkPublic):
    token: str
    url: str = Field(description="The respondent's form (path, relative to the server)")


class AnswersIn(BaseModel):
    answers: dict[str, str] = Field(default_factory=dict)
    resume: str | None = Field(default=None, max_length=200)
    submit: bool = False


class RespondOut(BaseModel):
    status: str
    resume: str | None = Field(default=None, description="Code to continue later (anonymous)")
    answers: dict[str, str]


class FormField(BaseModel):
    column: str
    text: str
    kind: str
    required: bool
    choices: list[tuple[str, str]]


class FormOut(BaseModel):
    title: str
    fields: list[FormField]
    answers: dict[str, str]
    status: str | None


ItemKindName = Literal["likert", "numeric", "categorical"]


class AnalysisSettingsIn(BaseModel):
    """What an editor declares for the analysis (replaces what was declared before)."""

    missing_codes: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=20, description="codes meaning 'no valid answer'"
    )
    scale: tuple[int, int] | None = Field(
        default=None,
        description="Likert scale [min, max]; replaces the questionnaire's default scale",
    )
    kinds: dict[str, ItemKindName] = Field(
        default_factory=dict, description="item id -> kind (overrides the questionnaire)"
    )


class AnalysisSettingsPublic(Public):
    missing_codes: list[str]
    scale_min: int | None
    scale_max: int | None
    kinds: dict[str, str]
