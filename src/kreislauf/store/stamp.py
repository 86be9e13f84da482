"""A stamp of an organisation's stored inputs, for caches of results derived from them.

Ledger uploads and carbon inputs are never changed in place, only added or deleted, so
(count, newest id, newest upload time) of each table changes with every change: an added
row raises the newest time, a deleted row lowers the count (and SQLite handing out a deleted
row's id again still brings a newer time). The stamp is read in the same query as the
user's access to the organisation (:func:`kreislauf.store.account.access_of`), so a cached
dashboard costs no extra round trip, and every worker process sees another one's upload at
once without any invalidation between processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from kreislauf.store.models import CarbonInput, LedgerUpload

#: (number of rows, newest id, newest upload time) of one table for one organisation.
TableStamp = tuple[int, int | None, datetime | None]


@dataclass(frozen=True)
class Stamp:
    """The stamps of an organisation's ledger uploads and of its carbon inputs."""

    ledger: TableStamp
    carbon: TableStamp


_TABLES = (LedgerUpload, CarbonInput)


def stamp_columns(organisation_id: Any) -> list[ScalarSelect[Any]]:
    """Six scalar subqueries for ``organisation_id`` (a value or a correlated column)."""
    columns: list[ScalarSelect[Any]] = []
    for model in _TABLES:
        mine = model.organisation_id == organisation_id
        for aggregate in (func.count(model.id), func.max(model.id), func.max(model.created_at)):
            columns.append(select(aggregate).where(mine).scalar_subquery())
    return columns


def stamp_of(values: tuple[Any, ...] | list[Any]) -> Stamp:
    """The stamp from the six values of :func:`stamp_columns`, in their order."""
    ledger, carbon = tuple(values[:3]), tuple(values[3:6])
    return Stamp(ledger=ledger, carbon=carbon)  # type: ignore[arg-type]


def data_stamp(session: Session, *, organisation_id: int) -> Stamp:
    """The organisation's stamp in one query (where no access query has read it)."""
    row = session.execute(select(*stamp_columns(organisation_id))).one()
    return stamp_of(tuple(row))
