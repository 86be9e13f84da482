"""NPV, payback, annuity factor and abatement cost on textbook values."""

from __future__ import annotations

import pytest

from kreislauf.carbon.economics import (
    capital_recovery_factor,
    marginal_abatement_cost,
    npv,
    simple_payback,
)


def test_capital_recovery_factor_textbook_values():
    # annuity factor tables: 5 % over 20 years 0.08024; 8 % over 10 years 0.14903
    assert capital_recovery_factor(0.05, 20) == pytest.approx(0.080243, abs=1e-6)
    assert capital_recovery_factor(0.08, 10) == pytest.approx(0.149029, abs=1e-6)
    assert capital_recovery_factor(0.0, 4) == 0.25


def test_npv_of_an_annuity_is_zero_at_its_own_factor():
    investment, rate, years = 1000.0, 0.07, 12
    payment = investment * capital_recovery_factor(rate, years)
    assert npv(investment, [payment] * years, rate) == pytest.approx(0.0, abs=1e-9)


def test_payback_rules():
    assert simple_payback(100, [40, 40, 40]) == pytest.approx(2.5)
    assert simple_payback(100, [10, 10]) is None
    assert simple_payback(100, [-50, 100, 100]) == pytest.approx(2.5)
    assert simple_payback(0, [5]) == 0.0
    assert simple_payback(0, [-5]) is None


def test_abatement_cost_sign_and_undefined_without_abatement():
    assert marginal_abatement_cost(0, 0, 100, 2, rate=0.05, years=5) == -50
    assert marginal_abatement_cost(1000, 0, 0, 1, rate=0.0, years=10) == 100
    assert marginal_abatement_cost(1000, 0, 0, 0, rate=0.05, years=10) is None
