"""The set-up the benchmarks share: a throw-away PostgreSQL database, a migrated app, and a signed-in client."""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from assessment.demo import DEMO_LOGIN
from assessment.factory import create_app
from assessment.storage.database import make_engine
from assessment.storage.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def throwaway_database(server: str, name: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database `name` on `server`, dropped however the block ends (and first,
    should a killed run have left it behind)."""
    admin = make_engine(server).execution_options(isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        with admin.connect() as connection:
            connection.execute(drop)
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()


@contextmanager
def migrated_app(database_url: str | None = None) -> Iterator[Flask]:
    """An app on a migrated database, a fresh SQLite one unless `database_url` names another, with an instance
    folder removed however the run ends, Ctrl-C included."""
    with tempfile.TemporaryDirectory(prefix="crmgate-bench-") as folder:
        os.environ["CRMGATE_INSTANCE"] = folder
        app = create_app({"DATABASE_URL": database_url or f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench"})
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


def on_both_databases(module: str, database: str, measure: Callable[[Flask, str], bool], backends: list[str]) -> int:
    """Run `measure(app, backend)` on a fresh SQLite app, then on PostgreSQL: the server in TEST_POSTGRES_URL
    (in a throw-away database named `database`), else a throw-away server that scripts/with-postgres.sh starts
    to run `module` again, else a message that it is skipped. `backends` ("sqlite", "postgresql") narrows it.
    The exit status: 1 when any measure missed its goal."""
    failed = False
    if not backends or "sqlite" in backends:
        with migrated_app() as app:
            failed |= measure(app, "sqlite")
    if not backends or "postgresql" in backends:
        server = os.environ.get("TEST_POSTGRES_URL")
        if server:
            with throwaway_database(server, database) as url, migrated_app(url) as app:
                failed |= measure(app, "postgresql")
        elif not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
            print("postgresql: SKIPPED, no PostgreSQL server binaries here (scripts/system-deps.sh test installs them)")
        else:
            script = ROOT / "scripts" / "with-postgres.sh"
            failed |= subprocess.call([script, sys.executable, "-m", module, "postgresql"]) != 0  # noqa: S603 - ours
    return 1 if failed else 0
