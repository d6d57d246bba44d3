"""Errors: a page that says what happened to people, JSON with a message the page can show to programs."""

from __future__ import annotations

import math
import re

import pytest
from flask import Flask, jsonify
from flask.testing import FlaskClient

from tests.conftest import Member, csrf_token
from tests.web.helpers import create_assessment


def autosave(client: FlaskClient, survey: str, **headers: str):
    return client.post(f"{survey}/goals/autosave", data={"_q": "goals_dated", "a-goals_dated": "yes"}, headers=headers)


def test_an_autosave_with_an_expired_session_is_told_so_in_json_and_the_page_shows_it(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = autosave(client, survey, **{"X-CSRFToken": "expired", "Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "Your session expired: reload the page; your other answers are saved."}


def test_an_autosave_too_large_is_refused_in_json(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = client.post(
        f"{survey}/goals/autosave",
        data={"_q": "goals_notes", "a-goals_notes": "x" * 10_000_000},
        headers={"X-CSRFToken": csrf_token(client, f"{survey}/goals"), "Accept": "application/json"},
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "What you sent is too large"}


def test_an_autosave_to_an_area_that_does_not_exist_is_answered_in_json(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = client.post(f"{survey}/finance/autosave", headers={"X-CSRFToken": csrf_token(client, f"{survey}/goals")})
    assert response.status_code == 404 and response.get_json() == {"error": "Page not found"}


def test_an_autosave_sent_the_wrong_way_is_answered_in_json(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = client.get(f"{survey}/goals/autosave")
    assert response.status_code == 405 and response.get_json() == {"error": "This action is not allowed here"}


def test_a_missing_json_document_is_answered_in_json(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    response = client.get(f"{assessment}/decision.json")
    assert response.status_code == 404 and response.is_json


def too_many(client: FlaskClient, url: str, **headers: str):
    """Guess links until the limiter refuses (the limit may be tuned; it is never above a few hundred)."""
    for _ in range(500):
        response = client.get(url, headers=headers)
        if response.status_code == 429:
            return response
    pytest.fail("no rate limit on guessing links")


def test_the_too_many_requests_page_says_what_happened_and_when_to_try_again(app: Flask) -> None:
    response = too_many(app.test_client(), "/r/a-guessed-link/")
    page = response.get_data(as_text=True)
    assert "Too many requests" in page and "Something went wrong" not in page
    wait = re.search(r"Try again in (\d+ (?:second|minute|hour)s?)", page)
    assert wait, page
    assert int(response.headers["Retry-After"]) > 0


def test_signing_in_too_often_is_told_when_to_try_again_too(app: Flask, owner: Member) -> None:
    client = app.test_client()
    token = csrf_token(client, "/login")
    for _ in range(500):
        response = client.post("/login", data={"email": owner.email, "password": "guess", "csrf_token": token})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert re.search(r"Try again in \d+ (second|minute|hour)", response.get_data(as_text=True))
    assert int(response.headers["Retry-After"]) > 0


def test_a_program_told_to_slow_down_gets_json_with_the_seconds_to_wait(app: Flask) -> None:
    response = too_many(app.test_client(), "/r/a-guessed-link/", Accept="application/json")
    body = response.get_json()
    assert body["retry_after"] > 0 and "Try again in" in body["error"]


def test_a_json_document_refuses_nan_and_infinity_rather_than_write_what_is_not_json(app: Flask) -> None:
    with app.test_request_context():
        for number in (math.nan, math.inf, -math.inf):
            with pytest.raises(ValueError, match="not JSON compliant"):
                jsonify(figure=number)
