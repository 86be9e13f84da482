"""The printable one-page funding summary of one measure (a :mod:`kreislauf.report` document).

Built from a :class:`~kreislauf.advice.models.FundingResult`: the programmes the measure is
eligible for or lacks data for, each with its estimate, the next question, what to do
before starting, the consultant list it requires, and the row's source and check status.
Nothing is recomputed here.
"""

from __future__ import annotations

from kreislauf.advice.models import FundingResult, ProgrammeResult
from kreislauf.advice.taxonomy import taxonomy
from kreislauf.errors import NotFound
from kreislauf.i18n import Lang, format_number, translate
from kreislauf.report.model import Callout, KeyFigure, KeyFigures, Paragraph, Report, Section, Table

__all__ = ["funding_summary"]


def funding_summary(result: FundingResult, measure: str, lang: Lang) -> Report:
    """The summary of ``measure`` (its id); ``NotFound`` if the result has no such measure."""
    rows = [r for r in result.results if r.measure == measure]
    if not rows:
        raise NotFound(what="measure", id=measure)

    def t(key: str, **params: object) -> str:
        return translate(f"advice.summary.{key}", lang, **params)

    open_rows = [r for r in rows if r.status != "not_eligible"]
    grants = [r.estimated_grant_eur for r in open_rows if r.estimated_grant_eur is not None]
    first = rows[0]
    figures = KeyFigures(
        [
            KeyFigure(str(sum(r.status == "eligible" for r in rows)), t("eligible")),
            KeyFigure(str(sum(r.status == "missing_data" for r in rows)), t("missing")),
            KeyFigure(
                f"{format_number(max(grants), lang, decimals=0)} EUR" if grants else "–",
                t("best_grant"),
            ),
            KeyFigure(f"{format_number(first.npv_eur, lang, decimals=0)} EUR", t("npv")),
        ]
    )
    table = Table(
        header=[t("col.programme"), t("col.status"), t("col.grant"), t("col.npv_grant")],
        rows=[
            [
                _name(r, lang),
                translate(f"advice.cli.status.{r.status}", lang),
                format_number(r.estimated_grant_eur, lang, decimals=0),
                format_number(r.npv_with_grant_eur, lang, decimals=0),
            ]
            for r in open_rows
        ],
        align=["left", "left", "right", "right"],
    )
    sections = [
        Section(
            t("overview"),
            [
                figures,
                table if open_rows else Paragraph(t("none")),
                Callout(t("warnings"), [t("before_start"), t("secondary"), t("formula")]),
            ],
        ),
        # free advice is in the table; its section would say nothing more
        *[
            _programme(r, lang)
            for r in open_rows
            if r.instrument != "advice" or r.rate_pct is not None
        ],
    ]
    return Report(
        title=t("title", measure=first.measure_name),
        subtitle=t("subtitle", code=taxonomy().name(first.code, lang) if first.code else "–"),
        sections=sections,
        lang=lang,
        meta=[
            (
                t("size"),
                translate(f"advice.size.{result.size_class}", lang) if result.size_class else "–",
            ),
            (t("date"), result.today),
        ],
        footer=t("footer", version=result.rules_version),
    )


def _programme(row: ProgrammeResult, lang: Lang) -> Section:
    def t(key: str, **params: object) -> str:
        return translate(f"advice.summary.{key}", lang, **params)

    # one page: the reasons in one paragraph, conflicts counted (the page and JSON list them)
    checked = {str(c["reason"]): c["ok"] for c in row.checks}
    lines = [r for r in row.reasons if checked.get(r) is not True]  # passed checks: not here
    if row.next_question:
        lines.append(f"{t('col.next')}: {row.next_question}")
    blocks: list[Paragraph | Callout] = [Paragraph(" ".join(lines or row.reasons))]
    # shown once for the page: secondary sources, apply before start; conflicts: counted
    general = {
        translate(f"advice.warning.{key}", lang)
        for key in ("secondary", "not_checked", "apply_before_start")
    }
    conflict = translate("advice.warning.conflict", lang, field="", says="", source="")[:12]
    # not checked against the guideline: said once in the section's title (one page)
    unchecked = translate("advice.warning.unchecked_row", lang, against="")[:10]
    warnings = [
        w
        for w in row.warnings
        if w not in general and not w.startswith(conflict) and not w.startswith(unchecked)
    ]
    if warnings:
        blocks.append(Callout(t("warnings"), warnings, tone="warning"))
    consultants = "; ".join(f"{c['name']}: {c['url']}" for c in row.consultants)
    source = t(
        "source",
        url=row.source_url,
        checked=row.checked or "–",
        against=translate(f"advice.checked.{row.checked_against}", lang),
    )
    if row.conflicts:  # counted beside the source (one page); the page and JSON list them
        source = f"{source} {t('conflicts', n=len(row.conflicts))}"
    note = f"{t('consultants')}: {consultants}. {source}" if consultants else source
    blocks.append(Paragraph(note, style="note"))
    return Section(_name(row, lang), list(blocks), level=2)


def _name(row: ProgrammeResult, lang: Lang) -> str:
    """The programme's name, marked where its row is not checked against the guideline."""
    if row.checked_against == "guideline":
        return row.programme_name
    return f"{row.programme_name} ({translate('advice.cli.unchecked', lang)})"
