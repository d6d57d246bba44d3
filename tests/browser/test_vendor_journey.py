"""A vendor's journey in headless Chromium: the owner opens the public quick scan, a prospect sends one from a
browser without an account and sees their result, the vendor finds them in the pipeline at "Quick scan",
converts the scan into a full assessment, the prospect's team answers every question, the committee decides,
and the prospect rises through the pipeline to "Decided"."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser

PRIVACY = "Acme consultancy keeps your answers and contact details to offer you a full assessment. Write to privacy@acme.example to have them deleted."


def shoot(page: Page, name: str) -> None:
    if folder := os.environ.get("CRMGATE_SCREENSHOTS"):
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(folder) / f"vendor-{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def stage_in_pipeline(page: Page, base: str, organisation: str) -> str:
    page.goto(f"{base}/pipeline?q={organisation}")
    row = page.locator("tbody tr").filter(has_text=organisation)
    expect(row).to_have_count(1)
    return row.locator(".stage").inner_text()


def answer_every_question(page: Page) -> None:
    """On an area's page: an answer to every question shown (the first option offered, a number, a note),
    as a person's clicks would give it, again for the follow-ups the answers reveal."""
    for _pass in range(3):
        page.evaluate(
            """() => {
              const give = (input, value) => {
                if (value === undefined) input.checked = true; else input.value = value;
                input.dispatchEvent(new Event('change', {bubbles: true}));
              };
              for (const question of document.querySelectorAll('.question:not([hidden])')) {
                if (question.querySelector('input:checked')) continue;
                const choice = question.querySelector('input[type=radio], input[type=checkbox]');
                const number = question.querySelector('input[inputmode]');
                const text = question.querySelector('textarea');
                if (choice) give(choice);
                else if (number && !number.value) give(number, '6');
                else if (text && !text.value) give(text, 'Agreed with the sponsor.');
              }
            }"""
        )


def test_a_prospect_goes_from_the_public_quick_scan_to_a_decided_full_assessment(
    browser: Browser, live_server: str
) -> None:
    vendor = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(vendor, live_server)
    vendor.get_by_role("link", name="Quick scan").click()
    vendor.get_by_label("Privacy text").fill(PRIVACY)
    vendor.get_by_label("Open: anyone with the link can send a quick scan").check()
    vendor.get_by_role("button", name="Save").click()
    expect(vendor.locator(".flash")).to_contain_text("The quick scan is open.")
    link = re.search(r"http://127\.0\.0\.1:\d+/scan/[\w-]+", vendor.locator("body").inner_text()).group(0)

    prospect = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    prospect.goto(link)
    expect(prospect.get_by_role("heading", name="How ready are you for a CRM project?")).to_be_visible()
    prospect.get_by_label("Company name").fill("Navid Logistics")
    prospect.get_by_label("Industry").fill("Logistics")
    for question in prospect.locator(".question").all():
        question.locator("input[type=radio], input[type=checkbox]").first.check()
    prospect.get_by_label("Your name").fill("Shirin Navidi")
    prospect.get_by_label("E-mail").fill("shirin@navid.example")
    expect(prospect.locator("#privacy-text")).to_contain_text("Write to privacy@acme.example")
    prospect.get_by_label("I agree to the privacy text above.").check()
    time.sleep(3)  # the form refuses what is sent sooner than a person could
    shoot(prospect, "quick-scan")
    prospect.get_by_role("button", name="Send and see my result").click()
    expect(prospect.get_by_role("heading", name="Your CRM readiness at a glance")).to_be_visible()
    expect(prospect.get_by_role("heading", name="Your biggest risks, and what to do")).to_be_visible()
    expect(prospect.locator("body")).to_contain_text("Next: a full assessment with Acme consultancy")
    shoot(prospect, "result")

    assert stage_in_pipeline(vendor, live_server, "Navid Logistics") == "Quick scan"
    shoot(vendor, "pipeline-quick-scan")
    vendor.get_by_role("link", name="Navid Logistics").click()
    expect(vendor.locator("#prospect")).to_contain_text("shirin@navid.example")
    vendor.get_by_role("link", name="Convert into a full assessment").click()
    vendor.get_by_label("Planned CRM product").fill("Didar CRM")
    vendor.get_by_label("Number of CRM users").fill("60")
    vendor.get_by_role("button", name="Convert into a full assessment").click()
    expect(vendor.locator(".flash")).to_contain_text("This is a full assessment now")
    overview = vendor.url
    assert stage_in_pipeline(vendor, live_server, "Navid Logistics") == "Collecting answers"

    vendor.goto(f"{overview}/answers/goals")
    for _area in range(5):
        answer_every_question(vendor)
        vendor.locator("button[name=go][value=next]").click()
    vendor.goto(overview)
    expect(vendor.locator("#qualification-heading")).to_be_visible()
    assert stage_in_pipeline(vendor, live_server, "Navid Logistics") == "Scored"
    shoot(vendor, "pipeline-scored")

    vendor.goto(f"{overview}/estimates")
    vendor.fill("#c-implementation-likely", "90000")
    vendor.fill("#c-subscription-likely", "65")
    vendor.fill("#b-marketing-saving_per_month-likely", "12000")
    vendor.get_by_role("button", name="Save and see the economics").click()
    expect(vendor.get_by_role("heading", name="Economics and decision")).to_be_visible()
    row = vendor.locator("tbody tr").filter(has_text="Navid Logistics")
    assert stage_in_pipeline(vendor, live_server, "Navid Logistics") == "Scored"
    expect(row.locator(".decision")).to_have_text(re.compile("^(Go|Conditional go|No-go)$"))
    expect(row).to_contain_text("$")  # the deal, from the licences in the estimates

    vendor.goto(f"{overview}/report")
    vendor.get_by_label("Decided by").fill("Steering committee")
    vendor.get_by_role("button", name="Record the decision").click()
    expect(vendor.locator(".verdict-committee")).to_be_visible()
    assert stage_in_pipeline(vendor, live_server, "Navid Logistics") == "Decided"
    expect(row.locator(".committee")).to_have_text(re.compile("^Decided: (Go|Conditional go|No-go)$"))
    shoot(vendor, "pipeline-decided")
