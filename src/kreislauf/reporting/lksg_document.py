"""The LkSG risk analysis as a document of the shared renderer (:mod:`kreislauf.report`):
the internal documentation of § 10 Abs. 1 LkSG.

Sections: legal state of the rule set; with a follow-up (:mod:`~kreislauf.reporting.
lksg_followup`) the year's summary, the concrete assessments and the measures with their
state on the documentation date; suppliers ranked by priority; per flagged supplier its
risks with the rule rows they rest on; method and sources; the retention note (§ 10
Abs. 1 Satz 2: seven years).
"""

from __future__ import annotations

from datetime import date

from kreislauf import __version__
from kreislauf.i18n import Lang, format_number, format_percent, translate
from kreislauf.report import Block, Callout, Paragraph, Report, Section, Table
from kreislauf.reporting.countries import country_name
from kreislauf.reporting.lksg import LksgAnalysis
from kreislauf.reporting.lksg_followup import FollowUp, followup_status


def _t(key: str, lang: Lang, **params: object) -> str:
    return translate(f"reporting.lksg.{key}", lang, **params)


def _followup_sections(
    analysis: LksgAnalysis, followup: FollowUp, on: date, lang: Lang
) -> list[Section]:
    rules = analysis.rules
    status = followup_status(analysis, followup, on=on)
    states = [r.state for r in status]
    overdue = [m for r in status for m in r.measures if m.overdue(on)]
    summary = Callout(
        _t("doc.summary", lang, year=followup.year, date=on.isoformat()),
        [
            _t("doc.summary_risks", lang, count=len(status)),
            _t("doc.summary_assessed", lang, count=sum(1 for s in states if s != "not_assessed")),
            _t("doc.summary_measures", lang, count=sum(len(r.measures) for r in status)),
            _t("doc.summary_overdue", lang, count=len(overdue)),
        ],
        tone="warning" if overdue or "not_assessed" in states else "info",
    )
    positions = rules.positions
    assessments = Table(
        [
            _t(f"doc.col.{c}", lang)
            for c in ("supplier", "position", "finding", "evidence", "by", "state")
        ],
        [
            [
                r.supplier,
                f"{positions[r.position].paragraph} {positions[r.position].label(lang)}",
                _t(f"finding.{r.assessment.finding}", lang) if r.assessment else "–",
                f"{_t(f'method.{r.assessment.method}', lang)}: {r.assessment.evidence}"
                if r.assessment
                else "–",
                f"{r.assessment.assessed_by}, {r.assessment.assessed_on}" if r.assessment else "–",
                _t(f"state.{r.state}", lang),
            ]
            for r in status
        ],
        align=["left"] * 6,
    )
    measures = Table(
        [
            _t(f"doc.col.{c}", lang)
            for c in ("id", "supplier", "kind", "description", "owner", "due", "status", "review")
        ],
        [
            [
                m.id,
                m.supplier,
                _t(f"kind.{m.kind}", lang),
                m.description + (f" – {m.follow_up}" if m.follow_up else ""),
                m.owner,
                m.due + (f" ({_t('overdue', lang)})" if m.overdue(on) else ""),
                _t(f"status.{m.status}", lang),
                m.reviewed_on or "–",
            ]
            for r in status
            for m in r.measures
        ],
        align=["left"] * 8,
    )
    return [
        Section(_t("doc.followup", lang), [summary], anchor="summary"),
        Section(
            _t("doc.assessments", lang),
            [Paragraph(_t("doc.assessments_lead", lang), "lead"), assessments],
            anchor="assessments",
        ),
        Section(
            _t("doc.measures", lang),
            [Paragraph(_t("doc.measures_lead", lang), "lead"), measures],
            anchor="measures",
        ),
    ]


def lksg_document(
    analysis: LksgAnalysis,
    *,
    lang: Lang,
    followup: FollowUp | None = None,
    on: date | None = None,
) -> Report:
    """The risk analysis in ``lang`` (German or English); with ``followup`` the year's
    internal documentation (§ 10 Abs. 1 LkSG) as of ``on`` (default: today)."""
    rules = analysis.rules
    day = on or date.today()
    ranking = Table(
        [
            _t(f"col.{c}", lang)
            for c in ("rank", "supplier", "country", "nace", "share", "risk", "priority")
        ],
        [
            [
                str(n),
                s.supplier.name,
                f"{country_name(s.supplier.country, lang)} ({s.supplier.country})",
                s.supplier.nace,
                format_percent(100 * s.spend_share, lang, decimals=1),
                _t("flagged" if s.flagged else "not_flagged", lang),
                format_number(s.priority, lang, decimals=1),
            ]
            for n, s in enumerate(analysis.suppliers, start=1)
        ],
        align=["right", "left", "left", "left", "right", "left", "right"],
    )
    sections = [
        Section(
            _t("legal_state", lang),
            [
                Paragraph(rules.legal_state[lang]),
                Paragraph(
                    _t("rule_set", lang, version=rules.version, date=rules.checked_on), "note"
                ),
            ],
            anchor="legal-state",
        ),
        *(_followup_sections(analysis, followup, day, lang) if followup is not None else []),
        Section(
            _t("ranking", lang),
            [Paragraph(_t("ranking_lead", lang), "lead"), ranking],
            anchor="ranking",
        ),
    ]
    for supplier in analysis.suppliers:
        if not supplier.risks:
            continue
        rows = []
        for risk in supplier.risks:
            position = rules.positions[risk.position]
            basis = "; ".join(f"{r.table}:{r.row} ({r.source}, {r.date})" for r in risk.rules)
            rows.append(
                [
                    f"{position.paragraph} {position.label(lang)}",
                    _t(f"level.{risk.level}", lang),
                    str(risk.probability),
                    format_number(risk.priority, lang, decimals=1),
                    basis,
                ]
            )
        blocks: list[Block] = [
            Paragraph(
                _t(
                    "supplier_meta",
                    lang,
                    file=supplier.supplier.source,
                    row=supplier.supplier.row,
                    influence=_t(f"influence.{supplier.influence}", lang),
                    contribution=supplier.supplier.contribution,
                    country=supplier.country_rule,
                ),
                "note",
            ),
            Table(
                [
                    _t(f"col.{c}", lang)
                    for c in ("position", "level", "probability", "priority", "basis")
                ],
                rows,
                align=["left", "left", "right", "right", "left"],
            ),
        ]
        if supplier.flagged:
            blocks.append(
                Callout(
                    _t("next_steps", lang),
                    [_t(f"step_{n}", lang) for n in (1, 2, 3)],
                    tone="warning",
                )
            )
        sections.append(Section(supplier.supplier.name, blocks, level=2))
    method: list[Block] = [Paragraph(_t(f"method_{n}", lang), "note") for n in (1, 2, 3)]
    method += [Paragraph(source, "note") for source in rules.sources]
    if followup is not None:
        method.append(Paragraph(_t("doc.retention", lang), "note"))
    sections.append(
        Section(
            _t("method", lang),
            method,
            anchor="method",
        )
    )
    return Report(
        title=_t("doc.title", lang, year=followup.year) if followup else _t("title", lang),
        subtitle=_t("subtitle", lang, version=rules.version),
        lang=lang,
        meta=[
            (_t("meta_source", lang), ", ".join(analysis.sources)),
            (_t("meta_index", lang), analysis.index_source or "–"),
            *([(_t("doc.meta_followup", lang), followup.source)] if followup else []),
            (_t("meta_created", lang), f"{day.isoformat()} · kreislauf {__version__}"),
        ],
        sections=sections,
        footer=f"kreislauf {__version__} · LkSG {rules.version}",
    )
