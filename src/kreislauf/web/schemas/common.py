"""Schemas shared by every domain."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator

Model = TypeVar("Model", bound=BaseModel)


class Public(BaseModel):
    """A response body read from a stored record (``model_validate(record)``)."""

    model_config = ConfigDict(from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        """Stored times are UTC; SQLite hands them back without the offset, which would
        not be an RFC 3339 ``date-time`` in the answer."""
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def json_view(model: Model) -> Model:
    """``model`` with the values of its JSON document: numbers rounded and ``None`` where
    missing or not finite, by the rule of :mod:`kreislauf.results`.

    A page renders this view, so that it shows the API's figures; every number field of
    the model must accept ``None``.
    """
    return type(model).model_validate_json(model.model_dump_json())
