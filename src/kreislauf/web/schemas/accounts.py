"""Accounts, organisations, members, invitations and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from kreislauf.web.schemas.common import Public


class SignupIn(BaseModel):
    email: str = Field(max_length=320, examples=["anna@example.org"])
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=200)


class LoginIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)


class PasswordIn(BaseModel):
    current_password: str = Field(max_length=200)
    password: str = Field(min_length=10, max_length=200, description="The new password")


class UserPublic(Public):
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


class OrganisationPublic(Public):
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


class InvitationPublic(Public):
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


class TokenPublic(Public):
    id: int
    name: str
    prefix: str
    created_at: datetime


class TokenCreated(TokenPublic):
    token: str = Field(description="Shown once: Authorization: Bearer <token>")
