"""Real journeys in headless Chromium: with JavaScript (autosave, show-if) and without."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import open_area
from tests.conftest import OWNER

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, email: str = OWNER[0], password: str = OWNER[1]) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Assessments")).to_be_visible()


def create_assessment(page: Page, base: str) -> str:
    sign_in(page, base)
    page.goto(f"{base}/assessments/new")
    page.get_by_label("Organisation").fill("Navid Logistics")
    page.get_by_label("Industry").fill("Logistics")
    page.get_by_label("Planned CRM product").fill("Didar CRM")
    page.get_by_label("Number of CRM users").fill("60")
    page.get_by_label("Your name").fill("Shirin")
    page.get_by_role("button", name="Create the assessment").click()
    expect(page.get_by_role("heading", name="Navid Logistics")).to_be_visible()
    return page.url


def question(page: Page, text: str):
    return page.locator(".question").filter(has_text=text)


def test_answers_autosave_as_they_are_given_and_are_there_after_a_reload(browser: Browser, live_server: str) -> None:
    page = browser.new_page()
    overview = create_assessment(page, live_server)
    page.get_by_role("link", name="Answer the questionnaires").click()
    open_area(page, page.get_by_role("link", name="Goals").first)

    sponsor_goals = question(page, "The project has written business goals")
    sponsor_goals.get_by_label("Agree", exact=True).check()
    expect(page.locator("[data-autosave-status]")).to_have_text("All changes saved.")

    kpis = question(page, "Which of these KPIs will be tracked every month?")
    expect(kpis).to_be_hidden()
    question(page, "How will reaching the goals be measured?").get_by_label(
        "KPIs are named, but without targets or a baseline"
    ).check()
    expect(kpis).to_be_visible()  # shown at once, without a round trip
    kpis.get_by_label("Customer retention rate").check()
    expect(page.locator("[data-autosave-status]")).to_have_text("All changes saved.")
    expect(page.locator('[data-progress-area="goals"]')).to_have_text("25%")  # 3 of 12

    page.reload()
    expect(sponsor_goals.get_by_label("Agree", exact=True)).to_be_checked()
    expect(kpis.get_by_label("Customer retention rate")).to_be_checked()

    page.goto(overview)
    expect(page.locator("tbody tr").first).to_contain_text("3 of ")
    page.close()


def test_an_invalid_number_is_flagged_at_its_question_while_typing_moves_on(browser: Browser, live_server: str) -> None:
    page = browser.new_page()
    create_assessment(page, live_server)
    page.goto(page.url + "/answers/scope")
    months = page.get_by_label("How many months from kick-off to the last go-live?")
    months.fill("500")
    months.press("Tab")
    expect(question(page, "How many months")).to_contain_text("Enter a number of at most 120.")
    expect(page.locator("[data-autosave-status]")).to_have_text("Not saved: see the message at the question.")
    months.fill("18")
    months.press("Tab")
    expect(page.locator("[data-autosave-status]")).to_have_text("All changes saved.")
    expect(question(page, "How many months")).not_to_contain_text("Enter a number")
    page.close()


def test_the_walk_through_works_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    create_assessment(page, live_server)
    page.goto(page.url + "/answers/strategy")
    question(page, "Is there an executive sponsor").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Scope")).to_be_visible()
    page.get_by_role("link", name="Strategy").first.click()
    expect(question(page, "Is there an executive sponsor").get_by_label("No", exact=True)).to_be_checked()
    # The sponsor-dependent questions stay hidden after the server applied the rule.
    expect(question(page, "The sponsor is active and visible")).to_be_hidden()
    context.close()
