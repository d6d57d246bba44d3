"""Signing in and out, the first run, joining a workspace, and password resets."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from assessment.services import accounts
from assessment.web.limits import limiter
from tests.conftest import Member, add_member, csrf_token, sign_in
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


def sign_in_to(app: Flask, owner: Member, query: str) -> TestResponse:
    """Sign in from `/login?<query>`, as a browser sent there by a link would."""
    limiter.reset()  # a limit on signing in has its own tests; here every attempt must reach the view
    client = app.test_client()
    token = csrf_token(client, "/login")
    return client.post(f"/login?{query}", data={"email": owner.email, "password": owner.password, "csrf_token": token})


def test_sign_in_returns_only_to_a_page_of_this_site(app: Flask, owner: Member) -> None:
    for target, landing in (
        ("/organisations/", "/organisations/"),
        ("/organisations/?page=2", "/organisations/?page=2"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/%09/evil.example", "/"),
        ("/%0A/evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("%2F%2Fevil.example", "/"),
        ("javascript:alert(1)", "/"),
    ):
        response = sign_in_to(app, owner, f"next={target}")
        assert response.status_code == 302 and response.headers["Location"] == landing, target


SLASHES = ("/", "//", "///", "/\\", "\\", "\\\\", "%2F", "%5C")
WHITESPACE = ("/\t/", "/\n/", "/\r/", "\x00", " ", "\t", "\n", "\x0b", "\x0c", "\x7f", "%09", "%0A")
UNICODE = ("\u00a0", "\u2028", "\u3000", "\uff0f", "\u2215", "\ufe68", "\uff3c")  # spaces, look-alike slashes
OFF_SITE = (
    "http:",
    "https:",
    "HTTPS:",
    "javascript:",
    "data:",
    "evil.example",
    "user@evil.example",
    "@",
    ":",
    "..",
    "?",
)
HOSTILE = st.sampled_from(SLASHES + WHITESPACE + UNICODE + OFF_SITE)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.lists(HOSTILE | st.text(max_size=3), max_size=6).map("".join))
def test_no_next_leads_off_the_site_or_breaks_sign_in(app: Flask, owner: Member, target: str) -> None:
    response = sign_in_to(app, owner, urlencode({"next": target}))
    assert response.status_code == 302
    location = response.headers["Location"]
    # What a browser does with the address: it drops tabs and newlines and reads a backslash as a slash.
    browser_reads = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    assert browser_reads.startswith("/") and not browser_reads.startswith("//"), location
    assert urlsplit(urljoin("https://gate.example/login", browser_reads)).netloc == "gate.example", location


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
    assert "every other session is signed out" in stranger.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/login")  # the old session is signed out
    sign_in(app.test_client(), Member(owner.email, "brand-new-password", owner.workspace_id))
    assert stranger.get(link).status_code == 404


@pytest.mark.parametrize("path", ["/logout", "/logout/everywhere"])
def test_signing_out_needs_a_post_with_a_token(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 405
    assert client.post(path).status_code == 400
    assert signed_in(client)
    assert post(client, path, {}, page="/").status_code == 302
    assert not signed_in(client)


def remembered(app: Flask, member: Member) -> FlaskClient:
    """A browser signed in with "keep me signed in"."""
    client = app.test_client()
    data = {"email": member.email, "password": member.password, "remember": "y"}
    assert post(client, "/login", data).status_code == 302
    return client


def copies(app: Flask, client: FlaskClient) -> list[FlaskClient]:
    """Two other browsers: one with a copy of the session cookie, one with only the remember-me cookie."""
    stolen = []
    for name in ("session", "remember_token"):
        thief = app.test_client()
        thief.set_cookie(name, client.get_cookie(name).value)
        stolen.append(thief)
    return stolen


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/")
    assert response.status_code == 200 or response.headers["Location"].startswith("/login")
    return response.status_code == 200


def test_copied_session_and_remember_me_cookies_are_refused_after_signing_out(app: Flask, owner: Member) -> None:
    client = remembered(app, owner)
    thieves = copies(app, client)
    assert all(signed_in(thief) for thief in thieves)  # the copies work while the session lives
    assert post(client, "/logout", {}, page="/").status_code == 302
    assert not any(signed_in(browser) for browser in (client, *thieves))


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app: Flask, owner: Member) -> None:
    client, laptop = remembered(app, owner), remembered(app, owner)
    thieves = copies(app, client)
    new = {"current": owner.password, "password": "a-brand-new-password", "confirm": "a-brand-new-password"}
    wrong = post(client, "/account", new | {"current": "not-my-password"})
    assert wrong.status_code == 422 and "That is not your current password." in wrong.get_data(as_text=True)
    assert signed_in(laptop)  # a refused change ends nothing
    response = post(client, "/account", new)
    assert response.status_code == 302
    assert "every other session is signed out" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert signed_in(client)
    assert not any(signed_in(browser) for browser in (laptop, *thieves))
    sign_in(app.test_client(), Member(owner.email, "a-brand-new-password", owner.workspace_id))


def test_signing_out_everywhere_ends_every_session_of_the_account_only(app: Flask, owner: Member) -> None:
    client, laptop = remembered(app, owner), remembered(app, owner)
    colleague = sign_in(app.test_client(), add_member(app, owner, "colleague@example.com", "analyst"))
    thieves = copies(app, laptop)
    assert "Sign out everywhere" in client.get("/account").get_data(as_text=True)
    response = post(client, "/logout/everywhere", {}, page="/account")
    assert response.headers["Location"] == "/login"
    assert not any(signed_in(browser) for browser in (client, laptop, *thieves))
    assert signed_in(colleague)


def test_a_session_ends_when_unused_for_the_idle_limit_and_a_kept_one_after_its_term(
    app: Flask, owner: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["SESSION_IDLE_MINUTES"] = 30
    browser, kept = sign_in(app.test_client(), owner), remembered(app, owner)
    start = accounts.now()

    def later(minutes: float) -> None:
        monkeypatch.setattr(accounts, "now", lambda: start + timedelta(minutes=minutes))

    later(29)
    assert signed_in(browser)  # used: its idle time starts again
    later(29 + 29)
    assert signed_in(browser)
    later(29 + 29 + 31)
    assert not signed_in(browser)
    assert signed_in(kept)  # "keep me signed in" outlasts the idle limit...
    later(14 * 24 * 60 + 1)
    assert not signed_in(kept)  # ...but not its term
