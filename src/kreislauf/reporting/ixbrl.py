"""The VSME report as Inline XBRL 1.1: a readable XHTML page whose values are tagged with
the concepts of EFRAG's VSME taxonomy.

Every data point of the taxonomy becomes one fact: numbers as ``ix:nonFraction`` with unit
(UTR measures ``utr:MWh``, ``utr:tCO2e``, ``utr:t``, ``utr:m3``, ISO 4217 currency,
``xbrli:pure``; intensity ``tCO2e/EUR``), decimals and the number format of the page's
language (``ixt:num-dot-decimal`` or ``ixt:num-comma-decimal``); booleans, text and dates
as ``ix:nonNumeric``; enumerations as hidden facts holding the member URIs. Contexts: the
entity (identifier and scheme from the answers), the reporting year as duration
(1 January - 31 December) or its last day as instant (the concept's period type), and
the dimension members as explicit or typed members in the scenario, as the taxonomy's
hypercubes have them. kreislauf's own figures (``kreislauf:…``) are shown untagged.

References
----------
XBRL International (2013) Inline XBRL 1.1, Recommendation; Transformation Registry 4
(2020-02-12); XBRL Dimensions 1.0; Units Registry (UTR). EFRAG VSME XBRL taxonomy
2026-05-01 (entry point in :func:`kreislauf.reporting.taxonomy.dimensions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from kreislauf.i18n import Lang
from kreislauf.reporting.models import DataPoint
from kreislauf.reporting.taxonomy import (
    MODULES,
    Concept,
    concepts,
    dimensions,
    member_label,
    member_uri,
)
from kreislauf.reporting.vsme import VsmeReport
from kreislauf.reporting.vsme_document import point_label, source_text, unit_text

IX = "http://www.xbrl.org/2013/inlineXBRL"
IXT = "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"
NAMESPACES = {
    "": "http://www.w3.org/1999/xhtml",
    "ix": IX,
    "ixt": IXT,
    "xbrli": "http://www.xbrl.org/2003/instance",
    "xbrldi": "http://xbrl.org/2006/xbrldi",
    "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink",
    "iso4217": "http://www.xbrl.org/2003/iso4217",
    "utr": "http://www.xbrl.org/2009/utr",
}
#: kreislauf unit → (unit id, numerator measures, denominator measures)
UNITS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "MWh": ("MWh", ("utr:MWh",), ()),
    "t CO2e": ("tCO2e", ("utr:tCO2e",), ()),
    "t": ("t", ("utr:t",), ()),
    "m3": ("m3", ("utr:m3",), ()),
    "ha": ("ha", ("utr:ha",), ()),
    "t CO2e/EUR": ("tCO2e_per_EUR", ("utr:tCO2e",), ("iso4217:EUR",)),
    "%": ("pure", ("xbrli:pure",), ()),
    "": ("pure", ("xbrli:pure",), ()),
}
#: decimals attribute per unit: what the shown figure is accurate to
DECIMALS = {"MWh": 3, "t CO2e": 3, "t": 3, "m3": 3, "ha": 3, "%": 3, "": 0, "t CO2e/EUR": 8}


def _qname(name: str) -> str:
    """``waste:W-…`` members keep their prefix; everything else is in ``vsme``."""
    return name if ":" in name else f"vsme:{name}"


def _member_qname(member: str) -> str:
    """``W-…`` → ``waste:``; prefixed members (``country:DE``) stay; the rest is ``vsme``."""
    if ":" in member:
        return member
    return f"waste:{member}" if member.startswith("W-") else f"vsme:{member}"


class _Contexts:
    """Contexts by (period, dimensions); ids c1, c2, … in order of first use."""

    def __init__(self, year: str, scheme: str, identifier: str) -> None:
        self.year = year
        self.scheme = scheme
        self.identifier = identifier
        self.ids: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}

    def id(self, period_type: str, dims: tuple[tuple[str, str], ...]) -> str:
        key = (period_type, dims)
        if key not in self.ids:
            self.ids[key] = f"c{len(self.ids) + 1}"
        return self.ids[key]

    def xml(self) -> str:
        typed = dimensions()["typed_elements"]
        parts = []
        for (period_type, dims), context_id in self.ids.items():
            if period_type == "instant":
                period = f"<xbrli:instant>{self.year}-12-31</xbrli:instant>"
            else:
                period = (
                    f"<xbrli:startDate>{self.year}-01-01</xbrli:startDate>"
                    f"<xbrli:endDate>{self.year}-12-31</xbrli:endDate>"
                )
            members = []
            for axis, member in dims:
                element = typed.get(f"vsme:{axis}")
                if element:
                    members.append(
                        f'<xbrldi:typedMember dimension="vsme:{axis}">'
                        f"<{element}>{escape(member)}</{element}></xbrldi:typedMember>"
                    )
                else:
                    members.append(
                        f'<xbrldi:explicitMember dimension="vsme:{axis}">'
                        f"{_member_qname(member)}</xbrldi:explicitMember>"
                    )
            scenario = f"<xbrli:scenario>{''.join(members)}</xbrli:scenario>" if members else ""
            parts.append(
                f'<xbrli:context id="{context_id}"><xbrli:entity>'
                f"<xbrli:identifier scheme={quoteattr(self.scheme)}>"
                f"{escape(self.identifier)}</xbrli:identifier></xbrli:entity>"
                f"<xbrli:period>{period}</xbrli:period>{scenario}</xbrli:context>"
            )
        return "".join(parts)


def _measures(names: Sequence[str]) -> str:
    return "".join(f"<xbrli:measure>{m}</xbrli:measure>" for m in names)


def _units_xml(used: Sequence[str], currency: str) -> str:
    parts = []
    for unit in used:
        if unit == currency:
            parts.append(
                f'<xbrli:unit id="{currency}"><xbrli:measure>iso4217:{currency}'
                "</xbrli:measure></xbrli:unit>"
            )
            continue
        unit_id, numerator, denominator = UNITS[unit]
        if denominator:
            body = (
                f"<xbrli:divide><xbrli:unitNumerator>{_measures(numerator)}</xbrli:unitNumerator>"
                f"<xbrli:unitDenominator>{_measures(denominator)}</xbrli:unitDenominator>"
                "</xbrli:divide>"
            )
        else:
            body = _measures(numerator)
        parts.append(f'<xbrli:unit id="{unit_id}">{body}</xbrli:unit>')
    return "".join(dict.fromkeys(parts))


def _number(value: float, decimals: int, lang: Lang) -> str:
    """The figure as shown: grouping and decimal mark of ``lang``, no sign."""
    text = f"{abs(value):,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


class _Facts:
    """Builds the tagged cells; remembers units and hidden facts."""

    def __init__(self, contexts: _Contexts, currency: str, lang: Lang) -> None:
        self.contexts = contexts
        self.currency = currency
        self.lang = lang
        self.units: list[str] = []
        self.hidden: list[str] = []
        self.count = 0

    def cell(self, point: DataPoint, concept: Concept) -> str:
        self.count += 1
        fact_id = f"f{self.count}"
        context = self.contexts.id(concept.period_type, point.dimensions)
        name = _qname(concept.id)
        value = point.value
        if isinstance(value, float):
            unit = point.unit or ""
            if unit == self.currency:
                unit_id, decimals, scale, shown = self.currency, 0, 0, value
            else:
                unit_id = UNITS[unit][0]
                decimals, scale, shown = DECIMALS.get(unit, 3), 0, value
                if unit == "t CO2e/EUR":  # shown per million EUR
                    scale, shown = -6, value * 1e6
                    decimals = 8
                elif unit == "%":  # XBRL percentages are fractions
                    scale, shown = -2, value
                    decimals = 3
            self.units.append(unit)
            shown_decimals = max(decimals + scale, 0)
            sign = ' sign="-"' if value < 0 else ""
            fmt = "ixt:num-comma-decimal" if self.lang == "de" else "ixt:num-dot-decimal"
            scale_attr = f' scale="{scale}"' if scale else ""
            return (
                f'<ix:nonFraction id="{fact_id}" name="{name}" contextRef="{context}" '
                f'unitRef="{unit_id}" decimals="{decimals}"{scale_attr} format="{fmt}"{sign}>'
                f"{_number(shown, shown_decimals, self.lang)}</ix:nonFraction>"
            )
        if isinstance(value, bool):
            fmt = "ixt:fixed-true" if value else "ixt:fixed-false"
            shown_text = {True: {"de": "ja", "en": "yes"}, False: {"de": "nein", "en": "no"}}
            return (
                f'<ix:nonNumeric id="{fact_id}" name="{name}" contextRef="{context}" '
                f'format="{fmt}">{shown_text[value][self.lang]}</ix:nonNumeric>'
            )
        if concept.base_type == "xbrli:tokenItemType":  # enumeration: member URIs, hidden
            uris = " ".join(member_uri(m) for m in value.split())
            self.hidden.append(
                f'<ix:nonNumeric id="{fact_id}" name="{name}" contextRef="{context}">'
                f"{escape(uris)}</ix:nonNumeric>"
            )
            labels = ", ".join(member_label(m, self.lang) for m in value.split())
            return f'<span style="-ix-hidden:{fact_id}">{escape(labels)}</span>'
        return (
            f'<ix:nonNumeric id="{fact_id}" name="{name}" contextRef="{context}">'
            f"{escape(value)}</ix:nonNumeric>"
        )


_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#1f2933}"
    "table{border-collapse:collapse;width:100%;margin:1em 0}"
    "th,td{border-bottom:1px solid #d9dee3;padding:.3em .5em;text-align:left;vertical-align:top}"
    "td.n{text-align:right;white-space:nowrap}small{color:#5f6b76}"
)
_WORDS = {
    "de": (
        "Nachhaltigkeitsbericht nach VSME",
        "Berichtsjahr",
        "Datenpunkt",
        "Wert",
        "Einheit",
        "Quelle",
    ),
    "en": (
        "Sustainability report (VSME)",
        "Reporting year",
        "Data point",
        "Value",
        "Unit",
        "Source",
    ),
}


def inline_xbrl(report: VsmeReport, *, lang: Lang) -> str:
    """The report as one Inline XBRL 1.1 document (XHTML, UTF-8) in ``lang``."""
    info = dimensions()
    entity = report.entity
    contexts = _Contexts(report.year, entity.scheme, entity.identifier or "unidentified")
    facts = _Facts(contexts, entity.currency, lang)
    title, year_word, *columns = _WORDS[lang]
    known = concepts()
    sections = []
    for module in MODULES:
        rows = []
        for point in report.points.values():
            if point.module != module:
                continue
            concept = known.get(point.concept) if point.in_taxonomy else None
            shown = (
                facts.cell(point, concept)
                if concept is not None
                else escape(
                    str(round(point.value, 3) if isinstance(point.value, float) else point.value)
                )
            )
            rows.append(
                f"<tr><td>{escape(point_label(point, lang))}<br/>"
                f"<small>{escape(point.key)}</small></td>"
                f'<td class="n">{shown}</td><td>{escape(unit_text(point))}</td>'
                f"<td><small>{escape(source_text(point.sources, lang))}</small></td></tr>"
            )
        if rows:
            header = "".join(f"<th>{escape(c)}</th>" for c in columns)
            sections.append(
                f"<h2>{module}</h2><table><thead><tr>{header}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
    namespaces = {
        **NAMESPACES,
        "vsme": info["namespaces"]["vsme"],
        "waste": info["namespaces"]["waste"],
        "country": info["namespaces"]["country"],
    }
    xmlns = " ".join(
        f'xmlns="{uri}"' if prefix == "" else f'xmlns:{prefix}="{uri}"'
        for prefix, uri in namespaces.items()
    )
    hidden = f"<ix:hidden>{''.join(facts.hidden)}</ix:hidden>" if facts.hidden else ""
    header = (
        '<div style="display:none"><ix:header>'
        f"{hidden}"
        '<ix:references><link:schemaRef xlink:type="simple" '
        f'xlink:href="{info["entry_point"]}"/></ix:references>'
        f"<ix:resources>{contexts.xml()}"
        f"{_units_xml(list(dict.fromkeys(facts.units)), entity.currency)}"
        "</ix:resources></ix:header></div>"
    )
    name = escape(entity.name or "–")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<html {xmlns} xml:lang="{lang}"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>'
        f"<title>{escape(title)} {report.year}</title>"
        f'<style type="text/css">{_STYLE}</style></head><body>'
        f"{header}<h1>{escape(title)}</h1><p>{name} · {year_word} {report.year}</p>"
        f"{''.join(sections)}</body></html>\n"
    )
