"""The LkSG risk analysis as a document of the shared renderer (:mod:`kreislauf.report`):
the internal documentation of § 10 Abs. 1 LkSG for the abstract screening.

Sections: legal state of the rule set; suppliers ranked by priority; per flagged supplier
its risks with the rule rows they rest on; method and sources.
"""

from __future__ import annotations

from datetime import date

from kreislauf import __version__
from kreislauf.i18n import Lang, format_number, format_percent, translate
from kreislauf.report import Block, Callout, Paragraph, Report, Section, Table
from kreislauf.reporting.lksg import LksgAnalysis


def _t(key: str, lang: Lang, **params: object) -> str:
    return translate(f"reporting.lksg.{key}", lang, **params)


def lksg_document(analysis: LksgAnalysis, *, lang: Lang) -> Report:
    """The risk analysis in ``lang`` (German or English)."""
    rules = analysis.rules
    ranking = Table(
        [
            _t(f"col.{c}", lang)
            for c in ("rank", "supplier", "country", "nace", "share", "risk", "priority")
        ],
        [
            [
                str(n),
                s.supplier.name,
                s.supplier.country,
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
    sections.append(
        Section(
            _t("method", lang),
            method,
            anchor="method",
        )
    )
    return Report(
        title=_t("title", lang),
        subtitle=_t("subtitle", lang, version=rules.version),
        lang=lang,
        meta=[
            (_t("meta_source", lang), ", ".join(analysis.sources)),
            (_t("meta_index", lang), analysis.index_source or "–"),
            (_t("meta_created", lang), f"{date.today().isoformat()} · kreislauf {__version__}"),
        ],
        sections=sections,
        footer=f"kreislauf {__version__} · LkSG {rules.version}",
    )
