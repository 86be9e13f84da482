"""The VSME data point list: EFRAG's XBRL taxonomy concepts, as versioned data files.

The files in ``reporting/data`` were derived (``tools/derive_vsme_taxonomy.py``) from the
concepts JSON that EFRAG extracted from its VSME XBRL taxonomy and publishes under the MIT
licence in EFRAG-EU/Digital-Template-to-XBRL-Converter (``data/SOURCE.md`` names the
commit). A data point's id is the concept's local name in the ``vsme`` namespace
(``TotalEnergyConsumption``), as in the taxonomy.

References
----------
EFRAG (2024) Voluntary Sustainability Reporting Standard for non-listed SMEs (VSME),
17 December 2024; Commission Recommendation (EU) 2025/1710 of 30 July 2025.
EFRAG VSME XBRL taxonomy, entry point
``https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme-all.xsd``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from kreislauf.i18n import Lang

#: The taxonomy version the shipped files were derived from.
TAXONOMY_VERSION = "2026-05-01"
#: The modules in the order of the standard: basic B1-B11, comprehensive C1-C9.
MODULES: tuple[str, ...] = (
    *(f"B{n}" for n in range(1, 12)),
    *(f"C{n}" for n in range(1, 10)),
)
ConceptKind = Literal["item", "abstract", "axis", "typed_axis", "member", "hypercube"]


@dataclass(frozen=True)
class Concept:
    """One concept of the VSME taxonomy.

    id : local name in the ``vsme`` namespace
    module : B1-B11, C1-C9 from the concept's VSME reference ('' for general disclosures)
    paragraph : paragraph of the VSME standard, e.g. ``24(e)(iv)``
    data_type, base_type : XBRL item type and the XBRL 2.1 type it derives from
    period_type : ``duration`` or ``instant``
    help_en : EFRAG's documentation label (English), '' when the taxonomy has none
    reference : link to the paragraph in EFRAG's knowledge hub
    """

    id: str
    kind: ConceptKind
    module: str
    paragraph: str
    data_type: str
    base_type: str
    period_type: str
    label_de: str
    label_en: str
    help_en: str
    reference: str

    def label(self, lang: Lang) -> str:
        return (self.label_de if lang == "de" else self.label_en) or self.label_en

    @property
    def numeric(self) -> bool:
        return self.base_type in (
            "xbrli:decimalItemType",
            "xbrli:monetaryItemType",
            "xbrli:pureItemType",
        )


@dataclass(frozen=True)
class WasteCode:
    """One entry of the EU List of Waste (Commission Decision 2000/532/EC), which the
    German Abfallverzeichnis-Verordnung (AVV, Anlage) adopts code for code.

    code : ``"12 01 01"`` (chapters and sub-chapters have 2 and 4 digits)
    member : the member of the taxonomy's ``waste`` namespace
    hazardous : True / False for a six-digit code, None for a chapter
    """

    code: str
    member: str
    hazardous: bool | None
    label_en: str


def _data(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


@cache
def concepts() -> dict[str, Concept]:
    """Every concept of the ``vsme`` namespace by id."""
    rows = csv.DictReader(_data(f"vsme-{TAXONOMY_VERSION}-concepts.csv").splitlines())
    return {
        row["id"]: Concept(
            id=row["id"],
            kind=row["kind"],  # type: ignore[arg-type]  # written by the derive script
            module=row["module"],
            paragraph=row["paragraph"],
            data_type=row["data_type"],
            base_type=row["base_type"],
            period_type=row["period_type"],
            label_de=row["label_de"],
            label_en=row["label_en"],
            help_en=row["documentation_en"],
            reference=row["reference"],
        )
        for row in rows
    }


def datapoints() -> list[Concept]:
    """The reportable concepts (items, not abstracts, axes or members) of B1-B11, C1-C9."""
    return [c for c in concepts().values() if c.kind == "item" and c.module in MODULES]


@cache
def waste_codes() -> dict[str, WasteCode]:
    """The List of Waste by code (``"12 01 01"``)."""
    rows = csv.DictReader(_data(f"vsme-{TAXONOMY_VERSION}-waste.csv").splitlines())
    table: dict[str, WasteCode] = {}
    for row in rows:
        hazardous = {"yes": True, "no": False}.get(row["hazardous"])
        table[row["code"]] = WasteCode(row["code"], row["member"], hazardous, row["label_en"])
    return table


def normalise_waste_code(text: str) -> str:
    """``"120101"``, ``"12 01 01*"``, ``"12-01-01"`` → ``"12 01 01"`` (the asterisk of a
    hazardous entry is dropped: hazardousness comes from the list, not from the text)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


@cache
def dimensions() -> dict[str, Any]:
    """Entry point, namespaces, dimension defaults, typed elements and hypercubes."""
    data: dict[str, Any] = json.loads(_data(f"vsme-{TAXONOMY_VERSION}-dimensions.json"))
    return data


