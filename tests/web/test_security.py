"""Security headers on every page, no inline script or style, and user text escaped wherever it is shown."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.web.helpers import create_assessment, invite


def test_every_page_carries_the_security_headers(client: FlaskClient) -> None:
    survey = create_assessment(client)
    for url in ("/", "/assessments/new", survey.removesuffix("/answers"), f"{survey}/goals", "/missing"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_signed_in_and_respondent_pages_are_never_stored_but_static_files_may_be(
    app: Flask, client: FlaskClient
) -> None:
    survey = create_assessment(client)
    link = invite(client, survey, "Neda", "end_user")
    respondent = app.test_client()
    pages = [client.get(url) for url in ("/", survey.removesuffix("/answers"), f"{survey}/goals", "/account")]
    pages += [respondent.get(url) for url in (f"{link}/", f"{link}/goals")]
    for page in pages:
        assert page.status_code == 200, page.request.path
        assert page.headers["Cache-Control"] == "no-store", page.request.path
    static = client.get("/static/css/app.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


def test_no_response_names_the_server_software_or_its_version(app: Flask, client: FlaskClient) -> None:
    """The app adds no Server header: a WSGI server adds its own (gunicorn says only "gunicorn"),
    and one the app set would be sent beside it."""
    survey = create_assessment(client)
    responses = [client.get(url) for url in ("/", f"{survey}/goals", "/static/css/app.css", "/missing")]
    responses.append(client.post(f"{survey}/goals/autosave", data={"_q": "goals_dated"}))  # no CSRF token: 400
    responses.append(app.test_client().get("/api/v1/assessments"))
    for response in responses:
        assert "Server" not in response.headers and "X-Powered-By" not in response.headers
        for name, value in response.headers.items():
            assert not re.search(r"werkzeug|flask|python|gunicorn", value, re.I), (response.request.path, name)


def test_no_page_has_an_inline_script_or_style(client: FlaskClient) -> None:
    survey = create_assessment(client)
    for url in (
        "/",
        "/assessments/new",
        survey.removesuffix("/answers"),
        f"{survey}/",
        f"{survey}/goals",
        f"{survey}/summary",
    ):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert "<style" not in page and " style=" not in page and "onclick" not in page, url


def test_user_text_is_escaped_everywhere_it_is_shown(client: FlaskClient) -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    survey = create_assessment(client, organisation_name=hostile, lead_name=hostile)
    for url in ("/", survey.removesuffix("/answers"), f"{survey}/goals", f"{survey}/summary"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
