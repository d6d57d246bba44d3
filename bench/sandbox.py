"""The set-up the app benchmarks share: a migrated app on a throw-away database, and a signed-in client."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient

from assessment.demo import DEMO_LOGIN
from assessment.factory import create_app
from assessment.storage.migrate import upgrade


@contextmanager
def migrated_app() -> Iterator[Flask]:
    """An app on a fresh SQLite database whose folder is removed however the run ends, Ctrl-C included."""
    with tempfile.TemporaryDirectory(prefix="crmgate-bench-") as folder:
        os.environ["CRMGATE_INSTANCE"] = folder
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench"})
        engine = app.extensions["db_engine"]
        try:
            upgrade(engine)
            yield app
        finally:
            engine.dispose()


def csrf_token(page: str) -> str:
    """The CSRF token every page carries in its head, which every form post must send back."""
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def sign_in_demo_owner(client: FlaskClient) -> None:
    """Sign the client in as the owner `seed_demo` created, as a browser would."""
    email, password = DEMO_LOGIN
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, "the demo owner could not sign in"
