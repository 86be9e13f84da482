"""Ledger uploads: validate with the ledger package, store the rows, rebuild the ledger.

An upload is validated completely before anything is written; an invalid file raises
:class:`~kreislauf.errors.InvalidLedger` (every problem with file, row, column) and the
database stays as it was.

Uploads correct each other (docs/ledger.md#uploads): each covers site × period *cells*
(the cells of its flows). They are applied in ``sequence`` order; an upload in mode
``replace`` (the default) takes over each cell it covers, one in mode ``add`` adds its flows
to the cell's. The flows *in force* are what the ledger, the dashboard and the balance use;
every upload stays in the history and can be applied again (:func:`restore_upload`).
The same content (SHA-256 of the canonical rows) is stored once per organisation, even when
two identical uploads arrive at once (a unique constraint decides, :func:`import_ledger`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kreislauf.ledger import Ledger, merge_ledgers, read_ledger
from kreislauf.ledger.validate import build_ledger
from kreislauf.store.models import LedgerFlow, LedgerUpload, User
from kreislauf.store.tenancy import get_scoped, scoped

#: Stored columns, in the canonical order of the ledger format.
_TEXT = ("period", "site", "centre", "flow", "material", "category", "unit")
_OPTIONAL_TEXT = ("treatment", "to_centre", "note", "waste_code")
_NUMBERS = ("quantity", "cost_eur", "recycled_share")
COLUMNS = ("period", "site", "centre", "flow", "material", "category", "quantity", "unit",
           "cost_eur", "recycled_share", "treatment", "to_centre", "note",
           "waste_code")  # fmt: skip
#: Columns added after uploads were first stored: a blank cell of theirs is left out of
#: :func:`rows_digest`, so the digests of files without them stay what they were.
_LATER_COLUMNS = frozenset({"waste_code"})
MODES = ("replace", "add")
Mode = Literal["replace", "add"]
#: A site × period cell of the ledger.
Cell = tuple[str, str]


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def rows_digest(records: Iterable[dict[str, object]]) -> str:
    """SHA-256 [hex] of canonical ledger rows (their cells in :data:`COLUMNS` order; a
    blank cell of a :data:`_LATER_COLUMNS` column is left out)."""
    digest = hashlib.sha256()
    for record in records:
        cells = [record[c] for c in COLUMNS if c not in _LATER_COLUMNS or record[c] is not None]
        digest.update(json.dumps(cells, default=str, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _next_sequence(session: Session, organisation_id: int) -> int:
    statement = scoped(LedgerUpload, organisation_id, func.max(LedgerUpload.sequence))
    return int(session.execute(statement).scalar() or 0) + 1


def import_ledger(
    session: Session,
    *,
    organisation_id: int,
    path: Path,
    mapping: Path | None = None,
    uploaded_by: int | None = None,
    mode: Mode = "replace",
    pending: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    chunk_rows: int = 5000,
) -> LedgerUpload:
    """Validate the ledger file at ``path`` (canonical, or through ``mapping``) and store it.

    The upload is applied in ``mode`` (``replace`` its cells, or ``add`` to them), or kept
    ``pending`` (stored, not in force) until :func:`apply_upload`. When the organisation
    already has an upload of the same content, nothing is stored: that upload is applied
    again (or returned as it is when ``pending``). Rows are inserted ``chunk_rows`` at a
    time; ``on_progress(stored, total)`` [rows] is called once validation has passed
    (``stored`` 0) and after each chunk.
    Raises whatever :func:`kreislauf.ledger.read_ledger` raises; nothing is stored then.
    """
    ledger = read_ledger(path, mapping=mapping)
    flows = ledger.flows
    if on_progress is not None:
        on_progress(0, len(flows))
    cleaned = _records(flows)
    digest = rows_digest(cleaned)
    existing = _by_digest(session, organisation_id, digest)
    if existing is not None:
        return (
            existing
            if pending
            else apply_upload(
                session, organisation_id=organisation_id, upload_id=existing.id, mode=mode
            )
        )
    upload = LedgerUpload(
        organisation_id=organisation_id,
        filename=path.name,
        uploaded_by=uploaded_by,
        rows=len(flows),
        mapping_yaml=mapping.read_text(encoding="utf-8") if mapping else None,
        digest=digest,
        mode=mode,
        status="pending" if pending else "applied",
        sequence=None if pending else _next_sequence(session, organisation_id),
    )
    try:
        with session.begin_nested():  # a concurrent identical upload: the constraint decides
            session.add(upload)
            session.flush()
    except IntegrityError:
        winner = _by_digest(session, organisation_id, digest)
        if winner is None:
            raise
        return winner
    _insert_flows(
        session,
        cleaned,
        organisation_id=organisation_id,
        upload_id=upload.id,
        chunk_rows=chunk_rows,
        on_progress=on_progress,
    )
    session.flush()
    return upload


def _records(flows: pd.DataFrame) -> list[dict[str, object]]:
    """The stored cells of each flow (:data:`COLUMNS` and ``row``), blanks as None.

    Built column by column (one ``tolist`` each), the same dicts as
    ``DataFrame.to_dict(orient="records")`` gave, so :func:`rows_digest` is unchanged.
    """
    columns = {c: [_cell(v) for v in flows[c].astype(object).tolist()] for c in COLUMNS}
    columns["row"] = [int(v) for v in flows["row"].tolist()]
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


#: The stored columns in the order :func:`_insert_flows` sends them.
_INSERTED = ("organisation_id", "upload_id", "row", *COLUMNS)


def _insert_flows(
    session: Session,
    records: list[dict[str, object]],
    *,
    organisation_id: int,
    upload_id: int,
    chunk_rows: int,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    """Insert the flows in the session's transaction, ``chunk_rows`` at a time.

    PostgreSQL (psycopg): ``COPY ledger_flows (...) FROM STDIN`` on the session's own
    connection, so the rows are part of the upload's one transaction (a worker killed in
    the middle leaves nothing). Other databases: one Core executemany per chunk. Not the
    ORM's bulk insert, which leaves out the keys whose value is None and sends one
    statement per run of rows with the same blank cells (24,303 INSERTs for 30,000
    generated rows, 110 s on a loaded machine; docs/performance.md).
    """
    total = len(records)
    connection = session.connection()
    copy = connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"
    for start in range(0, total, chunk_rows):
        chunk = records[start : start + chunk_rows]
        if copy:
            _copy_flows(connection, chunk, organisation_id=organisation_id, upload_id=upload_id)
        else:
            fixed = {"organisation_id": organisation_id, "upload_id": upload_id}
            table = LedgerFlow.__table__
            session.execute(insert(table), [r | fixed for r in chunk])  # type: ignore[arg-type]
        if on_progress is not None:
            on_progress(min(start + chunk_rows, total), total)


def _copy_flows(
    connection: Connection,
    records: list[dict[str, object]],
    *,
    organisation_id: int,
    upload_id: int,
) -> None:
    from psycopg import sql

    driver = connection.connection.driver_connection
    assert driver is not None  # a checked-out connection of the psycopg dialect
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(LedgerFlow.__tablename__),
        sql.SQL(", ").join(sql.Identifier(c) for c in _INSERTED),
    )
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for record in records:
            copy.write_row((organisation_id, upload_id, *(record[c] for c in _INSERTED[2:])))


def _by_digest(session: Session, organisation_id: int, digest: str) -> LedgerUpload | None:
    statement = scoped(LedgerUpload, organisation_id).where(LedgerUpload.digest == digest)
    return session.scalars(statement).first()


def uploads(session: Session, *, organisation_id: int) -> list[LedgerUpload]:
    """The organisation's uploads, newest first."""
    statement = scoped(LedgerUpload, organisation_id).order_by(LedgerUpload.id.desc())
    return list(session.scalars(statement))


