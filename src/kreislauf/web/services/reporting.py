"""The guided VSME report of an organisation: computed from its stored ledger and carbon
inputs by :func:`kreislauf.reporting.vsme_report`, completed by the answers stored per year
(:mod:`kreislauf.store.reporting`, with who/when). Nothing is computed here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from fastapi import Request, UploadFile
from sqlalchemy.orm import Session

from kreislauf.carbon.activities import read_activities
from kreislauf.errors import InvalidField, KreislaufError
from kreislauf.i18n import Lang, translate
from kreislauf.report import render_html, render_pdf
from kreislauf.reporting import Answers, answers_from_data, vsme_report
from kreislauf.reporting.answers import dimensional_concepts, table_rows, unit_of
from kreislauf.reporting.compare import VsmeComparison, vsme_years
from kreislauf.reporting.countries import country_name
from kreislauf.reporting.digital_template import fill_digital_template
from kreislauf.reporting.ixbrl import inline_xbrl
from kreislauf.reporting.lksg import LksgAnalysis, lksg_screening, read_suppliers
from kreislauf.reporting.lksg_document import lksg_document
from kreislauf.reporting.lksg_followup import (
    ASSESSMENT_FIELDS,
    MEASURE_FIELDS,
    FollowUp,
    followup_from_data,
    followup_status,
)
from kreislauf.reporting.models import datapoint_key
from kreislauf.reporting.taxonomy import (
    MODULES,
    Concept,
    Table,
    concepts,
    datapoints,
    enumerations,
    member_label,
    tables,
)
from kreislauf.reporting.vsme import VsmeReport
from kreislauf.reporting.vsme_document import (
    compared_rows,
    point_label,
    source_text,
    unit_text,
    value_text,
    vsme_document,
)
from kreislauf.store import carbon as carbon_store
from kreislauf.store import reporting as reporting_store
from kreislauf.store.account import Access
from kreislauf.store.models import ReportingAnswer
from kreislauf.web.deps import get_settings
from kreislauf.web.schemas.reporting import (
    LksgMeasureOut,
    LksgOut,
    LksgRiskOut,
    LksgSupplierOut,
    OptionOut,
    VsmeCellOut,
    VsmeColumnOut,
    VsmeComparedOut,
    VsmeComparisonOut,
    VsmeModuleOut,
    VsmeOpenOut,
    VsmeOut,
    VsmePointOut,
    VsmeTableOut,
)
from kreislauf.web.services import carbon as carbon_service
from kreislauf.web.services import ledger as ledger_service
from kreislauf.web.uploads import required, saved_uploads

ANSWERS_NAME = "kreislauf-web"
FOLLOWUP_NAME = "kreislauf-web (LkSG)"
_INPUTS = {
    "xbrli:booleanItemType": "boolean",
    "xbrli:dateItemType": "date",
    "xbrli:gYearItemType": "year",
}


#: Enumerations with more members than a list of choices shows well take typed codes.
MAX_OPTIONS = 300


def input_kind(concept: Concept) -> str | None:
    """The form input of a single data point; None for table columns (the page's table
    forms ask them). Enumerations: ``select`` (one member), ``checkboxes`` (a set, e.g. the
    sections omitted as classified), ``text`` for the NACE codes (over 1,000)."""
    if concept.id in dimensional_concepts():
        return None
    return _kind(concept)


def _kind(concept: Concept) -> str:
    if concept.base_type == "xbrli:tokenItemType":
        enumeration = enumerations().get(concept.id)
        if enumeration is None or len(enumeration.members) > MAX_OPTIONS:
            return "text"
        return "checkboxes" if enumeration.several else "select"
    if concept.numeric:
        return "number"
    return _INPUTS.get(concept.base_type, "text")


#: Longest choice label [characters]: a select is as wide as its longest option, and the
#: page must fit a 390 px phone (the full label is in the report and the API's data).
MAX_OPTION_CHARS = 34


def _fit(label: str) -> str:
    return label if len(label) <= MAX_OPTION_CHARS else label[: MAX_OPTION_CHARS - 1] + "…"


def _options(concept: Concept, lang: Lang) -> list[OptionOut]:
    enumeration = enumerations().get(concept.id)
    if enumeration is None or len(enumeration.members) > MAX_OPTIONS:
        return []
    return [OptionOut(value=m, label=_fit(member_label(m, lang))) for m in enumeration.members]


def _table_view(
    table: Table, report: VsmeReport, stored: list[ReportingAnswer], lang: Lang
) -> VsmeTableOut:
    known = concepts()
    columns = []
    for axis in table.axes:
        members = table.members.get(axis, ())
        if axis in table.typed or members == ("@waste",):
            kind, options = "identifier", []
        else:
            kind = "select"
            options = [OptionOut(value=m, label=_fit(member_label(m, lang))) for m in members]
        columns.append(
            VsmeColumnOut(id=axis, label=known[axis].label(lang).removesuffix(" [axis]"),
                          input=kind, unit="", options=options)
        )  # fmt: skip
    for column in table.columns:
        concept = known[column]
        columns.append(
            VsmeColumnOut(id=column, label=concept.label(lang), input=_kind(concept),
                          unit=unit_of(concept) or "", options=_options(concept, lang))
        )  # fmt: skip
    answered = {a.concept for a in stored}
    cells = [
        VsmeCellOut(key=p.key, label=point_label(p, lang), value=_raw(p.value),
                    input=_kind(known[p.concept]))
        for p in report.points.values()
        if p.key in answered and p.concept in table.columns
    ]  # fmt: skip
    return VsmeTableOut(id=table.id, label=known[table.id].label(lang).removesuffix(" [table]")
                        .removesuffix(" [hypercube]"), columns=columns, cells=cells)  # fmt: skip


def _raw(value: object) -> str:
    """A stored value as a form field shows it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return (
        str(value).replace(" ", ",") if isinstance(value, str) and "Member" in value else str(value)
    )


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
    comparison: VsmeComparison | None


