"""Request and response bodies of the JSON API (kept apart from the tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class SignupIn(BaseModel):
    email: str = Field(max_length=320, examples=["anna@example.org"])
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=200)


class LoginIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)


class UserPublic(_Public):
    id: int
    email: str
    name: str


class SessionOut(BaseModel):
    user: UserPublic
    csrf_token: str = Field(description="Send as X-CSRF-Token with cookie-authenticated changes")


class OrganisationIn(BaseModel):
    slug: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["company", "network", "consultancy"]


class OrganisationPublic(_Public):
    id: int
    slug: str
    name: str
    kind: str


class MembershipPublic(BaseModel):
    id: int
    role: str
    organisation: OrganisationPublic
    user: UserPublic


class MeOut(BaseModel):
    user: UserPublic
    memberships: list[MembershipPublic]


class RoleIn(BaseModel):
    role: Literal["viewer", "editor", "owner"]


class InvitationIn(BaseModel):
    email: str = Field(max_length=320)
    role: Literal["viewer", "editor", "owner"] = "viewer"


class InvitationPublic(_Public):
    id: int
    email: str
    role: str
    expires_at: datetime


class InvitationCreated(InvitationPublic):
    token: str = Field(description="Shown once; accept with POST /api/v1/invitations/accept")


class AcceptIn(BaseModel):
    token: str = Field(min_length=1, max_length=200)


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class TokenPublic(_Public):
    id: int
    name: str
    prefix: str
    created_at: datetime


class TokenCreated(TokenPublic):
    token: str = Field(description="Shown once: Authorization: Bearer <token>")


class UploadPublic(_Public):
    id: int
    filename: str
    rows: int
    created_at: datetime


class CarbonInputPublic(_Public):
    id: int
    kind: str
    filename: str
    created_at: datetime


class QuestionnairePublic(_Public):
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


class LinkPublic(_Public):
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


class JobPublic(_Public):
    id: int
    kind: str
    status: str = Field(description="queued, running, done or failed")
    progress: float = Field(description="Share of the work done [0-1]")
    error: str | None
    result_name: str | None = Field(description="The result file; for an import the file read")
    stage: str | None = Field(None, description="Current step: reading, validating, storing")
    heartbeat_at: datetime | None = Field(None, description="Last sign of life of its worker")
    errors: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Row-level problems of a failed import (file, row, column, value, "
        "expected, detail, type), as in an upload's problem details",
    )
    created_at: datetime
    finished_at: datetime | None
