"""Every journey over real TLS in Chromium: signing in, saving a page, autosaving, a respondent's link
and the API, against a server with a certificate this test makes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_journey import create_assessment, question

pytestmark = pytest.mark.browser


def api_token(page: Page, base: str) -> str:
    page.goto(f"{base}/workspace/tokens")
    page.get_by_label("Name").fill("CRM sync")
    page.get_by_label("Acts as").select_option("analyst")
    page.get_by_role("button", name="Create").click()
    return page.locator("#new-token").input_value()


def respondent_link(page: Page, overview: str) -> str:
    page.goto(overview)
    page.get_by_label("Name").fill("Neda")
    page.get_by_label("Role").select_option("end_user")
    page.get_by_role("button", name="Invite").click()
    return page.locator("tr", has_text="Neda").locator("a.private-link").get_attribute("href").rstrip("/")


def journey(browser: Browser, base: str) -> Page:
    """Everything a lead, a respondent and an integration do, over HTTPS; the lead's last page is returned."""
    lead = browser.new_context(ignore_https_errors=True).new_page()
    overview = create_assessment(lead, base)  # signing in and a full-page form
    lead.goto(f"{overview}/answers/strategy")
    question(lead, "Is there an executive sponsor").get_by_label("Yes", exact=True).check()
    expect(lead.locator("[data-autosave-status]")).to_have_text("All changes saved.")
    lead.get_by_role("button", name="Save and continue").click()
    expect(lead.get_by_text("Your answers are saved.")).to_be_visible()

    link = respondent_link(lead, overview)
    assert link.startswith(f"{base}/r/")
    respondent = browser.new_context(ignore_https_errors=True).new_page()
    respondent.goto(f"{link}/goals")
    respondent_question = question(respondent, "The goals say what the people who will use the CRM")
    respondent_question.get_by_label("Agree", exact=True).check()
    expect(respondent.locator("[data-autosave-status]")).to_have_text("All changes saved.")
    respondent.get_by_role("button", name="Save and continue").click()
    expect(respondent.get_by_text("Your answers are saved.")).to_be_visible()
    respondent.goto(f"{link}/goals")
    expect(respondent_question.get_by_label("Agree", exact=True)).to_be_checked()
    respondent.context.close()

    token = api_token(lead, base)
    assessment_id = overview.rstrip("/").rsplit("/", 1)[1]
    api = f"/api/v1/assessments/{assessment_id}/answers"
    status = lead.evaluate(
        """async ([api, token]) => {
            const headers = {"Authorization": `Bearer ${token}`, "Content-Type": "application/json"};
            const patch = await fetch(`${api}/goals`, {method: "PATCH", headers, body: JSON.stringify({answers: {goals_dated: "yes"}})});
            const read = await fetch(api, {headers});
            return [patch.status, read.status, (await read.json()).answers.goals.goals_dated];
        }""",
        [api, token],
    )
    assert status == [200, 200, "yes"]
    lead.goto(overview)
    return lead


@pytest.mark.parametrize("live_server", ["https"], indirect=True)
def test_every_journey_works_over_https(browser: Browser, live_server: str) -> None:
    lead = journey(browser, live_server)
    expect(lead.locator("tbody tr").filter(has_text="Neda")).to_contain_text(re.compile(r"\b1 of \d+"))
    lead.context.close()
