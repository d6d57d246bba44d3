"""A live server on a free local port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
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
def live_app(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on its own SQLite copy with an owner; a test may change its config before serving it."""
    database = tmp_path / "live.sqlite3"
    shutil.copy(sqlite_template, database)
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "browser-test"})
    add_workspace(app, "Acme consultancy", *OWNER)
    yield app
    app.extensions["db_engine"].dispose()


@contextmanager
def serving(app: Flask, certificate: tuple[str, str] | None = None) -> Iterator[str]:
    """`app` on a free local port, in a thread, for as long as the block lasts."""
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=certificate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if certificate else 'http'}://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture
def live_server(request: pytest.FixtureRequest, live_app: Flask, tmp_path: Path) -> Iterator[str]:
    """The app over plain HTTP; over HTTPS, with a self-signed certificate made for the test, when a test
    parametrizes it indirectly with "https"."""
    https = getattr(request, "param", "http") == "https"
    certificate = make_ssl_devcert(str(tmp_path / "tls"), host="127.0.0.1") if https else None
    with serving(live_app, certificate) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_area(page: Page, link: Locator) -> None:
    """Follow a link to an area's page and wait until its script listens: an answer given sooner is on
    the page but never autosaved, as a person who clicks before the page has loaded would find."""
    link.click()
    expect(page.locator("[data-autosave-status]")).to_be_attached()
    page.wait_for_load_state("load")