def apply_upload(
    session: Session, *, organisation_id: int, upload_id: int, mode: Mode = "replace"
) -> LedgerUpload:
    """Apply a stored upload (pending, replaced or in force) as the newest, in ``mode``."""
    upload = get_scoped(session, LedgerUpload, upload_id, organisation_id=organisation_id)
    upload.mode = mode
    upload.status = "applied"
    upload.sequence = _next_sequence(session, organisation_id)
    session.flush()
    return upload


def restore_upload(session: Session, *, organisation_id: int, upload_id: int) -> LedgerUpload:
    """Bring an upload's flows back into force: it replaces the cells it covers again."""
    return apply_upload(
        session, organisation_id=organisation_id, upload_id=upload_id, mode="replace"
    )


def delete_upload(session: Session, *, organisation_id: int, upload_id: int) -> None:
    """Delete an upload and its rows."""
    upload = get_scoped(session, LedgerUpload, upload_id, organisation_id=organisation_id)
    session.execute(delete(LedgerFlow).where(LedgerFlow.upload_id == upload.id))
    session.delete(upload)
    session.flush()


@dataclass(frozen=True)
class UploadState:
    """An upload as the history shows it.

    cells : the site × period cells it covers; in_force : its rows in force now [rows];
    replaces : for a pending upload, the cells in force now that it would replace, with the
    flows in force there [rows].
    """

    upload: LedgerUpload
    uploader: str | None
    cells: list[Cell]
    in_force: int
    replaces: dict[Cell, int]