@dataclass(frozen=True)
class Enumeration:
    """The domain of an enumeration concept. members : ``vsme`` members by local name,
    others with their prefix (``country:DE``, ``nace:NACE_C22``); several : whether the
    concept takes a set (``enum2:enumerationSetItemType``)."""

    concept: str
    members: tuple[str, ...]
    several: bool


@cache
def _enumeration_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_data(f"vsme-{TAXONOMY_VERSION}-enumerations.json"))
    return data


def enumerations() -> dict[str, Enumeration]:
    """Every enumeration concept of the taxonomy with its domain members."""
    return {
        name: Enumeration(name, tuple(spec["members"]), bool(spec["set"]))
        for name, spec in _enumeration_data()["enumerations"].items()
    }


def enumeration_labels() -> dict[str, dict[str, str]]:
    """Labels (``{"de": …, "en": …}``) of the members of other namespaces as EFRAG ships
    them (``country:DE``, ``nace:NACE_C22``); EFRAG's German country labels are English."""
    labels: dict[str, dict[str, str]] = _enumeration_data()["labels"]
    return labels


def member_label(member: str, lang: Lang) -> str:
    """The label of an enumeration or dimension member (``OptionABasicModuleOnlyMember``,
    ``country:DE``, a waste member), without the ``[member]`` suffix. Countries are named
    by :func:`kreislauf.reporting.countries.country_name` (German from CLDR)."""
    if member.startswith("country:"):
        from kreislauf.reporting.countries import country_name

        return country_name(member.removeprefix("country:"), lang)
    foreign = _enumeration_data()["labels"].get(member)
    if foreign is not None:
        return str(foreign[lang] or foreign["en"])
    if member.startswith("W-"):
        entry = next((w for w in waste_codes().values() if w.member == member), None)
        return entry.label_en if entry else member
    concept = concepts().get(member)
    return concept.label(lang).removesuffix(" [member]") if concept else member


def member_uri(member: str) -> str:
    """The URI an enumeration fact holds for ``member`` (namespace ``#`` local name)."""
    prefix, _, local = member.rpartition(":")
    namespaces = dimensions()["namespaces"]
    return f"{namespaces[prefix or 'vsme']}#{local}"


@dataclass(frozen=True)
class Table:
    """A table of the taxonomy that an answers file fills row by row.

    id : the hypercube's local name; axes : its axes (typed ones take any identifier,
    explicit ones a member); columns : its primary items (data points); members : the
    allowed members per explicit axis (``@waste``: a List-of-Waste code)
    """

    id: str
    axes: tuple[str, ...]
    typed: frozenset[str]
    columns: tuple[str, ...]
    members: dict[str, tuple[str, ...]]
    module: str


#: Tables kreislauf computes from the ledger and the balance (not asked row by row):
#: the energy breakdown and the GHG figures of the reporting year.
COMPUTED_TABLES = ("BreakdownOfEnergyConsumptionTable",)


@cache
def tables() -> dict[str, Table]:
    """The tables an answers file may fill, by id (hypercubes of the same name, like the
    GHG table of the year and of the targets, are merged)."""
    merged: dict[str, Table] = {}
    known = concepts()
    for cube in dimensions()["hypercubes"]:
        table_id = cube["table"].split(":", 1)[1]
        if table_id in COMPUTED_TABLES:
            continue
        explicit = {
            axis.split(":", 1)[1]: tuple(
                m if m.startswith("country:") else m.split(":", 1)[-1] for m in members
            )
            for axis, members in cube["explicit"].items()
        }
        typed = [axis.split(":", 1)[1] for axis in cube["typed"]]
        columns = [
            name.split(":", 1)[1]
            for name in cube["primary"]
            if known.get(name.split(":", 1)[1]) is not None
            and known[name.split(":", 1)[1]].kind == "item"
        ]
        if table_id == "EstimatedGreenhouseGasEmissionsTable":
            explicit = {
                axis: tuple(m for m in members if m != "CurrentlyStatedMember")
                for axis, members in explicit.items()
            }
        previous = merged.get(table_id)
        if previous is not None:
            explicit = {
                axis: tuple(dict.fromkeys([*previous.members.get(axis, ()), *members]))
                for axis, members in explicit.items()
            }
            columns = list(dict.fromkeys([*previous.columns, *columns]))
        module = next((known[c].module for c in columns if known[c].module), "")
        merged[table_id] = Table(
            id=table_id,
            axes=(*explicit, *typed),
            typed=frozenset(typed),
            columns=tuple(columns),
            members={a: m for a, m in explicit.items() if m},
            module=module,
        )
    return {
        k: v for k, v in merged.items() if all(a in v.typed or v.members.get(a) for a in v.axes)
    }


def table_of(concept_id: str) -> Table | None:
    """The answerable table whose column ``concept_id`` is; None for single data points."""
    return next((t for t in tables().values() if concept_id in t.columns), None)
