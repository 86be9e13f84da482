"""Ledger uploads: stored rows rebuild the same ledger; invalid files store nothing."""

from __future__ import annotations

from pathlib import Path

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


def test_same_file_twice_counts_once(session: Session) -> None:
    org = _org(session)
    ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
    ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLE)
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
