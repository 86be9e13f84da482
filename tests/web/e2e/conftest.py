"""Browser tests: a real server on a free port and headless Debian Chromium (Playwright).

Every test runs twice, against a fresh SQLite database and a fresh PostgreSQL schema
(:data:`tests.store.store_databases.BACKENDS`; PostgreSQL unreachable: skipped, a failure
under ``CI=true``). Screenshots of the SQLite run go to ``test-artifacts/web/``, those of
the PostgreSQL run to ``test-artifacts/web/postgresql/``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from kreislauf.settings import Settings
from kreislauf.store import upgrade
from kreislauf.web import create_app
from tests.store.store_databases import BACKENDS, fresh_database

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database of ``backend`` for the module's server."""
    with fresh_database(backend, tmp_path_factory.mktemp("e2e")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="module")
def server(database: str) -> Iterator[str]:
    """The app on a fresh database (SQLite or PostgreSQL), served by uvicorn in a thread."""
    url = database
    # on PostgreSQL a queue worker runs in the server process (serve --with-worker)
    settings = Settings(
        database_url=url, secret_key="e2e-" + "k" * 40, lang="de", queue_with_worker=True
    )
    app = create_app(settings)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing (CI=true: install the Debian package chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()


@pytest.fixture
def shot(backend: str) -> object:
    """``shot(page, name)`` saves a full-page screenshot under test-artifacts/web/."""
    folder = ARTIFACTS if backend == "sqlite" else ARTIFACTS / backend
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        assert path.stat().st_size > 1000
        return path

    return take
