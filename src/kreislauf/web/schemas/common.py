"""Schemas shared by every domain."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Public(BaseModel):
    """A response body read from a stored record (``model_validate(record)``)."""

    model_config = ConfigDict(from_attributes=True)
