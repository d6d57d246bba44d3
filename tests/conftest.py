"""Fixtures: an app on a real database (SQLite, and PostgreSQL when `make test` provides one)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from assessment.definitions.loader import load_directory
from assessment.engine.questionnaire import Definitions
from assessment.factory import create_app
from assessment.services import accounts
from assessment.services.audit import Actor
from assessment.storage.database import make_engine, session
from assessment.storage.migrate import upgrade
from assessment.storage.models import Base, MemberRole, Workspace

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scrypt still, at a cost that keeps hundreds of sign-ins fast; production keeps the default."""
    monkeypatch.setattr(accounts, "HASH_METHOD", "scrypt:1024:8:1")


@pytest.fixture(scope="session")
def definitions() -> Definitions:
    return load_directory(QUESTIONNAIRES)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A migrated database of its own for this test worker on the server `make test` started."""
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        pytest.skip("no PostgreSQL server: `make test` starts one and sets TEST_POSTGRES_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"crmgate_{re.sub(r'[^a-z0-9]', '', worker)}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def redis_url() -> str:
    """An empty Redis database of its own for this test worker on the server `make test` started."""
    base = os.environ.get("TEST_REDIS_URL")
    if not base:
        pytest.skip("no Redis server: `make test` starts one and sets TEST_REDIS_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    number = int(worker.removeprefix("gw")) + 1 if worker.startswith("gw") else 0  # Redis has 16 databases
    url = f"{base.rstrip('/')}/{number % 16}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "crmgate.sqlite3"
        shutil.copy(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = make_engine(url)
    with engine.begin() as connection:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))
    engine.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "TESTING": True})
    yield app
    app.extensions["db_engine"].dispose()


OWNER = ("owner@example.com", "owner-password-1")


@dataclass(frozen=True)
class Member:
    email: str
    password: str
    workspace_id: uuid.UUID


def add_workspace(app: Flask, name: str, email: str, password: str) -> Member:
    """A workspace and its owner, made through the service a first run uses."""
    with app.app_context():
        workspace, _user = accounts.create_workspace(session(), name, email, email.split("@")[0], password)
        return Member(email, password, workspace.id)


def add_member(app: Flask, owner: Member, email: str, role: str, password: str | None = None) -> Member:
    """A member who joined `owner`'s workspace through an invitation, as in real life."""
    password = password or f"{role}-password-1"
    with app.app_context():
        workspace = session().get(Workspace, owner.workspace_id)
        actor = Actor("user", None, owner.email)
        token = accounts.invite_member(session(), workspace, email, MemberRole(role), actor)
        accounts.accept_invitation(session(), accounts.open_invitation(session(), token), role.title(), password)
    return Member(email, password, owner.workspace_id)


def sign_in(client: FlaskClient, member: Member) -> FlaskClient:
    response = client.post(
        "/login",
        data={"email": member.email, "password": member.password, "csrf_token": csrf_token(client, "/login")},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def owner(app: Flask) -> Member:
    return add_workspace(app, "Acme consultancy", *OWNER)


@pytest.fixture
def client(app: Flask, owner: Member) -> FlaskClient:
    """A browser signed in as the workspace's owner."""
    return sign_in(app.test_client(), owner)


def csrf_token(client: FlaskClient, url: str = "/") -> str:
    """The CSRF token a page carries, as a browser would find it."""
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def count_simulations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every simulation the engine runs from now on (the appraisal's, and the path's chances of a
    positive return), by its draws."""
    from assessment.engine import appraisal, path

    ran: list[int] = []

    def counting(original: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            ran.append(args[2])
            return original(*args, **kwargs)

        return counted

    monkeypatch.setattr(appraisal, "simulate", counting(appraisal.simulate))
    monkeypatch.setattr(path, "chance_positive", counting(path.chance_positive))
    return ran


@pytest.fixture
def smtp() -> Iterator[tuple[int, list]]:
    """A real SMTP server on a free local port (aiosmtpd), keeping what it receives."""
    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()
