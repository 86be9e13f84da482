"""Schemas shared by every domain."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict

Model = TypeVar("Model", bound=BaseModel)


class Public(BaseModel):
    """A response body read from a stored record (``model_validate(record)``)."""

    model_config = ConfigDict(from_attributes=True)


def json_view(model: Model) -> Model:
    """``model`` with the values of its JSON document: numbers rounded and ``None`` where
    missing or not finite, by the rule of :mod:`kreislauf.results`.

    A page renders this view, so that it shows the API's figures; every number field of
    the model must accept ``None``.
    """
    return type(model).model_validate_json(model.model_dump_json())
