"""The error tree drawn at the top of kreislauf.errors stays complete."""

from __future__ import annotations

import inspect
import re

import kreislauf.errors as errors


def _error_classes() -> list[type[errors.KreislaufError]]:
    return [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.KreislaufError) and cls.__module__ == errors.__name__
    ]


def test_the_module_docstring_draws_every_error_class() -> None:
    drawn = set(re.findall(r"\b[A-Z][A-Za-z]+\b", errors.__doc__ or ""))
    missing = sorted(cls.__name__ for cls in _error_classes() if cls.__name__ not in drawn)
    assert missing == []


def test_every_error_class_says_when_it_is_raised() -> None:
    """httpx style: a condition says "Raised when …"; a base class says what it groups."""
    undocumented = sorted(
        cls.__name__
        for cls in _error_classes()
        if not (cls.__doc__ or "").startswith("Raised when" if not cls.__subclasses__() else "Base")
    )
    assert undocumented == []


def test_values_in_messages_are_short_excerpts() -> None:
    from kreislauf.errors import InvalidNumber, excerpt
    from kreislauf.i18n import msg

    error = InvalidNumber(file="f.csv", row=2, column="q", value="9" * 10_000, expected="x" * 900)
    assert len(error.params["value"]) == 80 and error.params["value"].endswith("…")
    assert len(error.params["expected"]) == 300
    assert len(error.message("de")) < 600
    nested = excerpt(msg("readers.reason.malformed_csv", detail="d" * 5_000))
    assert len(nested.params["detail"]) == 300  # type: ignore[union-attr]
    assert excerpt(12345) == 12345 and excerpt([1] * 1_000) == str([1] * 1_000)[:79] + "…"
