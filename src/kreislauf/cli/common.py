"""What every command group shares: consoles and the language choice.

Imported by ``kreislauf --help``: keep it to the standard library, Rich and the i18n
module; domain and report modules are imported inside the functions that need them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from kreislauf.errors import InvalidOption
from kreislauf.i18n import LANGUAGES, Lang, as_lang, is_lang

if TYPE_CHECKING:
    from kreislauf.report.write import Format

#: Standard output; lines are not wrapped, so a written path stays one copyable line
#: (tables still fit the terminal). Neither console reads Rich markup: printed texts hold
#: users' values ("[/x]" in a cell, "Menge [t]" in a header) that markup would swallow
#: or fail on; styles come from :func:`marked`.
console = Console(soft_wrap=True, markup=False)
console_err = Console(stderr=True, markup=False)


def marked(mark: str, style: str, text: str = "") -> Text:
    """``mark`` in ``style`` (e.g. a green ✓), then ``text`` as it is."""
    return Text.assemble((mark, style), " " if text else "", text)


def env_lang() -> Lang:
    """``KREISLAUF_LANG`` if it names a supported language, else German."""
    return as_lang(os.environ.get("KREISLAUF_LANG"))


def lang_from_args(argv: Sequence[str]) -> Lang:
    """The language of messages: ``--lang X`` on the command line, else :func:`env_lang`.

    Read from the raw arguments so that an error raised before or while Typer parses the
    options is still shown in the language the user asked for.
    """
    for position, arg in enumerate(argv):
        value = None
        if arg == "--lang" and position + 1 < len(argv):
            value = argv[position + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if is_lang(value):
            return value
    return env_lang()


def parse_lang(value: str | None) -> Lang:
    """The ``--lang`` option: ``de`` or ``en``; unset means :func:`env_lang`."""
    if value is None:
        return env_lang()
    if not is_lang(value):
        raise InvalidOption(value=value, option="--lang", expected=", ".join(LANGUAGES))
    return value


def parse_formats(value: str) -> tuple[Format, ...]:
    """The ``--formats`` option: a comma-separated subset of ``html,pdf``, not empty."""
    from kreislauf.report.write import FORMATS

    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise InvalidOption(
            value=unknown[0] if unknown else value,
            option="--formats",
            expected=", ".join(FORMATS),
        )
    return chosen  # type: ignore[return-value]
