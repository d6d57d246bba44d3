"""Health checks: `/healthz` says the process answers, `/readyz` that it can serve (database and schema)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from assessment.factory import create_app
from assessment.storage.migrate import upgrade
from tests.conftest import Member, sign_in


def _app(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "test-secret", "TESTING": True})


def test_a_migrated_database_is_alive_and_ready(app: Flask) -> None:
    client = app.test_client()
    alive = client.get("/healthz")
    assert (alive.status_code, alive.get_data(as_text=True)) == (200, "ok\n")
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json is not None
    assert ready.json["status"] == "ready" and ready.json["revision"]
    assert ready.headers["Cache-Control"] == "no-store"


def test_a_database_never_migrated_is_alive_but_not_ready(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path, monkeypatch)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json is not None
    assert response.json["status"] == "unavailable"
    assert "never migrated" in response.json["reason"] and "flask db upgrade" in response.json["reason"]
    app.extensions["db_engine"].dispose()


def test_a_database_behind_the_code_is_not_ready_and_says_which_revisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(f"sqlite:///{tmp_path / 'old.sqlite3'}", tmp_path, monkeypatch)
    engine = app.extensions["db_engine"]
    upgrade(engine, "0001")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.json is not None
    head = app.extensions["migration_heads"]
    assert f"the database is at 0001; this code expects {', '.join(head)}" in response.json["reason"]
    upgrade(engine)
    assert app.test_client().get("/readyz").status_code == 200
    engine.dispose()


def test_an_unreachable_database_is_not_ready_without_revealing_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = _app(f"postgresql+psycopg://nobody:secret@127.0.0.1:{port}/crmgate", tmp_path, monkeypatch)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json is not None
    assert response.json["reason"].startswith("the database is unreachable")
    assert str(port) not in response.json["reason"] and "secret" not in response.json["reason"]
    app.extensions["db_engine"].dispose()


def test_health_checks_are_never_rate_limited_and_set_no_cookie(app: Flask, owner: Member) -> None:
    client = sign_in(app.test_client(), owner)
    for _ in range(150):  # more than any limit the app sets per minute
        for url in ("/healthz", "/readyz"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Set-Cookie" not in response.headers
            assert not any(name.lower().startswith(("ratelimit", "x-ratelimit")) for name in response.headers.keys())


def test_a_readiness_check_holds_no_database_connection(app: Flask) -> None:
    """The pool is where it was: a load balancer polling every second must not exhaust it."""
    engine = app.extensions["db_engine"]
    client = app.test_client()
    for _ in range(20):
        assert client.get("/readyz").status_code == 200
    assert engine.pool.checkedout() == 0
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1


def test_an_unreachable_rate_limit_store_makes_the_app_not_ready(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "t", "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0"}
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.json is not None
    assert "rate-limit store" in response.json["reason"]
    app.extensions["db_engine"].dispose()
