"""The answers file: what a VSME report needs and a ledger cannot know.

YAML, read by :func:`kreislauf.bounded.parse_yaml` (docs/reporting.md#answers)::

    answered_by: Erika Muster          # who answered (kept with the report)
    answered_on: 2025-03-14            # when
    entity:
      name: Muster Kunststoff- und Metalltechnik GmbH
      identifier: "529900T8BM49AURSDO55"   # LEI, EUID, … (for Inline XBRL)
      scheme: lei                          # lei | euid | duns | permid | a URI
      currency: EUR
    waste_codes:                           # ledger waste material → EU List of Waste / AVV
      Angüsse und Ausschuss: "07 02 13"
    datapoints:                            # VSME concept id → value
      Turnover: 48500000
      NumberOfEmployees: 182
      UndertakingAppliesCircularEconomyPrinciples: true
      BasisForPreparation: OptionABasicModuleOnlyMember     # enumeration: a member
      CountryOfPrimaryOperationsAndLocationOfSignificantAssets: DE
    tables:                                # taxonomy table id → rows (axes and columns)
      ListOfSitesTable:
        - IdentifierOfSiteTypedAxis: S1    # typed axis: any identifier of the row
          AddressOfSite: Werkstraße 12
          PostalCodeOfSite: "04179"
          CityOfSite: Leipzig
          CountryOfSite: DE
      NumberOfEmployeesForCountryOfEmploymentContractTable:
        - CountryOfEmploymentContractAxis: DE   # explicit axis: a member (country code)
          NumberOfEmployeesForCountryOfEmploymentContract: 170

A data point's value must fit its concept's type: a number for amounts (in the unit of
:data:`UNIT_OF_TYPE`; percentages in %), ``true``/``false``, text, a date, a year, for an
enumeration a member of its domain (several separated by commas where the concept takes a
set; countries as ISO 3166 alpha-2 codes). A table row names a member or identifier for
every axis of its table (:func:`kreislauf.reporting.taxonomy.tables`; the waste axis takes
a List-of-Waste code) and values for some of its columns.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kreislauf.bounded import parse_yaml
from kreislauf.errors import FileNotReadable, InvalidReportingAnswers, os_error_reason
from kreislauf.reporting.models import Value
from kreislauf.reporting.taxonomy import (
    Concept,
    Table,
    concepts,
    dimensions,
    enumerations,
    normalise_waste_code,
    table_of,
    tables,
    waste_codes,
)

#: Unit of a numeric data point by its XBRL type (as EFRAG's converter maps them).
UNIT_OF_TYPE: dict[str, str] = {
    "dtr-types:energyItemType": "MWh",
    "dtr-types:ghgEmissionsItemType": "t CO2e",
    "dtr-types:massItemType": "t",
    "dtr-types:volumeItemType": "m3",
    "dtr-types:areaItemType": "ha",
    "dtr-types:percentItemType": "%",
    "dtr-types:ghgEmissionsPerMonetaryItemType": "t CO2e/EUR",
    "xbrli:decimalItemType": "",
}
#: Identifier schemes of the entity (EFRAG's converter's labels) → scheme URI.
SCHEMES: dict[str, str] = {
    "lei": "http://standards.iso.org/iso/17442",
    "duns": "https://www.dnb.co.uk/duns-number",
    "euid": "https://e-justice.europa.eu/topics/registers-business-insolvency-land/business-registers-search-company-eu_en",
    "permid": "https://permid.org/",
}
UNIDENTIFIED_SCHEME = "urn:kreislauf:entity"
TOP_LEVEL = (
    "answered_by",
    "answered_on",
    "entity",
    "waste_codes",
    "datapoints",
    "tables",
    "esrs_e5",
)
#: Most rows an answers file's table may have (the Digital Template has 100 per table).
MAX_TABLE_ROWS = 100
ENTITY_FIELDS = ("name", "identifier", "scheme", "currency")


@dataclass(frozen=True)
class Entity:
    """The reporting undertaking; ``scheme`` is a URI (see :data:`SCHEMES`)."""

    name: str = ""
    identifier: str = ""
    scheme: str = UNIDENTIFIED_SCHEME
    currency: str = "EUR"


@dataclass(frozen=True)
class Answers:
    """A read answers file. values : VSME concept id → value; waste_codes : material →
    List-of-Waste code; e5_values : ESRS E5 data point id → value (``esrs_e5``)."""

    source: str = ""
    entity: Entity = field(default_factory=Entity)
    values: dict[str, Value] = field(default_factory=dict)
    waste_codes: dict[str, str] = field(default_factory=dict)
    e5_values: dict[str, Value] = field(default_factory=dict)
    answered_by: str = ""
    answered_on: str = ""
    cells: tuple[TableCell, ...] = ()


@dataclass(frozen=True)
class TableCell:
    """One value of a table row: ``concept`` qualified by ``dimensions`` (``(axis,
    member)``; a typed axis has the row's identifier, a default member is left out as XBRL
    Dimensions requires); ``field`` is where the answers file has it."""

    table: str
    concept: str
    dimensions: tuple[tuple[str, str], ...]
    value: Value
    field: str


def unit_of(concept: Concept, currency: str = "EUR") -> str | None:
    """The unit a numeric concept's values carry; None for non-numeric ones."""
    if concept.base_type == "xbrli:monetaryItemType":
        return currency
    if not concept.numeric:
        return None
    return UNIT_OF_TYPE.get(concept.data_type, "")


