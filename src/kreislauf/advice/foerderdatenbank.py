"""The Förderdatenbank des Bundes export: a ZIP of one XML file per programme.

What is known of the format (issue 20, checked facts): one XML document per programme with
about 32 properties; categories (Förderbereich, Fördergebiet, Förderberechtigte, …) are
paths such as ``Energieeffizienz & Erneuerbare Energien/Energieeffizienz``. No official
sample or schema could be obtained in this session, so the reader assumes only this:

- every ``*.xml`` member of the ZIP is one programme; its root element's children are the
  properties: a child with text is a text property, a child with child elements is a list
  of their texts (a category list), repeated children of one name become a list;
- the programme's id is the root's ``id`` (or ``name``) attribute, else a child ``id``,
  else the member's file name without ``.xml``; its title is the first child named
  ``titel``, ``title``, ``name`` or ``gsb:title`` (any case).

The real export's structure is known second-hand only (no real file was read here):
github.com/JuniusTech/Forderdatenbank, docs/xml-schema-notes.md ("real data, 06.07.2026",
written from ``GET https://www.foerderdatenbank.de/FDB/WS/export`` and BMWI's interface
description ``schnittstellenbeschreibung-download-xml.pdf``), and, read 2026-12-02, the
README of github.com/CorrelAid/fdb_scraper (weekly loads of the export in 2026) and two
public parsers of the export seen through the code index. They agree on: a ZIP of a
``BMWI/`` path tree of about 10,350 XML documents of which about 2,490 are programmes,
under ``BMWI/FDB/Content/DE/Foerderprogramm/{Bund,Land/<Land>,EU}/…``, the others contacts,
funding bodies, links and categories; a document is ``<document name=… path=…
type="gsb:ServiceOffer">`` (programmes) of ``<property name="gsb:…" type=…>`` elements, a
RichText's ``<text>`` holding ``<![CDATA[…]]>``-wrapped HTML, plain values in ``<value>``,
categories as ``classifiedLinkLists`` whose links point to other documents with
``xlink:href="target:/BMWI/…"`` (a ``classifiedLinkList`` per classifier: its
``classifierLinks`` name it, its ``links`` point to category documents under
``…/Categories/FDB/<classifier>/<slug>``); the same ``name`` (slug) occurs at several
funding levels, and at least one document carries a stray control character that strict
XML parsers refuse.

So the reader, for an export with that tree, counts as programmes only the members under
``…/FDB/Content/DE/Foerderprogramm/`` whose root is not typed otherwise than
``gsb:ServiceOffer`` (the rest is counted in ``skipped`` and not parsed), names a
programme by its path below that folder (``Land/Sachsen/kreislaufwirtschaft``, unique
where the slug is not), and retries a document that fails to parse once without the XML
1.0 control characters. :func:`rendered` shows a RichText as text (paragraphs and list
items on their own lines, markup and soft hyphens removed): reformatting, which the
licence allows; the published text stays untouched in ``properties``. Links are kept as
their targets; :attr:`FundingProgramme.categories` groups the category links by
classifier as slugs (``{"Foerderart": ("zuschuss",)}``), not resolved to labels.

Texts are kept exactly as published (whitespace and markup inside text included): the
licence (CC BY-ND 4.0, BMWE) allows reformatting with attribution but no changed texts, so
nothing here rewrites, shortens or summarises a text. Parsing goes through ``defusedxml``
(no entities, no external references); the ZIP's members and uncompressed size are
bounded (:data:`MAX_MEMBERS`, ``Limits.max_xlsx_bytes``).

:func:`export_changes` compares two exports: programmes added, removed, and changed (with
the names of the properties whose text changed). :func:`import_export` keeps a history:
it stores an export under its date and returns the changes against the previous one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from kreislauf.bounded import read_archive_members
from kreislauf.errors import FileNotReadable, InvalidFundingExport, os_error_reason
from kreislauf.files import atomic_write, ensure_directory
from kreislauf.results import Result

__all__ = [
    "ATTRIBUTION",
    "LICENCE",
    "ExportChanges",
    "FundingExport",
    "FundingProgramme",
    "export_changes",
    "import_export",
    "read_export",
    "read_export_bytes",
    "rendered",
    "search_export",
]

LICENCE = "CC BY-ND 4.0 (https://creativecommons.org/licenses/by-nd/4.0/deed.de)"
#: shown wherever a text of the export is shown
ATTRIBUTION = (
    "Quelle: Förderdatenbank des Bundes (www.foerderdatenbank.de), Bundesministerium für "
    "Wirtschaft und Energie (BMWE), Lizenz CC BY-ND 4.0; Texte unverändert."
)
#: the most XML members an export may have (the database holds about 2,400 programmes)
MAX_MEMBERS = 20_000
_TITLES = ("titel", "title", "name", "gsb:title")
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
#: the folder of the programme documents in the real export's ``BMWI/`` tree
PROGRAMME_TREE = "/FDB/Content/DE/Foerderprogramm/"
#: the document type of a programme in the real export
PROGRAMME_TYPE = "gsb:ServiceOffer"
#: XML 1.0 forbids these control characters; one published document carries one
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class FundingProgramme:
    """One programme as published: id, title, properties (text or list of texts)."""

    id: str
    title: str
    properties: dict[str, str | tuple[str, ...]]
    member: str
    #: the ``type`` of each ``<property>`` that declares one (``RichText``, ``String`` …)
    types: dict[str, str] = field(default_factory=dict)
    #: category slugs by classifier (``Foerderart`` → ``("zuschuss",)``), read from the
    #: ``classifiedLinkList`` elements' links to category documents (:func:`_categories`)
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """Property ``name`` as one text (a list joined by newlines), '' if absent."""
        value = self.properties.get(name, "")
        return value if isinstance(value, str) else "\n".join(value)

    def shown_categories(self) -> str:
        """The categories in one line, slugs as published: ``Foerderart: zuschuss;
        Foerderberechtigte: unternehmen, kmu`` ('' without categories)."""
        return "; ".join(f"{name}: {', '.join(slugs)}" for name, slugs in self.categories.items())

    def shown(self, name: str) -> str:
        """Property ``name`` as shown: a RichText rendered (:func:`rendered`), else as is."""
        text = self.text(name)
        return rendered(text) if self.types.get(name) == "RichText" else text


@dataclass(frozen=True)
class FundingExport:
    """All programmes of one export, by id; ``name`` the file it came from."""

    name: str
    programmes: dict[str, FundingProgramme]
    sha256: str
    #: documents of the export that are not programmes (contacts, categories …), not read
    skipped: int = 0


class ProgrammeChange(Result):
    """A programme whose properties changed between two exports."""

    id: str
    title: str
    fields: list[str]


class ExportChanges(Result):
    """What changed from export ``old`` to export ``new``."""

    old: str
    new: str
    programmes_old: int
    programmes_new: int
    added: list[str]
    removed: list[str]
    changed: list[ProgrammeChange]
    #: documents of the new export that are not programmes (left out)
    skipped_new: int = 0
    licence: str = LICENCE
    attribution: str = ATTRIBUTION


def read_export(path: Path) -> FundingExport:
    """The export ZIP at ``path``.

    Raises
    ------
    FileNotReadable, InvalidFundingExport, LimitExceeded
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    return read_export_bytes(data, name=path.name)


