"""The one number rule: German and English cells, an explicit decimal mark, its detection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kreislauf.numbers import coerce_numeric, detect_decimal, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", 1234.5),
        ("1,5", 1.5),
        (" -0,25 ", -0.25),
        ("4.020", 4.02),  # without a comma: decimal point
        ("1234.5", 1234.5),
        ("1e3", 1000.0),
    ],
)
def test_parse_number_general_rule(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.234.5,6x", "1,234.5"])
def test_parse_number_refuses_what_is_no_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_parse_number_with_a_given_mark():
    assert parse_number("4.020", decimal=",") == 4020.0
    assert parse_number("1,234.5", decimal=".") == 1234.5
    assert parse_number("1,234", decimal=".") == 1234.0
    assert parse_number("1,5", decimal=".") == 1.5  # not grouped in threes: general rule


def test_coerce_numeric_with_a_given_mark_matches_parse_number():
    cells = pd.Series(["4.020", "1.234,5", "7", None, "x"], dtype="string")
    numbers, bad = coerce_numeric(cells, decimal=",")
    assert numbers[:3].tolist() == [4020.0, 1234.5, 7.0]
    assert np.isnan(numbers[3]) and not bad[3]
    assert bad.tolist() == [False, False, False, False, True]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1.314", "84.811,68"], ","),
        (["40,387", "1.314"], ","),
        (["1.5", "1,234.5"], "."),
        (["1.314", "7"], None),
        (["1,5", "2.5"], None),  # both readings occur: each cell by the general rule
    ],
)
def test_detect_decimal(cells, expected):
    assert detect_decimal(pd.Series(cells, dtype="string")) == expected


def test_integers_beyond_float64_are_infinite_not_an_error() -> None:
    cells = pd.Series(np.array([10**400, -(10**400), "1,5", 2], dtype=object), dtype=object)
    numbers, bad = coerce_numeric(cells)
    assert numbers[0] == np.inf and numbers[1] == -np.inf
    assert numbers[2:].tolist() == [1.5, 2.0] and not bad.any()
