"""Render a :class:`~kreislauf.report.model.Report` to one self-contained HTML page.

The page carries its CSS inline and its images as ``data:`` URIs, so it can be mailed,
archived or opened offline; a Content-Security-Policy forbids loading anything else. The
template is ``templates/report.html.j2`` (Jinja2, autoescaped): every text of the report is
escaped, nothing a domain passes in is trusted as markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape

from kreislauf.i18n import translate
from kreislauf.report.model import (
    Callout,
    Figure,
    KeyFigures,
    Paragraph,
    Report,
    Section,
    Table,
)
from kreislauf.report.png import png_data_uri, png_header

#: Ids the template uses itself; section anchors never take them.
RESERVED_IDS = frozenset({"top", "contents", "main", "report-footer"})
#: Width of the text column the figures' ``width_cm`` refers to [cm] (A4 minus margins).
TEXT_WIDTH_CM = 17.0
_VALID_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*")
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass
class TocEntry:
    """One line of the table of contents, with its sub-sections."""

    title: str
    anchor: str
    children: list[TocEntry] = field(default_factory=list)


def render_html(report: Report) -> str:
    """``report`` as a complete, self-contained HTML5 document (UTF-8 text)."""
    anchors = section_anchors(report.sections)
    return _template().render(
        report=report,
        sections=list(zip(report.sections, anchors, strict=True)),
        toc=_toc(report.sections, anchors),
        text={
            "contents": translate("report.contents", report.lang),
            "about": translate("report.about", report.lang),
        },
    )


def section_anchors(sections: Iterable[Section]) -> list[str]:
    """A unique HTML id for every section, in order.

    An explicit :attr:`Section.anchor` is kept as given if it is a valid id (slugified
    otherwise, made unique if it repeats); without one, the anchor is a slug of the title
    ("Ergebnisse je Frage" -> ``ergebnisse-je-frage``). Repeats get ``-2``, ``-3``, ...;
    derived anchors never take an explicit one, and the template's own ids are never used.
    """
    sections = list(sections)
    taken: set[str] = set(RESERVED_IDS)
    explicit = {_explicit_anchor(s.anchor) for s in sections if s.anchor}
    anchors: list[str] = []
    for section in sections:
        base = _explicit_anchor(section.anchor) if section.anchor else slugify(section.title)
        candidate, number = base, 1
        while candidate in taken or (not section.anchor and candidate in explicit):
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        anchors.append(candidate)
    return anchors


def slugify(text: str) -> str:
    """A lowercase ASCII id: umlauts transliterated, other marks dropped, words joined by -."""
    text = text.lower().translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"section-{slug}" if slug else "section"
    return slug


def _explicit_anchor(anchor: str) -> str:
    return anchor if _VALID_ID.fullmatch(anchor) else slugify(anchor)


def _toc(sections: list[Section], anchors: list[str]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for section, anchor in zip(sections, anchors, strict=True):
        entry = TocEntry(section.title, anchor)
        if section.level >= 2 and entries:
            entries[-1].children.append(entry)
        else:
            entries.append(entry)
    return entries


def _figure_width_percent(figure: Figure) -> float:
    """The figure's share of the text column [%], at most 100."""
    return round(min(100.0, 100.0 * figure.width_cm / TEXT_WIDTH_CM), 1)


@cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("kreislauf.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.tests.update(
        paragraph=lambda block: isinstance(block, Paragraph),
        callout=lambda block: isinstance(block, Callout),
        key_figures=lambda block: isinstance(block, KeyFigures),
        table=lambda block: isinstance(block, Table),
        figure=lambda block: isinstance(block, Figure),
    )
    environment.filters.update(
        data_uri=png_data_uri,
        png_header=png_header,
        figure_width=_figure_width_percent,
    )
    return environment.get_template("report.html.j2")
