"""A team in headless Chromium: the owner invites, an analyst signs up and assesses, a viewer reads."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import open_area
from tests.browser.test_journey import question, sign_in

pytestmark = pytest.mark.browser


def invite(page: Page, base: str, email: str, role_label: str) -> str:
    page.goto(f"{base}/workspace/members")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Role", exact=True).select_option(label=role_label)
    page.get_by_role("button", name="Create the link").click()
    flash = page.locator(".flash-success").inner_text()
    return re.search(r"(http://\S+/join/[\w-]+)", flash).group(1)


def join(browser: Browser, link: str, name: str, password: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(link)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("New password").fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="Assessments")).to_be_visible()
    return page


def test_invite_sign_up_assess_and_read(browser: Browser, live_server: str) -> None:
    owner = browser.new_context().new_page()
    sign_in(owner, live_server)
    analyst_link = invite(owner, live_server, "analyst@acme.example", "Analyst: creates and runs assessments")
    viewer_link = invite(
        owner, live_server, "viewer@acme.example", "Steering viewer: reads reports and records decisions"
    )

    analyst = join(browser, analyst_link, "Ali", "analyst-password-1")
    analyst.get_by_role("link", name="New assessment").click()
    analyst.get_by_label("Organisation").fill("Kaveh Foods")
    analyst.get_by_label("Industry").fill("Food")
    analyst.get_by_label("Planned CRM product").fill("Zoho CRM")
    analyst.get_by_label("Number of CRM users").fill("25")
    analyst.get_by_label("Your name").fill("Ali")
    analyst.get_by_role("button", name="Create the assessment").click()
    analyst.get_by_role("link", name="Answer the questionnaires").click()
    open_area(analyst, analyst.get_by_role("link", name="Strategy").first)
    question(analyst, "Is there an executive sponsor").get_by_label("Yes", exact=True).check()
    expect(analyst.locator("[data-autosave-status]")).to_have_text("All changes saved.")

    viewer = join(browser, viewer_link, "Parisa", "viewer-password-1")
    expect(viewer.get_by_role("link", name="New assessment")).to_have_count(0)
    viewer.get_by_role("link", name="Kaveh Foods").click()
    viewer.get_by_role("link", name="Read the answers").click()
    expect(viewer.get_by_role("heading", name="Summary of your answers")).to_be_visible()
    expect(viewer.locator("dd").filter(has_text="Yes")).to_have_count(1)
    expect(viewer.locator(".area-nav a")).to_have_count(1)  # only the summary: areas are not for editing
    assert viewer.goto(viewer.url.replace("/summary", "/strategy")).status == 403
