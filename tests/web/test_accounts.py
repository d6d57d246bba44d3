"""Signing in, the first run, joining, roles, password resets, rate limits and cookies."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from assessment.config import ConfigError
from assessment.factory import create_app
from assessment.storage.database import session
from assessment.storage.models import User
from tests.conftest import Member, add_member, add_workspace, csrf_token, sign_in


def post(client: FlaskClient, url: str, data: dict[str, str], page: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, data=data | {"csrf_token": csrf_token(client, page or url)})


def test_the_first_visit_sets_up_a_workspace_and_its_owner_then_set_up_closes(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/").headers["Location"] == "/setup"
    assert client.get("/login").headers["Location"] == "/setup"
    response = post(
        client,
        "/setup",
        {
            "workspace": "Pars Consulting",
            "name": "Sara",
            "email": "Sara@Pars.example",
            "password": "long-password-1",
            "confirm": "long-password-1",
        },
    )
    assert response.status_code == 302
    assert "Pars Consulting" in client.get("/").get_data(as_text=True)
    assert app.test_client().get("/setup").status_code == 404
    sign_in(app.test_client(), Member("sara@pars.example", "long-password-1", None))  # e-mail is case-insensitive


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(app: Flask, owner: Member) -> None:
    pages = []
    for email in (owner.email, "nobody@example.com"):
        client = app.test_client()
        response = post(client, "/login", {"email": email, "password": "wrong-password"})
        assert response.status_code == 422
        pages.append(
            re.sub(r'(csrf[-_]token"[^>]*(content|value)=")[^"]+', r"\1", response.get_data(as_text=True)).replace(
                email, "EMAIL"
            )
        )
    assert "That e-mail and password do not match an account." in pages[0]
    assert pages[0] == pages[1]


def test_sign_in_returns_only_to_a_page_of_this_site(app: Flask, owner: Member) -> None:
    for target, landing in (
        ("/organisations/", "/organisations/"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ):
        client = app.test_client()
        response = client.post(
            f"/login?next={target}",
            data={"email": owner.email, "password": owner.password, "csrf_token": csrf_token(client, "/login")},
        )
        assert response.headers["Location"] == landing


def test_signing_in_too_often_is_slowed_down(app: Flask, owner: Member) -> None:
    client = app.test_client()
    token = csrf_token(client, "/login")
    codes = [
        client.post("/login", data={"email": owner.email, "password": "guess", "csrf_token": token}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [422] * 10
    assert codes[10] == 429


def test_guessing_respondent_links_is_slowed_down_but_answering_is_not(app: Flask, client: FlaskClient) -> None:
    for _ in range(60):
        assert client.get("/r/guessed-token-that-does-not-exist/").status_code == 404
    assert client.get("/r/another-guess/").status_code == 429


def test_an_invited_member_joins_with_the_role_given_and_the_link_is_spent(app: Flask, client: FlaskClient) -> None:
    response = post(client, "/workspace/members", {"email": "Omid@Acme.example", "role": "viewer"})
    flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r"http://localhost(/join/[\w-]+)", flashed).group(1)
    newcomer = app.test_client()
    assert "as Steering viewer" in newcomer.get(link).get_data(as_text=True)
    joined = post(newcomer, link, {"name": "Omid", "password": "omid-password-1", "confirm": "omid-password-1"})
    assert joined.status_code == 302
    assert "Acme consultancy" in newcomer.get("/").get_data(as_text=True)
    assert newcomer.get("/assessments/new").status_code == 403  # a viewer creates nothing
    assert app.test_client().get(link).status_code == 404
    members = client.get("/workspace/members").get_data(as_text=True)
    assert "omid@acme.example" in members


def test_the_last_owner_cannot_be_demoted_or_removed(app: Flask, client: FlaskClient, owner: Member) -> None:
    with app.app_context():
        owner_id = session().query(User).filter_by(email=owner.email).one().id
    response = post(client, f"/workspace/members/{owner_id}/role", {"role": "viewer"}, page="/workspace/members")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A workspace needs at least one owner" in page
    post(client, f"/workspace/members/{owner_id}/remove", {}, page="/workspace/members")
    assert client.get("/workspace/members").status_code == 200


def test_a_member_of_two_workspaces_switches_between_them(app: Flask, client: FlaskClient, owner: Member) -> None:
    rival = add_workspace(app, "Second office", "boss@second.example", "boss-password-1")
    add_member(app, rival, owner.email, "analyst", owner.password)  # joins with the existing account
    assert "Acme consultancy" in client.get("/").get_data(as_text=True)
    post(client, f"/workspace/switch/{rival.workspace_id}", {}, page="/")
    page = client.get("/").get_data(as_text=True)
    assert "Second office" in page
    assert client.get("/workspace/members").status_code == 403  # an analyst there


def test_without_a_mail_server_a_reset_is_handed_to_the_administrator(app: Flask, owner: Member) -> None:
    client = app.test_client()
    for email in (owner.email, "nobody@example.com"):
        response = post(client, "/password/forgot", {"email": email})
        assert response.status_code == 302
        assert "flask users reset-link" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.fixture
def smtp() -> Iterator[tuple[int, list]]:
    """A real SMTP server on a free local port, keeping what it receives."""
    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def test_with_a_mail_server_a_reset_link_is_mailed_and_signs_out_other_sessions(
    app: Flask, client: FlaskClient, owner: Member, smtp: tuple[int, list]
) -> None:
    port, received = smtp
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    stranger = app.test_client()
    post(stranger, "/password/forgot", {"email": "nobody@example.com"})
    post(stranger, "/password/forgot", {"email": owner.email})
    assert len(received) == 1 and received[0].rcpt_tos == [owner.email]
    body = message_from_bytes(received[0].content).get_payload(decode=True).decode()
    link = re.search(r"http://localhost(/password/reset/[\w-]+)", body).group(1)
    response = post(stranger, link, {"password": "brand-new-password", "confirm": "brand-new-password"})
    assert response.status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")  # the old session is signed out
    sign_in(app.test_client(), Member(owner.email, "brand-new-password", owner.workspace_id))
    assert stranger.get(link).status_code == 404


def test_signing_out_needs_a_post_with_a_token(client: FlaskClient) -> None:
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert post(client, "/logout", {}, page="/").status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")


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


def test_a_threaded_login_storm_cannot_exceed_the_limit(app: Flask, owner: Member) -> None:
    client = app.test_client()
    token = csrf_token(client, "/login")
    codes: list[int] = []

    def attempt() -> None:
        codes.append(
            client.post("/login", data={"email": owner.email, "password": "x", "csrf_token": token}).status_code
        )

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes.count(422) == 10 and codes.count(429) == 10
