"""The one i18n module: language choice (as_lang, is_lang, check_lang) and its cost."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kreislauf.i18n import LANGUAGES, as_lang, check_lang, format_number, is_lang, translate


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("de", "de"),
        ("en", "en"),
        ("DE", "de"),
        (" En ", "en"),
        ("en-GB", "en"),
        ("de-AT", "de"),
        ("de_DE.UTF-8", "de"),
        ("EN_us", "en"),
    ],
)
def test_as_lang_understands_case_blanks_and_region_subtags(value: str, expected: str) -> None:
    assert as_lang(value) == expected
    assert as_lang(value, "en" if expected == "de" else "de") == expected


@pytest.mark.parametrize("value", [None, "", "  ", "fr", "english", "d", "-en", "xx-en", 1, b"en"])
def test_as_lang_gives_the_default_for_anything_else(value: object) -> None:
    assert as_lang(value) == "de"
    assert as_lang(value, "en") == "en"


@given(st.one_of(st.none(), st.text(), st.integers(), st.binary()))
def test_as_lang_always_returns_a_supported_language(value: object) -> None:
    assert as_lang(value) in LANGUAGES
    assert as_lang(value, "en") in LANGUAGES


def test_is_lang_is_an_exact_match() -> None:
    assert [v for v in ("de", "en", "DE", "en-GB", None, "") if is_lang(v)] == ["de", "en"]


def test_check_lang_returns_a_supported_language_and_refuses_others() -> None:
    assert check_lang("en") == "en"
    with pytest.raises(ValueError, match="'fr' is not supported; use one of de, en"):
        check_lang("fr")


def test_catalogue_and_number_formats_still_work_after_lazy_imports() -> None:
    assert translate("cli.error", "en") != translate("cli.error", "de")
    assert format_number(1234.5, "de", decimals=1) == "1.234,5"
    assert format_number(1234.5, "en", decimals=1) == "1,234.5"


def test_importing_i18n_and_errors_loads_neither_yaml_nor_babel_nor_pydantic() -> None:
    probe = (
        "import json, sys, kreislauf.errors, kreislauf.i18n; "
        "heavy = ('yaml', 'babel', 'pydantic', 'pandas'); "
        "print(json.dumps([m for m in heavy if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize(
    ("value", "de", "en"),
    [
        (float("inf"), "∞", "∞"),
        (float("-inf"), "−∞", "−∞"),
        (1e27, "1E27", "1E27"),
        (-1.2345e300, "-1,234E300", "-1.234E300"),
        (123.4, "123,400", "123.400"),
    ],
)
def test_format_number_renders_any_float(value: float, de: str, en: str) -> None:
    from kreislauf.i18n import format_integer, format_number, format_percent

    assert format_number(value, "de") == de
    assert format_number(value, "en") == en
    assert format_percent(value, "de").startswith(de.split(",")[0].rstrip("0"))
    assert format_integer(value, "en")
