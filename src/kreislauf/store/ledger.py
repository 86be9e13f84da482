"""Ledger uploads: validate with the ledger package, store the rows, rebuild the ledger.

An upload is validated completely before anything is written; an invalid file raises
:class:`~kreislauf.errors.InvalidLedger` (every problem with file, row, column) and the
database stays as it was.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from kreislauf.ledger import Ledger, merge_ledgers, read_ledger
from kreislauf.ledger.validate import build_ledger
from kreislauf.store.models import LedgerFlow, LedgerUpload
from kreislauf.store.tenancy import get_scoped, scoped

#: Stored columns, in the canonical order of the ledger format.
_TEXT = ("period", "site", "centre", "flow", "material", "category", "unit")
_OPTIONAL_TEXT = ("treatment", "to_centre", "note")
_NUMBERS = ("quantity", "cost_eur", "recycled_share")
COLUMNS = ("period", "site", "centre", "flow", "material", "category", "quantity", "unit",
           "cost_eur", "recycled_share", "treatment", "to_centre", "note")  # fmt: skip


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def import_ledger(
    session: Session,
    *,
    organisation_id: int,
    path: Path,
    mapping: Path | None = None,
    uploaded_by: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    chunk_rows: int = 5000,
) -> LedgerUpload:
    """Validate the ledger file at ``path`` (canonical, or through ``mapping``) and store it.

    Rows are inserted ``chunk_rows`` at a time; ``on_progress(stored, total)`` [rows] is
    called once validation has passed (``stored`` 0) and after each chunk.
    Raises whatever :func:`kreislauf.ledger.read_ledger` raises; nothing is stored then.
    """
    ledger = read_ledger(path, mapping=mapping)
    flows = ledger.flows
    if on_progress is not None:
        on_progress(0, len(flows))
    upload = LedgerUpload(
        organisation_id=organisation_id,
        filename=path.name,
        uploaded_by=uploaded_by,
        rows=len(flows),
        mapping_yaml=mapping.read_text(encoding="utf-8") if mapping else None,
    )
    session.add(upload)
    session.flush()
    records = pd.DataFrame({c: flows[c].astype(object) for c in COLUMNS})
    records["row"] = flows["row"].astype(int)
    rows = [
        {k: _cell(v) for k, v in record.items()}
        | {"organisation_id": organisation_id, "upload_id": upload.id}
        for record in records.to_dict(orient="records")
    ]
    for start in range(0, len(rows), chunk_rows):
        session.execute(insert(LedgerFlow), rows[start : start + chunk_rows])
        if on_progress is not None:
            on_progress(min(start + chunk_rows, len(rows)), len(rows))
    session.flush()
    return upload


def uploads(session: Session, *, organisation_id: int) -> list[LedgerUpload]:
    """The organisation's uploads, newest first."""
    statement = scoped(LedgerUpload, organisation_id).order_by(LedgerUpload.id.desc())
    return list(session.scalars(statement))


def delete_upload(session: Session, *, organisation_id: int, upload_id: int) -> None:
    """Delete an upload and its rows."""
    upload = get_scoped(session, LedgerUpload, upload_id, organisation_id=organisation_id)
    session.execute(delete(LedgerFlow).where(LedgerFlow.upload_id == upload.id))
    session.delete(upload)
    session.flush()


def organisation_ledger(
    session: Session, *, organisation_id: int, upload_id: int | None = None
) -> Ledger | None:
    """The organisation's ledger from all uploads (or one), merged without duplicate flows.

    None when nothing has been uploaded. Rows are revalidated by the ledger package, so
    the result is exactly what :func:`kreislauf.ledger.read_ledgers` gives for the files.
    """
    columns = [getattr(LedgerFlow, c) for c in (*COLUMNS, "row", "upload_id")]
    statement = scoped(LedgerFlow, organisation_id, *columns).order_by(LedgerFlow.id)
    if upload_id is not None:
        get_scoped(session, LedgerUpload, upload_id, organisation_id=organisation_id)
        statement = statement.where(LedgerFlow.upload_id == upload_id)
    frame = pd.DataFrame(session.execute(statement).all(), columns=[*COLUMNS, "row", "upload_id"])
    if frame.empty:
        return None
    names = dict(
        session.execute(
            scoped(LedgerUpload, organisation_id, LedgerUpload.id, LedgerUpload.filename)
        ).all()
    )
    ledgers = []
    for upload, part in frame.groupby("upload_id", sort=True):
        raw = part[list(COLUMNS)].reset_index(drop=True)
        for column in (*_TEXT, *_OPTIONAL_TEXT):
            raw[column] = raw[column].astype(object)
        ledger = build_ledger(raw, source=names.get(int(upload), "ledger"))
        ledger.flows["row"] = part["row"].to_numpy()
        ledgers.append(ledger)
    return merge_ledgers(ledgers) if len(ledgers) > 1 else ledgers[0]