def _cells(session: Session, organisation_id: int) -> dict[int, dict[Cell, int]]:
    """Rows per cell of every upload: ``{upload_id: {(site, period): rows}}``."""
    statement = scoped(
        LedgerFlow,
        organisation_id,
        LedgerFlow.upload_id,
        LedgerFlow.site,
        LedgerFlow.period,
        func.count(LedgerFlow.id),
    ).group_by(LedgerFlow.upload_id, LedgerFlow.site, LedgerFlow.period)
    out: dict[int, dict[Cell, int]] = {}
    for upload_id, site, period, count in session.execute(statement):
        out.setdefault(int(upload_id), {})[(str(site), str(period))] = int(count)
    return out


def _in_force(
    applied: Iterable[LedgerUpload], cells: dict[int, dict[Cell, int]]
) -> dict[Cell, set[int]]:
    """The uploads whose flows are in force, per cell, after applying ``applied`` in order."""
    force: dict[Cell, set[int]] = {}
    for upload in sorted(applied, key=lambda u: (u.sequence or 0, u.id)):
        for cell in cells.get(upload.id, {}):
            if upload.mode == "replace":
                force[cell] = {upload.id}
            else:
                force.setdefault(cell, set()).add(upload.id)
    return force


def history(session: Session, *, organisation_id: int) -> list[UploadState]:
    """Every upload, newest first, with its cells, its rows in force and what it replaces."""
    items = uploads(session, organisation_id=organisation_id)
    cells = _cells(session, organisation_id)
    force = _in_force([u for u in items if u.status == "applied"], cells)
    users = [u.uploaded_by for u in items if u.uploaded_by is not None]
    emails = dict(session.execute(select(User.id, User.email).where(User.id.in_(users))).all())
    states = []
    for upload in items:
        mine = cells.get(upload.id, {})
        in_force = sum(rows for cell, rows in mine.items() if upload.id in force.get(cell, ()))
        replaces: dict[Cell, int] = {}
        if upload.status == "pending":
            for cell in mine:
                current = sum(cells[other].get(cell, 0) for other in force.get(cell, ()))
                if current:
                    replaces[cell] = current
        states.append(
            UploadState(
                upload=upload,
                uploader=emails.get(upload.uploaded_by) if upload.uploaded_by is not None else None,
                cells=sorted(mine),
                in_force=in_force,
                replaces=replaces,
            )
        )
    return states


def organisation_ledger(
    session: Session, *, organisation_id: int, upload_id: int | None = None
) -> Ledger | None:
    """The organisation's ledger from the flows in force (or one upload's flows).

    Flows of several uploads in force in one cell (mode ``add``) are merged without
    duplicate flows. None when nothing is in force. Rows are revalidated by the ledger
    package, so the result is exactly what :func:`kreislauf.ledger.read_ledgers` gives for
    the files.
    """
    columns = [getattr(LedgerFlow, c) for c in (*COLUMNS, "row", "upload_id")]
    statement = scoped(LedgerFlow, organisation_id, *columns).order_by(LedgerFlow.id)
    items = uploads(session, organisation_id=organisation_id)
    if upload_id is not None:
        get_scoped(session, LedgerUpload, upload_id, organisation_id=organisation_id)
        statement = statement.where(LedgerFlow.upload_id == upload_id)
    frame = pd.DataFrame(session.execute(statement).all(), columns=[*COLUMNS, "row", "upload_id"])
    if upload_id is None and not frame.empty:
        force = _in_force(
            [u for u in items if u.status == "applied"], _cells(session, organisation_id)
        )
        keys = zip(
            frame["site"].astype(str), frame["period"].astype(str), frame["upload_id"], strict=True
        )
        keep = [int(u) in force.get((site, period), ()) for site, period, u in keys]
        frame = frame[keep]
    if frame.empty:
        return None
    names = {u.id: u.filename for u in items}
    ledgers = []
    for upload, part in frame.groupby("upload_id", sort=True):
        raw = part[list(COLUMNS)].reset_index(drop=True)
        for column in (*_TEXT, *_OPTIONAL_TEXT):
            raw[column] = raw[column].astype(object)
        ledger = build_ledger(raw, source=names.get(int(str(upload)), "ledger"))
        ledger.flows["row"] = part["row"].to_numpy()
        ledgers.append(ledger)
    return merge_ledgers(ledgers) if len(ledgers) > 1 else ledgers[0]
