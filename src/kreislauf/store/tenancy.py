"""The one place where queries are restricted to an organisation.

Routes never write ``where(Model.organisation_id == …)`` themselves: they call
:func:`scoped` or :func:`get_scoped` with the organisation the web layer resolved from the
path and the user's membership (:class:`kreislauf.web.deps.OrgContext`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kreislauf.errors import NotFound

T = TypeVar("T")


def scoped(model: type[T], organisation_id: int, *columns: Any) -> Select[Any]:
    """``SELECT model WHERE model.organisation_id = organisation_id`` (add filters to it)."""
    owner = model.organisation_id  # type: ignore[attr-defined]
    statement = select(*columns) if columns else select(model)
    return statement.where(owner == organisation_id)


def get_scoped(session: Session, model: type[T], record_id: int, *, organisation_id: int) -> T:
    """The record ``record_id`` of ``model`` if it belongs to the organisation.

    Raises :class:`NotFound` otherwise, without saying whether it exists elsewhere.
    """
    statement = scoped(model, organisation_id).where(model.id == record_id)  # type: ignore[attr-defined]
    record: T | None = session.scalars(statement).first()
    if record is None:
        raise NotFound(what=model.__tablename__, id=record_id)  # type: ignore[attr-defined]
    return record
