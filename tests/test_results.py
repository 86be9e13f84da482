"""The one number rule and the self-serialising result base (kreislauf.results)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from kreislauf.results import (
    Exact,
    Number,
    Number2,
    Number3,
    Number9,
    Result,
    Value,
    json_number,
    json_value,
)


class _Example(Result):
    value: Number
    small: Number9
    score: Number3 | None
    given: Exact
    plain: float
    free: dict[str, Value]


def _example(value: float) -> _Example:
    return _Example(
        value=value,
        small=value,
        score=value,
        given=value,
        plain=value,
        free={"x": np.float64(value), "n": np.int64(3), "flag": np.bool_(True), "s": "a"},
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), None])
def test_not_finite_or_missing_is_null(value):
    assert json_number(value) is None
    assert json_number(value, digits=None) is None


def test_rounding_is_pythons_round_with_the_documented_digits():
    assert json_number(1.23456789) == 1.234568
    assert json_number(1.23456789, digits=3) == 1.235
    assert json_number(1.23456789, digits=None) == 1.23456789
    assert json_number(np.float64(2.5e-7)) == round(2.5e-7, 6)
    assert type(json_number(np.float64(1.5))) is float


def test_json_value_writes_numpy_as_python():
    out = json_value(np.array([1.23456789, np.nan]))
    assert out == [1.234568, None]
    assert json_value(np.int64(4)) == 4 and type(json_value(np.int64(4))) is int
    assert json_value(np.bool_(False)) is False
    assert json_value("text") == "text" and json_value(7) == 7


def test_to_dict_and_to_json_give_the_same_document_and_null_for_nan():
    result = _example(float("nan"))
    document, text = result.to_dict(), json.loads(result.to_json())
    expected = {"value": None, "small": None, "score": None, "given": None}
    assert {k: document[k] for k in expected} == {k: text[k] for k in expected} == expected
    assert document["free"] == text["free"] == {"x": None, "n": 3, "flag": True, "s": "a"}
    # a plain float is not rounded; it is null in JSON text, NaN in Python objects
    assert text["plain"] is None and math.isnan(document["plain"])
    assert math.isnan(result.model_dump()["value"])  # Python mode keeps the value


def test_each_field_type_keeps_its_digits():
    document = _example(0.123456789123).to_dict()
    assert document["value"] == 0.123457
    assert document["small"] == 0.123456789
    assert document["score"] == 0.123
    assert document["given"] == 0.123456789123
    assert document["plain"] == 0.123456789123
    assert document["free"]["x"] == 0.123457


def test_results_are_frozen_and_read_from_attributes():
    @dataclass(frozen=True)
    class Point:
        value: float = 1.0
        small: float = 2.0
        score: float | None = None
        given: float = 3.0
        plain: float = 4.0
        free: dict[str, object] = field(default_factory=dict)

    result = _Example.model_validate(Point())
    assert result.to_dict()["given"] == 3.0
    with pytest.raises(ValidationError):
        result.value = 2.0  # type: ignore[misc]


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_json_text_round_trips_the_rounded_value(value):
    expected = round(value, 6) if math.isfinite(value) else None
    parsed = json.loads(_example(value).to_json())
    assert parsed["value"] == expected
    assert parsed["given"] == (value if math.isfinite(value) else None)


class _Money(Result):
    npv_eur: Number2 | None
    payback_years: Number3 | None


@pytest.mark.parametrize(
    ("value", "cents"),
    [(1234.5678, 1234.57), (0.125, 0.12), (-0.375, -0.38), (2.675, 2.67), (1e-3, 0.0)],
)
def test_number2_keeps_two_decimals_by_pythons_round(value, cents):
    """Ties to even on the double's exact value: 0.125 -> 0.12, 2.675 (below) -> 2.67."""
    money = _Money(npv_eur=value, payback_years=value)
    assert money.to_dict()["npv_eur"] == cents == round(value, 2)
    assert json.loads(money.to_json())["npv_eur"] == cents
    assert money.model_dump()["npv_eur"] == value  # Python mode keeps the value


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), None])
def test_number2_not_finite_or_missing_is_null(value):
    money = _Money(npv_eur=value, payback_years=value)
    assert (
        money.to_dict()
        == json.loads(money.to_json())
        == {
            "npv_eur": None,
            "payback_years": None,
        }
    )


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_number2_json_text_round_trips_the_rounded_value(value):
    expected = round(value, 2) if math.isfinite(value) else None
    assert json.loads(_Money(npv_eur=value, payback_years=None).to_json())["npv_eur"] == expected
