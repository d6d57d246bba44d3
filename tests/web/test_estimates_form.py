"""The estimates form as a reader meets it: every mistake listed and marked at its own box,
figures read and shown back in the reader's locale, and the totals of what was saved."""

from __future__ import annotations

import re
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.services.assessments import find_assessment
from assessment.services.economics import scenario
from assessment.storage.database import session
from tests.conftest import csrf_token
from tests.web.helpers import create_assessment

FORM = {
    "scenario": "Cloud",
    "currency": "USD",
    "horizon_years": "3",
    "go_live_month": "0",
    "c-subscription-likely": "50",
    "c-implementation-likely": "60000",
    "b-marketing-saving_per_month-likely": "4000",
    "b-marketing-ramp": "0",
}
NOT_A_NUMBER = "Enter a number, for example 12 or 7.5."
UNCLEAR = "The marks in this number are unclear"


def post_estimates(client: FlaskClient, assessment: str, form: dict[str, str], **headers: str):
    token = csrf_token(client, f"{assessment}/estimates")
    return client.post(f"{assessment}/estimates", data=form | {"csrf_token": token}, headers=headers)


def stored(app: Flask, assessment: str, name: str = "Cloud") -> dict:
    with app.app_context():
        found = scenario(session(), find_assessment(session(), uuid.UUID(assessment.split("/")[-1])), name)
        assert found is not None
        return found.data


def amount(data: dict, line: str) -> object:
    return next(cost["amount"] for cost in data["costs"] if cost["id"] == line)


def box(page: str, name: str) -> str:
    """The input element of a box, as rendered."""
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def summary(page: str) -> list[tuple[str, str, str]]:
    """The error summary's entries: the cell each links to, that cell in words, and the message."""
    block = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    assert block, "no error summary"
    return re.findall(r'<li><a href="#([^"]+)">([^<]*)</a>: ([^<]*)</li>', block.group(0))


