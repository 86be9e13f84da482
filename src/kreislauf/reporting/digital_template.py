"""EFRAG's VSME Digital Template (XLSX) filled from a report's data points.

The template (version 1.3.0, MIT, shipped in ``data/``) names its input cells after the
taxonomy's concepts (``TotalEnergyConsumption``, ``EnergyConsumptionFromElectricity_
RenewableEnergyMember``), which is what EFRAG's converter reads to build the XBRL report.
This module writes values into those cells of the package's XML and copies every other
part of the workbook unchanged, so formulas, drop-down lists, check boxes and styles stay
as EFRAG made them (a spreadsheet library that loads and saves the workbook would drop
its extended data validations). A cell that holds a formula (totals, converters) is left
alone; Excel recalculates on opening (``fullCalcOnLoad``).

Written: numbers of data points without a table dimension and the energy breakdown by
renewable / non-renewable; text; booleans as the template's ``YES``/``NO``; the entity
(name, identifier and scheme label, currency) and the reporting period (1 January -
31 December). Not written yet: the tables (materials, waste by code, sites), enumerations
(drop-down labels) and the template's section check boxes (docs/reporting.md).

References
----------
EFRAG VSME Digital Template 1.3.0 (EFRAG-EU/Digital-Template-to-XBRL-Converter,
``digital-templates/``); ECMA-376 Office Open XML, Part 1 (SpreadsheetML cells, defined
names, ``calcPr``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from importlib import resources
from xml.sax.saxutils import escape, unescape

from kreislauf.reporting.answers import SCHEMES
from kreislauf.reporting.taxonomy import concepts
from kreislauf.reporting.vsme import VsmeReport

TEMPLATE = "VSME-Digital-Template-1.3.0.xlsx"
_DEFINED = re.compile(r'<definedName name="([^"]+)"[^>]*>([^<]*)</definedName>')
_SHEET = re.compile(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"')
_REL = re.compile(r"<Relationship [^>]*>")
_REF = re.compile(r"^'?(.+?)'?!\$([A-Z]+)\$(\d+)(?::\$[A-Z]+\$\d+)?$")


@dataclass(frozen=True)
class FilledTemplate:
    """The filled workbook and what was written where (``name → sheet!cell``) or left out."""

    data: bytes
    written: dict[str, str]
    skipped: dict[str, str]


def template_bytes() -> bytes:
    """The shipped Digital Template."""
    return resources.files(__package__).joinpath("data", TEMPLATE).read_bytes()


def _cell_values(report: VsmeReport) -> dict[str, float | str]:
    """Defined name → value for every data point the template has a single cell for."""
    values: dict[str, float | str] = {}
    known = concepts()
    for point in report.points.values():
        if not point.in_taxonomy:
            continue
        value = point.value
        if point.dimensions:
            axis, member = point.dimensions[0]
            if axis != "BreakdownOfEnergyConsumptionAxis":
                continue  # tables: not written yet
            name = f"{point.concept}_{member}"
        else:
            name = point.concept
        concept = known[point.concept]
        if isinstance(value, bool):
            values[name] = "YES" if value else "NO"
        elif isinstance(value, float) or concept.base_type != "xbrli:tokenItemType":
            values[name] = value
    entity = report.entity
    if entity.name:
        values["template_reporting_entity_name"] = entity.name
    values["template_currency"] = entity.currency
    scheme = next((label for label, uri in SCHEMES.items() if uri == entity.scheme), None)
    if scheme and entity.identifier:
        values["template_reporting_entity_identifier_scheme"] = scheme
        values["template_reporting_entity_identifier"] = entity.identifier
    return values


#: Input cells of the reporting period (year, month, day of start and end), as the
#: template's General Information sheet lays them out (rows 6-8 and 10-12 of column D).
PERIOD_CELLS = (("D6", "year"), ("D7", 1), ("D8", 1), ("D10", "year"), ("D11", 12), ("D12", 31))


def _set_cell(xml: str, ref: str, value: float | str) -> tuple[str, bool]:
    """``xml`` with the cell ``ref`` holding ``value``; False if the cell is missing or
    holds a formula (left alone)."""
    pattern = re.compile(rf'<c r="{ref}"((?: [A-Za-z:]+="[^"]*")*)\s*(?:/>|>(.*?)</c>)', re.S)
    match = pattern.search(xml)
    if match is None or "<f" in (match.group(2) or ""):
        return xml, False
    style = re.search(r' s="(\d+)"', match.group(1))
    s_attr = f' s="{style.group(1)}"' if style else ""
    if isinstance(value, float):
        number = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        cell = f'<c r="{ref}"{s_attr}><v>{number}</v></c>'
    else:
        text = escape(value)
        cell = f'<c r="{ref}"{s_attr} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return xml[: match.start()] + cell + xml[match.end() :], True


def fill_digital_template(report: VsmeReport, template: bytes | None = None) -> FilledTemplate:
    """The Digital Template with ``report``'s values in its named input cells."""
    source = zipfile.ZipFile(io.BytesIO(template if template is not None else template_bytes()))
    workbook = source.read("xl/workbook.xml").decode("utf-8")
    rels = source.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for tag in _REL.findall(rels):
        rid = re.search(r'Id="([^"]+)"', tag)
        target = re.search(r'Target="([^"]+)"', tag)
        if rid and target:
            targets[rid.group(1)] = "xl/" + target.group(1).lstrip("/").removeprefix("xl/")
    sheets = {
        unescape(name, {"&apos;": "'", "&quot;": '"'}): targets[rid]
        for name, rid in _SHEET.findall(workbook)
    }
    defined = {name: unescape(ref, {"&apos;": "'"}) for name, ref in _DEFINED.findall(workbook)}
    wanted: dict[str, list[tuple[str, float | str]]] = {}
    skipped: dict[str, str] = {}
    places: dict[str, str] = {}
    for name, value in _cell_values(report).items():
        ref = defined.get(name)
        match = _REF.match(ref or "")
        if match is None:
            skipped[name] = "no single named cell in the template"
            continue
        sheet, column, row = match.groups()
        wanted.setdefault(sheets[sheet], []).append((f"{column}{row}", value))
        places[f"{sheets[sheet]}!{column}{row}"] = name
        places[name] = f"{sheet}!{column}{row}"
    general = sheets.get("General Information")
    if general is not None:
        for cell, value in PERIOD_CELLS:
            number = float(report.year) if value == "year" else float(value)
            wanted.setdefault(general, []).append((cell, number))
            places[f"{general}!{cell}"] = f"period {cell}"
    written: dict[str, str] = {}
    changed: dict[str, str] = {}
    for path, cells in wanted.items():
        xml = source.read(path).decode("utf-8")
        for ref, value in cells:
            xml, done = _set_cell(xml, ref, value)
            name = places[f"{path}!{ref}"]
            if done:
                written[name] = places.get(name, ref)
            else:
                skipped[name] = "the cell holds a formula or does not exist"
        changed[path] = xml
    changed["xl/workbook.xml"] = re.sub(
        r"<calcPr([^>]*?)/>",
        lambda m: (
            m.group(0)
            if "fullCalcOnLoad" in m.group(1)
            else f'<calcPr{m.group(1)} fullCalcOnLoad="1"/>'
        ),
        workbook,
        count=1,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename in changed:
                archive.writestr(info, changed[info.filename].encode("utf-8"))
            else:
                archive.writestr(info, source.read(info.filename))
    return FilledTemplate(out.getvalue(), written, skipped)
