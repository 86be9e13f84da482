"""``kreislauf db`` and ``kreislauf serve`` from the command line (installed entry point)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kreislauf.store import head_revision


def _kreislauf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("kreislauf")), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "KREISLAUF_LANG": "en", "HOME": str(Path.home())},
    )


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = _kreislauf("serve", "--database", url, "--port", "1")
    assert result.returncode == 4
    assert "kreislauf db upgrade" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_db_upgrade_and_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    up = _kreislauf("db", "upgrade", "--database", url)
    assert up.returncode == 0 and head_revision() in up.stdout
    down = _kreislauf("db", "downgrade", "--database", url, "--revision", "base")
    assert down.returncode == 0 and "base" in down.stdout


def test_bad_database_url_is_a_message_not_a_traceback() -> None:
    result = _kreislauf("db", "upgrade", "--database", "mysql://x@localhost/db")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Error" in result.stderr
