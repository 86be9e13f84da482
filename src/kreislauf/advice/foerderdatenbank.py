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

The real export's structure was described second-hand (github.com/JuniusTech/Forderdatenbank,
docs/xml-schema-notes.md, "real data, 06.07.2026", written from ``GET
https://www.foerderdatenbank.de/FDB/WS/export`` and BMWI's interface description
``schnittstellenbeschreibung-download-xml.pdf``; no real file was read here): a ZIP of a
``BMWI/`` path tree of about 10,350 XML documents of which about 2,490 are programmes
(``BMWI/FDB/Content/DE/Foerderprogramm/{Bund,Land/<Land>,EU}/…``), the others categories,
contacts, addresses and links; a document's properties are ``<property name="gsb:title"
type="RichText"><text>…</text></property>`` (RichText as escaped HTML in CDATA) and link
lists point to other documents with ``xlink:href="target:/BMWI/…"``. The reader takes such
``property`` elements by their ``name`` (text kept verbatim; a link list as its targets);
it does **not** yet leave out the non-programme documents nor resolve the links (next:
keep only ``…/Foerderprogramm/…`` members, resolve category labels).

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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
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


@dataclass(frozen=True)
class FundingProgramme:
    """One programme as published: id, title, properties (text or list of texts)."""

    id: str
    title: str
    properties: dict[str, str | tuple[str, ...]]
    member: str

    def text(self, name: str) -> str:
        """Property ``name`` as one text (a list joined by newlines), '' if absent."""
        value = self.properties.get(name, "")
        return value if isinstance(value, str) else "\n".join(value)


@dataclass(frozen=True)
class FundingExport:
    """All programmes of one export, by id; ``name`` the file it came from."""

    name: str
    programmes: dict[str, FundingProgramme]
    sha256: str


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
    """The export in ``data`` (a ZIP); ``name`` is used in messages."""
    members = read_archive_members(
        data,
        name=name,
        reason="readers.reason.corrupt_zip",
        select=lambda member: member.lower().endswith(".xml"),
        max_members=MAX_MEMBERS,
    )
    if not members:
        raise InvalidFundingExport(file=name, value=name, expected="XML files in the ZIP")
    programmes: dict[str, FundingProgramme] = {}
    for member, content in sorted(members.items()):
        programme = _programme(content, member=member, name=name)
        if programme.id in programmes:
            raise InvalidFundingExport(
                file=name, field=member, value=programme.id, expected="a unique programme id"
            )
        programmes[programme.id] = programme
    return FundingExport(name=name, programmes=programmes, sha256=hashlib.sha256(data).hexdigest())


def _programme(data: bytes, *, member: str, name: str) -> FundingProgramme:
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as error:
        raise InvalidFundingExport(
            file=name, field=member, value=str(error).split("\n")[0], expected="well-formed XML"
        ) from None
    properties: dict[str, str | tuple[str, ...]] = {}
    for child in root:
        key, value = _property(child)
        if key in properties:  # repeated element: a list
            before = properties[key]
            items = before if isinstance(before, tuple) else (before,)
            value = items + (value if isinstance(value, tuple) else (value,))
        properties[key] = value
    ident = root.get("id") or root.get("name") or _first(properties, ("id",)) or Path(member).stem
    title = _first(properties, _TITLES) or ident
    return FundingProgramme(id=ident, title=title, properties=properties, member=member)


def _property(child: Element) -> tuple[str, str | tuple[str, ...]]:
    """One property: its name and its text (or list of texts).

    A ``<property name="gsb:title">`` element (the structure described for the real export,
    see the module's docstring) is named by its ``name`` attribute; its value is the text of
    its ``text`` child as published, or, for a link list, the ``xlink:href`` targets of its
    descendants. Any other element is named by its tag: its text, or its children's texts.
    """
    if _local(child.tag) == "property" and child.get("name"):
        texts = [item for item in child.iter() if _local(item.tag) == "text"]
        if texts:
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
    for key, value in properties.items():
        if key.lower() in names and isinstance(value, str) and value.strip():
            return value.strip()
    return ""


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
        old, FundingExport(name=target.name, programmes=new.programmes, sha256=new.sha256)
    )
    atomic_write(target.with_suffix(".changes.json"), changes.to_json(indent=2) + "\n")
    return changes


def search_export(export: FundingExport, text: str, *, limit: int = 50) -> list[FundingProgramme]:
    """Programmes whose title or any property contains ``text`` (case-insensitive)."""
    needle = text.casefold()
    hits = [
        p
        for p in export.programmes.values()
        if needle in p.title.casefold() or any(needle in p.text(k).casefold() for k in p.properties)
    ]
    return hits[:limit]
