"""Stored carbon inputs: a German Excel file is kept as the readers decoded it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kreislauf.carbon.factors import read_factors
from kreislauf.store import account as account_store
from kreislauf.store import carbon as carbon_store


def test_cp1252_factor_file_is_stored_and_read_back(session: Session, tmp_path) -> None:
    user = account_store.create_user(session, email="o@example.org", name="O", password="x" * 12)
    org = account_store.create_organisation(
        session, owner=user, slug="acme", name="Acme", kind="company"
    ).id
    upload = tmp_path / "faktoren.csv"
    upload.write_bytes(
        "key;value;unit;scope;category;source;year;region\r\n"
        "Stahlblech geölt;1.850,25;kg CO2e / t;3;1;EPD Müller;2024;EU\r\n".encode("cp1252")
    )
    [record] = carbon_store.add_carbon_inputs(session, organisation_id=org, factors=[upload])
    assert "geölt" in record.content and "Müller" in record.content
    with carbon_store.carbon_files(session, organisation_id=org) as files:
        factor = read_factors(files.factors).lookup("stahlblech geölt")
    assert factor.value == 1850.25 and factor.source == "EPD Müller"