def dimensional_concepts() -> frozenset[str]:
    """Concepts that need a dimension member a single answer cannot give (a list of sites,
    waste by code, a pollutant); answering them needs a table, not one value."""
    info = dimensions()
    defaults = info["defaults"]
    needing: set[str] = set()
    for cube in info["hypercubes"]:
        if cube["typed"] or any(axis not in defaults for axis in cube["explicit"]):
            needing.update(name.split(":", 1)[1] for name in cube["primary"])
    return frozenset(needing)


def _problem(name: str, where: str, value: object, expected: str) -> InvalidReportingAnswers:
    return InvalidReportingAnswers(file=name, field=where, value=value, expected=expected)


def _value(concept: Concept, raw: object, *, name: str, where: str) -> Value:
    base = concept.base_type
    if concept.numeric:
        number: float | None = None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            number = float(raw)
        elif isinstance(raw, str):
            try:
                from kreislauf.numbers import parse_number

                number = parse_number(raw)
            except ValueError:
                number = None
        if number is None or not math.isfinite(number):
            unit = unit_of(concept) or "-"
            raise _problem(name, where, raw, f"a number [{unit}]")
        return number
    if base == "xbrli:booleanItemType":
        if not isinstance(raw, bool):
            raise _problem(name, where, raw, "true or false")
        return raw
    if base == "xbrli:dateItemType":
        if isinstance(raw, dt.date):
            return raw.isoformat()
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise _problem(name, where, raw, "a date YYYY-MM-DD") from None
    if base == "xbrli:gYearItemType":
        text = str(raw)
        if not (text.isdigit() and len(text) == 4):
            raise _problem(name, where, raw, "a year YYYY")
        return text
    if base == "xbrli:tokenItemType":  # enumerations: members of the concept's domain
        return _enumeration(concept, raw, name=name, where=where)
    if not isinstance(raw, str | int | float) or isinstance(raw, bool) or str(raw).strip() == "":
        raise _problem(name, where, raw, "text")
    return str(raw)


def _member(domain: tuple[str, ...], text: str) -> str | None:
    """``text`` as a member of ``domain``: the id itself, a country code (``DE``) or a
    NACE code (``C22``, ``C22.2``)."""
    if text in domain:
        return text
    code = text.upper().replace(".", "")
    for candidate in (f"country:{code}", f"nace:{code}", f"nace:NACE_{code}"):
        if candidate in domain:
            return candidate
    return None


def split_members(raw: object) -> list[str]:
    """An enumeration answer's members: separated by commas or spaces."""
    return [m for m in re.split(r"[,\s]+", str(raw)) if m]


def _enumeration(concept: Concept, raw: object, *, name: str, where: str) -> str:
    enumeration = enumerations().get(concept.id)
    texts = split_members(raw)
    if enumeration is None:
        raise _problem(name, where, raw, "a data point the answers can give")
    members = [_member(enumeration.members, t) for t in texts]
    example = ", ".join(enumeration.members[:3])
    if not members or None in members:
        raise _problem(name, where, raw, f"member(s) of the concept's list, e.g. {example}")
    if len(members) > 1 and not enumeration.several:
        raise _problem(name, where, raw, f"one member of the concept's list, e.g. {example}")
    return " ".join(m for m in dict.fromkeys(members) if m)


