"""Configuration: the secret key, cookies that are HTTP-only, same-site and, in production, secure, and counts
read from the environment or refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from assessment.config import ConfigError
from assessment.factory import create_app
from tests.conftest import Member, csrf_token


def test_session_and_remember_cookies_are_http_only_and_same_site(app: Flask, owner: Member) -> None:
    client = app.test_client()
    client.post(
        "/login",
        data={
            "email": owner.email,
            "password": owner.password,
            "remember": "y",
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        assert cookie.http_only and cookie.same_site == "Lax", name
        assert not cookie.secure, name  # plain HTTP on the embedded default


def test_production_demands_a_secret_key_and_serves_secure_cookies_and_hsts(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMGATE_ENV", "production")
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        create_app({"DATABASE_URL": database_url})
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    app = create_app({"DATABASE_URL": database_url})
    try:
        response = app.test_client().get("/healthz")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    finally:
        app.extensions["db_engine"].dispose()


def test_the_embedded_default_generates_and_keeps_its_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    keys = []
    for _ in range(2):
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
        keys.append(app.config["SECRET_KEY"])
        app.extensions["db_engine"].dispose()
    assert keys[0] == keys[1] and len(keys[0]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CRMGATE_TRUSTED_PROXIES", "-1"),
        ("CRMGATE_TRUSTED_PROXIES", "one"),
        ("CRMGATE_SESSION_IDLE_MINUTES", "0"),
        ("CRMGATE_SESSION_IDLE_MINUTES", "1.5"),
    ],
)
def test_a_count_that_is_not_a_whole_number_in_range_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path))
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=f"{variable} must be a whole number of at least"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x"})


def test_trusted_proxies_and_the_idle_limit_are_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path))
    monkeypatch.setenv("CRMGATE_TRUSTED_PROXIES", "2")
    monkeypatch.setenv("CRMGATE_SESSION_IDLE_MINUTES", "45")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x"})
    assert app.config["TRUSTED_PROXIES"] == 2 and app.config["SESSION_IDLE_MINUTES"] == 45
    app.extensions["db_engine"].dispose()
