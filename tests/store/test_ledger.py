"""Ledger uploads: stored rows rebuild the same ledger; invalid files store nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreislauf.errors import InvalidLedger
from kreislauf.ledger import ledger_kpis, read_ledger
from kreislauf.store import account as account_store
from kreislauf.store import ledger as ledger_store
from kreislauf.store.models import LedgerFlow, LedgerUpload

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo-company" / "ledger.csv"


def _org(session: Session) -> int:
    user = account_store.create_user(session, email="o@example.org", name="O", password="x" * 12)
    return account_store.create_organisation(
        session, owner=user, slug="acme", name="Acme", kind="company"
    ).id


def test_stored_ledger_gives_the_same_kpis_as_the_file(session: Session) -> None:
    org = _org(session)
    upload = ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
    session.commit()
    stored = ledger_store.organisation_ledger(session, organisation_id=org)
    original = read_ledger(EXAMPLE)
    assert stored is not None and upload.rows == len(original.flows)
    expected = {v.id: v.value for v in ledger_kpis(original).values}
    got = {v.id: v.value for v in ledger_kpis(stored).values}
    assert got == pytest.approx(expected, rel=1e-12)


def test_same_file_twice_is_stored_once(session: Session) -> None:
    org = _org(session)
    first = ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
    again = ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
    assert again.id == first.id
    assert session.scalar(select(func.count()).select_from(LedgerUpload)) == 1
    merged = ledger_store.organisation_ledger(session, organisation_id=org)
    assert merged is not None and len(merged.flows) == len(read_ledger(EXAMPLE).flows)


def test_invalid_ledger_stores_nothing(session: Session, tmp_path: Path) -> None:
    org = _org(session)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "period,site,centre,flow,quantity,unit\n"
        "2024-01,Leipzig,Guss,material_in,12,t\n"
        "2024-13,Leipzig,Guss,material_in,zwölf,t\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidLedger) as caught:
        ledger_store.import_ledger(session, organisation_id=org, path=bad)
    rows = {(p.params.get("row"), p.params.get("column")) for p in caught.value.problems}
    assert (3, "period") in rows and (3, "quantity") in rows
    assert session.scalar(select(func.count()).select_from(LedgerUpload)) == 0
    assert session.scalar(select(func.count()).select_from(LedgerFlow)) == 0


# --- uploads that correct: replace, add, history, restore, stored once ---------------------


def _corrected(tmp_path: Path) -> Path:
    """The demo ledger with one quantity corrected (Masterbatch 2023-01: 0.769 → 0.800 t)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(",0.769,t,") == 1
    path = tmp_path / "ledger-corrected.csv"
    path.write_text(text.replace(",0.769,t,", ",0.800,t,"), encoding="utf-8")
    return path


def _masterbatch_2023_01(ledger) -> list[float]:
    flows = ledger.flows
    mine = flows[(flows["period"].astype(str) == "2023-01")
                 & (flows["material"].astype(str) == "Masterbatch schwarz")]  # fmt: skip
    return sorted(float(q) for q in mine["quantity"])


def test_corrected_upload_replaces_its_cells_and_restore_brings_the_old_back(
    session: Session, tmp_path: Path
) -> None:
    org = _org(session)
    first = ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
    second = ledger_store.import_ledger(session, organisation_id=org, path=_corrected(tmp_path))
    ledger = ledger_store.organisation_ledger(session, organisation_id=org)
    assert ledger is not None and len(ledger.flows) == 696
    assert _masterbatch_2023_01(ledger) == [0.8]  # t, as written
    states = {s.upload.id: s for s in ledger_store.history(session, organisation_id=org)}
    assert (states[first.id].in_force, states[second.id].in_force) == (0, 696)
    assert len(states[first.id].cells) == 24 and states[first.id].cells[0] == ("Leipzig", "2023-01")

    ledger_store.restore_upload(session, organisation_id=org, upload_id=first.id)
    ledger = ledger_store.organisation_ledger(session, organisation_id=org)
    assert ledger is not None and len(ledger.flows) == 696
    assert _masterbatch_2023_01(ledger) == [0.769]


def test_add_mode_keeps_both_and_a_partial_upload_replaces_only_its_cells(
    session: Session, tmp_path: Path
) -> None:
    org = _org(session)
    ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    january = [r.replace(",0.769,t,", ",0.800,t,") for r in rows if r.startswith("2023-01,")]
    part = tmp_path / "january.csv"
    part.write_text("\n".join([header, *january]) + "\n", encoding="utf-8")
    added = ledger_store.import_ledger(session, organisation_id=org, path=part, mode="add")
    ledger = ledger_store.organisation_ledger(session, organisation_id=org)
    # add: both Masterbatch rows of 2023-01 count (the other January rows are identical
    # flows and are merged once)
    assert ledger is not None and _masterbatch_2023_01(ledger) == [0.769, 0.8]
    assert len(ledger.flows) == 697
    ledger_store.apply_upload(session, organisation_id=org, upload_id=added.id, mode="replace")
    ledger = ledger_store.organisation_ledger(session, organisation_id=org)
    assert ledger is not None and len(ledger.flows) == 696  # only 2023-01 was replaced
    assert _masterbatch_2023_01(ledger) == [0.8]
    assert len(ledger.periods) == 24


