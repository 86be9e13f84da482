"""Cronbach's alpha against a hand computation and its invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreislauf.survey.items import parse_scale, prepare_survey
from kreislauf.survey.questionnaire import ItemSpec, Questionnaire
from kreislauf.survey.reliability import cronbach_alpha, group_reliability
from tests.survey.conftest import raw_from


def test_hand_computed_alpha() -> None:
    m = np.array([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 5, 5]], dtype=float)
    # item variances (n-1): 5/3, 27/12, 19/12 -> sum 5.5; row sums 5, 7, 10, 14 (mean 9)
    # -> variance 46/3; alpha = 3/2 * (1 - 5.5 / (46/3)) = 0.961957
    assert cronbach_alpha(m) == pytest.approx(1.5 * (1 - 5.5 / (46 / 3)), abs=1e-12)
    assert cronbach_alpha(m) == pytest.approx(0.961957, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=3, max_size=30).filter(lambda v: len(set(v)) > 1))
def test_identical_items_have_alpha_one(column: list[int]) -> None:
    m = np.column_stack([column, column, column]).astype(float)
    assert cronbach_alpha(m) == pytest.approx(1.0)


def test_reverse_coded_item_is_mirrored_and_incomplete_cases_dropped() -> None:
    raw = raw_from({"a": ["1", "2", "4", "5", ""], "b": ["5", "4", "2", "1", "3"]})
    q = Questionnaire(items=[ItemSpec(id="a"), ItemSpec(id="b", reverse=True)])
    survey = prepare_survey(raw, q, scale=parse_scale("1-5"))
    result = group_reliability("g", "G", [survey.item("a"), survey.item("b")])
    assert result.n == 4
    assert result.alpha == pytest.approx(1.0)
    assert result.reversed_items == ["b"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(0, 4)),
        min_size=4,
        max_size=25,
    )
)
def test_weighted_alpha_equals_alpha_of_the_repeated_cases(rows: list[tuple[int, ...]]) -> None:
    """Frequency weights: the alpha of the data with each case repeated w times, computed
    the unweighted way (variance of the row sums), is the independent check."""
    data = np.array([r[:3] for r in rows], dtype=float)
    weights = np.array([r[3] for r in rows], dtype=float)
    repeated = np.repeat(data, weights.astype(int), axis=0)
    expected = cronbach_alpha(repeated)
    got = cronbach_alpha(data, weights)
    if expected is None:
        assert got is None or repeated.shape[0] < 2
    else:
        assert got == pytest.approx(expected, abs=1e-9)


def test_weighted_alpha_through_the_analysis() -> None:
    raw = raw_from(
        {
            "a": ["1", "2", "4", "5", "3"],
            "b": ["2", "2", "5", "4", "1"],
            "w": ["1", "3", "2", "1", "2"],
        }
    )
    q = Questionnaire(items=[ItemSpec(id="a"), ItemSpec(id="b")], weight_column="w")
    survey = prepare_survey(raw, q, scale=parse_scale("1-5"))
    result = group_reliability(
        "g", "G", [survey.item("a"), survey.item("b")], weights=survey.weights
    )
    repeated = np.repeat(
        np.array([[1, 2], [2, 2], [4, 5], [5, 4], [3, 1]], dtype=float), [1, 3, 2, 1, 2], axis=0
    )
    assert result.weighted
    assert result.n == 5
    assert result.alpha == pytest.approx(cronbach_alpha(repeated), abs=1e-12)
    assert result.alpha != pytest.approx(cronbach_alpha(repeated[[0, 1, 4, 6, 7]]), abs=1e-3)
