"""Two tabs on one area, and a session that expires: nothing is overwritten unseen, and the page says why
nothing was saved, with JavaScript (autosave) and without (the full page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.test_journey import create_assessment, question

pytestmark = pytest.mark.browser
DATED = "Is there a date by which the first goals should be met"


def two_tabs(context: BrowserContext, base: str) -> tuple[Page, Page]:
    """The goals page open in two tabs of one browser, the second opened before the first saves."""
    first = context.new_page()
    goals = create_assessment(first, base) + "/answers/goals"
    first.goto(goals)
    second = context.new_page()
    second.goto(goals)
    return first, second


def test_a_tab_changing_an_answer_another_tab_saved_since_is_shown_both_and_chooses(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context()
    first, second = two_tabs(context, live_server)
    question(first, DATED).get_by_label("Yes", exact=True).check()
    expect(first.locator("[data-autosave-status]")).to_have_text("All changes saved.")

    question(second, DATED).get_by_label("No", exact=True).check()
    conflict = question(second, DATED).locator("[data-conflict-for]")
    expect(conflict).to_contain_text("Keep yours: No")
    expect(conflict).to_contain_text("Keep the one saved elsewhere: Yes")
    expect(second.locator("[data-autosave-status]")).to_contain_text("this answer was changed elsewhere")

    conflict.get_by_label("Keep the one saved elsewhere").click()
    expect(conflict).to_have_count(0)
    expect(question(second, DATED).get_by_label("Yes", exact=True)).to_be_checked()
    expect(second.locator("[data-autosave-status]")).to_have_text("All changes saved.")

    # Now based on the newer answer, this tab changes it again without any conflict.
    question(second, DATED).get_by_label("No", exact=True).check()
    expect(second.locator("[data-autosave-status]")).to_have_text("All changes saved.")
    first.reload()
    expect(question(first, DATED).get_by_label("No", exact=True)).to_be_checked()
    context.close()


def test_without_javascript_a_stale_page_shows_both_answers_and_saves_the_one_chosen(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    first, second = two_tabs(context, live_server)
    question(first, DATED).get_by_label("Yes", exact=True).check()
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.locator(".flash-success")).to_have_text("Your answers are saved.")

    question(second, DATED).get_by_label("No", exact=True).check()
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.locator(".error-summary")).to_contain_text("some answers were changed elsewhere")
    conflict = question(second, DATED).locator("[data-conflict-for]")
    expect(conflict).to_contain_text("Keep yours: No")
    expect(conflict).to_contain_text("Keep the one saved elsewhere: Yes")

    conflict.get_by_label("Keep yours").check()
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.locator(".flash-success")).to_have_text("Your answers are saved.")
    first.reload()
    expect(question(first, DATED).get_by_label("No", exact=True)).to_be_checked()
    context.close()


def test_an_autosave_after_the_session_expired_says_so_rather_than_blame_the_connection(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(create_assessment(page, live_server) + "/answers/goals")
    context.clear_cookies()
    question(page, DATED).get_by_label("Yes", exact=True).check()
    expect(page.locator("[data-autosave-status]")).to_have_text(
        "Your session expired: reload the page; your other answers are saved."
    )
    context.close()