def read_export_bytes(data: bytes, *, name: str) -> FundingExport:
    """The export in ``data`` (a ZIP); ``name`` is used in messages.

    With the real export's tree (members under ``…/FDB/Content/DE/Foerderprogramm/``) only
    those members are programmes; every other ``*.xml`` member is counted in ``skipped``.
    """
    members = read_archive_members(
        data,
        name=name,
        reason="readers.reason.corrupt_zip",
        select=lambda member: member.lower().endswith(".xml"),
        max_members=MAX_MEMBERS,
    )
    if not members:
        raise InvalidFundingExport(file=name, value=name, expected="XML files in the ZIP")
    tree = any(PROGRAMME_TREE in f"/{member}" for member in members)
    programmes: dict[str, FundingProgramme] = {}
    skipped = 0
    for member, content in sorted(members.items()):
        if tree and PROGRAMME_TREE not in f"/{member}":
            skipped += 1
            continue
        programme = _programme(content, member=member, name=name, tree=tree)
        if programme is None:
            skipped += 1
            continue
        if programme.id in programmes:
            raise InvalidFundingExport(
                file=name, field=member, value=programme.id, expected="a unique programme id"
            )
        programmes[programme.id] = programme
    return FundingExport(
        name=name,
        programmes=programmes,
        sha256=hashlib.sha256(data).hexdigest(),
        skipped=skipped,
    )


