"""Over HTTPS, directly or behind a reverse proxy: forms from this site work, CSRF stays strict, and
the proxy's X-Forwarded-* headers count only when CRMGATE_TRUSTED_PROXIES says to trust them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.factory import create_app
from tests.conftest import OWNER, Member, add_workspace, csrf_token

PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "gate.example"}


def sign_in_over(client: FlaskClient, member: Member, **request: object) -> int:
    token = csrf_token(client, "/login")
    data = {"email": member.email, "password": member.password, "csrf_token": token}
    return client.post("/login", data=data, **request).status_code


@pytest.fixture
def proxied(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app behind one reverse proxy, as the environment says."""
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("CRMGATE_TRUSTED_PROXIES", "1")
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret"})
    yield app
    app.extensions["db_engine"].dispose()


def test_over_https_a_form_needs_a_referer_of_this_very_origin(app: Flask, owner: Member) -> None:
    client, https = app.test_client(), "https://localhost"
    for referer in (None, "https://evil.example/login", "http://localhost/login", "https://localhost:8443/login"):
        headers = {"Referer": referer} if referer else {}
        refused = client.post(
            "/login", data={"csrf_token": csrf_token(client, "/login")}, headers=headers, base_url=https
        )
        assert refused.status_code == 400, referer
        assert "did not come from this site" in refused.get_data(as_text=True)
    assert sign_in_over(client, owner, headers={"Referer": "https://localhost/login"}, base_url=https) == 302


def test_behind_a_trusted_proxy_https_the_host_and_the_client_address_come_from_its_headers(proxied: Flask) -> None:
    owner = add_workspace(proxied, "Acme consultancy", *OWNER)
    client = proxied.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the proxy
    assert client.post("/login", data={"csrf_token": csrf_token(client, "/login")}, headers=PROXY).status_code == 400
    assert sign_in_over(client, owner, headers=PROXY | {"Referer": "https://gate.example/login"}) == 302
    invited = client.post(
        "/workspace/members",
        data={"email": "new@example.com", "role": "viewer", "csrf_token": csrf_token(client, "/workspace/members")},
        headers=PROXY | {"Referer": "https://gate.example/workspace/members"},
    )
    page = client.get(invited.headers["Location"], headers=PROXY).get_data(as_text=True)
    assert re.search(r"https://gate\.example/join/[\w-]+", page)  # links handed out name the public address

    def failed_sign_ins(client_address: str) -> list[int]:
        return [
            client.post(
                "/login",
                data={"email": f"user{n}@example.com", "password": "x", "csrf_token": csrf_token(client, "/login")},
                headers={"X-Forwarded-For": client_address},
            ).status_code
            for n in range(31)
        ]

    assert failed_sign_ins("203.0.113.7") == [422] * 30 + [429]
    assert failed_sign_ins("198.51.100.8")[0] == 422  # another client behind the same proxy has its own count


def test_without_trusted_proxies_forwarded_headers_change_nothing(app: Flask, owner: Member) -> None:
    client = app.test_client()
    spoofed = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    assert sign_in_over(client, owner, headers=spoofed) == 302  # plain HTTP: no referer asked for
    assert client.get("/", headers=spoofed).status_code == 200
    codes = [
        client.post(
            "/login",
            data={"email": f"user{n}@example.com", "password": "x", "csrf_token": csrf_token(client, "/login")},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(31)
    ]
    assert codes == [422] * 30 + [429]  # a forged address does not escape the address's count
