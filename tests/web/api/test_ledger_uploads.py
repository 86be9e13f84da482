"""Uploads that correct (issue 14): replace by default, add on request, history, restore."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.web.web_helpers import Member, corrected_ledger

API = "/api/v1/orgs/acme"
#: The corrected row: Spritzguss, 2023-01, Masterbatch 0.769 → 0.800 t (+0.031 t input).
DELTA_T = 0.031


def _spritzguss_input_t(member: Member) -> float:
    board = member.client.get(f"{API}/dashboard").json()
    centre = next(c for c in board["mfca"]["centres"] if c["centre"] == "Spritzguss")
    return float(centre["input_mass_t"])


def test_corrected_upload_replaces_and_restore_brings_the_old_value_back(
    app: FastAPI, member: Member, tmp_path: Path
) -> None:
    member.org("acme")
    first = member.upload_ledger("acme").json()  # type: ignore[attr-defined]
    assert (first["mode"], first["status"], len(first["digest"])) == ("replace", "applied", 64)
    before = _spritzguss_input_t(member)
    second = member.upload_ledger("acme", corrected_ledger(tmp_path))  # type: ignore[attr-defined]
    assert second.status_code == 201 and second.json()["id"] != first["id"]
    board = member.client.get(f"{API}/dashboard").json()
    assert (board["rows"], board["uploads"]) == (696, 2)
    assert _spritzguss_input_t(member) == pytest.approx(before + DELTA_T, abs=1e-9)

    history = {u["id"]: u for u in member.client.get(f"{API}/ledger/uploads").json()}
    old, new = history[first["id"]], history[second.json()["id"]]
    assert (old["in_force"], new["in_force"]) == (0, 696)
    assert old["uploaded_by"] == "owner@example.org" and old["rows"] == 696
    assert old["cells"] == [
        {"site": "Leipzig", "first": "2023-01", "last": "2024-12", "periods": 24, "rows": 0}
    ]

    restored = member.client.post(f"{API}/ledger/uploads/{first['id']}/restore")
    assert restored.status_code == 200
    assert member.client.get(f"{API}/dashboard").json()["rows"] == 696
    assert _spritzguss_input_t(member) == pytest.approx(before, abs=1e-9)


def test_add_mode_counts_both_and_same_content_is_stored_once(
    app: FastAPI, member: Member, tmp_path: Path
) -> None:
    member.org("acme")
    member.upload_ledger("acme")  # type: ignore[attr-defined]
    before = _spritzguss_input_t(member)
    path = corrected_ledger(tmp_path)
    with path.open("rb") as handle:
        added = member.client.post(
            f"{API}/ledger/uploads", params={"mode": "add"}, files={"file": (path.name, handle)}
        )
    assert added.status_code == 201 and added.json()["mode"] == "add"
    board = member.client.get(f"{API}/dashboard").json()
    # add: the identical 695 flows count once, both Masterbatch rows count
    assert board["rows"] == 697
    assert _spritzguss_input_t(member) == pytest.approx(before + 0.800, abs=1e-9)
    again = member.upload_ledger("acme", path)  # type: ignore[attr-defined]
    assert again.json()["id"] == added.json()["id"] and again.json()["mode"] == "replace"
    assert member.client.get(f"{API}/dashboard").json()["rows"] == 696
    assert len(member.client.get(f"{API}/ledger/uploads").json()) == 2
    wrong = member.client.post(f"{API}/ledger/uploads", params={"mode": "merge"})
    assert wrong.status_code == 422


def test_page_asks_before_replacing_then_restores_and_deletes(
    app: FastAPI, member: Member, tmp_path: Path
) -> None:
    member.org("acme")
    member.upload_ledger("acme")  # type: ignore[attr-defined]
    path = corrected_ledger(tmp_path)
    page = member.client.post(
        "/orgs/acme/ledger",
        files={"file": (path.name, path.read_bytes())},
        data={"csrf_token": member.csrf},
    )
    assert page.status_code == 200
    assert "ersetzt vorhandene Daten" in page.text and "2023-01 – 2024-12" in page.text
    assert member.client.get(f"{API}/dashboard").json()["mfca"] is not None
    pending = next(
        u for u in member.client.get(f"{API}/ledger/uploads").json() if u["status"] == "pending"
    )
    before = _spritzguss_input_t(member)  # the pending file is not in force yet
    confirmed = member.client.post(
        f"/orgs/acme/ledger/uploads/{pending['id']}/apply",
        data={"csrf_token": member.csrf, "mode": "replace"},
        follow_redirects=True,
    )
    assert confirmed.status_code == 200 and 'data-state="replaced"' in confirmed.text
    assert _spritzguss_input_t(member) == pytest.approx(before + DELTA_T, abs=1e-9)
    first = min(u["id"] for u in member.client.get(f"{API}/ledger/uploads").json())
    restored = member.client.post(
        f"/orgs/acme/ledger/uploads/{first}/restore",
        data={"csrf_token": member.csrf},
        follow_redirects=True,
    )
    assert restored.status_code == 200 and "wieder" in restored.text
    assert _spritzguss_input_t(member) == pytest.approx(before, abs=1e-9)
    deleted = member.client.post(
        f"/orgs/acme/ledger/uploads/{pending['id']}/delete",
        data={"csrf_token": member.csrf},
        follow_redirects=True,
    )
    assert deleted.status_code == 200
    assert [u["id"] for u in member.client.get(f"{API}/ledger/uploads").json()] == [first]


def test_templates_download_and_read_back_as_valid_files(
    app: FastAPI, member: Member, tmp_path: Path
) -> None:
    from kreislauf.carbon.activities import read_activities
    from kreislauf.carbon.factors import read_factors
    from kreislauf.ledger import read_ledger

    member.org("acme")
    page = member.client.get("/orgs/acme/ledger").text
    for name in ("ledger/template.csv", "ledger/template.xlsx",
                 "carbon/template-factors.csv", "carbon/template-activities.csv"):  # fmt: skip
        assert f"/orgs/acme/{name}" in page
        response = member.client.get(f"/orgs/acme/{name}")
        assert (
            response.status_code == 200 and "attachment" in response.headers["content-disposition"]
        )
        (tmp_path / name.replace("/", "-")).write_bytes(response.content)
    assert len(read_ledger(tmp_path / "ledger-template.csv").flows) == 6
    assert len(read_ledger(tmp_path / "ledger-template.xlsx").flows) == 6
    assert read_factors(tmp_path / "carbon-template-factors.csv").lookup("PP-GF30 Granulat")
    assert len(read_activities(tmp_path / "carbon-template-activities.csv")) == 4
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "ledger-template.xlsx")
    assert book.sheetnames == ["Ledger", "Spaltenhilfe"]
    help_rows = {r[0]: r for r in book["Spaltenhilfe"].iter_rows(values_only=True)}
    assert "Rezyklatanteil" in help_rows["recycled_share"][2]
    assert help_rows["quantity"][1] == "ja"
