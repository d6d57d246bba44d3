"""Rate limits: guessing at a password or a link is slowed down, per account, per link and per address;
answering is not, and nobody is locked out by someone else's guessing."""

from __future__ import annotations

import re
import threading

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Member, add_member, csrf_token
from tests.web.helpers import create_assessment, invite, post


def attempt(client: FlaskClient, email: str, password: str, address: str = "127.0.0.1") -> int:
    token = csrf_token(client, "/login")
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}).status_code


def invitation(client: FlaskClient, email: str) -> str:
    """A member's invitation link, made by the owner through the members page."""
    response = post(client, "/workspace/members", {"email": email, "role": "viewer"})
    flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    return re.search(r"http://localhost(/join/[\w-]+)", flashed)[1]


def test_signing_in_too_often_is_slowed_down(app: Flask, owner: Member) -> None:
    client = app.test_client()
    codes = [attempt(client, owner.email, "guess") for _ in range(11)]
    assert codes[:10] == [422] * 10
    assert codes[10] == 429


def test_guessing_at_one_account_from_many_addresses_is_slowed_down(app: Flask, owner: Member) -> None:
    client = app.test_client()
    codes = [attempt(client, owner.email.upper(), "guess", f"198.51.100.{n}") for n in range(11)]
    assert codes == [422] * 10 + [429]


def test_guessing_at_one_account_locks_nobody_else_behind_the_same_address_out(app: Flask, owner: Member) -> None:
    colleague = add_member(app, owner, "colleague@example.com", "analyst")
    guesser = app.test_client()
    codes = [attempt(guesser, owner.email, f"guess-{n}") for n in range(60)]
    assert codes.count(422) == 10 and codes.count(429) == 50
    assert attempt(app.test_client(), colleague.email, colleague.password) == 302


def test_guessing_at_many_accounts_from_one_address_is_slowed_down_for_that_address(app: Flask, owner: Member) -> None:
    guesser = app.test_client()
    codes = [attempt(guesser, f"user{n}@example.com", "Spring2026!") for n in range(31)]
    assert codes == [422] * 30 + [429]
    assert attempt(app.test_client(), owner.email, owner.password, "203.0.113.9") == 302


def test_sign_ins_that_work_do_not_use_up_the_allowance_of_their_address(app: Flask, owner: Member) -> None:
    colleagues = [add_member(app, owner, f"colleague{n}@example.com", "viewer") for n in range(5)]
    assert [attempt(app.test_client(), c.email, c.password) for c in colleagues] == [302] * 5
    guesser = app.test_client()
    codes = [attempt(guesser, f"user{n}@example.com", "Spring2026!") for n in range(31)]
    assert codes == [422] * 30 + [429]


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


def test_guessing_links_is_slowed_down_but_an_open_link_still_opens(app: Flask, client: FlaskClient) -> None:
    link = invitation(client, "newcomer@example.com")
    guesser = app.test_client()
    for n in range(30):
        assert guesser.get(f"/join/guessed-{n}").status_code == 404
        assert guesser.get(f"/password/reset/guessed-{n}").status_code == 404
    refused = guesser.get("/join/one-guess-too-many")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert app.test_client().get(link).status_code == 200  # the invitee, behind the same address
    assert guesser.get("/join/guessed-0", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404


def test_one_link_opened_too_often_is_slowed_down_alone(app: Flask, client: FlaskClient) -> None:
    hammered, other = invitation(client, "one@example.com"), invitation(client, "two@example.com")
    visitor = app.test_client()
    codes = [visitor.get(hammered, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code for n in range(61)]
    assert codes == [200] * 60 + [429]
    assert visitor.get(other).status_code == 200


def test_guessing_respondent_links_is_slowed_down_but_answering_is_not(app: Flask, client: FlaskClient) -> None:
    link = invite(client, create_assessment(client), "Neda", "end_user")
    respondent, guesser = app.test_client(), app.test_client()
    for n in range(30):
        assert guesser.get(f"/r/guessed-token-{n}/").status_code == 404
        assert guesser.get(f"/r/guessed-token-{n}/goals").status_code == 404
    assert guesser.get("/r/another-guess/goals").status_code == 429
    # The respondent, behind the same address, opens and answers as ever.
    for value in ("agree", "strongly_agree", "neutral"):
        assert respondent.get(f"{link}/goals").status_code == 200
        token = csrf_token(respondent, f"{link}/goals")
        answer = {"_q": "goals_serve_users", "a-goals_serve_users": value, "csrf_token": token}
        saved = respondent.post(f"{link}/goals/autosave", data=answer)
        assert saved.status_code == 200 and saved.json["saved"]
