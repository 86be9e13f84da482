"""``kreislauf jobs`` and ``kreislauf worker`` from the command line (installed entry point)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kreislauf.store import job as job_store
from kreislauf.store import make_engine, make_sessionmaker, upgrade
from kreislauf.store.models import Organisation


def _kreislauf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("kreislauf")), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "KREISLAUF_LANG": "en",
            "HOME": str(Path.home()),
            "KREISLAUF_JOB_STALE_AFTER_S": "86400",  # the test's queued job has no process
        },
    )


def _database(tmp_path: Path) -> tuple[str, int, int]:
    """A migrated SQLite database with one queued and one failed job of organisation acme."""
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        acme = Organisation(slug="acme", name="Acme", kind="company")
        session.add(acme)
        session.flush()
        queued = job_store.create_job(
            session, organisation_id=acme.id, kind="carbon_report_pdf", params={"lang": "en"}
        )
        failed = job_store.create_job(
            session, organisation_id=acme.id, kind="carbon_report_pdf", params={"lang": "en"}
        )
        job_store.start(session, failed)
        job_store.fail(session, failed, error="ledger 1 not found")
        ids = (queued.id, failed.id)
    engine.dispose()
    return url, *ids


def test_list_show_cancel_and_retry(tmp_path: Path) -> None:
    url, queued, failed = _database(tmp_path)
    listed = _kreislauf("jobs", "list", "--database", url, "--json", "--status", "queued,failed")
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert (rows[queued]["status"], rows[failed]["status"]) == ("queued", "failed")
    assert rows[failed]["organisation"] == "acme" and rows[failed]["attempts"] == 1

    shown = json.loads(_kreislauf("jobs", "show", str(failed), "--database", url).stdout)
    assert shown["error"] == "ledger 1 not found" and shown["queue"] is None

    cancelled = _kreislauf("jobs", "cancel", str(queued), "--database", url)
    assert cancelled.returncode == 0 and f"job {queued} cancelled" in cancelled.stdout
    again = _kreislauf("jobs", "cancel", str(queued), "--database", url)
    assert again.returncode == 2 and "has already ended (cancelled)" in again.stderr
    assert "Traceback" not in again.stderr

    # SQLite: the retried job runs in the command; without a ledger it fails again
    retried = _kreislauf("jobs", "retry", str(failed), "--database", url)
    assert retried.returncode == 0, retried.stderr
    assert f"job {failed} queued again: failed" in retried.stdout
    shown = json.loads(_kreislauf("jobs", "show", str(failed), "--database", url).stdout)
    assert shown["attempts"] == 2 and "(ledger) does not exist" in shown["error"]
    missing = _kreislauf("jobs", "show", "999", "--database", url)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr


def test_worker_refuses_sqlite_and_schedules_are_listed(tmp_path: Path) -> None:
    refused = _kreislauf("worker", "--database", f"sqlite:///{tmp_path / 'x.db'}")
    assert refused.returncode == 2 and "needs PostgreSQL" in refused.stderr
    listed = json.loads(_kreislauf("jobs", "schedules", "--json").stdout)
    assert [(s["name"], s["cron"]) for s in listed] == [
        ("advice_funding_import", "0 3 * * 1"),
        ("exchange_forecast_refresh", "30 2 * * *"),
    ]
