"""Agreement shares and Wilson intervals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from kreislauf.survey.questionnaire import ScaleSpec
from kreislauf.survey.shares import likert_shares, wilson_interval

FIVE = ScaleSpec(min=1, max=5)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_matches_scipy(case: tuple[int, int]) -> None:
    k, n = case
    ours = wilson_interval(k, n)
    theirs = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert ours.low == pytest.approx(100 * theirs.low, abs=1e-9)
    assert ours.high == pytest.approx(100 * theirs.high, abs=1e-9)


def test_wilson_known_value() -> None:
    # 21 of 24: p = 0.875, z = 1.959964; Wilson centre 0.8294, half-width 0.1391
    interval = wilson_interval(21, 24)
    assert interval.low == pytest.approx(69.00, abs=0.01)
    assert interval.high == pytest.approx(95.66, abs=0.01)
    assert wilson_interval(0, 0) is None


def test_seed_rule_out_of_scale_stays_in_base() -> None:
    values = np.array([0, 1, 2, 3, 4, 4, 5, 5, np.nan], dtype=float)
    s = likert_shares(values, FIVE)
    assert s.bases == {"all": 8.0, "excl_neutral": 7.0}
    assert s.agree == pytest.approx(100 * 4 / 8)
    assert s.neutral == pytest.approx(100 * 1 / 8)
    assert s.disagree == pytest.approx(100 * 2 / 8)
    assert s.agree_excl_neutral == pytest.approx(100 * 4 / 7)
    assert s.disagree_excl_neutral == pytest.approx(100 * 2 / 7)


def test_even_scale_has_no_neutral() -> None:
    four = ScaleSpec(min=1, max=4)
    s = likert_shares(np.array([1, 2, 3, 4, 4], dtype=float), four)
    assert s.neutral == 0.0
    assert s.agree == pytest.approx(60.0)
    assert s.agree_excl_neutral == s.agree


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]), min_size=1, max_size=50))
def test_shares_sum_to_100_on_scale(cells: list[float]) -> None:
    s = likert_shares(np.array(cells), FIVE)
    if s.bases["all"] == 0:
        assert s.agree is None
        return
    assert s.agree + s.neutral + s.disagree == pytest.approx(100.0)
    if s.bases["excl_neutral"] > 0:
        assert s.agree_excl_neutral + s.disagree_excl_neutral == pytest.approx(100.0)


def test_weights_scale_the_counts() -> None:
    values = np.array([1.0, 5.0, 5.0])
    s = likert_shares(values, FIVE, weights=np.array([2.0, 1.0, 1.0]))
    assert s.agree == pytest.approx(50.0)
    assert s.bases["all"] == 4.0


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99, 0.5, 0.999, 0.123])
def test_normal_quantile_is_scipys_norm_ppf_bit_for_bit(confidence: float) -> None:
    """The stored quantiles of the usual levels and the computed others (issue 21)."""
    from scipy.stats import norm

    from kreislauf.survey.shares import normal_quantile

    p = 0.5 + confidence / 2
    assert normal_quantile(p).hex() == float(norm.ppf(p)).hex()
