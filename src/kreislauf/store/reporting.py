"""Answers of the guided VSME page: one value per organisation, year and data point, with
who answered and when; the LkSG supplier list, concrete assessments and measures per year.
Values are validated by :mod:`kreislauf.reporting.answers` and
:mod:`kreislauf.reporting.lksg_followup` before they are written; the tenant filter is
:func:`kreislauf.store.tenancy.scoped`."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kreislauf.reporting.lksg import Supplier
from kreislauf.reporting.lksg_followup import Assessment, Measure
from kreislauf.store.base import utcnow
from kreislauf.store.models import LksgAssessment, LksgMeasure, LksgSupplier, ReportingAnswer, User
from kreislauf.store.tenancy import scoped


def reporting_answers(
    session: Session, *, organisation_id: int, year: int
) -> list[ReportingAnswer]:
    """The organisation's answers of ``year``, by data point id."""
    statement = (
        scoped(ReportingAnswer, organisation_id)
        .where(ReportingAnswer.year == year)
        .order_by(ReportingAnswer.concept)
    )
    return list(session.scalars(statement))


def save_reporting_answers(
    session: Session,
    *,
    organisation_id: int,
    year: int,
    values: Mapping[str, object | None],
    user_id: int,
) -> int:
    """Set (or with ``None`` remove) the answers in ``values``; an unchanged value keeps
    its who/when. Returns how many answers changed."""
    existing = {
        a.concept: a for a in reporting_answers(session, organisation_id=organisation_id, year=year)
    }
    changed = 0
    for concept, value in values.items():
        answer = existing.get(concept)
        if value is None:
            if answer is not None:
                session.execute(delete(ReportingAnswer).where(ReportingAnswer.id == answer.id))
                changed += 1
            continue
        if answer is not None and answer.value == value:
            continue
        if answer is None:
            answer = ReportingAnswer(
                organisation_id=organisation_id, year=year, concept=concept, value=value
            )
            session.add(answer)
        answer.value = value
        answer.answered_by = user_id
        answer.answered_at = utcnow()
        changed += 1
    session.flush()
    return changed


def answerer_names(session: Session, answers: list[ReportingAnswer]) -> dict[int, str]:
    """Display names of the users who gave ``answers``."""
    ids = {a.answered_by for a in answers if a.answered_by is not None}
    if not ids:
        return {}
    users = session.scalars(select(User).where(User.id.in_(ids)))
    return {u.id: u.name for u in users}


def replace_suppliers(
    session: Session, *, organisation_id: int, suppliers: list[Supplier], user_id: int
) -> int:
    """The organisation's supplier list becomes ``suppliers`` (validated by
    :func:`kreislauf.reporting.lksg.read_suppliers`); returns how many were stored."""
    session.execute(delete(LksgSupplier).where(LksgSupplier.organisation_id == organisation_id))
    for s in suppliers:
        session.add(
            LksgSupplier(
                organisation_id=organisation_id, name=s.name, country=s.country, nace=s.nace,
                spend_eur=s.spend_eur, products=s.products, influence=s.influence,
                contribution=s.contribution, source=s.source, row=s.row, uploaded_by=user_id,
            )
        )  # fmt: skip
    session.flush()
    return len(suppliers)


def suppliers(session: Session, *, organisation_id: int) -> list[Supplier]:
    """The stored supplier list, in the order of its file."""
    rows = session.scalars(scoped(LksgSupplier, organisation_id).order_by(LksgSupplier.row))
    return [
        Supplier(
            name=r.name, country=r.country, nace=r.nace, spend_eur=r.spend_eur,
            products=r.products, influence=r.influence, contribution=r.contribution,
            source=r.source, row=r.row,
        )
        for r in rows
    ]  # fmt: skip


def assessments(session: Session, *, organisation_id: int, year: int) -> list[LksgAssessment]:
    statement = (
        scoped(LksgAssessment, organisation_id)
        .where(LksgAssessment.year == year)
        .order_by(LksgAssessment.supplier, LksgAssessment.position)
    )
    return list(session.scalars(statement))


def measures(session: Session, *, organisation_id: int, year: int) -> list[LksgMeasure]:
    statement = (
        scoped(LksgMeasure, organisation_id)
        .where(LksgMeasure.year == year)
        .order_by(LksgMeasure.code)
    )
    return list(session.scalars(statement))


def save_assessment(
    session: Session, *, organisation_id: int, year: int, assessment: Assessment, user_id: int
) -> None:
    """Store (or replace) the assessment of its supplier and position in ``year``."""
    existing = next(
        (
            a
            for a in assessments(session, organisation_id=organisation_id, year=year)
            if (a.supplier, a.position) == (assessment.supplier, assessment.position)
        ),
        None,
    )
    row = existing or LksgAssessment(
        organisation_id=organisation_id, year=year, supplier=assessment.supplier,
        position=assessment.position,
    )  # fmt: skip
    row.finding, row.method, row.evidence = (
        assessment.finding,
        assessment.method,
        assessment.evidence,
    )
    row.assessed_by, row.assessed_on = assessment.assessed_by, assessment.assessed_on
    row.recorded_by, row.recorded_at = user_id, utcnow()
    session.add(row)
    session.flush()


def save_measure(
    session: Session, *, organisation_id: int, year: int, measure: Measure, user_id: int
) -> None:
    """Store (or replace) the measure with its id (``code``) in ``year``."""
    existing = next(
        (m for m in measures(session, organisation_id=organisation_id, year=year)
         if m.code == measure.id),
        None,
    )  # fmt: skip
    row = existing or LksgMeasure(organisation_id=organisation_id, year=year, code=measure.id)
    row.supplier, row.position, row.kind = measure.supplier, measure.position, measure.kind
    row.description, row.owner, row.due = measure.description, measure.owner, measure.due
    row.status, row.reviewed_on, row.follow_up = (
        measure.status, measure.reviewed_on, measure.follow_up,
    )  # fmt: skip
    row.recorded_by, row.recorded_at = user_id, utcnow()
    session.add(row)
    session.flush()
