"""Answers of the guided VSME page: one value per organisation, year and data point, with
who answered and when. Values are validated by :mod:`kreislauf.reporting.answers` before
they are written; the tenant filter is :func:`kreislauf.store.tenancy.scoped`."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kreislauf.store.base import utcnow
from kreislauf.store.models import ReportingAnswer, User
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