def test_a_typo_is_listed_above_the_form_with_a_link_to_its_box_and_only_that_box_is_marked(
    client: FlaskClient,
) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    form = FORM | {"c-training-low": "5000", "c-training-likely": "18O000", "c-training-high": "12000"}
    response = post_estimates(client, assessment, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert summary(page) == [("c-training-likely", "Training (Most likely)", NOT_A_NUMBER)]
    marked = box(page, "c-training-likely")
    assert 'aria-invalid="true"' in marked and 'aria-describedby="c-training-likely-error"' in marked
    assert re.search(r'<td class="has-error">\s*<p class="error" id="c-training-likely-error">', page)
    for point in ("low", "high"):
        assert "aria-invalid" not in box(page, f"c-training-{point}")
    assert page.count('class="has-error"') == 1
    assert "No cost and benefit estimates yet" in client.get(f"{assessment}/economics").get_data(as_text=True)


def test_every_bad_box_is_listed_in_the_page_order_with_its_line_and_box_in_words(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    form = FORM | {
        "scenario": "",
        "c-training-low": "a",
        "c-training-likely": "8000",
        "c-training-high": "b",
        "b-revenue-margin-likely": "130",
        "b-revenue-ramp": "soon",
    }
    page = post_estimates(client, assessment, form).get_data(as_text=True)
    assert [(target, where) for target, where, _message in summary(page)] == [
        ("scenario", "Scenario name"),
        ("c-training-low", "Training (Low)"),
        ("c-training-high", "Training (High)"),
        ("b-revenue-margin-likely", "Revenue uplift: gross margin (Most likely)"),
        ("b-revenue-ramp", "Revenue uplift: Months to full adoption"),
    ]
    for target, _where, _message in summary(page):
        assert f'id="{target}"' in page


@pytest.mark.parametrize(
    ("typed", "read"),
    [("8,500.00", 8500), ("8500.5", 8500.5), ("8,500", 8500), ("1,234,567.25", 1234567.25), (" 12 ", 12)],
)
def test_english_figures_are_read_with_english_marks(app: Flask, client: FlaskClient, typed: str, read: float) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    assert post_estimates(client, assessment, FORM | {"c-implementation-likely": typed}).status_code == 302
    assert amount(stored(app, assessment), "implementation") == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [("۸٬۵۰۰٫۵", 8500.5), ("٨٬٥٠٠٫٥", 8500.5), ("8500.5", 8500.5), ("۸۵۰۰", 8500), ("8,500.5", 8500.5)],
    ids=["persian-digits", "arabic-indic-digits", "plain", "persian-plain", "latin-marks"],
)
def test_persian_figures_are_read_with_persian_marks_and_digits(
    app: Flask, client: FlaskClient, typed: str, read: float
) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    response = post_estimates(
        client, assessment, FORM | {"c-implementation-likely": typed}, **{"Accept-Language": "fa"}
    )
    assert response.status_code == 302
    assert amount(stored(app, assessment), "implementation") == read


@pytest.mark.parametrize(
    ("typed", "language"), [("8.500,00", "en"), ("8,50", "en"), ("1,2,3", "en"), ("7,5", "fa"), ("8٬500.5", "fa")]
)
def test_a_number_whose_marks_do_not_fit_the_readers_locale_is_refused_as_unclear(
    client: FlaskClient, typed: str, language: str
) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    form = FORM | {"c-implementation-likely": typed}
    response = post_estimates(client, assessment, form, **{"Accept-Language": language})
    assert response.status_code == 422
    [(target, _where, message)] = summary(response.get_data(as_text=True))
    assert target == "c-implementation-likely"
    if language == "en":
        assert message == f"{UNCLEAR}: write it as 8,500.5, or with no thousands mark as 8500.5."


@pytest.mark.parametrize("typed", ["18O000", "inf", "nan", "1e400", "--5", ""])
def test_what_is_not_a_finite_number_is_refused(client: FlaskClient, typed: str) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    form = FORM | {"c-training-low": typed, "c-training-likely": "8000"}
    if not typed:
        form = FORM | {"c-training-low": "5000", "c-training-likely": typed, "c-training-high": "9000"}
    response = post_estimates(client, assessment, form)
    assert response.status_code == 422
    assert len(summary(response.get_data(as_text=True))) == 1


def test_saved_figures_are_shown_back_in_the_readers_digits_and_marks(app: Flask, client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    form = FORM | {"c-implementation-likely": "8,500.00", "c-training-likely": "0.000001", "discount_rate": "7.5"}
    assert post_estimates(client, assessment, form).status_code == 302
    english = client.get(f"{assessment}/estimates").get_data(as_text=True)
    assert 'value="8,500"' in box(english, "c-implementation-likely")
    assert 'value="7.5"' in box(english, "discount_rate")
    assert 'value="1e-06"' in box(english, "c-training-likely")  # more decimals than shown: nothing lost
    persian = client.get(f"{assessment}/estimates", headers={"Accept-Language": "fa"}).get_data(as_text=True)
    assert 'value="۸٬۵۰۰"' in box(persian, "c-implementation-likely")
    assert 'value="۷٫۵"' in box(persian, "discount_rate")
    # Saved again unchanged, in either language, the figures are the same.
    token = csrf_token(client, f"{assessment}/estimates")
    boxes = [tag for tag in re.findall(r"<input[^>]*>", persian) if 'type="checkbox"' not in tag]
    fields = dict(pair for tag in boxes for pair in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', tag))
    fields |= {"horizon_years": "3", "project_costs": "spread", "csrf_token": token}
    assert client.post(f"{assessment}/estimates", data=fields, headers={"Accept-Language": "fa"}).status_code == 302
    again = stored(app, assessment)
    assert amount(again, "implementation") == 8500 and amount(again, "training") == 0.000001
    assert again["discount_rate"] == 0.075


def test_each_line_and_each_year_is_totalled_at_the_most_likely_figures_after_a_save(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    blank = client.get(f"{assessment}/estimates").get_data(as_text=True)
    assert "Total over the appraisal" not in blank and "Totals by year" not in blank
    assert post_estimates(client, assessment, FORM).status_code == 302
    page = client.get(f"{assessment}/estimates").get_data(as_text=True)
    # 50 a user a month, 40 users, 36 months; 60,000 once; 4,000 a month from the first month.
    subscription = page[
        page.index('id="c-subscription-label"') : page.index("</tr>", page.index("c-subscription-label"))
    ]
    assert '<td class="num">$72,000</td>' in subscription
    assert "Total over the appraisal, most likely: <strong>$144,000</strong>" in page
    totals = re.sub(r"\s+", " ", page[page.index('id="totals-heading"') :])
    assert '<th scope="row">Costs</th> <td class="num">$60,000</td>' + '<td class="num">$24,000</td>' * 3 in totals
    assert '<td class="num">$132,000</td>' in totals
    assert '<th scope="row">Benefits</th> <td class="num">$0</td>' + '<td class="num">$48,000</td>' * 3 in totals
    assert '<td class="num">$144,000</td>' in totals
    persian = client.get(f"{assessment}/estimates", headers={"Accept-Language": "fa"}).get_data(as_text=True)
    assert "۱۴۴٬۰۰۰" in persian


def test_a_refused_page_shows_no_totals_and_keeps_what_was_typed(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    post_estimates(client, assessment, FORM)
    scenario_id = re.search(
        r'name="scenario_id" type="hidden" value="([^"]+)"',
        client.get(f"{assessment}/estimates").get_data(as_text=True),
    )
    assert scenario_id
    response = post_estimates(
        client, assessment, FORM | {"scenario_id": scenario_id.group(1), "c-implementation-likely": "60.000,5"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Totals by year" not in page
    assert 'value="60.000,5"' in box(page, "c-implementation-likely")