def _computed(db: Session, access: Access, *, year: str | None) -> _Computed:
    """The organisation's VSME report of ``year`` (default: the ledger's latest) and,
    beside it, every earlier year of the ledger, each with that year's stored answers."""
    years, result = _years(db, access)
    chosen = _year(year, years)
    carbon = carbon_service.carbon_of(db, result, organisation_id=access.organisation_id)
    with carbon_store.carbon_files(db, organisation_id=access.organisation_id) as files:
        activities = read_activities(files.activities) if files.activities else []
    stored = reporting_store.reporting_answers(
        db, organisation_id=access.organisation_id, year=int(chosen)
    )
    answers = _stored_answers(stored)
    report = vsme_report(
        result.ledger, year=chosen, balance=carbon.balance, activities=activities, answers=answers
    )
    earlier = [y for y in years if y < chosen]
    comparison = None
    if earlier:
        comparison = vsme_years(
            result.ledger, report, years=earlier, balance=carbon.balance, activities=activities,
            answers={y: _stored_answers(reporting_store.reporting_answers(
                db, organisation_id=access.organisation_id, year=int(y))) for y in earlier},
        )  # fmt: skip
    return _Computed(report, years, carbon.balance_error, stored, comparison)


def _stored_answers(stored: list[ReportingAnswer]) -> Answers:
    """The stored answers as an answers file: single data points and table rows (keys
    with ``|Axis=Member``)."""
    single = {a.concept: a.value for a in stored if "|" not in a.concept}
    cells = {a.concept: a.value for a in stored if "|" in a.concept}
    return answers_from_data({"datapoints": single, "tables": table_rows(cells)}, name=ANSWERS_NAME)


#: The downloads of the guided page: media type per kind.
VSME_MEDIA = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xhtml": "application/xhtml+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def vsme_download(
    db: Session, access: Access, *, year: str | None, kind: str, lang: Lang
) -> tuple[bytes, str, str]:
    """The report as ``pdf`` or ``html`` (the document of ``kreislauf reporting vsme``,
    with the earlier years side by side), ``xhtml`` (Inline XBRL), ``xlsx`` (EFRAG Digital
    Template) or ``json``: content, media type and file name."""
    computed = _computed(db, access, year=year)
    report = computed.report
    name = f"vsme-{report.year}.{kind}"
    media = VSME_MEDIA[kind]
    if kind in ("pdf", "html"):
        document = vsme_document(report, lang=lang, comparison=computed.comparison)
        if kind == "pdf":
            return render_pdf(document), media, name
        return render_html(document).encode("utf-8"), media, name
    if kind == "xhtml":
        return inline_xbrl(report, lang=lang).encode("utf-8"), media, name
    if kind == "xlsx":
        return fill_digital_template(report).data, media, name
    return report.to_json(indent=2).encode("utf-8"), media, name


def _comparison_view(computed: _Computed, lang: Lang) -> VsmeComparisonOut | None:
    comparison = computed.comparison
    if comparison is None:
        return None
    numbers = {p.key: p for p in comparison.points}
    latest = comparison.latest
    return VsmeComparisonOut(
        years=list(comparison.years),
        latest=latest,
        previous=comparison.previous,
        points=[
            VsmeComparedOut(
                key=key, label=label, unit=unit,
                shown=dict(zip(comparison.years, values, strict=True)),
                change=change, change_percent=percent,
                values=numbers[key].values,
                change_value=numbers[key].change.get(latest),
                change_percent_value=numbers[key].change_percent.get(latest),
            )
            for key, label, values, change, percent, unit in compared_rows(
                comparison, computed.report, lang
            )
        ],
    )  # fmt: skip


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
                answered_by=who.get(p.key, (None, None))[0],
                answered_at=who.get(p.key, (None, None))[1],
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
                    options=_options(concept, lang),
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
                tables=[
                    _table_view(t, report, stored, lang)
                    for t in tables().values()
                    if t.module == module
                ],
            )
        )
    problem = computed.balance_problem
    return VsmeOut(
        year=report.year,
        years=computed.years,
        modules=modules,
        warnings=list(report.warnings),
        balance_problem=problem.message(lang) if problem else None,
        comparison=_comparison_view(computed, lang),
    )