def _parse(data: bytes, *, member: str, name: str) -> Element:
    """The member's root; a document refused for a control character is read once more
    without the XML 1.0 control characters (the text otherwise unchanged)."""
    try:
        return fromstring(data)
    except (ParseError, DefusedXmlException) as error:
        cleaned = _CONTROL.sub(b"", data)
        if isinstance(error, ParseError) and cleaned != data:
            with suppress(ParseError, DefusedXmlException):
                return fromstring(cleaned)
        raise InvalidFundingExport(
            file=name, field=member, value=str(error).split("\n")[0], expected="well-formed XML"
        ) from None


def _programme(
    data: bytes, *, member: str, name: str, tree: bool = False
) -> FundingProgramme | None:
    """The programme in ``member``; None for a document of another type in the tree."""
    root = _parse(data, member=member, name=name)
    if tree and root.get("type") not in (None, PROGRAMME_TYPE):
        return None
    properties: dict[str, str | tuple[str, ...]] = {}
    types: dict[str, str] = {}
    for child in root:
        key, value = _property(child)
        if _local(child.tag) == "property" and child.get("type"):
            types[key] = child.get("type", "")
        if key in properties:  # repeated element: a list
            before = properties[key]
            items = before if isinstance(before, tuple) else (before,)
            value = items + (value if isinstance(value, tuple) else (value,))
        properties[key] = value
    if tree:  # the path below the programme folder: the slug alone repeats across levels
        ident = f"/{member}".split(PROGRAMME_TREE, 1)[1].removesuffix(".xml")
    else:
        ident = (
            root.get("id") or root.get("name") or _first(properties, ("id",)) or Path(member).stem
        )
    title_key = _first_key(properties, _TITLES)
    title = ident
    if title_key is not None:
        raw = properties[title_key]
        text = raw if isinstance(raw, str) else ""
        title = (rendered(text) if types.get(title_key) == "RichText" else text.strip()) or ident
    return FundingProgramme(
        id=ident,
        title=title,
        properties=properties,
        member=member,
        types=types,
        categories=_categories(root),
    )


def _categories(root: Element) -> dict[str, tuple[str, ...]]:
    """Category slugs by classifier from the document's links to category documents.

    The descriptions of the export agree on this shape (module docstring): a
    ``classifiedLinkList``'s ``classifierLinks`` link names the classifier (its last path
    segment: ``…/Foerderart``), its ``links`` point to category documents
    (``target:/BMWI/…/Categories/FDB/Foerderart/zuschuss``). Only links to a
    ``/Categories/`` document count (a funding body's or a contact's document is no
    category); the slug is the link's last segment, as published (no label: the labels
    are other documents of the export). A category link outside such a list, or in one
    without a classifier link, is grouped by its parent segment (``Foerderart``).
    """
    found: dict[str, list[str]] = {}
    seen: set[int] = set()

    def add(classifier: str, href: str) -> None:
        parent, _, slug = href.rstrip("/").rpartition("/")
        values = found.setdefault(classifier or parent.rsplit("/", 1)[-1], [])
        if slug not in values:
            values.append(slug)

    for listing in root.iter():
        if _local(listing.tag) != "classifiedLinkList":
            continue
        classifier = ""
        for part in listing:
            links = [item for item in part.iter() if item.get(_XLINK_HREF)]
            seen.update(id(item) for item in links)
            if _local(part.tag) == "classifierLinks" and links:
                classifier = links[0].get(_XLINK_HREF, "").rstrip("/").rsplit("/", 1)[-1]
        for part in listing:
            if _local(part.tag) != "links":
                continue
            for item in part.iter():
                href = item.get(_XLINK_HREF) or ""
                if "/Categories/" in href:
                    add(classifier, href)
    for item in root.iter():
        href = item.get(_XLINK_HREF) or ""
        if id(item) not in seen and "/Categories/" in href:
            add("", href)
    return {name: tuple(values) for name, values in found.items()}


def _property(child: Element) -> tuple[str, str | tuple[str, ...]]:
    """One property: its name and its text (or list of texts).

    A ``<property name="gsb:title">`` element (the structure described for the real export,
    see the module's docstring) is named by its ``name`` attribute; its value is the text of
    its ``text`` (RichText) or ``value`` (String, Date) child as published, or, for a link
    list, the ``xlink:href`` targets of its descendants. Any other element is named by its
    tag: its text, or its children's texts.
    """
    if _local(child.tag) == "property" and child.get("name"):
        texts = [item for item in child.iter() if _local(item.tag) in ("text", "value")]
        if texts:  # a RichText's <text> or a String's / Date's <value>, as published
            return child.get("name", ""), texts[0].text or ""
        links = tuple(href for item in child.iter() if (href := item.get(_XLINK_HREF)) is not None)
        if links:
            return child.get("name", ""), links
        return child.get("name", ""), _all_text(child)
    value: str | tuple[str, ...] = (
        tuple(_all_text(item) for item in child) if len(child) else (child.text or "")
    )
    return _local(child.tag), value


