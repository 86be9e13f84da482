"""The password policy: length, the shipped list of common passwords, the e-mail address."""

from __future__ import annotations

import pytest

from kreislauf.errors import CommonPassword, InvalidField, PasswordLikeEmail
from kreislauf.store.passwords import MIN_PASSWORD, check_password, common_passwords

EMAIL = "anna.schmidt@example.org"


def test_the_shipped_list_is_read_and_lower_case() -> None:
    listed = common_passwords()
    assert len(listed) == 1090
    assert {"qwertyuiop", "1234567890", "password123"} <= listed
    assert all(len(word) >= MIN_PASSWORD and word == word.lower() for word in listed)


@pytest.mark.parametrize(
    "password", ["qwertyuiop", "QwertyUiop", "password123", "Password123!", "1q2w3e4r5t6y"]
)
def test_common_passwords_are_refused(password: str) -> None:
    with pytest.raises(CommonPassword) as raised:
        check_password(password, email=EMAIL)
    assert "häufigsten" in raised.value.message("de")
    assert "most common" in raised.value.message("en")


@pytest.mark.parametrize(
    "password",
    [EMAIL, EMAIL.upper(), f"my {EMAIL} pw", "anna.schmidt", "Anna.Schmidt2024", "anna.schmidt!!"],
)
def test_the_email_and_its_local_part_are_refused(password: str) -> None:
    with pytest.raises(PasswordLikeEmail) as raised:
        check_password(password, email=EMAIL)
    assert "E-Mail-Adresse" in raised.value.message("de")
    assert "e-mail address" in raised.value.message("en")


def test_short_passwords_are_refused() -> None:
    with pytest.raises(InvalidField, match=">= 10 characters"):
        check_password("kurz-pw", email=EMAIL)


@pytest.mark.parametrize(
    "password", ["a long enough password", "Kreislauf-Wirtschaft 2026", "anna schmidt's garden"]
)
def test_good_passwords_pass(password: str) -> None:
    check_password(password, email=EMAIL)