def save_vsme_answers(db: Session, access: Access, *, year: str, form: Mapping[str, str]) -> int:
    """Validate and store the form's answers: fields ``dp.<id>`` (single data points),
    ``cell.<key>`` (an answered table value; blank removes it) and ``row.<table>.<axis or
    column>`` (a new table row). Enumerations of several members come comma-separated.

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
        raw[concept.id] = _form_value(field, text, input_kind(concept) == "boolean")
    given = {k: v for k, v in raw.items() if v is not None}
    checked = answers_from_data({"datapoints": given}, name=ANSWERS_NAME)
    values: dict[str, object | None] = {k: checked.values.get(k) for k in raw}
    values.update(_table_values(db, access, int(chosen), form))
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


def _form_value(field: str, text: str, boolean: bool) -> object | None:
    value = text.strip()
    if not value:
        return None
    if boolean:
        if value not in ("true", "false"):
            raise InvalidField(field=field, value=value, expected="true or false")
        return value == "true"
    return value


def _table_values(
    db: Session, access: Access, year: int, form: Mapping[str, str]
) -> dict[str, object | None]:
    """Table answers of the form as key → value (None removes), validated together with
    the stored rows (a new row may not repeat a stored one's member)."""
    stored = {
        a.concept: a.value
        for a in reporting_store.reporting_answers(
            db, organisation_id=access.organisation_id, year=year
        )
        if "|" in a.concept
    }
    known = concepts()
    changes: dict[str, object | None] = {}
    new_rows: dict[str, dict[str, object]] = {}
    for field, text in form.items():
        if field.startswith("cell."):
            key = field[5:]
            if key not in stored:
                raise InvalidField(field=field, value=key, expected="an answered table value")
            concept = known[key.split("|", 1)[0]]
            changes[key] = _form_value(field, text, _kind(concept) == "boolean")
        elif field.startswith("row."):
            table_id, _, column = field[4:].partition(".")
            table = tables().get(table_id)
            if table is None or (column not in table.axes and column not in table.columns):
                raise InvalidField(field=field, value=field[4:], expected="a table field")
            boolean = column in known and _kind(known[column]) == "boolean"
            value = _form_value(field, text, boolean)
            if value is not None:
                new_rows.setdefault(table_id, {})[column] = value
    merged = dict(stored)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    rows = table_rows(merged)
    for table_id, row in new_rows.items():
        if any(c in row for c in tables()[table_id].columns):
            rows.setdefault(table_id, []).append(row)
    checked = answers_from_data({"tables": rows}, name=ANSWERS_NAME)
    kept = {datapoint_key(c.concept, c.dimensions): c.value for c in checked.cells}
    values: dict[str, object | None] = {k: None for k in stored if k not in kept}
    values.update({k: v for k, v in kept.items() if stored.get(k) != v})
    return values


# --- LkSG: supplier list, concrete assessments, measures, yearly documentation ----------


def upload_suppliers(request: Request, db: Session, access: Access, file: UploadFile | None) -> int:
    """Validate an uploaded supplier list (docs/reporting.md#lksg) and make it the
    organisation's; a wrong cell names file, row and column and nothing is stored."""
    settings = get_settings(request)
    with saved_uploads(
        {"file": file}, max_bytes=settings.upload_max_bytes, limits=settings.limits()
    ) as paths:
        rows = read_suppliers(required(paths["file"], "file"))
    try:
        return reporting_store.replace_suppliers(
            db, organisation_id=access.organisation_id, suppliers=rows, user_id=access.user_id
        )
    except KreislaufError:
        db.rollback()
        raise


def _followup(db: Session, access: Access, year: int) -> tuple[LksgAnalysis, FollowUp]:
    """The screening of the stored supplier list and the stored follow-up of ``year``."""
    stored = reporting_store.suppliers(db, organisation_id=access.organisation_id)
    analysis = lksg_screening(stored)  # no list yet: nothing ranked, the page says so
    org = access.organisation_id
    data = {
        "year": year,
        "assessments": [
            {"supplier": a.supplier, "position": a.position, "finding": a.finding,
             "method": a.method, "evidence": a.evidence or None, "assessed_by": a.assessed_by,
             "assessed_on": a.assessed_on}
            for a in reporting_store.assessments(db, organisation_id=org, year=year)
        ],
        "measures": [
            {"id": m.code, "supplier": m.supplier, "position": m.position, "kind": m.kind,
             "description": m.description, "owner": m.owner, "due": m.due, "status": m.status,
             "reviewed_on": m.reviewed_on or None, "follow_up": m.follow_up or None}
            for m in reporting_store.measures(db, organisation_id=org, year=year)
        ],
    }  # fmt: skip
    return analysis, followup_from_data(data, name=FOLLOWUP_NAME)


def lksg_year(value: int | None) -> int:
    """The follow-up year asked for, default the current one."""
    return value if value is not None else date.today().year


def lksg_view(db: Session, access: Access, *, year: int | None, lang: Lang) -> LksgOut:
    """The organisation's LkSG page: ranking, high risks with their state, measures."""
    chosen = lksg_year(year)
    analysis, followup = _followup(db, access, chosen)
    today = date.today()
    rules = analysis.rules
    status = followup_status(analysis, followup, on=today)
    return LksgOut(
        year=chosen,
        as_of=today.isoformat(),
        legal_state=rules.legal_state[lang],
        rule_set=rules.version,
        suppliers=[
            LksgSupplierOut(
                rank=n,
                name=s.supplier.name,
                country=s.supplier.country,
                country_name=country_name(s.supplier.country, lang),
                nace=s.supplier.nace,
                flagged=s.flagged,
                priority=round(s.priority, 1),
            )
            for n, s in enumerate(analysis.suppliers, start=1)
        ],
        risks=[
            LksgRiskOut(
                supplier=r.supplier,
                position=r.position,
                position_label=f"{rules.positions[r.position].paragraph} "
                f"{rules.positions[r.position].label(lang)}",
                state=r.state,
                state_label=translate(f"reporting.lksg.state.{r.state}", lang),
                finding=r.assessment.finding if r.assessment else None,
                evidence=r.assessment.evidence if r.assessment else "",
                assessed_by=r.assessment.assessed_by if r.assessment else "",
                assessed_on=r.assessment.assessed_on if r.assessment else "",
                measures=[m.id for m in r.measures],
            )
            for r in status
        ],
        measures=[
            LksgMeasureOut(
                id=m.id,
                supplier=m.supplier,
                position=m.position,
                kind=m.kind,
                description=m.description,
                owner=m.owner,
                due=m.due,
                status=m.status,
                overdue=m.overdue(today),
                reviewed_on=m.reviewed_on,
                follow_up=m.follow_up,
            )
            for m in followup.measures
        ],
        positions=[
            OptionOut(value=p.id, label=_fit(f"{p.paragraph} {p.label(lang)}"))
            for p in rules.positions.values()
        ],
    )


def _entry(form: Mapping[str, str], fields: tuple[str, ...]) -> dict[str, str]:
    return {f: form[f].strip() for f in fields if form.get(f, "").strip()}


def save_lksg_entry(
    db: Session, access: Access, *, year: int, kind: str, form: Mapping[str, str]
) -> None:
    """Validate and store an assessment (``kind='assessment'``) or a measure from the
    form (fields as in the follow-up file); a wrong field is named, nothing is stored."""
    names = [s.name for s in reporting_store.suppliers(db, organisation_id=access.organisation_id)]
    if kind == "assessment":
        data = {"year": year, "assessments": [_entry(form, ASSESSMENT_FIELDS)]}
    else:
        data = {"year": year, "measures": [_entry(form, MEASURE_FIELDS)]}
    checked = followup_from_data(data, name=FOLLOWUP_NAME, suppliers=names)
    org, user = access.organisation_id, access.user_id
    try:
        for assessment in checked.assessments:
            reporting_store.save_assessment(
                db, organisation_id=org, year=year, assessment=assessment, user_id=user
            )
        for measure in checked.measures:
            reporting_store.save_measure(
                db, organisation_id=org, year=year, measure=measure, user_id=user
            )
    except KreislaufError:
        db.rollback()
        raise


def lksg_documentation(
    db: Session, access: Access, *, year: int, kind: str, lang: Lang
) -> tuple[bytes, str, str]:
    """The yearly internal documentation (§ 10 Abs. 1 LkSG) as ``html`` or ``pdf``:
    content, media type and file name."""
    analysis, followup = _followup(db, access, year)
    document = lksg_document(analysis, lang=lang, followup=followup, on=date.today())
    name = f"lksg-documentation-{year}.{kind}"
    if kind == "pdf":
        return render_pdf(document), "application/pdf", name
    return render_html(document).encode("utf-8"), "text/html; charset=utf-8", name
