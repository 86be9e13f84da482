"""The guided VSME report of an organisation: computed from its stored ledger and carbon
inputs by :func:`kreislauf.reporting.vsme_report`, completed by the answers stored per year
(:mod:`kreislauf.store.reporting`, with who/when). Nothing is computed here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kreislauf.carbon.activities import read_activities
from kreislauf.errors import InvalidField, KreislaufError
from kreislauf.i18n import Lang, translate
from kreislauf.reporting import answers_from_data, vsme_report
from kreislauf.reporting.answers import dimensional_concepts, unit_of
from kreislauf.reporting.digital_template import fill_digital_template
from kreislauf.reporting.ixbrl import inline_xbrl
from kreislauf.reporting.taxonomy import MODULES, Concept, datapoints
from kreislauf.reporting.vsme import VsmeReport
from kreislauf.reporting.vsme_document import point_label, source_text, unit_text, value_text
from kreislauf.store import carbon as carbon_store
from kreislauf.store import reporting as reporting_store
from kreislauf.store.account import Access
from kreislauf.store.models import ReportingAnswer
from kreislauf.web.schemas.reporting import VsmeModuleOut, VsmeOpenOut, VsmeOut, VsmePointOut
from kreislauf.web.services import carbon as carbon_service
from kreislauf.web.services import ledger as ledger_service

ANSWERS_NAME = "kreislauf-web"
_INPUTS = {
    "xbrli:booleanItemType": "boolean",
    "xbrli:dateItemType": "date",
    "xbrli:gYearItemType": "year",
}


def input_kind(concept: Concept) -> str | None:
    """The form input of a concept; None for those the page does not ask (enumerations,
    table dimensions: the answers file takes them)."""
    if concept.id in dimensional_concepts() or concept.base_type == "xbrli:tokenItemType":
        return None
    if concept.numeric:
        return "number"
    return _INPUTS.get(concept.base_type, "text")


def _years(db: Session, access: Access) -> tuple[list[str], ledger_service.Computed]:
    result = ledger_service.ledger_result(db, access)
    return sorted({str(p)[:4] for p in result.ledger.periods}), result


def _year(value: str | None, years: list[str]) -> str:
    if value is None:
        return years[-1]
    if value not in years:
        raise InvalidField(field="year", value=value, expected=", ".join(years))
    return value


@dataclass(frozen=True)
class _Computed:
    report: VsmeReport
    years: list[str]
    balance_problem: KreislaufError | None
    stored: list[ReportingAnswer]


def _computed(db: Session, access: Access, *, year: str | None) -> _Computed:
    """The organisation's VSME report of ``year`` (default: the ledger's latest)."""
    years, result = _years(db, access)
    chosen = _year(year, years)
    carbon = carbon_service.carbon_of(db, result, organisation_id=access.organisation_id)
    with carbon_store.carbon_files(db, organisation_id=access.organisation_id) as files:
        activities = read_activities(files.activities) if files.activities else []
    stored = reporting_store.reporting_answers(
        db, organisation_id=access.organisation_id, year=int(chosen)
    )
    answers = answers_from_data(
        {"datapoints": {a.concept: a.value for a in stored}}, name=ANSWERS_NAME
    )
    report = vsme_report(
        result.ledger, year=chosen, balance=carbon.balance, activities=activities, answers=answers
    )
    return _Computed(report, years, carbon.balance_error, stored)


def vsme_download(
    db: Session, access: Access, *, year: str | None, kind: str, lang: Lang
) -> tuple[bytes, str, str]:
    """The report as ``json``, ``xhtml`` (Inline XBRL) or ``xlsx`` (EFRAG Digital
    Template): content, media type and file name."""
    report = _computed(db, access, year=year).report
    name = f"vsme-{report.year}.{kind}"
    if kind == "xhtml":
        return inline_xbrl(report, lang=lang).encode("utf-8"), "application/xhtml+xml", name
    if kind == "xlsx":
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return fill_digital_template(report).data, media, name
    return report.to_json(indent=2).encode("utf-8"), "application/json", name


def vsme_view(db: Session, access: Access, *, year: str | None, lang: Lang) -> VsmeOut:
    """The VSME data points of ``year`` (default: the ledger's latest), by module."""
    computed = _computed(db, access, year=year)
    report, stored = computed.report, computed.stored
    names = reporting_store.answerer_names(db, stored)
    who = {a.concept: (names.get(a.answered_by or 0), a.answered_at) for a in stored}
    modules = []
    for module in MODULES:
        points = [
            VsmePointOut(
                key=p.key,
                concept=p.concept,
                label=point_label(p, lang),
                value=value_text(p, lang),
                unit=unit_text(p),
                source=source_text(p.sources, lang)
                if p.origin == "computed"
                else translate("web.reporting.answered", lang),
                origin=p.origin,
                answered_by=who.get(p.concept, (None, None))[0],
                answered_at=who.get(p.concept, (None, None))[1],
            )
            for p in report.points.values()
            if p.module == module
        ]
        reported_ids = {p.concept for p in points}
        open_points = []
        for concept in datapoints():
            kind = input_kind(concept)
            if concept.module != module or concept.id in reported_ids or kind is None:
                continue
            open_points.append(
                VsmeOpenOut(
                    id=concept.id,
                    label=concept.label(lang),
                    paragraph=f"VSME {module} §{concept.paragraph}",
                    reference=concept.reference,
                    help=concept.help_en,
                    input=kind,
                    unit=unit_of(concept) or "",
                )
            )
        reported, total = report.completeness.modules[module]
        modules.append(
            VsmeModuleOut(
                module=module,
                title=translate(f"reporting.module.{module}", lang),
                reported=reported,
                total=total,
                points=points,
                open=open_points,
            )
        )
    problem = computed.balance_problem
    return VsmeOut(
        year=report.year,
        years=computed.years,
        modules=modules,
        warnings=list(report.warnings),
        balance_problem=problem.message(lang) if problem else None,
    )


def save_vsme_answers(db: Session, access: Access, *, year: str, form: Mapping[str, str]) -> int:
    """Validate and store the form's answers (fields ``dp.<id>``; blank removes one).

    Raises :class:`~kreislauf.errors.InvalidReportingAnswers` naming the field; nothing is stored.
    """
    years, _ = _years(db, access)
    chosen = _year(year, years)
    known = {c.id: c for c in datapoints()}
    raw: dict[str, object | None] = {}
    for field, text in form.items():
        if not field.startswith("dp."):
            continue
        concept = known.get(field[3:])
        if concept is None or input_kind(concept) is None:
            raise InvalidField(field=field, value=field[3:], expected="a data point of the form")
        value = text.strip()
        if not value:
            raw[concept.id] = None
        elif input_kind(concept) == "boolean":
            if value not in ("true", "false"):
                raise InvalidField(field=field, value=value, expected="true or false")
            raw[concept.id] = value == "true"
        else:
            raw[concept.id] = value
    given = {k: v for k, v in raw.items() if v is not None}
    checked = answers_from_data({"datapoints": given}, name=ANSWERS_NAME)
    values: dict[str, object | None] = {k: checked.values.get(k) for k in raw}
    try:
        return reporting_store.save_reporting_answers(
            db,
            organisation_id=access.organisation_id,
            year=int(chosen),
            values=values,
            user_id=access.user_id,
        )
    except KreislaufError:
        db.rollback()
        raise
