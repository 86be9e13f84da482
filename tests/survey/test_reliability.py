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
