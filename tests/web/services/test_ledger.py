"""The ledger service on the web: big imports run by the ``ledger_import`` job (API and
page), small ones within the request."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kreislauf.store.models import Job, JobFile, LedgerFlow, LedgerUpload
from tests.web.web_helpers import LEDGER, Member, drain_queue, wait_for_job

#: Data rows of the demo ledger (lines minus the header).
LEDGER_ROWS = 696


@pytest.fixture
def bad_ledger(tmp_path: Path) -> Path:
    """The demo ledger with a bad quantity in row 3 and an unknown unit in row 6."""
    lines = LEDGER.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",0.769,t,", ",viel,t,")
    lines[5] = lines[5].replace(",t,", ",furlong,", 1)
    path = tmp_path / "ledger-bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _count(app: FastAPI, model: type) -> int:
    with app.state.sessionmaker() as session:
        return int(session.scalar(select(func.count()).select_from(model)))


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _post_page(member: Member, path: Path, token: str) -> httpx2.Response:
    """The ledger page's upload form sent with ``path``."""
    with path.open("rb") as handle:
        return member.client.post(
            "/orgs/acme/ledger",
            data={"csrf_token": token},
            files={"file": (path.name, handle)},
            follow_redirects=False,
        )


def _wait_page(member: Member, url: str, timeout_s: float = 60) -> str:
    """The job page once it no longer refreshes itself (the job has ended)."""
    drain_queue(member.client.app.state.settings)  # PostgreSQL: a worker runs the queued job
    deadline = time.monotonic() + timeout_s
    while True:
        page = member.client.get(url)
        assert page.status_code == 200, page.text
        if 'http-equiv="refresh"' not in page.text or time.monotonic() > deadline:
            return page.text
        time.sleep(0.1)


def test_big_upload_is_imported_in_the_background(big_app: FastAPI, owner: Member) -> None:
    accepted = owner.upload_ledger("acme")
    assert accepted.status_code == 202, accepted.text
    body = accepted.json()
    assert body["kind"] == "ledger_import" and body["status"] in ("queued", "running", "done")
    assert accepted.headers["location"] == f"/api/v1/orgs/acme/jobs/{body['id']}"

    job = wait_for_job(owner, "acme", body["id"])
    assert job["status"] == "done", job
    assert job["progress"] == 1 and job["result_name"] == "ledger.csv" and job["errors"] == []
    uploads = owner.client.get("/api/v1/orgs/acme/ledger/uploads").json()
    assert [(u["filename"], u["rows"]) for u in uploads] == [("ledger.csv", LEDGER_ROWS)]
    assert _count(big_app, LedgerFlow) == LEDGER_ROWS
    assert _count(big_app, JobFile) == 0, "the uploaded bytes are cleared when the job ends"
    dashboard = owner.client.get("/api/v1/orgs/acme/dashboard")
    assert dashboard.status_code == 200


def test_small_upload_stays_synchronous(big_app: FastAPI, owner: Member, tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    small.write_text("\n".join(LEDGER.read_text(encoding="utf-8").splitlines()[:6]) + "\n")
    created = owner.upload_ledger("acme", small)
    assert created.status_code == 201, created.text
    assert created.json()["rows"] == 5 and _count(big_app, Job) == 0


def test_bad_big_upload_fails_with_row_problems_and_stores_nothing(
    big_app: FastAPI, owner: Member, bad_ledger: Path
) -> None:
    accepted = owner.upload_ledger("acme", bad_ledger)
    assert accepted.status_code == 202, accepted.text
    job = wait_for_job(owner, "acme", accepted.json()["id"])
    assert job["status"] == "failed", job
    assert "ledger-bad.csv" in job["error"] and "\n" not in job["error"]
    located = {(e["file"], e["row"], e["column"]) for e in job["errors"]}
    assert located == {("ledger-bad.csv", 3, "quantity"), ("ledger-bad.csv", 6, "unit")}
    assert {e["value"] for e in job["errors"]} == {"viel", "furlong"}
    assert _count(big_app, LedgerFlow) == 0
    assert owner.client.get("/api/v1/orgs/acme/ledger/uploads").json() == []
    assert _count(big_app, JobFile) == 0

    english = owner.client.get(f"/api/v1/orgs/acme/jobs/{job['id']}?lang=en").json()
    german = {e["row"]: e["detail"] for e in job["errors"]}
    assert {e["row"] for e in english["errors"]} == {3, 6}
    assert all(e["detail"] != german[e["row"]] for e in english["errors"])


def test_page_upload_redirects_to_the_job_page(
    big_app: FastAPI, owner: Member, bad_ledger: Path
) -> None:
    form = owner.client.get("/orgs/acme/ledger")
    token = _csrf(form.text)
    sent = _post_page(owner, bad_ledger, token)
    assert sent.status_code == 303 and re.fullmatch(
        r"/orgs/acme/jobs/\d+", sent.headers["location"]
    )
    failed = _wait_page(owner, sent.headers["location"])
    assert 'id="upload-errors"' in failed and "furlong" in failed and "viel" in failed
    assert "Es wurde nichts gespeichert" in failed and "job-dashboard" not in failed

    sent = _post_page(owner, LEDGER, token)
    assert sent.status_code == 303
    done = _wait_page(owner, sent.headers["location"])
    assert 'id="job-dashboard" href="/orgs/acme/dashboard"' in done
    assert "ledger.csv wurde übernommen (696 Zeilen)" in done and "upload-errors" not in done


def test_big_export_with_its_mapping_is_imported_in_the_background(
    big_app: FastAPI, owner: Member
) -> None:
    export, mapping = LEDGER.with_name("erp-export.csv"), LEDGER.with_name("erp-mapping.yaml")
    accepted = owner.client.post(
        "/api/v1/orgs/acme/ledger/uploads",
        files={
            "file": (export.name, export.read_bytes()),
            "mapping": (mapping.name, mapping.read_bytes()),
        },
    )
    assert accepted.status_code == 202, accepted.text
    job = wait_for_job(owner, "acme", accepted.json()["id"])
    assert job["status"] == "done", job
    uploads = owner.client.get("/api/v1/orgs/acme/ledger/uploads").json()
    assert [(u["filename"], u["rows"]) for u in uploads] == [("erp-export.csv", LEDGER_ROWS)]
    with big_app.state.sessionmaker() as session:
        stored = session.scalar(select(LedgerUpload.mapping_yaml))
    assert stored == mapping.read_text(encoding="utf-8")
