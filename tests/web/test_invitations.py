"""Running a survey: invitations and reminders e-mailed through a real SMTP server, each respondent's
status, and a respondent's finish step."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import Message

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.storage.database import session
from assessment.storage.models import Respondent, now
from tests.conftest import csrf_token
from tests.web.helpers import answer, create_assessment


def wait_for(condition: Callable[[], object], seconds: float = 5) -> None:
    """E-mails leave in the background: wait for what they change."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def parts(envelope: object) -> tuple[Message, str, str]:
    """The message, its plain text and its HTML."""
    message = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[attr-defined]
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
    return message, text, html


def invite(client: FlaskClient, overview: str, name: str, email: str | None, language: str = "en") -> None:
    form = {
        "name": name,
        "role": "sales_service_lead",
        "language": language,
        "csrf_token": csrf_token(client, overview),
    }
    if email:
        form["email"] = email
    response = client.post(f"{overview}/respondents", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)


def respondent(app: Flask, email: str) -> Respondent:
    with app.app_context():
        found = session().query(Respondent).filter_by(email=email).one()
        session().expunge(found)
        return found


@pytest.fixture
def mailing(app: Flask, smtp: tuple[int, list]) -> list:
    port, received = smtp
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    return received


def test_an_invitation_is_mailed_in_the_respondents_language_with_link_inviter_purpose_and_closing_date(
    app: Flask, client: FlaskClient, mailing: list
) -> None:
    overview = create_assessment(client).removesuffix("/answers")
    invite(client, overview, "Parisa", "parisa@example.com")
    invite(client, overview, "رضا", "reza@example.com", language="fa")
    wait_for(lambda: len(mailing) == 2)
    by_address = {e.rcpt_tos[0]: parts(e) for e in mailing}

    message, text, html = by_address["parisa@example.com"]
    assert message["Subject"] == "owner asks for your view on the CRM project of Acme Trading"
    link = re.search(r"http://localhost/r/[\w-]+/", text).group(0)
    assert f'href="{link}"' in html
    assert "Acme Trading" in text and "as Sales or service lead" in text and "steering committee" in text
    closes = respondent(app, "parisa@example.com").expires_at
    assert closes.strftime("%b %-d, %Y") in text
    assert client.get(link.removeprefix("http://localhost")).status_code == 200

    message, text, html = by_address["reza@example.com"]
    assert message["Subject"] == "owner نظر شما را درباره پروژه CRM Acme Trading می‌خواهد"
    assert 'dir="rtl"' in html and "لینک اختصاصی" in text
    assert not re.search(r"\b(Hello|link|answers)\b", text)

    page = client.get(overview).get_data(as_text=True)
    assert page.count("sent ") >= 2  # the overview shows each e-mail as sent


def test_a_failed_send_is_shown_at_the_respondent_and_can_be_sent_again(
    app: Flask, client: FlaskClient, smtp: tuple[int, list]
) -> None:
    with socket.socket() as probe:  # a port where no mail server listens
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed)
    overview = create_assessment(client).removesuffix("/answers")
    start = time.monotonic()
    invite(client, overview, "Omid", "omid@example.com")
    assert time.monotonic() - start < 2  # the page never waits for the mail server
    wait_for(lambda: respondent(app, "omid@example.com").email_error)
    page = client.get(overview).get_data(as_text=True)
    assert "not sent:" in page and "Send the invitation again" in page

    port, received = smtp
    app.config.update(MAIL_PORT=port)
    omid = respondent(app, "omid@example.com")
    again = client.post(f"{overview}/respondents/{omid.id}/email", data={"csrf_token": csrf_token(client, overview)})
    assert again.status_code == 302
    wait_for(lambda: len(received) == 1)
    wait_for(lambda: respondent(app, "omid@example.com").emailed_at)
    assert respondent(app, "omid@example.com").email_error is None
    assert "not sent:" not in client.get(overview).get_data(as_text=True)


def test_reminders_go_to_those_who_have_not_finished_once_per_interval(
    app: Flask, client: FlaskClient, mailing: list
) -> None:
    overview = create_assessment(client).removesuffix("/answers")
    for name in ("Ana", "Ben", "Cyrus"):
        invite(client, overview, name, f"{name.lower()}@example.com")
    invite(client, overview, "Dara", None)  # no address: never reminded
    wait_for(lambda: len(mailing) == 3)
    link = re.search(r"http://localhost(/r/[\w-]+/)", parts(mailing[0])[1]).group(1)
    finished_by = mailing[0].rcpt_tos[0]
    token = csrf_token(client, f"{link}summary")
    assert client.post(f"{link}finish", data={"csrf_token": token}).status_code == 302

    remind = lambda: client.post(f"{overview}/remind", data={"csrf_token": csrf_token(client, overview)})  # noqa: E731
    remind()
    time.sleep(0.3)
    assert len(mailing) == 3  # invited a moment ago: within the interval, nobody is reminded yet
    with app.app_context():
        for person in session().query(Respondent).filter(Respondent.email.is_not(None)):
            person.emailed_at = now() - timedelta(days=4)
        session().commit()
    remind()
    wait_for(lambda: len(mailing) == 5)
    reminders = [parts(e) for e in mailing[3:]]
    assert {e.rcpt_tos[0] for e in mailing[3:]} == {"ana@example.com", "ben@example.com", "cyrus@example.com"} - {
        finished_by
    }
    assert all(m["Subject"].startswith("Reminder from owner") and "still waiting" in t for m, t, _h in reminders)
    remind()
    time.sleep(0.3)
    assert len(mailing) == 5  # pressed again: nobody twice within the interval
    assert "reminded" in client.get(overview).get_data(as_text=True)


