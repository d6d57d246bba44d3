"""Rate limits: guessing at a password or a link is slowed down, answering is not."""

from __future__ import annotations

import threading

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Member, csrf_token


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
