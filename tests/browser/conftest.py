"""A live server on a free local port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server, make_ssl_devcert

from assessment.factory import create_app
from tests.conftest import OWNER, add_workspace

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The machine has no network: keep Chromium from trying to reach any service of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_server(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The app on a free local port with an owner, over plain HTTP; over HTTPS, with a self-signed certificate
    made for the test, when a test parametrizes it indirectly with "https"."""
    scheme = getattr(request, "param", "http")
    database = tmp_path / "live.sqlite3"
    shutil.copy(sqlite_template, database)
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "browser-test"})
    add_workspace(app, "Acme consultancy", *OWNER)
    certificate = make_ssl_devcert(str(tmp_path / "tls"), host="127.0.0.1") if scheme == "https" else None
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=certificate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{scheme}://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
