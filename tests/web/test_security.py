"""Security headers on every page, no inline script or style, and user text escaped wherever it is shown."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.web.helpers import create_assessment


def test_every_page_carries_the_security_headers(client: FlaskClient) -> None:
    survey = create_assessment(client)
    for url in ("/", "/assessments/new", survey.removesuffix("/answers"), f"{survey}/goals", "/missing"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"


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
