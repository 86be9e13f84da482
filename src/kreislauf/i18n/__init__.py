"""The one i18n catalogue and the locale-aware number formats.

German is the default language of everything a user reads; English on request. Messages
live in ``messages/*.yaml`` beside this module (one file per domain, merged into one
catalogue; a key defined twice is an error), one key per message with a ``de`` and an ``en``
text (``str.format`` placeholders). German numbers use the decimal comma and a
no-break space before the percent sign (``4,120``; ``87 %``), following DIN 5008.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeGuard, get_args

# yaml (catalogue) and babel (number formats) are imported where they are used: errors.py
# and so the CLI import this module, and ``kreislauf --help`` should not pay for either.

Lang = Literal["de", "en"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "de"
_LOCALES: dict[Lang, str] = {"de": "de_DE", "en": "en_GB"}


def is_lang(value: object) -> TypeGuard[Lang]:
    """Whether ``value`` is exactly one of :data:`LANGUAGES` (``"de"``, ``"en"``)."""
    return value in LANGUAGES


def as_lang(value: object, default: Lang = DEFAULT_LANG) -> Lang:
    """``value`` as a supported :data:`Lang`, else ``default``; never raises.

    The one place where a language given from outside (an option, an environment variable,
    a cookie, job parameters) is turned into a :data:`Lang`. Case and surrounding blanks are
    ignored and only the primary language subtag counts, so ``"DE"``, ``" en "``,
    ``"en-GB"`` and ``"de_DE.UTF-8"`` are understood; ``None``, ``""``, non-strings and
    unsupported languages (``"fr"``) give ``default``.

    References
    ----------
    BCP 47 / RFC 5646, section 2.2.1 (primary language subtag).
    """
    if not isinstance(value, str):
        return default
    primary = value.strip().replace("_", "-").split("-", 1)[0].split(".", 1)[0].lower()
    for lang in LANGUAGES:
        if primary == lang:
            return lang
    return default


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, ``{key: {"de": text, "en": text}}``."""
    from importlib import resources

    import yaml

    merged: dict[str, dict[str, str]] = {}
    folder = resources.files(__package__).joinpath("messages")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        # libyaml's parser when PyYAML has it: the pure-Python one took 1-5 s for the
        # catalogue, paid by every command that prints a message (issue 21)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, texts in data.items():
            if key in merged:
                raise RuntimeError(f"i18n key '{key}' is defined twice (again in {entry.name})")
            merged[str(key)] = {str(k): str(v) for k, v in texts.items()}
    return merged


def check_lang(lang: str) -> Lang:
    """Return ``lang`` as a :data:`Lang` or raise ``ValueError`` naming the choices."""
    if not is_lang(lang):
        raise ValueError(f"language '{lang}' is not supported; use one of {', '.join(LANGUAGES)}")
    return lang


@dataclass(frozen=True)
class Msg:
    """A message that is translated only when shown; usable as a parameter of another."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        return translate(self.key, lang, **self.params)


def msg(key: str, /, **params: Any) -> Msg:
    """Shorthand for ``Msg(key, params)``."""
    return Msg(key, params)


def translate(key: str, lang: Lang = DEFAULT_LANG, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in.

    Parameters that are :class:`Msg` objects are translated first, in the same language. A
    missing key is a programming error and raises ``KeyError``; the test suite checks that
    every key has both languages.
    """
    template = catalogue()[key][lang]
    if not params:
        return template
    resolved = {k: v.text(lang) if isinstance(v, Msg) else v for k, v in params.items()}
    return template.format(**resolved)


#: From this magnitude on, :func:`format_number` writes numbers in scientific notation.
LARGE_NUMBER = 1e15


def format_number(value: float | None, lang: Lang = DEFAULT_LANG, *, decimals: int = 3) -> str:
    """``value`` with a fixed number of decimals in the language's format; '–' for None/NaN.

    Any float renders: ``±∞`` for infinities, and magnitudes of 10¹⁵ and more (beyond the
    ledger's documented range, where decimals mean nothing) in scientific notation
    (``1,235E27``), which also keeps babel's 28-digit decimal arithmetic out of reach.
    """
    if value is None or value != value:
        return "–"
    from babel.numbers import format_decimal, format_scientific

    if value in (math.inf, -math.inf):
        return "∞" if value > 0 else "−∞"
    if abs(value) >= LARGE_NUMBER:
        return format_scientific(value, format="0.###E0", locale=_LOCALES[lang])
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if round(value, max(decimals, 0)) == 0:
        value = 0.0  # no "-0,0" for a small negative value
    return format_decimal(value, format=pattern, locale=_LOCALES[lang])


def format_percent(value: float | None, lang: Lang = DEFAULT_LANG, *, decimals: int = 1) -> str:
    """A percentage given on the 0-100 scale, e.g. ``87,5 %`` (de) or ``87.5%`` (en)."""
    if value is None or value != value:
        return "–"
    number = format_number(value, lang, decimals=decimals)
    return f"{number}\u00a0%" if lang == "de" else f"{number}%"


def format_integer(value: float | None, lang: Lang = DEFAULT_LANG) -> str:
    """A count with the language's thousands separator (``1.234`` / ``1,234``)."""
    return format_number(value, lang, decimals=0)
