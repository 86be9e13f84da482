"""The document model shared by every report in kreislauf.

A domain builds a :class:`Report` from its result object (texts already translated,
numbers already formatted for the report's language); :mod:`kreislauf.report.html` and
:mod:`kreislauf.report.pdf` render the same document to a self-contained HTML page and to
a PDF. Domains never write HTML or PDF themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kreislauf.i18n import DEFAULT_LANG, Lang

Align = Literal["left", "right", "center"]
Tone = Literal["info", "warning", "ok"]


@dataclass(frozen=True)
class Paragraph:
    """Running text. ``style='note'`` renders small and muted (sources, method notes)."""

    text: str
    style: Literal["body", "lead", "note"] = "body"


@dataclass(frozen=True)
class Callout:
    """A boxed list, e.g. data-quality warnings (``tone='warning'``) or passed checks."""

    title: str
    items: list[str]
    tone: Tone = "info"


@dataclass(frozen=True)
class KeyFigure:
    """One headline number: ``value`` (formatted), what it is, and its base/interval."""

    value: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class KeyFigures:
    """A row of headline numbers."""

    figures: list[KeyFigure]


@dataclass(frozen=True)
class Table:
    """A table of formatted cells.

    header : column headings
    rows : body rows, each as long as ``header``
    footer : rows set apart below the body (e.g. ``Total``)
    align : per column; default left for the first column, right for the others
    muted_rows : indices of body rows shown muted (e.g. missing-value rows)
    """

    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    footer: list[list[str]] = field(default_factory=list)
    align: list[Align] | None = None
    muted_rows: frozenset[int] = frozenset()

    def alignments(self) -> list[Align]:
        if self.align is not None:
            return self.align
        right: Align = "right"
        return ["left", *[right] * (len(self.header) - 1)]


@dataclass(frozen=True)
class Figure:
    """A chart as PNG bytes (see :func:`kreislauf.charts.to_png`) with its caption.

    width_cm : printed width in the PDF [cm]; the HTML scales to the page width.
    alt : text alternative for screen readers.
    """

    png: bytes
    caption: str
    alt: str = ""
    width_cm: float = 16.0


Block = Paragraph | Callout | KeyFigures | Table | Figure


@dataclass(frozen=True)
class Section:
    """A titled part of the report; ``level`` 1 or 2 (sub-section)."""

    title: str
    blocks: list[Block]
    level: int = 1
    anchor: str = ""


@dataclass(frozen=True)
class Report:
    """A whole report.

    meta : label/value pairs shown under the title (source file, N, settings, date)
    footer : one line printed on every PDF page and at the end of the HTML page
    """

    title: str
    sections: list[Section]
    lang: Lang = DEFAULT_LANG
    subtitle: str = ""
    meta: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""