def _local(tag: str) -> str:
    """The element name without a namespace."""
    return tag.rsplit("}", 1)[-1]


def _all_text(element: Element) -> str:
    return "".join(element.itertext())


def _first(properties: dict[str, str | tuple[str, ...]], names: Sequence[str]) -> str:
    key = _first_key(properties, names)
    value = properties[key] if key is not None else ""
    return value.strip() if isinstance(value, str) else ""


def _first_key(properties: dict[str, str | tuple[str, ...]], names: Sequence[str]) -> str | None:
    for key, value in properties.items():
        if key.lower() in names and isinstance(value, str) and value.strip():
            return key
    return None


#: elements that start a line of their own when a RichText is shown
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table"}
)


class _TextOfHtml(HTMLParser):
    """Collects the text of an HTML fragment: blocks on their own lines, list items
    marked with a bullet, no markup (entities decoded by the parser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []

    def _end_line(self) -> None:
        line = " ".join("".join(self.current).replace("\u00ad", "").split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._end_line()
        if tag == "li":
            self.current.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def rendered(text: str) -> str:
    """A RichText of the export as plain text: the ``<![CDATA[…]]>`` wrapper removed, the
    HTML's paragraphs, line breaks and list items on lines of their own (items with "• "),
    tags and soft hyphens (U+00AD) removed, runs of whitespace inside a line made one space.

    The words are not changed (CC BY-ND allows reformatting, not editing); the published
    text stays in :attr:`FundingProgramme.properties`.
    """
    body = text.strip()
    if body.startswith("<![CDATA[") and body.endswith("]]>"):
        body = body[len("<![CDATA[") : -len("]]>")]
    parser = _TextOfHtml()
    parser.feed(body)
    parser.close()
    parser._end_line()
    return "\n".join(parser.lines)


def export_changes(old: FundingExport, new: FundingExport) -> ExportChanges:
    """Programmes added, removed and changed (property names) from ``old`` to ``new``."""
    changed = []
    for ident in sorted(set(old.programmes) & set(new.programmes)):
        before, after = old.programmes[ident].properties, new.programmes[ident].properties
        fields = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        if fields:
            changed.append(
                ProgrammeChange(id=ident, title=new.programmes[ident].title, fields=fields)
            )
    return ExportChanges(
        old=old.name,
        new=new.name,
        programmes_old=len(old.programmes),
        programmes_new=len(new.programmes),
        added=sorted(set(new.programmes) - set(old.programmes)),
        removed=sorted(set(old.programmes) - set(new.programmes)),
        changed=changed,
        skipped_new=new.skipped,
    )


def import_export(data: bytes, history: Path, *, name: str, day: date) -> ExportChanges:
    """Check ``data`` as an export, store it in ``history`` and return what changed.

    The export is written as ``history/<day>-<sha256 prefix>.zip`` (unchanged exports are
    not stored twice) and compared with the latest stored before it; the changes are
    written beside it as ``…changes.json``. The first import compares with nothing.
    """
    new = read_export_bytes(data, name=name)
    ensure_directory(history)
    stored = sorted(history.glob("*.zip"))
    target = history / f"{day.isoformat()}-{new.sha256[:12]}.zip"
    previous = [p for p in stored if p != target]
    old = (
        read_export(previous[-1]) if previous else FundingExport(name="–", programmes={}, sha256="")
    )
    if not target.exists():
        atomic_write(target, data)
    changes = export_changes(
        old,
        FundingExport(
            name=target.name, programmes=new.programmes, sha256=new.sha256, skipped=new.skipped
        ),
    )
    atomic_write(target.with_suffix(".changes.json"), changes.to_json(indent=2) + "\n")
    return changes


def search_export(export: FundingExport, text: str, *, limit: int = 50) -> list[FundingProgramme]:
    """Programmes whose title or any property as shown (:meth:`FundingProgramme.shown`)
    contains ``text`` (case-insensitive)."""
    needle = text.casefold()
    hits = [
        p
        for p in export.programmes.values()
        if needle in p.title.casefold()
        or any(needle in p.shown(k).casefold() for k in p.properties)
    ]
    return hits[:limit]
