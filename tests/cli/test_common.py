"""The language choice shared by every command group (kreislauf.cli.common)."""

from __future__ import annotations

import pytest

from kreislauf.cli.common import env_lang, lang_from_args, parse_lang
from kreislauf.errors import InvalidOption


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "de"), ("en", "en"), ("de", "de"), ("EN", "en"), ("en_GB.UTF-8", "en"), ("fr", "de")],
)
def test_env_lang_reads_kreislauf_lang_and_falls_back_to_german(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: str
) -> None:
    if value is None:
        monkeypatch.delenv("KREISLAUF_LANG", raising=False)
    else:
        monkeypatch.setenv("KREISLAUF_LANG", value)
    assert env_lang() == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ledger", "validate", "x.csv", "--lang", "en"], "en"),
        (["ledger", "validate", "--lang=en", "x.csv"], "en"),
        (["ledger", "validate", "x.csv", "--lang", "xx"], "de"),
        (["ledger", "validate", "x.csv", "--lang"], "de"),
        (["ledger", "validate", "x.csv"], "de"),
    ],
)
def test_lang_from_args_takes_a_valid_lang_option_else_the_environment(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: str
) -> None:
    monkeypatch.delenv("KREISLAUF_LANG", raising=False)
    assert lang_from_args(argv) == expected


def test_lang_from_args_falls_back_to_kreislauf_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KREISLAUF_LANG", "en")
    assert lang_from_args(["ledger", "validate", "--lang", "xx"]) == "en"


def test_parse_lang_accepts_de_and_en_and_defaults_to_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KREISLAUF_LANG", "en")
    assert parse_lang(None) == "en"
    assert parse_lang("de") == "de"
    assert parse_lang("en") == "en"


def test_parse_lang_refuses_an_unknown_language_naming_the_choices() -> None:
    with pytest.raises(InvalidOption) as info:
        parse_lang("fr")
    assert info.value.params == {"value": "fr", "option": "--lang", "expected": "de, en"}
    assert "'fr'" in info.value.message("en")
    assert "de, en" in info.value.message("en")
