"""The one settings object: environment variables with the ``KREISLAUF_`` prefix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kreislauf.settings import Settings


@pytest.mark.parametrize(("given", "expected"), [("EN", "en"), (" De ", "de"), ("en", "en")])
def test_lang_is_read_in_any_case(
    monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    monkeypatch.setenv("KREISLAUF_LANG", given)
    monkeypatch.setenv("KREISLAUF_SECRET_KEY", "x" * 32)
    assert Settings().lang == expected


def test_unknown_lang_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KREISLAUF_LANG", "fr")
    monkeypatch.setenv("KREISLAUF_SECRET_KEY", "x" * 32)
    with pytest.raises(ValidationError, match="lang"):
        Settings()
