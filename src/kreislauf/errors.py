"""The user-facing error hierarchy.

Every error a person can act on derives from :class:`KreislaufError`. The CLI and the web
layer turn it into a localized message and an exit code / HTTP status; nothing else in the
code base decides how an error is shown. Messages live in the one i18n catalogue
(``kreislauf/i18n/messages.yaml``) under the class's ``key``.

Each error is raised with keyword parameters; ``file``, ``row``, ``column`` and ``field``
are reserved and build the location prefix ("responses.csv, Zeile 4, Spalte 'Q1'").
"""

from __future__ import annotations

from typing import Any, ClassVar

from kreislauf.i18n import DEFAULT_LANG, Lang, translate

_LOCATION_KEYS = ("file", "row", "column", "field")


class KreislaufError(Exception):
    """Base of every error that is shown to a user instead of a traceback."""

    key: ClassVar[str] = "error.generic"
    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 400

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.message("en"))

    def location(self, lang: Lang = DEFAULT_LANG) -> str:
        """The 'where' part of the message, e.g. ``data.csv, row 4, column 'Q1'``."""
        parts: list[str] = []
        for name in _LOCATION_KEYS:
            value = self.params.get(name)
            if value is None:
                continue
            if name == "file":
                parts.append(str(value))
            else:
                parts.append(translate(f"location.{name}", lang, value=value))
        return ", ".join(parts)

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        """The full message in ``lang``: where, what was found, what was expected."""
        text = translate(self.key, lang, **self.params)
        where = self.location(lang)
        return f"{where}: {text}" if where else text


class InputError(KreislaufError):
    """Base for errors caused by input the user can fix (files, options, questionnaires)."""

    key = "error.input"
    exit_code = 2
    http_status = 422


class FileNotReadable(InputError):
    """Raised when an input file does not exist, cannot be opened or is corrupt."""

    key = "error.file_not_readable"


class UnsupportedFormat(InputError):
    """Raised when a file's type is not one of the supported input formats."""

    key = "error.unsupported_format"


class EmptyFile(InputError):
    """Raised when an input file has no data rows (or no columns)."""

    key = "error.empty_file"


class UnknownColumn(InputError):
    """Raised when a questionnaire or option names a column the data does not have."""

    key = "error.unknown_column"


class NonNumericValue(InputError):
    """Raised when a numeric or Likert column holds a value that is not a number."""

    key = "error.non_numeric_value"


class InvalidOption(InputError):
    """Raised when a command-line option or setting has a value of the wrong form."""

    key = "error.invalid_option"


class InvalidQuestionnaire(InputError):
    """Raised when a questionnaire file is not valid YAML or violates the schema."""

    key = "error.invalid_questionnaire"


class OutputNotWritable(KreislaufError):
    """Raised when a result cannot be written to the requested place."""

    key = "error.output_not_writable"
    exit_code = 3
    http_status = 500
