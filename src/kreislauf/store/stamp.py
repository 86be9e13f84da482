"""A stamp of an organisation's stored inputs, for caches of results derived from them.

Carbon inputs are never changed in place, only added or deleted, so (count, newest id,
newest upload time) of the table changes with every change: an added row raises the newest
time, a deleted row lowers the count (and SQLite handing out a deleted row's id again still
brings a newer time). A ledger upload can be applied again (restored, or a pending one
confirmed), which gives it the next ``sequence``: for ledger uploads the stamp takes the
newest sequence in place of the newest id. The stamp is read in the same query as the
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

#: (number of rows, newest id or sequence, newest upload time) of one table for one
#: organisation.
TableStamp = tuple[int, int | None, datetime | None]


@dataclass(frozen=True)
class Stamp:
    """The stamps of an organisation's ledger uploads and of its carbon inputs."""

    ledger: TableStamp
    carbon: TableStamp


_TABLES = (LedgerUpload, CarbonInput)
#: The column whose maximum changes whenever a row is added or applied again.
_NEWEST: dict[type[LedgerUpload] | type[CarbonInput], Any] = {
    LedgerUpload: LedgerUpload.sequence,
    CarbonInput: CarbonInput.id,
}


def stamp_columns(organisation_id: Any) -> list[ScalarSelect[Any]]:
    """Six scalar subqueries for ``organisation_id`` (a value or a correlated column)."""
    columns: list[ScalarSelect[Any]] = []
    for model in _TABLES:
        mine = model.organisation_id == organisation_id
        newest = func.max(_NEWEST[model])
        for aggregate in (func.count(model.id), newest, func.max(model.created_at)):
            columns.append(select(aggregate).where(mine).scalar_subquery())
    return columns


def stamp_of(values: tuple[Any, ...] | list[Any]) -> Stamp:
    """The stamp from the six values of :func:`stamp_columns`, in their order."""
    ledger, carbon = tuple(values[:3]), tuple(values[3:6])
    return Stamp(ledger=ledger, carbon=carbon)


def data_stamp(session: Session, *, organisation_id: int) -> Stamp:
    """The organisation's stamp in one query (where no access query has read it)."""
    row = session.execute(select(*stamp_columns(organisation_id))).one()
    return stamp_of(tuple(row))
