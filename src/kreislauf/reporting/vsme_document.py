"""The VSME report as a document of the shared renderer (:mod:`kreislauf.report`).

Sections: key figures and the completeness per module; one section per module (B1-B11,
C1-C9) listing every data point of the taxonomy with its value, unit and source (open
ones muted, with the VSME paragraph they answer); warnings; the sources of every value
(file and rows); method notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kreislauf import __version__
from kreislauf.i18n import Lang, format_number, format_percent, translate
from kreislauf.report import (
    Align,
    Block,
    Callout,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Report,
    Section,
    Table,
)
from kreislauf.reporting.compare import VsmeComparison
from kreislauf.reporting.models import DataPoint, Source
from kreislauf.reporting.taxonomy import MODULES, concepts, datapoints, member_label
from kreislauf.reporting.vsme import VsmeReport

#: Labels of the dimension members kreislauf reports (the taxonomy's German labels).
_MEMBER_LABELS = ("RenewableEnergyMember", "NonRenewableEnergyMember")


def _t(key: str, lang: Lang, **params: object) -> str:
    return translate(f"reporting.{key}", lang, **params)


def value_text(point: DataPoint, lang: Lang) -> str:
    """A data point's value as a reader sees it (numbers in the language's format)."""
    value = point.value
    if isinstance(value, bool):
        return _t("yes" if value else "no", lang)
    if isinstance(value, float):
        if point.unit == "t CO2e/EUR":
            return format_number(value * 1e6, lang, decimals=2)  # per million EUR
        decimals = 0 if point.unit in ("EUR", "") else 3 if point.unit != "%" else 1
        return format_number(value, lang, decimals=decimals)
    if point.concept in concepts() and concepts()[point.concept].base_type == "xbrli:tokenItemType":
        return ", ".join(member_label(m, lang) for m in value.split())
    return value


def unit_text(point: DataPoint) -> str:
    if point.unit == "t CO2e/EUR":
        return "t CO2e / Mio. EUR"
    return {"m3": "m³"}.get(point.unit or "", point.unit or "")


def point_label(point: DataPoint, lang: Lang) -> str:
    """The concept's label in ``lang``, qualified by its member or subject (a material)."""
    known = concepts().get(point.concept)
    label = known.label(lang) if known else _t(f"concept.{point.concept.split(':', 1)[1]}", lang)
    for _axis, member in point.dimensions:
        if member in _MEMBER_LABELS:
            label += " · " + concepts()[member].label(lang).removesuffix(" [member]")
        elif not point.label:  # an answered table row: its member or identifier
            label += " · " + member_label(member, lang)
    if point.label and point.concept != "NameOfMaterialUsed":
        label += f" · {point.label}"
    return label


def ranges(rows: Sequence[int]) -> str:
    """``2, 3, 4, 9`` → ``2–4, 9``."""
    parts: list[str] = []
    start = previous = None
    for row in sorted(rows):
        if start is None:
            start = previous = row
        elif previous is not None and row == previous + 1:
            previous = row
        else:
            parts.append(f"{start}–{previous}" if start != previous else str(start))
            start = previous = row
    if start is not None:
        parts.append(f"{start}–{previous}" if start != previous else str(start))
    return ", ".join(parts)


def source_text(sources: Sequence[Source], lang: Lang, *, full: bool = False) -> str:
    """Where a value came from: ``ledger.csv: 12 rows (14–686)`` or the answers field."""
    parts = []
    for source in sources:
        if source.field:
            parts.append(f"{source.file}: {source.field}")
        elif full:
            parts.append(f"{source.file}: {ranges(source.rows)}")
        elif len(source.rows) == 1:
            parts.append(f"{source.file}:{source.rows[0]}")
        else:
            parts.append(
                _t(
                    "rows",
                    lang,
                    file=source.file,
                    count=len(source.rows),
                    first=min(source.rows),
                    last=max(source.rows),
                )
            )
    return "; ".join(dict.fromkeys(parts))


def _summary(report: VsmeReport, lang: Lang) -> Section:
    figures = []
    for key, decimals in (
        ("TotalEnergyConsumption", 0),
        ("TotalGrossMarketBasedScope1AndScope2GHGEmissions", 0),
        ("kreislauf:RecycledInputShare", 1),
        ("TotalWasteGeneratedMass", 1),
    ):
        point = report.points.get(key)
        if point is not None and isinstance(point.value, float):
            figures.append(
                KeyFigure(
                    format_number(point.value, lang, decimals=decimals),
                    f"{point_label(point, lang)} [{unit_text(point)}]",
                )
            )
    rows = []
    for module in MODULES:
        reported, total = report.completeness.modules[module]
        rows.append(
            [
                f"{module} · {_t(f'module.{module}', lang)}",
                f"{reported} / {total}",
                format_percent(100 * report.completeness.share(module), lang, decimals=0),
            ]
        )
    blocks: list[Block] = [
        Paragraph(_t("summary_lead", lang, year=report.year, count=len(report.points)), "lead"),
    ]
    if figures:
        blocks.append(KeyFigures(figures))
    blocks.append(
        Table(
            [_t("col.module", lang), _t("col.reported", lang), _t("col.complete", lang)],
            rows,
            caption=_t("completeness", lang),
        )
    )
    if report.warnings:
        blocks.append(Callout(_t("warnings", lang), list(report.warnings), tone="warning"))
    return Section(_t("summary", lang), blocks, anchor="summary")


