"""Helpers of the web tests: settings for a test database, a signed-in API member."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kreislauf.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LEDGER = EXAMPLES / "demo-company" / "ledger.csv"
QUESTIONNAIRE = EXAMPLES / "leipzig-survey" / "questionnaire.yaml"
PASSWORD = "a long enough password"
CARBON = EXAMPLES / "demo-company" / "carbon"
FACTORS = (CARBON / "product-factors.csv", CARBON / "factors.csv")


def corrected_ledger(folder: Path) -> Path:
    """The demo ledger with one quantity corrected (Masterbatch 2023-01: 0.769 → 0.800 t)."""
    text = LEDGER.read_text(encoding="utf-8")
    assert text.count(",0.769,t,") == 1
    path = folder / "ledger-corrected.csv"
    path.write_text(text.replace(",0.769,t,", ",0.800,t,"), encoding="utf-8")
    return path


def settings_for(url: str) -> Settings:
    return Settings(
        database_url=url, secret_key="test-secret-" + "x" * 32, lang="de", freeze_heap=False
    )


def client_for(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="http://testserver")


class Member:
    """A signed-in API client with its CSRF token."""

    def __init__(self, app: FastAPI, email: str, name: str = "Test") -> None:
        self.client = client_for(app)
        response = self.client.post(
            "/api/v1/auth/signup", json={"email": email, "name": name, "password": PASSWORD}
        )
        assert response.status_code == 201, response.text
        self.csrf = response.json()["csrf_token"]
        self.client.headers["X-CSRF-Token"] = self.csrf

    def org(self, slug: str, kind: str = "company") -> dict[str, object]:
        response = self.client.post(
            "/api/v1/orgs", json={"slug": slug, "name": slug.title(), "kind": kind}
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def upload_ledger(self, slug: str, path: Path = LEDGER) -> object:
        with path.open("rb") as handle:
            return self.client.post(
                f"/api/v1/orgs/{slug}/ledger/uploads", files={"file": (path.name, handle)}
            )

    def questionnaire(self, slug: str, path: Path = QUESTIONNAIRE) -> int:
        with path.open("rb") as handle:
            response = self.client.post(
                f"/api/v1/orgs/{slug}/questionnaires", files={"file": (path.name, handle)}
            )
        assert response.status_code == 201, response.text
        return int(response.json()["id"])


def wait_for_job(
    member: Member, slug: str, job_id: int, timeout_s: float = 60
) -> dict[str, object]:
    """Poll a background job until it has ended; its last state.

    On PostgreSQL the web app runs no job: a real procrastinate worker first runs every
    queued job of the test's schema and stops when the queue is empty (:func:`drain_queue`).
    """
    drain_queue(member.client.app.state.settings)  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout_s
    while True:
        job = member.client.get(f"/api/v1/orgs/{slug}/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job  # type: ignore[no-any-return]
        time.sleep(0.1)


def drain_queue(settings: Settings) -> None:
    """On PostgreSQL, run a queue worker until no job is left (nothing on SQLite)."""
    from kreislauf.web.queue import is_queue_database, run_worker

    if is_queue_database(settings.database_url):
        asyncio.run(run_worker(settings, concurrency=2, wait=False, install_signal_handlers=False))


def upload_carbon(member: Member, slug: str, **files: Path | tuple[Path, ...]) -> object:
    """POST the given files (``factors`` may be several) to the carbon inputs API."""
    parts = []
    for field, value in files.items():
        for path in value if isinstance(value, tuple) else (value,):
            parts.append((field, (path.name, path.read_bytes())))
    return member.client.post(f"/api/v1/orgs/{slug}/carbon/inputs", files=parts)