def _axis_member(table: Table, axis: str, raw: object, *, name: str, where: str) -> str:
    """The member (or typed identifier) a row gives for ``axis``."""
    if raw is None or isinstance(raw, bool) or str(raw).strip() == "":
        raise _problem(name, where, raw, "a value for every axis of the table")
    text = str(raw).strip()
    if axis in table.typed:
        if len(text) > 64 or "|" in text or "=" in text:
            raise _problem(name, where, raw, "an identifier of at most 64 characters, no | or =")
        return text
    allowed = table.members[axis]
    if allowed == ("@waste",) and text.startswith("W-"):  # a stored member id
        if not any(w.member == text for w in waste_codes().values()):
            raise _problem(name, where, raw, "a six-digit List-of-Waste code, e.g. 12 01 05")
        return text
    if allowed == ("@waste",):
        entry = waste_codes().get(normalise_waste_code(text))
        if entry is None or entry.hazardous is None:
            raise _problem(name, where, raw, "a six-digit List-of-Waste code, e.g. 12 01 05")
        return entry.member
    member = _member(allowed, text)
    if member is None:
        raise _problem(name, where, raw, "one of " + ", ".join(allowed[:8]) + ", …")
    return member


def _tables(data: object, name: str) -> tuple[TableCell, ...]:
    """The ``tables`` section: rows of the taxonomy's tables (see the module docstring)."""
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise _problem(name, "tables", data, "a mapping table id: list of rows")
    known = tables()
    defaults = {
        axis.split(":", 1)[1]: member.split(":", 1)[1]
        for axis, member in dimensions()["defaults"].items()
    }
    cells: list[TableCell] = []
    for table_id, rows in data.items():
        table = known.get(str(table_id))
        if table is None:
            raise _problem(name, f"tables.{table_id}", table_id, "one of " + ", ".join(known))
        if not isinstance(rows, list) or len(rows) > MAX_TABLE_ROWS:
            raise _problem(
                name, f"tables.{table_id}", type(rows).__name__,
                f"a list of at most {MAX_TABLE_ROWS} rows",
            )  # fmt: skip
        seen: set[tuple[tuple[str, str], ...]] = set()
        for n, row in enumerate(rows, start=1):
            base = f"tables.{table_id}[{n}]"
            if not isinstance(row, dict):
                raise _problem(name, base, row, "a mapping axis/column: value")
            unknown = [k for k in row if k not in table.axes and k not in table.columns]
            if unknown:
                expected = ", ".join([*table.axes, *table.columns])
                raise _problem(name, f"{base}.{unknown[0]}", unknown[0], expected)
            dims = tuple(
                (axis, _axis_member(table, axis, row.get(axis), name=name, where=f"{base}.{axis}"))
                for axis in table.axes
            )
            dims = tuple((a, m) for a, m in dims if defaults.get(a) != m)
            if dims in seen:
                raise _problem(name, base, dict(dims), "one row per axis member / identifier")
            seen.add(dims)
            for column in table.columns:
                raw = row.get(column)
                if raw is None:
                    continue
                where = f"{base}.{column}"
                value = _value(concepts()[column], raw, name=name, where=where)
                cells.append(TableCell(table.id, column, dims, value, where))
    return tuple(cells)


def table_rows(values: Mapping[str, object]) -> dict[str, list[dict[str, object]]]:
    """Rows of the ``tables`` section from data point keys (``CityOfSite|
    IdentifierOfSiteTypedAxis=S1`` → value), as stored by the guided page; a key of a
    concept that is no table column is left out. Axes left out as defaults get them back."""
    defaults = {
        axis.split(":", 1)[1]: member.split(":", 1)[1]
        for axis, member in dimensions()["defaults"].items()
    }
    rows: dict[str, dict[tuple[tuple[str, str], ...], dict[str, object]]] = {}
    for key, value in values.items():
        concept, *parts = key.split("|")
        table = table_of(concept)
        if table is None:
            continue
        dims = tuple((axis, member) for axis, _, member in (p.partition("=") for p in parts))
        members = dict(dims)
        row = rows.setdefault(table.id, {}).setdefault(dims, {})
        for axis in table.axes:
            row[axis] = members.get(axis, defaults.get(axis, ""))
        row[concept] = value
    return {table: list(by_dims.values()) for table, by_dims in rows.items()}