def test_pending_upload_is_not_in_force_and_says_what_it_replaces(
    session: Session, tmp_path: Path
) -> None:
    org = _org(session)
    ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
    pending = ledger_store.import_ledger(
        session, organisation_id=org, path=_corrected(tmp_path), pending=True
    )
    ledger = ledger_store.organisation_ledger(session, organisation_id=org)
    assert ledger is not None and _masterbatch_2023_01(ledger) == [0.769]
    state = next(s for s in ledger_store.history(session, organisation_id=org)
                 if s.upload.id == pending.id)  # fmt: skip
    assert state.upload.status == "pending" and state.in_force == 0
    assert len(state.replaces) == 24 and sum(state.replaces.values()) == 696
    ledger_store.apply_upload(session, organisation_id=org, upload_id=pending.id)
    ledger = ledger_store.organisation_ledger(session, organisation_id=org)
    assert ledger is not None and _masterbatch_2023_01(ledger) == [0.8]


def test_identical_concurrent_uploads_are_stored_once(db_url: str) -> None:
    """Real threads, one session each, started at a barrier (issue 13)."""
    import threading

    from kreislauf.store import make_engine, make_sessionmaker

    engine = make_engine(db_url, pool_size=8)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        org = _org(session)
        session.commit()
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes: list[object] = [None] * workers

    def run(index: int) -> None:
        barrier.wait()
        with sessions() as session:
            try:
                upload = ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
                session.commit()
                outcomes[index] = upload.id
            except Exception as error:  # noqa: BLE001 - a crash is an outcome the test reports
                session.rollback()
                outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(LedgerUpload))
        flows = session.scalar(select(func.count()).select_from(LedgerFlow))
    engine.dispose()
    assert stored == 1 and flows == 696, outcomes
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int), outcomes


def test_an_upload_is_written_in_bulk_and_reads_back_cell_for_cell(
    session: Session, tmp_path: Path
) -> None:
    """2,400 rows in chunks of 1,000: PostgreSQL gets COPY (no INSERT into ledger_flows),
    SQLite one executemany per chunk; every stored cell is the file's (blanks NULL), and
    the digest is the one the records gave before (``DataFrame.to_dict`` per row)."""
    from sqlalchemy import event

    org = _org(session)
    path = tmp_path / "big.csv"
    copies = -(-2_400 // len(read_ledger(EXAMPLE).flows))
    text = EXAMPLE.read_text(encoding="utf-8").splitlines()
    lines = text[:1] + [line for _ in range(copies) for line in text[1:]][:2_400]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inserts: list[str] = []
    engine = session.get_bind()

    def count(_c: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO LEDGER_FLOWS"):
            inserts.append(statement)

    progress: list[tuple[int, int]] = []
    event.listen(engine, "before_cursor_execute", count)
    try:
        upload = ledger_store.import_ledger(
            session,
            organisation_id=org,
            path=path,
            chunk_rows=1_000,
            on_progress=lambda done, total: progress.append((done, total)),
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    session.commit()
    assert progress == [(0, 2_400), (1_000, 2_400), (2_000, 2_400), (2_400, 2_400)]
    assert len(inserts) == (0 if engine.dialect.name == "postgresql" else 3)
    stored = session.execute(
        select(*(getattr(LedgerFlow, c) for c in (*ledger_store.COLUMNS, "row")))
        .where(LedgerFlow.upload_id == upload.id)
        .order_by(LedgerFlow.id)
    ).all()
    ledger = read_ledger(path)
    records = ledger_store._records(ledger.flows)
    assert [tuple(r.values()) for r in records] == [tuple(r) for r in stored]
    assert sum(r["note"] is None for r in records) > 0  # blanks really stored as NULL
    old = pd.DataFrame({c: ledger.flows[c].astype(object) for c in ledger_store.COLUMNS})
    old["row"] = ledger.flows["row"].astype(int)
    cells = [
        {k: ledger_store._cell(v) for k, v in r.items()} for r in old.to_dict(orient="records")
    ]
    assert ledger_store.rows_digest(records) == ledger_store.rows_digest(cells) == upload.digest


def test_waste_codes_are_stored_and_read_back(session: Session) -> None:
    """The demo ledger's waste rows carry AVV codes; the stored ledger keeps them."""
    org = _org(session)
    ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
    session.commit()
    stored = ledger_store.organisation_ledger(session, organisation_id=org)
    original = read_ledger(EXAMPLE)
    assert stored is not None
    codes = original.flows["waste_code"].dropna()
    assert len(codes) > 0 and "12 01 18*" in set(codes.astype(str))
    assert (
        stored.flows["waste_code"]
        .astype(object)
        .where(stored.flows["waste_code"].notna(), None)
        .tolist()
        == original.flows["waste_code"]
        .astype(object)
        .where(original.flows["waste_code"].notna(), None)
        .tolist()
    )


def test_a_blank_waste_code_leaves_the_digest_as_before_the_column() -> None:
    """Digests stored before ``waste_code`` existed stay valid for files without codes."""
    import hashlib
    import json

    before = ("period", "site", "centre", "flow", "material", "category", "quantity", "unit",
              "cost_eur", "recycled_share", "treatment", "to_centre", "note")  # fmt: skip
    record: dict[str, object] = {c: None for c in ledger_store.COLUMNS}
    record |= {"period": "2024-01", "site": "L", "centre": "S", "flow": "waste_out",
               "material": "Angüsse", "quantity": 1.5, "unit": "t"}  # fmt: skip
    old = hashlib.sha256()
    old.update(json.dumps([record[c] for c in before], default=str, ensure_ascii=False).encode())
    old.update(b"\n")
    assert ledger_store.rows_digest([record]) == old.hexdigest()
    coded = record | {"waste_code": "07 02 13"}
    assert ledger_store.rows_digest([coded]) != old.hexdigest()
