"""Questionnaires, respondent links, the online form and its answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

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
