"""Carbon inputs of a company: user factor files, an activity file, a measures file and a
bill of materials (BOM) for product footprints.

Files are validated by the carbon package before anything is written (factor files
together with the ones already stored, in the order they will be applied); an invalid
file raises the carbon package's error (file, row, column) and the database stays as it
was. The text is stored; :func:`carbon_files` writes it back to files under their own
names, so the carbon readers and their messages work exactly as on the command line.

A file is stored once per kind: its SHA-256 is unique within the organisation (migration
``*_hardening``). Uploading an identical file again replaces the stored copy (a factor
file moves to the end of the order, as any new upload does); a request that loses the
race against an identical upload at the same moment keeps the one the other request
stored.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kreislauf.carbon.activities import read_activities
from kreislauf.carbon.bom import bom_order, read_bom
from kreislauf.carbon.factors import read_factors
from kreislauf.carbon.measures_file import read_measures
from kreislauf.errors import FileNotReadable, os_error_reason
from kreislauf.store.engine import lock_key
from kreislauf.store.models import CARBON_INPUT_KINDS, CarbonInput
from kreislauf.store.tenancy import get_scoped, scoped
from kreislauf.tables import decode


@dataclass(frozen=True)
class CarbonFiles:
    """The stored inputs written to a folder: factor files in order, activities, measures,
    BOM."""

    factors: list[Path] = field(default_factory=list)
    activities: Path | None = None
    measures: Path | None = None
    bom: Path | None = None


def carbon_inputs(session: Session, *, organisation_id: int) -> list[CarbonInput]:
    """The organisation's carbon inputs in the order they are applied (oldest first)."""
    statement = scoped(CarbonInput, organisation_id).order_by(CarbonInput.id)
    return list(session.scalars(statement))


def _text(path: Path) -> str:
    try:  # decoded as the readers decoded it (a German Excel file is cp1252)
        return decode(path.read_bytes(), name=path.name)
    except OSError as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error


def add_carbon_inputs(
    session: Session,
    *,
    organisation_id: int,
    factors: Sequence[Path] = (),
    activities: Path | None = None,
    measures: Path | None = None,
    bom: Path | None = None,
    uploaded_by: int | None = None,
) -> list[CarbonInput]:
    """Validate and store new inputs; activities, measures and BOM replace the stored ones.

    New factor files are applied after the stored ones (their keys override).

    Raises whatever the carbon readers raise (``InvalidFactorFile``, ``NoFactor`` for an
    unknown ``same_as``, ``InvalidActivityFile``, ``InvalidMeasure``, ``InvalidBom``,
    ``BomCycle``, ``FileNotReadable``); nothing is stored then.

    Uploads of one organisation are serialised (:func:`~kreislauf.store.engine.lock_key`)
    from reading the stored files to the commit: two different activity files arriving at
    the same moment end as one (the later), and factor files are validated together with
    exactly the ones stored before them.
    """
    lock_key(session, f"carbon-inputs|{organisation_id}")
    with carbon_files(session, organisation_id=organisation_id) as stored:
        if factors:
            read_factors([*stored.factors, *factors])
    if activities is not None:
        read_activities(activities)
    if measures is not None:
        read_measures(measures)
    if bom is not None:
        bom_order(read_bom(bom))
    added = [("factors", path) for path in factors]
    for kind, path in (("activities", activities), ("measures", measures), ("bom", bom)):
        if path is not None:
            session.execute(
                delete(CarbonInput).where(
                    CarbonInput.organisation_id == organisation_id, CarbonInput.kind == kind
                )
            )
            added.append((kind, path))
    records = [
        _store_once(
            session,
            organisation_id=organisation_id,
            kind=kind,
            filename=path.name,
            content=_text(path),
            uploaded_by=uploaded_by,
        )
        for kind, path in added
    ]
    return records


def _store_once(
    session: Session,
    *,
    organisation_id: int,
    kind: str,
    filename: str,
    content: str,
    uploaded_by: int | None,
) -> CarbonInput:
    """Store ``content`` as the newest input of ``kind`` unless an identical one is there.

    The stored copy of an identical file is deleted first (the new one goes to the end of
    the order). On PostgreSQL a concurrent request may commit the same file between that
    delete and the insert: the unique constraint then refuses the insert (inside a
    savepoint, so the request's transaction goes on) and its record is returned.
    """
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    same = (
        CarbonInput.organisation_id == organisation_id,
        CarbonInput.kind == kind,
        CarbonInput.content_sha256 == digest,
    )
    session.execute(delete(CarbonInput).where(*same))
    record = CarbonInput(
        organisation_id=organisation_id,
        kind=kind,
        filename=filename,
        content=content,
        content_sha256=digest,
        uploaded_by=uploaded_by,
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        return session.scalars(select(CarbonInput).where(*same)).one()
    return record


def delete_carbon_input(session: Session, *, organisation_id: int, input_id: int) -> None:
    """Delete one stored input."""
    record = get_scoped(session, CarbonInput, input_id, organisation_id=organisation_id)
    session.delete(record)
    session.flush()


@contextmanager
def carbon_files(session: Session, *, organisation_id: int) -> Iterator[CarbonFiles]:
    """The stored inputs as files in a temporary folder (removed afterwards)."""
    records = carbon_inputs(session, organisation_id=organisation_id)
    with tempfile.TemporaryDirectory(prefix="kreislauf-carbon-") as folder:
        paths: dict[str, list[Path]] = {kind: [] for kind in CARBON_INPUT_KINDS}
        for record in records:
            target = Path(folder) / str(record.id)
            target.mkdir()
            path = target / record.filename
            path.write_text(record.content, encoding="utf-8")
            paths[record.kind].append(path)
        yield CarbonFiles(
            factors=paths["factors"],
            activities=paths["activities"][-1] if paths["activities"] else None,
            measures=paths["measures"][-1] if paths["measures"] else None,
            bom=paths["bom"][-1] if paths["bom"] else None,
        )
