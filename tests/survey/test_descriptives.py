"""Descriptives agree with an independent computation (``statistics``) on generated data."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreislauf.survey.descriptives import descriptives

answers = st.lists(
    st.one_of(st.integers(1, 5).map(float), st.just(np.nan)), min_size=1, max_size=60
)


@settings(max_examples=200, deadline=None)
@given(answers)
def test_matches_statistics_module(cells: list[float]) -> None:
    values = np.array(cells)
    valid = [v for v in cells if not np.isnan(v)]
    d = descriptives(values)
    assert d.valid == len(valid)
    assert d.missing == len(cells) - len(valid)
    if not valid:
        assert d.mean is None and d.median is None
        return
    assert d.mean == pytest.approx(statistics.fmean(valid), abs=1e-12)
    assert d.median == pytest.approx(statistics.median(valid), abs=1e-12)
    assert (d.min, d.max) == (min(valid), max(valid))
    if len(valid) > 1:
        assert d.sd == pytest.approx(statistics.stdev(valid), abs=1e-12)
        # type 7 quartiles are statistics' "inclusive" method
        q1, _, q3 = statistics.quantiles(valid, n=4, method="inclusive")
        assert d.q1 == pytest.approx(q1, abs=1e-12)
        assert d.q3 == pytest.approx(q3, abs=1e-12)
    else:
        assert d.sd is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 5).map(float), min_size=2, max_size=40))
def test_spss_type_6_quartiles(valid: list[float]) -> None:
    d = descriptives(np.array(valid), quantile_method=6)
    # statistics extrapolates beyond the data for small n; SPSS and numpy clamp to min/max
    q1, _, q3 = (
        min(max(q, min(valid)), max(valid))
        for q in statistics.quantiles(valid, n=4, method="exclusive")
    )
    assert d.q1 == pytest.approx(q1, abs=1e-12)
    assert d.q3 == pytest.approx(q3, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 4)), min_size=1, max_size=30))
def test_integer_weights_equal_repeated_cases(pairs: list[tuple[int, int]]) -> None:
    """Frequency weights (SPSS WEIGHT BY) give the same mean and SD as repeating cases."""
    values = np.array([float(v) for v, _ in pairs])
    weights = np.array([float(w) for _, w in pairs])
    repeated = [float(v) for v, w in pairs for _ in range(w)]
    d = descriptives(values, weights=weights)
    assert d.weighted_n == pytest.approx(len(repeated))
    if len(repeated) >= 2:
        assert d.mean == pytest.approx(statistics.fmean(repeated), abs=1e-12)
        assert d.sd == pytest.approx(statistics.stdev(repeated), abs=1e-12)
        assert d.median == pytest.approx(
            float(np.quantile(repeated, 0.5, method="inverted_cdf")), abs=1e-12
        )


def test_empty_item_has_no_location() -> None:
    d = descriptives(np.array([np.nan, np.nan]))
    assert (d.valid, d.missing, d.mean, d.sd) == (0, 2, None, None)