def test_the_scheduled_command_reminds_with_the_same_rule(app: Flask, client: FlaskClient, mailing: list) -> None:
    overview = create_assessment(client).removesuffix("/answers")
    invite(client, overview, "Ana", "ana@example.com")
    wait_for(lambda: len(mailing) == 1)
    runner = app.test_cli_runner()
    assert (
        "0 reminder(s) sent"
        in runner.invoke(args=["respondents", "remind", "--base-url", "https://gate.example"]).output
    )
    with app.app_context():
        session().query(Respondent).filter_by(email="ana@example.com").one().emailed_at = now() - timedelta(days=5)
        session().commit()
    result = runner.invoke(args=["respondents", "remind"], env={"CRMGATE_BASE_URL": "https://gate.example"})
    assert result.exit_code == 0 and "1 reminder(s) sent" in result.output
    assert "https://gate.example/r/" in parts(mailing[1])[1]
    assert (
        "0 reminder(s) sent"
        in runner.invoke(args=["respondents", "remind", "--base-url", "https://gate.example"]).output
    )
    missing = runner.invoke(args=["respondents", "remind"], env={"CRMGATE_BASE_URL": ""})
    assert missing.exit_code != 0 and "base-url" in missing.output.lower()


def test_the_overview_shows_each_respondents_status_sorted_as_asked(
    app: Flask, client: FlaskClient, mailing: list
) -> None:
    overview = create_assessment(client).removesuffix("/answers")
    for name in ("Zara", "Yusuf", "Xerxes"):
        invite(client, overview, name, f"{name.lower()}@example.com")
    wait_for(lambda: len(mailing) == 3)
    links = {e.rcpt_tos[0]: re.search(r"http://localhost(/r/[\w-]+/)", parts(e)[1]).group(1) for e in mailing}
    client.get(links["yusuf@example.com"])  # opened, nothing answered
    answer(client, links["xerxes@example.com"] + "goals", {"business_goals_written": "agree"})
    client.post(links["xerxes@example.com"] + "finish", data={"csrf_token": csrf_token(client, overview)})

    def order(sort: str) -> list[str]:
        page = client.get(f"{overview}?sort={sort}").get_data(as_text=True)
        return re.findall(r'<th scope="row">(Zara|Yusuf|Xerxes)</th>', page)

    assert order("name") == ["Xerxes", "Yusuf", "Zara"]
    assert order("status") == ["Zara", "Yusuf", "Xerxes"]  # not opened, opened, finished
    page = client.get(overview).get_data(as_text=True)
    for status in ("not opened yet", "opened, nothing answered yet", "finished"):
        assert status in page
    assert 'data-copy="http://localhost/r/' in page and 'class="private-link"' in page  # copy, or read it plainly


def test_a_respondent_finishes_sees_what_is_unanswered_and_is_thanked(app: Flask, client: FlaskClient) -> None:
    overview = create_assessment(client).removesuffix("/answers")
    invite(client, overview, "Neda", "neda@example.com")
    link = "/r/" + respondent(app, "neda@example.com").token + "/"
    answer(client, link + "goals", {"business_goals_written": "agree"})
    summary = client.get(link + "summary").get_data(as_text=True)
    assert "questions are still unanswered" in summary and "Submit my answers as finished" in summary
    done = client.post(link + "finish", data={"csrf_token": csrf_token(client, link + "summary")})
    assert done.status_code == 302 and done.headers["Location"].endswith("/thanks")
    assert "Thank you, Neda" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert "You submitted your answers as finished" in client.get(link + "summary").get_data(as_text=True)
    assert ">finished<" in client.get(overview).get_data(as_text=True)
    neda = respondent(app, "neda@example.com")
    token = csrf_token(client, overview)
    assert client.post(f"{overview}/respondents/{neda.id}/reopen", data={"csrf_token": token}).status_code == 302
    assert respondent(app, "neda@example.com").finished_at is None
    assert (
        client.post(f"{overview}/answers/finish", data={"csrf_token": token}).status_code == 404
    )  # no such page for the lead
