"""A whole journey in Persian, in headless Chromium: every label it clicks is the Persian catalogue's,
and no page on the way shows an English word other than names."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from babel.support import Translations
from persiantools.jdatetime import JalaliDate
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.conftest import OWNER

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Translations.load(str(ROOT / "translations"), ["fa"])
NAMES = {"CRM", "Gate", "Didar", "Acme", "consultancy", "KPI", "CLV", "CAC", "API", "JSON", "CSV", "PDF", "IRR", "IT"}
NAMES |= {"Microsoft", "Dynamics", "Salesforce", "Zoho", "HubSpot", "Pars", "Vtiger", "On", "Premise", "owner"}
NAMES |= {"PNG", "JPEG", "XLSX"}
"""Product, format and source names, and the workspace's own name: the same in every language (the glossary
keeps "On-Premise" beside its Persian; "owner" is the signed-in user's name)."""
SOURCES = {"Forrester", "Gartner", "Prosci", "ADKAR", "Merkle", "PMI", "Pulse", "of", "the", "Profession", "EU"}
SOURCES |= {"McKinsey", "University", "Oxford", "SalesLoft", "Total", "Economic", "Impact", "TEI", "ROI", "MIRR"}
SOURCES |= {"TCO", "ERP", "Fit", "Gap", "docs", "MODEL", "md", "logit", "normal", "Harvard", "Business", "School"}
SOURCES |= {"README", "examples", "api", "Authorization", "Bearer", "token"}  # paths and the API's header
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def fa(message: str) -> str:
    """The Persian a reader sees for `message`, from the shipped catalogue."""
    translated = CATALOGUE.gettext(message)
    assert translated != message, f"no Persian for {message!r}"
    return translated


def english_words(page: Page) -> set[str]:
    """Latin words on the page beyond names, e-mail addresses and links: an untranslated text."""
    text = re.sub(r"\S+@\S+|https?://\S+", " ", page.locator("body").inner_text())
    words = {w for w in re.findall(r"[A-Za-z0-9]+", text) if not re.search(r"\d", w) and len(w) > 1}
    return words - NAMES - SOURCES  # a token with digits is a version or digest, not a word


def look(page: Page, name: str) -> None:
    """Every page of the journey is Persian and right to left; kept as a screenshot when asked for."""
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert not english_words(page), (page.url, sorted(english_words(page)))
    if folder := os.environ.get("CRMGATE_SCREENSHOTS"):
        page.screenshot(path=str(Path(folder) / f"fa-journey-{name}.png"), full_page=True)


def new_assessment(page: Page, base: str, seen: bool = False) -> None:
    """Sign in and create an assessment, every label read in Persian; `seen`: look at both pages."""
    page.goto(f"{base}/login")
    if seen:
        look(page, "sign-in")
    page.get_by_label(fa("E-mail")).fill(OWNER[0])
    page.get_by_label(fa("Password")).fill(OWNER[1])
    page.get_by_role("button", name=fa("Sign in")).click()
    expect(page.get_by_role("heading", name=fa("Assessments"))).to_be_visible()
    page.goto(f"{base}/assessments/new")
    if seen:
        look(page, "new-assessment")
    page.get_by_label(fa("Organisation")).fill("شرکت نوید")
    page.get_by_label(fa("Industry")).fill("پخش مویرگی")
    page.get_by_label(fa("Planned CRM product")).fill("Didar CRM")
    page.get_by_label(fa("Number of CRM users")).fill("۶۰")
    page.get_by_label(fa("Planned go-live")).fill("۱۴۰۶/۰۶/۱۰")
    page.get_by_label(fa("Your name")).fill("شیرین")
    page.get_by_role("button", name=fa("Create the assessment")).click()
    expect(page.get_by_role("heading", name="شرکت نوید")).to_be_visible()


def test_a_persian_speaker_goes_from_sign_in_to_the_pdf_without_meeting_english(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(locale="fa-IR", extra_http_headers={"Accept-Language": "fa-IR,fa;q=0.9"})
    page = context.new_page()
    new_assessment(page, live_server, seen=True)
    go_live = JalaliDate(1406, 6, 10)
    expect(page.locator("body")).to_contain_text(
        f"{go_live.day} {go_live.strftime('%B', locale='fa')} 1406".translate(PERSIAN_DIGITS)
    )
    overview = page.url
    look(page, "overview")

    page.goto(f"{overview}/answers/goals")
    goals = page.locator(".question").first
    goals.get_by_label(fa("Agree"), exact=True).check()
    expect(page.locator("[data-autosave-status]")).to_have_text(fa("All changes saved."))
    look(page, "goals")

    page.goto(f"{overview}/results")
    expect(page.get_by_role("heading", name=fa("Readiness and failure risk"))).to_be_visible()
    look(page, "results")

    page.goto(f"{overview}/estimates")
    page.fill("#c-implementation-likely", "۴۵۰۰۰۰۰۰۰۰")
    page.fill("#c-subscription-likely", "۲۰۰۰۰۰۰")
    page.fill("#b-marketing-saving_per_month-likely", "۳۰۰۰۰۰۰۰۰")
    page.fill("#currency", "IRR")
    look(page, "estimates")
    page.get_by_role("button", name=fa("Save and see the economics")).click()
    expect(page.get_by_role("heading", name=fa("Economics and decision"))).to_be_visible()
    expect(page.locator("body")).to_contain_text("ریال")
    look(page, "economics")

    page.goto(f"{overview}/report")
    page.get_by_label(fa("Decided by")).fill("کمیته راهبری")
    page.get_by_role("button", name=fa("Record the decision")).click()
    expect(page.locator(".verdict-committee")).to_be_visible()
    look(page, "report")

    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = ''; document.body.append(a); a.click(); }",
            f"{overview}/report.pdf",
        )
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf") and "شرکت" in download.suggested_filename
    pdf = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(pdf.pages) > 5
    context.close()


def test_every_other_page_a_persian_reader_opens_is_persian_too(browser: Browser, live_server: str) -> None:
    context = browser.new_context(locale="fa-IR", extra_http_headers={"Accept-Language": "fa"})
    page = context.new_page()
    new_assessment(page, live_server)
    overview = page.url
    page.get_by_label(fa("Name"), exact=True).fill("رضا کریمی")
    page.get_by_role("button", name=fa("Invite")).click()
    link = page.locator("a.private-link").first.get_attribute("href")
    pages = {
        "organisations": "/organisations",
        "members": "/workspace/members",
        "audit": "/workspace/audit",
        "tokens": "/workspace/tokens",
        "settings": "/workspace/settings",
        "account": "/account",
        "summary": overview.removeprefix(live_server) + "/answers/summary",
        "equal-weights": overview.removeprefix(live_server) + "/results?preset=equal",
        "not-found": "/assessments/00000000-0000-0000-0000-000000000000",
    }
    for name, path in pages.items():
        page.goto(live_server + path)
        look(page, name)
    respondent = context.browser.new_context(locale="fa-IR", extra_http_headers={"Accept-Language": "fa"}).new_page()
    respondent.goto(link)
    look(respondent, "respondent-start")
    respondent.get_by_role("link").filter(has_text="اهداف").first.click()
    look(respondent, "respondent-area")
    context.close()
