"""Running a survey in headless Chromium: five colleagues invited by e-mail through a real SMTP server,
two of them reminded, everyone's status on the overview, and every respondent ending on a thank-you page."""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from assessment.storage.database import session
from assessment.storage.models import Respondent, now
from tests.browser.conftest import open_area, serving
from tests.browser.test_journey import create_assessment

pytestmark = pytest.mark.browser

PEOPLE = [
    ("Parisa", "parisa@example.com", "sponsor"),
    ("Omid", "omid@example.com", "it"),
    ("Neda", "neda@example.com", "end_user"),
    ("Reza", "reza@example.com", "sales_service_lead"),
    ("Sara", "sara@example.com", "end_user"),
]


def wait_for_mail(received: list, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(received) < count:
        assert time.monotonic() < deadline, f"{len(received)} of {count} e-mails arrived"
        time.sleep(0.05)


def link_in(envelope: object) -> tuple[str, str]:
    """The recipient and the private link of an e-mail, read from its plain-text part."""
    message = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[attr-defined]
    text = message.get_body(preferencelist=("plain",)).get_content()
    return envelope.rcpt_tos[0], re.search(r"http://127\.0\.0\.1:\d+/r/[\w-]+/", text).group(0)  # type: ignore[attr-defined]


def shoot(page: Page, name: str) -> None:
    if folder := os.environ.get("CRMGATE_SCREENSHOTS"):
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(folder) / f"survey-{name}-{width}.png"), full_page=True)


def answer_and_finish(browser: Browser, link: str, name: str) -> None:
    """A respondent opens their link, answers the first question of their first area, and finishes."""
    page = browser.new_page()
    page.goto(link)
    open_area(page, page.get_by_role("link", name=re.compile("Start|Continue")))
    page.locator(".question").first.locator("input[type=radio]").first.check()
    expect(page.locator("[data-autosave-status]")).to_have_text("All changes saved.")
    page.goto(link + "summary")
    page.get_by_role("button", name="Submit my answers as finished").click()
    expect(page.get_by_role("heading", name=f"Thank you, {name}")).to_be_visible()
    if name == "Parisa":
        shoot(page, "thanks")
    page.close()


def test_a_project_manager_invites_five_by_email_reminds_two_and_everyone_ends_thanked(
    browser: Browser, live_app: Flask, smtp: tuple[int, list]
) -> None:
    port, received = smtp
    live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with serving(live_app) as base:
        page = browser.new_page()
        overview = create_assessment(page, base)
        for name, email, role in PEOPLE:
            page.get_by_label("Name", exact=True).fill(name)
            page.get_by_label("E-mail (optional)").fill(email)
            page.get_by_label("Role", exact=True).select_option(role)
            page.get_by_role("button", name="Invite").click()
            expect(page.locator(".flash-success")).to_contain_text(f"the invitation is on its way to {email}")
        wait_for_mail(received, 5)
        links = dict(link_in(e) for e in received)
        assert set(links) == {email for _name, email, _role in PEOPLE}

        for name, email, _role in PEOPLE[:3]:
            answer_and_finish(browser, links[email], name)
        page.goto(overview)
        expect(page.locator("tr", has_text="Parisa")).to_contain_text("finished")
        expect(page.locator("tr", has_text="Reza")).to_contain_text("not opened yet")

        with live_app.app_context():  # three days on: the invitations are old enough to remind about
            for respondent in session().query(Respondent).filter(Respondent.email.is_not(None)):
                respondent.emailed_at = now() - timedelta(days=3)
            session().commit()
        page.get_by_role("button", name="Remind those who have not finished").click()
        expect(page.locator(".flash-success")).to_contain_text("Reminders are on their way to 2 respondents.")
        wait_for_mail(received, 7)
        reminded = {e.rcpt_tos[0] for e in received[5:]}
        assert reminded == {"reza@example.com", "sara@example.com"}
        assert all(
            "Reminder from owner" in str(message_from_bytes(e.content, policy=policy.default)["Subject"])
            for e in received[5:]
        )
        page.reload()
        expect(page.locator("tr", has_text="Sara")).to_contain_text("reminded")
        shoot(page, "overview")

        for name, email, _role in PEOPLE[3:]:
            answer_and_finish(browser, links[email], name)
        page.goto(overview + "?sort=status")
        for name, _email, _role in PEOPLE:
            expect(page.locator("tr", has_text=name)).to_contain_text("finished")
        page.get_by_role("button", name="Remind those who have not finished").click()
        expect(page.locator(".flash-info")).to_contain_text("Nobody to remind")
        assert len(received) == 7
