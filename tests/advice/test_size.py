"""EU size classes after Recommendation 2003/361/EC, Annex Art. 2."""

import pytest

from kreislauf.advice import Company, size_class


@pytest.mark.parametrize(
    ("employees", "turnover", "balance", "expected"),
    [
        (9, 2e6, None, "micro"),
        (9, 3e6, 2e6, "micro"),  # balance sheet within the ceiling suffices
        (10, 1e6, 1e6, "small"),  # 10 staff is no longer micro
        (49, 10e6, None, "small"),
        (49, 11e6, 10e6, "small"),
        (50, 1e6, None, "medium"),
        (249, 50e6, None, "medium"),
        (249, 60e6, 43e6, "medium"),  # balance ceiling of medium is 43 m
        (249, 60e6, 44e6, "large"),
        (250, 1e6, 1e6, "large"),
    ],
)
def test_size_class_ceilings(employees, turnover, balance, expected):
    company = Company(employees=employees, turnover_eur=turnover, balance_sheet_eur=balance)
    assert size_class(company).size_class == expected


def test_size_class_names_what_is_missing():
    assert size_class(Company(turnover_eur=1e6)).missing == ["employees"]
    assert size_class(Company(employees=5)).missing == ["turnover_eur", "balance_sheet_eur"]
    # over the micro turnover ceiling: only the balance sheet can keep it micro
    result = size_class(Company(employees=5, turnover_eur=3e6), "en")
    assert result.size_class is None
    assert result.missing == ["balance_sheet_eur"]
    assert "balance sheet" in result.reason


def test_size_class_reason_in_both_languages():
    company = Company(employees=85, turnover_eur=14.5e6, balance_sheet_eur=9.8e6)
    assert "2003/361/EC" in size_class(company, "en").reason
    assert "2003/361/EG" in size_class(company, "de").reason
