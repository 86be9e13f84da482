"""``kreislauf db`` and ``kreislauf serve`` from the command line (installed entry point)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2

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


def test_demo_prints_url_and_login_on_one_line_and_serves(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("kreislauf")), "demo", "--port", str(port),
               "--database", f"sqlite:///{tmp_path / 'demo.db'}"]  # fmt: skip
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "40",
           "KREISLAUF_SECRET_KEY": "k" * 48}  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # printed once the demo data exist
        assert f"http://127.0.0.1:{port}/" in line
        assert "demo@kreislauf.example / kreislauf-demo" in line  # not wrapped at 40 columns
        deadline = time.monotonic() + 60
        while True:
            try:
                login = httpx2.post(
                    f"http://127.0.0.1:{port}/api/v1/auth/login",
                    json={"email": "demo@kreislauf.example", "password": "kreislauf-demo"},
                )
                break
            except httpx2.TransportError:
                assert time.monotonic() < deadline, "demo server did not start"
                time.sleep(0.3)
        assert login.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
