"""Signing in and out, the first run, joining a workspace, and password resets."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Member, csrf_token, sign_in
from tests.web.helpers import post


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