def _module(report: VsmeReport, module: str, lang: Lang) -> Section:
    header = [
        _t("col.datapoint", lang),
        _t("col.value", lang),
        _t("col.unit", lang),
        _t("col.source", lang),
    ]
    rows: list[list[str]] = []
    muted: set[int] = set()
    points = [p for p in report.points.values() if p.module == module]
    reported = {p.concept for p in points}
    for point in points:
        rows.append(
            [
                point_label(point, lang),
                value_text(point, lang),
                unit_text(point),
                source_text(point.sources, lang),
            ]
        )
    for concept in datapoints():
        if concept.module != module or concept.id in reported:
            continue
        muted.add(len(rows))
        rows.append(
            [
                concept.label(lang),
                "–",
                "",
                _t("open", lang, paragraph=f"VSME {module} §{concept.paragraph}"),
            ]
        )
    return Section(
        f"{module} · {_t(f'module.{module}', lang)}",
        [Table(header, rows, muted_rows=frozenset(muted), align=["left", "right", "left", "left"])],
        anchor=module.lower(),
    )


def _sources(report: VsmeReport, lang: Lang) -> Section:
    """Every value's sources. A point is named by its label and concept id, not by its
    key: a key's dimension member (``TypeOfWasteAxis=W-120118-Hazardous-…Member``) is one
    word too long for a column, so the PDF would squeeze the sources beside it into a
    column a few words wide (the JSON has the key)."""
    rows = [
        [
            f"{point_label(point, lang)} ({point.concept})",
            source_text(point.sources, lang, full=True),
        ]
        for point in report.points.values()
    ]
    return Section(
        _t("sources", lang),
        [
            Paragraph(_t("sources_note", lang), "note"),
            Table(
                [_t("col.datapoint", lang), _t("col.source", lang)], rows, align=["left", "left"]
            ),
        ],
        anchor="sources",
    )


def compared_rows(
    comparison: VsmeComparison, report: VsmeReport, lang: Lang
) -> list[tuple[str, str, list[str], str, str, str]]:
    """The B3, B6 and B7 rows of ``comparison`` as a reader sees them: key, label, the value of
    each year, the latest year's change against the year before (absolute, in the point's
    unit, and relative [%]; "–" where a year lacks the value or the earlier one is 0) and
    the unit. Shared by the document and the web page."""
    latest = comparison.latest
    rows = []
    for point in comparison.points:
        if point.module not in ("B3", "B6", "B7") or point.key.startswith("NameOf"):
            continue
        shown = report.points.get(point.key)
        label = point_label(shown, lang) if shown is not None else point.key
        change = point.change.get(latest)
        percent = point.change_percent.get(latest)
        rows.append(
            (
                point.key,
                label,
                [_number(point.values[y], lang) for y in comparison.years],
                _number(change, lang, signed=True),
                ("+" if percent is not None and percent > 0 else "")
                + format_percent(percent, lang, decimals=1),
                {"m3": "m³"}.get(point.unit or "", point.unit or ""),
            )
        )
    return rows


def _number(value: float | None, lang: Lang, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    text = format_number(value, lang, decimals=1)
    return f"+{text}" if signed and value > 0 else text


def _years(comparison: VsmeComparison, report: VsmeReport, lang: Lang) -> Section:
    """The numeric data points of B3, B6 and B7 over the years, with the latest change."""
    years = comparison.years
    right: Align = "right"
    previous = comparison.previous or years[-1]
    header = [
        _t("col.datapoint", lang),
        *years,
        _t("col.change_abs", lang, year=years[-1], previous=previous),
        _t("col.change_pct", lang),
        _t("col.unit", lang),
    ]
    rows = [
        [label, *values, change, percent, unit]
        for _, label, values, change, percent, unit in compared_rows(comparison, report, lang)
    ]
    return Section(
        _t("years", lang),
        [
            Paragraph(_t("years_note", lang, first=years[0], last=years[-1]), "note"),
            Table(header, rows, align=["left", *[right] * (len(years) + 2), "left"]),
        ],
        anchor="years",
    )


def _method(lang: Lang) -> Section:
    return Section(
        _t("method", lang),
        [Paragraph(_t(f"method_{n}", lang), "note") for n in (1, 2, 3, 4)],
        anchor="method",
    )


def vsme_document(
    report: VsmeReport, *, lang: Lang, comparison: VsmeComparison | None = None
) -> Report:
    """The VSME report of ``report.year`` in ``lang`` (German or English); with
    ``comparison`` a section sets the years side by side."""
    meta = [
        (_t("meta.entity", lang), report.entity.name or "–"),
        (_t("meta.year", lang), report.year),
        (_t("meta.source", lang), ", ".join(report.sources)),
    ]
    if report.answered_by or report.answered_on:
        meta.append((_t("meta.answered", lang), f"{report.answered_by} {report.answered_on}"))
    meta.append((_t("meta.created", lang), f"{date.today().isoformat()} · kreislauf {__version__}"))
    return Report(
        title=_t("title", lang),
        subtitle=_t("subtitle", lang, year=report.year),
        lang=lang,
        meta=meta,
        sections=[
            _summary(report, lang),
            *(_module(report, module, lang) for module in MODULES),
            *([_years(comparison, report, lang)] if comparison is not None else []),
            _sources(report, lang),
            _method(lang),
        ],
        footer=f"kreislauf {__version__} · VSME {report.year} · {', '.join(report.sources)}",
    )
