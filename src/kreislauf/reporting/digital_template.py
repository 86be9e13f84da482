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
31 December); the tables row by row (:data:`TABLE_LAYOUT`: sites, subsidiaries, waste by
List-of-Waste code, materials, pollutants, employees by country), their drop-down cells
with the template's own list labels (``Enumeration Lists`` sheet: country names, waste
entries, pollutants) and the section check boxes that open a table ("operates in more
than one country", "sector using significant material flows"). The template numbers its
rows 1-100 itself, so a row's identifier of the answers (``LEJ``) is not written. Not
written: enumerations of single data points (drop-down labels the template translates)
and the biodiversity table (docs/reporting.md).

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
from kreislauf.reporting.models import DataPoint
from kreislauf.reporting.taxonomy import concepts, member_label, table_of, waste_codes
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


@dataclass(frozen=True)
class TableLayout:
    """Where a table's rows go: ``sheet``, first row, the column of each data point, the
    axis column (``label_list``: the template list whose labels the drop-down takes), a
    unit column and the section check box that opens the table."""

    sheet: str
    first_row: int
    columns: dict[str, str]
    axis_column: str = ""
    label_list: str = ""
    unit_column: str = ""
    check_box: str = ""


#: The Digital Template 1.3.0's table areas (defined names ``ListOfSitesTable`` …).
TABLE_LAYOUT: dict[str, TableLayout] = {
    "ListOfSitesTable": TableLayout(
        "General Information", 406,
        {"AddressOfSite": "D", "PostalCodeOfSite": "E", "CityOfSite": "F", "CountryOfSite": "G"},
    ),
    "ListOfSubsidiaryTable": TableLayout(
        "General Information", 292,
        {"NameOfTheSubsidiary": "D", "RegisteredAddressOfTheSubsidiary": "E"},
    ),
    "WasteGeneratedTable": TableLayout(
        "Environmental Disclosures", 323,
        {"WasteDivertedToRecycleOrReuseMass": "J", "WasteDirectedToDisposalMass": "K"},
        axis_column="D", label_list="I", unit_column="G",
    ),
    "BreakdownOfAnnualMassFlowOfRelevantMaterialsUsedByTheUndertakingHypercube": TableLayout(
        "Environmental Disclosures", 435,
        {"NameOfMaterialUsed": "D", "WeightOfMaterialUsed": "G"},
        unit_column="J", check_box="G433",
    ),
    "AmountOfEmissionsTable": TableLayout(
        "Environmental Disclosures", 80,
        {
            "AmountOfEmissionToAir": "G",
            "AmountOfEmissionToWater": "J",
            "AmountOfEmissionToSoil": "K",
        },
        axis_column="D", label_list="G",
    ),
    "NumberOfEmployeesForCountryOfEmploymentContractTable": TableLayout(
        "Social Disclosures", 29,
        {"NumberOfEmployeesForCountryOfEmploymentContract": "E"},
        axis_column="C", label_list="C", check_box="E27",
    ),
}  # fmt: skip
#: The template's label of a mass in metric tonnes (its unit drop-down).
TONNES = "metric tonnes (t)"
MAX_TEMPLATE_ROWS = 100


def _shared_strings(source: zipfile.ZipFile) -> list[str]:
    try:
        xml = source.read("xl/sharedStrings.xml").decode("utf-8")
    except KeyError:
        return []
    return [
        unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<si>(.*?)</si>", xml, re.S)
    ]


def _column(xml: str, column: str, strings: list[str]) -> dict[int, str]:
    """Row → text of the cells of ``column`` in a sheet's XML (shared or inline strings)."""
    values: dict[int, str] = {}
    cell = re.compile(rf'<c r="{column}(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
    for match in cell.finditer(xml):
        row, attrs, body = int(match.group(1)), match.group(2), match.group(3) or ""
        value = re.search(r"<v>(.*?)</v>", body)
        if value is None:
            continue
        text = value.group(1)
        values[row] = strings[int(text)] if 't="s"' in attrs else unescape(text)
    return values


Lists = dict[str, dict[int, str]]


def _member_text(member: str, lists: Lists) -> str | None:
    """The template's drop-down label for an axis member or enumeration value: a waste
    entry (list column I, ``"    12 01 18 - Hazardous - …"``), a country name (column C,
    found by its alpha-2 code in column E), a pollutant (column G, by its English label)."""
    if member.startswith("W-"):
        entry = next((w for w in waste_codes().values() if w.member == member), None)
        if entry is None:
            return None
        prefix = entry.code + " - "
        return next((t for t in lists["I"].values() if t.strip().startswith(prefix)), None)
    if member.startswith("country:"):
        code = member.split(":", 1)[1]
        row = next((r for r, text in lists["E"].items() if text.strip() == code), None)
        return lists["C"].get(row) if row is not None else None
    wanted = member_label(member, "en").casefold()
    return next((t for t in lists["G"].values() if t.strip().casefold() == wanted), None)


def _table_cells(
    report: VsmeReport, lists: Lists
) -> tuple[list[tuple[str, str, float | str, str]], dict[str, str]]:
    """(sheet, cell, value, name) for every table value, and the rows left out with why."""
    cells: list[tuple[str, str, float | str, str]] = []
    skipped: dict[str, str] = {}
    rows: dict[str, dict[tuple[tuple[str, str], ...], list[DataPoint]]] = {}
    for point in report.points.values():
        table = table_of(point.concept)
        if (
            point.in_taxonomy
            and table is not None
            and table.id in TABLE_LAYOUT
            and point.dimensions
        ):
            rows.setdefault(table.id, {}).setdefault(point.dimensions, []).append(point)
    for table_id, by_row in rows.items():
        layout = TABLE_LAYOUT[table_id]
        for n, (dims, points) in enumerate(by_row.items()):
            row = layout.first_row + n
            name = f"{table_id}[{n + 1}]"
            if n >= MAX_TEMPLATE_ROWS:
                skipped[name] = f"the template has {MAX_TEMPLATE_ROWS} rows"
                continue
            if layout.axis_column:
                text = _member_text(dims[0][1], lists)
                if text is None:
                    skipped[name] = f"no label of {dims[0][1]} in the template's lists"
                    continue
                cells.append((layout.sheet, f"{layout.axis_column}{row}", text, name))
            if layout.unit_column:
                cells.append((layout.sheet, f"{layout.unit_column}{row}", TONNES, f"{name} unit"))
            for point in points:
                column = layout.columns.get(point.concept)
                value = point.value
                if column is None:
                    continue
                if point.concept == "CountryOfSite" and isinstance(value, str):
                    label = _member_text(value, lists)
                    if label is None:
                        skipped[f"{name}.{point.concept}"] = "country not in the template's list"
                        continue
                    value = label
                if isinstance(value, bool):
                    value = "YES" if value else "NO"
                cells.append((layout.sheet, f"{column}{row}", value, f"{name}.{point.concept}"))
        several_countries = len(by_row) > 1 or layout.check_box != "E27"
        if layout.check_box and several_countries:
            cells.append((layout.sheet, layout.check_box, 1.0, f"{table_id} check box"))
    return cells, skipped


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
    strings = _shared_strings(source)
    lists_xml = source.read(sheets["Enumeration Lists"]).decode("utf-8")
    lists = {
        column: {row: v for row, v in _column(lists_xml, column, strings).items() if row > 1}
        for column in ("C", "E", "G", "I")
    }
    table_cells, table_skipped = _table_cells(report, lists)
    skipped.update(table_skipped)
    for sheet, cell, value, name in table_cells:
        wanted.setdefault(sheets[sheet], []).append((cell, value))
        places[f"{sheets[sheet]}!{cell}"] = name
        places[name] = f"{sheet}!{cell}"
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