def _entity(data: object, name: str) -> Entity:
    if data is None:
        return Entity()
    if not isinstance(data, dict):
        raise _problem(name, "entity", data, "a mapping with " + ", ".join(ENTITY_FIELDS))
    unknown = [k for k in data if k not in ENTITY_FIELDS]
    if unknown:
        raise _problem(name, f"entity.{unknown[0]}", unknown[0], ", ".join(ENTITY_FIELDS))
    fields = {k: str(v).strip() for k, v in data.items() if v is not None}
    scheme = fields.get("scheme", "")
    if scheme and scheme.lower() in SCHEMES:
        scheme = SCHEMES[scheme.lower()]
    elif scheme and ":" not in scheme:
        raise _problem(name, "entity.scheme", scheme, ", ".join(SCHEMES) + " or a URI")
    currency = fields.get("currency", "EUR").upper()
    if not (len(currency) == 3 and currency.isalpha()):
        raise _problem(name, "entity.currency", currency, "an ISO 4217 code such as EUR")
    return Entity(
        name=fields.get("name", ""),
        identifier=fields.get("identifier", ""),
        scheme=scheme or UNIDENTIFIED_SCHEME,
        currency=currency,
    )


def _waste_codes(data: object, name: str) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _problem(name, "waste_codes", data, "a mapping material: code")
    table = waste_codes()
    codes: dict[str, str] = {}
    for material, raw in data.items():
        code = normalise_waste_code(str(raw))
        entry = table.get(code)
        if entry is None or entry.hazardous is None:
            raise _problem(
                name,
                f"waste_codes.{material}",
                raw,
                "a six-digit code of the EU List of Waste / AVV, e.g. 12 01 05",
            )
        codes[str(material)] = code
    return codes


def _e5_values(data: object, name: str) -> dict[str, Value]:
    """The ``esrs_e5`` section: ids of E5 data points that are asked, not computed."""
    from kreislauf.reporting.e5 import e5_definitions

    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _problem(name, "esrs_e5", data, "a mapping data point id: value")
    definitions = e5_definitions()
    asked = [d.id for d in definitions.values() if d.asked]
    values: dict[str, Value] = {}
    for key, raw in data.items():
        where = f"esrs_e5.{key}"
        definition = definitions.get(str(key))
        if definition is None or not definition.asked:
            raise _problem(name, where, key, "one of " + ", ".join(asked))
        if raw is None:
            continue
        if definition.unit:
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
                raise _problem(name, where, raw, f"a number [{definition.unit}]")
            values[str(key)] = float(raw)
        else:
            if not isinstance(raw, str) or not raw.strip():
                raise _problem(name, where, raw, "text")
            values[str(key)] = raw.strip()
    return values


def answers_from_data(data: object, *, name: str) -> Answers:
    """Validate the parsed YAML of an answers file (see the module docstring)."""
    if data is None:
        return Answers(source=name)
    if not isinstance(data, dict):
        raise _problem(name, "", type(data).__name__, "a mapping with " + ", ".join(TOP_LEVEL))
    unknown = [k for k in data if k not in TOP_LEVEL]
    if unknown:
        raise _problem(name, str(unknown[0]), unknown[0], ", ".join(TOP_LEVEL))
    raw_points = data.get("datapoints") or {}
    if not isinstance(raw_points, dict):
        raise _problem(name, "datapoints", raw_points, "a mapping concept id: value")
    known = concepts()
    dimensional = dimensional_concepts()
    values: dict[str, Value] = {}
    for key, raw in raw_points.items():
        concept_id = str(key)
        where = f"datapoints.{concept_id}"
        concept = known.get(concept_id)
        if concept is None or concept.kind != "item":
            raise _problem(name, where, concept_id, "a data point id of the VSME taxonomy")
        if concept_id in dimensional:
            table = table_of(concept_id)
            raise _problem(
                name, where, concept_id,
                f"a data point without a table dimension (give it under tables.{table.id})"
                if table else "a data point without a table dimension",
            )  # fmt: skip
        if raw is None:
            continue
        values[concept_id] = _value(concept, raw, name=name, where=where)
    answered_on = data.get("answered_on")
    return Answers(
        source=name,
        entity=_entity(data.get("entity"), name),
        values=values,
        waste_codes=_waste_codes(data.get("waste_codes"), name),
        e5_values=_e5_values(data.get("esrs_e5"), name),
        cells=_tables(data.get("tables"), name),
        answered_by=str(data.get("answered_by") or ""),
        answered_on=answered_on.isoformat()
        if isinstance(answered_on, dt.date)
        else str(answered_on or ""),
    )


def read_answers(path: Path) -> Answers:
    """Read and validate an answers file.

    Raises
    ------
    FileNotReadable
        when the file cannot be read.
    InvalidReportingAnswers
        naming the field, the value and what was expected.
    LimitExceeded
        beyond the YAML limits of :class:`kreislauf.bounded.Limits`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    data = parse_yaml(text, name=path.name, error=InvalidReportingAnswers)
    return answers_from_data(data, name=path.name)
