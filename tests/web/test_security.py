"""CSRF on every form, security headers, and pages that need no inline script."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.conftest import csrf_token, sign_in
from tests.web.helpers import DETAILS, checked, create_assessment
from tests.web.test_access_matrix import ROUTES, build_world


def posts(survey: str) -> list[tuple[str, dict[str, str]]]:
    overview = survey.removesuffix("/answers")
    return [
        ("/assessments/new", dict(DETAILS)),
        (f"{overview}/respondents", {"name": "Eve", "role": "it"}),
        (f"{survey}/goals", {"_q": "goals_dated", "a-goals_dated": "yes"}),
        (f"{survey}/goals/autosave", {"_q": "goals_dated", "a-goals_dated": "yes"}),
    ]


@pytest.mark.parametrize("form", range(4), ids=["new-assessment", "invite", "save-area", "autosave"])
def test_every_form_refuses_a_post_without_its_csrf_token_and_changes_nothing(client: FlaskClient, form: int) -> None:
    survey = create_assessment(client)
    url, data = posts(survey)[form]
    for token in (None, "forged"):
        sent = data | ({"csrf_token": token} if token else {})
        response = client.post(url, data=sent, headers={"X-CSRFToken": token} if token else {})
        assert response.status_code == 400
        assert "did not come from this site" in response.get_data(as_text=True)
    index = client.get("/").get_data(as_text=True)
    assert index.count("Acme Trading") == 1
    assert "Eve" not in client.get(survey.removesuffix("/answers")).get_data(as_text=True)
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "goals_dated") == []


def test_a_valid_token_from_the_page_is_accepted(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = client.post(
        f"{survey}/goals",
        data={"_q": "goals_dated", "a-goals_dated": "yes", "csrf_token": csrf_token(client, f"{survey}/goals")},
    )
    assert response.status_code == 302


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


def test_the_session_cookie_is_http_only_and_same_site(client: FlaskClient) -> None:
    client.get("/assessments/new")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_user_text_is_escaped_everywhere_it_is_shown(client: FlaskClient) -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    survey = create_assessment(client, organisation_name=hostile, lead_name=hostile)
    for url in ("/", survey.removesuffix("/answers"), f"{survey}/goals", f"{survey}/summary"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


POST_ROUTES = [route for route in ROUTES if route.method == "POST"]


@pytest.mark.parametrize("route", POST_ROUTES, ids=[route.path for route in POST_ROUTES])
def test_every_member_form_refuses_a_post_without_its_token(app, route) -> None:  # type: ignore[no-untyped-def]
    world = build_world(app)
    owner = sign_in(app.test_client(), world.members["owner"])
    before = owner.get("/workspace/audit").get_data(as_text=True).count("<tr>")
    response = owner.post(route.path.format(**world.ids), data=dict(route.data))
    assert response.status_code == 400
    assert owner.get("/workspace/audit").get_data(as_text=True).count("<tr>") == before


@pytest.mark.parametrize("path", ["/login", "/password/forgot", "/logout"])
def test_every_account_form_refuses_a_post_without_its_token(client: FlaskClient, path: str) -> None:
    assert client.post(path, data={"email": "owner@example.com", "password": "x"}).status_code == 400
