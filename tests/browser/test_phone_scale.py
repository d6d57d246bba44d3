"""The survey on a phone and on a desktop, in English and Persian: the agreement scale reads as one
scale, nothing scrolls sideways, and question numbers follow the questions shown."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_journey import create_assessment

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
AGREEMENT = "crm_strategy_written"
"""An agreement question the strategy page always shows."""


@pytest.fixture
def strategy(browser: Browser, live_server: str) -> Iterator[tuple[str, dict]]:
    """The strategy page of a new assessment, and a signed-in browser's cookies to open it with."""
    context = browser.new_context()
    overview = create_assessment(context.new_page(), live_server)
    yield f"{overview}/answers/strategy", context.storage_state()
    context.close()


def open_page(browser: Browser, url: str, state: dict, width: int, language: str) -> Page:
    context = browser.new_context(
        storage_state=state, viewport={"width": width, "height": 844}, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    if folder := os.environ.get("CRMGATE_SCREENSHOTS"):
        page.screenshot(path=str(Path(folder) / f"survey-{language}-{width}.png"), full_page=True)
    return page


def scale_points(page: Page) -> list[dict]:
    """The boxes of the agreement question's options, in the page's order."""
    return page.locator(f'[data-question="{AGREEMENT}"] .option').evaluate_all(
        "options => options.map(option => option.getBoundingClientRect().toJSON())"
    )


def reads_as_one_scale(boxes: list[dict]) -> bool:
    """Five points on one row, or one column read from top to bottom."""
    one_row = len({round(b["y"]) for b in boxes}) == 1
    tops = [b["y"] for b in boxes]
    one_column = len({round(b["x"]) for b in boxes}) == 1 and tops == sorted(tops) and len(set(tops)) == len(tops)
    return one_row or one_column


@pytest.mark.parametrize("language", ["en", "fa"])
def test_on_a_phone_the_agreement_scale_reads_as_one_scale_and_nothing_scrolls_sideways(
    browser: Browser, strategy: tuple[str, dict], language: str
) -> None:
    url, state = strategy
    page = open_page(browser, url, state, PHONE, language)
    boxes = scale_points(page)
    assert len(boxes) == 5 and reads_as_one_scale(boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.context.close()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_on_a_desktop_the_agreement_scale_is_one_row_starting_at_the_inline_start(
    browser: Browser, strategy: tuple[str, dict], language: str
) -> None:
    url, state = strategy
    page = open_page(browser, url, state, DESKTOP, language)
    boxes = scale_points(page)
    assert len(boxes) == 5 and len({round(b["y"]) for b in boxes}) == 1
    starts = [b["x"] for b in boxes]
    assert starts == sorted(starts, reverse=language == "fa")  # strongly disagree first, on the right in Persian
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP
    page.context.close()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_numbers_follow_the_questions_shown_as_a_follow_up_appears_and_goes(
    browser: Browser, strategy: tuple[str, dict], language: str
) -> None:
    url, state = strategy
    page = open_page(browser, url, state, DESKTOP, language)
    numbers = page.locator(".question:visible [data-question-number]")
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹" if language == "fa" else "0123456789")

    def in_order(count: int) -> list[str]:
        return [f"{n}.".translate(digits) for n in range(1, count + 1)]

    count = numbers.count()
    assert numbers.all_inner_texts() == in_order(count)
    sponsor = page.locator('[data-question="executive_sponsor"]')
    sponsor.locator('input[value="yes"]').check()
    expect(numbers).to_have_count(count + 2)
    assert numbers.all_inner_texts() == in_order(count + 2)
    sponsor.locator('input[value="no"]').check()
    expect(numbers).to_have_count(count)
    assert numbers.all_inner_texts() == in_order(count)
    page.context.close()
