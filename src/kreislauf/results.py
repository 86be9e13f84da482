"""Results that serialise themselves: one base model and one number rule for every domain.

The JSON form of a domain result (``kreislauf … --json``, the web API, ``results.json``) is
a :class:`Result`, a frozen pydantic model, dumped by pydantic. A domain whose computation
works on dataclasses and arrays keeps them and declares its JSON document as a
:class:`Result` built from them once (:class:`Serialisable`); nobody maps a result to a
dictionary by hand.

The number rule
---------------
- A number that is not finite (NaN, ±inf) is written as ``null``.
- A float field declared as :data:`Number` is rounded to :data:`DIGITS` (6) decimals with
  Python's ``round`` (correctly rounded, ties to even); :data:`Number9`, :data:`Number3`
  and :data:`Number2` keep 9, 3 and 2 decimals, :data:`Exact` keeps every digit. Plain ``float``
  fields are not rounded (the survey's documented choice); they become ``null`` in JSON
  text when not finite, but stay NaN in :meth:`Result.to_dict` (so a result that can hold
  NaN declares its floats with one of the types here).
- numpy scalars are written as the Python number they hold, numpy arrays as lists.

The rule applies when a result is serialised to JSON (:meth:`Result.to_json`,
:meth:`Result.to_dict`, ``model_dump(mode="json")``); ``model_dump()`` in Python mode
keeps the unrounded values.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from functools import partial
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, PlainSerializer

__all__ = [
    "DIGITS",
    "Exact",
    "Number",
    "Number2",
    "Number3",
    "Number9",
    "Result",
    "Serialisable",
    "Value",
    "json_number",
    "json_value",
]

#: Decimals of a :data:`Number` in JSON.
DIGITS = 6


def json_number(value: float | None, digits: int | None = DIGITS) -> float | None:
    """``value`` as written to JSON: ``None`` if missing or not finite, else rounded.

    digits : decimals to keep; ``None`` keeps every digit.
    """
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return number if digits is None else round(number, digits)


def json_value(value: object, digits: int | None = DIGITS) -> object:
    """A value of any type as written to JSON: floats by :func:`json_number`, numpy scalars
    as Python values, numpy arrays as lists (element by element), anything else unchanged.
    """
    if isinstance(value, float | np.floating):
        return json_number(float(value), digits)
    if isinstance(value, np.ndarray):
        return [json_value(v, digits) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _serializer(digits: int | None) -> PlainSerializer:
    return PlainSerializer(
        partial(json_number, digits=digits), return_type=float | None, when_used="json"
    )


#: A float rounded to :data:`DIGITS` decimals in JSON; ``null`` when not finite.
Number = Annotated[float, _serializer(DIGITS)]
#: A float rounded to 9 decimals (small quantities such as one line's t CO2e).
Number9 = Annotated[float, _serializer(9)]
#: A float rounded to 3 decimals (scores, payback times in years).
Number3 = Annotated[float, _serializer(3)]
#: A float rounded to 2 decimals (money shown in whole cents: NPV, abatement cost).
Number2 = Annotated[float, _serializer(2)]
#: A float with every digit (given inputs such as factor values and rates).
Exact = Annotated[float, _serializer(None)]
#: A value of any type (the free-form ``working`` of a result) by :func:`json_value`.
Value = Annotated[Any, PlainSerializer(json_value, when_used="json")]


class Result(BaseModel):
    """Base of every result model: frozen, readable from attributes, self-serialising.

    ``from_attributes`` lets a result be validated from the dataclass it describes:
    ``MfcaJson.model_validate(mfca_result)`` reads the fields of the same names.
    """

    model_config = ConfigDict(frozen=True, from_attributes=True, ser_json_inf_nan="null")

    def to_dict(self) -> dict[str, Any]:
        """The JSON document as Python objects (numbers by the number rule)."""
        return self.model_dump(mode="json")

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON document as text (UTF-8 characters, not escaped)."""
        return self.model_dump_json(indent=indent)


class Serialisable(ABC):
    """Mixin for a computation result (a dataclass holding arrays) with a JSON form.

    A subclass implements :meth:`json_model`, the :class:`Result` of its JSON document;
    :meth:`to_dict` and :meth:`to_json` serialise that model.
    """

    @abstractmethod
    def json_model(self) -> Result:
        """The :class:`Result` that is this result's JSON document."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON document as Python objects (see :meth:`Result.to_dict`)."""
        return self.json_model().to_dict()

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON document as text (see :meth:`Result.to_json`)."""
        return self.json_model().to_json(indent=indent)
